"""Actions out to a spreadsheet, for board papers and cabinet reports — with tracker text kept
inert. Text starting with = + - @ (or a tab or carriage return) is run as a formula by Excel
(CWE-1236, OWASP ASVS 1.2.10), so this is the one place that writes cells for people to open.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import pandas as pd

from data_access.rules import status_text

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

# (review_actions column, heading) in the order a board paper lists them.
EXPORT_COLUMNS = [
    ("key", "Action"),
    ("rec_ref", "Recommendation"),
    ("rec_text", "Recommendation text"),
    ("description", "Action"),
    ("lead", "Lead"),
    ("partner", "Partner agency"),
    ("due_raw", "Timescale (as written)"),
    ("effective_due", "Due date"),
    ("status", "Status"),
    ("overdue", "Overdue"),
    ("days_overdue", "Days overdue"),
    ("progress", "Progress update"),
    ("measure", "Measure of success"),
    ("evidence", "Evidence"),
]


def write_inert(cell, value):
    """Put `value` in an openpyxl `cell`; text Excel would run as a formula stays plain text
    (a string cell, exactly as written)."""
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        cell.data_type = "s"  # openpyxl would otherwise store '=...' as a formula
    return cell


def inert_csv_text(value):
    """CSV has no cell types: prefix a quote, as OWASP advises, so Excel shows the text."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def export_frame(actions: pd.DataFrame) -> pd.DataFrame:
    """review_actions rows as the table people receive: status in words, overdue as Yes/blank."""
    frame = actions.reindex(columns=[c for c, _ in EXPORT_COLUMNS]).copy()
    frame["status"] = frame["status"].map(status_text)
    frame["overdue"] = frame["overdue"].map({True: "Yes", False: ""})
    frame["days_overdue"] = frame["days_overdue"].astype(object).where(frame["days_overdue"].notna(), None)
    return frame.set_axis([heading for _, heading in EXPORT_COLUMNS], axis=1)


def actions_csv(actions: pd.DataFrame) -> bytes:
    """UTF-8 with a BOM (so Excel reads the £ and – correctly), every field inert."""
    frame = export_frame(actions)
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(frame.columns)
    for row in frame.itertuples(index=False):
        writer.writerow(["" if v is None or v is pd.NA else inert_csv_text(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def actions_xlsx(actions: pd.DataFrame, title: str) -> bytes:
    """One sheet: a title row, a header row (frozen, filterable), then one row per action."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    frame = export_frame(actions)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Actions"
    write_inert(sheet.cell(row=1, column=1), title).font = Font(bold=True, size=14)
    for col, heading in enumerate(frame.columns, start=1):
        write_inert(sheet.cell(row=3, column=col), heading).font = Font(bold=True)
    for r, row in enumerate(frame.itertuples(index=False), start=4):
        for col, value in enumerate(row, start=1):
            if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
                continue
            cell = write_inert(sheet.cell(row=r, column=col), value)
            if isinstance(value, dt.date):
                cell.number_format = "DD/MM/YYYY"  # UK day-first, as the trackers write it
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A4"
    sheet.auto_filter.ref = f"A3:{sheet.cell(row=3, column=len(frame.columns)).column_letter}{max(3, len(frame) + 3)}"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
