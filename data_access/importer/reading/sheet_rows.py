"""One sheet's tracker table -> its actions: walk the data rows under the header (stopping at a
legend, skipping spacers and Total rows), carry the current recommendation down, and read each
action's fields. Statuses are read afterwards (statuses.py), once the file's key is known.

Every oddity becomes a Problem; no row with data is silently dropped. This is the importer's hot
loop (50,000 rows in about a second): cells are read by column index, text is taken as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from operator import itemgetter

from data_access.domain import rules
from data_access.domain.tracker_rows import TrackerRow
from data_access.domain.wording import short_text
from data_access.importer.parsed import Problem
from data_access.importer.reading.grid import Grid, cell_text, is_blank
from data_access.importer.reading.header_columns import Table, ref_from_action_id

_LEGEND_RE = re.compile(
    r"^(key|legend|rag key|brag key|rag rating key|key to rag( ratings?)?|rag definitions?|status key|notes?)"
    r"\s*([:\-–=].*)?$",
    re.IGNORECASE,
)
# "1 = Red", "4 - Complete": a line of a key for coded statuses. Its words are each status's colour
# name and label, from rules.STATUS_STYLE (the one list of them).
_KEY_WORDS = [word for style in rules.STATUS_STYLE.values() if style.rag_name for word in (style.rag_name, style.label)]
_CODE_LEGEND_RE = re.compile(rf"^\w{{1,3}}\s*[=:–-]\s*({'|'.join(map(re.escape, _KEY_WORDS))})\b", re.IGNORECASE)
QUOTED = 60  # characters of a cell's text quoted in a problem
_SECTION_REC_RE = re.compile(
    r"^(?:ofsted\s+)?(?:recommendation|rec|area for (?:development|improvement))\s*(?:no\.?\s*)?"
    r"([A-Za-z]?\d+[a-z]?)\s*[:.)\-–]?\s*(.*)$",
    re.IGNORECASE | re.DOTALL,
)
# A row of formula results under the table (SUBTOTAL, COUNTA): not an action.
_SUMMARY_RE = re.compile(r"^\s*(grand\s+|sub[\s-]?)?(totals?|count|summary|number of actions)\b", re.IGNORECASE)
_NUMBER_RE = re.compile(r"^\s*[-+]?\d+(\.\d+)?\s*%?\s*$")

# TrackerRow's leading fields are given by position in the hot loop: keep this order.
assert list(TrackerRow.__dataclass_fields__)[:8] == [
    "rec_ref",
    "rec_text",
    "description",
    "action_id",
    "lead",
    "partner",
    "measure",
    "theme",
]


def text_of(value) -> str | None:
    """A cell as text, fast for the common case (a string): None when blank."""
    if value.__class__ is str:
        return value if value and not value.isspace() else None
    return None if value is None else cell_text(value)


@dataclass
class CurrentRecommendation:
    """The recommendation the walker is under: set by a ref, a new recommendation text, a section
    heading or an action ID's prefix, and carried down to the rows below."""

    ref: str | None = None
    text: str = ""
    theme: str | None = None
    generated: int = 0  # recommendations found without a ref so far
    actions: dict[str, int] = field(default_factory=dict)  # ref -> actions under it, in order seen

    def start(self, ref: str, text: str) -> None:
        self.ref, self.text = ref, text
        self.actions.setdefault(ref, 0)

    def next_generated(self) -> int:
        self.generated += 1
        return self.generated

    def without_actions(self) -> list[str]:
        return [ref for ref, n in self.actions.items() if n == 0]


@dataclass
class Walk:
    """What the walker found in one table: the actions (status not read yet), the grid row of each,
    and the problems on the way."""

    table: Table
    rows: list[TrackerRow]
    grid_rows: list[int]  # 0-based grid row of each action
    problems: list[Problem]
    hidden: int = 0  # actions on hidden or filtered-out rows
    end_row: int = 0  # the first grid row after the table (a legend, or the end of the sheet)
    refs: list[str] = field(default_factory=list)  # recommendation refs, in order


def _fill_merges(grid: Grid, first_data_row: int) -> set[int]:
    """Copy each merged range's value down its first column (vertical merges: a recommendation
    merged across its action rows). Returns the rows that are wide merges (section headings)."""
    wide_rows = set()
    for (r0, c0), (r1, c1) in grid.merges:
        if r1 < first_data_row:
            continue
        if c1 - c0 >= 2:
            wide_rows.add(r0)
        value = grid.value(r0, c0)
        if is_blank(value):
            continue
        for r in range(max(r0 + 1, first_data_row), min(r1, len(grid.rows) - 1) + 1):
            row = grid.rows[r]
            if c0 < len(row) and is_blank(row[c0]):
                row[c0] = value
    return wide_rows


def is_legend_row(texts: list[str]) -> bool:
    if not texts or len(texts) > 4:
        return False
    first = texts[0].strip()
    return bool(_LEGEND_RE.match(first) or rules.LEGEND_ITEM_RE.match(first) or _CODE_LEGEND_RE.match(first))


def _is_summary_row(present: list) -> bool:
    first = text_of(present[0][1]) or ""
    if not _SUMMARY_RE.match(first):
        return False
    for _, value in present[1:]:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            continue
        if not _NUMBER_RE.match(text_of(value) or ""):
            return False
    return True


def _outside(sheet: str | None, excel_row: int, present: list) -> Problem:
    return Problem(
        sheet,
        excel_row,
        None,
        f"Row {excel_row} has text only outside the recognised columns "
        f"('{short_text(cell_text(present[0][1]), QUOTED)}'); it was ignored.",
    )


def _table_problems(table: Table, sheet: str | None) -> list[Problem]:
    cols = table.columns
    problems = []
    if not ({"rec_ref", "rec_text", "action_id"} & cols.keys()):
        problems.append(
            Problem(
                sheet,
                None,
                None,
                "No recommendation column was recognised, so every action is listed under recommendation '1'.",
            )
        )
    if "status" not in cols and not table.periods:
        problems.append(
            Problem(sheet, None, None, "No RAG status column was recognised, so every action has status unknown.")
        )
    if "action" not in cols:
        problems.append(
            Problem(
                sheet, None, None, "No action column was recognised, so the recommendation text is used as the action."
            )
        )
    return problems


def _column_texts(body: list[list], c: int | None, *, strip: bool = False) -> list[str | None]:
    """Column c of the table's rows as text (None when blank; refs and IDs stripped): one pass per
    column, several times faster than reading cell by cell in the row loop."""
    if c is None:
        return [None] * len(body)
    texts = [v if v.__class__ is str and v.strip() else text_of(v) for v in map(itemgetter(c), body)]
    return [t.strip() if t else t for t in texts] if strip else texts


def _column_timescales(body: list[list], c: int | None, context: dict) -> list[rules.Timescale]:
    """Column c's timescales, each distinct cell value parsed once (a tracker repeats a few dozen)."""
    if c is None:
        return [rules.parse_timescale(None)] * len(body)
    values = list(map(itemgetter(c), body))
    try:
        distinct = set(values)
        if any(v.__class__ is bool for v in distinct):  # True == 1: a set would merge them
            raise TypeError
        parsed = {v: _parse_timescale(v, context) for v in distinct}
    except TypeError:  # unhashable or ambiguous values: never from a reader, but never wrong either
        return [_parse_timescale(v, context) for v in values]
    return [parsed[v] for v in values]


def _parse_timescale(value, context: dict) -> rules.Timescale:
    if value is None or value == "":
        return rules.parse_timescale(None)
    return rules.parse_timescale(value if hasattr(value, "year") else cell_text(value), **context)


def walk_table(
    grid: Grid,
    table: Table,
    *,
    sheet: str | None,
    fy_start: int | None = None,
    term_dates: dict[str, str] | None = None,
) -> Walk:
    """The table's actions, top to bottom: one TrackerRow per action row (status unknown until
    statuses.read_statuses), with its recommendation carried down. fy_start (the review's financial
    year) and term_dates (the plan's) date timescales such as "by end of Q3" and "summer term"."""
    context = {"fy_start": fy_start, "term_dates": term_dates}
    cols = table.columns
    problems = _table_problems(table, sheet)
    first = table.header_row + 1
    wide_rows = _fill_merges(grid, first)
    field_cols = set(cols.values()) | {c for p in table.periods for c in (p.status, p.progress) if c is not None}
    c_ref, c_text, c_id, c_action = (cols.get(f) for f in ("rec_ref", "rec_text", "action_id", "action"))
    c_due, c_revised = cols.get("due"), cols.get("revised_due")
    first_col = min(field_cols) if field_cols else 0
    other_cols = sorted(field_cols - {c_ref, c_text})
    has_rec_ref = c_ref is not None
    where_ref, where_action, where_id = table.where("rec_ref"), table.where("action"), table.where("action_id")
    where_due, where_revised = table.where("due"), table.where("revised_due")
    hidden_rows = getattr(grid, "hidden_rows", None) or ()

    # Every row at least as wide as the table (CSV rows can be short), then the fields column by column.
    body = grid.rows[first:]
    need = max(field_cols, default=0) + 1
    for row in body:
        if len(row) < need:
            row.extend([""] * (need - len(row)))
    refs, ids = (_column_texts(body, c, strip=True) for c in (c_ref, c_id))
    rec_texts, actions = (_column_texts(body, c) for c in (c_text, c_action))
    leads, partners, measures, evidence, themes = (
        _column_texts(body, cols.get(f)) for f in ("lead", "partner", "measure", "evidence", "theme")
    )
    signoffs, change_reasons, change_approvers, mitigations, board_asks = (
        _column_texts(body, cols.get(f))
        for f in ("signed_off", "change_reason", "change_approved_by", "mitigation", "board_ask")
    )
    dues = _column_timescales(body, c_due, context)

    current = CurrentRecommendation()
    actions_per_rec = current.actions  # the hot loop counts into it directly
    rows: list[TrackerRow] = []
    grid_rows: list[int] = []
    ids_seen: dict[str, int] = {}  # action id -> first Excel row
    timescales: dict = {}  # revised dates, each distinct value parsed once
    hidden = 0
    end_row = len(grid.rows)

    for i, row in enumerate(body):
        r = first + i
        excel_row = r + 1
        # Most rows are actions with many cells filled; rows with few (spacers, legends, headings)
        # or that start like a Total row get the careful look.
        filled = len(row) - row.count("") - row.count(None)
        if filled == 0:
            continue  # spacer row
        if filled > 4:
            lead_value = row[0]
            if lead_value == "" or lead_value is None:
                lead_value = next((v for v in row if v != "" and v is not None), "")
        if filled <= 4 or (lead_value.__class__ is str and _SUMMARY_RE.match(lead_value)):
            present = [(c, v) for c, v in enumerate(row) if not is_blank(v)]
            if not present:
                continue  # cells of spaces only
            if len(present) <= 4 and is_legend_row([cell_text(v) or "" for _, v in present]):
                end_row = r
                break  # "Key", "Blue = complete": the footnote under the table
            if not any(c in field_cols for c, _ in present):
                problems.append(_outside(sheet, excel_row, present))
                continue
            if _is_summary_row(present):
                continue  # "Total", "Count": formula results under the table, not an action
            # A single-cell row spanning the table, or a long heading in the ref column: a section heading.
            if len(present) == 1 and present[0][1].__class__ is str:
                c, value = present[0]
                heading = value.strip()
                if (
                    r in wide_rows
                    or (c == c_ref and len(heading) > 15 and " " in heading)
                    or (c not in (c_action, c_text, c_ref) and c == first_col)
                ):
                    if m := _SECTION_REC_RE.match(heading):
                        current.start(m[1], (m[2] or "").strip())
                    else:
                        current.theme = heading
                    continue

        ref_v, rec_text_v, action_id = refs[i], rec_texts[i], ids[i]
        if ref_v:
            if ref_v != current.ref:
                current.start(ref_v, rec_text_v or "")
            elif rec_text_v and not current.text:
                current.text = rec_text_v
        elif rec_text_v and rec_text_v != current.text:
            derived = ref_from_action_id(action_id) if action_id else None
            number = current.next_generated()
            ref = derived or (f"R{number}" if has_rec_ref else str(number))
            if has_rec_ref and not derived:
                problems.append(
                    Problem(
                        sheet,
                        excel_row,
                        where_ref,
                        f"The recommendation on row {excel_row} has no reference; it was given '{ref}'.",
                    )
                )
            current.start(ref, rec_text_v)
        elif not has_rec_ref and action_id and (derived := ref_from_action_id(action_id)) and derived != current.ref:
            current.start(derived, rec_text_v or "")
        description = rec_text_v if c_action is None else actions[i]
        if current.ref is not None and current.ref not in actions_per_rec:
            actions_per_rec[current.ref] = 0
        if not description and not any(not is_blank(row[c]) for c in other_cols):
            if not ref_v and not rec_text_v:
                problems.append(_outside(sheet, excel_row, [(c, v) for c, v in enumerate(row) if not is_blank(v)]))
            continue  # a recommendation's own row (its actions follow)
        if not description:
            problems.append(
                Problem(
                    sheet,
                    excel_row,
                    where_action,
                    f"Row {excel_row} has no action text; it was imported with an empty description.",
                )
            )
            description = ""
        if current.ref is None:
            current.start("1", "")
        ref = current.ref
        actions_per_rec[ref] += 1

        if action_id:
            first_seen = ids_seen.setdefault(action_id, excel_row)
            if first_seen != excel_row:
                problems.append(
                    Problem(
                        sheet,
                        excel_row,
                        where_id,
                        f"Action ID '{action_id}' is used twice (rows {first_seen} and {excel_row}); "
                        "both were imported as separate actions.",
                    )
                )

        timescale = dues[i]
        if timescale.kind == "invalid":
            problems.append(
                Problem(sheet, excel_row, where_due, f"{timescale.problem}; the action was imported with no due date.")
            )
        revised_due = None
        if c_revised is not None and not is_blank(row[c_revised]):
            revised = _timescale(row[c_revised], timescales, context)
            revised_due = revised.due
            if revised.kind == "invalid":
                problems.append(
                    Problem(sheet, excel_row, where_revised, f"Revised date: {revised.problem}; it was ignored.")
                )
        rows.append(
            TrackerRow(
                ref,
                current.text or "",
                description,
                action_id,
                leads[i],
                partners[i],
                measures[i],
                themes[i] or current.theme,
                timescale=timescale,
                revised_due=revised_due,
                evidence=evidence[i],
                signoff_raw=signoffs[i],
                change_reason=change_reasons[i],
                change_approved_by=change_approvers[i],
                mitigation=mitigations[i],
                board_ask=board_asks[i],
                source_row=excel_row,
            )
        )
        grid_rows.append(r)
        if r in hidden_rows:
            hidden += 1

    for ref in current.without_actions():
        problems.append(
            Problem(
                sheet,
                None,
                table.where("rec_ref") or table.where("rec_text"),
                f"Recommendation '{short_text(ref, QUOTED)}' has no actions; it was not imported.",
            )
        )
    refs_in_order = [ref for ref, n in current.actions.items() if n]
    return Walk(table, rows, grid_rows, problems, hidden, end_row, refs_in_order)


def _timescale(value, cache: dict, context: dict) -> rules.Timescale:
    """rules.parse_timescale, once per distinct cell value."""
    if value is None or value == "":
        return rules.parse_timescale(None)
    try:
        ts = cache.get(value)
    except TypeError:  # an unhashable value: never from a reader, but never a crash either
        return _parse_timescale(value, context)
    if ts is None:
        ts = cache[value] = _parse_timescale(value, context)
    return ts
