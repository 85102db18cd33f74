"""The exception report (data_access.papers.exception_report) on a hand-worked plan: its figures are
the overview's (review_figures.review_kpis through board.kpi_change for red and amber,
signoff_figures.overview_figures for dates moved without approval), its lines are the red and amber
actions and the moved dates, grouped by recommendation with mitigation and ask, and every format
(PDF, Word, HTML) says the same."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest
from pypdf import PdfReader

from data_access.domain import signoff_rules
from data_access.domain.rules import AMBER, COMPLETE, GREEN, RED, parse_timescale, status_text
from data_access.domain.tracker_rows import PlanInfo, ReviewSnapshot, TrackerRow
from data_access.papers import PaperRequest, exception_report, make_paper
from data_access.papers.content import board_content
from data_access.reads import board, review_figures, signoff_figures
from data_access.storage import plan_writer
from data_access.storage.board_decisions import record_date_change
from data_access.storage.database import write_transaction
from tests.data_access.papers.html_reading import read, table_captioned

Q1, Q2 = dt.date(2024, 6, 30), dt.date(2024, 9, 30)
MEETING = dt.date(2024, 10, 14)
RECS = {"1": "Strengthen the front door", "2": "Improve supervision", "3": "Care leavers", "4": "Done"}


def _row(ref, key, status, due, **extra) -> TrackerRow:
    return TrackerRow(ref, RECS[ref], f"Action {key}", action_id=key, lead=f"Lead {key}", status=status,
                      status_raw=status, timescale=parse_timescale(due), **extra)  # fmt: skip


@pytest.fixture
def plan(engine) -> dict:
    """Q2, hand-worked:
        1.1 red    mitigation "Agency social workers", ask "Agree £40k for agency cover"
        1.2 green  its date moved 31/07 -> 30/11 not approved, then approved: the latest decision counts
        1.3 amber  nothing recorded
        2.1 complete
        2.2 green  date moved 31/07 -> 31/12 without approval (reason given)
        3.1 amber  mitigation "Weekly check-ins"; its date move refused (judged against the old date)
        4.1 complete; 4.2 green (recommendation 4 has no exception)
    Red 1, amber 2 (1.3, 3.1), moved without approval 1 (2.2); groups 1 (1.1, 1.3), 2 (2.2), 3 (3.1).
    Q1 had 1.1 amber and a move of 1.1's date without approval recorded then, approved since."""
    q1 = [_row("1", "1.1", AMBER, "31/07/2024"), _row("4", "4.1", GREEN, "31/12/2024")]
    q2 = [
        _row(
            "1", "1.1", RED, "31/07/2024", mitigation="Agency social workers", board_ask="Agree £40k for agency cover"
        ),
        _row("1", "1.2", GREEN, "30/11/2024"),
        _row("1", "1.3", AMBER, "31/12/2024"),
        _row("2", "2.1", COMPLETE, "31/03/2024"),
        _row("2", "2.2", GREEN, "31/12/2024", progress="Waiting for the auditor"),
        _row("3", "3.1", AMBER, "31/10/2024", mitigation="Weekly check-ins"),
        _row("4", "4.1", COMPLETE, "31/12/2024"),
        _row("4", "4.2", GREEN, "31/12/2024"),
    ]
    with write_transaction(engine) as conn:
        plan_id = plan_writer.ensure_plan(conn, PlanInfo(name="Exceptionshire"))
        q1_id = plan_writer.save_review(conn, plan_id, ReviewSnapshot(Q1, q1, label="Q1"), source="q1")
        q2_id = plan_writer.save_review(conn, plan_id, ReviewSnapshot(Q2, q2, label="Q2"), source="q2")
    ids = review_figures.review_actions(engine, q2_id, MEETING).set_index("key")["action_id"].to_dict()
    d = dt.date

    def change(key, was, now, state, review, reason=None):
        record_date_change(
            conn, action_id=int(ids[key]), from_date=was, to_date=now, state=state, source=signoff_rules.FROM_APP,
            recorded_by="chair", review_id=review, reason=reason,
        )  # fmt: skip

    with write_transaction(engine) as conn:
        change("1.1", d(2024, 6, 30), d(2024, 7, 31), signoff_rules.NOT_APPROVED, q1_id)
        change("1.1", d(2024, 6, 30), d(2024, 7, 31), signoff_rules.APPROVED, q1_id)
        change("1.2", d(2024, 7, 31), d(2024, 11, 30), signoff_rules.NOT_APPROVED, q2_id)
        change("1.2", d(2024, 7, 31), d(2024, 11, 30), signoff_rules.APPROVED, q2_id)
        change("2.2", d(2024, 7, 31), d(2024, 12, 31), signoff_rules.NOT_APPROVED, q2_id, "Auditor <late>")
        change("3.1", d(2024, 9, 30), d(2024, 10, 31), signoff_rules.REFUSED, q2_id)
    return {"plan": plan_id, "q1": q1_id, "q2": q2_id}


def _report(engine, plan) -> exception_report.ExceptionReport:
    content = board_content(engine, plan["plan"], plan["q2"], MEETING, movements=False, history=False)
    return exception_report.exception_report(content)


def test_the_figures_are_the_overviews_and_the_hand_worked_counts(engine, plan):
    report = _report(engine, plan)
    # the overview's figures, read as the overview reads them (pages/overview.py)
    kpis = board.kpi_change(engine, plan["q2"], MEETING, plan["q1"]).current
    assert kpis == review_figures.review_kpis(engine, plan["q2"], MEETING)
    decisions = signoff_figures.overview_figures(engine, plan["plan"], plan["q2"], plan["q1"])
    assert (report.red, report.amber, report.moved) == (kpis.red, kpis.amber, decisions.not_approved)
    assert (report.red, report.amber, report.moved) == (1, 2, 1)  # hand-worked (the fixture's docstring)
    # the lines are the figures: every red and amber action is listed, and every date moved without approval
    lines = [line for group in report.groups for line in group.lines]
    assert sum(line.status == RED for line in lines) == report.red
    assert sum(line.status == AMBER for line in lines) == report.amber
    assert sum(len(line.moved) for line in lines) == report.moved
    assert [(g.ref, [line.key for line in g.lines]) for g in report.groups] == [
        ("1", ["1.1", "1.3"]),
        ("2", ["2.2"]),
        ("3", ["3.1"]),
    ]


def test_each_line_has_its_mitigation_and_ask_or_says_there_is_none(engine, plan):
    lines = {line.key: line for group in _report(engine, plan).groups for line in group.lines}
    assert lines["1.1"].mitigation_text == "Agency social workers"
    assert lines["1.1"].ask_text == "Agree £40k for agency cover"
    assert lines["1.3"].mitigation_text == exception_report.NO_MITIGATION == "No mitigation recorded"
    assert lines["1.3"].ask_text == exception_report.NO_ASK
    assert lines["2.2"].due_with_moves.splitlines()[1] == (
        "Due date moved from 31 Jul 2024 to 31 Dec 2024, not approved (reason: “Auditor <late>”)"
    )


def test_the_moved_count_follows_the_review(engine, plan):
    """At Q1 the only move without approval (1.1's) has been approved since: nothing at Q1."""
    content = board_content(engine, plan["plan"], plan["q1"], MEETING, movements=False, history=False)
    report = exception_report.exception_report(content)
    assert report.moved == signoff_figures.overview_figures(engine, plan["plan"], plan["q1"]).not_approved == 0
    assert [line.key for g in report.groups for line in g.lines] == ["1.1"]  # amber at Q1


def _squeezed(text: str) -> str:
    return " ".join(text.split())


def test_the_pdf_is_one_page_with_the_figures_and_lines(engine, plan):
    data = make_paper(engine, PaperRequest("exceptions-pdf", plan["plan"], as_of=MEETING)).data
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1  # one page when it fits
    text = reader.pages[0].extract_text()
    lines = [_squeezed(line) for line in text.split("\n")]
    assert f"{status_text(RED)} 1" in lines and f"{status_text(AMBER)} 2" in lines
    assert "Due dates moved without approval 1" in lines
    flat = _squeezed(text)
    for words in ("Recommendation 1: Strengthen the front door", "Agency social workers", "No mitigation recorded"):
        assert words in flat
    assert "Recommendation 4" not in flat and "Action 4.2" not in flat and "Action 2.1" not in flat
    assert reader.trailer["/Root"]["/Lang"] == "en-GB" and reader.metadata.title.startswith("Exception report")


def test_the_word_and_html_reports_say_the_same(engine, plan):
    report = _report(engine, plan)
    word = docx.Document(
        io.BytesIO(make_paper(engine, PaperRequest("exceptions-docx", plan["plan"], as_of=MEETING)).data)
    )
    figures = [[c.text for c in row.cells] for row in word.tables[0].rows][1:]
    assert figures == [list(f) for f in report.figures()]
    word_headings = [p.text for p in word.paragraphs if p.style.name == "Heading 1"]
    assert word_headings == [f"{g.title}: {g.text}" for g in report.groups]
    page = read(make_paper(engine, PaperRequest("exceptions-html", plan["plan"], as_of=MEETING)).data)
    assert table_captioned(page, "The exceptions at").rows == [list(f) for f in report.figures()]
    assert [t for level, t in page.headings if level == 2] == word_headings
    cells = [row for t in page.tables[1:] for row in t.rows]
    assert ["1.3", status_text(AMBER)] == cells[1][:2] and cells[1][4] == "No mitigation recorded"
    assert "Auditor <late>" in cells[2][3]  # tracker text shown as text


def test_a_plan_with_no_exceptions_says_so(engine):
    with write_transaction(engine) as conn:
        plan_id = plan_writer.ensure_plan(conn, PlanInfo(name="Calm"))
        plan_writer.save_review(conn, plan_id, ReviewSnapshot(Q2, [_row("4", "4.1", GREEN, "31/12/2024")]), source="q")
    page = read(make_paper(engine, PaperRequest("exceptions-html", plan_id, as_of=MEETING)).data)
    assert "No action is red or amber and no due date has been moved without approval." in " ".join(page.text)
    assert [level for level, _ in page.headings] == [1]


@pytest.mark.parametrize("key", ["exceptions-pdf", "exceptions-docx", "exceptions-html", "html"])
def test_the_command_line_writes_each_new_format(engine, plan, sqlite_url, tmp_path, cli, key):
    out = tmp_path / f"paper.{key}"
    result = cli("pack", "--plan", "Exceptionshire", "--format", key, "--out", out, "--db", sqlite_url)
    assert result.code == 0, result.err
    assert "Wrote" in result.out and out.stat().st_size > 1000
    data = out.read_bytes()
    if key.endswith("html"):
        assert data.startswith(b"<!DOCTYPE html>") and b"Exceptionshire" in data
    elif key.endswith("pdf"):
        assert data.startswith(b"%PDF")
    else:
        assert data.startswith(b"PK")


def test_the_portfolio_is_not_an_exception_report(engine, plan, sqlite_url, tmp_path, cli):
    result = cli("pack", "--plan", "all", "--format", "exceptions-pdf", "--out", tmp_path / "x.pdf", "--db", sqlite_url)
    assert result.code != 0 and "choose one plan for that format" in result.err
    assert not (tmp_path / "x.pdf").exists()
