"""Actions out to a spreadsheet, for board papers and cabinet reports — with tracker text kept
inert. Text starting with = + - @ (or a tab or carriage return) is run as a formula by Excel
(CWE-1236, OWASP ASVS 1.2.10), so this is the one place that writes cells for people to open.
Text is cleaned by the one rule for text (domain/clean_text) as it is written, so a control
character stored by an older version never stops the file; in the actions sheet each text field
is also isolated (domain/clean_text.isolate), so a right-to-left override stays inside its cell.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import pandas as pd

from data_access.domain.clean_text import clean_text, for_paper, isolate
from data_access.domain.rules import STATUS_STYLE, status_text

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

# (review_actions column, heading, width in characters) in the order a board paper lists them.
# Headings are unique, so a filter or a pivot table can tell every column apart.
EXPORT_COLUMNS = [
    ("key", "Action ID", 10),
    ("rec_ref", "Recommendation", 15),
    ("rec_text", "Recommendation text", 45),
    ("description", "Action", 50),
    ("lead", "Lead", 24),
    ("partner", "Partner agency", 20),
    ("due_raw", "Timescale (as written)", 18),
    ("effective_due", "Due date", 12),
    ("moved_unapproved", "Date moved without approval", 12),
    ("status", "Status", 15),
    ("overdue", "Overdue", 9),
    ("days_overdue", "Days overdue", 9),
    ("progress", "Progress update", 50),
    ("measure", "Measure of success", 35),
    ("evidence", "Evidence", 35),
]
TITLE_ROW, HEADER_ROW = 1, 3


def write_inert(cell, value):
    """Put `value` in an openpyxl `cell`; text is cleaned by domain/clean_text (no cell refuses
    it), and text Excel would run as a formula stays plain text (a string cell, as written)."""
    if isinstance(value, str):
        value = clean_text(value)
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        cell.data_type = "s"  # openpyxl would otherwise store '=...' as a formula
    return cell


def inert_csv_text(value):
    """CSV has no cell types: prefix a quote, as OWASP advises, so Excel shows the text. Text is
    cleaned by domain/clean_text first."""
    if isinstance(value, str):
        value = clean_text(value)
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def export_frame(actions: pd.DataFrame) -> pd.DataFrame:
    """review_actions rows as the table people receive: status in words, overdue as Yes/blank."""
    frame = actions.reindex(columns=[c for c, _, _ in EXPORT_COLUMNS]).copy()
    frame["status"] = frame["status"].map(status_text)
    frame["overdue"] = frame["overdue"].map({True: "Yes", False: ""})
    moved = frame["moved_unapproved"].fillna(False).astype(bool)  # absent in an older frame: not flagged
    frame["moved_unapproved"] = moved.map({True: "Yes", False: ""})
    frame["days_overdue"] = frame["days_overdue"].astype(object).where(frame["days_overdue"].notna(), None)
    frame["effective_due"] = [_date_or_none(v) for v in frame["effective_due"]]
    return frame.set_axis([heading for _, heading, _ in EXPORT_COLUMNS], axis=1)


def _date_or_none(value) -> dt.date | None:
    if value is None or value is pd.NaT or (not isinstance(value, dt.date) and pd.isna(value)):
        return None
    return pd.Timestamp(value).date()


def actions_csv(actions: pd.DataFrame) -> bytes:
    """UTF-8 with a BOM (so Excel reads the £ and – correctly), every field inert."""
    frame = export_frame(actions)
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(frame.columns)
    for row in frame.itertuples(index=False):
        writer.writerow(["" if v is None or v is pd.NA else inert_csv_text(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def actions_xlsx(actions: pd.DataFrame, title: str, decisions: list[list] | None = None) -> bytes:
    """One sheet: a title row, then a frozen, filterable header row and one row per action.
    Columns have widths (no '###' dates), dates are real dates shown day-first, counts are
    numbers, and each status cell is filled with its colour and carries symbol, letter and word.
    `decisions`: the rows of a second sheet, "For decision" (for_decision_sheet_rows)."""
    workbook = _actions_workbook(actions, title)
    if decisions is not None:
        _decision_sheet(workbook, decisions)
    return _saved(workbook)


def _saved(workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _actions_workbook(actions: pd.DataFrame, title: str):
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    frame = export_frame(actions)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Actions"
    write_inert(sheet.cell(row=TITLE_ROW, column=1), title).font = Font(bold=True, size=14)
    header_fill = PatternFill("solid", fgColor="F3F2F1")
    for col, (_, heading, width) in enumerate(EXPORT_COLUMNS, start=1):
        cell = write_inert(sheet.cell(row=HEADER_ROW, column=col), heading)
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[cell.column_letter].width = width
    statuses = list(actions["status"]) if "status" in actions else []
    status_col = [c for c, _, _ in EXPORT_COLUMNS].index("status") + 1
    for r, row in enumerate(frame.itertuples(index=False), start=HEADER_ROW + 1):
        for col, value in enumerate(row, start=1):
            if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
                continue
            if isinstance(value, str):
                value = isolate(clean_text(value))
            cell = write_inert(sheet.cell(row=r, column=col), value)
            if isinstance(value, dt.date):
                cell.number_format = "DD/MM/YYYY"  # UK day-first, as the trackers write it
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        status = statuses[r - HEADER_ROW - 1] if statuses else None
        if status in STATUS_STYLE:
            cell = sheet.cell(row=r, column=status_col)
            cell.fill = PatternFill("solid", fgColor=STATUS_STYLE[status].colour.lstrip("#").upper())
            cell.font = Font(bold=True, color="FFFFFF")  # white on every status fill is >= 4.5:1
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=1)
    last = sheet.cell(row=HEADER_ROW, column=len(EXPORT_COLUMNS)).column_letter
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{last}{max(HEADER_ROW + 1, len(frame) + HEADER_ROW)}"
    return workbook


def _decision_sheet(workbook, rows: list[list]) -> None:
    """The "For decision" sheet: tracker text inert like every other cell, section titles bold."""
    from openpyxl.styles import Alignment, Font

    sheet = workbook.create_sheet(FOR_DECISION_SHEET)
    for width, letter in zip((12, 14, 45, 45, 22), "ABCDE", strict=True):
        sheet.column_dimensions[letter].width = width
    for r, values in enumerate(rows, start=1):
        for col, value in enumerate(values, start=1):
            cell = write_inert(sheet.cell(row=r, column=col), isolate(clean_text(value)) if value else value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        if len(values) == 1 and (r == 1 or not rows[r - 2]):
            sheet.cell(row=r, column=1).font = Font(bold=True, size=12)


def board_actions_xlsx(content) -> bytes:
    """A review's actions (papers.content.BoardContent) as Excel, titled with the plan, the review
    and the date overdue is counted at; a Measures sheet when the plan has measures of success."""
    from data_access.domain.wording import judged_note, long_date

    title = (
        f"{content.plan_name}: actions at {content.review.label} (position as at "
        f"{long_date(content.review.as_at)}), overdue as at {long_date(content.as_of)}." + judged_note(content.baseline)
    )
    workbook = _actions_workbook(content.actions, title)
    _decision_sheet(workbook, for_decision_sheet_rows(content))
    if content.measures:
        measures_sheet(
            workbook,
            content.measures,
            f"{content.plan_name}: measures of success as at {long_date(content.review.as_at)}",
        )
    return _saved(workbook)


# --- measures of success (issue 24) ---------------------------------------------------------------

# (heading, width in characters): one row per measure and period.
MEASURE_COLUMNS = [
    ("Measure", 45),
    ("Unit", 8),
    ("Better", 9),
    ("Recommendations", 16),
    ("Period ending", 13),
    ("Value", 10),
    ("Target", 10),
    ("At target", 10),
]


def measure_point_rows(measures) -> list[list]:
    """Every point of every measure (reads.measures.Measure, in plan order, periods in order): name,
    unit, which way is better, its recommendations, the period's end (a date), value and the target
    in force (numbers, or None for no value), and Met / Not met / No data in words."""
    return [
        [m.name, m.unit, m.better, ", ".join(m.recommendations), h.period_end, h.value, h.target, h.word]
        for m in measures
        for h in m.history
    ]


def measures_sheet(workbook, measures, title: str):
    """A 'Measures' sheet: a title row, a frozen, filterable header row, then one row per point.
    Values and targets are numbers (a percentage as 78 with unit '%'), dates real dates shown
    day-first, and text is inert and isolated as in the actions sheet."""
    from openpyxl.styles import Alignment, Font, PatternFill

    sheet = workbook.create_sheet("Measures")
    write_inert(sheet.cell(row=TITLE_ROW, column=1), title).font = Font(bold=True, size=14)
    header_fill = PatternFill("solid", fgColor="F3F2F1")
    for col, (heading, width) in enumerate(MEASURE_COLUMNS, start=1):
        cell = write_inert(sheet.cell(row=HEADER_ROW, column=col), heading)
        cell.font, cell.fill = Font(bold=True), header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[cell.column_letter].width = width
    rows = measure_point_rows(measures)
    for r, row in enumerate(rows, start=HEADER_ROW + 1):
        for col, value in enumerate(row, start=1):
            if value is None or value == "":
                continue
            if isinstance(value, str):
                value = isolate(clean_text(value))
            cell = write_inert(sheet.cell(row=r, column=col), value)
            if isinstance(value, dt.date):
                cell.number_format = "DD/MM/YYYY"
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=1)
    last = sheet.cell(row=HEADER_ROW, column=len(MEASURE_COLUMNS)).column_letter
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{last}{max(HEADER_ROW + 1, len(rows) + HEADER_ROW)}"
    return sheet


FOR_DECISION_SHEET = "For decision"


def for_decision_sheet_rows(content) -> list[list]:
    """The "For decision" sheet (issue 25): each section's title, what the board is asked, its header
    and rows (papers.content.for_decision), a blank row between sections."""
    rows: list[list] = []
    for section in content.decision_sections():
        rows += [[section.title], [section.asked], list(section.header)]
        rows += [list(row) for row in section.rows] or [[section.empty]]
        rows.append([])
    return rows


def portfolio_xlsx(portfolio) -> bytes:
    """Every plan's headline figures as typed numbers, one row per plan."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    from data_access.domain import movement_rules
    from data_access.domain.rules import STATUS_STYLE, STATUSES
    from data_access.domain.wording import judged_note, long_date

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Portfolio"
    write_inert(
        sheet.cell(1, 1),
        f"Portfolio: every action plan, overdue as at {long_date(portfolio.as_of)}." + judged_note(portfolio.baseline),
    )
    sheet.cell(1, 1).font = Font(bold=True, size=14)
    headings = [
        ("Plan", 50),
        ("Latest review", 14),
        ("Position as at", 14),
        ("Actions", 9),
        ("% complete", 11),
        ("Change in % complete (percentage points)", 13),
        ("Red", 8),
        ("Change in red", 9),
        ("Overdue", 9),
        ("Change in overdue", 10),
        *((f"{STATUS_STYLE[s].symbol} {STATUS_STYLE[s].letter} {STATUS_STYLE[s].label}", 12) for s in STATUSES),
        ("Recommendations improving ↑", 14),
        ("Recommendations same →", 14),
        ("Recommendations worsening ↓", 14),
    ]
    fill = PatternFill("solid", fgColor="F3F2F1")
    for col, (heading, width) in enumerate(headings, start=1):
        cell = sheet.cell(3, col, heading)
        cell.font, cell.fill = Font(bold=True), fill
        sheet.column_dimensions[cell.column_letter].width = width
    for r, line in enumerate(portfolio.plans, start=4):
        h = line.headline
        values = [for_paper(line.plan_name)]
        if h is not None:
            values += [
                for_paper(line.review.label),
                line.review.as_at,
                h.actions,
                h.pct_complete,
                h.change("pct_complete"),
                h.red,
                h.change("red"),
                h.overdue,
                h.change("overdue"),
                *(h.status_counts[s] for s in STATUSES),
                *(
                    line.direction_count(d) if line.compare else None
                    for d in (movement_rules.IMPROVING, movement_rules.SAME, movement_rules.WORSENING)
                ),
            ]
        for col, value in enumerate(values, start=1):
            if value is not None:
                cell = write_inert(sheet.cell(r, col), value)
                if isinstance(value, dt.date):
                    cell.number_format = "DD/MM/YYYY"
    sheet.freeze_panes = "B4"
    sheet.auto_filter.ref = f"A3:{sheet.cell(3, len(headings)).column_letter}{3 + max(1, len(portfolio.plans))}"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
