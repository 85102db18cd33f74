"""The used range is measured from the file before any reader builds a grid (issue 13 item 1),
and the grid says which rows are hidden or filtered out (issue 9 item 5, reading side).

These run in this process on purpose: without the used-range check, the far-cell files abort the
test process itself (python-calamine tries to allocate 512 GB), so a missing check cannot pass.
"""

from __future__ import annotations

import io
import zipfile
from unittest import mock

import openpyxl
import pytest
import python_calamine
import xlwt

from data_access.importer import ImportRefused, Limits, read_tracker
from data_access.importer.reading.used_range import scan_ods, scan_xls, scan_xlsx
from data_access.importer.reading.workbook import read_grids
from tests.data_access.importer import hostile


class _NoGridReader:
    """Stands in for python-calamine's workbook: a refusal must come before any grid is built."""

    @staticmethod
    def from_filelike(*_args, **_kwargs):
        raise AssertionError("a reader was opened: the used range was not checked first")


def refused(data: bytes, name: str, *, before_reading: bool = True, **kw) -> str:
    """The refusal's sentence; with before_reading, it must come before any reader is opened."""
    reader = _NoGridReader if before_reading else python_calamine.CalamineWorkbook
    with mock.patch.object(python_calamine, "CalamineWorkbook", reader), pytest.raises(ImportRefused) as info:
        read_tracker(data, name, **kw)
    message = str(info.value)
    assert message.startswith(name) and message.endswith("."), message
    return message


@pytest.mark.parametrize(
    "ref,words",
    [
        ("XFD1048576", "1,048,576 rows (its furthest cell is XFD1048576 on sheet 'Plan')"),
        ("A1048576", "1,048,576 rows (its furthest cell is A1048576"),
        ("XFD1", "out to column XFD (its furthest cell is XFD1"),
        ("AZ99999", "99,999 rows by 52 columns"),
    ],
)
def test_far_cell_is_refused_before_any_grid(ref, words):
    data = hostile.far_cell(ref)
    assert len(data) < 2_500  # "A1 + XFD1048576 in 2 KB"
    assert words in refused(data, "far.xlsx")


def test_a_dimension_that_lies_small_does_not_hide_the_far_cell():
    data = hostile.far_cell("XFD1048576", dimension="A1:F4")
    assert scan_xlsx(data)["Plan"].declared == "A1:F4"
    assert "XFD1048576" in refused(data, "liar.xlsx")


def test_a_dimension_that_lies_big_is_not_trusted_either():
    """Readers build from the cells present, so a huge declared range over a small table is read."""
    data = hostile.tracker(dimension="A1:XFD1048576")
    extent = scan_xlsx(data)["Plan"]
    assert extent.declared == "A1:XFD1048576" and extent.far_cell is None
    assert len(read_tracker(data, "big-dimension.xlsx").reviews[0].rows) == 3


def test_an_empty_styled_cell_far_out_is_ignored_as_readers_ignore_it():
    data = hostile.far_cell("XFD1048576", styled_only=True)
    assert len(read_tracker(data, "styled.xlsx").reviews[0].rows) == 3


def test_cells_without_references_are_counted_by_position():
    assert len(read_tracker(hostile.tracker(with_refs=False), "norefs.xlsx").reviews[0].rows) == 3
    message = refused(hostile.far_cell_without_refs(), "positions.xlsx")
    assert "out to column XFD" in message


def test_namespace_prefixed_sheet_xml_is_measured_too():
    assert len(read_tracker(hostile.tracker(prefix="x"), "prefixed.xlsx").reviews[0].rows) == 3
    rows = hostile.tracker_rows_xml(prefix="x") + '<x:row r="1048576"><x:c r="XFD1048576"><x:v>1</x:v></x:c></x:row>'
    data = hostile.package(hostile.sheet(rows, prefix="x"))
    assert "XFD1048576" in refused(data, "prefixed-far.xlsx")


def test_row_limit_from_the_used_range():
    rows = hostile.tracker_rows_xml() + '<row r="150000"><c r="A150000"><v>1</v></c></row>'
    message = refused(hostile.package(hostile.sheet(rows)), "long.xlsx")
    assert "150,000 rows" in message and "limit of 100,000 rows" in message


def test_many_sheets_together_are_bounded():
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for n in range(5):
        ws = wb.create_sheet(f"S{n}")
        ws["A1"], ws["Z99999"] = "Ref", "x"  # 2.6 million cells each: allowed alone
    out = io.BytesIO()
    wb.save(out)
    # Cells within Z99999 are not counted one by one before reading (each sheet is safe alone),
    # so the file's total is refused while reading, sheet by sheet, before the last is built.
    assert "over its sheets" in refused(out.getvalue(), "sheets.xlsx", before_reading=False)


def test_xls_far_cell_is_refused_from_its_records():
    book = xlwt.Workbook()
    ws = book.add_sheet("Plan")
    ws.write(0, 0, "Ref")
    ws.write(65535, 255, "x")  # IV65536: 16.7 million cells
    out = io.BytesIO()
    book.save(out)
    assert scan_xls(out.getvalue())["Plan"].far_cell == "IV65536"
    assert "IV65536" in refused(out.getvalue(), "far.xls")


def _ods(content_rows: str, tables: str | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        zf.writestr(
            "content.xml",
            '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
            'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>'
            + (tables or f'<table:table table:name="Plan">{content_rows}</table:table>')
            + "</office:spreadsheet></office:body></office:document-content>",
        )
        zf.writestr(
            "META-INF/manifest.xml",
            '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>',
        )
    return out.getvalue()


def test_ods_value_repeated_far_out_is_refused():
    cell = '<table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell>'
    far = (
        '<table:table-row table:number-rows-repeated="1048576">'
        '<table:table-cell table:number-columns-repeated="16384" office:value-type="string"><text:p>x</text:p>'
        "</table:table-cell></table:table-row>"
    )
    data = _ods(f"<table:table-row>{cell}</table:table-row>{far}")
    assert scan_ods(data)["Plan"].far_cell == "XFD1048577"
    assert "XFD1048577" in refused(data, "far.ods")


def test_ods_empty_padding_is_not_counted():
    """LibreOffice pads each row to 16,384 empty cells and the sheet to 1,048,576 empty rows."""
    data = _ods(
        '<table:table-row><table:table-cell office:value-type="string"><text:p>Ref</text:p></table:table-cell>'
        '<table:table-cell table:number-columns-repeated="16383"/></table:table-row>'
        '<table:table-row table:number-rows-repeated="1048575"><table:table-cell '
        'table:number-columns-repeated="16384"/></table:table-row>'
    )
    extent = scan_ods(data)["Plan"]
    assert (extent.rows, extent.columns) == (1, 1)


# ---------------------------------------------------------------------------
# Hidden and filtered-out rows: Grid.hidden_rows (0-based, as Grid.rows)
# ---------------------------------------------------------------------------


def test_hidden_rows_of_hand_written_xlsx():
    grid = read_grids(hostile.tracker(hidden={3}), "xlsx", "h.xlsx", Limits())[0]
    assert grid.hidden_rows == {2}
    grid = read_grids(hostile.tracker(hidden={2, 4}, with_refs=False), "xlsx", "h.xlsx", Limits())[0]
    assert grid.hidden_rows == {1, 3}


def test_hidden_false_is_not_hidden():
    """LibreOffice writes hidden="false" on every row."""
    rows = hostile.tracker_rows_xml().replace('<row r="2">', '<row r="2" hidden="false">')
    grid = read_grids(hostile.package(hostile.sheet(rows)), "xlsx", "h.xlsx", Limits())[0]
    assert grid.hidden_rows == set()


def test_hidden_rows_of_openpyxl_and_xlwt_files():
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in [hostile.HEADER, *hostile.ROWS]:
        ws.append(row)
    ws.row_dimensions[3].hidden = True
    out = io.BytesIO()
    wb.save(out)
    assert read_grids(out.getvalue(), "xlsx", "h.xlsx", Limits())[0].hidden_rows == {2}

    book = xlwt.Workbook()
    sheet = book.add_sheet("Plan")
    for r, row in enumerate([hostile.HEADER, *hostile.ROWS]):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    sheet.row(3).hidden = True
    out = io.BytesIO()
    book.save(out)
    assert read_grids(out.getvalue(), "xls", "h.xls", Limits())[0].hidden_rows == {3}


def test_an_ods_with_thousands_of_sheets_is_refused_before_they_are_walked():
    tables = "".join(f'<table:table table:name="S{n}"><table:table-row/></table:table>' for n in range(1_500))
    data = _ods("", tables)
    assert "has more than 1,000 sheets" in refused(data, "sheets.ods")
