"""Papers judged against the baseline (issue 25: the sidebar's "Judge overdue against", judge=baseline,
and `pack --judge baseline`): every figure and list in a paper follows it, and the paper says so.

Worked by hand on the board plan (tests/fixtures.py) with its two date changes
(record_board_date_changes), overdue as at MEETING (14 Oct 2024), compared with Q1 (counted 14 Jul):
- against the current approved date: 1.1 (31 Jul) and 10.1 (Aug) — 2 overdue; Q1 2 (1.1, 1.2): no change.
- against the baseline: 2.2 too (its baseline 30 Sep; approved move to 31 Dec) — 3 overdue, +1.
"""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from docx import Document
from pptx import Presentation
from pypdf import PdfReader

from data_access.domain.wording import BASELINE_JUDGED
from data_access.papers import PaperRequest, make_paper
from data_access.papers.content import board_content, portfolio_content
from data_access.papers.pdf_pack import portfolio_rows
from tests.data_access.papers.html_reading import html_text
from tests.fixtures import MEETING, record_board_date_changes

RULE = "judged against the baseline (original) due date"


@pytest.fixture
def judged(engine, board) -> dict:
    record_board_date_changes(engine, board)
    return board


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_the_contents_figures_and_lists_follow_the_baseline(engine, judged):
    now = board_content(engine, judged["plan"], None, MEETING)
    base = board_content(engine, judged["plan"], None, MEETING, baseline=True)
    assert (now.baseline, base.baseline) == (False, True)
    assert (now.headline.overdue, now.headline.before.overdue) == (2, 2)
    assert (base.headline.overdue, base.headline.before.overdue) == (3, 2)
    assert list(now.overdue["key"]) == ["1.1", "10.1"]
    assert list(base.overdue["key"]) == ["1.1", "2.2", "10.1"]
    assert base.by_rec.set_index("ref")["overdue"].to_dict() == {"1": 1, "2": 1, "10": 1}
    assert now.by_rec.set_index("ref")["overdue"].to_dict() == {"1": 1, "2": 0, "10": 1}
    assert (int(now.actions["overdue"].sum()), int(base.actions["overdue"].sum())) == (2, 3)
    assert (now.mix["overdue"].tolist(), base.mix["overdue"].tolist()) == ([2, 2], [2, 3])


def test_the_portfolio_follows_the_baseline(engine, judged):
    assert portfolio_rows(portfolio_content(engine, MEETING))[0]["overdue"] == "2 (no change)"
    assert portfolio_rows(portfolio_content(engine, MEETING, True))[0]["overdue"] == "3 (+1)"


def _paper(engine, board, fmt: str, baseline: bool) -> bytes:
    return make_paper(engine, PaperRequest(fmt, board["plan"], board["q2"], MEETING, board["q1"], baseline)).data


def test_the_excel_export_lists_the_baseline_overdue_and_says_so(engine, judged):
    for baseline, expected in ((False, 2), (True, 3)):
        sheet = openpyxl.load_workbook(io.BytesIO(_paper(engine, judged, "xlsx", baseline))).worksheets[0]
        title = sheet["A1"].value
        header_row = next(r for r in sheet.iter_rows(values_only=True) if "Overdue" in r)
        column = header_row.index("Overdue")
        cells = [r[column] for r in sheet.iter_rows(values_only=True)]
        assert cells.count("Yes") == expected
        assert (BASELINE_JUDGED in title) is baseline


def test_the_pdf_and_html_packs_say_which_date_overdue_was_judged_against(engine, judged):
    for baseline in (False, True):
        pdf = _flat(
            " ".join(p.extract_text() for p in PdfReader(io.BytesIO(_paper(engine, judged, "pdf", baseline))).pages)
        )
        html = _flat(html_text(_paper(engine, judged, "html", baseline)))
        assert (RULE in pdf) is baseline and (RULE in html) is baseline


def test_the_cabinet_report_and_slides_follow_the_baseline(engine, judged):
    for baseline, overdue in ((False, "2 actions overdue"), (True, "3 actions overdue")):
        document = Document(io.BytesIO(_paper(engine, judged, "docx", baseline)))
        words = _flat(" ".join(p.text for p in document.paragraphs))
        assert overdue in words and (BASELINE_JUDGED in words) is baseline
        deck = Presentation(io.BytesIO(_paper(engine, judged, "pptx", baseline)))
        slides = _flat(" ".join(s.text_frame.text for slide in deck.slides for s in slide.shapes if s.has_text_frame))
        assert (BASELINE_JUDGED in slides) is baseline and (RULE in slides) is baseline
