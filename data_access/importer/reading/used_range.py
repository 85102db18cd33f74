"""Each sheet's used range, read from the raw XML before any reader builds a grid.

A spreadsheet reader allocates one slot per cell of the rectangle from A1 to the furthest cell:
a 2 KB .xlsx holding A1 and XFD1048576 asks python-calamine for 17 billion cells (512 GB) and
the process aborts. So the rectangle is measured here, from the sheet's declared `<dimension>`
and from the cell references actually present (a file can lie in its dimension), and a sheet too
large to be a tracker is refused with a sentence saying where its far cell is. The same pass
reads which rows are hidden or filtered out (`<row hidden="1">`), which no value reader reports.

- .xlsx/.xlsm: the sheet XML is streamed in chunks; a C-speed regex finds only the "interesting"
  references (two or more column letters, or a row number of six or more digits), so a normal
  tracker costs one pass that matches nothing. XML written in an unusual form (namespace
  prefixes, cells or rows without an `r` reference, other quoting) takes a slower exact pass
  that counts positions as a reader would.
- .ods: content.xml is walked (rows and cells repeated, spanned and covered), which also gives
  the merged ranges and hidden rows that calamine does not report for OpenDocument.
- .xls: the BIFF records of the Workbook stream are walked for cell positions.
"""

from __future__ import annotations

import io
import posixpath
import re
import struct
import zipfile
from dataclasses import dataclass, field

from data_access.importer.parsed import Limits
from data_access.importer.reading.safety import refuse

MAX_COLUMNS = 1_000
# Cells of the rectangle A1..far corner, per sheet and per workbook. Measured: python-calamine
# holds 32 bytes a cell and the Python grid 8 more, so 5 million cells stay near 200 MB and a
# 100,000-row tracker of 50 columns still fits.
MAX_CELLS = 5_000_000
MAX_CELLS_PER_FILE = 10_000_000

_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_CHUNK = 4 * 1024 * 1024
_OVERLAP = 256  # longer than any reference or row tag we look for

# References worth a look: two or more column letters (AA and beyond) or a six-digit row number.
# Each pattern below starts with a literal, so the regex engine skips through the XML at C speed.
# Groups: the column letters, the row number.
_FAR_REF = re.compile(rb' r="([A-Za-z]{2,}|[A-Za-z]?(?=[0-9]{6,}))([0-9]+)"')
_HIDDEN = re.compile(rb' hidden="(?:1|true)"')
_ROW_R = re.compile(rb'<row r="([0-9]+)"')
# A cell or row tag not written as `<c r="...` / `<row r="...`: no reference (its position is
# implied), the reference not first, other quoting; or a namespace prefix (`<x:c`).
_UNUSUAL_TAG = re.compile(rb'<(?:c|row)(?: (?!r=")|>|/>)')
_PREFIXED_TAG = re.compile(rb":(?:c|row)[\s/>]")
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([^"]*)"')


MAX_SHEETS_WALKED = 1_000  # more sheets than this and a file is refused before they are walked


class TooManySheets(Exception):
    """More sheets than anyone keeps in a tracker: the count, for the refusal."""

    def __init__(self, count: int):
        super().__init__(count)
        self.count = count


@dataclass
class SheetExtent:
    """The used range of one sheet: rows and columns from A1 to the furthest cell with a value."""

    rows: int = 0  # the furthest row holding a value (1-based; 0 = no cells)
    columns: int = 0
    far_cell: str | None = None  # "XFD1048576": the reference that sets the extent, for messages
    declared: str | None = None  # the <dimension ref> as written, e.g. "A1:I50004"
    hidden_rows: set[int] = field(default_factory=set)  # 0-based rows hidden or filtered out
    merges: list[tuple[tuple[int, int], tuple[int, int]]] | None = None  # ods only (0-based)
    _far_size: int = 0

    @property
    def cells(self) -> int:
        return self.rows * self.columns

    def would_grow(self, row: int, col: int) -> bool:
        """Would include(row, col) change the extent (its rows, columns or far cell)?"""
        return self.far_cell is None or row > self.rows or col > self.columns or row * col > self._far_size

    def include(self, row: int, col: int) -> None:
        """Count a cell with a value at 1-based (row, col)."""
        if self.far_cell is None or row * col > self._far_size:
            self.far_cell, self._far_size = cell_ref(row, col), row * col
        self.rows = max(self.rows, row)
        self.columns = max(self.columns, col)


def column_number(letters: str) -> int:
    """'A' -> 1, 'XFD' -> 16384."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n


def column_letters(number: int) -> str:
    """1 -> 'A', 16384 -> 'XFD'."""
    letters = ""
    while number > 0:
        number, rem = divmod(number - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_ref(row: int, col: int) -> str:
    return f"{column_letters(col)}{row}"


def check_extents(filename: str, extents: dict[str, SheetExtent], limits: Limits) -> None:
    """Refuse a sheet (or a workbook) whose used range is too large to be a tracker."""
    total = 0
    for sheet, ext in extents.items():
        where = f" on sheet '{sheet}'" if sheet else ""
        far = f" (its furthest cell is {ext.far_cell}{where})" if ext.far_cell else where
        if ext.rows > limits.max_rows:
            raise refuse(
                filename,
                f"has {ext.rows:,} rows{far}, over the limit of {limits.max_rows:,} rows; "
                "delete the far cells or split the file.",
            )
        if ext.columns > MAX_COLUMNS:
            raise refuse(
                filename,
                f"has data out to column {column_letters(ext.columns)}{far}, too wide to be a tracker; "
                "delete the far cells.",
            )
        if ext.cells > MAX_CELLS:
            raise refuse(
                filename,
                f"spans {ext.rows:,} rows by {ext.columns:,} columns{far}, {ext.cells:,} cells, over the "
                f"limit of {MAX_CELLS:,} cells a sheet.",
            )
        total += ext.cells
    if total > MAX_CELLS_PER_FILE:
        raise refuse(filename, f"spans {total:,} cells over its sheets, over the limit of {MAX_CELLS_PER_FILE:,}.")


# ---------------------------------------------------------------------------
# .xlsx / .xlsm
# ---------------------------------------------------------------------------


def xlsx_sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """{sheet name: part path inside the zip} from workbook.xml and its relationships."""
    from defusedxml.ElementTree import fromstring

    workbook = fromstring(zf.read("xl/workbook.xml"))
    try:
        rels = fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    except KeyError:
        return {}
    targets = {el.get("Id"): el.get("Target") for el in rels}
    parts = {}
    for el in workbook.iter(f"{_NS_MAIN}sheet"):
        target = targets.get(el.get(f"{_NS_REL}id"))
        if not target:
            continue
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        parts[el.get("name")] = part
    return parts


def scan_xlsx(data: bytes) -> dict[str, SheetExtent]:
    """{sheet name: its used range} for every worksheet part of an .xlsx/.xlsm."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = set(zf.namelist())
        return {sheet: scan_sheet_xml(zf, part) for sheet, part in xlsx_sheet_parts(zf).items() if part in names}


def scan_sheet_xml(zf: zipfile.ZipFile, part: str) -> SheetExtent:
    ext = SheetExtent()
    tail = b""
    saw_sheet_data = False
    columns: dict[bytes, int] = {}  # column letters -> number, each converted once
    with zf.open(part) as fh:
        while chunk := fh.read(_CHUNK):
            text = tail + chunk
            saw_sheet_data = saw_sheet_data or b"<sheetData" in text
            if not tail and (dim := _DIMENSION.search(text, 0, 65_536)):  # near the top, if anywhere
                ext.declared = dim[1].decode("ascii", "replace")
            if _UNUSUAL_TAG.search(text) or _PREFIXED_TAG.search(text):
                return _scan_sheet_exact(zf.read(part), SheetExtent(declared=ext.declared))
            for m in _FAR_REF.finditer(text):
                letters, row = m[1], int(m[2])
                col = columns.get(letters)
                if col is None:
                    col = columns[letters] = column_number(letters.decode()) if letters else 1
                # A wide sheet has thousands of such cells; only one that would move the extent is
                # looked at further (an empty styled cell does not count).
                if ext.would_grow(row, col) and _has_value(text, m.end()):
                    ext.include(row, col)
            for m in _HIDDEN.finditer(text):
                start = text.rfind(b"<", 0, m.start())
                if text.startswith(b"<row ", start) and (r := _ROW_R.match(text, start)):
                    ext.hidden_rows.add(int(r[1]) - 1)
            tail = text[-_OVERLAP:]
    if not saw_sheet_data:  # namespace-prefixed XML (<x:sheetData>): count every cell
        return _scan_sheet_exact(zf.read(part), SheetExtent(declared=ext.declared))
    # Every cell not found above lies within column Z and row 99,999. The rectangle is then at
    # most max(rows found, 99,999) x max(columns found, 26): safe to build when that is within
    # MAX_CELLS (any sheet up to 50 columns); wider sheets are counted exactly.
    columns = max(ext.columns, 26)
    if max(ext.rows, _UNSEEN_ROWS) * columns > MAX_CELLS and ext.rows <= _UNSEEN_ROWS:
        return _scan_sheet_exact(zf.read(part), SheetExtent(declared=ext.declared))
    return ext  # the far cells found (rows and width below that come from the reader itself)


_UNSEEN_ROWS = 99_999  # the largest row number _FAR_REF lets pass unseen


def _has_value(text: bytes, pos: int) -> bool:
    """Is the cell whose reference ends at pos more than an empty styled cell? A row tag does not
    count (its cells are checked on their own), nor does `<c r=".." s="3"/>`: readers skip both."""
    start = text.rfind(b"<", 0, pos)
    if not text.startswith(b"<c ", start):
        return not text.startswith(b"<row", start)  # a prefixed <x:c ...>: count it, to be safe
    close = text.find(b">", pos)
    if close == -1:
        return True  # cut at the chunk's end: count it, to be safe
    if text[close - 1 : close] == b"/":
        return False
    return _VALUE_START.match(text, close + 1) is not None or len(text) - close < 200


_VALUE_START = re.compile(rb"\s*<(?:[\w.-]+:)?(?:v|is|f)\b")
_TAG = re.compile(rb"<(/?)(?:[\w.-]+:)?(row|c|dimension)\b([^>]*?)(/?)>")
_ATTR_R = re.compile(rb"""(?:^|\s)r\s*=\s*["']([A-Za-z]*)([0-9]+)["']""")
_ATTR_HIDDEN = re.compile(rb"""\shidden\s*=\s*["'](?:1|true)["']""")
_ATTR_REF = re.compile(rb"""\sref\s*=\s*["']([^"']*)["']""")


def _scan_sheet_exact(xml: bytes, ext: SheetExtent) -> SheetExtent:
    """Row by row and cell by cell, with positions implied where `r` is missing, as readers do."""
    row, col = 0, 0
    for m in _TAG.finditer(xml):
        closing, name, attrs, self_closing = m.groups()
        if closing:
            continue
        if name == b"dimension":
            if ext.declared is None and (ref := _ATTR_REF.search(attrs)):
                ext.declared = ref[1].decode("ascii", "replace")
        elif name == b"row":
            r = _ATTR_R.search(attrs)
            row = int(r[2]) if r else row + 1
            col = 0
            if _ATTR_HIDDEN.search(attrs):
                ext.hidden_rows.add(row - 1)
        else:
            r = _ATTR_R.search(attrs)
            if r:
                col = column_number(r[1].decode()) if r[1] else col + 1
                cell_row = int(r[2])
            else:
                col, cell_row = col + 1, max(row, 1)
            if not self_closing and _VALUE_START.match(xml, m.end()):
                ext.include(cell_row, col)
    return ext


# ---------------------------------------------------------------------------
# .ods
# ---------------------------------------------------------------------------

_ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_ODS_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_ODS_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


def scan_ods(data: bytes) -> dict[str, SheetExtent]:
    """{sheet name: used range, hidden rows and merged ranges} from an OpenDocument content.xml.

    Rows and cells may be repeated (`number-rows-repeated`, `number-columns-repeated`): a value
    repeated far out counts as far out; empty repeats (LibreOffice pads every row to 16,384
    columns) do not, as readers skip them."""
    from defusedxml.ElementTree import iterparse

    extents: dict[str, SheetExtent] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as zf, zf.open("content.xml") as fh:
        ext: SheetExtent | None = None
        row = 0  # rows started so far in the current table (1-based index of the current row)
        row_repeat = 1
        col = 0
        depth_in_cell = 0
        cell_value = False
        cell_attrs: dict = {}
        for event, el in iterparse(fh, events=("start", "end")):
            tag = el.tag
            if event == "start":
                if tag == f"{_ODS_TABLE}table":
                    if len(extents) >= MAX_SHEETS_WALKED:
                        raise TooManySheets(len(extents) + 1)
                    ext = SheetExtent(merges=[])
                    extents[el.get(f"{_ODS_TABLE}name") or f"Sheet{len(extents) + 1}"] = ext
                    row = 0
                elif ext is None:
                    continue
                elif tag == f"{_ODS_TABLE}table-row":
                    row_repeat = int(el.get(f"{_ODS_TABLE}number-rows-repeated") or 1)
                    row += 1
                    col = 0
                    # A long run of repeated rows is the empty padding LibreOffice writes to the
                    # sheet's end: hidden or not, it holds no actions.
                    if el.get(f"{_ODS_TABLE}visibility") in ("collapse", "filter") and row_repeat <= 10_000:
                        ext.hidden_rows.update(range(row - 1, row - 1 + row_repeat))
                elif tag in (f"{_ODS_TABLE}table-cell", f"{_ODS_TABLE}covered-table-cell"):
                    depth_in_cell += 1
                    cell_attrs = dict(el.attrib)
                    cell_value = tag == f"{_ODS_TABLE}table-cell" and (
                        f"{_ODS_OFFICE}value-type" in cell_attrs or f"{_ODS_TABLE}formula" in cell_attrs
                    )
                elif depth_in_cell and tag.startswith(_ODS_TEXT):
                    cell_value = True
                continue
            # end events
            if ext is None:
                continue
            if tag in (f"{_ODS_TABLE}table-cell", f"{_ODS_TABLE}covered-table-cell"):
                depth_in_cell -= 1
                repeat = int(cell_attrs.get(f"{_ODS_TABLE}number-columns-repeated") or 1)
                first_col = col + 1
                col += repeat
                if cell_value:
                    ext.include(row + row_repeat - 1, col)
                    rows_spanned = int(cell_attrs.get(f"{_ODS_TABLE}number-rows-spanned") or 1)
                    cols_spanned = int(cell_attrs.get(f"{_ODS_TABLE}number-columns-spanned") or 1)
                    if (rows_spanned > 1 or cols_spanned > 1) and len(ext.merges) < 100_000:
                        ext.merges.append(
                            ((row - 1, first_col - 1), (row - 1 + rows_spanned - 1, first_col - 1 + cols_spanned - 1))
                        )
                el.clear()
            elif tag == f"{_ODS_TABLE}table-row":
                row += row_repeat - 1
                el.clear()
            elif tag == f"{_ODS_TABLE}table":
                ext = None
                el.clear()
    return extents


# ---------------------------------------------------------------------------
# .xls (BIFF8)
# ---------------------------------------------------------------------------

# Records that carry one cell's (row, col) in their first four bytes, and the two that carry a
# run of cells in one row (first col at +2, last col in the record's last two bytes).
# FORMULA, NUMBER, LABEL, BOOLERR, RK, LABELSST, RSTRING (BLANK and MULBLANK hold no value).
_BIFF_CELL = {0x0006, 0x0203, 0x0204, 0x0205, 0x027E, 0x00FD, 0x00D6}
_BIFF_MULRK = 0x00BD
_BIFF_BOF, _BIFF_EOF, _BIFF_BOUNDSHEET, _BIFF_ROW = 0x0809, 0x000A, 0x0085, 0x0208


def scan_xls(data: bytes) -> dict[str, SheetExtent]:
    """{sheet name: used range and hidden rows} from the BIFF8 records of an .xls workbook."""
    from xlrd.compdoc import CompDoc

    doc = CompDoc(data, logfile=io.StringIO())
    stream = None
    for name in ("Workbook", "Book", "WORKBOOK", "BOOK"):
        try:
            stream = doc.get_named_stream(name)
        except Exception:
            stream = None
        if stream:
            break
    if not stream:
        return {}
    names: dict[int, str] = {}  # BOF offset of each worksheet -> its name
    pos, size = 0, len(stream)
    while pos + 4 <= size:
        rtype, length = struct.unpack_from("<HH", stream, pos)
        if rtype == _BIFF_BOUNDSHEET and length >= 8:
            offset = struct.unpack_from("<I", stream, pos + 4)[0]
            nchars, flags = stream[pos + 10], stream[pos + 11]
            raw = stream[pos + 12 : pos + 4 + length]
            names[offset] = (
                raw[: nchars * 2].decode("utf-16-le", "replace") if flags & 1 else raw[:nchars].decode("latin-1")
            )
            if len(names) > MAX_SHEETS_WALKED:
                raise TooManySheets(len(names))
        pos += 4 + length
        if rtype == _BIFF_EOF:
            break
    extents: dict[str, SheetExtent] = {}
    for offset, name in names.items():
        ext = extents[name] = SheetExtent()
        pos, depth = offset, 0
        while pos + 4 <= size:
            rtype, length = struct.unpack_from("<HH", stream, pos)
            body = pos + 4
            if rtype in _BIFF_CELL and length >= 4:
                r, c = struct.unpack_from("<HH", stream, body)
                ext.include(r + 1, c + 1)
            elif rtype == _BIFF_MULRK and length >= 6:
                r = struct.unpack_from("<H", stream, body)[0]
                last = struct.unpack_from("<H", stream, body + length - 2)[0]
                ext.include(r + 1, last + 1)
            elif rtype == _BIFF_ROW and length >= 16:
                r = struct.unpack_from("<H", stream, body)[0]
                options = struct.unpack_from("<H", stream, body + 12)[0]
                if options & 0x20:  # fDyZero: the row is hidden
                    ext.hidden_rows.add(r)
            elif rtype == _BIFF_BOF:
                depth += 1  # the sheet's own BOF, or an embedded chart's
            elif rtype == _BIFF_EOF:
                depth -= 1
                if depth <= 0:
                    break
            pos = body + length
    return extents
