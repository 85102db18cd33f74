"""read_tracker -> preview -> commit: the one code path used by the upload page and the CLI."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import PurePath

from sqlalchemy import Connection, Engine, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from data_access import audit, rules, store
from data_access.db import DatabaseBusy, write_transaction
from data_access.importer import matching
from data_access.importer.parsed import (
    ImportRefused,
    MatchProposal,
    ParsedFile,
    ParsedReview,
    Preview,
    Progress,
    ReviewPreview,
)
from data_access.importer.reading import report_progress
from data_access.importer.safety import refuse
from data_access.importer.table import normalise_mapping
from data_access.tables import Plan, Review
from data_access.tracker_rows import PlanInfo, ReviewSnapshot
from data_access.wording import long_date, stored_time


def default_plan_name(parsed: ParsedFile) -> str:
    """The title row, else the file name without its extension."""
    return (parsed.title or PurePath(parsed.filename).stem or "Imported plan")[:200]


def remembered_mapping(engine: Engine, plan_name: str) -> dict[str, str] | None:
    """The column mapping chosen on an earlier upload to this plan ({normalised header: field})."""
    with engine.connect() as conn:
        text = conn.execute(select(Plan.column_mapping).where(Plan.name == plan_name)).scalar_one_or_none()
    try:
        value = json.loads(text) if text else None
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


# ---------------------------------------------------------------------------
# Preview
# ---------------------------------------------------------------------------


def duplicate_message(conn: Connection, parsed: ParsedFile) -> str | None:
    earlier = store.earlier_import(conn, parsed.sha256)
    if not earlier:
        return None
    when = earlier["imported_at"]
    when_text = stored_time(when) if when else "an earlier date"  # London time, as people read it
    by = f" by {earlier['imported_by']}" if earlier.get("imported_by") else ""
    return (
        f"{parsed.filename} was already imported: the same file ({earlier['source']}) went into plan "
        f"'{earlier['name']}' as review {earlier['label']} on {when_text}{by}."
    )


def _plan_id(conn: Connection, plan_name: str | None, plan_id: int | None) -> int | None:
    if plan_id is not None:
        return plan_id
    return store.find_plan(conn, plan_name) if plan_name else None


def _same_date_review(conn: Connection, plan_id: int | None, as_at: dt.date | None) -> int | None:
    if plan_id is None or as_at is None:
        return None
    return conn.execute(
        select(Review.id)
        .where(Review.plan_id == plan_id, Review.as_at == as_at, Review.replaced_by_id.is_(None))
        .order_by(Review.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def preview(
    engine: Engine,
    parsed: ParsedFile,
    *,
    plan_name: str | None = None,
    plan_id: int | None = None,
    as_of: dt.date | None = None,
    replace_review_id: int | None = None,
) -> Preview:
    """What commit would do, without writing: counts, overdue, problems, matches, added/dropped."""
    with engine.connect() as conn:
        pid = _plan_id(conn, plan_name, plan_id)
        if pid is not None and plan_name is None:
            plan_name = conn.execute(select(Plan.name).where(Plan.id == pid)).scalar_one_or_none()
        plan_name = plan_name or default_plan_name(parsed)
        duplicate = duplicate_message(conn, parsed)
        previews: list[ReviewPreview] = []
        for index, review in enumerate(parsed.reviews):
            prev_label, previous = None, []
            stored = None
            if pid is not None and review.as_at is not None:
                stored = matching.previous_review(conn, pid, review.as_at, replace_review_id)
            earlier_in_file = parsed.reviews[index - 1] if index > 0 else None
            if earlier_in_file is not None and (
                stored is None or (earlier_in_file.as_at or dt.date.min) >= stored.as_at
            ):
                previous = matching.parsed_actions(earlier_in_file.rows)
                prev_label = _review_name(earlier_in_file.as_at, earlier_in_file.sheet)
            elif stored is not None:
                previous = matching.stored_actions(conn, stored.id)
                prev_label = f"{stored.label} (as at {long_date(stored.as_at)})"
            result = matching.match_rows(review.rows, previous, index)
            previews.append(
                _review_preview(review, result, previous, prev_label, as_of, _same_date_review(conn, pid, review.as_at))
            )
    return Preview(parsed.filename, parsed.sha256, plan_name, pid is not None, duplicate, previews, parsed.problems)


def _review_name(as_at: dt.date | None, sheet: str | None) -> str:
    label = rules.quarter_label(as_at) if as_at else "undated review"
    return f"{label} (sheet '{sheet}')" if sheet else label


def _review_preview(review: ParsedReview, result, previous, prev_label, as_of, same_date_id) -> ReviewPreview:
    counts = dict.fromkeys(rules.STATUSES, 0)
    when = as_of or review.as_at
    overdue = 0
    for row in review.rows:
        counts[row.status] = counts.get(row.status, 0) + 1
        if when is not None and rules.is_overdue(row.status, row.timescale.due, when, row.revised_due):
            overdue += 1
    return ReviewPreview(
        sheet=review.sheet,
        label=review.label or (rules.quarter_label(review.as_at) if review.as_at else "undated"),
        as_at=review.as_at,
        as_at_source=review.as_at_source,
        recommendations=len({store.clean_ref(r.rec_ref) for r in review.rows}),
        actions=len(review.rows),
        status_counts=counts,
        overdue=overdue,
        overdue_as_of=when,
        statuses_from_colour=review.statuses_from_colour,
        problems=list(review.problems),
        column_map=dict(review.column_map),
        unrecognised_columns=list(review.unrecognised_columns),
        conditional_format_warning=review.conditional_format_warning,
        previous_review=prev_label,
        proposals=result.proposals,
        added=[
            matching.describe(review.rows[n].rec_ref, review.rows[n].action_id, review.rows[n].description)
            for n in result.added
        ]
        if previous or prev_label
        else [],
        dropped=[
            matching.describe(previous[i].rec_ref, previous[i].action_id, previous[i].description)
            for i in result.dropped
        ],
        same_date_review_id=same_date_id,
    )


# ---------------------------------------------------------------------------
# Commit
# ---------------------------------------------------------------------------


def _accepted_set(accepted_matches) -> set[tuple[int, int]] | str:
    if accepted_matches is None:
        return set()
    if accepted_matches == "all":
        return "all"
    out = set()
    for item in accepted_matches:
        if isinstance(item, MatchProposal):
            out.add((item.review_index, item.row_index))
        else:
            review_index, row_index = item
            out.add((int(review_index), int(row_index)))
    return out


def commit(
    engine: Engine,
    parsed: ParsedFile,
    *,
    plan_name: str | None = None,
    plan_info: PlanInfo | None = None,
    accepted_matches=None,
    replace: bool = False,
    replace_review_id: int | None = None,
    imported_by: str | None = None,
    progress: Progress | None = None,
) -> list[int]:
    """Write every review of the file in one transaction (all or nothing); return the review ids.

    accepted_matches: None (no text matches), "all", or MatchProposals / (review_index, row_index)
    pairs from the preview. replace=True replaces the plan's current review with the same as-at
    date; replace_review_id replaces that review (single-review files). Without either, a file
    whose as-at date the plan already has is refused. Replaced reviews are kept, marked replaced.
    """
    name = parsed.filename
    info = plan_info or PlanInfo(name=plan_name or default_plan_name(parsed))
    missing = [r for r in parsed.reviews if r.as_at is None]
    if missing:
        where = f" (sheet '{missing[0].sheet}')" if missing[0].sheet else ""
        raise refuse(name, f"has no 'as at' date{where}; give the review date (for example --as-at 2018-06-30).")
    if replace_review_id is not None and len(parsed.reviews) != 1:
        raise refuse(name, "has several reviews, so a single review to replace cannot be chosen; use replace instead.")
    accepted = _accepted_set(accepted_matches)
    review_ids: list[int] = []
    try:
        with write_transaction(engine) as conn:
            duplicate = duplicate_message(conn, parsed)
            if duplicate:
                raise ImportRefused(duplicate)
            plan_id = store.ensure_plan(conn, info)
            total = len(parsed.reviews)
            for index, review in enumerate(parsed.reviews):
                report_progress(progress, "writing", index / total)
                replaces = replace_review_id
                if replaces is None:
                    same = _same_date_review(conn, plan_id, review.as_at)
                    if same is not None and not replace:
                        raise refuse(
                            name,
                            f"is as at {long_date(review.as_at)}, and plan '{info.name}' already has a "
                            "review as at that date; choose to replace it, or correct the date.",
                        )
                    replaces = same
                rows = _rows_with_matches(conn, plan_id, review, index, accepted, replaces)
                snapshot = ReviewSnapshot(as_at=review.as_at, rows=rows, label=review.label, sheet=review.sheet or "")
                review_id = store.save_review(
                    conn,
                    plan_id,
                    snapshot,
                    source=name,
                    sha256=parsed.sha256,
                    imported_by=imported_by,
                    replaces_review_id=replaces,
                )
                review_ids.append(review_id)
                audit.record(
                    conn,
                    actor=imported_by,
                    action=audit.REPLACE if replaces is not None else audit.IMPORT,
                    plan_id=plan_id,
                    plan_name=info.name,
                    review_id=review_id,
                    detail={
                        "file": name,
                        "sha256": parsed.sha256,
                        "sheet": review.sheet,
                        "as_at": review.as_at,
                        "replaced_review_id": replaces,
                        "actions": len(rows),
                    },
                )
            if parsed.mapping:
                _remember_mapping(conn, plan_id, parsed.mapping, actor=imported_by, plan_name=info.name)
            report_progress(progress, "writing", 1.0)
    except ImportRefused:
        raise
    except DatabaseBusy as busy:
        raise refuse(name, f"was not imported: {busy}") from None
    except IntegrityError:
        raise refuse(
            name,
            "could not be saved because it clashes with an earlier import (the same file or sheet); "
            "nothing was written.",
        ) from None
    except SQLAlchemyError as exc:
        raise refuse(name, f"could not be saved, and nothing was written ({type(exc).__name__}).") from None
    return review_ids


def _rows_with_matches(conn, plan_id, review: ParsedReview, index: int, accepted, replaces) -> list:
    rows = [dataclasses.replace(r) for r in review.rows]  # the parsed file stays as read
    if not accepted:
        return rows
    stored = matching.previous_review(conn, plan_id, review.as_at, replaces)
    if stored is None:
        return rows
    result = matching.match_rows(rows, matching.stored_actions(conn, stored.id), index)
    for proposal in result.proposals:
        if accepted == "all" or (proposal.review_index, proposal.row_index) in accepted:
            rows[proposal.row_index].match_key = proposal.action_key
    return rows


def _remember_mapping(conn: Connection, plan_id: int, mapping: dict, *, actor: str | None, plan_name: str) -> None:
    current = conn.execute(select(Plan.column_mapping).where(Plan.id == plan_id)).scalar_one_or_none()
    try:
        merged = json.loads(current) if current else {}
    except ValueError:
        merged = {}
    before = dict(merged)
    merged.update(normalise_mapping(mapping, "mapping") or {})
    changes = {heading: field for heading, field in merged.items() if before.get(heading, "(unset)") != field}
    if not changes:
        return
    conn.execute(update(Plan).where(Plan.id == plan_id).values(column_mapping=json.dumps(merged, sort_keys=True)))
    audit.record(
        conn,
        actor=actor,
        action=audit.COLUMN_MAPPING,
        plan_id=plan_id,
        plan_name=plan_name,
        detail={"changes": changes},
    )
