"""Checks made on the raw bytes before any parser sees them: size, what the content really is,
encryption, and zip/XML bombs (from the zip's declared sizes, without decompressing)."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import PurePath

from data_access.importer.parsed import MB, ImportRefused, Limits

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # CFB container: .xls, or an encrypted .xlsx
ZIP_MAGIC = b"PK\x03\x04"
EXCEL_EXTENSIONS = {".xlsx", ".xlsm", ".xls"}
CSV_EXTENSIONS = {".csv", ".txt"}
_ENTITY_RE = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
_XML_SCAN_BYTES = 64 * 1024


def name_of(filename: str) -> str:
    return PurePath(filename or "upload").name or "upload"


def refuse(filename: str, problem: str) -> ImportRefused:
    return ImportRefused(f"{name_of(filename)} {problem}")


def check_size(filename: str, size: int, limits: Limits) -> None:
    if size > limits.max_bytes:
        raise refuse(filename, f"is {size / MB:.1f} MB, over the {limits.max_bytes / MB:g} MB limit for uploads.")


def sniff(data: bytes, filename: str, limits: Limits) -> str:
    """'xlsx', 'xls' or 'csv' from the content (the extension only says what was promised)."""
    check_size(filename, len(data), limits)
    ext = PurePath(filename or "").suffix.lower()
    if not data or not data.strip():
        raise refuse(filename, "is empty.")
    if ext not in EXCEL_EXTENSIONS | CSV_EXTENSIONS:
        raise refuse(
            filename, f"is not a supported file type ({ext or 'no extension'}); upload .xlsx, .xlsm, .xls or .csv."
        )
    if data.startswith(OLE_MAGIC):
        if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e" in data:
            raise refuse(
                filename, "is password-protected (encrypted); remove the password in Excel and upload it again."
            )
        if ext in CSV_EXTENSIONS:
            raise refuse(filename, "is an Excel (.xls) workbook with a .csv extension; rename it to .xls.")
        return "xls"
    if data.startswith(ZIP_MAGIC) or data.startswith(b"PK\x05\x06"):
        if ext in CSV_EXTENSIONS:
            raise refuse(filename, "is a zip or Excel workbook with a .csv extension; rename it to .xlsx.")
        check_zip(data, filename, limits)
        return "xlsx"
    if ext in EXCEL_EXTENSIONS:
        head = data[:512].lstrip().lower()
        if head.startswith((b"<html", b"<!doctype html", b"<table", b"mime-version")):
            raise refuse(
                filename, "is a web page saved with an Excel extension, not a spreadsheet; save it as .xlsx in Excel."
            )
        if _looks_like_text(data):
            raise refuse(
                filename,
                f"is a text file, not an Excel workbook; if it is a CSV, rename it to .csv (it has a {ext} extension).",
            )
        raise refuse(
            filename, f"is not a spreadsheet: its content is not an Excel workbook despite the {ext} extension."
        )
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise refuse(filename, "is not a CSV file: it contains binary data.")
    return "csv"


def _looks_like_text(data: bytes) -> bool:
    sample = data[:4096]
    if b"\x00" in sample:
        return False
    printable = sum(1 for b in sample if b >= 32 or b in b"\r\n\t")
    return printable / max(len(sample), 1) > 0.95


def check_zip(data: bytes, filename: str, limits: Limits) -> None:
    """Refuse corrupt, encrypted, non-workbook and bomb zips from the central directory alone."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        members = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError, NotImplementedError):
        raise refuse(filename, "is truncated or corrupt (it is not a readable zip/xlsx file).") from None
    with zf:
        if len(members) > limits.max_zip_members:
            raise refuse(filename, f"has {len(members):,} parts inside, too many for a workbook (possible zip bomb).")
        names = {m.filename for m in members}
        if "[Content_Types].xml" not in names or not ({"xl/workbook.xml", "xl/workbook.bin"} & names):
            raise refuse(filename, "is a zip file but not an Excel workbook.")
        if "xl/workbook.bin" in names and "xl/workbook.xml" not in names:
            raise refuse(filename, "is a binary Excel workbook (.xlsb), which is not supported; save it as .xlsx.")
        total = 0
        for m in members:
            if m.flag_bits & 0x1:
                raise refuse(
                    filename, "is password-protected (encrypted); remove the password in Excel and upload it again."
                )
            total += m.file_size
            if m.file_size > limits.ratio_applies_above:
                ratio = m.file_size / max(m.compress_size, 1)
                if ratio > limits.max_compression_ratio:
                    raise refuse(
                        filename,
                        f"is a decompression bomb: part {m.filename} expands {ratio:,.0f} times "
                        f"(over the {limits.max_compression_ratio:g}:1 limit).",
                    )
        if total > limits.max_uncompressed_bytes:
            raise refuse(
                filename,
                f"expands to {total / MB:,.0f} MB when unzipped, over the "
                f"{limits.max_uncompressed_bytes / MB:g} MB limit (possible decompression bomb).",
            )
        # Real workbooks never declare a DTD or entities; billion-laughs and XXE files do.
        for m in members:
            if not m.filename.lower().endswith((".xml", ".rels", ".vml")) or m.is_dir():
                continue
            try:
                with zf.open(m) as fh:
                    head = fh.read(_XML_SCAN_BYTES)
            except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError):
                raise refuse(filename, "is truncated or corrupt (a part inside the workbook cannot be read).") from None
            except Exception:  # zlib.error and friends
                raise refuse(filename, "is truncated or corrupt (a part inside the workbook cannot be read).") from None
            if _ENTITY_RE.search(head):
                raise refuse(
                    filename,
                    f"contains XML entity declarations in {m.filename} (an entity-expansion or "
                    "'billion laughs' attack), so it was not opened.",
                )
