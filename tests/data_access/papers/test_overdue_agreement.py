"""One question, one number (rules.py, 'Overdue: one question, one date'): for every sample plan and
every review, the overdue figures the app shows (the reads its pages call) and the figures in the
papers — read back from the files themselves: the Word report with python-docx, the slides with
python-pptx, the Excel export with openpyxl and the board pack PDF's text with pypdf — are the same
number for the same review and the same 'overdue as at' date.

The cabinet report once said 7 overdue for Rutland's Q4 2017/18 in its headline table and 2 in its
status mix table ('overdue at its date'), while the trends page said 7: the table counted each review
at its own date, the headline at the meeting date.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from docx import Document
from openpyxl import load_workbook
from pptx import Presentation
from pypdf import PdfReader

from data_access.domain.rules import overdue_lag_days
from data_access.domain.wording import OVERDUE_COUNTED_AT, long_date, short_date
from data_access.importer.sample_seed import seed
from data_access.papers.paper_service import PaperRequest, make_paper
from data_access.reads import board, catalogue, review_lookup, status_mix
from data_access.storage.database import make_engine, upgrade

MEETING_AFTER = dt.timedelta(days=110)  # the next quarter's meeting: later reviews' dates fall due meanwhile


@pytest.fixture(scope="module")
def sample(tmp_path_factory, migrated_sqlite_template):
    path = tmp_path_factory.mktemp("agreement") / "board.db"
    path.write_bytes(migrated_sqlite_template.read_bytes())
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    assert seed(engine) == 4
    yield engine
    engine.dispose()


def _plans():
    from sample_data.plans import build_plans

    return [plan.info.name for plan in build_plans()]


def app_figures(engine, plan_id: int, review, previous, as_of: dt.date) -> dict:
    """What the overview (headline and its change), the trends page (status mix per review, each
    review counted by rules.overdue_lag_days) and the overdue page show, read as those pages read it."""
    change = board.kpi_change(engine, review.id, as_of, previous.id if previous else None)
    mix = status_mix.status_mix(engine, plan_id, overdue_lag_days(as_of, review.as_at)).set_index("review_id")
    figures = {
        "overview overdue": change.current.overdue,
        "overview red": change.current.red,
        "trends overdue": int(mix.loc[review.id, "overdue"]),
        "trends counted at": mix.loc[review.id, "overdue_as_of"],
        "overdue page": len(board.overdue_actions(engine, review.id, as_of)),
    }
    if previous:
        figures["overview before"] = change.previous.overdue
        figures["trends before"] = int(mix.loc[previous.id, "overdue"])
    return figures


def _cells(table) -> list[list[str]]:
    return [[cell.text.strip() for cell in row.cells] for row in table.rows]


def word_figures(data: bytes, review, previous) -> dict:
    document = Document(io.BytesIO(data))
    tables = [_cells(t) for t in document.tables]
    headline = next(t for t in tables if t[0][0] == "Figure")
    overdue_row = next(r for r in headline if r[0] == "Overdue")
    red_row = next(r for r in headline if "Red" in r[0])
    mix = next(t for t in tables if OVERDUE_COUNTED_AT in t[0])
    column, counted_column = mix[0].index("Overdue"), mix[0].index(OVERDUE_COUNTED_AT)
    rows = {r[0].split(" (")[0]: r for r in mix[1:]}
    text = "\n".join(p.text for p in document.paragraphs)
    figures = {
        "word headline overdue": int(overdue_row[1]),
        "word headline red": int(red_row[1]),
        "word mix overdue": int(rows[review.label][column]),
        "word mix counted at": rows[review.label][counted_column],
        "word overdue list": int(re.search(r"^Overdue actions \((\d+)\)$", text, re.M).group(1)),
        "word red list": int(re.search(r"^Off track \(red\) actions \((\d+)\)$", text, re.M).group(1)),
        "word key issues overdue": int(re.search(r"(\d+) actions? overdue as at", text).group(1)),
        "word decision overdue": int(re.search(r"(\d+) overdue as at", text.split("That Cabinet:")[1]).group(1)),
        "word appendix overdue": sum(
            row[5] == "Overdue" for t in tables if t[0][:2] == ["Action", "What will be done"] for row in t[1:]
        ),
        "word text": text,
    }
    if previous:
        figures["word headline before"] = int(overdue_row[2])
        figures["word mix before"] = int(rows[previous.label][column])
    return figures


def slide_figures(data: bytes) -> dict:
    deck = Presentation(io.BytesIO(data))
    figures = {}
    for slide in deck.slides:
        title = slide.shapes.title.text if slide.shapes.title is not None else ""
        if title == "Overview":
            grid = next(s.table for s in slide.shapes if s.has_table)
            row = next(r for r in grid.rows if r.cells[0].text == "Overdue")
            figures["slides headline overdue"] = int(row.cells[1].text)
        if re.fullmatch(r"Overdue actions(?: \(1 of \d+\))?", title):  # its first slide says how many
            said = "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
            found = re.search(r"^(\d+) overdue actions?\b", said, re.M)
            figures["slides overdue list"] = int(found.group(1))
    return figures


def excel_figures(data: bytes) -> dict:
    sheet = load_workbook(io.BytesIO(data), read_only=True)["Actions"]
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    column = rows[0].index("Overdue")
    return {"excel overdue": sum(row[column] == "Yes" for row in rows[1:])}


def pdf_figures(data: bytes, previous) -> dict:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    row = re.search(r"^Overdue (\d+)(?: (\d+))?", text, re.M)
    figures = {
        "pdf headline overdue": int(row.group(1)),
        "pdf overdue list": int(re.search(r"Overdue actions by recommendation \((\d+)\)", text).group(1)),
        "pdf text": text,
    }
    if previous:
        figures["pdf headline before"] = int(row.group(2))
    return figures


@pytest.mark.parametrize("plan_name", _plans())
def test_every_overdue_figure_agrees_for_every_review(sample, plan_name):
    plans = catalogue.list_plans(sample)
    plan_id = int(plans.set_index("name").loc[plan_name, "id"])
    reviews = review_lookup.current_reviews(sample, plan_id)
    assert len(reviews) == 4
    for n, review in enumerate(reviews):
        previous = reviews[n - 1] if n else None
        as_of = review.as_at + MEETING_AFTER
        request = dict(plan_id=plan_id, review_id=review.id, as_of=as_of)
        app = app_figures(sample, plan_id, review, previous, as_of)
        word = word_figures(make_paper(sample, PaperRequest("docx", **request)).data, review, previous)
        slides = slide_figures(make_paper(sample, PaperRequest("pptx", **request)).data)
        excel = excel_figures(make_paper(sample, PaperRequest("xlsx", **request)).data)
        pdf = pdf_figures(make_paper(sample, PaperRequest("pdf", **request)).data, previous)
        where = f"{plan_name}, {review.label}, overdue as at {as_of}"

        overdue = {
            k: v
            for figures in (app, word, slides, excel, pdf)
            for k, v in figures.items()
            if "overdue" in k and "before" not in k
        }
        assert len(set(overdue.values())) == 1, (where, overdue)
        assert {app["overview red"], word["word headline red"], word["word red list"]} == {app["overview red"]}, where
        # The reported review's row in every table of reviews is counted at the headline's date.
        assert app["trends counted at"] == as_of and word["word mix counted at"] == short_date(as_of), where
        if previous:
            before = {k: v for figures in (app, word, pdf) for k, v in figures.items() if "before" in k}
            assert len(set(before.values())) == 1, (where, before)
        # Each paper states the date overdue is counted at, and never 'at each review's own date'.
        for text in (word["word text"], pdf["pdf text"]):
            assert long_date(as_of) in text, where
            assert not re.search(r"at (each|that) review's own date|at its date", text, re.I), where


def test_rutland_q4_cabinet_report_gives_one_number(sample):
    """The case the issue found: Rutland's Q4 2017/18 at a meeting on 20 April 2018 has 7 overdue
    actions; the status mix table said 2 (Q4 counted at its own date, 31 March 2018)."""
    plan_id = int(
        catalogue.list_plans(sample).set_index("name").loc[next(n for n in _plans() if n.startswith("Rutland")), "id"]
    )
    *_, q3, q4 = review_lookup.current_reviews(sample, plan_id)
    as_of = dt.date(2018, 4, 20)
    word = word_figures(make_paper(sample, PaperRequest("docx", plan_id, q4.id, as_of)).data, q4, q3)
    app = app_figures(sample, plan_id, q4, q3, as_of)
    assert word["word headline overdue"] == word["word mix overdue"] == app["trends overdue"] == 7
    assert word["word headline before"] == word["word mix before"] == app["overview before"]
