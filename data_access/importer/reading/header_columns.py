"""One sheet's header: which row it is, and what each column holds.

Headings are matched to fields by their many wordings (SYNONYMS), a manual mapping overrides
that, and a "Ref" column holding action IDs (A.1, 3.2, 1a, 2(i)) is taken as the action's ID.
Columns of a status and an update per period ("Q1 RAG | Q1 update | Q2 RAG ...", "RAG Q2 17/18",
"June 2017 RAG", or a period label merged over its pair of columns) are found here too: each period
is a review of its own (sheets.py).

Progress notes: a "New update" column (the next-update tracker's, papers/update_tracker.py) is this
review's note, even beside "Latest update"; "Previous update" (or "Latest update" beside "New
update") is last review's note, recognised so it is not listed as unknown, and never imported.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from data_access.domain import rules
from data_access.importer.parsed import ImportRefused
from data_access.importer.reading.grid import Grid, cell_text, column_letter

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
        # Trackers that keep the baseline beside a revised date (issue 25): the original is the due date.
        "original timescale",
        "original target date",
        "original due date",
        "original deadline",
        "original date",
        "baseline date",
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
        # Less usual wordings (issue 28): taken as the status, and said so among the assumptions.
        "progress rating",
        "progress rating brag",
        "progress rating rag",
        "rating",
        "rag status this quarter",
        "overall status",
        "overall rag",
        "overall rag status",
    ),
    "stage": ("stage", "progress stage", "delivery stage", "progress status", "delivery status"),
    "progress": (
        # This review's note. A tracker sent out for an update ("New update" beside last quarter's
        # "Latest update") names the new note so: it wins, and the other becomes the previous note.
        "new update",
        "new progress update",
        "this quarter s update",
        "update this quarter",
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
    # Last review's note, printed beside the new one for reference: recognised, never imported (the
    # action's history already has it, from the review it belongs to).
    "previous_progress": (
        "previous update",
        "previous progress update",
        "last update",
        "last quarter s update",
        "previous quarter s update",
        "previous comments",
        "previous commentary",
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
    # The organisation an action belongs to (joint inspections: police, health, probation...).
    "partner": (
        "partner agency",
        "partner",
        "agency",
        "partner agencies",
        "lead agency",
        "organisation",
        "lead organisation",
        "partner organisation",
        "organization",
    ),
    "revised_due": ("revised date", "revised timescale", "revised target date", "revised due date", "revised deadline"),
    "theme": ("theme", "key theme", "priority area"),
    # The board's decisions as trackers record them (issue 25; domain/signoff_rules.py reads them).
    "signed_off": (
        "signed off",
        "board sign off",
        "date closed by board",
        "closed y n",
        "signed off by board",
        "sign off",
        "closed by board",
        "date signed off",
    ),
    "change_reason": ("reason for change", "reason for revised date", "reason for revision", "reason for delay"),
    # The update round (issue 26): what is done about a red or amber status, and the ask of the board.
    "mitigation": (
        "mitigation",
        "mitigating action s",
        "mitigating actions",
        "mitigating action",
        "remedial action",
        "remedial actions",
        "mitigation actions",
    ),
    "board_ask": (
        "support needed from the board",
        "what we need from the board",
        "ask of the board",
        "board support required",
        "what we need from board",
        "support required from the board",
        "board ask",
    ),
    "change_approved_by": (
        "agreed by",
        "approved by",
        "change agreed at board",
        "change agreed by",
        "change approved by",
        "revised date agreed by",
    ),
}
FIELDS: tuple[str, ...] = tuple(SYNONYMS)
# Headings that say plainly they are the status; any other heading taken as the status is an assumption.
PLAIN_STATUS_HEADINGS = frozenset(SYNONYMS["status"][: SYNONYMS["status"].index("current status") + 1])
FIELD_LABELS: dict[str, str] = {
    "rec_ref": "Recommendation ref",
    "rec_text": "Recommendation text",
    "action_id": "Action ID",
    "action": "Action",
    "lead": "Lead officer",
    "due": "Timescale / due date",
    "status": "RAG status",
    "stage": "Stage (Not started, In progress, Complete)",
    "progress": "Progress update",
    "previous_progress": "Previous update (not imported: the action's history has it)",
    "measure": "Measure of success",
    "evidence": "Evidence",
    "partner": "Partner agency",
    "revised_due": "Revised date",
    "theme": "Theme",
    "signed_off": "Signed off by the board",
    "change_reason": "Reason for date change",
    "change_approved_by": "Date change agreed by",
    "mitigation": "Mitigation",
    "board_ask": "What we need from the board",
}
# Headings that name this review's new note (above): beside one, another progress column is the previous note.
NEW_NOTE_HEADINGS = frozenset(SYNONYMS["progress"][:4])
IGNORE = "ignore"  # a mapping value that says: not a field, do not list as unrecognised

_AMBIGUOUS_REF = {"ref", "no", "nos", "number", "reference", "ref no"}
# Action IDs as trackers write them: 1.2, A1.2, R3.2, 3.1.4, A.1 (area A, action 1), 1a, 2(i).
ACTION_ID_RE = re.compile(
    r"^(?:[A-Za-z]{0,3}\s?\d+[a-z]?(?:[.\-]\d+[a-z]?)+"  # 1.2  A1.2  R3.2  3.1.4  1.2a
    r"|[A-Za-z][.\-]\d+[a-z]?"  # A.1  E-6
    r"|\d+[a-z]"  # 1a
    r"|\d+\s?\((?:[ivx]+|[a-z])\))$"  # 2(i)  3 (b)
)
_ID_PREFIX_RE = re.compile(r"^(.+?)(?:[.\-]\d+[a-z]?|[a-z]|\s?\((?:[ivx]+|[a-z])\))$")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")

# Periods in column headings: "Q2", "Q2 17/18", "Q2 2017-18", "June 2017", "Jun-17", "Sept 17".
_QUARTER_IN_HEADER = re.compile(
    r"\bq\s*([1-4])\b(?:\s*[,:\-]?\s*(?:fy\s*)?((?:19|20)?\d{2})\s*[/\-]\s*(\d{2,4}))?", re.IGNORECASE
)
_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_MONTH_IN_HEADER = re.compile(rf"\b({_MONTHS})\.?[\s\-'/]*((?:19|20)\d{{2}}|\d{{2}})\b", re.IGNORECASE)
_FY_IN_TEXT = re.compile(r"\b((?:19|20)\d{2})\s*[/\-]\s*(\d{2}|(?:19|20)\d{2})\b")


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


def ref_from_action_id(action_id: str) -> str | None:
    """The recommendation an action ID belongs to: '1.2' -> '1', 'A1.2' -> 'A1', 'A.1' -> 'A',
    '3.1.4' -> '3.1', '1a' -> '1', '2(i)' -> '2'."""
    m = _ID_PREFIX_RE.match(action_id.strip())
    return m[1] if m and ACTION_ID_RE.match(action_id.strip()) else None


@dataclass(frozen=True)
class PeriodColumns:
    """A period's status column and update column (quarterly pairs on one sheet)."""

    label: str  # the period as the heading says it: "Q2 2017/18", "June 2017"
    as_at: dt.date | None  # the period's end; None when the heading has no year and none was found
    status: int | None  # column index
    progress: int | None


@dataclass
class Table:
    header_row: int  # 0-based
    columns: dict[str, int]  # field -> column index
    headers: dict[int, str]  # column index -> header as written (flattened)
    unrecognised: list[str]
    column_map: dict[str, str]  # header as written -> field
    periods: list[PeriodColumns] = field(default_factory=list)  # in date order; [] for one status column

    def where(self, fld: str) -> str | None:
        """'G (RAG Status)': the column's letter and heading, for problems."""
        c = self.columns.get(fld)
        return None if c is None else self.where_col(c)

    def where_col(self, c: int) -> str:
        return f"{column_letter(c)} ({self.headers.get(c, '')})"


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
    return sum(1 for v in values if ACTION_ID_RE.match(v)) / len(values) >= 0.6


def recognise_columns(
    grid: Grid,
    header_row: int,
    mapping: dict[str, str | None] | None,
    *,
    context: str = "",
    as_at: dt.date | None = None,
) -> Table:
    """The header row's columns as fields. context (the sheet's name and title rows) gives the year
    of periods headed "Q1", "Q2" without one; failing that, the financial year of as_at."""
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
            fld, score = "action_id", 500  # "Ref" holding 1.1, A.1, 1a: the action's own ID
        if fld:
            candidates.setdefault(fld, []).append((score, c))
    periods = _period_columns(grid, header_row, headers, mapping, context, as_at)
    in_periods = {c for p in periods for c in (p.status, p.progress) if c is not None}
    columns: dict[str, int] = {}
    for fld, options in candidates.items():
        if fld == IGNORE:
            continue
        options = sorted((sc for sc in options if sc[1] not in in_periods), key=lambda sc: (-sc[0], sc[1]))
        if not options:
            continue
        columns[fld] = options[0][1]
        if fld == "status" and len(options) > 1 and "stage" not in candidates:
            # Two status columns ("RAG" and "Status"): the RAG wins, the other says how far the
            # action has got (Not started / In progress / Completed).
            columns["stage"] = options[1][1]
        new_note = fld == "progress" and norm_header(headers[options[0][1]]) in NEW_NOTE_HEADINGS
        if new_note and len(options) > 1 and "previous_progress" not in candidates:
            # "New update" beside "Latest update" (a next-update tracker sent out before the column
            # was called "Previous update"): the new note is this review's; the other is last
            # review's, already in the action's history.
            columns["previous_progress"] = options[1][1]
    if periods:
        # Each period has its own status and update: the plain ones are not used.
        for fld in ("status", "progress"):
            if fld in columns and columns[fld] not in in_periods:
                in_periods.add(columns.pop(fld))
    used = set(columns.values()) | in_periods | {c for sc in candidates.get(IGNORE, []) for c in [sc[1]]}
    unrecognised = [headers[c] for c in sorted(headers) if c not in used]
    column_map = {headers[c]: fld for fld, c in sorted(columns.items(), key=lambda fc: fc[1])}
    for p in periods:
        if p.status is not None:
            column_map[headers.get(p.status) or p.label] = "status"
        if p.progress is not None:
            column_map[headers.get(p.progress) or p.label] = "progress"
    return Table(header_row, columns, headers, unrecognised, column_map, periods)


# ---------------------------------------------------------------------------
# Quarterly column pairs
# ---------------------------------------------------------------------------


def _period_in(text: str) -> tuple[str, int | None, int | None, dt.date | None] | None:
    """(period text, quarter, financial year start or None, month end or None) named in a heading."""
    if m := _QUARTER_IN_HEADER.search(text):
        start = None
        if m[2]:
            first = int(m[2]) + (2000 if len(m[2]) == 2 else 0)
            second = int(m[3][-2:])
            if (first + 1) % 100 == second:
                start = first
        return m[0], int(m[1]), start, None
    if m := _MONTH_IN_HEADER.search(text):
        ts = rules.parse_timescale(f"{m[1]} {m[2]}")
        if ts.kind == "date" and ts.precision == rules.MONTH:
            return m[0], None, None, ts.due
    return None


def _field_without_period(header: str, period_text: str, mapping) -> str | None:
    rest = header.replace(period_text, " ")
    fld, _ = field_for_header(rest, mapping)
    return fld if fld in ("status", "progress") else None


def _fy_start_from(context: str, as_at: dt.date | None) -> int | None:
    if m := _FY_IN_TEXT.search(context or ""):
        first, second = int(m[1]), int(m[2][-2:])
        if (first + 1) % 100 == second:
            return first
    if as_at is not None:
        return rules.financial_quarter(as_at)[1]
    return None


def _period_columns(grid: Grid, header_row: int, headers: dict[int, str], mapping, context, as_at) -> list:
    """Status and update columns per period, from headings ("Q1 RAG") or from a period label in the
    row above the heading ("Q1 2017/18" merged over "RAG | Update")."""
    found: dict[str, dict] = {}  # period text -> {"label", "quarter", "fy", "month_end", "order", "status", "progress"}

    def add(period, fld: str, c: int) -> None:
        text, quarter, fy, month_end = period
        key = " ".join(text.lower().split())
        slot = found.setdefault(key, {"label": text, "quarter": quarter, "fy": fy, "month_end": month_end, "order": c})
        slot.setdefault(fld, c)

    for c, header in headers.items():
        period = _period_in(header)
        if period is None:
            continue
        fld = _field_without_period(header, period[0], mapping)
        if fld:
            add(period, fld, c)
    if header_row > 0:
        # A period label above a status or update heading ("Q1 2018/19" merged over "RAG | Update")
        # covers the columns to its right until the next label; a title line above the header does
        # not count (the label must be a period alone, and start over a status or update column).
        above = grid.rows[header_row - 1]
        label = None
        for c in range(len(grid.rows[header_row])):
            fld = field_for_header(headers[c], mapping)[0] if c in headers else None
            text = cell_text(above[c]) if c < len(above) else None
            if text:
                label = _period_in(text)
                alone = label is not None and not norm_header(text.replace(label[0], " "))
                label = label if alone and fld in ("status", "progress") else None
            if label is not None and fld in ("status", "progress") and _period_in(headers[c]) is None:
                add(label, fld, c)
    if not any("status" in slot for slot in found.values()):
        return []  # a dated update column alone ("Progress update June 2018") is just the update
    fy_context = _fy_start_from(context, as_at)
    periods = []
    previous_quarter, year_shift = None, 0
    for slot in sorted(found.values(), key=lambda s: s["order"]):
        when = slot["month_end"]
        label = slot["label"]
        if slot["quarter"] is not None:
            fy = slot["fy"]
            if fy is None and fy_context is not None:
                # Bare quarters in column order: Q3, Q4, Q1 runs into the next financial year.
                if previous_quarter is not None and slot["quarter"] < previous_quarter:
                    year_shift += 1
                fy = fy_context + year_shift
            previous_quarter = slot["quarter"]
            when = rules.quarter_end(slot["quarter"], fy) if fy is not None else None
            label = f"Q{slot['quarter']} {fy}/{(fy + 1) % 100:02d}" if fy is not None else label.upper()
        periods.append(PeriodColumns(label, when, slot.get("status"), slot.get("progress")))
    periods.sort(key=lambda p: (p.as_at is None, p.as_at or dt.date.min))
    return periods
