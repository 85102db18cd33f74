"""The completion forecast: actions completed per financial quarter, and the quarter in which all
would be complete at that rate (METHOD_TEXT)."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from sqlalchemy import Engine, case, func, select

from data_access.domain.rules import (
    COMPLETE,
    financial_quarter,
    percent,
    quarter_end,
    quarter_label,
)
from data_access.domain.wording import plural
from data_access.reads.review_lookup import ReviewRef, current_reviews
from data_access.storage.schema import Action, ActionUpdate, Plan, Recommendation

METHOD_TEXT = (
    "Forecast method: the completion rate is the number of actions that became complete between the "
    "first and the latest review, divided by the number of financial quarters between them (Q1 is "
    "April to June). At that rate the actions not yet complete at the latest review are projected "
    "forward, rounding up to whole quarters, to give the quarter in which all would be complete. A "
    "projection is flagged as late when that quarter is after the quarter containing the plan's "
    "target date; with no target date there is no flag. Where nothing has been completed since the "
    "first review there is no projected quarter, and the forecast is flagged as late if the plan has "
    "a target date. With fewer than two reviews in different quarters there is no rate."
)


@dataclass(frozen=True)
class ForecastLine:
    scope: str  # 'Plan' or the recommendation's ref
    rec_id: int | None  # None for the whole plan
    total: int  # actions at the latest review
    complete: int  # complete at the latest review
    complete_at_first: int  # complete at the first review
    quarters_elapsed: int  # financial quarters from the first to the latest review
    rate_per_quarter: float | None  # actions completed per quarter; None without two quarters
    projected_quarter: str | None  # 'Q1 2018/19'
    projected_date: dt.date | None  # that quarter's last day
    late: bool | None  # None when there is no target date or no rate
    note: str  # plain words for the page, e.g. 'All actions complete'

    @property
    def remaining(self) -> int:
        return self.total - self.complete

    @property
    def pct_complete(self) -> int:
        return percent(self.complete, self.total)


@dataclass(frozen=True)
class Forecast:
    method: str
    target_date: dt.date | None
    first_review: ReviewRef | None
    latest_review: ReviewRef | None
    plan: ForecastLine
    recommendations: list[ForecastLine]


def _quarter_index(day: dt.date) -> int:
    q, start = financial_quarter(day)
    return start * 4 + q - 1


def _quarter_of_index(index: int) -> dt.date:
    start, q0 = divmod(index, 4)
    return quarter_end(q0 + 1, start)


def forecast_line(
    scope: str,
    rec_id: int | None,
    total: int,
    complete: int,
    complete_at_first: int,
    quarters_elapsed: int,
    latest_quarter: int | None,
    target_date: dt.date | None,
) -> ForecastLine:
    """The METHOD_TEXT rule for one set of actions."""
    target_q = _quarter_index(target_date) if target_date else None
    remaining = total - complete

    def line(rate, when_index, late, note):
        when = _quarter_of_index(when_index) if when_index is not None else None
        return ForecastLine(
            scope,
            rec_id,
            total,
            complete,
            complete_at_first,
            quarters_elapsed,
            rate,
            quarter_label(when) if when else None,
            when,
            late,
            note,
        )

    if total == 0:
        return line(None, None, None, "No actions")
    if remaining <= 0:
        late = None if target_q is None or latest_quarter is None else latest_quarter > target_q
        rate = (complete - complete_at_first) / quarters_elapsed if quarters_elapsed > 0 else None
        return line(rate, latest_quarter, late, "All actions complete")
    if quarters_elapsed <= 0 or latest_quarter is None:
        return line(None, None, None, "Needs reviews in two different quarters to estimate a rate")
    rate = (complete - complete_at_first) / quarters_elapsed
    if rate <= 0:
        return line(
            rate,
            None,
            True if target_q is not None else None,
            "No actions completed since the first review: no projected quarter",
        )
    needed = math.ceil(remaining / rate - 1e-9)
    when = latest_quarter + needed
    late = None if target_q is None else when > target_q
    note = f"{plural(remaining, 'action')} to go at {rate:.2g} a quarter"
    return line(rate, when, late, note)


def forecast(engine: Engine, plan_id: int) -> Forecast:
    """Completion rate per quarter and the projected completion quarter, for the plan and for each
    recommendation (in plan order), by METHOD_TEXT."""
    reviews = current_reviews(engine, plan_id)
    with engine.connect() as conn:
        target_date = conn.execute(select(Plan.target_date).where(Plan.id == plan_id)).scalar_one_or_none()
        recs = conn.execute(
            select(Recommendation.id, Recommendation.ref)
            .where(Recommendation.plan_id == plan_id)
            .order_by(Recommendation.sort_key)
        ).all()
        counts: dict[tuple[int, int], tuple[int, int]] = {}
        if reviews:
            ends = {reviews[0].id, reviews[-1].id}
            stmt = (
                select(
                    ActionUpdate.review_id,
                    Action.recommendation_id,
                    func.count(),
                    func.sum(case((ActionUpdate.status == COMPLETE, 1), else_=0)),
                )
                .join(Action, Action.id == ActionUpdate.action_id)
                .where(ActionUpdate.review_id.in_(ends))
                .group_by(ActionUpdate.review_id, Action.recommendation_id)
            )
            counts = {(rid, rec): (int(n), int(done or 0)) for rid, rec, n, done in conn.execute(stmt)}
    first = reviews[0] if reviews else None
    latest = reviews[-1] if reviews else None
    elapsed = _quarter_index(latest.as_at) - _quarter_index(first.as_at) if reviews else 0
    latest_q = _quarter_index(latest.as_at) if latest else None

    def totals(review: ReviewRef | None, rec_id: int | None) -> tuple[int, int]:
        if review is None:
            return 0, 0
        items = [v for (rid, rec), v in counts.items() if rid == review.id and (rec_id is None or rec == rec_id)]
        return sum(n for n, _ in items), sum(d for _, d in items)

    def make(scope: str, rec_id: int | None) -> ForecastLine:
        total, done = totals(latest, rec_id)
        _, done_first = totals(first, rec_id)
        return forecast_line(scope, rec_id, total, done, done_first, elapsed, latest_q, target_date)

    lines = [make(r.ref, r.id) for r in recs if totals(latest, r.id)[0]]
    return Forecast(METHOD_TEXT, target_date, first, latest, make("Plan", None), lines)
