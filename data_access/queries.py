"""Read queries. Each returns a pandas DataFrame (or a small dataclass) for one plan or one
review; aggregation happens in SQL, and the SQL is portable between SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, case, func, select

from data_access.models import Action, ActionUpdate, Plan, Recommendation, Review
from data_access.rules import AMBER, COMPLETE, GREEN, RED, STATUSES, UNKNOWN, effective_due_sql, overdue_sql


def _frame(engine: Engine, stmt) -> pd.DataFrame:
    with engine.connect() as conn:
        result = conn.execute(stmt)
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def _count_status(status: str):
    return func.sum(case((ActionUpdate.status == status, 1), else_=0))


def _overdue(as_of: dt.date):
    return overdue_sql(ActionUpdate.status, ActionUpdate.due_date, ActionUpdate.revised_due_date, as_of)


def _count_overdue(as_of: dt.date):
    return func.sum(case((_overdue(as_of), 1), else_=0))


def list_plans(engine: Engine) -> pd.DataFrame:
    """Plans with their number of (current) reviews and latest as-at date, by name."""
    current = Review.replaced_by_id.is_(None)
    stmt = (
        select(
            Plan.id, Plan.name, Plan.organisation, Plan.inspection_type, Plan.published_on, Plan.target_date,
            func.count(Review.id).label("reviews"), func.max(Review.as_at).label("latest_as_at"),
        )
        .outerjoin(Review, (Review.plan_id == Plan.id) & current)
        .group_by(Plan.id, Plan.name, Plan.organisation, Plan.inspection_type, Plan.published_on, Plan.target_date)
        .order_by(Plan.name)
    )
    return _frame(engine, stmt)


def get_plan(engine: Engine, plan_id: int) -> dict | None:
    with engine.connect() as conn:
        row = conn.execute(select(Plan.__table__).where(Plan.id == plan_id)).mappings().first()
    return dict(row) if row else None


def list_reviews(engine: Engine, plan_id: int) -> pd.DataFrame:
    """The plan's current reviews in date order (replaced reviews are hidden, not deleted)."""
    stmt = (
        select(
            Review.id, Review.as_at, Review.label, Review.source, Review.sheet, Review.imported_at,
            Review.imported_by, func.count(ActionUpdate.id).label("actions"),
        )
        .outerjoin(ActionUpdate, ActionUpdate.review_id == Review.id)
        .where(Review.plan_id == plan_id, Review.replaced_by_id.is_(None))
        .group_by(
            Review.id, Review.as_at, Review.label, Review.source, Review.sheet, Review.imported_at, Review.imported_by
        )
        .order_by(Review.as_at, Review.id)
    )
    return _frame(engine, stmt)


def review_actions(engine: Engine, review_id: int, as_of: dt.date) -> pd.DataFrame:
    """Every action in one review with its status, dates and whether it is overdue at `as_of`."""
    due = effective_due_sql(ActionUpdate.due_date, ActionUpdate.revised_due_date)
    stmt = (
        select(
            Action.id.label("action_id"), Action.key, Action.key_from_tracker,
            Recommendation.id.label("rec_id"), Recommendation.ref.label("rec_ref"),
            Recommendation.sort_key.label("rec_sort"), Recommendation.text.label("rec_text"),
            Recommendation.theme, Action.description, Action.lead, Action.partner, Action.measure,
            ActionUpdate.status, ActionUpdate.status_raw, ActionUpdate.status_from_colour,
            ActionUpdate.due_date, ActionUpdate.due_raw, ActionUpdate.due_precision,
            ActionUpdate.revised_due_date, due.label("effective_due"), ActionUpdate.progress,
            ActionUpdate.evidence, ActionUpdate.source_row,
            case((_overdue(as_of), True), else_=False).label("overdue"),
        )
        .join(Action, Action.id == ActionUpdate.action_id)
        .join(Recommendation, Recommendation.id == Action.recommendation_id)
        .where(ActionUpdate.review_id == review_id)
        .order_by(Recommendation.sort_key, Action.sort_key)
    )
    df = _frame(engine, stmt)
    df["overdue"] = df["overdue"].astype(bool)
    due_dates = pd.to_datetime(df["effective_due"])
    df["days_overdue"] = ((pd.Timestamp(as_of) - due_dates).dt.days).where(df["overdue"]).astype("Int64")
    return df


@dataclass(frozen=True)
class Kpis:
    actions: int
    complete: int
    green: int
    amber: int
    red: int
    unknown: int
    overdue: int

    @property
    def pct_complete(self) -> float:
        return round(100 * self.complete / self.actions, 1) if self.actions else 0.0


def review_kpis(engine: Engine, review_id: int, as_of: dt.date) -> Kpis:
    stmt = select(
        func.count(ActionUpdate.id), *(_count_status(s) for s in (COMPLETE, GREEN, AMBER, RED, UNKNOWN)),
        _count_overdue(as_of),
    ).where(ActionUpdate.review_id == review_id)
    with engine.connect() as conn:
        row = conn.execute(stmt).one()
    return Kpis(*(int(v or 0) for v in row))


def status_by_recommendation(engine: Engine, review_id: int, as_of: dt.date) -> pd.DataFrame:
    """Per recommendation in plan order: a count per status, the total and the overdue count."""
    stmt = (
        select(
            Recommendation.id.label("rec_id"), Recommendation.ref, Recommendation.sort_key, Recommendation.text,
            *(_count_status(s).label(s) for s in STATUSES),
            func.count(ActionUpdate.id).label("total"), _count_overdue(as_of).label("overdue"),
        )
        .join(Action, Action.recommendation_id == Recommendation.id)
        .join(ActionUpdate, ActionUpdate.action_id == Action.id)
        .where(ActionUpdate.review_id == review_id)
        .group_by(Recommendation.id, Recommendation.ref, Recommendation.sort_key, Recommendation.text)
        .order_by(Recommendation.sort_key)
    )
    df = _frame(engine, stmt)
    for col in (*STATUSES, "total", "overdue"):
        df[col] = df[col].fillna(0).astype(int)
    return df


def review_history(engine: Engine, plan_id: int) -> pd.DataFrame:
    """Every review of the plan, replaced ones included (replaced_by_id set), in date order:
    the audit trail of imports."""
    stmt = (
        select(
            Review.id, Review.as_at, Review.label, Review.source, Review.sheet, Review.sha256,
            Review.imported_at, Review.imported_by, Review.replaced_by_id,
        )
        .where(Review.plan_id == plan_id)
        .order_by(Review.as_at, Review.id)
    )
    return _frame(engine, stmt)


def data_version(engine: Engine) -> str:
    """A cheap fingerprint of what the board figures depend on: changes when any import, replace
    or restore is committed, by this process or another (the CLI, a scheduled import). The app
    keys its cache on it, so figures are never stale."""
    stmt = select(
        func.count(Review.id), func.max(Review.id), func.sum(func.coalesce(Review.replaced_by_id, 0)),
        func.count(Plan.id.distinct()),
    ).select_from(Plan).outerjoin(Review, Review.plan_id == Plan.id)
    with engine.connect() as conn:
        return "-".join(str(v or 0) for v in conn.execute(stmt).one())
