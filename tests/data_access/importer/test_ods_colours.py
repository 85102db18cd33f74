"""OpenDocument cell colours read as RAG like .xlsx fills (issue 28 item 4), and a password-protected
.ods named as protected (item 6). The .ods files are built here by hand: the parts LibreOffice
writes, with the status only as each cell's automatic style's fo:background-color."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl
import pytest
from openpyxl.styles import PatternFill

from data_access.importer import ImportRefused, Limits, read_tracker
from data_access.importer.reading.workbook import FillReader, read_grids

HEADER = ["Rec No.", "Recommendation", "Action ID", "Action", "Lead Officer", "Timescale", "RAG Status"]
# (values, the status cell's colour); statuses by hand: status_from_fill's hues.
ROWS = [
    (["1", "Improve supervision", "1.1", "Monthly supervision audit", "Head of service", "31/03/2018"], "FF0000"),
    (["1", "Improve supervision", "1.2", "Train managers", "Principal social worker", "30/04/2018"], "FFC000"),
    (["1", "Improve supervision", "1.3", "Refresh the policy", "Head of service", "31/05/2018"], "00B050"),
    (["2", "Strengthen the front door", "2.1", "Co-locate police", "MASH manager", "30/06/2018"], "0070C0"),
    (["2", "Strengthen the front door", "2.2", "Threshold guidance", "MASH manager", "31/07/2018"], "7030A0"),
]
EXPECTED = {"1.1": "red", "1.2": "amber", "1.3": "green", "2.1": "complete", "2.2": "unknown"}
TITLE = "Children's services improvement plan – position as at 30 June 2018"

OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
NS = (
    f'xmlns:office="{OFFICE}" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.3"'
)
MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
    'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
    '<manifest:file-entry manifest:full-path="/" '
    'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"{extra}</manifest:manifest>'
)


def _cell(value: str, style: str | None = None) -> str:
    attr = f' table:style-name="{style}"' if style else ""
    return f'<table:table-cell{attr} office:value-type="string"><text:p>{value}</text:p></table:table-cell>'


def ods_bytes(rows_xml: str, *, styles: str = "", columns: str = "", encrypted: bool = False) -> bytes:
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {NS}><office:automatic-styles>{styles}'
        f'</office:automatic-styles><office:body><office:spreadsheet><table:table table:name="Plan">{columns}'
        f"{rows_xml}</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    extra = (
        '><manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="AAAA">'
        '<manifest:algorithm manifest:algorithm-name="Blowfish CFB" manifest:initialisation-vector="AAAA"/>'
        "</manifest:encryption-data></manifest:file-entry>"
        if encrypted
        else "/>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        zf.writestr("META-INF/manifest.xml", MANIFEST.format(extra=extra))
        zf.writestr("content.xml", b"\x8f\x12\x00garbage" if encrypted else content.encode())
    return out.getvalue()


def _style(name: str, colour: str) -> str:
    return (
        f'<style:style style:name="{name}" style:family="table-cell">'
        f'<style:table-cell-properties fo:background-color="#{colour.lower()}"/></style:style>'
    )


def colour_only_ods() -> bytes:
    styles = "".join(_style(f"ce{i}", colour) for i, (_, colour) in enumerate(ROWS, start=1))
    rows = "<table:table-row>" + _cell(TITLE) + "</table:table-row>"
    rows += "<table:table-row>" + "".join(_cell(h) for h in HEADER) + "</table:table-row>"
    for i, (values, _) in enumerate(ROWS, start=1):
        cells = "".join(_cell(v) for v in values) + f'<table:table-cell table:style-name="ce{i}"/>'
        rows += f"<table:table-row>{cells}</table:table-row>"
    return ods_bytes(rows, styles=styles)


def colour_only_xlsx() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Plan"
    ws.append([TITLE])
    ws.append(HEADER)
    for values, colour in ROWS:
        ws.append(values)
        ws.cell(row=ws.max_row, column=7).fill = PatternFill("solid", fgColor=colour)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _statuses(data: bytes, name: str) -> dict[str, str]:
    [review] = read_tracker(data, name).reviews
    return {r.action_id: r.status for r in review.rows}


def test_a_colour_only_ods_reads_its_statuses_as_the_same_sheet_as_xlsx_does():
    ods = colour_only_ods()
    [grid] = read_grids(ods, "ods", "plan.ods", Limits())  # calamine reads the hand-built file
    assert grid.rows[1][:3] == HEADER[:3] and grid.rows[2][2] == "1.1"
    assert _statuses(ods, "plan.ods") == EXPECTED
    assert _statuses(colour_only_xlsx(), "plan.xlsx") == EXPECTED
    parsed = read_tracker(ods, "plan.ods")
    [review] = parsed.reviews
    assert review.as_at == dt.date(2018, 6, 30)
    # The same refusal as .xlsx: a colour that is not RAG is named, on its row (Excel row 7).
    assert any(p.row == 7 and "coloured #7030A0, which is not a RAG colour" in p.message for p in review.problems)


def test_ods_colour_from_the_row_or_the_column_default_style_and_a_parent_style():
    styles = (
        _style("red", "FF0000")
        + _style("green", "00B050")
        + '<style:style style:name="child" style:family="table-cell" style:parent-style-name="green"/>'
        + '<style:style style:name="clear" style:family="table-cell">'
        '<style:table-cell-properties fo:background-color="transparent"/></style:style>'
    )
    # Column G (the 7th) defaults to red; a row defaults to green; a cell's own style wins over both.
    columns = (
        '<table:table-column table:number-columns-repeated="6"/>'
        '<table:table-column table:default-cell-style-name="red"/>'
    )
    rows = "<table:table-row>" + "".join(_cell(h) for h in HEADER) + "</table:table-row>"
    values = [v for v, _ in ROWS]
    rows += "<table:table-row>" + "".join(_cell(v) for v in values[0]) + "<table:table-cell/></table:table-row>"
    rows += (
        '<table:table-row table:default-cell-style-name="green">'
        + "".join(_cell(v) for v in values[1])
        + "<table:table-cell/></table:table-row>"
    )
    rows += (
        "<table:table-row>"
        + "".join(_cell(v) for v in values[2])
        + '<table:table-cell table:style-name="child"/></table:table-row>'
    )
    rows += (
        "<table:table-row>"
        + "".join(_cell(v) for v in values[3])
        + '<table:table-cell table:style-name="clear"/></table:table-row>'
    )
    ods = ods_bytes(rows, styles=styles, columns=columns)
    assert FillReader(ods, "ods").fills("Plan", [(1, 6), (2, 6), (3, 6), (4, 6)]) == {
        (1, 6): "FF0000",
        (2, 6): "00B050",
        (3, 6): "00B050",
        (4, 6): None,
    }
    assert _statuses(ods, "plan.ods") == {"1.1": "red", "1.2": "green", "1.3": "green", "2.1": "unknown"}


def test_repeated_rows_and_cells_keep_the_colours_in_place():
    styles = _style("amber", "FFC000")
    rows = "<table:table-row>" + "".join(_cell(h) for h in HEADER) + "</table:table-row>"
    # Two empty rows written once (repeated), then an action whose status cell follows six repeated cells.
    rows += '<table:table-row table:number-rows-repeated="2"><table:table-cell/></table:table-row>'
    rows += (
        '<table:table-row><table:table-cell table:number-columns-repeated="2"/>'
        + "".join(_cell(v) for v in ["1.1", "Train managers", "Head of service", "30/04/2018"])
        + '<table:table-cell table:style-name="amber"/></table:table-row>'
    )
    ods = ods_bytes(rows, styles=styles)
    assert FillReader(ods, "ods").fills("Plan", [(3, 6), (3, 5)]) == {(3, 6): "FFC000", (3, 5): None}


def test_a_password_protected_ods_is_named_as_protected_not_corrupt():
    with pytest.raises(ImportRefused) as info:
        read_tracker(ods_bytes("", encrypted=True), "plan.ods")
    assert str(info.value) == (
        "plan.ods is password-protected (encrypted); in LibreOffice use File > Save As with 'Save with password' "
        "unticked, and upload it again."
    )
