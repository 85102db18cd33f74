"""A Word action plan (.docx) -> Grids, so the rest of the importer (header recognition,
sheets.build_reviews) reads it exactly as it reads a workbook.

Many councils write the post-inspection plan itself in Word: one table, or one table per
recommendation with the recommendation in a heading (or a row spanning the table) above it. Each
table with a recognisable header becomes a Grid; consecutive tables with the same header (or none,
and as many columns) are joined into one Grid, each under a section row spanning the table that
holds its recommendation — the row an Excel tracker would have merged across. Above the table go
the plan's name (the document's title property, else its first Title/Heading paragraph that is
not only a date) and the sentence stating the review date ("Position as at …", "Updated: …"),
where sheets.title_of and sheets.as_at_from_title find them.

Cells merged down (w:vMerge) are carried down and recorded as merged ranges, cells spanning
columns (w:gridSpan) as merged ranges; a cell's shading (w:shd) is its fill colour, read by
FillReader like an .xlsx fill. The XML is parsed with defusedxml (no DTDs, no entities) after
safety.check_zip has measured the zip.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field

from data_access.importer.parsed import Limits
from data_access.importer.reading.grid import Grid

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DC = "{http://purl.org/dc/elements/1.1/}"
_DATE_LINE_RE = re.compile(
    r"\b(?:as\s+at|as\s+of|position\s+at|(?:last\s+)?updated|review\s+date|date\s+of\s+review|reporting\s+date)\b",
    re.IGNORECASE,
)
_REC_LINE_RE = re.compile(r"^\s*(?:ofsted\s+)?(?:recommendation|area for (?:development|improvement))\b", re.I)
_HEX_RE = re.compile(r"^[0-9A-Fa-f]{6}$")
MAX_TABLES = 200


@dataclass
class WordTable:
    """One w:tbl as text rows (merges applied), with each cell's shading."""

    rows: list[list[str]]
    merges: list[tuple[tuple[int, int], tuple[int, int]]]
    shading: dict[tuple[int, int], str]  # (row, col) -> 'RRGGBB'
    before: list[tuple[str, bool]] = field(default_factory=list)  # (paragraph text, is a heading) above it


@dataclass
class WordDocument:
    title: str | None
    date_line: str | None
    tables: list[WordTable]


@dataclass
class WordGrids:
    grids: list[Grid]
    fills: dict[str, dict[tuple[int, int], str]]  # grid name -> {(row, col): 'RRGGBB'}

    def fill_reader(self) -> WordFills:
        return WordFills(self.fills)


@dataclass
class WordFills:
    """The cells' shading, answering as workbook.FillReader does (status_cells reads either)."""

    shading: dict[str, dict[tuple[int, int], str]]
    kind: str = "docx"
    data: bytes = b""

    def fills(self, sheet: str, cells: list[tuple[int, int]]) -> dict[tuple[int, int], str | None]:
        known = self.shading.get(sheet, {})
        return {cell: known.get(cell) for cell in cells}

    def conditional_ranges(self, sheet: str) -> list[tuple[int, int, int, int]]:
        return []  # Word has no conditional formatting


def _text(el) -> str:
    parts = []
    for node in el.iter():
        tag = node.tag
        if tag == f"{W}t" and node.text:
            parts.append(node.text)
        elif tag == f"{W}tab":
            parts.append("\t")
        elif tag in (f"{W}br", f"{W}cr"):
            parts.append("\n")
    return "".join(parts)


def _cell_text(tc) -> str:
    paragraphs = [_text(p) for p in tc.iter(f"{W}p")]
    return "\n".join(p for p in paragraphs if p.strip()).strip()


def _val(el, name: str) -> str | None:
    return None if el is None else el.get(f"{W}{name}")


def _shading(tc) -> str | None:
    shd = tc.find(f"{W}tcPr/{W}shd")
    if shd is None:
        return None
    colour = _val(shd, "color") if _val(shd, "val") == "solid" else _val(shd, "fill")
    return colour.upper() if colour and _HEX_RE.match(colour) else None


def _row_cells(tr):
    for child in tr:
        if child.tag == f"{W}tc":
            yield child
        elif child.tag in (f"{W}sdt", f"{W}customXml"):
            content = child.find(f"{W}sdtContent") if child.tag == f"{W}sdt" else child
            if content is not None:
                yield from _row_cells(content)


def _table(tbl, limits: Limits, filename: str) -> WordTable:
    from data_access.importer.reading import used_range
    from data_access.importer.reading.safety import refuse

    rows: list[list[str]] = []
    shading: dict[tuple[int, int], str] = {}
    spans: list[tuple[int, int, int]] = []  # (row, col, last col) of cells spanning columns
    open_down: dict[int, list[int]] = {}  # first col -> [first row, last row, last col] of a merge down
    merges = []
    trs = [tr for tr in tbl.iter(f"{W}tr") if _owner_table(tr, tbl)]
    if len(trs) > limits.max_rows:
        raise refuse(filename, f"has a table of {len(trs):,} rows, over the limit of {limits.max_rows:,} rows.")
    for r, tr in enumerate(trs):
        row: list[str] = []
        c = int(_val(tr.find(f"{W}trPr/{W}gridBefore"), "val") or 0)
        row.extend([""] * c)
        for tc in _row_cells(tr):
            span = max(1, int(_val(tc.find(f"{W}tcPr/{W}gridSpan"), "val") or 1))
            if c + span > used_range.MAX_COLUMNS:
                raise refuse(filename, "has a table too wide to be an action plan.")
            merge = tc.find(f"{W}tcPr/{W}vMerge")
            text, colour = _cell_text(tc), _shading(tc)
            if merge is not None and (_val(merge, "val") or "continue") == "continue" and c in open_down:
                first = open_down[c]
                first[1] = r
                text = rows[first[0]][c]  # carried down
                colour = shading.get((first[0], c))
            else:
                if c in open_down:
                    _close(open_down.pop(c), c, merges, spans)
                if merge is not None:
                    open_down[c] = [r, r, c + span - 1]
                elif span > 1:
                    spans.append((r, c, c + span - 1))
            row.append(text)
            row.extend([""] * (span - 1))
            if colour:
                for k in range(span):
                    shading[(r, c + k)] = colour
            c += span
        for col in [col for col, m in open_down.items() if m[1] < r]:
            _close(open_down.pop(col), col, merges, spans)
        rows.append(row)
    for col, m in open_down.items():
        _close(m, col, merges, spans)
    merges += [((r, c0), (r, c1)) for r, c0, c1 in spans]
    width = max((len(r) for r in rows), default=0)
    for row in rows:
        row.extend([""] * (width - len(row)))
    return WordTable(rows, merges, shading)


def _close(m: list[int], col: int, merges: list, spans: list) -> None:
    first, last, last_col = m
    if last > first or last_col > col:
        merges.append(((first, col), (last, last_col)))


def _owner_table(tr, tbl) -> bool:
    """Whether the row belongs to `tbl` itself, not to a table nested in one of its cells."""
    return any(tr is child for child in _direct_rows(tbl))


def _direct_rows(tbl):
    for child in tbl:
        if child.tag == f"{W}tr":
            yield child
        elif child.tag in (f"{W}sdt", f"{W}customXml"):
            content = child.find(f"{W}sdtContent") if child.tag == f"{W}sdt" else child
            if content is not None:
                yield from _direct_rows(content)


def _blocks(body):
    """The body's paragraphs and tables in order (content controls opened)."""
    for child in body:
        if child.tag in (f"{W}p", f"{W}tbl"):
            yield child
        elif child.tag in (f"{W}sdt", f"{W}customXml"):
            content = child.find(f"{W}sdtContent") if child.tag == f"{W}sdt" else child
            if content is not None:
                yield from _blocks(content)


def _heading_styles(package: zipfile.ZipFile, names: set[str], folder: str) -> set[str]:
    """Style ids of Title and Heading n styles (by their names: ids are translated in some Words)."""
    from defusedxml.ElementTree import fromstring

    ids = set()
    part = posixpath.join(folder, "styles.xml")
    if part in names:
        for style in fromstring(package.read(part), forbid_dtd=True).iter(f"{W}style"):
            name = (_val(style.find(f"{W}name"), "val") or "").casefold()
            if name == "title" or name.startswith("heading"):
                ids.add(style.get(f"{W}styleId"))
    return ids


def _core_title(package: zipfile.ZipFile, names: set[str]) -> str | None:
    from defusedxml.ElementTree import fromstring

    if "docProps/core.xml" not in names:
        return None
    el = fromstring(package.read("docProps/core.xml"), forbid_dtd=True).find(f"{DC}title")
    return " ".join(el.text.split()) if el is not None and el.text and el.text.strip() else None


def read_document(data: bytes, filename: str, limits: Limits) -> WordDocument:
    from defusedxml.ElementTree import fromstring

    from data_access.importer.reading import opc_package
    from data_access.importer.reading.safety import refuse
    from data_access.importer.reading.sheets import is_review_date

    with zipfile.ZipFile(io.BytesIO(data)) as package:
        main = opc_package.main_part(package)
        if main is None or main.kind != "docx":
            raise refuse(filename, "is not a Word document.")
        names = set(package.namelist())
        folder = posixpath.dirname(main.path)
        headings = _heading_styles(package, names, folder)
        root = fromstring(package.read(main.path), forbid_dtd=True)
        core_title = _core_title(package, names)
    body = root.find(f"{W}body")
    if body is None:
        raise refuse(filename, "is a Word document with no body.")
    tables: list[WordTable] = []
    before: list[tuple[str, bool]] = []
    first_heading = date_line = None
    for block in _blocks(body):
        if block.tag == f"{W}p":
            text = " ".join(_text(block).split())
            if not text:
                continue
            style = _val(block.find(f"{W}pPr/{W}pStyle"), "val")
            is_heading = style in headings or (style or "").lower().startswith(("heading", "title"))
            before.append((text, is_heading))
            if date_line is None and _DATE_LINE_RE.search(text) and re.search(r"\d", text):
                date_line = text
            if first_heading is None and is_heading and not is_review_date(text):
                first_heading = text
            continue
        if len(tables) >= MAX_TABLES:
            raise refuse(filename, f"has more than {MAX_TABLES} tables, too many for an action plan.")
        table = _table(block, limits, filename)
        table.before, before = before, []
        if table.rows:
            tables.append(table)
    title = core_title if core_title and not is_review_date(core_title) else first_heading
    return WordDocument(title, date_line, tables)


def _header_row(table: WordTable) -> int | None:
    from data_access.importer.reading.header_columns import find_header

    return find_header(Grid(None, table.rows), None)


def _recommendation_above(table: WordTable, header: int | None) -> str | None:
    """The recommendation a table is for: a row spanning the table above its header, else the last
    heading above the table, else the last paragraph above it that starts 'Recommendation …'."""
    for row in (table.rows[:header] if header else [])[::-1]:
        texts = [t for t in row if t.strip()]
        if len(set(texts)) == 1:
            return texts[0]
    headings = [text for text, is_heading in table.before if is_heading]
    if headings:
        return headings[-1]
    lines = [text for text, _ in table.before if _REC_LINE_RE.match(text)]
    return lines[-1] if lines else None


def word_grids(data: bytes, filename: str, limits: Limits | None = None) -> WordGrids:
    """The document's tables as Grids named 'Table 1', 'Tables 2–5' (joined), with their shading."""
    from data_access.importer.reading import used_range
    from data_access.importer.reading.safety import refuse

    limits = limits or Limits()
    doc = read_document(data, filename, limits)
    if not doc.tables:
        raise refuse(
            filename,
            "is a Word document with no tables; the action plan is read from its table (one table, or one table "
            "per recommendation).",
        )
    headers = [_header_row(t) for t in doc.tables]
    groups: list[list[int]] = []
    for i, (table, header) in enumerate(zip(doc.tables, headers, strict=True)):
        # A table with the same header as the group's, or with none and as many columns: the next
        # recommendation's actions.
        lead = groups[-1][0] if groups else None
        if (
            lead is not None
            and headers[lead] is not None
            and len(table.rows[0]) == len(doc.tables[lead].rows[0])
            and (header is None or _same_header(doc.tables[i], header, doc.tables[lead], headers[lead]))
        ):
            groups[-1].append(i)
            continue
        groups.append([i])
    if any(headers[g[0]] is not None for g in groups):
        groups = [g for g in groups if headers[g[0]] is not None]
    above = [[doc.title]] if doc.title else []
    if doc.date_line and doc.date_line != doc.title:
        above.append([doc.date_line])
    grids, fills, cells = [], {}, 0
    for group in groups:
        lead = doc.tables[group[0]]
        name = f"Table {group[0] + 1}" if len(group) == 1 else f"Tables {group[0] + 1}–{group[-1] + 1}"
        rows = [list(r) for r in above]
        merges, shading = [], {}
        joined = len(group) > 1
        # Joined tables whose header names no recommendation get two columns for it (the number
        # and the text from the heading above each table); otherwise a row spanning the table.
        lead_header = doc.tables[group[0]].rows[headers[group[0]]] if headers[group[0]] is not None else []
        add = 2 if joined and not _names_recommendation(lead_header) else 0
        for k, index in enumerate(group):
            table, header = doc.tables[index], headers[index]
            start, ref_text = 0, ("", "")
            if joined:
                if k == 0:
                    rows.append(["Rec No.", "Recommendation"][:add] + list(table.rows[header]))
                rec = _recommendation_above(table, header)
                if rec and add:
                    ref_text = _ref_and_text(rec)
                elif rec:
                    width = len(table.rows[0])
                    merges.append(((len(rows), 0), (len(rows), width - 1)))
                    rows.append([rec] + [""] * (width - 1))
                start = (header + 1) if header is not None else 0
            offset = len(rows) - start
            for (r0, c0), (r1, c1) in table.merges:
                if r0 >= start:
                    merges.append(((r0 + offset, c0 + add), (r1 + offset, c1 + add)))
            for (r, c), colour in table.shading.items():
                if r >= start:
                    shading[(r + offset, c + add)] = colour
            rows.extend(list(ref_text[:add]) + list(r) for r in table.rows[start:])
        if len(rows) > limits.max_rows:
            raise refuse(filename, f"has {len(rows):,} table rows, over the limit of {limits.max_rows:,} rows.")
        cells += sum(len(r) for r in rows)
        if cells > used_range.MAX_CELLS_PER_FILE:
            raise refuse(filename, "has tables too large to be an action plan.")
        grids.append(Grid(name, rows, merges))
        fills[name] = shading
    return WordGrids(grids, fills)


_REC_HEADING_RE = re.compile(
    r"^\s*(?:(?:ofsted\s+)?(?:recommendation|rec|area for (?:development|improvement))\s*(?:no\.?\s*)?)?"
    r"([A-Za-z]?\d+[a-z]?)\s*[:.)\-–]\s*(.+)$",
    re.IGNORECASE | re.DOTALL,
)


def _ref_and_text(heading: str) -> tuple[str, str]:
    """'Recommendation 2: Improve …' or '2. Improve …' -> ('2', 'Improve …'); else ('', heading)."""
    m = _REC_HEADING_RE.match(heading)
    return (m[1], m[2].strip()) if m else ("", heading.strip())


def _names_recommendation(header: list[str]) -> bool:
    from data_access.importer.reading.header_columns import field_for_header

    return any(field_for_header(text, None)[0] in ("rec_ref", "rec_text") for text in header if text.strip())


def _same_header(a: WordTable, a_header: int, b: WordTable, b_header: int) -> bool:
    def norm(row: list[str]) -> list[str]:
        return [" ".join(t.split()).casefold() for t in row]

    return norm(a.rows[a_header]) == norm(b.rows[b_header])
