"""The importer's plain data: limits, the one error type, problems, parsed files and previews."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from data_access.tracker_rows import TrackerRow

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
        import os

        environ = os.environ if environ is None else environ
        limits = cls()
        try:
            if environ.get("BOARD_MAX_UPLOAD_MB"):
                limits = replace(limits, max_bytes=int(float(environ["BOARD_MAX_UPLOAD_MB"]) * MB))
            if environ.get("BOARD_MAX_ROWS"):
                limits = replace(limits, max_rows=int(environ["BOARD_MAX_ROWS"]))
        except ValueError as exc:
            raise ValueError(f"BOARD_MAX_UPLOAD_MB / BOARD_MAX_ROWS must be numbers: {exc}") from None
        return limits


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


@dataclass
class ParsedReview:
    """One review found in a file: a table's rows as TrackerRows plus what happened on the way."""

    sheet: str | None  # the sheet the table is on (None for CSV); several names joined for combined sheets
    as_at: dt.date | None
    as_at_source: str  # "title", "sheet name", "given", "none"
    label: str | None  # e.g. "Q3 2016/17"; None lets the store label it by quarter
    rows: list[TrackerRow]
    problems: list[Problem] = field(default_factory=list)
    column_map: dict[str, str] = field(default_factory=dict)  # header as written -> field
    unrecognised_columns: list[str] = field(default_factory=list)
    statuses_from_colour: int = 0
    conditional_format_warning: str | None = None
    header_row: int | None = None  # Excel row number of the header


@dataclass
class ParsedFile:
    filename: str
    sha256: str
    kind: str  # "xlsx", "xls" or "csv"
    reviews: list[ParsedReview]
    title: str | None = None  # the first title row above the table, if any
    problems: list[Problem] = field(default_factory=list)  # file-level: skipped sheets etc.
    mapping: dict[str, str | None] | None = None  # the manual mapping used, remembered on commit


@dataclass(frozen=True)
class MatchProposal:
    """A new row whose action has no ID and whose text resembles an action of the previous review.

    review_index/row_index locate the new row in ParsedFile.reviews[..].rows[..]. action_key is
    the existing action's key when it is already stored (None when the previous review is an
    earlier sheet of the same file; commit resolves it then)."""

    review_index: int
    row_index: int
    action_key: str | None
    score: float  # 0..100 (rapidfuzz)
    existing_description: str
    new_description: str
    rec_ref: str


@dataclass
class ReviewPreview:
    sheet: str | None
    label: str
    as_at: dt.date | None
    as_at_source: str
    recommendations: int
    actions: int
    status_counts: dict[str, int]
    overdue: int
    overdue_as_of: dt.date | None
    statuses_from_colour: int
    problems: list[Problem]
    column_map: dict[str, str]
    unrecognised_columns: list[str]
    conditional_format_warning: str | None
    previous_review: str | None  # "Q2 2017/18 (as at 2017-09-30)" or None for a plan's first review
    proposals: list[MatchProposal]
    added: list[str]  # "1.3: Recruit ..." new actions (proposed matches not counted)
    dropped: list[str]  # actions of the previous review missing from this one
    same_date_review_id: int | None  # an existing current review with the same as-at (replace candidate)


@dataclass
class Preview:
    filename: str
    sha256: str
    plan_name: str
    plan_exists: bool
    duplicate: str | None  # the refusal message when this file was imported before
    reviews: list[ReviewPreview]
    problems: list[Problem]  # file-level

    @property
    def can_commit(self) -> bool:
        return self.duplicate is None and bool(self.reviews) and all(r.as_at for r in self.reviews)
