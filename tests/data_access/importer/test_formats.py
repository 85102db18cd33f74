"""Files as councils' own programs write them: OpenDocument, files saved by LibreOffice (formula
results stored), web pages and Excel 2003 XML saved with an .xls name (issue 9 item 7, issue 13
item 8). The lo-tracker.* files in files/ were saved by LibreOffice (see files/make_files.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from data_access.importer import ImportRefused, Limits, read_tracker
from data_access.importer.reading.safety import sniff
from data_access.importer.reading.workbook import read_grids

FILES = Path(__file__).resolve().parent / "files"
SAVED_BY_LIBREOFFICE = ["lo-tracker.ods", "lo-tracker.xlsx", "lo-tracker.xls"]


def refused(data: bytes, name: str) -> str:
    with pytest.raises(ImportRefused) as info:
        read_tracker(data, name)
    message = str(info.value)
    assert message.startswith(name) and message.endswith("."), message
    return message


@pytest.mark.parametrize("name", SAVED_BY_LIBREOFFICE)
def test_libreoffice_files_read_alike(name):
    data = (FILES / name).read_bytes()
    kind = sniff(data, name, Limits())
    assert kind == name.rsplit(".", 1)[1]
    [grid] = read_grids(data, kind, name, Limits())
    # The Total row's formulas arrive as their stored results: COUNTA 5, SUBTOTAL(103) 3 visible.
    assert grid.rows[9][:4] == ["Total actions", "", 5.0, 3.0]
    # The hidden row (1.2, Excel row 6) and the filtered-out row (2.2, row 9), 0-based.
    assert grid.hidden_rows == {5, 8}
    assert ((4, 0), (6, 0)) in grid.merges and ((4, 1), (6, 1)) in grid.merges

    [review] = read_tracker(data, name).reviews
    assert review.as_at == dt.date(2018, 6, 30)
    actions = {r.action_id: (r.rec_ref, r.status) for r in review.rows if r.action_id and "." in r.action_id}
    assert actions == {
        "1.1": ("1", "green"),
        "1.2": ("1", "amber"),  # merged recommendation carried down, hidden row still an action
        "1.3": ("1", "complete"),
        "2.1": ("2", "red"),
        "2.2": ("2", "green"),  # recommendation written on its first row only, row filtered out
    }
    assert any("£2,000" in (r.progress or "") for r in review.rows)


def test_ods_renamed_xlsx_is_named_as_opendocument():
    message = refused((FILES / "lo-tracker.ods").read_bytes(), "tracker.xlsx")
    assert "is an OpenDocument spreadsheet (.ods" in message and "rename it to .ods" in message


def test_xlsx_renamed_ods_is_named_as_excel():
    message = refused((FILES / "lo-tracker.xlsx").read_bytes(), "tracker.ods")
    assert "is an Excel workbook with an .ods name" in message


EXCEL_HTML = (
    b'<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel">'
    b"<head><meta http-equiv=Content-Type content='text/html; charset=windows-1252'></head>"
    b"<body><table><tr><td>Ref</td><td>Action</td></tr></table></body></html>"
)
SPREADSHEETML = (
    b'<?xml version="1.0"?>\r\n<?mso-application progid="Excel.Sheet"?>\r\n'
    b'<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
    b'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="Plan"><Table>'
    b'<Row><Cell><Data ss:Type="String">Ref</Data></Cell></Row></Table></Worksheet></Workbook>'
)


@pytest.mark.parametrize(
    "data,words",
    [
        (EXCEL_HTML, "is a web page (HTML) saved with an .xls name"),
        (b"\xef\xbb\xbf  <!DOCTYPE html><html><body><table></table></body></html>", "is a web page (HTML)"),
        (b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body/></html>', "is a web page (HTML)"),
        (EXCEL_HTML.decode().encode("utf-16"), "is a web page (HTML)"),
        (b"MIME-Version: 1.0\r\nContent-Type: multipart/related\r\n\r\n<html>", "is a web page (HTML)"),
        (SPREADSHEETML, "is an Excel 2003 XML spreadsheet (SpreadsheetML) saved with an .xls name"),
        (b'<?xml version="1.0"?><report><row/></report>', "is an XML file saved with an .xls name"),
    ],
)
def test_web_pages_and_xml_saved_as_xls_are_named_for_what_they_are(data, words):
    message = refused(data, "export.xls")
    assert words in message
    assert "rename it to .csv" not in message
    if "web page" in words or "2003" in words:
        assert "save it as .xlsx" in message


def test_html_named_csv_is_not_read_as_csv():
    assert "is a web page (HTML)" in refused(EXCEL_HTML, "export.csv")
