"""The tracker importer: a council's action-plan spreadsheet -> reviews of a plan.

Public API (used by pages/upload.py and `python -m data_access import`):

    parsed = read_tracker_bounded(data, filename, mapping=None, as_at=None, limits=Limits(), progress=None)
        -> ParsedFile, read in a child process with a memory limit and a time limit (sandbox.py),
        so a hostile file is refused and never stops the server; read_tracker(...) takes the same
        arguments and reads in this process (trusted files: the sample data, tests, benchmarks).
        Reads .xlsx/.xlsm/.xls/.ods/.csv bytes; finds each sheet's table; one review per file,
        or one per sheet when sheets are review periods. Raises ImportRefused (one sentence
        naming the file) for anything it will not import; never any other exception.
        mapping: {column header as written: field or None/"ignore"} overrides recognition; fields
        are FIELDS (labels in FIELD_LABELS). Pass remembered_mapping(engine, plan_name) merged with
        the user's choices so a plan's mapping is reused on its next upload.
        as_at: the review date when the file has none (for a single-review file it overrides the
        file's own date, and a problem says so).
        progress(phase, fraction): phases "reading", "checking" (and "writing" in commit).

    pv = preview(engine, parsed, plan_name=... or plan_id=..., as_of=None, replace_review_id=None)
        -> Preview. Nothing is written. pv.duplicate is the refusal message when the same file
        (SHA-256) was imported before; pv.can_commit; per review (ReviewPreview): sheet, label,
        as_at (+ source), recommendations, actions, status_counts, overdue (as at as_of, else the
        review's as-at), statuses_from_colour, problems [Problem(sheet, row, column, message)],
        column_map, unrecognised_columns, conditional_format_warning, previous_review, proposals
        [MatchProposal] (text-similarity matches for rows without action IDs, for the user to
        accept), added, dropped, same_date_review_id (a review the upload would replace).

    ids = commit(engine, parsed, plan_name=..., plan_info=None, accepted_matches=None | "all" |
                 [MatchProposal or (review_index, row_index)], replace=False, replace_review_id=None,
                 imported_by=None, progress=None) -> list[int] (new review ids)
        One transaction for the whole file. Refuses (ImportRefused) a file imported before, a
        review without an as-at date, or an as-at date the plan already has unless replace=True /
        replace_review_id is given (the old review is kept, marked replaced_by). Remembers a
        manual mapping on the plan (Plan.column_mapping).

    default_plan_name(parsed) -> str: the title row, else the file name without extension.

Statuses, timescales and overdue all come from data_access.rules; text is stored exactly as given
(formula-looking or HTML text is inert here; pages escape on display).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

# Loaded on first use, so that `python -m data_access --help` and the sandbox's child process
# (which reads a file and needs no database) do not import SQLAlchemy with the importer.
_HOMES = {
    "LIKELY_SAME": "matching",
    "ImportRefused": "parsed",
    "Limits": "parsed",
    "MatchProposal": "parsed",
    "ParsedFile": "parsed",
    "ParsedReview": "parsed",
    "Preview": "parsed",
    "Problem": "parsed",
    "ReviewPreview": "parsed",
    "commit": "service",
    "default_plan_name": "service",
    "preview": "service",
    "read_tracker": "reading",
    "read_tracker_bounded": "sandbox",
    "remembered_mapping": "service",
    "FIELD_LABELS": "table",
    "FIELDS": "table",
    "IGNORE": "table",
}

if TYPE_CHECKING:
    from data_access.importer.matching import LIKELY_SAME
    from data_access.importer.parsed import (
        ImportRefused,
        Limits,
        MatchProposal,
        ParsedFile,
        ParsedReview,
        Preview,
        Problem,
        ReviewPreview,
    )
    from data_access.importer.reading import read_tracker
    from data_access.importer.sandbox import read_tracker_bounded
    from data_access.importer.service import commit, default_plan_name, preview, remembered_mapping
    from data_access.importer.table import FIELD_LABELS, FIELDS, IGNORE


def __getattr__(name: str):
    home = _HOMES.get(name)
    if home is None:
        try:  # a submodule: importer.parsed.MB
            return importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


__all__ = [
    "FIELDS",
    "FIELD_LABELS",
    "IGNORE",
    "LIKELY_SAME",
    "ImportRefused",
    "Limits",
    "MatchProposal",
    "ParsedFile",
    "ParsedReview",
    "Preview",
    "Problem",
    "ReviewPreview",
    "commit",
    "default_plan_name",
    "preview",
    "read_tracker",
    "read_tracker_bounded",
    "remembered_mapping",
]
assert set(__all__) == set(_HOMES)
