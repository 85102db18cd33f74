"""Queries behind the board views: headline figures and their change since the previous review,
recommendations with their derived status, overdue actions grouped by recommendation and lead,
the "green but overdue" challenge list, and one action's history across every review.

Built by composing data_access.queries (one review at a time, aggregated in SQL); the rules
(status, overdue, a recommendation's status) come from data_access.domain.rules.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, select

from data_access.domain.rules import (
    COMPLETE,
    GREEN,
    RECOMMENDATION_STATUS_RULE,
    STATUSES,
    effective_due,
    is_overdue,
    overdue_counted_at,
    overdue_lag_days,
    percent,
    recommendation_status,
)
from data_access.reads import review_figures
from data_access.storage.board_decisions import baseline_due_sql
from data_access.storage.schema import Action, ActionUpdate, Recommendation, Review

__all__ = [
    "OVERDUE_SORTS",
    "RECOMMENDATION_STATUS_RULE",
    "ActionDetail",
    "KpiChange",
    "action_detail",
    "action_history",
    "comparison_as_of",
    "filter_actions",
    "green_but_overdue",
    "kpi_change",
    "matching_per_recommendation",
    "overdue_actions",
    "overdue_by_lead",
    "overdue_by_recommendation",
    "sort_overdue",
    "recommendation_summary",
]


# --- filters --------------------------------------------------------------------------------


def filter_actions(
    actions: pd.DataFrame,
    rec: str | None = None,
    lead: str | None = None,
    statuses: tuple[str, ...] = (),
    partner: str | None = None,
) -> pd.DataFrame:
    """The global filters (recommendation ref, lead, statuses, partner agency) applied to a
    review_actions frame."""
    keep = pd.Series(True, index=actions.index)
    if rec:
        keep &= actions["rec_ref"] == rec
    if lead:
        keep &= actions["lead"] == lead
    if statuses:
        keep &= actions["status"].isin(list(statuses))
    if partner:
        keep &= actions["partner"] == partner
    return actions[keep]


def matching_per_recommendation(actions: pd.DataFrame) -> dict[str, int]:
    """ref -> how many of a (filtered) review_actions frame's actions belong to it."""
    return {str(ref): int(n) for ref, n in actions.groupby("rec_ref", sort=False).size().items()}


# --- headline figures and their change --------------------------------------------------------


def comparison_as_of(as_of: dt.date, review_as_at: dt.date, previous_as_at: dt.date) -> dt.date:
    """The date at which the previous review's overdue count is taken for a fair comparison:
    as long after the previous review's as-at date as `as_of` is after this review's (the rule in
    rules.overdue_lag_days, which the trends page's overdue per review follows too).

    A board meeting a fortnight after the quarter end compares with the position a fortnight
    after the previous quarter end, so "overdue went down" means the plan improved, not that the
    calendar moved.
    """
    return overdue_counted_at(previous_as_at, overdue_lag_days(as_of, review_as_at))


@dataclass(frozen=True)
class KpiChange:
    """This review's headline figures and the previous review's (None for the first review)."""

    current: review_figures.Kpis
    previous: review_figures.Kpis | None
    previous_as_of: dt.date | None

    def delta(self, figure: str) -> float | None:
        """Change since the previous review of `figure` (actions, complete, red, overdue,
        pct_complete...), or None when there is no previous review."""
        if self.previous is None:
            return None
        return round(getattr(self.current, figure) - getattr(self.previous, figure), 1)


def kpi_change(
    engine: Engine, review_id: int, as_of: dt.date, previous_review_id: int | None = None, baseline: bool = False
) -> KpiChange:
    """Headline figures for a review and for the previous one (overdue compared fairly, see
    comparison_as_of; both judged against the baseline date when `baseline`)."""
    current = review_figures.review_kpis(engine, review_id, as_of, baseline)
    if previous_review_id is None:
        return KpiChange(current, None, None)
    dates = _review_dates(engine, (review_id, previous_review_id))
    previous_as_of = comparison_as_of(as_of, dates[review_id], dates[previous_review_id])
    previous = review_figures.review_kpis(engine, previous_review_id, previous_as_of, baseline)
    return KpiChange(current, previous, previous_as_of)


def _review_dates(engine: Engine, review_ids: tuple[int, ...]) -> dict[int, dt.date]:
    with engine.connect() as conn:
        rows = conn.execute(select(Review.id, Review.as_at).where(Review.id.in_(review_ids))).all()
    return {r.id: r.as_at for r in rows}


# --- recommendations --------------------------------------------------------------------------


def recommendation_summary(engine: Engine, review_id: int, as_of: dt.date, baseline: bool = False) -> pd.DataFrame:
    """One row per recommendation in plan order: ref, text, a count per status, total, overdue,
    pct_complete and the derived overall `status` (rules.recommendation_status); overdue judged
    against the baseline date when `baseline`."""
    df = review_figures.status_by_recommendation(engine, review_id, as_of, baseline)
    df["pct_complete"] = [percent(done, total) for done, total in zip(df[COMPLETE], df["total"], strict=True)]
    df["status"] = [
        recommendation_status({s: int(row[s]) for s in STATUSES}, int(row["overdue"])) for _, row in df.iterrows()
    ]
    return df


# --- overdue ----------------------------------------------------------------------------------

OVERDUE_COLUMNS = [
    "action_id",
    "key",
    "rec_ref",
    "rec_sort",
    "rec_text",
    "description",
    "lead",
    "partner",
    "due_raw",
    "due_date",
    "revised_due_date",
    "effective_due",
    "days_overdue",
    "status",
    "progress",
    "mitigation",
    "board_ask",
    "moved_unapproved",
]


def overdue_actions(
    engine: Engine,
    review_id: int,
    as_of: dt.date,
    rec: str | None = None,
    lead: str | None = None,
    statuses: tuple[str, ...] = (),
    partner: str | None = None,
    baseline: bool = False,
) -> pd.DataFrame:
    """Overdue actions of a review (rules.is_overdue at `as_of`; against the baseline date when
    `baseline`), filtered, in plan order, with days overdue, the raw timescale text alongside the
    date it was read as, and whether the due date was moved later without approval."""
    actions = filter_actions(
        review_figures.review_actions(engine, review_id, as_of, baseline), rec, lead, statuses, partner
    )
    return actions.loc[actions["overdue"], OVERDUE_COLUMNS].reset_index(drop=True)


# How the overdue list can be sorted: key -> (words, columns, ascending). Kept in the link (sort=).
OVERDUE_SORTS: dict[str, tuple[str, list[str], list[bool]]] = {
    "plan": ("Plan order", ["rec_sort", "key"], [True, True]),
    "days": ("Most days overdue first", ["days_overdue", "key"], [False, True]),
    "due": ("Due date, earliest first", ["effective_due", "key"], [True, True]),
    "lead": ("Lead", ["lead", "days_overdue"], [True, False]),
}


def sort_overdue(overdue: pd.DataFrame, sort: str = "plan") -> pd.DataFrame:
    """An overdue_actions frame in one of the OVERDUE_SORTS orders (plan order for an unknown key)."""
    _, by, ascending = OVERDUE_SORTS.get(sort, OVERDUE_SORTS["plan"])
    return overdue.sort_values(by, ascending=ascending, na_position="last", kind="stable").reset_index(drop=True)


def overdue_by_recommendation(overdue: pd.DataFrame) -> pd.DataFrame:
    """Totals per recommendation (plan order) of an overdue_actions frame: count, most days overdue."""
    grouped = overdue.groupby(["rec_sort", "rec_ref"], sort=True).agg(
        overdue=("action_id", "size"), most_days_overdue=("days_overdue", "max")
    )
    return grouped.reset_index().drop(columns="rec_sort")


def overdue_by_lead(overdue: pd.DataFrame) -> pd.DataFrame:
    """Totals per lead of an overdue_actions frame, most overdue first (blank lead: 'No lead named')."""
    leads = overdue.assign(lead=overdue["lead"].fillna("No lead named"))
    grouped = leads.groupby("lead").agg(overdue=("action_id", "size"), most_days_overdue=("days_overdue", "max"))
    return grouped.reset_index().sort_values(["overdue", "lead"], ascending=[False, True], ignore_index=True)


def green_but_overdue(
    engine: Engine,
    review_id: int,
    as_of: dt.date,
    rec: str | None = None,
    lead: str | None = None,
    partner: str | None = None,
    baseline: bool = False,
) -> pd.DataFrame:
    """Actions reported On track (green) although their due date has passed: the challenge list."""
    overdue = overdue_actions(engine, review_id, as_of, rec, lead, (), partner, baseline)
    return overdue[overdue["status"] == GREEN].reset_index(drop=True)


# --- one action's history ---------------------------------------------------------------------


@dataclass(frozen=True)
class ActionDetail:
    action_id: int
    plan_id: int
    key: str
    description: str
    lead: str | None
    partner: str | None
    measure: str | None
    rec_ref: str
    rec_text: str


def action_detail(engine: Engine, action_id: int, plan_id: int | None = None) -> ActionDetail | None:
    """The action's current text (as the latest tracker states it); None when it does not exist
    or belongs to another plan."""
    stmt = (
        select(
            Action.id,
            Action.plan_id,
            Action.key,
            Action.description,
            Action.lead,
            Action.partner,
            Action.measure,
            Recommendation.ref,
            Recommendation.text,
        )
        .join(Recommendation, Recommendation.id == Action.recommendation_id)
        .where(Action.id == action_id)
    )
    if plan_id is not None:
        stmt = stmt.where(Action.plan_id == plan_id)
    with engine.connect() as conn:
        row = conn.execute(stmt).first()
    return ActionDetail(*row) if row else None


def action_history(engine: Engine, action_id: int, as_of: dt.date, baseline: bool = False) -> pd.DataFrame:
    """The action in every current review, oldest first: status, due date (raw text, revised
    date, effective date), whether the due date moved since the previous review and from what,
    progress note, its baseline due date (storage.board_decisions.baseline_due_sql), and whether it
    was overdue at that review's own as-at date and at `as_of` — judged against the current approved
    date, or against the baseline date when `baseline` (the sidebar's "Judge overdue against")."""
    stmt = (
        select(
            Review.id.label("review_id"),
            Review.label,
            Review.as_at,
            ActionUpdate.status,
            ActionUpdate.status_raw,
            ActionUpdate.due_date,
            ActionUpdate.due_raw,
            ActionUpdate.revised_due_date,
            ActionUpdate.progress,
            ActionUpdate.evidence,
            ActionUpdate.mitigation,
            ActionUpdate.board_ask,
            ActionUpdate.no_update,
            baseline_due_sql(ActionUpdate.action_id, ActionUpdate.due_date).label("baseline_due"),
        )
        .join(Review, Review.id == ActionUpdate.review_id)
        .where(ActionUpdate.action_id == action_id, Review.replaced_by_id.is_(None))
        .order_by(Review.as_at, Review.id)
    )
    with engine.connect() as conn:
        rows = conn.execute(stmt).mappings().all()
    records = []
    previous_due: dt.date | None = None
    for i, row in enumerate(rows):
        due = effective_due(row["due_date"], row["revised_due_date"])
        judged = row["baseline_due"] if baseline else row["due_date"]
        records.append(
            {
                **row,
                "effective_due": due,
                "due_moved": i > 0 and due != previous_due,
                "previous_due": previous_due if i > 0 else None,
                "overdue_then": is_overdue(
                    row["status"], judged, row["as_at"], row["revised_due_date"], against_baseline=baseline
                ),
                "overdue_now": is_overdue(
                    row["status"], judged, as_of, row["revised_due_date"], against_baseline=baseline
                ),
            }
        )
        previous_due = due
    columns = [
        "review_id",
        "label",
        "as_at",
        "status",
        "status_raw",
        "due_date",
        "due_raw",
        "revised_due_date",
        "effective_due",
        "due_moved",
        "previous_due",
        "progress",
        "evidence",
        "mitigation",
        "board_ask",
        "no_update",
        "baseline_due",
        "overdue_then",
        "overdue_now",
    ]
    return pd.DataFrame(records, columns=columns)
