"""The tracker to send back out for the next update (.xlsx, openpyxl).

A tidy layout the importer reads back exactly (its column names are in importer/table.py SYNONYMS):
the plan's name as the title, "Position as at <review date>" (the importer takes the review date
from it), a line of instructions, then one row per action of the review with its own IDs
(recommendation ref and action ID), so a re-import matches every action by ID and never asks a
text-similarity question. "Latest update" holds the review's progress note; "New update" is left
empty for the manager.

Every stored field the importer reads is written back as it was read (the tracker's own status
and timescale wording, the revised date as a date, measures, partners and evidence when the
plan has them), so re-importing the file unchanged gives the same review content. Text that
looks like a formula stays inert (export.write_inert).
"""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.datavalidation import DataValidation

from data_access.domain.rules import STATUS_STYLE, normalise_status
from data_access.domain.wording import long_date
from data_access.papers.content import BoardContent, plain, records
from data_access.papers.excel_export import write_inert

TITLE_ROW, AS_AT_ROW, HELP_ROW, HEADER_ROW = 1, 2, 3, 5
NEW_UPDATE = "New update"

# (heading the importer recognises, review_actions column, width); optional columns only when used.
COLUMNS = [
    ("Rec ref", "rec_ref", 9),
    ("Recommendation", "rec_text", 40),
    ("Action ID", "key", 10),
    ("Action", "description", 50),
    ("Lead officer", "lead", 24),
    ("Partner agency", "partner", 20),
    ("Timescale", "due_raw", 16),
    ("Revised date", "revised_due_date", 13),
    ("RAG status", "status", 14),
    ("Measure of success", "measure", 30),
    ("Evidence", "evidence", 30),
    ("Latest update", "progress", 50),
]
OPTIONAL = {"partner", "measure", "evidence"}
HELP = (
    "Write this quarter's progress in 'New update' and change the RAG status where it has changed "
    "(Complete, On track, At risk or Off track). Keep the Action ID column as it is: it is how each "
    "row is matched to its action. Change the date in line 2 to the date of this position."
)


def _status_words(row) -> str:
    """The tracker's own status wording when it still means the stored status, else the word."""
    raw = plain(row["status_raw"]).strip()
    if raw and normalise_status(raw) == row["status"]:
        return raw
    return STATUS_STYLE[row["status"]].label


def _is_stored_date(row) -> bool:
    """The tracker gave a real date (stored as its ISO text), not words such as 'March 2017'."""
    due = row["due_date"]
    return not pd.isna(due) and plain(row["due_raw"]) == pd.Timestamp(due).date().isoformat()


def tracker_xlsx(content: BoardContent) -> bytes:
    actions = content.actions
    used = [
        (heading, column, width)
        for heading, column, width in COLUMNS
        if column not in OPTIONAL or actions[column].map(plain).str.strip().ne("").any()
    ]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Tracker"
    write_inert(sheet.cell(TITLE_ROW, 1), content.plan_name).font = Font(bold=True, size=14)
    sheet.cell(AS_AT_ROW, 1, f"Position as at {long_date(content.review.as_at)}").font = Font(bold=True, size=12)
    sheet.cell(HELP_ROW, 1, HELP).font = Font(italic=True)

    headings = [h for h, _, _ in used] + [NEW_UPDATE]
    thin = Side(style="thin", color="B1B4B6")
    for col, heading in enumerate(headings, start=1):
        cell = sheet.cell(HEADER_ROW, col, heading)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F3F2F1")
        cell.border = Border(bottom=thin)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    new_fill = PatternFill("solid", fgColor="FFF7BF")  # where the manager writes
    for r, row in enumerate(records(actions), start=HEADER_ROW + 1):
        for col, (_, column, _) in enumerate(used, start=1):
            if column == "status":
                value = _status_words(row)
            elif column == "revised_due_date":
                value = None if pd.isna(row[column]) else pd.Timestamp(row[column]).date()
            elif column == "due_raw" and _is_stored_date(row):
                value = pd.Timestamp(row["due_date"]).date()  # a date cell in, a date cell out
            else:
                value = plain(row[column]) or None
            if value is None:
                continue
            cell = write_inert(sheet.cell(r, col), value)
            if isinstance(value, dt.date):
                cell.number_format = "DD/MM/YYYY"
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.cell(r, len(headings)).fill = new_fill
    for col, (_, _, width) in enumerate(used, start=1):
        sheet.column_dimensions[sheet.cell(HEADER_ROW, col).column_letter].width = width
    sheet.column_dimensions[sheet.cell(HEADER_ROW, len(headings)).column_letter].width = 50
    last_row = HEADER_ROW + max(1, len(actions))
    status_col = [c for _, c, _ in used].index("status") + 1
    letter = sheet.cell(HEADER_ROW, status_col).column_letter
    choices = DataValidation(
        type="list",
        formula1='"' + ",".join(STATUS_STYLE[s].label for s in ("complete", "green", "amber", "red")) + '"',
        allow_blank=True,
        showErrorMessage=False,  # a suggestion list: the importer also reads Red, G, Blue, Done...
    )
    choices.add(f"{letter}{HEADER_ROW + 1}:{letter}{last_row}")
    sheet.add_data_validation(choices)
    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 1)
    last_letter = sheet.cell(HEADER_ROW, len(headings)).column_letter
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{last_letter}{last_row}"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
