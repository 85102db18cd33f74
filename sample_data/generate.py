"""Draw the sample plans as real-looking council Excel trackers (sample_data/trackers/*.xlsx).

    python -m sample_data.generate           # (re)write the trackers and the Word action plan
    python -m sample_data.generate --check   # exit 1 if the committed trackers differ from a fresh build

One plan's first review is also written as the Word action plan a council publishes
(sample_data/documents/*.docx: a table per recommendation, RAG as cell shading); it is not seeded
(the seed reads trackers/ only, and the same review is already there), but imports as that review.

Each plan has its own layout (sample_data/layouts.py): title rows, merged or first-row-only
recommendations, RAG as text or as fill colour only, a Key footnote or a Key sheet, one file per
review or one sheet per review. `--check` compares what a reader sees (values, types, merges,
fills), not bytes; the bytes are made stable anyway (fixed document and zip timestamps) so that
re-generating does not churn git.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import sys
import zipfile
from collections.abc import Iterable
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.xml.functions import tostring

from data_access.domain.rules import DAY, UNKNOWN
from data_access.domain.tracker_rows import ReviewSnapshot, TrackerRow
from data_access.papers.excel_export import write_inert
from sample_data.layouts import FIRST_ROW, KEY_MEANINGS, LAYOUTS, MERGED, Layout
from sample_data.plans import MEASURE_SHEETS, MeasureSheet, SamplePlan, build_plans

TRACKERS_DIR = Path(__file__).resolve().parent / "trackers"
DOCUMENTS_DIR = Path(__file__).resolve().parent / "documents"
# slug -> the Word action plan holding that plan's first review
WORD_PLANS = {"north-tyneside-2017": "north-tyneside-post-inspection-action-plan-2017-09-30.docx"}
FIXED_TIME = dt.datetime(2019, 4, 1, 9, 0, 0)  # document created/modified, and zip entry times
KEY_SHEET = "Key"

# Text starting with one of these is a formula to Excel (or to a CSV/Sheets export of the cell).

WIDTHS = {
    "rec_ref": 6,
    "rec_text": 48,
    "action_id": 9,
    "description": 45,
    "lead": 28,
    "partner": 26,
    "timescale": 14,
    "measure": 34,
    "status": 12,
    "progress": 48,
    "change_approved_by": 24,
    "signoff_raw": 10,
}
THIN = Side(style="thin", color="FF808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="FFD9D9D9")
WRAP = Alignment(wrap_text=True, vertical="top")


# ---------------------------------------------------------------------------
# Drawing
# ---------------------------------------------------------------------------


def _field_value(row: TrackerRow, field: str):
    if field == "timescale":
        ts = row.timescale
        # A day date is a real Excel date cell; months, quarters and words stay as typed.
        return ts.due if ts.precision == DAY and ts.due else ts.raw
    return getattr(row, field)


def _draw_review(ws: Worksheet, layout: Layout, plan_name: str, review: ReviewSnapshot) -> None:
    for offset, title in enumerate(layout.title_lines(plan_name, review.as_at)):
        cell = write_inert(ws.cell(row=1 + offset, column=1), title)
        cell.font = Font(bold=True, size=14 if offset == 0 else 12)

    fields = [field for _, field in layout.columns]
    for col, (heading, field) in enumerate(layout.columns, start=1):
        cell = write_inert(ws.cell(row=layout.header_row, column=col), heading)
        cell.font, cell.fill, cell.border, cell.alignment = Font(bold=True), HEADER_FILL, BORDER, WRAP
        ws.column_dimensions[get_column_letter(col)].width = WIDTHS[field]

    groups: list[tuple[int, int]] = []  # first and last Excel row of each recommendation
    for index, row in enumerate(review.rows):
        excel_row = layout.first_data_row + index
        assert row.source_row == excel_row, "plans.py and layouts.py disagree about row numbers"
        first_of_rec = index == 0 or review.rows[index - 1].rec_ref != row.rec_ref
        if first_of_rec:
            groups.append((excel_row, excel_row))
        else:
            groups[-1] = (groups[-1][0], excel_row)
        for col, field in enumerate(fields, start=1):
            cell = ws.cell(row=excel_row, column=col)
            cell.border, cell.alignment = BORDER, WRAP
            if field in ("rec_ref", "rec_text") and layout.rec_mode in (MERGED, FIRST_ROW) and not first_of_rec:
                continue
            if field == "status":
                _draw_status(cell, layout, row)
                continue
            value = _field_value(row, field)
            write_inert(cell, value)
            if isinstance(value, dt.date):
                cell.number_format = layout.date_format

    if layout.rec_mode == MERGED:
        for first, last in groups:
            if last > first:
                for col, field in enumerate(fields, start=1):
                    if field in ("rec_ref", "rec_text"):
                        ws.merge_cells(start_row=first, start_column=col, end_row=last, end_column=col)

    if layout.key_footnote:
        _draw_key(ws, layout, layout.first_data_row + len(review.rows) + 1)
    ws.freeze_panes = ws.cell(row=layout.first_data_row, column=1)


def _draw_status(cell, layout: Layout, row: TrackerRow) -> None:
    if row.status == UNKNOWN:
        return  # a blank RAG cell: nobody rated it this quarter
    if layout.status_words is not None:
        write_inert(cell, row.status_raw)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="top")
    cell.fill = PatternFill("solid", fgColor=layout.fills[row.status])


def _draw_key(ws: Worksheet, layout: Layout, first_row: int) -> None:
    """A legend: 'Key' then one coloured cell and its meaning per status."""
    write_inert(ws.cell(row=first_row, column=1), "Key").font = Font(bold=True)
    for offset, (status, meaning) in enumerate(KEY_MEANINGS.items(), start=1):
        swatch = ws.cell(row=first_row + offset, column=1)
        swatch.fill = PatternFill("solid", fgColor=layout.fills[status])
        swatch.border = BORDER
        write_inert(ws.cell(row=first_row + offset, column=2), meaning)


def _draw_key_sheet(ws: Worksheet, layout: Layout) -> None:
    write_inert(ws.cell(row=1, column=1), "Key").font = Font(bold=True, size=14)
    for col, heading in enumerate(("RAG", "Meaning"), start=1):
        write_inert(ws.cell(row=3, column=col), heading).font = Font(bold=True)
    for offset, (status, meaning) in enumerate(KEY_MEANINGS.items(), start=4):
        cell = write_inert(ws.cell(row=offset, column=1), layout.status_words[status])
        cell.fill = PatternFill("solid", fgColor=layout.fills[status])
        write_inert(ws.cell(row=offset, column=2), meaning)
    ws.column_dimensions["B"].width = 60


def _new_workbook() -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.creator = "Improvement Board sample data"
    wb.properties.created = wb.properties.modified = FIXED_TIME
    return wb


def build_workbooks(plans: Iterable[SamplePlan] | None = None) -> dict[str, Workbook]:
    """File name -> workbook for every tracker of every plan."""
    books: dict[str, Workbook] = {}
    for plan in build_plans() if plans is None else plans:
        layout = LAYOUTS[plan.layout]
        for review in plan.reviews:
            name = plan.tracker_file(review)
            wb = books.setdefault(name, _new_workbook())
            ws = wb.create_sheet(review.sheet or "Action Plan")
            _draw_review(ws, layout, plan.info.name, review)
        if layout.key_sheet:
            _draw_key_sheet(books[plan.tracker_file(plan.reviews[-1])].create_sheet(KEY_SHEET), layout)
        if plan.slug in MEASURE_SHEETS:
            sheet = MEASURE_SHEETS[plan.slug]
            _draw_measures(books[plan.tracker_file(plan.reviews[-1])].create_sheet(sheet.name), sheet)
    return books


def _draw_measures(ws: Worksheet, sheet: MeasureSheet) -> None:
    """A measures of success table: a title, the headings (a date heading shown as a month), one
    row per indicator (percent columns formatted 0%), then the notes under the table."""
    write_inert(ws.cell(row=1, column=1), sheet.title).font = Font(bold=True, size=14)
    for col, heading in enumerate(sheet.headings, start=1):
        cell = write_inert(ws.cell(row=3, column=col), heading)
        cell.font, cell.fill, cell.border, cell.alignment = Font(bold=True), HEADER_FILL, BORDER, WRAP
        if isinstance(heading, dt.date):
            cell.number_format = "mmm-yy"
        ws.column_dimensions[get_column_letter(col)].width = 48 if col == 1 else 11
    for index, row in enumerate(sheet.rows):
        for c, value in enumerate(row):
            cell = write_inert(ws.cell(row=4 + index, column=c + 1), value)
            cell.border = BORDER
            if index in sheet.percent_rows and isinstance(value, (int, float)):
                cell.number_format = "0%"
    for offset, note in enumerate(sheet.notes, start=len(sheet.rows) + 5):
        write_inert(ws.cell(row=offset, column=1), note).font = Font(italic=True)


def workbook_bytes(wb: Workbook) -> bytes:
    """The .xlsx bytes with fixed zip timestamps, so the same workbook always gives the same bytes."""
    raw = io.BytesIO()
    wb.save(raw)
    wb.properties.modified = FIXED_TIME  # openpyxl stamps 'now' on save; put the fixed time back
    return _stable_zip(raw.getvalue(), {"docProps/core.xml": tostring(wb.properties.to_tree())})


def _stable_zip(raw: bytes, replace: dict[str, bytes] | None = None) -> bytes:
    """The zip with every entry's time set to FIXED_TIME (and parts in `replace` swapped in)."""
    stable = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as src, zipfile.ZipFile(stable, "w") as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, (replace or {}).get(info.filename) or src.read(info.filename))
    return stable.getvalue()


def word_plan_bytes(plan: SamplePlan) -> bytes:
    """The plan's first review as a council's Word action plan: the plan's name as the title, the
    review date as 'Position as at …', then one table per recommendation under a heading naming
    it, the RAG cell shaded in the layout's colours (no text)."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    layout = LAYOUTS[plan.layout]
    # The tracker's own columns, less the recommendation's: each table sits under its heading.
    columns = [(heading, field) for heading, field in layout.columns if field not in ("rec_ref", "rec_text")]
    review = plan.reviews[0]
    document = docx.Document()
    props = document.core_properties
    props.title, props.author, props.last_modified_by = plan.info.name, "Improvement Board sample data", ""
    props.created = props.modified = props.last_printed = FIXED_TIME
    props.revision = 1
    document.add_paragraph(plan.info.name, style="Title")
    document.add_paragraph(f"Position as at {review.as_at.day} {review.as_at:%B %Y}")
    by_rec: dict[str, list[TrackerRow]] = {}
    for row in review.rows:
        by_rec.setdefault(row.rec_ref, []).append(row)
    for ref, rows in by_rec.items():
        document.add_heading(f"Recommendation {ref}: {rows[0].rec_text}", level=2)
        table = document.add_table(rows=1, cols=len(columns))
        table.style = "Table Grid"
        for cell, (heading, _) in zip(table.rows[0].cells, columns, strict=True):
            cell.text = heading
        for row in rows:
            cells = table.add_row().cells
            for cell, (_, field) in zip(cells, columns, strict=True):
                if field == "status":
                    colour = layout.fills.get(row.status)
                    if colour:
                        shd = OxmlElement("w:shd")
                        shd.set(qn("w:val"), "clear")
                        shd.set(qn("w:color"), "auto")
                        shd.set(qn("w:fill"), colour[-6:])
                        cell._tc.get_or_add_tcPr().append(shd)
                    continue
                value = _field_value(row, field)
                if isinstance(value, dt.date):
                    value = f"{value:%d/%m/%Y}"
                cell.text = "" if value is None else str(value)
    raw = io.BytesIO()
    document.save(raw)
    return _stable_zip(raw.getvalue())


def build_word_plans(plans: Iterable[SamplePlan] | None = None) -> dict[str, bytes]:
    """File name -> .docx bytes for the plans in WORD_PLANS."""
    return {
        WORD_PLANS[plan.slug]: word_plan_bytes(plan)
        for plan in (build_plans() if plans is None else plans)
        if plan.slug in WORD_PLANS
    }


def generate(directory: Path = TRACKERS_DIR, documents: Path = DOCUMENTS_DIR) -> list[Path]:
    """Write every tracker into `directory` and the Word action plans into `documents`; return the
    paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, wb in sorted(build_workbooks().items()):
        path = directory / name
        path.write_bytes(workbook_bytes(wb))
        written.append(path)
    documents.mkdir(parents=True, exist_ok=True)
    for name, data in sorted(build_word_plans().items()):
        path = documents / name
        path.write_bytes(data)
        written.append(path)
    return written


# ---------------------------------------------------------------------------
# Checking
# ---------------------------------------------------------------------------


def _fill(cell) -> str | None:
    fill = cell.fill
    if fill is None or fill.fill_type != "solid":
        return None
    return str(fill.fgColor.rgb)


def _sheet_facts(ws: Worksheet) -> dict:
    cells = {}
    for row in ws.iter_rows():
        for cell in row:
            fill = _fill(cell)
            if cell.value is not None or fill:
                value = cell.value
                if isinstance(value, dt.datetime):
                    value = value.date()
                cells[cell.coordinate] = (value, cell.data_type, fill)
    return {"cells": cells, "merged": sorted(str(r) for r in ws.merged_cells.ranges)}


def _compare(name: str, expected, actual) -> list[str]:
    problems = []
    if expected.sheetnames != actual.sheetnames:
        return [f"{name}: sheets {actual.sheetnames} != expected {expected.sheetnames}"]
    for sheet in expected.sheetnames:
        want, got = _sheet_facts(expected[sheet]), _sheet_facts(actual[sheet])
        if want["merged"] != got["merged"]:
            problems.append(f"{name} [{sheet}]: merged cells {got['merged']} != expected {want['merged']}")
        for coord in sorted(set(want["cells"]) | set(got["cells"])):
            if want["cells"].get(coord) != got["cells"].get(coord):
                problems.append(
                    f"{name} [{sheet}] {coord}: {got['cells'].get(coord)!r} != expected {want['cells'].get(coord)!r}"
                )
    return problems


def check(directory: Path = TRACKERS_DIR) -> list[str]:
    """Differences between the trackers in `directory` and a fresh generation ([] when they match)."""
    fresh = build_workbooks()
    present = {p.name for p in directory.glob("*.xlsx")}
    problems = [f"{name}: missing (run python -m sample_data.generate)" for name in sorted(set(fresh) - present)]
    problems += [f"{name}: not produced by the generator" for name in sorted(present - set(fresh))]
    for name in sorted(set(fresh) & present):
        expected = load_workbook(io.BytesIO(workbook_bytes(fresh[name])))
        actual = load_workbook(directory / name)
        problems += _compare(name, expected, actual)
    return problems


def check_documents(directory: Path = DOCUMENTS_DIR) -> list[str]:
    """Word action plans in `directory` that differ from a fresh generation, byte for byte."""
    problems = []
    for name, data in sorted(build_word_plans().items()):
        path = directory / name
        if not path.exists():
            problems.append(f"{name}: missing (run python -m sample_data.generate)")
        elif path.read_bytes() != data:
            problems.append(f"{name}: differs from a fresh generation (run python -m sample_data.generate)")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sample_data.generate", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="verify the committed trackers match a fresh build")
    parser.add_argument("--dir", type=Path, default=TRACKERS_DIR, help="tracker folder (default: %(default)s)")
    parser.add_argument(
        "--documents", type=Path, default=None, help="Word plan folder (default: sample_data/documents, or --dir)"
    )
    args = parser.parse_args(argv)
    documents = args.documents or (DOCUMENTS_DIR if args.dir == TRACKERS_DIR else args.dir)
    if args.check:
        problems = check(args.dir) + check_documents(documents)
        for problem in problems[:50]:
            print(problem, file=sys.stderr)
        if problems:
            print(f"{len(problems)} difference(s); run python -m sample_data.generate", file=sys.stderr)
            return 1
        print(f"Trackers in {args.dir} match the generator.")
        return 0
    for path in generate(args.dir, documents):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
