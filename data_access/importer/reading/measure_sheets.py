"""Measures of success, read from the files councils keep: no database.

Layouts read:
- a sheet named like Performance, Measures, Measures of success, Scorecard, KPIs or Indicators with
  one row per indicator and period columns left to right: months (`Apr-17`, or date cells shown as
  months), quarters (`Q1 17/18`) or years (`2017/18`); a single Target column (one figure for every
  period) or incremental targets (quarterly pairs `Q1 17/18 target | Q1 17/18 actual | ...`);
  columns for which way is better (`Good is High/Low`, `Polarity`, `↑`/`↓`, `Higher is better`),
  the linked recommendations (`1`, `1, 3`, `Rec 2`, `R2`), unit, owner and source;
- a long CSV (or sheet): `indicator, recommendation, period_end, value, target, better`.

Percent-formatted numbers (0.78 shown as 78%) and text `78%` both mean 78 with unit `%`; `n/a`, `-`,
`tbc` and blank are no value, never zero. Rows with a name and no figure (notes, footnotes) are not
indicators. Every problem names sheet, row and column; the rest is read.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from data_access.domain import measure_rules
from data_access.domain.rules import DAY, parse_timescale
from data_access.domain.tracker_rows import clean_ref
from data_access.importer.parsed import MeasurePoint, ParsedMeasure, Problem, direction_unknown
from data_access.importer.reading.grid import Grid, cell_text, column_letter, is_blank

_SHEET_RE = re.compile(
    r"^\s*(performance|measures?|success measures|scorecard|kpis?|indicators?|key performance indicators)"
    r"(\s+(of success|scorecard|indicators|measures|data|dashboard|framework))?\s*$",
    re.IGNORECASE,
)
_HEADER_ROWS = 20
_INF = float("inf")
_REC_WORD = re.compile(r"\brec(ommendation)?s?\.?(?=\s|\d|$)", re.IGNORECASE)
_REC_SPLIT = re.compile(r"[,;&/+]|\band\b")
_R_PREFIX = re.compile(r"^[Rr](?=\d)")
_NO_VALUE = frozenset({"n/a", "na", "-", "--", "–", "—", "tbc", "tba", "tbd", "blank", "..", "not available", "nd"})
_NOTE_RE = re.compile(r"^\s*(\*|†|‡|notes?\b|n\.?b\.?\b|source\b|key\b|footnote)", re.IGNORECASE)
_ROLE_RE = re.compile(
    r"^(?:(target|actual|value|result|outturn|performance)\s*[-:–]?\s*(.+)|(.+?)\s*[-:–]?\s*"
    r"\b(target|actual|value|result|outturn|performance)\b\.?)$",
    re.IGNORECASE,
)
_COLUMNS = (  # (field, header pattern), first match wins, in this order
    (
        "recommendations",
        re.compile(r"^(linked\s+)?rec(ommendation)?s?\.?(\s*(ref|no|number)s?\.?)?$|^linked rec", re.I),
    ),
    (
        "better",
        re.compile(
            r"good\s+is|polarity|direction|(higher|lower|bigger|smaller)\s+is\s+better|better\s+is|^aim$|↑|↓", re.I
        ),
    ),
    ("unit", re.compile(r"^units?(\s+of\s+measure)?$|^measure\s+type$|^format$", re.I)),
    ("target", re.compile(r"^(overall\s+|annual\s+)?target$", re.I)),
    ("owner", re.compile(r"^(owner|lead|responsible( officer)?|accountable)$", re.I)),
    ("source", re.compile(r"^(data\s+)?source$", re.I)),
    ("name", re.compile(r"indicator|measure|kpi|metric|^name$|^description$|^pi$", re.I)),
)
_LONG_COLUMNS = (
    ("name", re.compile(r"^(indicator|measure|kpi|metric)(\s+name)?$", re.I)),
    ("recommendations", re.compile(r"^rec(ommendation)?s?$", re.I)),
    ("period_end", re.compile(r"^period(\s*_?\s*end)?$|^(month|quarter)$", re.I)),
    ("value", re.compile(r"^(value|actual)$", re.I)),
    ("target", re.compile(r"^target$", re.I)),
    ("better", re.compile(r"^(better|direction|polarity)$", re.I)),
    ("unit", re.compile(r"^units?$", re.I)),
)


def is_measure_sheet(name: str | None) -> bool:
    return bool(name) and bool(_SHEET_RE.match(name))


# The cells formatted as percentages of one sheet: {0-based row: its 0-based columns}.
PercentMap = dict[int, set[int]]


class PercentCells:
    """Which cells are formatted as percentages (0.78 shown as 78%): calamine gives the number only.
    For .xlsx the sheet XML's style ids and styles.xml's number formats are read directly, else
    openpyxl; other formats have none (their percentages arrive as text or plain numbers)."""

    def __init__(self, data: bytes | None, kind: str, renamed: dict[str, str] | None = None):
        self.data, self.kind, self.renamed = data, kind, renamed or {}
        self._sheets: dict[str, PercentMap] = {}

    def of(self, sheet: str) -> PercentMap:
        if sheet not in self._sheets:
            self._sheets[sheet] = (
                self._read(self.renamed.get(sheet, sheet)) if self.kind == "xlsx" and self.data else {}
            )
        return self._sheets[sheet]

    def _read(self, sheet: str) -> PercentMap:
        try:
            fast = _fast_percent_cells(self.data, sheet)
            if fast is not None:
                return fast
        except Exception:
            pass
        try:
            import io

            import openpyxl

            ws = openpyxl.load_workbook(io.BytesIO(self.data), read_only=True, data_only=True)[sheet]
            out: PercentMap = {}
            for row in ws.iter_rows():
                for cell in row:
                    if getattr(cell, "number_format", None) and _is_percent_format(cell.number_format):
                        out.setdefault(cell.row - 1, set()).add(cell.column - 1)
            return out
        except Exception:
            return {}


_ATTR_R = re.compile(rb'\br="([A-Z]+)(\d+)"')
_OTHER_CELL_TAG = re.compile(rb'<c[\t\r\n]|<c (?!r="[A-Z])')  # a cell not written `<c r="A1" ...`


def _is_percent_format(code: str) -> bool:
    """A number format code that shows a percentage: '%' outside quotes and escapes."""
    code = re.sub(r'"[^"]*"|\\.', "", code or "")
    return "%" in code


def _fast_percent_cells(data: bytes, sheet: str) -> PercentMap | None:
    from xml.etree import ElementTree

    from data_access.importer.reading.workbook import sheet_part

    part = sheet_part(data, sheet)
    if part is None:
        return None
    styles = part.package.read("xl/styles.xml") if "xl/styles.xml" in part.package.namelist() else b""
    if b"<!DOCTYPE" in styles or b"<!ENTITY" in styles:
        return None
    root = ElementTree.fromstring(styles) if styles else None
    percent_ids = {9, 10}
    xfs: list[int] = []
    if root is not None:
        for el in root.iter():
            tag = el.tag.rsplit("}", 1)[-1]
            if tag == "numFmt" and _is_percent_format(el.get("formatCode", "")):
                percent_ids.add(int(el.get("numFmtId", "-1")))
        for el in root.iter():
            if el.tag.rsplit("}", 1)[-1] == "cellXfs":
                xfs = [int(x.get("numFmtId", "0")) for x in el if x.tag.rsplit("}", 1)[-1] == "xf"]
                break
    percent_styles = {i for i, fmt in enumerate(xfs) if fmt in percent_ids}
    if not percent_styles:
        return {}
    out: PercentMap = {}
    # Only the cells with a percent style, found by the regex engine: one pattern naming those ids.
    styles = b"|".join(str(i).encode() for i in sorted(percent_styles))
    if _OTHER_CELL_TAG.search(part.xml) is None:
        # Every cell written `<c r="F2" ...` (Excel, LibreOffice, openpyxl): one findall gives the
        # references, each column's letters converted once.
        found = re.findall(rb'<c r="([A-Z]+)([0-9]+)"[^>]*?\ss="(?:' + styles + rb')"', part.xml)
        columns: dict[bytes, int] = {}
        for letters, digits in found:
            col = columns.get(letters)
            if col is None:
                col = columns[letters] = _column_index(letters)
            out.setdefault(int(digits) - 1, set()).add(col)
        return out
    wanted = re.compile(rb'<c\s(?=[^>]*\bs="(?:' + styles + rb')")([^>]*?)/?>')
    for m in wanted.finditer(part.xml):
        r = _ATTR_R.search(m.group(1))
        if r is None:
            return None  # cells without references: let openpyxl place them
        out.setdefault(int(r.group(2)) - 1, set()).add(_column_index(r.group(1)))
    return out


def _column_index(letters: bytes) -> int:
    """b'A' -> 0, b'AN' -> 39."""
    col = 0
    for ch in letters:
        col = col * 26 + ch - 64
    return col - 1


@dataclass
class _Column:
    index: int
    header: str
    field: str  # name, recommendations, better, unit, target, owner, source, period
    role: str = ""  # for period columns: "actual" or "target"
    period_end: dt.date | None = None


@dataclass
class _Reader:
    filename: str
    sheet: str | None
    percent: PercentMap = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def problem(self, row: int | None, col: _Column | None, message: str) -> None:
        where = f"{column_letter(col.index)} ({col.header})" if col is not None else None
        self.problems.append(Problem(self.sheet, row, where, message))

    def figure(self, value, r: int, col: _Column) -> tuple[float | None, bool]:
        """(the number, whether it is a percentage) of a value or target cell; None for no value."""
        if type(value) is float:  # the common case, first
            if value != value or value in (_INF, -_INF):
                return None, False
            if col.index in self.percent.get(r, ()):
                return round(value * 100, 9), True
            return value, False
        if is_blank(value):
            return None, False
        if isinstance(value, bool):
            self.problem(r + 1, col, f"'{cell_text(value)}' is not a figure; it was left out.")
            return None, False
        if isinstance(value, (int, float)):
            if value != value or value in (float("inf"), float("-inf")):
                return None, False
            if col.index in self.percent.get(r, ()):
                return round(float(value) * 100, 9), True
            return float(value), False
        if isinstance(value, (dt.date, dt.datetime, dt.time, dt.timedelta)):
            self.problem(r + 1, col, f"'{cell_text(value)}' is a date, not a figure; it was left out.")
            return None, False
        text = " ".join(str(value).split())
        if text.lower() in _NO_VALUE:
            return None, False
        is_pct = text.endswith("%")
        plain = text.rstrip("%").strip().replace(",", "").lstrip("£")
        try:
            number = float(plain)
        except ValueError:
            self.problem(r + 1, col, f"'{text}' is text, not a figure; it was left out.")
            return None, False
        if number != number or number in (float("inf"), float("-inf")):
            self.problem(r + 1, col, f"'{text}' is not a figure; it was left out.")
            return None, False
        return number, is_pct


def recommendation_refs(value) -> list[str]:
    """'1' -> ['1']; '1, 3' -> ['1', '3']; 'Rec 2' / 'R2' -> ['2']; 'Recs 1 & 4' -> ['1', '4']."""
    if is_blank(value):
        return []
    text = cell_text(value) or ""
    text = _REC_WORD.sub(" ", text)
    out = []
    for part in _REC_SPLIT.split(text):
        part = _R_PREFIX.sub("", part.strip())
        ref = clean_ref(part) if part else ""
        if ref and ref not in out:
            out.append(ref)
    return out


def period_header(value) -> tuple[dt.date | None, str]:
    """(period end, role) of a column header: 'Apr-17' -> (2017-04-30, 'actual'); a date cell ->
    the end of its month; 'Q1 17/18 target' -> (2017-06-30, 'target'); (None, '') otherwise."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return _month_end(value), "actual"
    text = cell_text(value)
    if not text:
        return None, ""
    text = " ".join(text.split())
    role = "actual"
    m = _ROLE_RE.match(text)
    if m:
        word = (m.group(1) or m.group(4)).lower()
        rest = m.group(2) or m.group(3)
        parsed = _period(rest)
        if parsed is not None:
            return parsed, "target" if word == "target" else role
    return _period(text), role


def _period(text: str) -> dt.date | None:
    ts = parse_timescale(text)
    if ts.kind != "date" or ts.due is None:
        return None
    if ts.precision == DAY:
        # a day written out ('30/04/2017') is that day; text alone can never be a plain number
        return ts.due if re.search(r"\D", text) else None
    return ts.due


def _month_end(day: dt.date) -> dt.date:
    import calendar

    return dt.date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])


def _header_columns(grid: Grid, r: int) -> list[_Column]:
    cols: list[_Column] = []
    taken: set[str] = set()
    for c, value in enumerate(grid.rows[r]):
        if is_blank(value):
            continue
        end, role = period_header(value)
        header = cell_text(value.date() if isinstance(value, dt.datetime) else value) or ""
        if end is not None:
            cols.append(_Column(c, header, "period", role, end))
            continue
        for name, pattern in _COLUMNS:
            if name not in taken and pattern.search(header.strip()):
                cols.append(_Column(c, header.strip(), name))
                taken.add(name)
                break
    return cols


def _find_header(grid: Grid) -> tuple[int, list[_Column]] | None:
    for r in range(min(_HEADER_ROWS, len(grid.rows))):
        cols = _header_columns(grid, r)
        fields = {c.field for c in cols}
        if "name" in fields and "period" in fields:
            return r, cols
    return None


def read_measure_sheet(grid: Grid, filename: str, percent: PercentMap | None = None):
    """(measures, problems) of a wide measures sheet, or None when it holds no measures table."""
    found = _find_header(grid)
    if found is None:
        return None
    header_row, cols = found
    reader = _Reader(filename, grid.name, percent or {})
    by_field = {c.field: c for c in cols if c.field != "period"}
    periods = [c for c in cols if c.field == "period"]
    seen: dict[tuple[dt.date, str], _Column] = {}
    for col in periods:
        key = (col.period_end, col.role)
        if key in seen:
            reader.problem(
                header_row + 1, col, f"repeats the period of column {column_letter(seen[key].index)}; it was left out."
            )
        else:
            seen[key] = col
    periods = [c for c in periods if seen[(c.period_end, c.role)] is c]
    layout = _point_layout(periods)
    name_col = by_field["name"]
    measures: list[ParsedMeasure] = []
    for r in range(header_row + 1, len(grid.rows)):
        name = cell_text(grid.value(r, name_col.index))
        if name is None or _NOTE_RE.match(name):
            continue
        has_figure = any(not is_blank(grid.value(r, c.index)) for c in periods) or (
            "target" in by_field and not is_blank(grid.value(r, by_field["target"].index))
        )
        if not has_figure:
            continue  # a heading or a note under the table, not an indicator
        measures.append(
            _measure_row(reader, grid, r, " ".join(name.split()), by_field, periods, layout, reader.percent.get(r, ()))
        )
    return measures, reader.problems


def _point_layout(periods: list[_Column]) -> list[tuple[dt.date, int, int]]:
    """(period end, index in `periods` of its actual column, of its target column) in period order,
    once per sheet; -1 where a period has no such column (_measure_row reads index -1 as None)."""
    actual: dict[dt.date, int] = {}
    target: dict[dt.date, int] = {}
    for i, col in enumerate(periods):
        (target if col.role == "target" else actual)[col.period_end] = i
    return [(end, actual.get(end, -1), target.get(end, -1)) for end in sorted(actual.keys() | target.keys())]


def _measure_row(
    reader: _Reader,
    grid: Grid,
    r: int,
    name: str,
    by_field: dict,
    periods: list[_Column],
    layout: list[tuple[dt.date, int, int]],
    percent_columns,
):
    unit = (cell_text(grid.value(r, by_field["unit"].index)) or "").strip() if "unit" in by_field else ""
    if unit.lower() in ("percent", "percentage", "%age", "per cent"):
        unit = "%"
    pct = unit == "%"
    single_target = None
    if "target" in by_field:
        single_target, is_pct = reader.figure(grid.value(r, by_field["target"].index), r, by_field["target"])
        pct = pct or is_pct
    figures: list[float | None] = []  # one per column of `periods`, then a None for index -1
    cells = grid.rows[r]
    width = len(cells)
    for col in periods:
        index = col.index
        value = cells[index] if index < width else None
        # The common cell, a finite float, read here; every other kind through reader.figure.
        if type(value) is float and value == value and value not in (_INF, -_INF):
            if index in percent_columns:
                figures.append(round(value * 100, 9))
                pct = True
            else:
                figures.append(value)
        else:
            number, is_pct = reader.figure(value, r, col)
            figures.append(number)
            pct = pct or is_pct
    figures.append(None)
    better = None
    if "better" in by_field:
        col = by_field["better"]
        better = measure_rules.direction(grid.value(r, col.index), col.header)
    if better is None:
        better = measure_rules.direction(name) if re.search(r"\(.*(better|↑|↓).*\)", name) else None
    if better is None:
        reader.problem(
            r + 1,
            by_field.get("better"),
            direction_unknown(name),
        )
    recs = (
        recommendation_refs(grid.value(r, by_field["recommendations"].index)) if "recommendations" in by_field else []
    )
    points = [
        MeasurePoint(end, figures[actual], single_target if figures[target] is None else figures[target])
        for end, actual, target in layout
    ]
    if points and all(p.target is None for p in points):
        reader.problem(r + 1, by_field.get("target"), f"'{name}' has no target; it is read without one.")
    owner = cell_text(grid.value(r, by_field["owner"].index)) if "owner" in by_field else None
    source = cell_text(grid.value(r, by_field["source"].index)) if "source" in by_field else None
    return ParsedMeasure(
        name, "%" if pct else unit, better, recs, points, owner=owner, source=source, sheet=grid.name, row=r + 1
    )


def read_long_measures(grid: Grid, filename: str):
    """(measures, problems) of a long table (`indicator, recommendation, period_end, value, target,
    better`), or None when the grid is not one. One indicator per name, its rows in any order."""
    if not grid.rows:
        return None
    header = grid.rows[0]
    cols: dict[str, _Column] = {}
    for c, value in enumerate(header):
        text = (cell_text(value) or "").strip().replace("_", " ")
        for name, pattern in _LONG_COLUMNS:
            if name not in cols and pattern.match(text):
                cols[name] = _Column(c, cell_text(value) or "", name)
                break
    if not {"name", "period_end", "value"} <= set(cols):
        return None
    reader = _Reader(filename, grid.name)
    found: dict[str, dict] = {}
    for r in range(1, len(grid.rows)):
        name = cell_text(grid.value(r, cols["name"].index))
        if name is None or _NOTE_RE.match(name):
            continue
        name = " ".join(name.split())
        raw_end = grid.value(r, cols["period_end"].index)
        end = _long_period(raw_end)
        if end is None:
            reader.problem(
                r + 1,
                cols["period_end"],
                f"'{cell_text(raw_end) or ''}' is not a period end date; the row was left out.",
            )
            continue
        entry = found.setdefault(name, {"row": r + 1, "better": None, "recs": [], "unit": "", "values": {}})
        value, pct = reader.figure(grid.value(r, cols["value"].index), r, cols["value"])
        target, tpct = (None, False)
        if "target" in cols:
            target, tpct = reader.figure(grid.value(r, cols["target"].index), r, cols["target"])
        if pct or tpct:
            entry["unit"] = "%"
        elif "unit" in cols and not entry["unit"]:
            entry["unit"] = (cell_text(grid.value(r, cols["unit"].index)) or "").strip()
        if end in entry["values"]:
            reader.problem(r + 1, cols["period_end"], f"'{name}' has {end.isoformat()} twice; the later row is kept.")
        entry["values"][end] = (value, target)
        if "better" in cols:
            better = measure_rules.direction(grid.value(r, cols["better"].index), cols["better"].header)
            if better and entry["better"] and better != entry["better"]:
                reader.problem(
                    r + 1, cols["better"], f"'{name}' says both higher and lower is better; the first is kept."
                )
            entry["better"] = entry["better"] or better
        if "recommendations" in cols:
            for ref in recommendation_refs(grid.value(r, cols["recommendations"].index)):
                if ref not in entry["recs"]:
                    entry["recs"].append(ref)
    measures = []
    for name, e in found.items():
        if e["better"] is None:
            reader.problem(
                e["row"],
                cols.get("better"),
                direction_unknown(name),
            )
        points = [MeasurePoint(end, v, t) for end, (v, t) in sorted(e["values"].items())]
        measures.append(ParsedMeasure(name, e["unit"], e["better"], e["recs"], points, sheet=grid.name, row=e["row"]))
    return measures, reader.problems


def _long_period(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = cell_text(value)
    return _period(text) if text else None


def read_measures(grids: list[Grid], filename: str, percent: PercentCells | None = None):
    """(measures, problems, names of the sheets read as measures) over a file's grids: measure
    sheets by name (wide layout, else long), and a CSV in the long layout."""
    measures: list[ParsedMeasure] = []
    problems: list[Problem] = []
    sheets: list[str | None] = []
    for grid in grids:
        if grid.name is None:
            got = read_long_measures(grid, filename)
        elif is_measure_sheet(grid.name):
            got = read_measure_sheet(grid, filename, percent.of(grid.name) if percent else None)
            if got is None:
                got = read_long_measures(grid, filename)
        else:
            continue
        if got is None:
            continue
        measures += got[0]
        problems += got[1]
        sheets.append(grid.name)
    names: dict[str, ParsedMeasure] = {}
    for m in measures:
        if m.name in names:
            problems.append(
                Problem(m.sheet, m.row, None, f"'{m.name}' is named twice (also row {names[m.name].row}); left out.")
            )
        else:
            names[m.name] = m
    return list(names.values()), problems, sheets
