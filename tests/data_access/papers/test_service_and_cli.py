"""make_paper for every format, on SQLite and PostgreSQL; the audit row; and `python -m data_access
pack`, which runs the same code and refuses bad input with one sentence (exit 2), writing nothing."""

from __future__ import annotations

import io
import json
import zipfile

import openpyxl
import pandas as pd
import pytest
from pypdf import PdfReader
from sqlalchemy import select

from data_access.cli.entry import main
from data_access.domain.rules import STATUS_STYLE, STATUSES
from data_access.papers import PaperError, PaperRequest, make_paper
from data_access.papers import charts as chart_module
from data_access.papers.content import board_content, portfolio_content
from data_access.papers.formats import KEYS as FORMATS
from data_access.papers.formats import REGISTRY
from data_access.storage import audit_trail
from data_access.storage.schema import AuditEvent
from tests.data_access.reads.test_board import MEETING, populate_board

SIGNATURES = {"pdf": b"%PDF-", "pptx": b"PK", "docx": b"PK", "xlsx": b"PK", "html": b"<!DOCTYPE html>"}  # by extension


def test_every_format_on_both_databases(any_engine):
    ids = populate_board(any_engine)
    for fmt in FORMATS:
        paper = make_paper(any_engine, PaperRequest(fmt, ids["plan"], as_of=MEETING))
        extension = REGISTRY[fmt].extension
        assert paper.data.startswith(SIGNATURES[extension]), fmt
        assert paper.filename.endswith("-testshire-ilacs-2024-2024-09-30." + extension)
    text = PdfReader(io.BytesIO(make_paper(any_engine, PaperRequest("pdf", None, as_of=MEETING)).data)).pages[0]
    assert "Testshire ILACS 2024" in text.extract_text()


def test_excel_from_the_pack_is_the_formatted_export(engine, board):
    data = make_paper(engine, PaperRequest("xlsx", board["plan"], as_of=board["as_of"])).data
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert "<f>" not in zf.read("xl/worksheets/sheet1.xml").decode()  # the formula note stays text
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet["A1"].value.startswith("Testshire ILACS 2024: actions at Q2 2024/25")
    assert [sheet.cell(row=r, column=1).value for r in range(4, 10)] == ["1.1", "1.2", "2.1", "2.2", "10.1", "10.2"]


def test_bad_requests_are_one_sentence(engine, board):
    with pytest.raises(PaperError, match="not a paper format"):
        make_paper(engine, PaperRequest("odt", board["plan"]))
    with pytest.raises(PaperError, match="portfolio .* pdf or xlsx"):
        make_paper(engine, PaperRequest("tracker", None))
    with pytest.raises(PaperError, match="no current review with id 999"):
        make_paper(engine, PaperRequest("pdf", board["plan"], review_id=999))


def test_figures_are_gathered_from_the_reads(engine, board):
    content = board_content(engine, board["plan"], as_of=board["as_of"])
    h = content.headline
    assert (h.actions, h.complete, h.pct_complete, h.red, h.overdue) == (6, 2, 33, 1, 2)
    assert (h.change("pct_complete"), h.change("overdue")) == (13, 0)  # 20% -> 33%; 2 -> 2 (fair date)
    assert content.compare.id == board["q1"] and list(content.overdue["key"]) == ["1.1", "10.1"]
    portfolio = portfolio_content(engine, board["as_of"])
    assert [line.plan_name for line in portfolio.plans] == ["Testshire ILACS 2024"]


def test_chart_files_say_what_they_show(engine, board):
    content = board_content(engine, board["plan"], as_of=board["as_of"])
    chart = chart_module.rag_by_recommendation(content.by_rec, "Plan $x$ <b>")
    svg = chart.svg()
    assert svg.lstrip().startswith("<?xml") and "<desc>Bar chart of Plan $x$ &lt;b&gt;" in svg
    assert "Rec 10: 1 on track, 1 off track" in chart.alt
    assert chart.png().startswith(b"\x89PNG")
    for make in (chart_module.status_mix, chart_module.overdue_per_review):
        assert "<desc>" in make(content.mix, "Plan").svg()
    assert "Complete (Q1 2024/25) to Complete (Q2 2024/25): 1" in chart_module.movements(content.moves, "P").alt


def test_chart_segments_carry_their_status_pattern():
    """Every status but complete is hatched (rules.StatusStyle.pattern), so a segment too thin for
    its letter still differs from its neighbours without colour: one hatch per patterned status."""
    by_rec = pd.DataFrame({"ref": ["1"], **{s: [1] for s in STATUSES}})
    svg = chart_module.rag_by_recommendation(by_rec, "Plan").svg()
    patterned = [s for s in STATUSES if STATUS_STYLE[s].pattern]
    assert len(patterned) == len(STATUSES) - 1
    assert svg.count("<pattern ") == len(patterned)


# --- the command line -------------------------------------------------------------------------


def _pack_events(engine) -> list:
    with engine.connect() as conn:
        return conn.execute(select(AuditEvent).where(AuditEvent.action == audit_trail.PACK)).all()


def test_cli_writes_the_pack_and_records_it(engine, board, sqlite_url, tmp_path, capsys):
    out = tmp_path / "pack.pdf"
    args = ["pack", "--db", sqlite_url, "--plan", "Testshire ILACS 2024", "--review", "2024-09-30",
            "--as-of", "2024-10-14", "--from", "Q1 2024/25", "--format", "pdf", "--out", str(out)]  # fmt: skip
    assert main(args) == 0
    assert "Wrote" in capsys.readouterr().out
    reader = PdfReader(out)
    assert "Overdue as at 14 October 2024" in reader.pages[0].extract_text()
    (event,) = _pack_events(engine)
    assert event.actor == audit_trail.COMMAND_LINE and event.plan_id == board["plan"] and event.review_id == board["q2"]
    assert json.loads(event.detail)["format"] == "pdf"
    portfolio = tmp_path / "all.xlsx"
    assert main(["pack", "--db", sqlite_url, "--plan", "all", "--format", "xlsx", "--out", str(portfolio)]) == 0
    assert openpyxl.load_workbook(portfolio).active["A4"].value == "Testshire ILACS 2024"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--plan", "Nowhere"], "there is no plan called 'Nowhere'"),
        (["--plan", "Testshire ILACS 2024", "--review", "2019-01-01"], "has no review dated or labelled '2019-01-01'"),
        (["--plan", "Testshire ILACS 2024", "--as-of", "14/10/2024"], "is not a date; write it as YYYY-MM-DD"),
        (["--plan", "Testshire ILACS 2024", "--review", "Q1 2024/25", "--from", "Q2 2024/25"], "must be earlier"),
        (["--plan", "all", "--format", "pptx"], "The portfolio (every plan) is made as pdf or xlsx"),
    ],
)
def test_cli_bad_input_is_one_sentence_and_writes_nothing(engine, board, sqlite_url, tmp_path, capsys, extra, message):
    out = tmp_path / "pack.out"
    fmt = [] if "--format" in extra else ["--format", "pdf"]
    args = ["pack", "--db", sqlite_url, *fmt, "--out", str(out), *extra]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and err.count("\n") == 1
    assert not out.exists() and not _pack_events(engine)


def test_cli_pack_counts_overdue_at_the_next_board_meeting_by_default(engine, board, sqlite_url, tmp_path, capsys):
    """Without --as-of the pack uses the sidebar's default (reads.board_meetings.default_as_of): the
    plan's next meeting on or after the review; the audit row records that date."""
    import datetime as dt

    from data_access.storage import plan_admin

    plan_admin.set_meeting_dates(engine, board["plan"], [dt.date(2024, 7, 8), dt.date(2024, 10, 21)], actor="test")
    out = tmp_path / "pack.pdf"
    args = ["pack", "--db", sqlite_url, "--plan", "Testshire ILACS 2024", "--format", "pdf", "--out", str(out)]
    assert main(args) == 0
    assert "Overdue as at 21 October 2024" in PdfReader(out).pages[0].extract_text()  # Q2 is 30 Sep 2024
    assert main([*args[:4], "Testshire ILACS 2024", "--review", "Q1 2024/25", *args[5:]]) == 0
    assert "Overdue as at 8 July 2024" in PdfReader(out).pages[0].extract_text()  # Q1 is 30 Jun 2024
    assert [json.loads(e.detail)["as_of"] for e in _pack_events(engine)] == ["2024-10-21", "2024-07-08"]


def test_cli_pack_judges_overdue_against_the_baseline(engine, board, sqlite_url, tmp_path, capsys):
    """`pack --judge baseline` (the app's judge=baseline): 2.2's approved move from 30 Sep to 31 Dec
    2024 does not count, so it is overdue at the meeting — 3 overdue actions, not 2
    (tests/data_access/papers/test_baseline_papers.py works them by hand); the audit row says so."""
    from tests.fixtures import record_board_date_changes

    record_board_date_changes(engine, board)
    out = tmp_path / "actions.xlsx"
    args = ["pack", "--db", sqlite_url, "--plan", "Testshire ILACS 2024", "--as-of", "2024-10-14",
            "--format", "xlsx", "--out", str(out)]  # fmt: skip
    counts = {}
    for judge in ("current", "baseline"):
        assert main([*args, "--judge", judge]) == 0
        rows = list(openpyxl.load_workbook(out).worksheets[0].iter_rows(values_only=True))
        column = next(r for r in rows if "Overdue" in r).index("Overdue")
        counts[judge] = [r[column] for r in rows].count("Yes")
    assert counts == {"current": 2, "baseline": 3}
    assert [json.loads(e.detail).get("judged_against") for e in _pack_events(engine)] == [None, "baseline"]
    capsys.readouterr()
    with pytest.raises(SystemExit) as refused:  # argparse refuses a choice it does not offer
        main([*args, "--judge", "sideways"])
    err = capsys.readouterr().err
    assert refused.value.code == 2 and "--judge: invalid choice: 'sideways'" in err and "Traceback" not in err
