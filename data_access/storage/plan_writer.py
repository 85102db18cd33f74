"""The one writer: plans and reviews go into the database here, inside the caller's transaction.

Use inside `data_access.storage.database.write_transaction(engine)` so an import is all or nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence

from sqlalchemy import Connection, bindparam, insert, select, update

from data_access.domain.clock import utc_now
from data_access.domain.rules import quarter_label
from data_access.domain.tracker_rows import (
    PlanInfo,
    ReviewSnapshot,
    TrackerRow,
    clean_ref,
    normalise_text,
    ref_sort_key,
)
from data_access.storage.schema import Action, ActionUpdate, Plan, Recommendation, Review


def find_plan(conn: Connection, name: str) -> int | None:
    return conn.execute(select(Plan.id).where(Plan.name == name)).scalar_one_or_none()


def ensure_plan(conn: Connection, info: PlanInfo) -> int:
    """The plan's id, creating it when absent (an existing plan's details are kept)."""
    plan_id = find_plan(conn, info.name)
    if plan_id is not None:
        return plan_id
    values = {k: getattr(info, k) for k in PlanInfo.__dataclass_fields__}
    return conn.execute(insert(Plan).values(**values).returning(Plan.id)).scalar_one()


def earlier_import(conn: Connection, sha256: str) -> dict | None:
    """The earlier import of a file with this SHA-256, if any (any sheet, replaced or not)."""
    row = (
        conn.execute(
            select(Review.id, Review.source, Review.imported_at, Review.imported_by, Review.label, Plan.name)
            .join(Plan, Plan.id == Review.plan_id)
            .where(Review.sha256 == sha256)
            .order_by(Review.id)
            .limit(1)
        )
        .mappings()
        .first()
    )
    return dict(row) if row else None


def content_hash(rows: Sequence[TrackerRow]) -> str:
    """SHA-256 of a review's content as the board sees it: each action's recommendation, text,
    lead, partner, measure, status, due and revised dates, progress and evidence, in any row order.

    The same content hashes the same whatever file, sheet or layout it came in (a tracker sent back
    out and re-imported unchanged; an old quarter's tab in next quarter's workbook), so an upload
    can recognise a review it already has. The tracker's own wording of statuses and dates, and
    generated action keys, are not part of it."""
    return _hash_lines(
        _content_line(
            r.rec_ref, r.description, r.lead, r.partner, r.measure, r.status, r.timescale.due, r.revised_due,
            r.progress, r.evidence, (r.signoff_raw, r.change_reason, r.change_approved_by),
            (r.mitigation, r.board_ask),
        )
        for r in rows
    )  # fmt: skip


def stored_content_hash(conn: Connection, review_id: int) -> str:
    """content_hash of a stored review, from its stored rows (for reviews stored before the hash
    was kept in review.content_sha256)."""
    rows = conn.execute(
        select(
            Recommendation.ref, Action.description, Action.lead, Action.partner, Action.measure, ActionUpdate.status,
            ActionUpdate.due_date, ActionUpdate.revised_due_date, ActionUpdate.progress, ActionUpdate.evidence,
            ActionUpdate.signoff_raw, ActionUpdate.date_change_reason, ActionUpdate.date_change_approved_by,
            ActionUpdate.mitigation, ActionUpdate.board_ask,
        )
        .join(Action, Action.id == ActionUpdate.action_id)
        .join(Recommendation, Recommendation.id == Action.recommendation_id)
        .where(ActionUpdate.review_id == review_id)
    ).all()  # fmt: skip
    return _hash_lines(_content_line(*row[:10], row[10:13], row[13:]) for row in rows)


def _hash_lines(lines) -> str:
    digest = hashlib.sha256()
    for line in sorted(lines):
        digest.update(line.encode("utf-8", "surrogatepass"))
        digest.update(b"\n")
    return digest.hexdigest()


def _content_line(
    rec_ref, description, lead, partner, measure, status, due, revised_due, progress, evidence, *groups
) -> str:
    """groups: later cells, each group hashed only when one of its cells is filled, so content
    stored before them hashes as it did: the sign-off and date-change cells (issue 25), then the
    mitigation and the ask of the board (issue 26)."""

    def text(value) -> str:
        return " ".join(str(value).split()) if value is not None else ""

    # Groups differ in size (3, 2), so which groups are filled shows in the number of fields.
    extra = tuple(text(v) for group in groups if any(v is not None for v in group) for v in group)
    return "\x1f".join(
        (
            text(clean_ref(rec_ref)),
            text(description),
            text(lead),
            text(partner),
            text(measure),
            status,
            due.isoformat() if due else "",
            revised_due.isoformat() if revised_due else "",
            text(progress),
            text(evidence),
            *extra,
        )
    )


def identify_actions(conn: Connection, plan_id: int, rows: Sequence[TrackerRow]) -> list[int | None]:
    """The stored action each row is, by the tracker's action ID (the action's key), else by the
    same recommendation and text; None for a new action. For callers that write rows they built
    themselves (tests, benchmarks); the importer resolves actions once, in its preview, and passes
    them to write_review."""
    recs = {
        r.ref: r.id
        for r in conn.execute(select(Recommendation.ref, Recommendation.id).where(Recommendation.plan_id == plan_id))
    }
    actions = conn.execute(
        select(Action.id, Action.key, Action.recommendation_id, Action.description).where(Action.plan_id == plan_id)
    ).all()
    by_key = {a.key: a.id for a in actions}
    by_text = {(a.recommendation_id, normalise_text(a.description)): a.id for a in actions}
    out: list[int | None] = []
    taken: set[int] = set()
    for row in rows:
        found = None
        if row.action_id:
            found = by_key.get(row.action_id)
        elif (rec_id := recs.get(clean_ref(row.rec_ref))) is not None:
            found = by_text.get((rec_id, normalise_text(row.description)))
        if found in taken:
            found = None  # a duplicate within one review: keep both rows, as separate actions
        if found is not None:
            taken.add(found)
        out.append(found)
    return out


def save_review(conn: Connection, plan_id: int, snapshot: ReviewSnapshot, **kwargs) -> int:
    """write_review, returning only the new review's id."""
    return write_review(conn, plan_id, snapshot, **kwargs)[0]


def write_review(
    conn: Connection,
    plan_id: int,
    snapshot: ReviewSnapshot,
    *,
    source: str,
    action_ids: Sequence[int | None] | None = None,
    sha256: str | None = None,
    imported_by: str | None = None,
    imported_at: dt.datetime | None = None,
    replaces_review_id: int | None = None,
) -> tuple[int, list[int]]:
    """Write one review (and any new recommendations and actions); return its id and the action id
    of each row.

    action_ids: per row, the stored action it is, or None for a new action (the importer's
    resolved matches). Without it, rows are identified by identify_actions.
    """
    if action_ids is None:
        action_ids = identify_actions(conn, plan_id, snapshot.rows)
    if len(action_ids) != len(snapshot.rows):
        raise ValueError("write_review needs one action id (or None) per row")
    recs = {
        r.ref: r.id
        for r in conn.execute(select(Recommendation.ref, Recommendation.id).where(Recommendation.plan_id == plan_id))
    }
    actions = conn.execute(select(Action.key, Action.recommendation_id).where(Action.plan_id == plan_id)).all()
    keys = {a.key for a in actions}
    per_rec_count: dict[int, int] = {}
    for a in actions:
        per_rec_count[a.recommendation_id] = per_rec_count.get(a.recommendation_id, 0) + 1

    if replaces_review_id is not None:
        # One current review per plan and date (a unique index): hide the old one first, pointing
        # at itself until the new review has an id.
        conn.execute(update(Review).where(Review.id == replaces_review_id).values(replaced_by_id=replaces_review_id))
    review_id = conn.execute(
        insert(Review)
        .values(
            plan_id=plan_id,
            as_at=snapshot.as_at,
            label=snapshot.label or quarter_label(snapshot.as_at),
            source=source,
            sheet=snapshot.sheet or "",
            sha256=sha256,
            content_sha256=content_hash(snapshot.rows),
            imported_at=imported_at or utc_now(),
            imported_by=imported_by,
        )
        .returning(Review.id)
    ).scalar_one()

    changed: list[dict] = []
    new_actions: list[dict] = []  # inserted together below, ids returned in this order
    chosen: list[int | None] = []  # per row: the stored action's id, or None for the next new one
    seen_actions: set[int] = set()
    for position, row in enumerate(snapshot.rows):
        ref = clean_ref(row.rec_ref)
        rec_id = recs.get(ref)
        if rec_id is None:
            rec_id = conn.execute(
                insert(Recommendation)
                .values(plan_id=plan_id, ref=ref, sort_key=ref_sort_key(ref), text=row.rec_text or "", theme=row.theme)
                .returning(Recommendation.id)
            ).scalar_one()
            recs[ref] = rec_id
        action_id = action_ids[position]
        if action_id is not None and action_id in seen_actions:
            action_id = None  # one action twice in a review: keep both rows, as separate actions
        if action_id is None:
            new_actions.append(_new_action(plan_id, rec_id, ref, row, keys, per_rec_count, position))
        else:
            seen_actions.add(action_id)
            # Descriptive fields follow the latest tracker; history stays in action_update.
            changed.append(
                dict(
                    b_id=action_id, lead=row.lead, partner=row.partner, measure=row.measure, description=row.description
                )
            )
        chosen.append(action_id)
    # One INSERT ... RETURNING for every new action (SQLAlchemy's insertmanyvalues), not one per row.
    new_ids = iter(
        conn.execute(insert(Action).returning(Action.id, sort_by_parameter_order=True), new_actions).scalars().all()
        if new_actions
        else []
    )
    written = [action_id if action_id is not None else next(new_ids) for action_id in chosen]
    updates = [
        dict(
            review_id=review_id,
            action_id=action_id,
            status=row.status,
            status_raw=row.status_raw,
            status_from_colour=row.status_from_colour,
            due_date=row.timescale.due,
            due_raw=row.timescale.raw,
            due_precision=row.timescale.precision,
            revised_due_date=row.revised_due,
            progress=row.progress,
            evidence=row.evidence,
            signoff_raw=row.signoff_raw,
            date_change_reason=row.change_reason,
            date_change_approved_by=row.change_approved_by,
            mitigation=row.mitigation,
            board_ask=row.board_ask,
            no_update=row.no_update,
            source_row=row.source_row,
        )
        for action_id, row in zip(written, snapshot.rows, strict=True)
    ]
    if changed:
        conn.execute(update(Action).where(Action.id == bindparam("b_id")), changed)
    if updates:
        conn.execute(insert(ActionUpdate), updates)
    if replaces_review_id is not None:
        conn.execute(update(Review).where(Review.id == replaces_review_id).values(replaced_by_id=review_id))
    return review_id, written


def _new_action(plan_id, rec_id, ref, row: TrackerRow, keys: set[str], per_rec_count, position) -> dict:
    """The Action row for a tracker row that is a new action, its key unique within the plan."""
    if row.action_id and row.action_id not in keys:
        key, from_tracker = row.action_id, True
    else:
        # No ID in the tracker (or one the plan already uses): "<rec>.<n>", unique within the plan.
        n = per_rec_count.get(rec_id, 0) + 1
        key = f"{ref}.{n}"
        while key in keys:
            n += 1
            key = f"{ref}.{n}"
        from_tracker = False
    per_rec_count[rec_id] = per_rec_count.get(rec_id, 0) + 1
    keys.add(key)
    return dict(
        plan_id=plan_id,
        recommendation_id=rec_id,
        key=key,
        key_from_tracker=from_tracker,
        sort_key=ref_sort_key(key) if from_tracker else f"{ref_sort_key(ref)}.{position:06d}",
        description=row.description,
        lead=row.lead,
        partner=row.partner,
        measure=row.measure,
    )


def restore_review(conn: Connection, review_id: int) -> list[int]:
    """Bring back a replaced review, inside the caller's transaction; returns the ids of the
    reviews hidden in its place (kept, never deleted).

    Hidden: the review that replaced it, if still current, and whichever review is current for
    the restored review's plan and date, so there is always one current review per date.
    Raises ValueError if `review_id` does not exist or is current.
    """
    target = conn.execute(
        select(Review.plan_id, Review.as_at, Review.replaced_by_id).where(Review.id == review_id)
    ).first()
    if target is None:
        raise ValueError(f"there is no review {review_id}")
    if target.replaced_by_id is None:
        raise ValueError(f"review {review_id} is current, so there is nothing to restore")
    in_the_way = (
        conn.execute(
            select(Review.id).where(
                Review.replaced_by_id.is_(None),
                Review.id != review_id,
                (Review.id == target.replaced_by_id)
                | ((Review.plan_id == target.plan_id) & (Review.as_at == target.as_at)),
            )
        )
        .scalars()
        .all()
    )
    # Hide first, then show: the unique index allows one current review per date at every step.
    if in_the_way:
        conn.execute(update(Review).where(Review.id.in_(in_the_way)).values(replaced_by_id=review_id))
    conn.execute(update(Review).where(Review.id == review_id).values(replaced_by_id=None))
    return list(in_the_way)
