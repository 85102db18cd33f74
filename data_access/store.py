"""The one writer: plans and reviews go into the database here, inside the caller's transaction.

Use inside `data_access.db.write_transaction(engine)` so an import is all or nothing.
"""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import Connection, insert, select, update

from data_access.clock import utc_now
from data_access.rules import quarter_label
from data_access.tables import Action, ActionUpdate, Plan, Recommendation, Review
from data_access.tracker_rows import PlanInfo, ReviewSnapshot, TrackerRow


def ref_sort_key(ref: str) -> str:
    """Natural order for refs as printed: 'a)' < 'b' < 'q'; '2' < '10'; '1.2' < '1.10'."""
    parts = re.findall(r"\d+|[A-Za-z]+", ref or "")
    return ".".join(p.zfill(6) if p.isdigit() else p.lower() for p in parts)[:80] or "~"


def clean_ref(ref: str) -> str:
    """'a)' -> 'a', ' 7. ' -> '7', 'Rec 3' -> 'Rec 3' (only wrapping punctuation goes)."""
    return re.sub(r"^[\s(\[]+|[\s).\]:]+$", "", str(ref)).strip() or str(ref).strip()


def normalise_text(text: str) -> str:
    """Text as compared when matching actions: lower case, punctuation and extra spaces gone."""
    return " ".join(re.sub(r"[^a-z0-9 ]+", " ", (text or "").lower()).split())


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


def save_review(
    conn: Connection,
    plan_id: int,
    snapshot: ReviewSnapshot,
    *,
    source: str,
    sha256: str | None = None,
    imported_by: str | None = None,
    imported_at: dt.datetime | None = None,
    replaces_review_id: int | None = None,
) -> int:
    """Write one review (and any new recommendations and actions) and return its id.

    Rows are matched to existing actions by `match_key`, else the tracker's action ID, else the
    same recommendation and the same text; anything unmatched is a new action.
    """
    recs = {
        r.ref: r.id
        for r in conn.execute(select(Recommendation.ref, Recommendation.id).where(Recommendation.plan_id == plan_id))
    }
    actions = conn.execute(
        select(Action.id, Action.key, Action.recommendation_id, Action.description).where(Action.plan_id == plan_id)
    ).all()
    by_key = {a.key: a.id for a in actions}
    by_text = {(a.recommendation_id, normalise_text(a.description)): a.id for a in actions}
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
            imported_at=imported_at or utc_now(),
            imported_by=imported_by,
        )
        .returning(Review.id)
    ).scalar_one()

    updates: list[dict] = []
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
        action_id = _match(row, rec_id, by_key, by_text)
        if action_id is not None and action_id in seen_actions:
            action_id = None  # a duplicate ID within one review: keep both rows, as separate actions
        if action_id is None:
            action_id = _new_action(conn, plan_id, rec_id, ref, row, by_key, per_rec_count, position)
            by_text.setdefault((rec_id, normalise_text(row.description)), action_id)
        else:
            # Descriptive fields follow the latest tracker; history stays in action_update.
            conn.execute(
                update(Action)
                .where(Action.id == action_id)
                .values(lead=row.lead, partner=row.partner, measure=row.measure, description=row.description)
            )
        seen_actions.add(action_id)
        ts = row.timescale
        updates.append(
            dict(
                review_id=review_id,
                action_id=action_id,
                status=row.status,
                status_raw=row.status_raw,
                status_from_colour=row.status_from_colour,
                due_date=ts.due,
                due_raw=ts.raw,
                due_precision=ts.precision,
                revised_due_date=row.revised_due,
                progress=row.progress,
                evidence=row.evidence,
                source_row=row.source_row,
            )
        )
    if updates:
        conn.execute(insert(ActionUpdate), updates)
    if replaces_review_id is not None:
        conn.execute(update(Review).where(Review.id == replaces_review_id).values(replaced_by_id=review_id))
    return review_id


def _match(row: TrackerRow, rec_id: int, by_key: dict[str, int], by_text: dict) -> int | None:
    for key in (row.match_key, row.action_id):
        if key and key in by_key:
            return by_key[key]
    if row.action_id:
        return None  # an ID the plan has not seen is a new action, even if its text repeats
    return by_text.get((rec_id, normalise_text(row.description)))


def _new_action(conn, plan_id, rec_id, ref, row: TrackerRow, by_key, per_rec_count, position) -> int:
    if row.action_id and row.action_id not in by_key:
        key, from_tracker = row.action_id, True
    else:
        # No ID in the tracker: "<rec>.<n>", unique within the plan.
        n = per_rec_count.get(rec_id, 0) + 1
        key = f"{ref}.{n}"
        while key in by_key:
            n += 1
            key = f"{ref}.{n}"
        from_tracker = False
    per_rec_count[rec_id] = per_rec_count.get(rec_id, 0) + 1
    action_id = conn.execute(
        insert(Action)
        .values(
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
        .returning(Action.id)
    ).scalar_one()
    by_key[key] = action_id
    return action_id


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
