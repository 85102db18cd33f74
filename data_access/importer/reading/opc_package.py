"""Office Open XML packages as any program writes them: the main document found through the
package's relationships (`_rels/.rels` -> officeDocument), as the Open Packaging Conventions
allow, not only where Excel and Word put it (`xl/workbook.xml`, `word/document.xml`).

Some reporting systems write a minimal workbook with `workbook.xml` and `sheet1.xml` at the zip's
root. python-calamine reads only Excel's layout, so `standard_xlsx` rewrites such a package in
memory into that layout (xl/workbook.xml, xl/worksheets/sheetN.xml, with the relationships and
content types to match) before anything else reads it.

Every XML part here is parsed with defusedxml (no DTDs, no entities, no network), and only after
safety.check_zip has measured the zip."""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass

PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
OFFICE_DOCUMENT = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
    "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument",  # ISO strict
)
REL_BASE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
WORKBOOK_TYPES = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    "application/vnd.ms-excel.template.macroEnabled.main+xml",
)
XLSB_TYPE = "application/vnd.ms-excel.sheet.binary.macroEnabled.main"
WORD_TYPES = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
)
MAX_RELS_BYTES = 1024 * 1024  # a relationships part or content-types list is a few KB


@dataclass(frozen=True)
class MainPart:
    path: str  # the part's name inside the zip, as stored
    kind: str | None  # 'xlsx', 'xlsb', 'docx' or None (something else)


def _parse(zf: zipfile.ZipFile, name: str):
    from defusedxml.ElementTree import fromstring

    info = zf.getinfo(name)
    if info.file_size > MAX_RELS_BYTES:
        raise ValueError(f"{name} is too large for a package part list")
    return fromstring(zf.read(info), forbid_dtd=True)


def _names(zf: zipfile.ZipFile) -> dict[str, str]:
    """{lower-case part name: the name as stored}: part names are case-insensitive in OPC."""
    return {n.lower(): n for n in zf.namelist()}


def resolve(source_dir: str, target: str) -> str:
    """A relationship target as a part name (no leading slash), relative to the source's folder."""
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(source_dir, target)).lstrip("/")


def relationships(zf: zipfile.ZipFile, part: str) -> list[tuple[str, str, str]]:
    """(Id, Type, target part name) of the part's internal relationships ('' for the package)."""
    folder, base = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", f"{base}.rels")
    stored = _names(zf).get(rels.lower())
    if stored is None:
        return []
    out = []
    for el in _parse(zf, stored).iter(f"{PKG_REL_NS}Relationship"):
        target = el.get("Target") or ""
        if el.get("TargetMode") == "External" or not target:
            continue
        out.append((el.get("Id") or "", el.get("Type") or "", resolve(folder, target)))
    return out


def content_type(zf: zipfile.ZipFile, part: str) -> str | None:
    stored = _names(zf).get("[content_types].xml")
    if stored is None:
        return None
    root = _parse(zf, stored)
    for el in root.iter(f"{CT_NS}Override"):
        if (el.get("PartName") or "").lstrip("/").lower() == part.lower():
            return el.get("ContentType")
    ext = posixpath.splitext(part)[1].lstrip(".").lower()
    for el in root.iter(f"{CT_NS}Default"):
        if (el.get("Extension") or "").lower() == ext:
            return el.get("ContentType")
    return None


def main_part(zf: zipfile.ZipFile) -> MainPart | None:
    """The package's main document and what it is; None when the zip is not an Office package.
    Raises for malformed or unsafe relationship XML (the caller names the file as corrupt)."""
    names = _names(zf)
    target = next((t for _, kind, t in relationships(zf, "") if kind in OFFICE_DOCUMENT), None)
    if target is None:
        # No package relationships: only Excel's and Word's own part names say what it is.
        for name, kind in (("xl/workbook.xml", "xlsx"), ("xl/workbook.bin", "xlsb"), ("word/document.xml", "docx")):
            if name in names and "[content_types].xml" in names:
                return MainPart(names[name], kind)
        return None
    stored = names.get(target.lower())
    if stored is None:
        return None
    ctype = (content_type(zf, target) or "").split(";")[0].strip()
    if ctype in WORKBOOK_TYPES:
        return MainPart(stored, "xlsx")
    if ctype == XLSB_TYPE or (not ctype and target.lower().endswith(".bin")):
        return MainPart(stored, "xlsb")
    if ctype in WORD_TYPES:
        return MainPart(stored, "docx")
    if not ctype and target.lower().endswith("workbook.xml"):
        return MainPart(stored, "xlsx")
    return MainPart(stored, None)


_WORKSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_STANDARD = {  # relationship type -> (new part name, content type)
    "styles": ("xl/styles.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"),
    "sharedStrings": (
        "xl/sharedStrings.xml",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml",
    ),
    "theme": ("xl/theme/theme1.xml", "application/vnd.openxmlformats-officedocument.theme+xml"),
}


def standard_xlsx(data: bytes) -> bytes:
    """The same workbook in Excel's layout: `data` itself when its workbook is already at
    xl/workbook.xml, else a new package with the workbook, its worksheets, shared strings, styles
    and theme moved there (other parts — pictures, comments, document properties — are dropped:
    the importer reads none of them)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        if "xl/workbook.xml" in zf.namelist():
            return data
        main = main_part(zf)
        if main is None or main.kind != "xlsx":
            return data
        names = _names(zf)
        parts: dict[str, bytes] = {}
        overrides: dict[str, str] = {"xl/workbook.xml": WORKBOOK_TYPES[0]}
        rels_xml = []
        sheets = 0
        for rel_id, rel_type, target in relationships(zf, main.path):
            stored = names.get(target.lower())
            if stored is None:
                continue
            short = rel_type.rsplit("/", 1)[-1]
            if short == "worksheet":
                sheets += 1
                new, ctype = f"xl/worksheets/sheet{sheets}.xml", _WORKSHEET_TYPE
            elif short in _STANDARD:
                new, ctype = _STANDARD[short]
            else:
                continue
            parts[new] = zf.read(stored)
            overrides[new] = ctype
            rels_xml.append(
                f'<Relationship Id="{_attr(rel_id)}" Type="{REL_BASE}{short}" Target="{new.removeprefix("xl/")}"/>'
            )
        workbook = zf.read(main.path)
    rels_ns = "http://schemas.openxmlformats.org/package/2006/relationships"
    package_rels = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{rels_ns}">'
        f'<Relationship Id="rId1" Type="{OFFICE_DOCUMENT[0]}" Target="xl/workbook.xml"/></Relationships>'
    )
    workbook_rels = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{rels_ns}">'
        + "".join(rels_xml)
        + "</Relationships>"
    )
    types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        + "".join(f'<Override PartName="/{name}" ContentType="{ctype}"/>' for name, ctype in overrides.items())
        + "</Types>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        dst.writestr("[Content_Types].xml", types)
        dst.writestr("_rels/.rels", package_rels)
        dst.writestr("xl/workbook.xml", workbook)
        dst.writestr("xl/_rels/workbook.xml.rels", workbook_rels)
        for name, body in parts.items():
            dst.writestr(name, body)
    return out.getvalue()


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
