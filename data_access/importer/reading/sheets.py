"""A workbook's tables -> its plans and their reviews.

- A sheet is read when it holds a tracker table (a recognisable header), whatever it is called;
  a sheet without one is skipped (and, when it is a legend, read for a key to coded statuses).
- Sheets whose recommendations differ (a plan of recommendations 1-8 beside a joint-inspection
  plan of areas a-e) are different plans; sheets of one plan are one review per sheet when they
  carry different dates ('Q3 2016-17', 'Position as at ...'), else one review together.
- A table with a status and an update column per period (quarterly pairs) is one review per filled
  period, dated at the period's end; blank future periods are not reviews.
Also finds each review's as-at date and the file's title.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass

from data_access.domain import rules
from data_access.domain.tracker_rows import clean_ref, normalise_text
from data_access.domain.wording import long_date
from data_access.importer.parsed import ParsedPlan, ParsedReview, Problem, SkippedSheet
from data_access.importer.reading import assumptions
from data_access.importer.reading.grid import Grid, cell_text, is_blank
from data_access.importer.reading.header_columns import Table, _fy_start_from, find_header, recognise_columns
from data_access.importer.reading.sheet_rows import Walk, walk_table
from data_access.importer.reading.status_cells import (
    CodeCount,
    StatusKey,
    StatusView,
    coded_statuses,
    key_from_conditional_formatting,
    key_from_rows,
    read_statuses,
)
from data_access.importer.reading.workbook import FillReader

# Sheets that hold notes rather than a tracker: skipped without a word when they have no table
# (a sheet's name alone never skips a table: a "Dashboard 2017-18" with a tracker header is read).
_NOTES_SHEET_RE = re.compile(
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
# A title line that is only a review date ("Position as at 30 June 2018", "Update – June 2018",
# "As at 31/03/2018", "Q2 2017/18 update") names the review, never the plan: its words are all
# these, numbers, or month names, and it holds a date more exact than a year.
_REVIEW_WORDS = frozenset(
    {
        "position",
        "as",
        "at",
        "of",
        "on",
        "update",
        "updated",
        "updates",
        "progress",
        "review",
        "reviewed",
        "quarter",
        "quarterly",
        "q",
        "qtr",
        "end",
        "ending",
        "ended",
        "the",
        "date",
        "dated",
        "last",
        "report",
        "reporting",
        "status",
        "current",
        "latest",
        "to",
        "month",
        "monthly",
        "year",
        "fy",
        "financial",
        "period",
        "for",
        "st",
        "nd",
        "rd",
        "th",
        "and",
        "w",
        "c",
        "week",
        "draft",
        "final",
        "version",
        "v",
    }
)
_MONTHS = frozenset(
    {
        "jan",
        "january",
        "feb",
        "february",
        "mar",
        "march",
        "apr",
        "april",
        "may",
        "jun",
        "june",
        "jul",
        "july",
        "aug",
        "august",
        "sep",
        "sept",
        "september",
        "oct",
        "october",
        "nov",
        "november",
        "dec",
        "december",
    }
)
_WORD_RE = re.compile(r"[^\W\d_]+|\d+")
_NUMERIC_DATE_RE = re.compile(r"\b\d{1,4}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{2,4}\b")
_TITLE_SEPARATOR_RE = re.compile(r"\s+[–—\-:|]\s*|\s*[,(]\s*|:\s+")
_FIRST_REF = {"1", "01", "a", "i"}


def is_notes_sheet(name: str | None) -> bool:
    return bool(name) and bool(_NOTES_SHEET_RE.match(name))


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
            if period is None and is_review_date(value):  # "Update – June 2018"
                words = [w for w in _WORD_RE.findall(value) if w.isdigit() or w.casefold() in _MONTHS]
                period = _date_from_text(" ".join(words)) or _date_from_text(value)
    return period


def is_review_date(text: str) -> bool:
    """Whether a title line is only a review date: "Position as at 30 June 2018", "Update – June
    2018", "As at 31/03/2018", "Q2 2017/18 update". A bare year ("2018") is not: plans are named
    by year ("ILACS 2018")."""
    words = [w.casefold() for w in _WORD_RE.findall(text)]
    if not words or any(not w.isdigit() and w not in _REVIEW_WORDS and w not in _MONTHS for w in words):
        return False
    return bool(
        _MONTHS.intersection(words) or _PERIOD_RE.search(text) or _NUMERIC_DATE_RE.search(text)
        or (_AS_AT_RE.search(text) and _date_from_text(_AS_AT_RE.search(text)[1]))
    )  # fmt: skip


def _without_review_date(text: str) -> str:
    """'Rutland improvement plan – position as at 30 June 2018' -> 'Rutland improvement plan': a
    trailing part that is only a review date names the review, not the plan."""
    for m in _TITLE_SEPARATOR_RE.finditer(text):
        head, tail = text[: m.start()].strip(), text[m.end() :].strip(" )")
        if head and is_review_date(tail):
            return head
    return text


def title_of(grid: Grid, header_row: int) -> str | None:
    """The first line above the table that names something: lines that are only a review date
    (is_review_date) are skipped, and a review date after the name is dropped from it."""
    for r in range(0, header_row):
        for value in grid.rows[r]:
            if isinstance(value, str) and len(value.strip()) > 3:
                text = " ".join(value.split())
                m = _AS_AT_RE.search(text)
                if (m and m.start() == 0) or is_review_date(text):
                    continue  # "As at 30 June 2018" is a date, not a title
                text = _without_review_date(text)
                if len(text) > 3:
                    return text[:200]
    return None


def _text_above(grid: Grid, header_row: int) -> str:
    return " ".join(cell_text(v) or "" for r in range(header_row) for v in grid.rows[r])


@dataclass
class SheetTable:
    grid: Grid
    walk: Walk
    as_at_title: dt.date | None
    as_at_sheet: dt.date | None
    title: str | None
    status_candidates: tuple[str, ...] = ()  # when no column was recognised as the status

    @property
    def as_at(self) -> dt.date | None:
        return self.as_at_title or self.as_at_sheet

    @property
    def table(self) -> Table:
        return self.walk.table


@dataclass
class Built:
    reviews: list[ParsedReview]
    plans: list[ParsedPlan]
    title: str | None
    header_found: bool
    coded: list
    skipped: list[SkippedSheet] = dataclasses.field(default_factory=list)
    assumptions: list[str] = dataclasses.field(default_factory=list)


def build_reviews(
    grids: list[Grid],
    *,
    mapping,
    status_mapping: dict[str, str],
    fills: FillReader | None,
    as_at: dt.date | None,
    sheet: str | None,
    file_problems: list[Problem],
    term_dates: dict[str, str] | None = None,
) -> Built:
    """The file's plans and reviews (in plan order, then date order), the sheets skipped and the
    assumptions made (assumptions.py)."""
    tables: list[SheetTable] = []
    key = StatusKey()
    header_found = False
    skipped: list[SkippedSheet] = []
    status_notes: list[str] = []
    fy_of: dict[str, int | None] = {}
    for grid in grids:
        name = grid.name
        if not any(any(not is_blank(v) for v in row) for row in grid.rows):
            continue  # an empty sheet ("Sheet2")
        header = find_header(grid, mapping)
        if header is None:
            key_from_rows(key, grid, range(min(len(grid.rows), 200)), f"sheet '{name}'")  # a legend sheet
            if name is not None and not is_notes_sheet(name) and (sheet is None or name == sheet):
                file_problems.append(
                    Problem(name, None, None, f"Sheet '{name}' has no recognisable header row, so it was skipped.")
                )
            if name is not None and sheet is None:
                reason = assumptions.NOTES_REASON if is_notes_sheet(name) else assumptions.NO_HEADER_REASON
                skipped.append(SkippedSheet(name, reason))
            continue
        if sheet is not None and name != sheet:
            continue
        header_found = True
        context = f"{name or ''} {_text_above(grid, header)}"
        table = recognise_columns(grid, header, mapping, context=context, as_at=as_at)
        title_date, period = as_at_from_title(grid, header), (rules.parse_period_label(name) if name else None)
        when = title_date or period or as_at  # the review's date, whose financial year dates "by end of Q3"
        fy = rules.financial_quarter(when)[1] if when else _fy_start_from(context, None)
        walk = walk_table(grid, table, sheet=name, fy_start=fy, term_dates=term_dates)
        where = f"sheet '{name}'" if name else "the file"
        key_from_rows(key, grid, range(header), where)  # "Key: 1 = Red, ..." in the title lines
        key_from_rows(key, grid, range(walk.end_row, min(len(grid.rows), walk.end_row + 200)), where)  # footer
        if walk.rows and assumptions.is_summary(grid, table, walk):
            skipped.append(SkippedSheet(name or "the file", assumptions.SUMMARY_REASON))  # never a plan
            continue
        if not walk.rows:
            file_problems.append(
                Problem(name, None, None, f"Sheet '{name or 'the file'}' has a header row but no actions under it.")
            )
            continue
        if not grid.visible:
            file_problems.append(Problem(name, None, None, f"Sheet '{name}' is hidden; it was read like the others."))
        candidates = ()
        if "status" not in table.columns and not table.periods:
            candidates = tuple(assumptions.status_candidates(grid, table, walk))
        if note := assumptions.status_column_note(table, mapping, name):
            status_notes.append(note)
        fy_of[name or ""] = fy
        tables.append(SheetTable(grid, walk, title_date, period, title_of(grid, header), candidates))
    if not tables:
        return Built([], [], None, header_found, [], skipped)

    # Statuses, now that every key written in the file is known.
    codes: dict[str, CodeCount] = {}
    read = _read_all(tables, fills, key, status_mapping, codes)
    if fills is not None and any(k not in status_mapping and k not in key.meanings for k in codes):
        # Codes no written key explains: conditional-formatting rules that colour each value may.
        # (Only then: finding them means reading the sheet's XML again.)
        for t in tables:
            for _, view in _views(t.table):
                if view.status is not None:
                    key_from_conditional_formatting(
                        key, fills, t.grid.name, view.status, t.table.where_col(view.status)
                    )
        codes.clear()
        read = _read_all(tables, fills, key, status_mapping, codes)
    plan_of = _group_plans(tables)
    plans = _plans(tables, plan_of)
    reviews: list[ParsedReview] = []
    for p in range(len(plans)):
        members = [i for i, g in enumerate(plan_of) if g == p]
        reviews.extend(_plan_reviews([tables[i] for i in members], [read[i] for i in members], as_at, p))
    for rv in reviews:
        if rv.as_at is None:
            rv.problems.insert(
                0,
                Problem(
                    rv.sheet,
                    None,
                    None,
                    "No 'as at' date was found in the title, the sheet name or the column headings; "
                    "give the review date.",
                ),
            )
    title = next((t.title for t in tables if t.title), None)
    coded = coded_statuses(codes, key, status_mapping)
    assumed = assumptions.listed(reviews, coded, skipped, status_notes, fy_of, term_dates)
    return Built(reviews, plans, title, True, coded, skipped, assumed)


def _read_all(tables: list[SheetTable], fills, key, status_mapping, codes) -> list:
    """Per table: [(period or None, rows, problems, from_colour, cf_warning)] for each status view."""
    out = []
    for t in tables:
        views = _views(t.table)
        out.append(
            [
                (period, *_read(t, view, fills, key, status_mapping, codes, copy=len(views) > 1))
                for period, view in views
            ]
        )
    return out


def _views(table: Table) -> list[tuple[object, StatusView]]:
    stage = table.columns.get("stage")
    if table.periods:
        return [(p, StatusView(p.status, p.progress, stage)) for p in table.periods]
    return [(None, StatusView(table.columns.get("status"), table.columns.get("progress"), stage))]


def _read(t: SheetTable, view: StatusView, fills, key, status_mapping, codes, *, copy: bool):
    return read_statuses(
        t.walk,
        t.grid,
        view,
        sheet=t.grid.name,
        fills=fills,
        key=key,
        user=status_mapping,
        codes=codes,
        copy=copy,
    )


# ---------------------------------------------------------------------------
# Plans
# ---------------------------------------------------------------------------


def _recs(t: SheetTable) -> dict[str, str]:
    """clean ref -> recommendation text (normalised) of a table."""
    out: dict[str, str] = {}
    seen: set[str] = set()
    for row in t.walk.rows:
        if row.rec_ref not in seen:  # once per recommendation, not per action
            seen.add(row.rec_ref)
            out.setdefault(clean_ref(row.rec_ref), normalise_text(row.rec_text))
    return out


def _starts_numbering(refs) -> bool:
    for ref in refs:
        tokens = re.findall(r"\d+|[A-Za-z]+", ref)
        if tokens and tokens[-1].lower() in _FIRST_REF:
            return True
    return False


def _same_plan(a: dict[str, str], b: dict[str, str]) -> bool:
    """Two tables are of one plan when they share recommendations (and their texts agree), or when
    the second continues the first's numbering; two tables that each number from the start with
    different recommendations are two plans."""
    common = a.keys() & b.keys()
    if common:
        if len(common) * 2 < min(len(a), len(b)):
            return False
        texts = [(a[r], b[r]) for r in common if a[r] and b[r]]
        if not texts:
            return True
        agree = sum(1 for x, y in texts if x == y or _similar(x, y))
        return agree * 2 >= len(texts)
    return not (_starts_numbering(a) and _starts_numbering(b))


def _similar(a: str, b: str) -> bool:
    from rapidfuzz import fuzz  # only when two texts differ: quarterly sheets usually repeat them exactly

    return fuzz.token_sort_ratio(a, b) >= 80


def _group_plans(tables: list[SheetTable]) -> list[int]:
    """Plan number (0, 1, ...) of each table, in order of first appearance."""
    if len(tables) == 1:
        return [0]
    recs = [_recs(t) for t in tables]
    plan_of: list[int] = []
    members: list[list[int]] = []
    for i, r in enumerate(recs):
        for p, group in enumerate(members):
            if any(_same_plan(recs[j], r) for j in group):
                plan_of.append(p)
                group.append(i)
                break
        else:
            plan_of.append(len(members))
            members.append([i])
    return plan_of


def _plans(tables: list[SheetTable], plan_of: list[int]) -> list[ParsedPlan]:
    count = max(plan_of) + 1
    firsts = [tables[plan_of.index(p)] for p in range(count)]
    titles = [t.title for t in firsts]
    plans = []
    for p, first in enumerate(firsts):
        title = first.title
        if count > 1 and (not title or titles.count(title) > 1):
            sheet = first.grid.name if first.grid.name and not is_review_date(first.grid.name) else None
            title = sheet or title  # two plans under one council title: name them by sheet
        sheets = tuple(t.grid.name for t, g in zip(tables, plan_of, strict=True) if g == p and t.grid.name)
        refs = dict.fromkeys(r for t, g in zip(tables, plan_of, strict=True) if g == p for r in t.walk.refs)
        # No name in the file: "" (the preview asks for one; it is never a stand-in every such file shares).
        plans.append(ParsedPlan(title or "", sheets, tuple(refs)))
    return plans


# ---------------------------------------------------------------------------
# Reviews of one plan
# ---------------------------------------------------------------------------


def _plan_reviews(tables: list[SheetTable], read: list, as_at: dt.date | None, plan_index: int) -> list[ParsedReview]:
    reviews: list[ParsedReview] = []
    plain = [(t, views[0][1:]) for t, views in zip(tables, read, strict=True) if views[0][0] is None]
    for t, views in zip(tables, read, strict=True):
        for period, rows, problems, colour, cf in views:
            if period is None:
                continue
            if not any(r.status_raw or r.status_from_colour or r.progress for r in rows):
                continue  # a blank future period is not a review
            reviews.append(
                _review([(t, (rows, problems, colour, cf))], period.as_at, "column heading", plan_index, period.label)
            )
    if plain:
        distinct_dates = {t.as_at for t, _ in plain if t.as_at}
        if len(plain) > 1 and len(distinct_dates) > 1:
            for t, result in plain:
                source = "title" if t.as_at_title else "sheet name" if t.as_at_sheet else "none"
                when = t.as_at
                if when is None and as_at is not None:
                    when, source = as_at, "given"
                reviews.append(_review([(t, result)], when, source, plan_index))
        else:
            found = next((t.as_at_title for t, _ in plain if t.as_at_title), None)
            source = "title"
            if found is None:
                found = next((t.as_at_sheet for t, _ in plain if t.as_at_sheet), None)
                source = "sheet name"
            review = _review(plain, found, source if found else "none", plan_index)
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
    return reviews


def _review(parts: list, as_at: dt.date | None, source: str, plan_index: int, period: str | None = None):
    names = [t.grid.name for t, _ in parts if t.grid.name]
    rows, problems, column_map, unrecognised = [], [], {}, []
    colour, cf_warning, hidden = 0, None, 0
    candidates: list[str] = []
    for t, (t_rows, t_problems, t_colour, t_cf) in parts:
        rows.extend(t_rows)
        problems.extend(t.walk.problems)
        problems.extend(t_problems)
        column_map.update(t.table.column_map)
        unrecognised.extend(h for h in t.table.unrecognised if h not in unrecognised)
        colour += t_colour
        cf_warning = cf_warning or t_cf
        hidden += t.walk.hidden
        candidates.extend(h for h in t.status_candidates if h not in candidates)
    if len(parts) > 1:
        _flag_duplicate_ids_across(parts, problems)
    sheet = ", ".join(names) if names else None
    if period:  # one review per period of one sheet: each its own "sheet" (the file stores one per sheet)
        sheet = f"{sheet or 'the file'} ({period})"
    return ParsedReview(
        sheet=sheet,
        as_at=as_at,
        as_at_source=source,
        label=None,  # the store labels every review by its financial quarter
        rows=rows,
        problems=problems,
        column_map=column_map,
        unrecognised_columns=unrecognised,
        statuses_from_colour=colour,
        conditional_format_warning=cf_warning,
        header_row=parts[0][0].table.header_row + 1,
        plan_index=plan_index,
        hidden_rows=hidden,
        period=period,
        status_candidates=candidates,
    )


def _flag_duplicate_ids_across(parts: list, problems: list[Problem]) -> None:
    seen: dict[str, str] = {}
    for t, (rows, *_) in parts:
        sheet_ids = set()
        for row in rows:
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
