"""Progress notes not updated since the previous review, per lead (STALENESS_RULE)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, and_, select
from sqlalchemy.orm import aliased

from data_access.domain.rules import (
    COMPLETE,
    percent,
)
from data_access.reads.movements import ActionRef, effective_due_column, overdue_flag_column
from data_access.reads.review_lookup import ReviewRef, current_reviews, get_review
from data_access.storage.schema import Action, ActionUpdate, Recommendation

NO_LEAD = "(no lead named)"

STALENESS_RULE = (
    "'No update': the action's progress note is blank, or the same as at the previous review (ignoring "
    "spacing and letter case). Actions complete at both reviews (nothing left to report) and every "
    "action in a plan's first review are not marked; an action new since the previous review is marked "
    "only when its note is blank."
)


@dataclass(frozen=True, slots=True)
class StaleAction:
    action: ActionRef  # from_* is the previous review, to_* this one
    progress: str | None
    no_update: bool


@dataclass
class Staleness:
    review: ReviewRef
    previous_review: ReviewRef | None
    actions: list[StaleAction]  # every action in the review, in plan order
    per_lead: pd.DataFrame  # lead, actions, no_update, pct_no_update; most stale first

    @property
    def no_update(self) -> list[StaleAction]:
        return [a for a in self.actions if a.no_update]


def _same_note(a: str | None, b: str | None) -> bool:
    return " ".join((a or "").lower().split()) == " ".join((b or "").lower().split())


def staleness(engine: Engine, review_id: int) -> Staleness:
    """Which actions' progress notes did not change since the previous current review (by as-at
    date), counted per lead (STALENESS_RULE)."""
    review = get_review(engine, review_id)
    reviews = current_reviews(engine, review.plan_id)
    position = [r.id for r in reviews].index(review.id)
    previous = reviews[position - 1] if position > 0 else None

    cur = aliased(ActionUpdate)
    prev = aliased(ActionUpdate)
    join_prev = and_(prev.action_id == cur.action_id, prev.review_id == (previous.id if previous else -1))
    stmt = (
        select(
            Action.id,
            Action.key,
            Action.description,
            Recommendation.id,
            Recommendation.ref,
            Action.lead,
            prev.status,
            cur.status,
            effective_due_column(prev),
            effective_due_column(cur),
            prev.id,
            prev.progress,
            cur.progress,
            overdue_flag_column(cur, review.as_at),
        )
        .select_from(cur)
        .join(Action, Action.id == cur.action_id)
        .join(Recommendation, Recommendation.id == Action.recommendation_id)
        .outerjoin(prev, join_prev)
        .where(cur.review_id == review.id)
        .order_by(Recommendation.sort_key, Action.sort_key)
    )
    items = []
    with engine.connect() as conn:
        for r in conn.execute(stmt):
            in_previous = r[10] is not None
            ref = ActionRef(*r[:6], r[6], r[7], r[8], r[9], False, bool(r[13]))
            closed = r[6] == COMPLETE and r[7] == COMPLETE
            blank = not (r[12] or "").strip()
            unchanged = in_previous and _same_note(r[11], r[12])
            # a blank note is never an update (a tracker round trip that lost the notes must show)
            items.append(StaleAction(ref, r[12], previous is not None and not closed and (blank or unchanged)))
    leads: dict[str, list[int]] = {}
    for item in items:
        tally = leads.setdefault(item.action.lead or NO_LEAD, [0, 0])
        tally[0] += 1
        tally[1] += item.no_update
    per_lead = pd.DataFrame(
        [(lead, n, stale, percent(stale, n)) for lead, (n, stale) in leads.items()],
        columns=["lead", "actions", "no_update", "pct_no_update"],
    )
    per_lead = per_lead.sort_values(["no_update", "lead"], ascending=[False, True], ignore_index=True)
    return Staleness(review, previous, items, per_lead)
