"""The board pack's "for decision" sections (issue 25) in every format, from the hand-checked board
plan (tests/fixtures.py) with:
- 2.1 signed off by the board, so of Q2's two complete actions only 1.2 ("Train partners", rec 1)
  awaits sign-off (its tracker gives no evidence);
- 1.1 moved from 30 Jun to 31 Jul 2024 with nobody approving it, and 2.2 moved with approval
  (record_board_date_changes), so one change is for approval: 1.1's.
Overdue at MEETING: 1.1 (moved without approval, flagged where its date is shown) and 10.1."""

from __future__ import annotations

import io

import openpyxl
import pytest
from docx import Document
from pptx import Presentation
from pypdf import PdfReader

from data_access.domain import signoff_rules
from data_access.papers import content as paper_content
from data_access.papers.excel_export import FOR_DECISION_SHEET
from data_access.papers.paper_service import PaperRequest, make_paper
from data_access.storage import board_decisions
from data_access.storage.database import write_transaction
from tests.fixtures import MEETING, populate_board, record_board_date_changes

AWAITING = "Complete actions awaiting sign-off (1)"
CHANGES = "Date changes for approval (1)"


@pytest.fixture
def board(engine) -> dict:
    ids = populate_board(engine)
    record_board_date_changes(engine, ids)
    with write_transaction(engine) as conn:
        board_decisions.record_signoff(
            conn, action_id=ids["actions"]["2.1"], review_id=ids["q2"], kind=signoff_rules.SIGNED_OFF,
            recorded_by="chair", source=signoff_rules.FROM_APP, evidence="Policy published",
        )  # fmt: skip
    return ids


def _paper(engine, board, fmt: str) -> bytes:
    return make_paper(engine, PaperRequest(fmt, board["plan"], review_id=board["q2"], as_of=MEETING)).data


def test_the_sections_as_every_format_gets_them(engine, board):
    c = paper_content.board_content(engine, board["plan"], board["q2"], MEETING)
    signoff, changes = paper_content.for_decision(c)
    assert (signoff.title, changes.title) == (AWAITING, CHANGES)
    assert signoff.rows == (("1", "1.2", "Train partners", paper_content.NO_EVIDENCE),)
    assert changes.rows == (("1.1", "30 Jun 2024", "31 Jul 2024", "", "moved between reviews"),)


def test_pdf(engine, board):
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(_paper(engine, board, "pdf"))).pages)
    flat = " ".join(text.split())
    assert "For decision" in flat and AWAITING in flat and CHANGES in flat
    section = flat[flat.index(AWAITING) : flat.index(CHANGES)]
    assert "Train partners" in section and "Supervision policy" not in section  # 2.1 is signed off
    after = flat[flat.index(CHANGES) :]
    assert "30 Jun 2024" in after and "31 Jul 2024" in after
    assert "moved without approval" in flat  # 1.1 in the overdue lists


def test_word(engine, board):
    document = Document(io.BytesIO(_paper(engine, board, "docx")))
    second = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert f"For decision: {AWAITING[0].lower()}{AWAITING[1:]}" in second
    assert f"For decision: {CHANGES[0].lower()}{CHANGES[1:]}" in second
    decision_tables = [t for t in document.tables if t.rows[0].cells[-1].text.startswith(("Evidence", "Seen"))]
    assert [[c.text for c in row.cells] for t in decision_tables for row in list(t.rows)[1:]] == [
        ["1", "1.2", "Train partners", paper_content.NO_EVIDENCE],
        ["1.1", "30 Jun 2024", "31 Jul 2024", "", "moved between reviews"],
    ]


def test_excel(engine, board):
    workbook = openpyxl.load_workbook(io.BytesIO(_paper(engine, board, "xlsx")))
    sheet = workbook[FOR_DECISION_SHEET]
    rows = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == [AWAITING] and rows[2][:2] == ["Rec", "Action"]
    assert rows[3] == ["1", "1.2", "Train partners", paper_content.NO_EVIDENCE]
    assert rows[5] == [CHANGES] and rows[8] == ["1.1", "30 Jun 2024", "31 Jul 2024", "moved between reviews"]
    moved = [c.value for c in workbook["Actions"][3]].index("Date moved without approval")
    flagged = [r[0] for r in workbook["Actions"].iter_rows(min_row=4, values_only=True) if r[moved] == "Yes"]
    assert flagged == ["1.1"]


def test_powerpoint(engine, board):
    deck = Presentation(io.BytesIO(_paper(engine, board, "pptx")))
    by_title = {s.shapes.title.text: s for s in deck.slides}
    for title, rows in (("For sign-off", [["1", "1.2"]]), ("Date changes for approval", [["1.1", "30 Jun 2024"]])):
        table = next(shape.table for shape in by_title[title].shapes if shape.has_table)
        cells = [[c.text.replace("\u200b", "") for c in row.cells][:2] for row in list(table.rows)[1:]]
        assert cells == rows, title


def test_html_papers(engine, board):
    """The HTML board pack has the PDF's "For decision" section; the HTML cabinet report has the Word
    report's, under its decision recommendations."""
    from tests.data_access.papers.html_reading import read, table_captioned

    pack = read(_paper(engine, board, "html"))
    assert (2, "For decision") in pack.headings
    assert (3, AWAITING) in pack.headings and (3, CHANGES) in pack.headings
    assert table_captioned(pack, AWAITING).rows == [["1", "1.2", "Train partners", paper_content.NO_EVIDENCE]]
    assert table_captioned(pack, CHANGES).rows == [["1.1", "30 Jun 2024", "31 Jul 2024", "", "moved between reviews"]]

    cabinet = read(_paper(engine, board, "cabinet-html"))
    third = [text for level, text in cabinet.headings if level == 3]
    assert f"For decision: {AWAITING[0].lower()}{AWAITING[1:]}" in third
    assert f"For decision: {CHANGES[0].lower()}{CHANGES[1:]}" in third
