"""What is stored: the plans, their reviews (current and replaced) and a fingerprint of the data.

Read-only, like everything in data_access/reads/; data_access/storage/plan_writer.py is the one writer.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, func, select

from data_access.reads.link_check import ReviewOwner
from data_access.reads.review_figures import frame
from data_access.storage import audit_trail
from data_access.storage.schema import ActionUpdate, AuditEvent, Plan, Review


def list_plans(engine: Engine, include_archived: bool = False) -> pd.DataFrame:
    """Plans with their number of (current) reviews and latest as-at date, by name. Archived
    plans are left out (they are kept, and listed with include_archived=True, for plan settings)."""
    current = Review.replaced_by_id.is_(None)
    stmt = (
        select(
            Plan.id,
            Plan.name,
            Plan.organisation,
            Plan.inspection_type,
            Plan.published_on,
            Plan.target_date,
            func.count(Review.id).label("reviews"),
            func.max(Review.as_at).label("latest_as_at"),
            Plan.archived_at,
        )
        .outerjoin(Review, (Review.plan_id == Plan.id) & current)
        .group_by(
            Plan.id,
            Plan.name,
            Plan.organisation,
            Plan.inspection_type,
            Plan.published_on,
            Plan.target_date,
            Plan.archived_at,
        )  # fmt: skip
        .order_by(Plan.name)
    )
    if not include_archived:
        stmt = stmt.where(Plan.archived_at.is_(None))
    return frame(engine, stmt)


def list_reviews(engine: Engine, plan_id: int) -> pd.DataFrame:
    """The plan's current reviews in date order (replaced reviews are hidden, not deleted)."""
    stmt = (
        select(
            Review.id,
            Review.as_at,
            Review.label,
            Review.source,
            Review.sheet,
            Review.imported_at,
            Review.imported_by,
            func.count(ActionUpdate.id).label("actions"),
        )
        .outerjoin(ActionUpdate, ActionUpdate.review_id == Review.id)
        .where(Review.plan_id == plan_id, Review.replaced_by_id.is_(None))
        .group_by(
            Review.id, Review.as_at, Review.label, Review.source, Review.sheet, Review.imported_at, Review.imported_by
        )
        .order_by(Review.as_at, Review.id)
    )
    return frame(engine, stmt)


def review_owner(engine: Engine, review_id: int) -> ReviewOwner | None:
    """Which plan a review id belongs to (for links naming a review), or None if there is none."""
    stmt = (
        select(Review.id, Review.plan_id, Plan.name, Review.label, Review.as_at, Review.replaced_by_id)
        .join(Plan, Plan.id == Review.plan_id)
        .where(Review.id == review_id)
    )
    with engine.connect() as conn:
        row = conn.execute(stmt).first()
    if row is None:
        return None
    return ReviewOwner(row.id, row.plan_id, row.name, row.label, row.as_at, row.replaced_by_id is not None)


def review_history(engine: Engine, plan_id: int) -> pd.DataFrame:
    """Every review of the plan, replaced ones included (replaced_by_id set), in date order:
    the audit trail of imports."""
    stmt = (
        select(
            Review.id,
            Review.as_at,
            Review.label,
            Review.source,
            Review.sheet,
            Review.sha256,
            Review.imported_at,
            Review.imported_by,
            Review.replaced_by_id,
        )
        .where(Review.plan_id == plan_id)
        .order_by(Review.as_at, Review.id)
    )
    return frame(engine, stmt)


def data_version(engine: Engine) -> str:
    """A cheap fingerprint of what the board figures depend on: changes when any import, replace,
    restore or plan setting (rename, archive, delete) is committed, by this process or another (the
    CLI, a scheduled import, another replica). The app keys its cache on it, so figures are never
    stale."""
    last_change = (
        select(func.max(AuditEvent.id)).where(AuditEvent.action.in_(audit_trail.CHANGES_SHOWN)).scalar_subquery()
    )
    stmt = (
        select(
            func.count(Review.id),
            func.max(Review.id),
            func.sum(func.coalesce(Review.replaced_by_id, 0)),
            func.count(Plan.id.distinct()),
            last_change,
        )
        .select_from(Plan)
        .outerjoin(Review, Review.plan_id == Plan.id)
    )
    with engine.connect() as conn:
        return "-".join(str(v or 0) for v in conn.execute(stmt).one())
