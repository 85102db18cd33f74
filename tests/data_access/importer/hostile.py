"""Hostile spreadsheet fixtures, built in code: a few KB each, each once costing gigabytes.

Every .xlsx here is a minimal but valid package written by hand (zipfile), so the sheet XML is
exactly what a hostile or unusual producer writes: far cells, lying dimensions, cells without
references, namespace prefixes, shared strings referenced many times over.
"""

from __future__ import annotations

import io
import zipfile

CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    b'<Override PartName="/xl/worksheets/sheet1.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    b'<Override PartName="/xl/sharedStrings.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    b"</Types>"
)
ROOT_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    b'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    b'<sheets><sheet name="Plan" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    b'worksheet" Target="worksheets/sheet1.xml"/>'
    b'<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    b'sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)
MAIN_NS = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"

HEADER = ["Ref", "Recommendation", "Action", "Lead", "Timescale", "RAG"]
ROWS = [
    ["1", "Improve assessments", "Audit cases monthly", "Head of Service", "31/03/2018", "Green"],
    ["1", "Improve assessments", "Train staff", "Principal Social Worker", "June 2018", "Amber"],
    ["2", "Strengthen oversight", "Supervision audits", "Service Manager", "31/05/2018", "Red"],
]


def package(sheet_xml: bytes, shared_strings: bytes | None = None) -> bytes:
    """A minimal .xlsx whose one sheet ('Plan') is sheet_xml, as written."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("_rels/.rels", ROOT_RELS)
        zf.writestr("xl/workbook.xml", WORKBOOK)
        zf.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        zf.writestr(
            "xl/sharedStrings.xml",
            shared_strings or b'<sst xmlns="' + MAIN_NS + b'" count="0" uniqueCount="0"></sst>',
        )
        zf.writestr("xl/worksheets/sheet1.xml", sheet_xml)
    return out.getvalue()


def _col(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _cell(ref: str | None, text: str) -> str:
    r = f' r="{ref}"' if ref else ""
    return f'<c{r} t="inlineStr"><is><t>{text}</t></is></c>'


def tracker_rows_xml(*, with_refs: bool = True, hidden: set[int] = frozenset(), prefix: str = "") -> str:
    """<row> elements for HEADER + ROWS (rows 1..4), optionally without r= references."""
    out = []
    for r, values in enumerate([HEADER, *ROWS], start=1):
        attrs = f' r="{r}"' if with_refs else ""
        if r in hidden:
            attrs += ' hidden="1"'
        cells = "".join(_cell(f"{_col(c)}{r}" if with_refs else None, v) for c, v in enumerate(values))
        if prefix:
            cells = cells.replace("<c", f"<{prefix}:c").replace("</c>", f"</{prefix}:c>")
            cells = cells.replace("<is>", f"<{prefix}:is>").replace("</is>", f"</{prefix}:is>")
            cells = cells.replace("<t>", f"<{prefix}:t>").replace("</t>", f"</{prefix}:t>")
        out.append(f"<{prefix + ':' if prefix else ''}row{attrs}>{cells}</{prefix + ':' if prefix else ''}row>")
    return "".join(out)


def sheet(rows_xml: str, *, dimension: str | None = "A1:F4", prefix: str = "") -> bytes:
    p = f"{prefix}:" if prefix else ""
    ns = f'xmlns:{prefix}="{MAIN_NS.decode()}"' if prefix else f'xmlns="{MAIN_NS.decode()}"'
    dim = f'<{p}dimension ref="{dimension}"/>' if dimension else ""
    return f"<{p}worksheet {ns}>{dim}<{p}sheetData>{rows_xml}</{p}sheetData></{p}worksheet>".encode()


def tracker(**kw) -> bytes:
    """A small valid tracker (3 actions, 2 recommendations) in the hand-written package."""
    dimension = kw.pop("dimension", "A1:F4")
    prefix = kw.get("prefix", "")
    return package(sheet(tracker_rows_xml(**kw), dimension=dimension, prefix=prefix))


def far_cell(ref: str = "XFD1048576", *, dimension: str | None = None, styled_only: bool = False) -> bytes:
    """The tracker plus one cell far out: A1 + XFD1048576 asks a reader for 17 billion cells."""
    far = f'<c r="{ref}" s="0"/>' if styled_only else _cell(ref, "x")
    row = int("".join(ch for ch in ref if ch.isdigit()))
    rows = tracker_rows_xml() + f'<row r="{row}">{far}</row>'
    return package(sheet(rows, dimension=dimension or f"A1:{ref}"))


def far_cell_without_refs(columns: int = 16_384) -> bytes:
    """A far cell reached by position alone: one row of `columns` cells with no r= reference
    (the last holding a value), then a row far below."""
    blanks = "<c/>" * (columns - 1)
    rows = tracker_rows_xml() + f"<row>{blanks}{_cell(None, 'x')}</row>"
    return package(sheet(rows, dimension="A1:F4"))


def shared_string_amplifier(cells: int = 20_000, length: int = 1_000_000) -> bytes:
    """One 1 MB shared string referenced by 20,000 cells: 2 KB of references, 20 GB once each
    cell holds its own copy, as python-calamine makes it. Within every size and range limit."""
    sst = b'<sst xmlns="' + MAIN_NS + b'" count="1" uniqueCount="1"><si><t>' + b"x" * length + b"</t></si></sst>"
    rows = tracker_rows_xml() + "".join(f'<row r="{r}"><c r="A{r}" t="s"><v>0</v></c></row>' for r in range(5, cells))
    return package(sheet(rows, dimension=f"A1:F{cells}"), sst)
