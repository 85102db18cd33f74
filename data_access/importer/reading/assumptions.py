"""What the importer decided that a file does not state outright (issue 28): which sheets are not
trackers and why, which column holds the status and the candidates when none does, and the list of
assumptions every import summary ends with (a status column by a less usual name or chosen by the
user, a key read from the file, sheets skipped, ranges dated at their end, quarters given the
review's year, school terms dated by the plan's term dates)."""

from __future__ import annotations

import datetime as dt
import re

from data_access.domain import rules
from data_access.domain.wording import long_date, plural
from data_access.importer.parsed import CodedStatus, ParsedReview, SkippedSheet
from data_access.importer.reading.grid import Grid, cell_text, is_blank
from data_access.importer.reading.header_columns import PLAIN_STATUS_HEADINGS, Table, norm_header
from data_access.importer.reading.sheet_rows import Walk

SUMMARY_REASON = "it holds counts per recommendation (a summary), not actions"
NOTES_REASON = "it holds notes or a key, not a tracker table"
NO_HEADER_REASON = "it has no recognisable header row"
_NUMBER_RE = re.compile(r"^\s*[-+]?\d+(\.\d+)?\s*%?\s*$")
_TERM_RE = re.compile(r"\b(autumn|spring|summer)\s+term\b", re.IGNORECASE)


def _is_number(value) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, (int, float)) or bool(_NUMBER_RE.match(cell_text(value) or ""))


def is_summary(grid: Grid, table: Table, walk: Walk) -> bool:
    """A table of counts (or formula results) per recommendation: no action text (no action column,
    or one of numbers), and the cells beside the recommendation mostly numbers."""
    rec_cols = {table.columns.get("rec_ref"), table.columns.get("rec_text")}
    action_col = table.columns.get("action")
    cells = numbers = 0
    for r in walk.grid_rows:
        row = grid.rows[r]
        for c in table.headers:
            if c in rec_cols or c >= len(row) or is_blank(row[c]):
                continue
            cells += 1
            numbers += _is_number(row[c])
            if c == action_col and not _is_number(row[c]):
                return False  # a real action's text: a tracker
    return cells > 0 and numbers >= 0.8 * cells


def status_candidates(grid: Grid, table: Table, walk: Walk) -> list[str]:
    """Headings that might hold the status when none was recognised: columns not taken as another
    field whose values are mostly status words, letters or codes (else every such column)."""
    taken = {c for f, c in table.columns.items() if f not in ("stage",)}
    free = [c for c in sorted(table.headers) if c not in taken]
    likely = []
    for c in free:
        values = [cell_text(grid.rows[r][c]) for r in walk.grid_rows if c < len(grid.rows[r])]
        values = [v.strip() for v in values if v and v.strip()]
        statusy = sum(
            1
            for v in values
            if len(v) <= 30 and (rules.normalise_status(v) != rules.UNKNOWN or rules.is_status_code(v))
        )
        if values and statusy * 2 >= len(values):
            likely.append(table.headers[c])
    return likely or [table.headers[c] for c in free]


def status_column_note(table: Table, mapping: dict[str, str | None] | None, sheet: str | None) -> str | None:
    """The assumption, if any, in which column holds the status: chosen by the user (or remembered
    for the plan), or recognised by a heading that is not a plain 'RAG status'."""
    c = table.columns.get("status")
    if c is None:
        return None
    heading = table.headers.get(c, "")
    where = f" on sheet '{sheet}'" if sheet else ""
    if mapping and mapping.get(norm_header(heading)) == "status":
        return f"Column '{heading}'{where} holds the status, as chosen for this plan."
    if norm_header(heading) not in PLAIN_STATUS_HEADINGS:
        return f"Column '{heading}'{where} was taken as the status (its heading is not a plain 'RAG status')."
    return None


def school_terms(reviews: list[ParsedReview]) -> list[str]:
    """The school terms named in the file's timescales ("summer"), in the order of the year."""
    found = {m[1].lower() for rv in reviews for row in rv.rows for m in [_TERM_RE.search(row.timescale.raw or "")] if m}
    return [t for t in rules.SCHOOL_TERMS if t in found]


def _example(rows, assumed: str) -> tuple[int, str]:
    hits = [r.timescale.raw for r in rows if r.timescale.assumed == assumed]
    return len(hits), hits[0] if hits else ""


def listed(
    reviews: list[ParsedReview],
    coded: list[CodedStatus],
    skipped: list[SkippedSheet],
    status_notes: list[str],
    fy_notes: dict[str, int | None],
    term_dates: dict[str, str] | None,
) -> list[str]:
    """The file's assumptions, one short sentence each, in a stable order."""
    out = list(dict.fromkeys(status_notes))
    by_source: dict[str, list[str]] = {}
    for c in coded:
        if c.status is not None and c.source and c.source != "your choice":
            by_source.setdefault(c.source, []).append(f"{c.value} = {c.status}")
    for source, pairs in by_source.items():
        out.append(f"The status codes were read from the key in {source}: {', '.join(pairs)}.")
    for s in skipped:
        out.append(f"Sheet '{s.sheet}' was skipped: {s.reason}.")
    for rv in reviews:
        where = f" on sheet '{rv.sheet}'" if rv.sheet else ""
        n, example = _example(rv.rows, rules.RANGE)
        if n:
            out.append(
                f"{plural(n, 'timescale')}{where} given as a range or pair (such as '{example}') "
                f"{'was' if n == 1 else 'were'} dated at the end of the range."
            )
        n, example = _example(rv.rows, rules.YEAR_FROM_CONTEXT)
        if n:
            fy = fy_notes.get(rv.sheet or "")
            year = f" {fy}/{(fy + 1) % 100:02d}" if fy is not None else ""
            out.append(
                f"{plural(n, 'timescale')}{where} naming a quarter without its year (such as '{example}') "
                f"{'was' if n == 1 else 'were'} dated in the review's financial year{year}."
            )
        n, example = _example(rv.rows, rules.TERM)
        if n:
            out.append(
                f"{plural(n, 'timescale')}{where} naming a school term (such as '{example}') "
                f"{'was' if n == 1 else 'were'} dated by the plan's term dates ({term_dates_text(term_dates)})."
            )
        # 'Ongoing' and recurring actions have no date by the rules: said once per review, not a
        # problem per row (a plan may hold dozens), so the board knows they are never counted overdue.
        undated = [r.timescale.raw for r in rv.rows if r.timescale.kind in ("ongoing", "recurring")]
        if undated:
            out.append(
                f"{plural(len(undated), 'action')}{where} with an ongoing or recurring timescale (such as "
                f"'{undated[0]}') {'has' if len(undated) == 1 else 'have'} no due date and "
                f"{'is' if len(undated) == 1 else 'are'} never counted overdue."
            )
    return out


def term_dates_text(term_dates: dict[str, str] | None) -> str:
    """'autumn term → 20 December, summer term → 31 July'."""
    parts = []
    for term in rules.SCHOOL_TERMS:
        when = rules.term_date((term_dates or {}).get(term))
        if when:
            parts.append(f"{term} term → {long_date(dt.date(2019, *when)).rsplit(' ', 1)[0]}")
    return ", ".join(parts)
