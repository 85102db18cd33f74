"""The importer's plain data: limits, the one error type, problems, parsed files, previews and
what a commit wrote.

Everything read_tracker returns is built from the classes here (and data_access.domain.tracker_rows /
data_access.domain.rules), so a ParsedFile can be sent back from a reader process and unpickled with an
allow-list of these modules only.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from data_access.config import environment
from data_access.domain.tracker_rows import TrackerRow

# progress(phase, fraction): phase is "reading", "checking" or "writing"; fraction 0.0..1.0.
Progress = Callable[[str, float], None]

MB = 1024 * 1024


class ImportRefused(Exception):
    """A file the importer will not import. The message is one sentence naming the file."""


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 20 * MB  # the upload itself
    max_rows: int = 100_000  # per sheet, counting every row Excel has
    max_sheets: int = 200
    # Zip (xlsx) pre-checks, made before any XML is parsed: a decompression bomb is refused
    # from the declared sizes alone.
    max_uncompressed_bytes: int = 400 * MB
    max_compression_ratio: float = 100.0  # measured: real xlsx ~10:1, a 2M-row bomb ~293:1
    ratio_applies_above: int = 5 * MB  # tiny parts may compress very well and are harmless
    max_zip_members: int = 5_000

    @classmethod
    def from_env(cls, environ=None) -> Limits:
        """The defaults, overridden by BOARD_MAX_UPLOAD_MB and BOARD_MAX_ROWS where set (the app
        reads these; the CLI has --max-mb and --max-rows)."""
        upload_mb = environment.value(environment.MAX_UPLOAD_MB, environ)
        max_rows = environment.value(environment.MAX_ROWS, environ)
        limits = cls()
        if upload_mb:
            limits = replace(limits, max_bytes=megabytes(upload_mb, environment.MAX_UPLOAD_MB.name))
        try:
            if max_rows:
                limits = replace(limits, max_rows=int(max_rows))
        except ValueError as exc:
            raise ValueError(f"{environment.MAX_ROWS.name} must be a whole number: {exc}") from None
        return limits


def megabytes(text, name: str) -> int:
    """A size limit given in MB (BOARD_MAX_UPLOAD_MB, --max-mb) as bytes; ValueError (one sentence)
    unless it is a finite number above zero: "inf", "nan", 0 or -1 would leave no limit or refuse
    every file."""
    try:
        mb = float(text)
    except (TypeError, ValueError):
        mb = math.nan
    if not math.isfinite(mb) or mb <= 0 or mb * MB >= 2**62:
        raise ValueError(f"{name} must be a number of megabytes above 0 (such as 20), not '{text}'.")
    return max(1, int(mb * MB))


@dataclass(frozen=True)
class Problem:
    """Something the user should look at. row is the Excel row number as the user sees it;
    column is 'D (Timescale)': the letter and the header as written."""

    sheet: str | None
    row: int | None
    column: str | None
    message: str

    def where(self) -> str:
        parts = []
        if self.sheet:
            parts.append(f"sheet '{self.sheet}'")
        if self.row:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column}")
        return ", ".join(parts)


@dataclass(frozen=True)
class CodedStatus:
    """A value of a status column that is not a RAG word: a code ('1', '3') or a progress word
    ('Not started', 'In progress', 'On hold', 'Overdue'). Its meaning comes from a key in the file,
    from the user (remembered per plan), or is still to be asked (status None)."""

    value: str  # as first written in the file, e.g. "1" or "In progress"
    count: int  # actions with this value, over the whole file
    status: str | None  # one of rules.STATUSES, or None while nobody has said
    source: str  # where the meaning came from ("the key on sheet 'Plan', row 2"), "" when unknown
    column: str | None  # where it was first seen: "G (Status)"
    sheet: str | None = None


@dataclass(frozen=True)
class SkippedSheet:
    """A sheet with data that is not read as a plan or a review, and why (shown in the preview)."""

    sheet: str
    reason: str  # "it holds counts per recommendation (a summary), not actions"


@dataclass
class ParsedReview:
    """One review found in a file: a table's rows as TrackerRows plus what happened on the way."""

    sheet: str | None  # the sheet the table is on (None for CSV); several names joined for combined sheets
    as_at: dt.date | None
    as_at_source: str  # "title", "sheet name", "column heading", "given", "none"
    label: str | None  # e.g. "Q3 2016/17"; None lets the store label it by quarter
    rows: list[TrackerRow]
    problems: list[Problem] = field(default_factory=list)
    column_map: dict[str, str] = field(default_factory=dict)  # header as written -> field
    unrecognised_columns: list[str] = field(default_factory=list)
    statuses_from_colour: int = 0
    conditional_format_warning: str | None = None
    header_row: int | None = None  # Excel row number of the header
    plan_index: int = 0  # which of ParsedFile.plans this review belongs to
    hidden_rows: int = 0  # actions on rows hidden or filtered out in the file (still imported)
    period: str | None = None  # the column heading's period for quarterly column pairs ("Q2 RAG")
    content_sha256: str = ""  # store.content_hash of the rows: the same content is recognised
    status_candidates: list[str] = field(
        default_factory=list
    )  # headings that might hold the status, when none was recognised


@dataclass(frozen=True)
class ParsedPlan:
    """A plan found in the file. A workbook holding sheets whose recommendations differ (a plan of
    recommendations 1-8 and a joint-inspection plan of areas a-e) holds several plans."""

    title: str  # the title row above its table, else its sheet's name; "" when the file does not name it
    sheets: tuple[str, ...]
    recommendations: tuple[str, ...]  # its recommendation refs, in order of first appearance


class MeasurePoint(NamedTuple):
    """One period of a measure of success: its end date (UK rules: 'Apr-17' -> 2017-04-30), the
    value (None: no value, never zero) and the target for that period (None: none given). A named
    tuple, not a dataclass: a file holds thousands (200 indicators x 36 months) and a frozen
    dataclass costs several times as much to make (bench/bench_measures.py)."""

    period_end: dt.date
    value: float | None
    target: float | None


@dataclass
class ParsedMeasure:
    """One indicator read from a measures sheet or a long CSV, its points in period order.
    better is "higher" or "lower" (domain/measure_rules.py); None when the file does not say, and
    then it is asked for, never guessed (the command line's --better, the preview's problem)."""

    name: str
    unit: str  # "%", "days", ... ; "" for a plain number
    better: str | None
    recommendations: list[str]
    points: list[MeasurePoint]
    owner: str | None = None
    source: str | None = None
    sheet: str | None = None
    row: int | None = None  # Excel row number (or CSV line) where the indicator is named


# The reader's problem for a measure whose file does not say which way is better (reading/measure_sheets.py).
DIRECTION_UNKNOWN = "does not say which way is better (higher or lower)"


def direction_unknown(name: str) -> str:
    return f"'{name}' {DIRECTION_UNKNOWN}; it is not imported until that is given."


def unknown_direction(measures: list[ParsedMeasure]) -> list[ParsedMeasure]:
    """The measures whose direction is still not known: the preview asks, the command line refuses."""
    return [m for m in measures if m.better is None]


def with_directions(
    measures: list[ParsedMeasure], problems: list[Problem], given: dict[str, str]
) -> tuple[list[ParsedMeasure], list[Problem]]:
    """The measures with each unknown direction taken from `given` ({name: 'higher' | 'lower'}: the
    plan's setting, --better, or the preview's answer; names compared with whitespace runs as one
    space), and the problems without the "does not say" problem of each measure now known. Copies:
    a parsed file (cached by the page) is never changed."""
    key = {" ".join(n.split()): b for n, b in given.items() if b in ("higher", "lower")}
    out, known = [], set()
    for m in measures:
        better = key.get(" ".join(m.name.split())) if m.better is None else None
        if better is not None:
            out.append(replace(m, better=better))
            known.add((m.sheet, m.row))
        else:
            out.append(m)
    kept = [p for p in problems if not (DIRECTION_UNKNOWN in p.message and (p.sheet, p.row) in known)]
    return out, kept


@dataclass
class ParsedFile:
    filename: str
    sha256: str
    kind: str  # "xlsx", "xls", "ods" or "csv"
    reviews: list[ParsedReview]
    title: str | None = None  # the first title row above the table, if any
    problems: list[Problem] = field(default_factory=list)  # file-level: skipped sheets etc.
    mapping: dict[str, str | None] | None = None  # the manual column mapping used, remembered on commit
    plans: list[ParsedPlan] = field(default_factory=list)  # one per plan found (usually one)
    coded_statuses: list[CodedStatus] = field(default_factory=list)  # codes/progress words and their meaning
    status_mapping: dict[str, str] | None = None  # the user's status meanings used, remembered on commit
    skipped_sheets: list[SkippedSheet] = field(default_factory=list)
    assumptions: list[str] = field(default_factory=list)  # what was decided that the file does not state
    term_dates: dict[str, str] | None = None  # the plan's school term dates used ({"summer": "07-31"}), remembered
    school_terms: list[str] = field(
        default_factory=list
    )  # terms named in timescales ("summer"), for the preview to ask
    measures: list[ParsedMeasure] = field(default_factory=list)  # measures of success (reading/measure_sheets.py)
    measure_problems: list[Problem] = field(default_factory=list)  # what reading the measures found

    @property
    def unmapped_statuses(self) -> list[CodedStatus]:
        """Coded values with no meaning yet: the preview asks; commit refuses until answered."""
        return [c for c in self.coded_statuses if c.status is None]


@dataclass(frozen=True)
class ActionRef:
    """Which action a row is: an action already stored (action_id), or the action another row of
    this file becomes (review_index/row_index of that row, in an earlier review of the same plan)."""

    action_id: int | None = None
    review_index: int | None = None
    row_index: int | None = None


@dataclass(frozen=True)
class MatchProposal:
    """A new row whose action has no ID and whose text resembles an action of the previous review.

    review_index/row_index locate the new row in ParsedFile.reviews[..].rows[..]; target is the
    action it would be if the user accepts (action_key: that action's stored key, None when it is a
    row of an earlier sheet of this file)."""

    review_index: int
    row_index: int
    action_key: str | None
    score: float  # 0..100 (rapidfuzz)
    existing_description: str
    new_description: str
    rec_ref: str
    target: ActionRef = ActionRef()


@dataclass(frozen=True)
class ActionChange:
    """One change a new review makes since the previous one (committing/changes.py): the action
    ("1 / 1.2: Train partners"), what changed ("Status", "Due date", "Progress note", "Added",
    "Removed"), and what the previous review and this one say, as text."""

    action: str
    what: str
    before: str
    now: str


@dataclass
class ReviewPreview:
    """One review as it will be written, and how it compares with what is stored."""

    index: int  # its position in ParsedFile.reviews
    sheet: str | None
    label: str
    as_at: dt.date | None
    as_at_source: str
    plan_name: str  # the plan it goes into
    plan_id: int | None  # None when the plan is new
    recommendations: int
    actions: int
    status_counts: dict[str, int]
    overdue: int
    overdue_as_of: dt.date | None
    statuses_from_colour: int
    hidden_rows: int
    problems: list[Problem]
    column_map: dict[str, str]
    unrecognised_columns: list[str]
    conditional_format_warning: str | None
    previous_review: str | None  # "Q2 2017/18 (as at 30 September 2017)" or None for a plan's first review
    proposals: list[MatchProposal]
    added: list[str]  # "1.3: Recruit ..." new actions (proposed matches not counted)
    dropped: list[str]  # actions of the previous review missing from this one
    same_date_review_id: int | None  # the plan's current review with the same as-at (replace candidate)
    same_content_review_id: int | None  # ...when it also holds exactly this content: left alone
    rows: list[TrackerRow]  # exactly what will be written
    matches: list[ActionRef | None]  # per row: the action it is (None: a new action unless a proposal is accepted)
    content_sha256: str
    changes: list[ActionChange] = field(default_factory=list)  # since the previous review, action by action
    without_note: int = 0  # actions with no progress note in this review (not updated)
    status_candidates: list[str] = field(default_factory=list)  # when no column holds the status
    # Issue 25: {"signed_off": n, "awaiting": n} over complete actions, and {"approved": n,
    # "not_approved": n} over date changes (in the file, and moved later since the stored review).
    signoff: dict[str, int] = field(default_factory=dict)
    date_changes: dict[str, int] = field(default_factory=dict)

    @property
    def unchanged(self) -> bool:
        """Already stored: the plan has a current review of this date with this content."""
        return self.same_content_review_id is not None

    @property
    def needs_replace_choice(self) -> bool:
        """The plan has a different review of this date: replacing it must be chosen."""
        return self.same_date_review_id is not None and not self.unchanged

    def describe(self) -> str:
        """'Q2 2017/18 as at 30 September 2017 (sheet 'Q2 2017-18')' for messages."""
        from data_access.domain.wording import long_date

        when = f"{self.label} as at {long_date(self.as_at)}" if self.as_at else "an undated review"
        return f"{when} (sheet '{self.sheet}')" if self.sheet else when


@dataclass
class Preview:
    """Everything a commit will write, decided once: reviews with their rows and matches, the plan
    each goes into, what each would replace; commit applies it with the user's choices (which text
    matches to accept, which reviews to replace or leave out) and nothing else. Why a commit with
    given choices would be refused is committing.decisions.blockers(preview, ...) (importer.blockers):
    this module is plain data and imports nothing of the importer's halves."""

    filename: str
    sha256: str
    plan_name: str  # the plan of a one-plan file (the first plan's, otherwise)
    plan_exists: bool
    duplicate: str | None  # the refusal message when this file was imported before
    reviews: list[ReviewPreview]
    problems: list[Problem]  # file-level
    plan_names: list[str] = field(default_factory=list)  # per ParsedFile.plans
    plan_ids: list[int | None] = field(default_factory=list)  # per plan; None for a new plan
    coded_statuses: list[CodedStatus] = field(default_factory=list)
    stored_state: str = ""  # preview.import_state when previewed: commit refuses if it moved
    refusal: str | None = None  # a choice of plan that cannot be honoured (see previewing.plan_targets)
    mapping: dict[str, str | None] | None = None
    status_mapping: dict[str, str] | None = None
    kind: str = "xlsx"
    skipped_sheets: list[SkippedSheet] = field(default_factory=list)
    assumptions: list[str] = field(default_factory=list)
    term_dates: dict[str, str] | None = None
    command_line: bool = False  # reasons name the command line's options, not the upload page's controls
    measures: list[ParsedMeasure] = field(default_factory=list)  # written into the first plan with the reviews
    measure_problems: list[Problem] = field(default_factory=list)
    measure_corrections: list[str] = field(default_factory=list)  # stored points this file would correct

    @property
    def unmapped_statuses(self) -> list[CodedStatus]:
        return [c for c in self.coded_statuses if c.status is None]


@dataclass
class Committed:
    """What a commit wrote (or, for a dry run, would have written before rolling back)."""

    plan_ids: list[int]  # each plan written into, in the file's order
    review_ids: list[int]  # the new reviews, in the order written (plan, then date)
    added: list[str]  # "Q3 2018/19 as at 31 December 2018 (sheet 'Q3')" per new review that replaced nothing
    replaced: list[str]  # "..., replacing review 12" per new review that replaced a stored one
    left_alone: list[str]  # reviews already stored with the same content, or left out by choice
    dry_run: bool = False
    plan_names: list[str] = field(default_factory=list)  # per plan_ids
    measures_written: int = 0  # indicators whose points were added or corrected
    measure_corrections: list[str] = field(default_factory=list)  # "Re-referrals, 30 April 2017: 12 -> 13"
    measure_problems: list[Problem] = field(default_factory=list)  # found on writing: unknown recommendations

    @property
    def plan_id(self) -> int:
        return self.plan_ids[0]

    def message(self, filename: str) -> str:
        """What was done, for the page and the CLI: exactly which reviews were added and replaced."""
        from data_access.domain.wording import plural

        verb = "Would import" if self.dry_run else "Imported"
        plans = " and ".join(f"'{n}'" for n in self.plan_names)
        parts = [f"{verb} {plural(len(self.review_ids), 'review')} from {filename} into {plans}."]
        if self.added:
            parts.append("Added: " + "; ".join(self.added) + ".")
        parts.append("Replaced: " + "; ".join(self.replaced) + "." if self.replaced else "Nothing was replaced.")
        if self.left_alone:
            parts.append("Left as stored: " + "; ".join(self.left_alone) + ".")
        return " ".join(parts)
