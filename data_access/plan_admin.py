"""Changes to stored plans other than imports (data_access.importer.commit adds reviews): each
is one write transaction together with its audit row. The upload page, the admin pages and the
command line all call these, so each check is made once, here."""

from __future__ import annotations

from sqlalchemy import Engine, select

from data_access import audit, store
from data_access.db import DatabaseBusy, write_transaction
from data_access.tables import Plan, Review


class ChangeRefused(ValueError):
    """A change that cannot be made; the message is one sentence fit to show a user."""


def restore_review(engine: Engine, review_id: int, *, actor: str | None, plan_id: int | None = None) -> list[int]:
    """Make a replaced review current again; returns the ids of the reviews hidden in its place
    (kept, and restorable in turn). Refuses (ChangeRefused) a review that is missing, current, or
    (with `plan_id`) of another plan, or a database kept busy by another change too long."""
    try:
        return _restore(engine, review_id, actor=actor, plan_id=plan_id)
    except DatabaseBusy as busy:
        raise ChangeRefused(str(busy)) from None


def _restore(engine: Engine, review_id: int, *, actor: str | None, plan_id: int | None) -> list[int]:
    with write_transaction(engine) as conn:
        row = conn.execute(
            select(Review.plan_id, Review.label, Review.as_at, Plan.name)
            .join(Plan, Plan.id == Review.plan_id)
            .where(Review.id == review_id)
        ).first()
        if row is None or (plan_id is not None and row.plan_id != plan_id):
            raise ChangeRefused(f"There is no review {review_id}" + (" in this plan." if row else "."))
        try:
            hidden = store.restore_review(conn, review_id)
        except ValueError as exc:
            raise ChangeRefused(
                f"Review {review_id} ({row.label}) is current, so there is nothing to restore."
            ) from exc
        audit.record(
            conn,
            actor=actor,
            action=audit.RESTORE,
            plan_id=row.plan_id,
            plan_name=row.name,
            review_id=review_id,
            detail={"as_at": row.as_at.isoformat(), "hidden_review_ids": hidden},
        )
    return hidden
