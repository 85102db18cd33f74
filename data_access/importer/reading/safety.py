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
ODS_EXTENSIONS = {".ods"}
WORD_EXTENSIONS = {".docx", ".docm"}
SPREADSHEET_EXTENSIONS = EXCEL_EXTENSIONS | ODS_EXTENSIONS
CSV_EXTENSIONS = {".csv", ".txt"}
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
SPREADSHEETML_NS = b"urn:schemas-microsoft-com:office:spreadsheet"
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
    """'xlsx', 'ods', 'xls', 'docx' or 'csv' from the content (the extension only says what was promised)."""
    check_size(filename, len(data), limits)
    ext = PurePath(filename or "").suffix.lower()
    if not data or not data.strip():
        raise refuse(filename, "is empty.")
    if ext not in SPREADSHEET_EXTENSIONS | CSV_EXTENSIONS | WORD_EXTENSIONS:
        raise refuse(
            filename,
            f"is not a supported file type ({ext or 'no extension'}); upload .xlsx, .xlsm, .xls, .ods, .csv or "
            "a Word action plan (.docx).",
        )
    if data.startswith(OLE_MAGIC):
        if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e" in data:
            raise refuse(
                filename, "is password-protected (encrypted); remove the password in Excel and upload it again."
            )
        if ext in CSV_EXTENSIONS:
            raise refuse(filename, "is an Excel (.xls) workbook with a .csv extension; rename it to .xls.")
        if ext in WORD_EXTENSIONS:
            raise refuse(filename, f"is an Excel (.xls) workbook with a {ext} name; rename it to .xls.")
        return "xls"
    if data.startswith(ZIP_MAGIC) or data.startswith(b"PK\x05\x06"):
        if ext in CSV_EXTENSIONS:
            raise refuse(filename, "is a zip or Excel workbook with a .csv extension; rename it to .xlsx.")
        if _is_ods(data):
            if ext in EXCEL_EXTENSIONS:
                raise refuse(
                    filename,
                    f"is an OpenDocument spreadsheet (.ods, as LibreOffice saves it) with an {ext} name; "
                    "rename it to .ods, or save it as .xlsx, and upload it again.",
                )
            check_zip(data, filename, limits, kind="ods")
            return "ods"
        main = check_zip(data, filename, limits)  # names what it is, if not a workbook
        if main == "docx":
            if ext not in WORD_EXTENSIONS:
                raise refuse(
                    filename, f"is a Word document with an {ext} name; rename it to .docx and upload it again."
                )
            return "docx"
        if ext in ODS_EXTENSIONS:
            raise refuse(filename, "is an Excel workbook with an .ods name; rename it to .xlsx and upload it again.")
        if ext in WORD_EXTENSIONS:
            raise refuse(filename, f"is an Excel workbook with a {ext} name; rename it to .xlsx and upload it again.")
        return "xlsx"
    if ext in WORD_EXTENSIONS:
        raise refuse(filename, f"is not a Word document: its content is not a .docx file despite the {ext} extension.")
    if ext in SPREADSHEET_EXTENSIONS:
        what = text_kind(data)
        if what == "html":
            raise refuse(
                filename,
                f"is a web page (HTML) saved with an {ext} name, not a spreadsheet; open it in Excel and save it "
                "as .xlsx (Excel Workbook), then upload that.",
            )
        if what == "spreadsheetml":
            raise refuse(
                filename,
                f"is an Excel 2003 XML spreadsheet (SpreadsheetML) saved with an {ext} name, which this app cannot "
                "read; open it in Excel and save it as .xlsx (Excel Workbook), then upload that.",
            )
        if what == "xml":
            raise refuse(filename, f"is an XML file saved with an {ext} name, not a spreadsheet.")
        if _looks_like_text(data):
            raise refuse(
                filename,
                f"is a text file, not a spreadsheet; if it is a CSV, rename it to .csv (it has a {ext} extension).",
            )
        raise refuse(filename, f"is not a spreadsheet: its content is not a workbook despite the {ext} extension.")
    if text_kind(data) == "html":
        raise refuse(filename, f"is a web page (HTML) with a {ext} name, not a CSV file.")
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise refuse(filename, "is not a CSV file: it contains binary data.")
    return "csv"


_HTML_START = re.compile(rb"<(?:!doctype\s+html|html|head|body|table|meta|title|style)\b", re.IGNORECASE)
_XML_DECL = re.compile(rb"<\?xml\b", re.IGNORECASE)


def text_kind(data: bytes) -> str | None:
    """'html', 'spreadsheetml' (Excel 2003 XML), 'xml' or None, from the start of a text file:
    what old systems export under an .xls name."""
    head = data[:4096]
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            head = head[len(bom) :].decode(codec, "replace").encode("utf-8", "replace")
            break
    head = head.lstrip()
    if head[:20].lower().startswith(b"mime-version"):
        return "html"  # "Web archive" (.mht) as Excel saves it
    if SPREADSHEETML_NS in head or b'progid="excel.sheet"' in head.lower():
        return "spreadsheetml"
    # Skip an XML declaration and comments before the first element.
    body = re.sub(rb"^(?:<\?[^>]*\?>|<!--.*?-->|\s)*", b"", head, flags=re.S)
    if _HTML_START.match(body):
        return "html"
    if _XML_DECL.match(head) or body.startswith(b"<") and body[1:2].isalpha():
        return "xml"
    return None


def _is_ods(data: bytes) -> bool:
    """OpenDocument puts an uncompressed `mimetype` part first; check it, then the zip directory."""
    if data[30:38] == b"mimetype" and ODS_MIMETYPE in data[38:120]:
        return True
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return "mimetype" in zf.namelist() and zf.read("mimetype").strip() == ODS_MIMETYPE
    except Exception:
        return False


def _looks_like_text(data: bytes) -> bool:
    sample = data[:4096]
    if b"\x00" in sample:
        return False
    printable = sum(1 for b in sample if b >= 32 or b in b"\r\n\t")
    return printable / max(len(sample), 1) > 0.95


def check_zip(data: bytes, filename: str, limits: Limits, kind: str = "xlsx") -> str:
    """Refuse corrupt, encrypted, non-workbook and bomb zips from the central directory alone.

    Returns what the package's main document is ('xlsx', 'docx'; 'ods' for kind='ods'), found
    through its relationships as the Open Packaging Conventions allow (opc_package.main_part)."""
    from data_access.importer.reading import opc_package

    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        members = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError, NotImplementedError):
        raise refuse(filename, "is truncated or corrupt (it is not a readable zip/xlsx file).") from None
    with zf:
        if len(members) > limits.max_zip_members:
            raise refuse(filename, f"has {len(members):,} parts inside, too many for a workbook (possible zip bomb).")
        names = {m.filename for m in members}
        if kind == "ods":
            if _ods_encrypted(zf, names):
                raise refuse(
                    filename,
                    "is password-protected (encrypted); in LibreOffice use File > Save As with 'Save with "
                    "password' unticked, and upload it again.",
                )
            if "content.xml" not in names:
                raise refuse(filename, "is an OpenDocument file without a spreadsheet inside (no content.xml).")
            main = "ods"
        else:
            try:
                found = opc_package.main_part(zf)
            except Exception:  # malformed, entity-laden or oversized relationship XML
                raise refuse(filename, "is corrupt: its list of parts (relationships) cannot be read safely.") from None
            if found is not None and found.kind == "xlsb":
                raise refuse(filename, "is a binary Excel workbook (.xlsb), which is not supported; save it as .xlsx.")
            if found is None or found.kind not in ("xlsx", "docx"):
                raise refuse(filename, "is a zip file but not an Excel workbook.")
            main = found.kind
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
    return main


def _ods_encrypted(zf: zipfile.ZipFile, names: set[str]) -> bool:
    """ODF encryption is not the zip's: the parts are encrypted by LibreOffice and the manifest
    says so with <manifest:encryption-data> for each of them."""
    if "META-INF/manifest.xml" not in names:
        return False
    info = zf.getinfo("META-INF/manifest.xml")
    if info.file_size > 4 * MB:
        return False
    try:
        return b"encryption-data" in zf.read(info)
    except Exception:
        return False


# ---------------------------------------------------------------------------
# One upload limit for the page, the server and the command line: BOARD_MAX_UPLOAD_MB
# ---------------------------------------------------------------------------


def upload_limit_mb(limits: Limits) -> int:
    """The board's upload limit in whole MB, rounded up: what Streamlit's server.maxUploadSize (and
    the file uploader's max_upload_size) take, so the server never refuses a file the board allows."""
    return max(1, -(-limits.max_bytes // MB))


def server_limit_warning(server_mb: object, limits: Limits) -> str | None:
    """A sentence for whoever runs the app when Streamlit's server accepts larger uploads than the
    board does: requests up to the server's limit are then read into memory before the board's
    own check refuses them. None when the two agree."""
    board_mb = upload_limit_mb(limits)
    try:
        server = int(server_mb)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    if server <= board_mb:
        return None
    return (
        f"Set-up: the server accepts uploads of up to {server} MB, more than the board's limit of {board_mb} MB "
        f"(BOARD_MAX_UPLOAD_MB), so larger files reach the app before being refused; start it with "
        f"STREAMLIT_SERVER_MAX_UPLOAD_SIZE={board_mb} (make run does this) or set server.maxUploadSize = "
        f"{board_mb} in .streamlit/config.toml."
    )


def _main() -> int:
    """`python -m data_access.importer.reading.safety`: print the board's upload limit in MB (make run
    passes it to Streamlit as STREAMLIT_SERVER_MAX_UPLOAD_SIZE)."""
    import sys

    try:
        print(upload_limit_mb(Limits.from_env()))
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(_main())


# --- evidence files on sign-off (issue 25) ------------------------------------------------------------

EVIDENCE_MAX_BYTES = 5 * MB  # small files: they are kept in the database (and never above the upload limit)
EVIDENCE_TYPES = {  # extension -> media type; what each must really be is checked from its bytes
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}
_EVIDENCE_MAGIC = {".pdf": b"%PDF-", ".png": b"\x89PNG\r\n\x1a\n", ".jpg": b"\xff\xd8\xff", ".jpeg": b"\xff\xd8\xff"}
_EVIDENCE_WORDS = {".pdf": "a PDF", ".png": "a PNG image", ".jpg": "a JPEG image", ".jpeg": "a JPEG image"}


def evidence_file(data: bytes, filename: str, limits: Limits | None = None) -> str:
    """The media type of an evidence file, checked like an upload (size, what the content really is,
    encryption, zip bombs), or ImportRefused with one sentence naming the file and the problem.
    Allowed: PDF, Word (.docx), Excel (.xlsx), PNG and JPEG, at most EVIDENCE_MAX_BYTES (or the
    upload limit, if smaller)."""
    limits = limits or Limits()
    small = Limits(max_bytes=min(EVIDENCE_MAX_BYTES, limits.max_bytes))
    if len(data) > small.max_bytes:
        raise refuse(
            filename, f"is {len(data) / MB:.1f} MB, over the {small.max_bytes / MB:g} MB limit for evidence files."
        )
    ext = PurePath(filename or "").suffix.lower()
    if ext not in EVIDENCE_TYPES:
        raise refuse(
            filename,
            f"is not an evidence file type this app keeps ({ext or 'no extension'}); attach a PDF, Word (.docx), "
            "Excel (.xlsx), PNG or JPEG file.",
        )
    if not data:
        raise refuse(filename, "is empty.")
    if ext in _EVIDENCE_MAGIC:
        if not data.startswith(_EVIDENCE_MAGIC[ext]):
            raise refuse(filename, f"is not {_EVIDENCE_WORDS[ext]}: its content does not match its {ext} name.")
        return EVIDENCE_TYPES[ext]
    if data.startswith(OLE_MAGIC):
        raise refuse(filename, "is password-protected (encrypted) or an old Office format; save it as .docx or .xlsx.")
    if not data.startswith(ZIP_MAGIC):
        raise refuse(filename, f"is not a {ext} file: its content does not match its name.")
    main = check_zip(data, filename, limits)  # the zip-bomb checks, and what the package is
    if (main == "docx") != (ext == ".docx"):
        raise refuse(filename, f"is not a {ext} file: its content does not match its name.")
    return EVIDENCE_TYPES[ext]
