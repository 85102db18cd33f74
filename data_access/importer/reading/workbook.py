"""Bytes -> one Grid per sheet (cell values + merged ranges), and cell fills on demand.

Values come from python-calamine (fast; formulas arrive as Excel's cached values; merged ranges
included); a Word action plan's tables are read by word_tables.py. Fills are read with openpyxl
(xlsx), xlrd (xls) or the cells' automatic styles in content.xml (ods) only for the cells that
need them — status cells with no text — because a full styled parse costs ~10x the value read.
"""

from __future__ import annotations

import colorsys
import io
import re
import zipfile
from dataclasses import dataclass

from data_access.domain.clean_text import clean_text, needs_cleaning
from data_access.domain.rules import hex_to_rgb
from data_access.importer.parsed import ImportRefused, Limits, Problem
from data_access.importer.reading import used_range
from data_access.importer.reading.csv_grid import read_csv
from data_access.importer.reading.grid import Grid, column_letter
from data_access.importer.reading.safety import refuse

# ---------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------


def read_grids(data: bytes, kind: str, filename: str, limits: Limits) -> list[Grid]:
    if kind == "csv":
        return [read_csv(data, filename, limits)]
    return read_excel(data, filename, limits, kind)


def standard_package(data: bytes, kind: str, filename: str = "upload") -> bytes:
    """An .xlsx in Excel's own layout (opc_package.standard_xlsx: a workbook whose parts are
    elsewhere, found through the package's relationships, moved to xl/); other kinds unchanged."""
    if kind != "xlsx":
        return data
    from data_access.importer.reading.opc_package import standard_xlsx

    try:
        return standard_xlsx(data)
    except Exception:
        raise refuse(filename, "is corrupt: its list of parts (relationships) cannot be read safely.") from None


def _used_ranges(data: bytes, filename: str, kind: str) -> dict[str, used_range.SheetExtent] | None:
    """Each sheet's used range from the raw file (None when an .xls cannot be walked: the reader,
    bounded by the sandbox's memory limit, then decides)."""
    try:
        if kind == "ods":
            return used_range.scan_ods(data)
        if kind == "xls":
            return used_range.scan_xls(data)
        return used_range.scan_xlsx(data)
    except ImportRefused:
        raise
    except MemoryError:
        raise
    except used_range.TooManySheets as many:
        raise refuse(filename, f"has more than {many.count - 1:,} sheets, too many for a tracker.") from None
    except Exception:
        if kind == "xls":
            return None
        raise refuse(filename, "is truncated or corrupt and cannot be read as a spreadsheet.") from None


def read_excel(data: bytes, filename: str, limits: Limits, kind: str = "xlsx") -> list[Grid]:
    import python_calamine as pc

    data = standard_package(data, kind, filename)
    extents = _used_ranges(data, filename, kind)
    if extents is not None:
        used_range.check_extents(filename, extents, limits)
    try:
        workbook = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
        metas = list(workbook.sheets_metadata)
        if len(metas) > limits.max_sheets:
            raise refuse(filename, f"has {len(metas)} sheets, over the limit of {limits.max_sheets}.")
        grids = []
        cells_so_far = 0
        for meta in metas:
            if meta.typ != pc.SheetTypeEnum.WorkSheet:
                continue  # chart sheets, macro sheets
            extent = extents.get(meta.name) if extents is not None else None
            if extent is None and extents is not None and kind != "xls":
                # Never build a grid whose size was not measured first.
                raise refuse(filename, f"is corrupt: sheet '{meta.name}' cannot be found inside the file.")
            visible = meta.visible == pc.SheetVisibleEnum.Visible
            hidden = set(extent.hidden_rows) if extent else set()
            sheet = workbook.get_sheet_by_name(meta.name)
            end = sheet.end
            if end is None:
                grids.append(Grid(meta.name, [], [], visible, hidden))
                continue
            n_rows, n_cols = end[0] + 1, end[1] + 1
            if n_rows > limits.max_rows:
                raise refuse(
                    filename, f"has {n_rows:,} rows on sheet '{meta.name}', over the limit of {limits.max_rows:,} rows."
                )
            if n_cols > used_range.MAX_COLUMNS or n_rows * n_cols > used_range.MAX_CELLS:
                raise refuse(
                    filename,
                    f"has data out to column {column_letter(n_cols - 1)} on sheet '{meta.name}', "
                    "too wide to be a tracker.",
                )
            cells_so_far += n_rows * n_cols
            if cells_so_far > used_range.MAX_CELLS_PER_FILE:
                raise refuse(
                    filename,
                    f"spans more than {used_range.MAX_CELLS_PER_FILE:,} cells over its sheets, too large to be "
                    "a tracker.",
                )
            rows = sheet.to_python(skip_empty_area=False)
            merges = list(sheet.merged_cell_ranges or []) or (list(extent.merges or []) if extent else [])
            grids.append(Grid(meta.name, rows, merges, visible, hidden))
        return grids
    except ImportRefused:
        raise
    except pc.PasswordError:
        raise refuse(
            filename, "is password-protected (encrypted); remove the password in Excel and upload it again."
        ) from None
    except pc.XmlError:
        raise refuse(
            filename, "is corrupt: its XML cannot be read safely (malformed, or it uses XML entities)."
        ) from None
    except MemoryError:
        raise refuse(filename, "is too large to read.") from None
    except Exception:  # CalamineError, ZipError, ...
        raise refuse(filename, "is truncated or corrupt and cannot be read as a spreadsheet.") from None
    except BaseException as exc:
        # A panic inside the Rust reader arrives as pyo3's PanicException, a BaseException that
        # `except Exception` misses (found by fuzzing a corrupt .xls with the catch-all off).
        if type(exc).__module__ == "pyo3_runtime":
            raise refuse(filename, "is truncated or corrupt and cannot be read as a spreadsheet.") from None
        raise


# ---------------------------------------------------------------------------
# The one rule for text that enters (data_access/domain/clean_text.py)
# ---------------------------------------------------------------------------

MAX_LISTED_CELLS = 10
CLEANED = (
    "characters no paper can hold (control characters, such as the _x000B_ Excel saves for a line break "
    "pasted from Word): line breaks were kept as line breaks and the others became spaces"
)


def clean_grids(grids: list[Grid]) -> tuple[list[Problem], dict[str, str]]:
    """Apply clean_text to every text cell and sheet name of `grids`, in place.

    Returns the problems that say so — one line with the number of cells changed, then the first
    MAX_LISTED_CELLS cells by sheet, row and column, then how many more — and {cleaned sheet name:
    the name in the file} for the sheets whose name changed (the fill reader opens sheets by the
    file's own names)."""
    changed: list[tuple[str | None, int | None, str | None]] = []
    renamed: dict[str, str] = {}
    for grid in grids:
        if grid.name is not None and needs_cleaning(grid.name):
            clean = clean_text(grid.name)
            renamed[clean] = grid.name
            changed.append((clean, None, None))
            grid.name = clean
        if not needs_cleaning("\t".join(v for row in grid.rows for v in row if isinstance(v, str))):
            continue  # one search per sheet: almost every sheet needs nothing
        for r, row in enumerate(grid.rows):
            if not needs_cleaning("\t".join(v for v in row if isinstance(v, str))):
                continue  # one search per row: almost every row needs nothing
            for c, value in enumerate(row):
                if isinstance(value, str) and needs_cleaning(value):
                    row[c] = clean_text(value)
                    changed.append((grid.name, r + 1, column_letter(c)))
    if not changed:
        return [], renamed
    from data_access.domain.wording import plural

    count = plural(len(changed), "cell")
    problems = [Problem(None, None, None, f"{count} held {CLEANED}.")]
    problems += [
        Problem(
            sheet,
            row,
            column,
            "This cell held control characters; they were replaced."
            if row
            else "This sheet's name held control characters; they were replaced.",
        )
        for sheet, row, column in changed[:MAX_LISTED_CELLS]
    ]
    if len(changed) > MAX_LISTED_CELLS:
        problems.append(
            Problem(None, None, None, f"{plural(len(changed) - MAX_LISTED_CELLS, 'more cell')} like these.")
        )
    return problems, renamed


# ---------------------------------------------------------------------------
# Fills (only for status cells without text)
# ---------------------------------------------------------------------------


class FillReader:
    """Solid fill colours of chosen cells, and conditional-format ranges, for one workbook.

    Opened lazily (the styled parse is the slow part) and once per file.
    """

    def __init__(self, data: bytes, kind: str, renamed: dict[str, str] | None = None):
        self.data = standard_package(data, kind) if kind == "xlsx" else data
        self.kind = kind
        self.renamed = renamed or {}  # cleaned sheet name -> the name in the file (clean_grids)
        self._book = None
        self._theme: list[str] | None = None
        self.failed = False

    def _open(self):
        if self._book is None and not self.failed:
            try:
                if self.kind == "xlsx":
                    import openpyxl

                    # Normal mode: read-only mode has no conditional formatting, and it parses
                    # every cell anyway. defusedxml is installed, so openpyxl uses it.
                    self._book = openpyxl.load_workbook(io.BytesIO(self.data), data_only=True, keep_links=False)
                    self._theme = _theme_colours(getattr(self._book, "loaded_theme", None))
                elif self.kind == "xls":
                    import xlrd

                    self._book = xlrd.open_workbook(file_contents=self.data, formatting_info=True, on_demand=True)
                else:
                    self.failed = True
            except Exception:  # a file calamine read but the style reader cannot: just no colours
                self.failed = True
        return self._book

    def fills(self, sheet: str, cells: list[tuple[int, int]]) -> dict[tuple[int, int], str | None]:
        """{(row, col) 0-based: 'RRGGBB' or None} for the given cells."""
        sheet = self.renamed.get(sheet, sheet)
        if self.kind == "ods":
            return self._ods_fills(sheet, cells)
        if self.kind == "xlsx" and self._book is None and not self.failed:
            fast = _fast_xlsx_fills(self.data, sheet, cells)
            if fast is not None:
                return fast
        book = self._open()
        out: dict[tuple[int, int], str | None] = {}
        if book is None:
            return out
        try:
            if self.kind == "xlsx":
                ws = book[sheet]
                indexed = list(getattr(book, "_colors", None) or [])
                for r, c in cells:
                    out[(r, c)] = _openpyxl_fill(ws.cell(row=r + 1, column=c + 1), indexed, self._theme)
            else:
                ws = book.sheet_by_name(sheet)
                for r, c in cells:
                    out[(r, c)] = _xlrd_fill(book, ws, r, c)
        except Exception:
            return out
        return out

    def _ods_fills(self, sheet: str, cells: list[tuple[int, int]]) -> dict[tuple[int, int], str | None]:
        """Each cell's automatic style's fo:background-color."""
        if self.failed:
            return {}
        try:
            return ods_fills(self.data, sheet, cells)
        except Exception:  # a file the value reader read but this cannot: just no colours
            self.failed = True
            return {}

    def conditional_ranges(self, sheet: str) -> list[tuple[int, int, int, int]]:
        """(min_row, min_col, max_row, max_col), 0-based, of every conditional-format rule range."""
        sheet = self.renamed.get(sheet, sheet)
        if self.kind == "xlsx" and self._book is None and not self.failed:
            fast = _fast_xlsx_conditional_ranges(self.data, sheet)
            if fast is not None:
                return fast
        book = self._open()
        if book is None or self.kind != "xlsx":
            return []
        try:
            ranges = []
            for cf in book[sheet].conditional_formatting:
                for cr in cf.sqref.ranges:
                    ranges.append((cr.min_row - 1, cr.min_col - 1, cr.max_row - 1, cr.max_col - 1))
            return ranges
        except Exception:
            return []


# OpenDocument: a cell's colour is fo:background-color in the style:table-cell-properties of its
# style — the cell's table:style-name, else its row's, else its column's default cell style — or of
# that style's parents (automatic styles in content.xml, named ones such as "Bad" in styles.xml).

_ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_ODS_STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
_ODS_FO = "{urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0}"
_HEX6 = re.compile(r"^#([0-9A-Fa-f]{6})$")


def _ods_styles(xml_file, styles: dict[str, tuple[str | None, str | None]]) -> None:
    """{style name: (background 'RRGGBB' or None, parent name)} for table-cell styles, added to `styles`."""
    from defusedxml.ElementTree import iterparse

    for _, el in iterparse(xml_file, events=("end",), forbid_dtd=True):
        if el.tag != f"{_ODS_STYLE}style":
            if el.tag.endswith("}table"):
                el.clear()  # content.xml: styles come first; the sheets are read by the walk
            continue
        if el.get(f"{_ODS_STYLE}family") != "table-cell":
            continue
        props = el.find(f"{_ODS_STYLE}table-cell-properties")
        colour = props.get(f"{_ODS_FO}background-color") if props is not None else None
        m = _HEX6.match(colour or "")
        background = m[1].upper() if m else ("" if colour == "transparent" else None)
        styles[el.get(f"{_ODS_STYLE}name")] = (background, el.get(f"{_ODS_STYLE}parent-style-name"))


def _ods_background(styles: dict, name: str | None) -> str | None:
    for _ in range(10):  # a parent chain, never a loop
        if name is None or name not in styles:
            return None
        background, parent = styles[name]
        if background is not None:
            return background or None  # "transparent": no colour
        name = parent
    return None


def ods_fills(data: bytes, sheet: str, cells: list[tuple[int, int]]) -> dict[tuple[int, int], str | None]:
    """{(row, col) 0-based: 'RRGGBB' or None} for the given cells of the named sheet of an .ods."""
    from defusedxml.ElementTree import iterparse

    wanted: dict[int, set[int]] = {}
    for r, c in cells:
        wanted.setdefault(r, set()).add(c)
    styles: dict[str, tuple[str | None, str | None]] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        if "styles.xml" in zf.namelist():
            with zf.open("styles.xml") as fh:
                _ods_styles(fh, styles)
        with zf.open("content.xml") as fh:
            _ods_styles(fh, styles)
        style_of: dict[tuple[int, int], str | None] = {}
        last_row = max(wanted, default=-1)
        with zf.open("content.xml") as fh:
            in_sheet = False
            columns: list[tuple[int, str | None, int]] = []  # (first col, default cell style, columns)
            row = -1
            row_repeat = 1
            row_style: str | None = None
            col = 0
            depth = 0  # nested tables (in a cell's text) are not the sheet's rows
            for event, el in iterparse(fh, events=("start", "end"), forbid_dtd=True):
                tag = el.tag
                if event == "start":
                    if tag == f"{_ODS_TABLE}table":
                        depth += 1
                        if depth == 1:
                            in_sheet = el.get(f"{_ODS_TABLE}name") == sheet
                            columns, row, row_repeat = [], -1, 1
                    elif not in_sheet or depth != 1:
                        continue
                    elif tag == f"{_ODS_TABLE}table-column":
                        start = columns[-1][0] + columns[-1][2] if columns else 0
                        repeat = int(el.get(f"{_ODS_TABLE}number-columns-repeated") or 1)
                        columns.append((start, el.get(f"{_ODS_TABLE}default-cell-style-name"), repeat))
                    elif tag == f"{_ODS_TABLE}table-row":
                        row += row_repeat
                        row_repeat = int(el.get(f"{_ODS_TABLE}number-rows-repeated") or 1)
                        row_style = el.get(f"{_ODS_TABLE}default-cell-style-name")
                        col = 0
                    elif tag in (f"{_ODS_TABLE}table-cell", f"{_ODS_TABLE}covered-table-cell"):
                        repeat = int(el.get(f"{_ODS_TABLE}number-columns-repeated") or 1)
                        for r in range(row, min(row + row_repeat, last_row + 1)):
                            for c in wanted.get(r, ()):
                                if col <= c < col + repeat:
                                    style_of[(r, c)] = (
                                        el.get(f"{_ODS_TABLE}style-name") or row_style or _column_style(columns, c)
                                    )
                        col += repeat
                    continue
                if tag == f"{_ODS_TABLE}table":
                    depth -= 1
                    if depth == 0 and in_sheet:
                        break
                if depth <= 1:
                    el.clear()
    out: dict[tuple[int, int], str | None] = {}
    for r, c in cells:
        name = style_of.get((r, c))
        out[(r, c)] = _ods_background(styles, name) if name else None
    return out


def _column_style(columns: list, c: int) -> str | None:
    for start, style, repeat in columns:
        if start <= c < start + repeat:
            return style
    return None


# The fast path: the status column's style ids straight from the sheet XML (a C-speed regex), then
# styles.xml for those ids. ~10x faster than loading the workbook with styles in openpyxl. Any
# surprise in the XML returns None and the caller falls back to openpyxl.


@dataclass
class SheetPart:
    """One worksheet's XML inside an .xlsx, with the package it came from (styles.xml, the theme)."""

    package: zipfile.ZipFile
    xml: bytes

    def theme(self) -> list[str] | None:
        """The workbook's theme colours in Excel's index order; None when it has no theme."""
        names = self.package.namelist()
        part = next((n for n in names if n.startswith("xl/theme/") and n.endswith(".xml")), None)
        return _theme_colours(self.package.read(part)) if part else None


def sheet_part(data: bytes, sheet: str) -> SheetPart | None:
    """The named sheet's XML in an .xlsx. None when the sheet is not there, or when its XML is
    namespace-prefixed (<x:c ...>), which only openpyxl reads; a damaged package raises, and the
    caller falls back to openpyxl or to no colours."""
    package = zipfile.ZipFile(io.BytesIO(data))
    part = used_range.xlsx_sheet_parts(package).get(sheet)
    if part is None:
        return None
    xml = package.read(part)
    if b"<sheetData" not in xml:
        return None
    return SheetPart(package, xml)


def _fast_xlsx_fills(data: bytes, sheet: str, cells: list[tuple[int, int]]) -> dict | None:
    try:
        found = sheet_part(data, sheet)
        if found is None:
            return None
        zf, xml = found.package, found.xml
        from openpyxl.styles.stylesheet import Stylesheet
        from openpyxl.xml.functions import fromstring as openpyxl_fromstring

        wanted: dict[int, set[int]] = {}
        for r, c in cells:
            wanted.setdefault(c, set()).add(r + 1)
        style_of: dict[tuple[int, int], int] = {}
        style_attr = re.compile(rb'\bs="(\d+)"')
        for c, rows in wanted.items():
            letter = column_letter(c).encode()
            # Excel, LibreOffice and openpyxl write the reference first (<c r="G5" s="3">): a pattern
            # anchored on it is ~6x faster; cells it misses are looked for with the general one.
            for row, rest in re.findall(rb'<c r="' + letter + rb'(\d+)"([^>]*)>', xml):
                row = int(row)
                if row in rows:
                    s = style_attr.search(rest)
                    style_of[(row - 1, c)] = int(s[1]) if s else 0
            if any((row - 1, c) not in style_of for row in rows):
                pattern = re.compile(rb'<c\s[^>]*?\br="' + letter + rb'(\d+)"[^>]*>')
                for m in pattern.finditer(xml):
                    row = int(m[1])
                    if row in rows:
                        s = style_attr.search(m[0])
                        style_of[(row - 1, c)] = int(s[1]) if s else 0
        styles = Stylesheet.from_tree(openpyxl_fromstring(zf.read("xl/styles.xml")))
        palette = list(styles.colors.index) if styles.colors is not None else []
        theme = found.theme()
        xfs = list(styles.cellXfs.xf)
        fills = list(styles.fills)
        out: dict[tuple[int, int], str | None] = {}
        by_xf: dict[int, str | None] = {}  # thousands of cells share a handful of styles
        for r, c in cells:
            xf_id = style_of.get((r, c))
            if xf_id is None or xf_id >= len(xfs):
                out[(r, c)] = None
                continue
            if xf_id not in by_xf:
                fill_id = xfs[xf_id].fillId or 0
                fill = fills[fill_id] if fill_id < len(fills) else None
                by_xf[xf_id] = _fill_hex(fill, palette, theme) if fill is not None else None
            out[(r, c)] = by_xf[xf_id]
        return out
    except Exception:
        return None


def _fast_xlsx_conditional_ranges(data: bytes, sheet: str) -> list | None:
    try:
        found = sheet_part(data, sheet)
        if found is None:
            return None
        from openpyxl.utils.cell import range_boundaries

        ranges = []
        for m in re.finditer(rb'<conditionalFormatting\b[^>]*\bsqref="([^"]+)"', found.xml):
            for ref in m[1].decode().split():
                min_col, min_row, max_col, max_row = range_boundaries(ref)
                ranges.append((min_row - 1, min_col - 1, max_row - 1, max_col - 1))
        return ranges
    except Exception:
        return None


def _openpyxl_fill(cell, indexed_palette: list[str], theme: list[str] | None) -> str | None:
    return _fill_hex(cell.fill, indexed_palette, theme)


def _fill_hex(fill, indexed_palette: list[str], theme: list[str] | None) -> str | None:
    if fill is None or getattr(fill, "fill_type", None) != "solid":
        return None
    colour = fill.fgColor
    kind = getattr(colour, "type", None)
    if kind == "rgb":
        value = colour.rgb
        return value[-6:] if isinstance(value, str) and len(value) >= 6 else None
    if kind == "indexed":
        from openpyxl.styles.colors import COLOR_INDEX

        palette = indexed_palette or list(COLOR_INDEX)
        index = colour.indexed
        if index is None or not 0 <= index < len(palette) or index >= 64:
            return None  # 64/65: system foreground/background, not a colour the user chose
        return str(palette[index])[-6:]
    if kind == "theme":
        return theme_colour(theme, colour.theme, colour.tint)
    return None


def _xlrd_fill(book, ws, r: int, c: int) -> str | None:
    if r >= ws.nrows or c >= ws.ncols:
        return None
    xf = book.xf_list[ws.cell_xf_index(r, c)]
    if xf.background.fill_pattern != 1:  # 1 = solid
        return None
    rgb = book.colour_map.get(xf.background.pattern_colour_index)
    return "{:02X}{:02X}{:02X}".format(*rgb) if rgb else None


_THEME_ORDER = (
    "lt1",
    "dk1",
    "lt2",
    "dk2",
    "accent1",
    "accent2",
    "accent3",
    "accent4",
    "accent5",
    "accent6",
    "hlink",
    "folHlink",
)  # Excel's theme index order (light/dark swapped vs the XML)


def _theme_colours(theme_xml: bytes | str | None) -> list[str] | None:
    if not theme_xml:
        return None
    try:
        from defusedxml.ElementTree import fromstring

        root = fromstring(theme_xml)
        ns = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
        scheme = root.find(f"{ns}themeElements/{ns}clrScheme")
        colours = {}
        for child in scheme:
            name = child.tag.replace(ns, "")
            for value in child:
                colours[name] = value.get("lastClr") or value.get("val")
        return [colours.get(name, "000000") for name in _THEME_ORDER]
    except Exception:
        return None


def theme_colour(theme: list[str] | None, index: int | None, tint: float | str | None) -> str | None:
    """Colour `index` of a workbook's theme (SheetPart.theme) with Excel's tint applied, as 'RRGGBB';
    None when the workbook has no theme or no such colour. The one theme lookup for cell fills and
    conditional-format fills alike."""
    if not theme or index is None or not 0 <= index < len(theme):
        return None
    return apply_tint(theme[index], float(tint or 0.0))


def apply_tint(hex_colour: str, tint: float) -> str:
    """Excel's tint: lighten (tint > 0) or darken (tint < 0) the colour's HLS lightness."""
    r, g, b = (c / 255 for c in hex_to_rgb(hex_colour))
    hue, light, sat = colorsys.rgb_to_hls(r, g, b)
    if tint < 0:
        light = light * (1 + tint)
    elif tint > 0:
        light = light * (1 - tint) + tint
    r, g, b = colorsys.hls_to_rgb(hue, max(0.0, min(1.0, light)), sat)
    return f"{round(r * 255):02X}{round(g * 255):02X}{round(b * 255):02X}"
