"""Each action's status: the RAG word in its status cell (rules.normalise_status), else its fill
colour, else (with a separate stage column) 'Completed' means complete.

Status columns that hold codes (1-4, 0-3) or progress words (Not started, In progress, On hold,
Overdue) take their meaning from evidence in the file — a key line ("Key: 1 = Red, 2 = Amber"), a
legend sheet or block, or conditional-formatting rules that colour each value — or from the user
(remembered per plan). A code with no meaning is never guessed: it is listed (ParsedFile.coded_statuses)
and the import cannot be committed until someone says what it means.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

from data_access.domain import rules
from data_access.domain.tracker_rows import TrackerRow
from data_access.domain.wording import short_text
from data_access.importer.parsed import CodedStatus, Problem
from data_access.importer.reading.grid import Grid
from data_access.importer.reading.sheet_rows import QUOTED, Walk, text_of
from data_access.importer.reading.workbook import FillReader, sheet_part, theme_colour

KEY_SCAN_ROWS = 200  # rows of a footer or a legend sheet searched for a key
_KEY_PREFIX = re.compile(r"^\s*(?:b?rag\s+|status\s+)?(?:key|legend)\s*(?:to\s+\w+\s*)?[:\-–]?\s*", re.IGNORECASE)
_PAIR_SEPARATORS = ("=", ":", "–", " - ")
# A numeric code and its meaning anywhere in a key line, whichever way the codes run and however
# the pairs are separated: "1 = Red 2 = Amber", "4 = Blue … 1 = Red", "4 = Complete ... 1 = Red".
_CODE_PAIR = re.compile(r"(?<![\w.])(\d{1,2})\s*(?:=|:|–|-)\s*([^\d,;…=:]+?)(?=\s*(?:[,;…]|\.{2,}|\d{1,2}\s*[=:–-]|$))")


@dataclass
class Meaning:
    status: str
    source: str  # "the key on sheet 'Plan', row 2"


@dataclass
class StatusKey:
    """What each code means, and where that was read. Keys are rules.status_value_key(value)."""

    meanings: dict[str, Meaning] = field(default_factory=dict)

    def add(self, value: str, status: str, source: str) -> None:
        self.meanings.setdefault(rules.status_value_key(value), Meaning(status, source))

    def get(self, value: str) -> Meaning | None:
        return self.meanings.get(rules.status_value_key(value))


# ---------------------------------------------------------------------------
# Finding a key in the file
# ---------------------------------------------------------------------------


def pairs_in_text(text: str) -> list[tuple[str, str]]:
    """'Key: 1 = Red, 2 = Amber; 3 = Green' -> [('1', 'red'), ('2', 'amber'), ('3', 'green')]:
    the (code, status) pairs a key line states, codes only (RAG words mean what they always mean)."""
    body = _KEY_PREFIX.sub("", text, count=1)
    out = []
    for item in re.split(r"[,;\n]|\s{3,}", body):
        for sep in _PAIR_SEPARATORS:
            if sep in item:
                left, right = item.split(sep, 1)
                code = left.strip().strip("\"'“”")
                status = rules.status_meaning(right.strip().strip(".\"'“”()"))
                if code and len(code) <= 30 and status and rules.is_status_code(code):
                    out.append((code, status))
                break
    found = [(m[1], rules.status_meaning(m[2].strip().strip(".\"'“”()"))) for m in _CODE_PAIR.finditer(body)]
    if sum(1 for _, status in found if status) >= 2:  # a key states several codes; "Action 1 - Red team" is not one
        seen = {code for code, _ in out}
        for code, status in found:
            if status and code not in seen:
                out.append((code, status))
                seen.add(code)
    return out


def key_from_rows(key: StatusKey, grid: Grid, rows: range, what: str) -> None:
    """Key pairs written in cells ('1 = Red') or as a code and its meaning side by side."""
    for r in rows:
        if r >= len(grid.rows):
            break
        texts = [t for t in (text_of(v) for v in grid.rows[r][:30]) if t]
        if not texts:
            continue
        where = f"{what}, row {r + 1}"
        for text in texts:
            for code, status in pairs_in_text(text):
                key.add(code, status, where)
        if len(texts) >= 2 and len(texts[0]) <= 30 and rules.is_status_code(texts[0]):
            status = rules.status_meaning(texts[1]) or rules.status_meaning(texts[1].split(" ")[0].strip(":-–"))
            if status:
                key.add(texts[0].strip(), status, where)


def key_from_conditional_formatting(
    key: StatusKey, fills: FillReader | None, sheet: str | None, column: int, where_column: str
) -> None:
    """Conditional-formatting rules on the status column that colour each value ('cell equals 1:
    red fill'): the colours say what the codes mean."""
    if fills is None or sheet is None:
        return
    for value, colour in conditional_value_fills(fills, sheet, column):
        status = rules.status_from_fill(colour)
        if status != rules.UNKNOWN and rules.is_status_code(value):
            key.add(value, status, f"the conditional formatting of column {where_column} on sheet '{sheet}'")


def conditional_value_fills(fills: FillReader, sheet: str, column: int) -> list[tuple[str, str]]:
    """(value, fill colour) of each 'equals'/'contains' conditional-format rule covering the column
    (.xlsx only; anything unexpected gives no pairs)."""
    if fills.kind != "xlsx":
        return []
    try:
        from defusedxml.ElementTree import fromstring

        found = sheet_part(fills.data, sheet)
        if found is None:
            return []
        blocks = re.findall(rb"<conditionalFormatting\b.*?</conditionalFormatting>", found.xml, re.DOTALL)
        if not blocks:
            return []
        styles = fromstring(found.package.read("xl/styles.xml"))
        ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
        dxfs = list(styles.iter(f"{ns}dxf"))
        theme = found.theme()
        out = []
        for block in blocks:
            element = fromstring(block)
            if not _covers_column(element.get("sqref", ""), column):
                continue
            for rule in element.iter("cfRule"):
                value = _rule_value(rule)
                dxf_id = rule.get("dxfId")
                if value is None or dxf_id is None or not dxf_id.isdigit() or int(dxf_id) >= len(dxfs):
                    continue
                colour = _dxf_fill(dxfs[int(dxf_id)], ns, theme)
                if colour:
                    out.append((value, colour))
        return out
    except Exception:
        return []


def _covers_column(sqref: str, column: int) -> bool:
    from openpyxl.utils.cell import range_boundaries

    for ref in sqref.split():
        try:
            min_col, _, max_col, _ = range_boundaries(ref)
        except ValueError:
            continue
        if min_col - 1 <= column <= max_col - 1:
            return True
    return False


def _rule_value(rule) -> str | None:
    kind, operator = rule.get("type"), rule.get("operator")
    if kind in ("containsText", "beginsWith") and rule.get("text"):
        return rule.get("text")
    formula = rule.find("formula")
    text = (formula.text or "").strip() if formula is not None else ""
    if kind == "cellIs" and operator == "equal" and text:
        return text.strip('"')
    if kind == "expression" and (m := re.match(r'^\$?[A-Z]{1,3}\$?\d+\s*=\s*"?([^"]+)"?$', text)):
        return m[1]
    return None


def _dxf_fill(dxf, ns: str, theme: list[str] | None) -> str | None:
    fill = dxf.find(f"{ns}fill/{ns}patternFill")
    if fill is None:
        return None
    for tag in ("bgColor", "fgColor"):
        colour = fill.find(f"{ns}{tag}")
        if colour is None:
            continue
        if colour.get("rgb"):
            return colour.get("rgb")[-6:]
        if colour.get("theme") is not None:
            found = theme_colour(theme, int(colour.get("theme")), colour.get("tint"))
            if found:
                return found
    return None


# ---------------------------------------------------------------------------
# Reading statuses
# ---------------------------------------------------------------------------


@dataclass
class CodeCount:
    """A coded value seen in a status column: its first spelling, how often, where."""

    value: str
    count: int
    column: str | None
    sheet: str | None


@dataclass
class StatusView:
    """Which columns give the status and the update: the table's own, or one period's pair."""

    status: int | None
    progress: int | None
    stage: int | None = None


def read_statuses(
    walk: Walk,
    grid: Grid,
    view: StatusView,
    *,
    sheet: str | None,
    fills: FillReader | None,
    key: StatusKey,
    user: dict[str, str],
    codes: dict[str, CodeCount],
    copy: bool,
) -> tuple[list[TrackerRow], list[Problem], int, str | None]:
    """The walk's rows with status, status_raw and progress from the view's columns.

    Returns (rows, problems, statuses read from a colour, conditional-format warning). Coded values
    are counted in `codes`; their meaning is the user's (`user`, by status_value_key), else the
    key's, else unknown (asked about). copy=True leaves walk.rows untouched (periods share them)."""
    rows = [dataclasses.replace(r) for r in walk.rows] if copy else walk.rows
    problems: list[Problem] = []
    col, pcol, scol = view.status, view.progress, view.stage
    where = walk.table.where_col(col) if col is not None else None
    blank: list[int] = []
    decided: dict[str, str] = {}  # raw text -> status
    code_of: dict[str, str | None] = {}  # raw text -> its status_value_key when it is a code
    grid_rows = grid.rows
    for i, r in enumerate(walk.grid_rows):
        row = grid_rows[r]
        width = len(row)
        target = rows[i]
        target.progress = text_of(row[pcol]) if pcol is not None and pcol < width else None
        if col is None:
            continue
        raw = text_of(row[col]) if col < width else None
        if raw is None:
            blank.append(i)
            continue
        target.status_raw = raw
        status = decided.get(raw)
        if status is None:
            status, value_key = rules.normalise_status(raw), None
            if status == rules.UNKNOWN and rules.is_status_code(raw):
                value_key = rules.status_value_key(raw)
                codes.setdefault(value_key, CodeCount(raw.strip(), 0, where, sheet))
                meaning = key.get(raw)
                status = user.get(value_key) or (meaning.status if meaning else rules.UNKNOWN)
            decided[raw], code_of[raw] = status, value_key
        value_key = code_of[raw]
        if value_key is not None:
            codes[value_key].count += 1
        elif status == rules.UNKNOWN:
            problems.append(
                Problem(
                    sheet,
                    target.source_row,
                    where,
                    f"Status '{short_text(raw, QUOTED)}' is not Blue/Green/Amber/Red; it was imported as unknown.",
                )
            )
        target.status = status
    from_colour, cf_warning = 0, None
    if blank and col is not None:
        from_colour, cf_warning = _blank_statuses(walk, grid, rows, blank, col, scol, sheet, fills, where, problems)
    return rows, problems, from_colour, cf_warning


def _blank_statuses(walk, grid, rows, blank, col, scol, sheet, fills, where, problems) -> tuple[int, str | None]:
    """Status cells with no text: the fill colour, else a stage column's 'Completed'."""
    cells = [(walk.grid_rows[i], col) for i in blank]
    colours = fills.fills(grid.name, cells) if (fills is not None and grid.name is not None) else {}
    from_colour = 0
    no_status: list[int] = []
    by_colour: dict[str | None, str] = {}  # a tracker uses a handful of fills for thousands of cells
    for i in blank:
        r = walk.grid_rows[i]
        hex_colour = colours.get((r, col))
        status = by_colour.get(hex_colour)
        if status is None:
            status = by_colour[hex_colour] = rules.status_from_fill(hex_colour)
        row = rows[i]
        if status != rules.UNKNOWN:
            row.status, row.status_from_colour = status, True
            from_colour += 1
            continue
        stage = text_of(grid.value(r, scol)) if scol is not None else None
        if stage and rules.normalise_status(stage) == rules.COMPLETE:
            row.status, row.status_raw = rules.COMPLETE, stage  # "Completed" in the stage column
            continue
        row.status = rules.UNKNOWN
        if hex_colour and hex_colour.upper() not in ("FFFFFF", "000000"):
            problems.append(
                Problem(
                    sheet,
                    r + 1,
                    where,
                    f"The status cell is coloured #{hex_colour.upper()}, which is not a RAG colour; "
                    "it was imported as unknown.",
                )
            )
        else:
            no_status.append(r + 1)
    if len(blank) == len(rows) and from_colour == 0 and len(no_status) == len(rows):
        cf = fills.conditional_ranges(grid.name) if (fills is not None and grid.name is not None) else []
        first, last = walk.table.header_row + 1, max(walk.grid_rows[i] for i in blank)
        if any(c0 <= col <= c1 and r0 <= last and r1 >= first for r0, c0, r1, c1 in cf):
            warning = (
                f"The status column {where} is empty and is coloured by conditional formatting, "
                "which cannot be read from the file; type B, G, A or R in the status cells, or give the statuses "
                "as text, and upload again."
            )
            problems.append(Problem(sheet, None, where, warning))
            return from_colour, warning
        problems.append(
            Problem(
                sheet,
                None,
                where,
                "The status column is empty (no text and no colours); every action was imported with status unknown.",
            )
        )
        return from_colour, None
    for excel_row in no_status:
        problems.append(
            Problem(sheet, excel_row, where, "The status cell is blank; the action was imported with status unknown.")
        )
    return from_colour, None


def coded_statuses(codes: dict[str, CodeCount], key: StatusKey, user: dict[str, str]) -> list[CodedStatus]:
    """The file's coded values with their meaning and its source, in a stable order (codes by
    number, then words)."""
    out = []
    for value_key, seen in codes.items():
        if value_key in user:
            status, source = user[value_key], "your choice"
        elif (meaning := key.meanings.get(value_key)) is not None:
            status, source = meaning.status, meaning.source
        else:
            status, source = None, ""
        out.append(CodedStatus(seen.value, seen.count, status, source, seen.column, seen.sheet))
    out.sort(key=lambda c: (not c.value.strip().isdigit(), int(c.value) if c.value.strip().isdigit() else 0, c.value))
    return out


def normalise_user_mapping(mapping: dict[str, str] | None) -> dict[str, str]:
    """{'1': 'Red', 'In progress': 'amber'} -> {'1': 'red', 'in progress': 'amber'}; values that
    are not a status are dropped (the CLI and the page check them first)."""
    out = {}
    for value, meaning in (mapping or {}).items():
        status = rules.status_meaning(meaning)
        if status is not None:
            out[rules.status_value_key(value)] = status
    return out
