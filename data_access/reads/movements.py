"""Movements between two reviews: which actions completed, improved, slipped, stayed red, became
overdue, were added or dropped, or had their due date moved later (the rules are
data_access.domain.movement_rules). Comparing two reviews is a join of their action_update rows on
action_id (plus the two set differences for added and dropped actions)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple

from sqlalchemy import Boolean, Date, Engine, and_, case, exists, func, literal, null, or_, select
from sqlalchemy.orm import aliased

from data_access.domain.movement_rules import (
    is_completed,
    is_improved,
    is_slipped,
)
from data_access.domain.rules import (
    RED,
    STATUS_STYLE,
    STATUSES,
    effective_due_sql,
    overdue_sql,
)
from data_access.reads.review_lookup import ReviewRef, TrendsError, as_date, get_review
from data_access.storage.board_decisions import refused_from_sql
from data_access.storage.schema import Action, ActionUpdate, Recommendation, Review


class ActionRef(NamedTuple):
    """One action as two reviews state it. from_* is None for an added action, to_* for a
    dropped one. `action_id` is the database id (for links); `key` the tracker's action ID.
    A NamedTuple rather than a frozen dataclass: a large plan builds tens of thousands per
    comparison, and a tuple is several times quicker to build."""

    action_id: int
    key: str
    description: str
    rec_id: int
    rec_ref: str
    lead: str | None
    from_status: str | None
    to_status: str | None
    from_due: dt.date | None  # effective due date (revised if agreed) in the 'from' review
    to_due: dt.date | None
    overdue_from: bool  # overdue as at the 'from' review's own date
    overdue_to: bool


@dataclass(frozen=True, slots=True)
class DueDateMove:
    """An action whose due date is later in the 'to' review than in the 'from' review."""

    action: ActionRef
    days_later: int  # from the 'from' due date to the 'to' due date
    times_moved_later: int  # review-to-review moves later across the history up to 'to'
    total_days_later: int  # the sum of those moves


# The lists of actions that moved, by the title the page, the slides and the papers give each
# (the Transitions field that holds it). MOVEMENT_RULES below defines them.
LIST_TITLES = {
    "Completed": "completed",
    "Improved": "improved",
    "Slipped": "slipped",
    "Unchanged red": "unchanged_red",
    "Newly overdue": "newly_overdue",
    "Added": "added",
    "Dropped": "dropped",
    "Due date moved later": "due_date_moved_later",
}


@dataclass
class SankeyData:
    """Nodes and links for a Plotly Sankey: left nodes are statuses in the 'from' review plus
    'Added'; right nodes are statuses in the 'to' review plus 'Dropped'."""

    node_labels: list[str]
    node_status: list[str]  # a status, or 'added' / 'dropped'
    node_side: list[str]  # 'from' or 'to'
    source: list[int]
    target: list[int]
    value: list[int]


@dataclass
class Transitions:
    from_review: ReviewRef
    to_review: ReviewRef
    matrix: dict[str, dict[str, int]]  # from status -> to status -> count; all five statuses
    pairs: list[ActionRef]  # every action in both reviews, in plan order
    added: list[ActionRef]
    dropped: list[ActionRef]
    completed: list[ActionRef] = field(default_factory=list)
    improved: list[ActionRef] = field(default_factory=list)
    slipped: list[ActionRef] = field(default_factory=list)
    unchanged_red: list[ActionRef] = field(default_factory=list)
    newly_overdue: list[ActionRef] = field(default_factory=list)  # matched actions, then added ones
    due_date_moved_later: list[DueDateMove] = field(default_factory=list)

    def lists(self, *titles: str) -> list[tuple[str, list]]:
        """(title, actions) for each named list (LIST_TITLES), in the order asked; every list when
        none is named. 'Due date moved later' holds DueDateMove records, the others ActionRefs."""
        return [(title, getattr(self, LIST_TITLES[title])) for title in titles or LIST_TITLES]

    def cell(self, from_status: str, to_status: str) -> list[ActionRef]:
        """The actions behind one matrix cell."""
        return [a for a in self.pairs if a.from_status == from_status and a.to_status == to_status]

    def sankey(self) -> SankeyData:
        added = Counter(a.to_status for a in self.added)
        dropped = Counter(a.from_status for a in self.dropped)
        left = [*STATUSES, "added"]
        right = [*STATUSES, "dropped"]

        def word(status: str) -> str:
            return STATUS_STYLE[status].label if status in STATUS_STYLE else status.capitalize()

        labels = [f"{word(s)} ({self.from_review.label})" if s in STATUSES else "Added" for s in left]
        labels += [f"{word(s)} ({self.to_review.label})" if s in STATUSES else "Dropped" for s in right]
        data = SankeyData(labels, left + right, ["from"] * len(left) + ["to"] * len(right), [], [], [])

        def link(src: int, dst: int, count: int) -> None:
            if count:
                data.source.append(src)
                data.target.append(len(left) + dst)
                data.value.append(count)

        for i, f in enumerate(STATUSES):
            for j, t in enumerate(STATUSES):
                link(i, j, self.matrix[f][t])
            link(i, len(STATUSES), dropped.get(f, 0))
        for j, t in enumerate(STATUSES):
            link(len(STATUSES), j, added.get(t, 0))
        return data


def effective_due_column(update):
    refused = refused_from_sql(update.action_id, update.due_date, update.revised_due_date)
    return effective_due_sql(update.due_date, update.revised_due_date, refused_from=refused)


def overdue_flag_column(update, as_of: dt.date):
    refused = refused_from_sql(update.action_id, update.due_date, update.revised_due_date)
    flag = overdue_sql(update.status, update.due_date, update.revised_due_date, as_of, refused_from=refused)
    return case((flag, True), else_=False)


def transitions(engine: Engine, from_review_id: int, to_review_id: int) -> Transitions:
    """Every movement between two current reviews of the same plan (see MOVEMENT_RULES)."""
    src, dst = get_review(engine, from_review_id), get_review(engine, to_review_id)
    if src.plan_id != dst.plan_id:
        raise TrendsError("The two reviews belong to different plans.")
    a, b = aliased(ActionUpdate), aliased(ActionUpdate)
    action_cols = (Action.id, Action.key, Action.description, Recommendation.id, Recommendation.ref, Action.lead)
    order = (Recommendation.sort_key, Action.sort_key)
    both = and_(a.review_id == src.id, b.review_id == dst.id, b.action_id == a.action_id)

    matrix_stmt = select(a.status, b.status, func.count()).where(both).group_by(a.status, b.status)
    # Columns in ActionRef's field order, so each row becomes an ActionRef as it is.
    pairs_stmt = (
        select(
            *action_cols,
            a.status,
            b.status,
            effective_due_column(a),
            effective_due_column(b),
            overdue_flag_column(a, src.as_at),
            overdue_flag_column(b, dst.as_at),
        )
        .join(Action, Action.id == a.action_id)
        .join(Recommendation, Recommendation.id == Action.recommendation_id)
        .where(both)
        .order_by(*order)
    )

    def only_in(review: ReviewRef, other: ReviewRef, *, added: bool):
        mine, theirs = aliased(ActionUpdate), aliased(ActionUpdate)
        nothing, no = null(), literal(False, Boolean)
        side = (mine.status, effective_due_column(mine), overdue_flag_column(mine, review.as_at))
        status, due, overdue = (
            ((nothing, side[0]), (nothing, side[1]), (no, side[2]))
            if added
            else ((side[0], nothing), (side[1], nothing), (side[2], no))
        )
        return (
            select(*action_cols, *status, *due, *overdue)
            .join(Action, Action.id == mine.action_id)
            .join(Recommendation, Recommendation.id == Action.recommendation_id)
            .where(
                mine.review_id == review.id,
                ~exists().where(theirs.review_id == other.id, theirs.action_id == mine.action_id),
            )
            .order_by(*order)
        )

    # Actions whose due date is later in 'to' than in 'from': only their history is read.
    moved_later = select(b.action_id).where(both, effective_due_column(b) > effective_due_column(a))

    matrix = {f: dict.fromkeys(STATUSES, 0) for f in STATUSES}
    with engine.connect() as conn:
        for f, t, n in conn.execute(matrix_stmt):
            matrix[f][t] = int(n)
        pairs = [ActionRef(*r) for r in conn.execute(pairs_stmt)]
        added = [ActionRef(*r) for r in conn.execute(only_in(dst, src, added=True))]
        dropped = [ActionRef(*r) for r in conn.execute(only_in(src, dst, added=False))]
        history = _due_moves_later(conn, dst, moved_later)

    result = Transitions(src, dst, matrix, pairs, added, dropped)
    for ref in pairs:
        f, t = ref.from_status, ref.to_status
        if is_completed(f, t):
            result.completed.append(ref)
        elif is_improved(f, t):
            result.improved.append(ref)
        elif is_slipped(f, t):
            result.slipped.append(ref)
        elif f == RED and t == RED:
            result.unchanged_red.append(ref)
        if ref.overdue_to and not ref.overdue_from:
            result.newly_overdue.append(ref)
        if ref.from_due and ref.to_due and ref.to_due > ref.from_due:
            moves = history.get(ref.action_id, [])
            result.due_date_moved_later.append(
                DueDateMove(ref, (ref.to_due - ref.from_due).days, len(moves), sum(moves))
            )
    result.newly_overdue.extend(a for a in added if a.overdue_to)
    return result


def _due_moves_later(conn, to_review: ReviewRef, action_ids) -> dict[int, list[int]]:
    """action id -> days of each review-to-review move of its effective due date to a later date,
    over the plan's current reviews up to and including `to_review` (consecutive reviews in which
    the action appears), for the actions selected by the subquery `action_ids`. Only the moves
    leave the database."""
    due = effective_due_column(ActionUpdate)
    up_to_to = or_(Review.as_at < to_review.as_at, and_(Review.as_at == to_review.as_at, Review.id <= to_review.id))
    steps = (
        select(
            ActionUpdate.action_id.label("action_id"),
            due.label("due"),
            func.lag(due, type_=Date)
            .over(partition_by=ActionUpdate.action_id, order_by=(Review.as_at, Review.id))
            .label("prev_due"),
        )
        .join(Review, Review.id == ActionUpdate.review_id)
        .where(
            Review.plan_id == to_review.plan_id,
            Review.replaced_by_id.is_(None),
            up_to_to,
            ActionUpdate.action_id.in_(action_ids),
        )
        .subquery()
    )
    moves: dict[int, list[int]] = {}
    for action_id, new, old in conn.execute(
        select(steps.c.action_id, steps.c.due, steps.c.prev_due).where(steps.c.due > steps.c.prev_due)
    ):
        moves.setdefault(action_id, []).append((as_date(new) - as_date(old)).days)
    return moves
