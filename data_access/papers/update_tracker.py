"""The tracker to send back out for the next update (.xlsx, openpyxl).

A tidy layout the importer reads back exactly (its column names are in
importer/reading/header_columns.py SYNONYMS): the plan's name as the title, "Position as at
<review date>" (the importer takes the review date from it), a line of instructions, then one row
per action of the review with its own IDs (recommendation ref and action ID), so a re-import
matches every action by ID and never asks a text-similarity question.

Progress notes: "Previous update" holds the review's note, for reference; "New update" is left
empty for the manager. On upload "New update" is the new review's note and "Previous update" is
recognised but not imported (the action's history already has it, in the review it came from).
A row whose "New update" is left blank imports with no note: the action was not updated.

Statuses: one word per status in the plan's own vocabulary (the word its tracker used most, e.g.
Green/Amber/Red/Blue or On track/At risk/Off track/Complete), the same words in every cell and in
the drop-down, each read back as that status by rules.normalise_status; status cells are coloured
by conditional formatting, so the fill follows the word when the manager changes it, and the word
is always there (never colour alone).

Every other stored field the importer reads is written back as it was read (the timescale's own
wording, the revised date as a date, measures, partners and evidence when the plan has them), so
re-importing the file with its date changed gives the same actions with the same content. Text
that looks like a formula stays inert (export.write_inert).
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter

import pandas as pd
from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.datavalidation import DataValidation

from data_access.domain.rules import COMPLETE, GREEN, RED, STATUS_STYLE, UNKNOWN, normalise_status
from data_access.domain.wording import long_date
from data_access.papers.content import BoardContent, plain, records
from data_access.papers.excel_export import write_inert

TITLE_ROW, AS_AT_ROW, HELP_ROW, HEADER_ROW = 1, 2, 3, 5
NEW_UPDATE = "New update"
PREVIOUS_UPDATE = "Previous update"
RAG = (COMPLETE, GREEN, "amber", RED)
ROOM_TO_ADD = 200  # rows under the table that get the drop-down and colours too (for added actions)

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
    (PREVIOUS_UPDATE, "progress", 50),
]
OPTIONAL = {"partner", "measure", "evidence"}


def help_text(words: dict[str, str]) -> str:
    listed = ", ".join(words[s] for s in RAG[:-1]) + f" or {words[RAG[-1]]}"
    return (
        f"Write this quarter's progress in '{NEW_UPDATE}' (left blank, the action counts as not updated; "
        f"'{PREVIOUS_UPDATE}' is last quarter's note, kept for reference and not imported again). Change the "
        f"RAG status where it has changed ({listed}). Keep the Action ID column as it is: it is how each row "
        "is matched to its action. Change the date in line 2 to the date of this position."
    )


def status_vocabulary(actions: pd.DataFrame) -> dict[str, str]:
    """One word per status (complete, green, amber, red), in the plan's own vocabulary: the word its
    tracker used most for that status, when the importer reads that word back as that status; a
    status the review does not use gets the colour word (Blue, Green...) if the plan uses colour
    words, else the board's word (Complete, On track...)."""
    seen: dict[str, Counter] = {s: Counter() for s in RAG}
    for status, raw in zip(actions["status"].tolist(), actions["status_raw"].tolist(), strict=True):
        word = " ".join(plain(raw).split())
        if status in seen and word and len(word) <= 20 and '"' not in word and normalise_status(word) == status:
            seen[status][word] += 1
    used = {s: counts.most_common(1)[0][0] for s, counts in seen.items() if counts}
    colour_words = any(w.casefold() == STATUS_STYLE[s].rag_name.casefold() for s, w in used.items())
    words = {s: used.get(s) or (STATUS_STYLE[s].rag_name if colour_words else STATUS_STYLE[s].label) for s in RAG}
    if len({w.casefold() for w in words.values()}) < len(RAG):  # never two statuses under one word
        words = {s: STATUS_STYLE[s].label for s in RAG}
    return words


def _status_cell(row, words: dict[str, str]) -> str | None:
    """The status's word; no status keeps the tracker's own text (else the cell is left blank)."""
    if row["status"] in words:
        return words[row["status"]]
    raw = plain(row["status_raw"]).strip()
    return raw if raw and normalise_status(raw) == UNKNOWN else None


def _colour_statuses(sheet, cells: str, words: dict[str, str]) -> None:
    """Each status word's cells in its status colour, white bold text (the word stays: never colour
    alone). Conditional formatting, so the colour follows the word when the manager changes it."""
    for status, word in words.items():
        style = STATUS_STYLE[status]
        sheet.conditional_formatting.add(
            cells,
            CellIsRule(
                operator="equal",
                formula=[f'"{word}"'],
                fill=PatternFill(
                    "solid", fgColor=style.colour.lstrip("#").upper(), bgColor=style.colour.lstrip("#").upper()
                ),
                font=Font(color="FFFFFF", bold=True),
            ),
        )


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
    words = status_vocabulary(actions)
    sheet.cell(HELP_ROW, 1, help_text(words)).font = Font(italic=True)

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
                value = _status_cell(row, words)
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
    status_cells = f"{letter}{HEADER_ROW + 1}:{letter}{last_row + ROOM_TO_ADD}"
    choices = DataValidation(
        type="list",
        formula1='"' + ",".join(words[s] for s in RAG) + '"',  # the cells' own words
        allow_blank=True,
        showErrorMessage=False,  # a suggestion list: the importer also reads Red, G, Blue, Done...
    )
    choices.add(status_cells)
    sheet.add_data_validation(choices)
    _colour_statuses(sheet, status_cells, words)
    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 1)
    last_letter = sheet.cell(HEADER_ROW, len(headings)).column_letter
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{last_letter}{last_row}"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
