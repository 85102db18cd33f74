"""One sheet's grid -> its tracker table: find the header row, recognise the columns, walk the
data rows (stopping at a legend), carry recommendations down, and read status/timescales through
data_access.rules. Every oddity becomes a Problem; no row with data is silently dropped."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from data_access import rules
from data_access.importer.parsed import ImportRefused, Problem
from data_access.importer.workbook import FillReader, Grid, cell_text, column_letter, is_blank
from data_access.tracker_rows import TrackerRow

HEADER_SCAN_ROWS = 30

# field -> synonyms, most specific first (the first listed wins when two columns compete).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "rec_ref": (
        "rec no",
        "recommendation no",
        "recommendation number",
        "recommendation ref",
        "rec ref",
        "rec number",
        "recommendation reference",
        "rec",
        "nos",
        "ref",
        "no",
        "ref no",
        "number",
        "reference",
    ),
    "rec_text": (
        "recommendation",
        "ofsted recommendation",
        "recommendations",
        "ofsted recommendations",
        "area for development",
        "area for improvement",
        "areas for development",
        "areas for improvement",
        "recommendation text",
    ),
    "action_id": ("action id", "action no", "action number", "action ref", "action reference"),
    "action": (
        "action",
        "action required",
        "actions",
        "actions required",
        "what",
        "action to be taken",
        "actions to be taken",
        "what will we do",
        "what will be done",
    ),
    "lead": (
        "lead officer",
        "lead",
        "owner",
        "responsible officer",
        "who",
        "action owner",
        "lead officers",
        "responsible",
        "lead manager",
        "responsible manager",
    ),
    "due": (
        "timescale",
        "timescales",
        "target date",
        "due",
        "due date",
        "deadline",
        "by when",
        "when",
        "completion date",
        "target completion date",
        "timeframe",
        "target",
    ),
    "status": (
        "rag",
        "rag status",
        "brag",
        "brag status",
        "progress rag",
        "rag rating",
        "brag rating",
        "current rag",
        "status",
        "current status",
    ),
    "progress": (
        "progress update",
        "update",
        "commentary",
        "comments",
        "progress",
        "progress to date",
        "latest update",
        "comment",
        "progress commentary",
        "update on progress",
        "status update",
    ),
    "measure": (
        "measure of success",
        "measures of success",
        "success measures",
        "success measure",
        "how will it be measured",
        "how will we measure success",
        "success criteria",
        "outcome",
        "outcomes",
        "impact",
        "expected outcome",
        "intended outcome",
    ),
    "evidence": ("evidence", "evidence of impact", "evidence of progress", "evidence source"),
    "partner": ("partner agency", "partner", "agency", "partner agencies", "lead agency"),
    "revised_due": ("revised date", "revised timescale", "revised target date", "revised due date", "revised deadline"),
    "theme": ("theme", "key theme", "priority area"),
}
FIELDS: tuple[str, ...] = tuple(SYNONYMS)
FIELD_LABELS: dict[str, str] = {
    "rec_ref": "Recommendation ref",
    "rec_text": "Recommendation text",
    "action_id": "Action ID",
    "action": "Action",
    "lead": "Lead officer",
    "due": "Timescale / due date",
    "status": "RAG status",
    "progress": "Progress update",
    "measure": "Measure of success",
    "evidence": "Evidence",
    "partner": "Partner agency",
    "revised_due": "Revised date",
    "theme": "Theme",
}
IGNORE = "ignore"  # a mapping value that says: not a field, do not list as unrecognised

_AMBIGUOUS_REF = {"ref", "no", "nos", "number", "reference", "ref no"}
_ACTION_ID_RE = re.compile(r"^[A-Za-z]{0,3}\s?\d+[a-z]?([.\-]\d+[a-z]?)+$")
_LEGEND_RE = re.compile(
    r"^(key|legend|rag key|brag key|rag rating key|key to rag( ratings?)?|rag definitions?|status key|notes?)"
    r"\s*([:\-–=].*)?$",
    re.IGNORECASE,
)
_SECTION_REC_RE = re.compile(
    r"^(?:ofsted\s+)?(?:recommendation|rec|area for (?:development|improvement))\s*(?:no\.?\s*)?"
    r"([A-Za-z]?\d+[a-z]?)\s*[:.)\-–]?\s*(.*)$",
    re.IGNORECASE | re.DOTALL,
)
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def norm_header(text: object) -> str:
    """'Lead Officer(s)?' -> 'lead officer s'; case and punctuation do not matter."""
    return " ".join(_NON_ALNUM.sub(" ", str(text or "").lower()).split())


def field_for_header(header: str, mapping: dict[str, str | None] | None = None) -> tuple[str | None, int]:
    """(field, score) for one header; score ranks competing columns (higher is better), 0 = none."""
    key = norm_header(header)
    if not key:
        return None, 0
    if mapping and key in mapping:
        return mapping[key], 10_000
    best: tuple[str | None, int] = (None, 0)
    for fld, names in SYNONYMS.items():
        for i, name in enumerate(names):
            if key == name:
                score = 1_000 - i
            elif key.startswith(name + " ") and len(name) >= 3:
                score = 100 + len(name)  # "Progress update June 2018", "Lead officer s"
            else:
                continue
            if score > best[1]:
                best = (fld, score)
    return best


def normalise_mapping(mapping: dict[str, str | None] | None, filename: str) -> dict[str, str | None] | None:
    if not mapping:
        return None
    out: dict[str, str | None] = {}
    for header, fld in mapping.items():
        if fld in (None, "", IGNORE):
            out[norm_header(header)] = IGNORE
        elif fld in SYNONYMS:
            out[norm_header(header)] = fld
        else:
            raise ImportRefused(f"{filename}: the column mapping names an unknown field '{fld}' for column '{header}'.")
    return out


@dataclass
class Table:
    header_row: int  # 0-based
    columns: dict[str, int]  # field -> column index
    headers: dict[int, str]  # column index -> header as written (flattened)
    unrecognised: list[str]
    column_map: dict[str, str]  # header as written -> field


def find_header(grid: Grid, mapping: dict[str, str | None] | None) -> int | None:
    """0-based header row: the row among the first 30 naming the most known columns (at least two,
    one of them the action or the recommendation)."""
    best_row, best_count = None, 1
    for r in range(min(HEADER_SCAN_ROWS, len(grid.rows))):
        found = set()
        for value in grid.rows[r]:
            if isinstance(value, str) and value.strip() and len(value) < 120:
                fld, _ = field_for_header(value, mapping)
                if fld and fld != IGNORE:
                    found.add(fld)
        if len(found) > best_count and ({"action", "rec_text"} & found):
            best_row, best_count = r, len(found)
    return best_row


def _looks_like_action_ids(grid: Grid, col: int, start: int) -> bool:
    values = []
    for r in range(start, min(len(grid.rows), start + 200)):
        text = cell_text(grid.value(r, col))
        if text:
            values.append(text.strip())
    if not values:
        return False
    return sum(1 for v in values if _ACTION_ID_RE.match(v)) / len(values) >= 0.6


def recognise_columns(grid: Grid, header_row: int, mapping: dict[str, str | None] | None) -> Table:
    headers: dict[int, str] = {}
    candidates: dict[str, list[tuple[int, int]]] = {}  # field -> [(score, col)]
    for c, value in enumerate(grid.rows[header_row]):
        text = cell_text(value)
        if not text:
            continue
        header = " ".join(text.split())
        headers[c] = header
        fld, score = field_for_header(header, mapping)
        ambiguous = fld == "rec_ref" and score < 10_000 and norm_header(header) in _AMBIGUOUS_REF
        if ambiguous and _looks_like_action_ids(grid, c, header_row + 1):
            fld, score = "action_id", 500  # "Ref" holding 1.1, A1.2: the action's own ID
        if fld:
            candidates.setdefault(fld, []).append((score, c))
    columns: dict[str, int] = {}
    for fld, options in candidates.items():
        if fld == IGNORE:
            continue
        options.sort(key=lambda sc: (-sc[0], sc[1]))
        columns[fld] = options[0][1]
    used = set(columns.values()) | {c for sc in candidates.get(IGNORE, []) for c in [sc[1]]}
    unrecognised = [headers[c] for c in sorted(headers) if c not in used]
    column_map = {headers[c]: fld for fld, c in sorted(columns.items(), key=lambda fc: fc[1])}
    return Table(header_row, columns, headers, unrecognised, column_map)


@dataclass
class TableResult:
    rows: list[TrackerRow]
    problems: list[Problem]
    table: Table
    statuses_from_colour: int = 0
    conditional_format_warning: str | None = None
    recs_without_actions: list[str] = field(default_factory=list)


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


def _is_legend_row(values: list[str]) -> bool:
    if not values or len(values) > 4:
        return False
    first = values[0].strip()
    return bool(_LEGEND_RE.match(first) or rules.LEGEND_ITEM_RE.match(first))


def parse_table(
    grid: Grid,
    table: Table,
    *,
    sheet: str | None,
    fills: FillReader | None,
) -> TableResult:
    cols = table.columns
    problems: list[Problem] = []

    def where(fld: str) -> str | None:
        c = cols.get(fld)
        return None if c is None else f"{column_letter(c)} ({table.headers.get(c, '')})"

    def text_at(row: list, fld: str) -> str | None:
        c = cols.get(fld)
        return cell_text(row[c]) if c is not None and c < len(row) else None

    def raw_at(row: list, fld: str):
        c = cols.get(fld)
        return row[c] if c is not None and c < len(row) else None

    first = table.header_row + 1
    wide_rows = _fill_merges(grid, first)
    field_cols = set(cols.values())
    has_rec_ref, has_rec_text = "rec_ref" in cols, "rec_text" in cols
    if not (has_rec_ref or has_rec_text or "action_id" in cols):
        problems.append(
            Problem(
                sheet,
                None,
                None,
                "No recommendation column was recognised, so every action is listed under recommendation '1'.",
            )
        )

    if "status" not in cols:
        problems.append(
            Problem(sheet, None, None, "No RAG status column was recognised, so every action has status unknown.")
        )
    if "action" not in cols:
        problems.append(
            Problem(
                sheet, None, None, "No action column was recognised, so the recommendation text is used as the action."
            )
        )

    rows: list[TrackerRow] = []
    cur_ref: str | None = None
    cur_text = ""
    cur_theme: str | None = None
    generated = 0
    recs_seen: dict[str, int] = {}  # ref -> actions
    ids_seen: dict[str, int] = {}  # action id -> first Excel row
    blank_status: list[tuple[int, int]] = []  # (index into rows, grid row)
    ts_cache: dict[str, rules.Timescale] = {}

    for r in range(first, len(grid.rows)):
        row = grid.rows[r]
        excel_row = r + 1
        present = [(c, v) for c, v in enumerate(row) if not is_blank(v)]
        if not present:
            continue  # spacer row
        texts = [cell_text(v) or "" for _, v in present]
        if _is_legend_row(texts):
            break  # "Key", "Blue = complete": the footnote under the table
        in_fields = [(c, v) for c, v in present if c in field_cols]
        if not in_fields:
            problems.append(
                Problem(
                    sheet,
                    excel_row,
                    None,
                    f"Row {excel_row} has text only outside the recognised columns ('{_short(texts[0])}'); "
                    "it was ignored.",
                )
            )
            continue
        # A single-cell row spanning the table, or a long heading in the ref column: a section heading.
        if len(present) == 1 and isinstance(present[0][1], str):
            c, value = present[0]
            heading = value.strip()
            is_section = (
                r in wide_rows
                or (c == cols.get("rec_ref") and len(heading) > 15 and " " in heading)
                or (
                    c not in (cols.get("action"), cols.get("rec_text"), cols.get("rec_ref")) and c == min(cols.values())
                )
            )
            if is_section:
                m = _SECTION_REC_RE.match(heading)
                if m:
                    cur_ref, cur_text = m[1], (m[2] or "").strip()
                    recs_seen.setdefault(cur_ref, 0)
                else:
                    cur_theme = heading
                continue

        ref_v = text_at(row, "rec_ref")
        rec_text_v = text_at(row, "rec_text")
        action_id = text_at(row, "action_id")
        action_id = action_id.strip() if action_id else None
        if ref_v:
            ref_v = ref_v.strip()
            if ref_v != cur_ref:
                cur_ref, cur_text = ref_v, rec_text_v or ""
            elif rec_text_v and not cur_text:
                cur_text = rec_text_v
        elif rec_text_v and rec_text_v != cur_text:
            generated += 1
            derived = _ref_from_action_id(action_id) if action_id else None
            if has_rec_ref:
                cur_ref = derived or f"R{generated}"
                problems.append(
                    Problem(
                        sheet,
                        excel_row,
                        where("rec_ref"),
                        f"The recommendation on row {excel_row} has no reference; it was given '{cur_ref}'.",
                    )
                )
            else:
                cur_ref = derived or str(generated)
            cur_text = rec_text_v
        elif not has_rec_ref and action_id and _ref_from_action_id(action_id):
            derived = _ref_from_action_id(action_id)
            if derived != cur_ref:
                cur_ref, cur_text = derived, rec_text_v or ("" if has_rec_text else "")
        description = text_at(row, "action") if "action" in cols else rec_text_v
        other = any(c not in (cols.get("rec_ref"), cols.get("rec_text")) for c, _ in in_fields)
        if cur_ref is not None:
            recs_seen.setdefault(cur_ref, 0)
        if not description and not other:
            continue  # a recommendation's own row (its actions follow)
        if cur_ref is None:
            cur_ref = "1"
            recs_seen.setdefault(cur_ref, 0)
        if not description:
            problems.append(
                Problem(
                    sheet,
                    excel_row,
                    where("action"),
                    f"Row {excel_row} has no action text; it was imported with an empty description.",
                )
            )
            description = ""
        recs_seen[cur_ref] += 1

        if action_id:
            if action_id in ids_seen:
                problems.append(
                    Problem(
                        sheet,
                        excel_row,
                        where("action_id"),
                        f"Action ID '{action_id}' is used twice (rows {ids_seen[action_id]} and {excel_row}); "
                        "both were imported as separate actions.",
                    )
                )
            else:
                ids_seen[action_id] = excel_row

        status_raw = text_at(row, "status")
        status = rules.normalise_status(status_raw)
        if status_raw and status == rules.UNKNOWN:
            problems.append(
                Problem(
                    sheet,
                    excel_row,
                    where("status"),
                    f"Status '{_short(status_raw)}' is not Blue/Green/Amber/Red; it was imported as unknown.",
                )
            )

        due_value = raw_at(row, "due")
        timescale = _timescale(due_value, ts_cache)
        if timescale.kind == "invalid":
            problems.append(
                Problem(
                    sheet, excel_row, where("due"), f"{timescale.problem}; the action was imported with no due date."
                )
            )
        revised_due = None
        revised_value = raw_at(row, "revised_due")
        if not is_blank(revised_value):
            revised = _timescale(revised_value, ts_cache)
            revised_due = revised.due
            if revised.kind == "invalid":
                problems.append(
                    Problem(sheet, excel_row, where("revised_due"), f"Revised date: {revised.problem}; it was ignored.")
                )

        rows.append(
            TrackerRow(
                rec_ref=cur_ref,
                rec_text=cur_text or "",
                description=description,
                action_id=action_id,
                lead=text_at(row, "lead"),
                partner=text_at(row, "partner"),
                measure=text_at(row, "measure"),
                theme=text_at(row, "theme") or cur_theme,
                status=status,
                status_raw=status_raw,
                timescale=timescale,
                revised_due=revised_due,
                progress=text_at(row, "progress"),
                evidence=text_at(row, "evidence"),
                source_row=excel_row,
            )
        )
        if not status_raw and "status" in cols:
            blank_status.append((len(rows) - 1, r))

    result = TableResult(rows, problems, table)
    result.recs_without_actions = [ref for ref, n in recs_seen.items() if n == 0]
    for ref in result.recs_without_actions:
        problems.append(
            Problem(
                sheet,
                None,
                where("rec_ref") or where("rec_text"),
                f"Recommendation '{_short(ref)}' has no actions; it was not imported.",
            )
        )
    if blank_status:
        _statuses_from_colour(grid, table, result, blank_status, sheet, fills, where("status"))
    return result


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _ref_from_action_id(action_id: str) -> str | None:
    """'1.2' -> '1', 'A1.2' -> 'A1', '3.1.4' -> '3.1'."""
    m = re.match(r"^(.+?)[.\-]\d+[a-z]?$", action_id.strip())
    return m[1] if m else None


def _timescale(value, cache: dict[str, rules.Timescale]) -> rules.Timescale:
    if value is None or hasattr(value, "year"):
        return rules.parse_timescale(value)
    text = cell_text(value)
    if text is None:
        return rules.parse_timescale(None)
    ts = cache.get(text)
    if ts is None:
        ts = cache[text] = rules.parse_timescale(text)
    return ts


def _statuses_from_colour(grid, table: Table, result: TableResult, blank_status, sheet, fills, where_status) -> None:
    col = table.columns["status"]
    colours: dict[tuple[int, int], str | None] = {}
    if fills is not None and grid.name is not None:
        colours = fills.fills(grid.name, [(r, col) for _, r in blank_status])
    whole_column_blank = len(blank_status) == len(result.rows)
    from_colour = 0
    no_status_rows = []
    for index, r in blank_status:
        hex_colour = colours.get((r, col))
        status = rules.status_from_fill(hex_colour)
        row = result.rows[index]
        if status != rules.UNKNOWN:
            row.status, row.status_from_colour = status, True
            from_colour += 1
        elif hex_colour and hex_colour.upper() not in ("FFFFFF", "000000"):
            result.problems.append(
                Problem(
                    sheet,
                    r + 1,
                    where_status,
                    f"The status cell is coloured #{hex_colour.upper()}, which is not a RAG colour; "
                    "it was imported as unknown.",
                )
            )
        else:
            no_status_rows.append(r + 1)
    result.statuses_from_colour = from_colour
    if whole_column_blank and from_colour == 0:
        cf = fills.conditional_ranges(grid.name) if (fills is not None and grid.name is not None) else []
        first, last = table.header_row + 1, max(r for _, r in blank_status)
        if any(c0 <= col <= c1 and r0 <= last and r1 >= first for r0, c0, r1, c1 in cf):
            result.conditional_format_warning = (
                f"The status column {where_status} is empty and is coloured by conditional formatting, "
                "which cannot be read from the file; type B, G, A or R in the status cells, or give the statuses "
                "as text, and upload again."
            )
            result.problems.append(Problem(sheet, None, where_status, result.conditional_format_warning))
        else:
            result.problems.append(
                Problem(
                    sheet,
                    None,
                    where_status,
                    "The status column is empty (no text and no colours); every action was "
                    "imported with status unknown.",
                )
            )
        return
    for excel_row in no_status_rows:
        result.problems.append(
            Problem(
                sheet, excel_row, where_status, "The status cell is blank; the action was imported with status unknown."
            )
        )
