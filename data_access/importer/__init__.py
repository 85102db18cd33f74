"""The tracker importer: a council's action-plan spreadsheet -> reviews of a plan.

Public API (used by pages/upload.py, `python -m data_access import` and the seed):

    parsed = read_tracker_bounded(data, filename, mapping=None, status_mapping=None, sheet=None,
                                  as_at=None, limits=Limits(), progress=None)
        -> ParsedFile, read in a child process with a memory limit and a time limit (sandbox.py),
        so a hostile file is refused and never stops the server; read_tracker(...) takes the same
        arguments and reads in this process (trusted files: the sample data, tests, benchmarks).
        Reads .xlsx/.xlsm/.xls/.ods/.csv bytes; finds each sheet's table; the file's plans
        (sheets whose recommendations differ are different plans: parsed.plans) and their reviews
        (one per file, per sheet when sheets are review periods, or per filled period of quarterly
        column pairs). Raises ImportRefused (one sentence naming the file) for anything it will not
        import — a PDF or Word document included — and never any other exception.
        mapping: {column header as written: field or None/"ignore"} overrides recognition; fields
        are FIELDS (labels in FIELD_LABELS). status_mapping: {coded status value: status} for status
        columns of codes or progress words (parsed.coded_statuses lists them, with the meaning a key
        in the file gives, or None). term_dates: the plan's school term dates ({"summer": "07-31"}).
        Pass remembered_mapping / remembered_status_mapping / remembered_term_dates(engine,
        plan_name) merged with the user's choices, so a plan's mappings are reused next time.
        sheet: read only that sheet's table. as_at: the review date when the file has none.
        progress(phase, fraction): phases "reading", "checking" (and "writing" in commit).

    pv = preview(engine, parsed, plan_name=... or plan_id=..., plan_names=None, new_plan=False, as_of=None,
                 command_line=False)
        -> Preview: everything commit will write, decided once; nothing is written. Per review
        (ReviewPreview): plan_name, rows and matches (the action each row is), counts, overdue (as
        at as_of, else the review's date), problems, hidden_rows, proposals [MatchProposal] (text
        matches for rows without IDs, for the user to accept), added, dropped, same_date_review_id
        (a replace candidate), same_content_review_id (the plan already has this review, same date
        and content: it is left alone), changes [ActionChange] (what changed since the previous
        review, action by action: status, due date, note, added, removed) and without_note.
        blockers(pv, replace=..., leave_out=...) lists why a commit with those choices would be
        refused (a file imported before, no as-at date, a same-date review not chosen to be
        replaced, coded statuses nobody has mapped); can_commit(pv). Reasons say how to give a
        missing choice on the upload page; preview(..., command_line=True) names the CLI's options.
        Measures of success whose file does not say which way is better take the plan's setting
        (storage/measure_directions.py); unknown_direction(pv.measures) lists those still unknown,
        which the page asks about: blockers(pv, measure_directions={name: "higher" | "lower" |
        LEAVE_OUT}) refuses until each is answered, and commit(..., measure_directions=...) uses and
        remembers the answers.

    done = commit(engine, pv, accepted_matches=None | "all" | [MatchProposal or (review, row)],
                  replace=() | True | [review indexes], leave_out=(), plan_info=None,
                  imported_by=None, dry_run=False, progress=None) -> Committed
        Applies exactly the preview in one transaction (all or nothing) and records each review and
        each mapping change in the audit trail; done.plan_ids, done.review_ids, done.message(name).
        Refuses (ImportRefused) with blockers' first reason, or when the database changed since
        the preview. dry_run=True writes everything, then rolls back.

    default_plan_name(parsed) -> str | None: the plan's name from the file's title line; None when the
        file does not name its plan (no title, or only a review date such as "Position as at …"):
        the upload page then asks, offering suggested_plan_name(filename) (the file name without
        its date), and the command line refuses without --plan.

Statuses, timescales and overdue all come from data_access.domain.rules; text is stored exactly as given
(formula-looking or HTML text is inert here; pages escape on display).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from data_access import lazy_names

# Loaded on first use, so that `python -m data_access --help` and the sandbox's child process
# (which reads a file and needs no database) do not import SQLAlchemy with the importer. No module
# here is named like a name it exports: importing the module would hide the name.
_HOMES = {
    "LIKELY_SAME": "committing.matching",
    "ActionChange": "parsed",
    "ActionRef": "parsed",
    "CodedStatus": "parsed",
    "Committed": "parsed",
    "ImportRefused": "parsed",
    "Limits": "parsed",
    "MatchProposal": "parsed",
    "ParsedFile": "parsed",
    "ParsedPlan": "parsed",
    "ParsedReview": "parsed",
    "Preview": "parsed",
    "Problem": "parsed",
    "ReviewPreview": "parsed",
    "blockers": "committing.decisions",
    "LEAVE_OUT": "committing.decisions",
    "unknown_direction": "parsed",
    "can_commit": "committing.decisions",
    "commit": "committing.writing",
    "default_plan_name": "committing.previewing",
    "suggested_plan_name": "committing.previewing",
    "preview": "committing.previewing",
    "read_tracker": "reading.tracker_reader",
    "read_tracker_bounded": "reading.sandbox",
    "remembered_mapping": "committing.mappings",
    "remembered_status_mapping": "committing.mappings",
    "remembered_term_dates": "committing.mappings",
    "FIELD_LABELS": "reading.header_columns",
    "FIELDS": "reading.header_columns",
    "IGNORE": "reading.header_columns",
}

if TYPE_CHECKING:
    from data_access.importer.committing.decisions import LEAVE_OUT, blockers, can_commit
    from data_access.importer.committing.mappings import (
        remembered_mapping,
        remembered_status_mapping,
        remembered_term_dates,
    )
    from data_access.importer.committing.matching import LIKELY_SAME
    from data_access.importer.committing.previewing import default_plan_name, preview, suggested_plan_name
    from data_access.importer.committing.writing import commit
    from data_access.importer.parsed import (
        ActionChange,
        ActionRef,
        CodedStatus,
        Committed,
        ImportRefused,
        Limits,
        MatchProposal,
        ParsedFile,
        ParsedPlan,
        ParsedReview,
        Preview,
        Problem,
        ReviewPreview,
        unknown_direction,
    )
    from data_access.importer.reading.header_columns import FIELD_LABELS, FIELDS, IGNORE
    from data_access.importer.reading.sandbox import read_tracker_bounded
    from data_access.importer.reading.tracker_reader import read_tracker


__getattr__ = lazy_names(__name__, _HOMES)


__all__ = [
    "ActionChange",
    "ActionRef",
    "CodedStatus",
    "Committed",
    "FIELDS",
    "FIELD_LABELS",
    "IGNORE",
    "ImportRefused",
    "LIKELY_SAME",
    "Limits",
    "MatchProposal",
    "ParsedFile",
    "ParsedPlan",
    "ParsedReview",
    "Preview",
    "Problem",
    "ReviewPreview",
    "blockers",
    "LEAVE_OUT",
    "unknown_direction",
    "can_commit",
    "commit",
    "default_plan_name",
    "preview",
    "read_tracker",
    "read_tracker_bounded",
    "remembered_mapping",
    "remembered_status_mapping",
    "remembered_term_dates",
    "suggested_plan_name",
]
assert set(__all__) == set(_HOMES)
