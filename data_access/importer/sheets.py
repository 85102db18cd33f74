"""Sheets -> reviews. A file is one review, or one review per sheet when its sheets are review
periods ('Q3 2016-17', 'June 2018') or carry different 'as at' dates. Also finds the as-at date
and the title."""

from __future__ import annotations

import datetime as dt
import re

from data_access import rules
from data_access.importer.parsed import ParsedReview, Problem
from data_access.importer.table import TableResult, find_header, parse_table, recognise_columns
from data_access.importer.workbook import FillReader, Grid, cell_text, is_blank
from data_access.wording import long_date

_SKIP_SHEET_RE = re.compile(
    r"^\s*(rag\s*)?(key|legend|notes?|guidance|instructions?|read\s*me|readme|lists?|lookups?|drop\s*downs?|"
    r"dropdowns?|validation|cover|contents|glossary|definitions?|settings|chart\w*|dashboard|summary)\b",
    re.IGNORECASE,
)
_AS_AT_RE = re.compile(
    r"\b(?:as\s+at|as\s+of|position\s+at|last\s+updated|updated(?:\s+on)?|review\s+date|date\s+of\s+review|"
    r"reporting\s+date|report\s+date|date\s+of\s+update)\s*[:\-–]?\s*(.*)$",
    re.IGNORECASE | re.DOTALL,
)
_PERIOD_RE = re.compile(r"\bQ\s*[1-4]\s*(?:FY\s*)?\d{2,4}\s*[/\-]\s*\d{2,4}\b", re.IGNORECASE)


def is_skipped_sheet(name: str | None) -> bool:
    return bool(name) and bool(_SKIP_SHEET_RE.match(name))


def _date_from_text(text: str) -> dt.date | None:
    text = text.strip().strip(".:;,()")
    if not text:
        return None
    ts = rules.parse_timescale(text)
    if ts.due is not None:
        return ts.due
    # "30 June 2018 (draft)": try the leading words.
    words = text.split()
    for n in range(min(len(words), 4), 0, -1):
        ts = rules.parse_timescale(" ".join(words[:n]))
        if ts.due is not None:
            return ts.due
    return None


def as_at_from_title(grid: Grid, header_row: int) -> dt.date | None:
    """'Position as at 30 June 2018' (or 'As at:' then a date cell) in the rows above the header."""
    period = None
    for r in range(0, header_row):
        row = grid.rows[r]
        for c, value in enumerate(row):
            if not isinstance(value, str) or not value.strip():
                continue
            m = _AS_AT_RE.search(value)
            if m:
                found = _date_from_text(m[1])
                if found is None and not m[1].strip():
                    for nxt in row[c + 1 :]:
                        if is_blank(nxt):
                            continue
                        if isinstance(nxt, (dt.date, dt.datetime)):
                            return nxt.date() if isinstance(nxt, dt.datetime) else nxt
                        found = _date_from_text(cell_text(nxt) or "")
                        break
                if found:
                    return found
            if period is None and (p := _PERIOD_RE.search(value)):
                period = rules.parse_period_label(p[0])
    return period


def title_of(grid: Grid, header_row: int) -> str | None:
    for r in range(0, header_row):
        for value in grid.rows[r]:
            if isinstance(value, str) and len(value.strip()) > 3:
                text = " ".join(value.split())
                m = _AS_AT_RE.search(text)
                if m and m.start() == 0:
                    continue  # "As at 30 June 2018" is a date, not a title
                return text[:200]
    return None


class SheetTable:
    def __init__(self, grid: Grid, result: TableResult, as_at_title: dt.date | None, as_at_sheet: dt.date | None):
        self.grid, self.result = grid, result
        self.as_at_title, self.as_at_sheet = as_at_title, as_at_sheet

    @property
    def as_at(self) -> dt.date | None:
        return self.as_at_title or self.as_at_sheet


def build_reviews(
    grids: list[Grid],
    *,
    mapping,
    fills: FillReader | None,
    as_at: dt.date | None,
    file_problems: list[Problem],
) -> tuple[list[ParsedReview], str | None, bool]:
    """(reviews in date order, title, any header found)."""
    tables: list[SheetTable] = []
    title = None
    header_found = False
    for grid in grids:
        name = grid.name
        if is_skipped_sheet(name):
            continue
        if not any(any(not is_blank(v) for v in row) for row in grid.rows):
            continue  # an empty sheet ("Sheet2")
        header = find_header(grid, mapping)
        if header is None:
            if name is not None:
                file_problems.append(
                    Problem(name, None, None, f"Sheet '{name}' has no recognisable header row, so it was skipped.")
                )
            continue
        header_found = True
        table = recognise_columns(grid, header, mapping)
        result = parse_table(grid, table, sheet=name, fills=fills)
        if not result.rows:
            file_problems.append(
                Problem(name, None, None, f"Sheet '{name or 'the file'}' has a header row but no actions under it.")
            )
            continue
        if not grid.visible:
            file_problems.append(Problem(name, None, None, f"Sheet '{name}' is hidden; it was read like the others."))
        title = title or title_of(grid, header)
        period = rules.parse_period_label(name) if name else None
        tables.append(SheetTable(grid, result, as_at_from_title(grid, header), period))
    if not tables:
        return [], title, header_found

    distinct_dates = {t.as_at for t in tables if t.as_at}
    one_review_per_sheet = len(tables) > 1 and len(distinct_dates) > 1
    reviews: list[ParsedReview] = []
    if one_review_per_sheet:
        for t in tables:
            source = "title" if t.as_at_title else "sheet name" if t.as_at_sheet else "none"
            when = t.as_at
            if when is None and as_at is not None:
                when, source = as_at, "given"
            reviews.append(_review([t], when, source))
        reviews.sort(key=lambda rv: (rv.as_at is None, rv.as_at or dt.date.min))
        seen: dict[dt.date, str] = {}
        for rv in reviews:
            if rv.as_at in seen:
                rv.problems.append(
                    Problem(
                        rv.sheet,
                        None,
                        None,
                        f"Sheets '{seen[rv.as_at]}' and '{rv.sheet}' are both as at {long_date(rv.as_at)}.",
                    )
                )
            elif rv.as_at:
                seen[rv.as_at] = rv.sheet or ""
    else:
        found = next((t.as_at_title for t in tables if t.as_at_title), None)
        source = "title"
        if found is None:
            found = next((t.as_at_sheet for t in tables if t.as_at_sheet), None)
            source = "sheet name"
        review = _review(tables, found, source if found else "none")
        if as_at is not None:
            if found and found != as_at:
                review.problems.append(
                    Problem(
                        review.sheet,
                        None,
                        None,
                        f"The file says it is as at {long_date(found)}, but {long_date(as_at)} was given and used.",
                    )
                )
            review.as_at, review.as_at_source = as_at, "given"
        reviews.append(review)
    for rv in reviews:
        if rv.as_at is None:
            rv.problems.insert(
                0,
                Problem(
                    rv.sheet,
                    None,
                    None,
                    "No 'as at' date was found in the title or the sheet name; give the review date.",
                ),
            )
    return reviews, title, True


def _review(tables: list[SheetTable], as_at: dt.date | None, source: str) -> ParsedReview:
    names = [t.grid.name for t in tables if t.grid.name]
    rows, problems, column_map, unrecognised = [], [], {}, []
    colour, cf_warning = 0, None
    for t in tables:
        rows.extend(t.result.rows)
        problems.extend(t.result.problems)
        column_map.update(t.result.table.column_map)
        unrecognised.extend(h for h in t.result.table.unrecognised if h not in unrecognised)
        colour += t.result.statuses_from_colour
        cf_warning = cf_warning or t.result.conditional_format_warning
    if len(tables) > 1:
        _flag_duplicate_ids_across(tables, problems)
    return ParsedReview(
        sheet=", ".join(names) if names else None,
        as_at=as_at,
        as_at_source=source,
        label=None,  # the store labels by financial quarter, the same for every review
        rows=rows,
        problems=problems,
        column_map=column_map,
        unrecognised_columns=unrecognised,
        statuses_from_colour=colour,
        conditional_format_warning=cf_warning,
        header_row=tables[0].result.table.header_row + 1,
    )


def _flag_duplicate_ids_across(tables: list[SheetTable], problems: list[Problem]) -> None:
    seen: dict[str, str] = {}
    for t in tables:
        sheet_ids = set()
        for row in t.result.rows:
            if not row.action_id or row.action_id in sheet_ids:
                continue
            sheet_ids.add(row.action_id)
            if row.action_id in seen and seen[row.action_id] != t.grid.name:
                problems.append(
                    Problem(
                        t.grid.name,
                        row.source_row,
                        None,
                        f"Action ID '{row.action_id}' is also on sheet '{seen[row.action_id]}'; both were "
                        "imported as separate actions.",
                    )
                )
            else:
                seen.setdefault(row.action_id, t.grid.name)
