"""Packages as other programs write them (issue 28 item 6): a valid minimal .xlsx whose parts are not
where Excel puts them is found through its relationships and read like any other; .xlsb stays
refused with its own sentence."""

from __future__ import annotations

import io
import zipfile

import pytest

from data_access.importer import ImportRefused, Limits, read_tracker
from data_access.importer.reading.safety import sniff

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
SHEET_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"

ROWS = [
    ["Improvement plan – position as at 31 March 2018"],
    ["Rec No.", "Recommendation", "Action ID", "Action", "Lead Officer", "Timescale", "RAG Status"],
    ["1", "Improve supervision", "1.1", "Monthly audit", "Head of service", "31/01/2018", "Green"],
    ["1", "Improve supervision", "1.2", "Train managers", "PSW", "28/02/2018", "Amber"],
    ["2", "Strengthen the front door", "2.1", "Co-locate police", "MASH manager", "30/06/2018", "Red"],
]


def _sheet_xml(rows: list[list[str]]) -> str:
    out = []
    for r, row in enumerate(rows, start=1):
        cells = "".join(
            f'<c r="{chr(65 + c)}{r}" t="inlineStr"><is><t>{value}</t></is></c>' for c, value in enumerate(row)
        )
        out.append(f'<row r="{r}">{cells}</row>')
    body = "".join(out)
    return f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>{body}</sheetData></worksheet>'


def root_package(*, folder: str = "", sheet_name: str = "Actions", main_type: str = SHEET_MAIN) -> bytes:
    """workbook.xml and sheet1.xml at the zip's root (or under `folder`), as some reporting systems write."""
    wb = f"{folder}workbook.xml"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/{wb}" ContentType="{main_type}"/>'
            f'<Override PartName="/{folder}sheet1.xml" ContentType="{WORKSHEET}"/></Types>',
        )
        zf.writestr(
            "_rels/.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELS}"><Relationship Id="rId1" '
            f'Type="{DOC_REL}/officeDocument" Target="/{wb}"/></Relationships>',
        )
        zf.writestr(
            wb,
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{DOC_REL}"><sheets>'
            f'<sheet name="{sheet_name}" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        zf.writestr(
            f"{folder}_rels/workbook.xml.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELS}"><Relationship Id="rId1" '
            f'Type="{DOC_REL}/worksheet" Target="sheet1.xml"/></Relationships>',
        )
        zf.writestr(f"{folder}sheet1.xml", _sheet_xml(ROWS))
    return out.getvalue()


@pytest.mark.parametrize("folder", ["", "report/"])
def test_a_workbook_at_the_package_root_is_read_like_any_other(folder):
    import datetime as dt

    data = root_package(folder=folder)
    assert sniff(data, "export.xlsx", Limits()) == "xlsx"
    parsed = read_tracker(data, "export.xlsx")
    [review] = parsed.reviews
    assert parsed.title == "Improvement plan"
    assert review.as_at == dt.date(2018, 3, 31)
    assert [(r.rec_ref, r.action_id, r.description, r.status) for r in review.rows] == [
        ("1", "1.1", "Monthly audit", "green"),
        ("1", "1.2", "Train managers", "amber"),
        ("2", "2.1", "Co-locate police", "red"),
    ]


def test_a_package_whose_main_part_is_not_a_workbook_is_still_refused():
    data = root_package(main_type="application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml")
    with pytest.raises(ImportRefused, match=r"^export.xlsx is a zip file but not an Excel workbook\.$"):
        read_tracker(data, "export.xlsx")


def test_xlsb_stays_refused_with_its_own_sentence():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/xl/workbook.bin" ContentType="application/vnd.ms-excel.sheet.binary.'
            'macroEnabled.main"/></Types>',
        )
        zf.writestr(
            "_rels/.rels",
            f'<?xml version="1.0"?><Relationships xmlns="{RELS}"><Relationship Id="rId1" '
            f'Type="{DOC_REL}/officeDocument" Target="xl/workbook.bin"/></Relationships>',
        )
        zf.writestr("xl/workbook.bin", b"\x83\x01\x00")
    with pytest.raises(ImportRefused) as info:
        read_tracker(out.getvalue(), "plan.xlsb.xlsx")
    assert str(info.value) == (
        "plan.xlsb.xlsx is a binary Excel workbook (.xlsb), which is not supported; save it as .xlsx."
    )


def test_relationships_with_entities_are_refused_before_anything_reads_them():
    data = root_package()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "_rels/.rels":
                body = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]>' + body.split(b"?>", 1)[1]
            dst.writestr(info.filename, body)
    with pytest.raises(ImportRefused) as info:
        read_tracker(out.getvalue(), "export.xlsx")
    assert str(info.value).startswith("export.xlsx is corrupt: its list of parts (relationships) cannot be read")
