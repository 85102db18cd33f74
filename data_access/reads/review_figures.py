"""One review's figures: its actions with status, dates and overdue flag, its headline counts and
its counts per recommendation. Aggregation happens in SQL, portable between SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, case, func, select

from data_access.domain.rules import (
    AMBER,
    COMPLETE,
    GREEN,
    RED,
    STATUSES,
    UNKNOWN,
    effective_due_sql,
    overdue_sql,
    percent,
)
from data_access.domain.signoff_rules import NOT_APPROVED
from data_access.storage.board_decisions import baseline_due_sql, current_change_state_sql, refused_from_sql
from data_access.storage.schema import Action, ActionUpdate, Recommendation


def frame(engine: Engine, stmt) -> pd.DataFrame:
    with engine.connect() as conn:
        result = conn.execute(stmt)
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def _count_status(status: str):
    return func.sum(case((ActionUpdate.status == status, 1), else_=0))


def _refused_from():
    """A date change the board refused: the action is judged against its previous date (issue 25)."""
    return refused_from_sql(ActionUpdate.action_id, ActionUpdate.due_date, ActionUpdate.revised_due_date)


def _due(baseline: bool):
    """The date overdue is judged against: the current approved date (rules.effective_due_sql), or,
    when the board chose to judge against the baseline, the action's original date."""
    if baseline:
        original = baseline_due_sql(ActionUpdate.action_id, ActionUpdate.due_date)
        return effective_due_sql(original, ActionUpdate.revised_due_date, against_baseline=True)
    return effective_due_sql(ActionUpdate.due_date, ActionUpdate.revised_due_date, refused_from=_refused_from())


def _overdue(as_of: dt.date, baseline: bool = False):
    if baseline:
        original = baseline_due_sql(ActionUpdate.action_id, ActionUpdate.due_date)
        return overdue_sql(ActionUpdate.status, original, ActionUpdate.revised_due_date, as_of, against_baseline=True)
    return overdue_sql(
        ActionUpdate.status, ActionUpdate.due_date, ActionUpdate.revised_due_date, as_of, refused_from=_refused_from()
    )


def _count_overdue(as_of: dt.date, baseline: bool = False):
    return func.sum(case((_overdue(as_of, baseline), 1), else_=0))


def _moved_without_approval():
    """The action's current due date came from a change nobody approved (signoff_rules.NOT_APPROVED)."""
    state = current_change_state_sql(ActionUpdate.action_id, ActionUpdate.due_date, ActionUpdate.revised_due_date)
    return case((state == NOT_APPROVED, True), else_=False)


def review_actions(engine: Engine, review_id: int, as_of: dt.date, baseline: bool = False) -> pd.DataFrame:
    """Every action in one review with its status, dates, whether it is overdue at `as_of` (judged
    against the current approved date, or against the baseline date when `baseline`) and whether
    its current due date was moved without approval."""
    due = _due(baseline)
    stmt = (
        select(
            Action.id.label("action_id"),
            Action.key,
            Action.key_from_tracker,
            Recommendation.id.label("rec_id"),
            Recommendation.ref.label("rec_ref"),
            Recommendation.sort_key.label("rec_sort"),
            Recommendation.text.label("rec_text"),
            Recommendation.theme,
            Action.description,
            Action.lead,
            Action.partner,
            Action.measure,
            ActionUpdate.status,
            ActionUpdate.status_raw,
            ActionUpdate.status_from_colour,
            ActionUpdate.due_date,
            ActionUpdate.due_raw,
            ActionUpdate.due_precision,
            ActionUpdate.revised_due_date,
            due.label("effective_due"),
            ActionUpdate.progress,
            ActionUpdate.evidence,
            ActionUpdate.mitigation,
            ActionUpdate.board_ask,
            ActionUpdate.no_update,
            ActionUpdate.source_row,
            case((_overdue(as_of, baseline), True), else_=False).label("overdue"),
            _moved_without_approval().label("moved_unapproved"),
        )
        .join(Action, Action.id == ActionUpdate.action_id)
        .join(Recommendation, Recommendation.id == Action.recommendation_id)
        .where(ActionUpdate.review_id == review_id)
        .order_by(Recommendation.sort_key, Action.sort_key)
    )
    df = frame(engine, stmt)
    df["overdue"] = df["overdue"].astype(bool)
    df["no_update"] = df["no_update"].astype(bool)
    df["moved_unapproved"] = df["moved_unapproved"].astype(bool)
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
    def pct_complete(self) -> int:
        return percent(self.complete, self.actions)


def review_kpis(engine: Engine, review_id: int, as_of: dt.date, baseline: bool = False) -> Kpis:
    stmt = select(
        func.count(ActionUpdate.id),
        *(_count_status(s) for s in (COMPLETE, GREEN, AMBER, RED, UNKNOWN)),
        _count_overdue(as_of, baseline),
    ).where(ActionUpdate.review_id == review_id)
    with engine.connect() as conn:
        row = conn.execute(stmt).one()
    return Kpis(*(int(v or 0) for v in row))


def status_by_recommendation(engine: Engine, review_id: int, as_of: dt.date, baseline: bool = False) -> pd.DataFrame:
    """Per recommendation in plan order: a count per status, the total and the overdue count
    (against the baseline date when `baseline`)."""
    stmt = (
        select(
            Recommendation.id.label("rec_id"),
            Recommendation.ref,
            Recommendation.sort_key,
            Recommendation.text,
            *(_count_status(s).label(s) for s in STATUSES),
            func.count(ActionUpdate.id).label("total"),
            _count_overdue(as_of, baseline).label("overdue"),
        )
        .join(Action, Action.recommendation_id == Recommendation.id)
        .join(ActionUpdate, ActionUpdate.action_id == Action.id)
        .where(ActionUpdate.review_id == review_id)
        .group_by(Recommendation.id, Recommendation.ref, Recommendation.sort_key, Recommendation.text)
        .order_by(Recommendation.sort_key)
    )
    df = frame(engine, stmt)
    for col in (*STATUSES, "total", "overdue"):
        df[col] = df[col].fillna(0).astype(int)
    return df
