"""commit: write exactly what a preview decided, in one transaction (all or nothing).

The user's choices only pick among what the preview offers (accept a proposed text match or not,
replace a same-date review or not, leave a review out); nothing is matched or checked again with
other rules. The plans it writes into must still be as the preview saw them (previewing.import_state), else
the import is refused and nothing is written. A dry run does all of it and rolls back, so it checks
exactly what the commit would (including what PostgreSQL accepts).
"""

from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from data_access.domain.tracker_rows import PlanInfo, ReviewSnapshot
from data_access.importer.committing import mappings, measure_writing
from data_access.importer.committing.decisions import accepted_pairs, blockers, review_indexes, to_write
from data_access.importer.committing.previewing import import_state
from data_access.importer.parsed import (
    ActionRef,
    Committed,
    ImportRefused,
    Preview,
    Progress,
    ReviewPreview,
    with_directions,
)
from data_access.importer.reading.safety import refuse
from data_access.importer.reading.tracker_reader import report_progress
from data_access.storage import audit_trail, board_decisions, measure_directions, plan_writer
from data_access.storage.database import DatabaseBusy, DatabaseProblem, read_only_problem, write_transaction


class _RollBack(Exception):
    """Raised inside the transaction of a dry run, so everything it wrote is undone."""


def commit(
    engine: Engine,
    preview: Preview,
    *,
    accepted_matches=None,
    replace=(),
    leave_out=(),
    plan_info: PlanInfo | None = None,
    imported_by: str | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    measure_directions: dict[str, str] | None = None,
) -> Committed:
    """Write the preview's reviews; return the plan ids and the new review ids.

    accepted_matches: None (no text matches), "all", or MatchProposals / (review_index, row_index)
    pairs from the preview. replace: the reviews (indexes or ReviewPreviews, or True for all) that
    replace the plan's stored review of the same date (kept, marked replaced). leave_out: reviews not
    to write. Reviews already stored unchanged are left alone. plan_info: details for a new plan of
    a one-plan file. measure_directions: the preview's answers for measures whose file does not say
    which way is better (decisions.blockers), remembered as the plan's settings. Raises ImportRefused
    (one sentence naming the file) and writes nothing when decisions.blockers(preview, ...) gives a
    reason, or when the database changed since the preview.
    """
    name = preview.filename
    reasons = blockers(preview, replace=replace, leave_out=leave_out, measure_directions=measure_directions)
    if reasons:
        raise ImportRefused(reasons[0])
    accepted = accepted_pairs(accepted_matches)
    replacing = review_indexes(preview, replace)
    writing = to_write(preview, leave_out)
    result = Committed([], [], [], [], [], dry_run=dry_run, plan_names=[])
    try:
        with write_transaction(engine) as conn:
            if import_state(conn, preview.plan_names, preview.sha256) != preview.stored_state:
                raise refuse(
                    name,
                    "was previewed before another import, replace or restore changed the stored reviews; "
                    "nothing was written: check the preview again.",
                )
            plan_ids: dict[str, int] = {}  # plan name -> id
            written: dict[int, list[int]] = {}  # review index -> action id per row
            for step, review in enumerate(writing):
                report_progress(progress, "writing", step / len(writing))
                plan = review.plan_name
                if plan not in plan_ids:
                    info = plan_info if plan_info and len(preview.plan_names) == 1 else PlanInfo(name=plan)
                    plan_ids[plan] = plan_writer.ensure_plan(conn, info)
                    result.plan_ids.append(plan_ids[plan])
                    result.plan_names.append(plan)
                replaces = review.same_date_review_id if review.index in replacing else None
                action_ids = _action_ids(review, accepted, written)
                snapshot = ReviewSnapshot(as_at=review.as_at, rows=review.rows, label=None, sheet=review.sheet or "")
                review_id, ids = write_one_review(
                    conn,
                    plan_id=plan_ids[plan],
                    plan_name=plan,
                    snapshot=snapshot,
                    action_ids=action_ids,
                    source=name,
                    sha256=preview.sha256,
                    content_sha256=review.content_sha256,
                    imported_by=imported_by,
                    replaces=replaces,
                )
                written[review.index] = ids
                result.review_ids.append(review_id)
                (result.replaced if replaces else result.added).append(
                    review.describe() + (f", replacing review {replaces}" if replaces else "")
                )
            if preview.measures:
                _write_measures(conn, preview, plan_ids, result, plan_info, imported_by, measure_directions or {})
            for plan, plan_id in plan_ids.items():
                mappings.remember(
                    conn,
                    plan_id,
                    plan,
                    column_mapping=preview.mapping,
                    status_mapping=preview.status_mapping,
                    term_dates=preview.term_dates,
                    actor=imported_by,
                )
            result.left_alone = [
                r.describe() + (f" (already stored as review {r.same_content_review_id})" if r.unchanged else "")
                for r in preview.reviews
                if r not in writing
            ]
            report_progress(progress, "writing", 1.0)
            if dry_run:
                raise _RollBack
    except _RollBack:
        return result
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
    except DatabaseProblem as problem:  # read-only (database._take_write_lock)
        raise refuse(
            name, f"could not be saved because {str(problem).removesuffix('.')}; nothing was written."
        ) from None
    except SQLAlchemyError as exc:
        read_only = read_only_problem(engine.url, exc)
        if read_only:
            raise refuse(
                name, f"could not be saved because {read_only.removesuffix('.')}; nothing was written."
            ) from None
        raise refuse(name, f"could not be saved, and nothing was written ({type(exc).__name__}).") from None
    return result


def write_one_review(
    conn,
    *,
    plan_id: int,
    plan_name: str,
    snapshot: ReviewSnapshot,
    action_ids: list[int | None],
    source: str,
    sha256: str | None,
    imported_by: str | None,
    replaces: int | None,
    detail: dict | None = None,
    content_sha256: str | None = None,
) -> tuple[int, list[int]]:
    """One review into the caller's transaction, the one way every review is stored (an import, an
    update round closing): the rows (plan_writer), what they say about sign-off and due date changes
    (events, never edits), and the audit entry (an import, or a replacement naming the review it
    hides). content_sha256: the rows' content hash when the caller has it (the importer's preview).
    Returns the review's id and the action id of each row."""
    review_id, ids = plan_writer.write_review(
        conn,
        plan_id,
        snapshot,
        action_ids=action_ids,
        source=source,
        sha256=sha256,
        content_sha256=content_sha256,
        imported_by=imported_by,
        replaces_review_id=replaces,
    )
    board_decisions.record_tracker_decisions(
        conn,
        plan_id=plan_id,
        review_id=review_id,
        as_at=snapshot.as_at,
        action_ids=ids,
        rows=snapshot.rows,
        actor=imported_by,
    )
    audit_trail.record(
        conn,
        actor=imported_by,
        action=audit_trail.REPLACE if replaces is not None else audit_trail.IMPORT,
        plan_id=plan_id,
        plan_name=plan_name,
        review_id=review_id,
        detail={
            "file": source,
            "sha256": sha256,
            "sheet": snapshot.sheet,
            "as_at": snapshot.as_at,
            "replaced_review_id": replaces,
            "actions": len(snapshot.rows),
            **(detail or {}),
        },
    )
    return review_id, ids


def _write_measures(
    conn, preview: Preview, plan_ids: dict[str, int], result: Committed, plan_info, imported_by, answers: dict
):
    """The file's measures of success into its (first) plan, in the import's transaction, with an
    audit entry naming the points added and the corrections. `answers`: the preview's directions for
    measures whose file does not say, used and remembered as the plan's settings."""
    plan = preview.plan_names[0] if preview.plan_names else preview.plan_name
    if plan not in plan_ids:
        info = plan_info if plan_info and len(preview.plan_names) <= 1 else PlanInfo(name=plan)
        plan_ids[plan] = plan_writer.ensure_plan(conn, info)
        result.plan_ids.append(plan_ids[plan])
        result.plan_names.append(plan)
    measures = with_directions(preview.measures, [], answers)[0]
    if not any(m.better for m in measures):
        return
    measure_directions.remember(conn, plan_ids[plan], answers, actor=imported_by)
    done = measure_writing.write_measures(
        conn, plan_ids[plan], measures, source=preview.filename, sha256=preview.sha256, imported_by=imported_by
    )
    result.measures_written = done.indicators
    result.measure_corrections = done.corrections
    result.measure_problems = done.problems
    if done.points:
        audit_trail.record(
            conn,
            actor=imported_by,
            action=audit_trail.MEASURES,
            plan_id=plan_ids[plan],
            plan_name=plan,
            detail={
                "file": preview.filename,
                "sha256": preview.sha256,
                "indicators": done.indicators,
                "points": done.points,
                "corrections": done.corrections,
            },
        )


def _action_ids(review: ReviewPreview, accepted, written: dict[int, list[int]]) -> list[int | None]:
    """The stored action of each row: the preview's match, or an accepted proposal's target; a row
    of an earlier review of this file resolves to the action written for it (new if not written)."""
    refs: list[ActionRef | None] = list(review.matches)
    for proposal in review.proposals:
        if accepted == "all" or (proposal.review_index, proposal.row_index) in accepted:
            refs[proposal.row_index] = proposal.target
    out: list[int | None] = []
    for ref in refs:
        if ref is None:
            out.append(None)
        elif ref.action_id is not None:
            out.append(ref.action_id)
        else:
            ids = written.get(ref.review_index)
            out.append(ids[ref.row_index] if ids is not None else None)
    return out
