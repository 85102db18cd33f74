"""Trends between reviews: status mix over time, movements between two reviews, a plain-English
"since the last review" summary, a completion forecast and stale progress notes.

Every function takes an engine and small arguments (ids, strings), so pages can cache them.
Replaced reviews (Review.replaced_by_id set) are ignored everywhere; reviews are ordered by
their as-at date (then id), never by import order.

Comparing two reviews is a join of their action_update rows on action_id (plus the two set
differences for added and dropped actions); counting happens in SQL.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple

import pandas as pd
from sqlalchemy import Boolean, Date, Engine, and_, case, exists, func, literal, null, or_, select
from sqlalchemy.orm import aliased

from data_access.domain.rules import (
    COMPLETE,
    RED,
    SEVERITY,
    STATUS_STYLE,
    STATUSES,
    UNKNOWN,
    effective_due_sql,
    financial_quarter,
    overdue_counted_at,
    overdue_sql,
    percent,
    quarter_end,
    quarter_label,
)
from data_access.domain.wording import long_date, percent_text, plural
from data_access.reads import catalogue, review_figures
from data_access.storage.schema import Action, ActionUpdate, Plan, Recommendation, Review


class TrendsError(ValueError):
    """A request that cannot be answered (unknown review, too few reviews); the message is one
    sentence fit to show a user."""


class ReviewNotFound(TrendsError):
    """No current review of the plan has that label or as-at date."""


# ---------------------------------------------------------------------------
# Reviews
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewRef:
    id: int
    plan_id: int
    label: str
    as_at: dt.date

    @property
    def title(self) -> str:
        """'Q1 2017/18 (30 June 2017)'."""
        return f"{self.label} ({long_date(self.as_at)})"


def current_reviews(engine: Engine, plan_id: int) -> list[ReviewRef]:
    """The plan's current reviews in as-at order (replaced reviews excluded)."""
    df = catalogue.list_reviews(engine, plan_id)
    return [ReviewRef(int(r.id), plan_id, r.label, _as_date(r.as_at)) for r in df.itertuples(index=False)]


def get_review(engine: Engine, review_id: int) -> ReviewRef:
    """A current review by id; a replaced or missing review is an error."""
    with engine.connect() as conn:
        row = conn.execute(
            select(Review.id, Review.plan_id, Review.label, Review.as_at, Review.replaced_by_id).where(
                Review.id == review_id
            )
        ).first()
    if row is None:
        raise TrendsError(f"There is no review with id {review_id}.")
    if row.replaced_by_id is not None:
        raise TrendsError(f"Review {row.label} (id {review_id}) was replaced by a later import.")
    return ReviewRef(row.id, row.plan_id, row.label, row.as_at)


def resolve_review(engine: Engine, plan_id: int, ref: str) -> int:
    """The id of the plan's current review named by `ref`: its label (exact, else ignoring case
    and spacing) or its as-at date as YYYY-MM-DD."""
    reviews = current_reviews(engine, plan_id)
    text = (ref or "").strip()
    matches = [r for r in reviews if r.label == text]
    if not matches:
        folded = " ".join(text.lower().split())
        matches = [r for r in reviews if " ".join(r.label.lower().split()) == folded]
    if not matches:
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            day = None
        if day is not None:
            matches = [r for r in reviews if r.as_at == day]
    if not matches:
        raise ReviewNotFound(f"The plan has no review labelled or dated '{ref}'.")
    if len(matches) > 1:
        labels = ", ".join(f"{r.label} ({r.as_at.isoformat()})" for r in matches)
        raise TrendsError(f"'{ref}' matches more than one review ({labels}); use a unique label.")
    return matches[0].id


def default_pair(engine: Engine, plan_id: int) -> tuple[int, int]:
    """(from, to) ids of the plan's last two current reviews."""
    reviews = current_reviews(engine, plan_id)
    if len(reviews) < 2:
        have = "no reviews" if not reviews else "only one review"
        raise TrendsError(f"The plan has {have}; trends need at least two.")
    return reviews[-2].id, reviews[-1].id


def _as_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return pd.Timestamp(value).date()


# ---------------------------------------------------------------------------
# 1. Status mix per review
# ---------------------------------------------------------------------------


def status_mix(engine: Engine, plan_id: int, lag_days: int = 0) -> pd.DataFrame:
    """One row per current review in as-at order: review_id, label, as_at, actions, a count per
    status (complete, green, amber, red, unknown), pct_complete (rules.percent) and overdue —
    counted `lag_days` after that review's own as-at date (rules.overdue_lag_days: the overview's
    change in overdue follows the same rule), and overdue_as_of, the date it was counted at."""
    rows = []
    for review in current_reviews(engine, plan_id):
        counted_at = overdue_counted_at(review.as_at, lag_days)
        kpis = review_figures.review_kpis(engine, review.id, counted_at)
        rows.append(
            dict(
                review_id=review.id,
                label=review.label,
                as_at=review.as_at,
                actions=kpis.actions,
                **{s: getattr(kpis, s) for s in STATUSES},
                pct_complete=kpis.pct_complete,
                overdue=kpis.overdue,
                overdue_as_of=counted_at,
            )
        )
    columns = ["review_id", "label", "as_at", "actions", *STATUSES, "pct_complete", "overdue", "overdue_as_of"]
    return pd.DataFrame(rows, columns=columns)


# ---------------------------------------------------------------------------
# 2. Movements between two reviews
# ---------------------------------------------------------------------------


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

# How the lists are defined; the page shows this beside them.
MOVEMENT_RULES = (
    "Completed: in both reviews, complete now and not before. "
    "Improved: in both reviews, moved to a better status that is not complete (red to amber or green, amber to green). "
    "Slipped: in both reviews, moved to a worse status (green to amber or red, amber to red), or was complete "
    "and is now anything else. Moves to or from 'no status' are not ranked, except that leaving complete is a slip. "
    "Unchanged red: red in both. Newly overdue: overdue as at the 'to' review's date but not as at the 'from' "
    "review's date (added actions count if overdue). Due date moved later: the effective due date (the revised "
    "date where one was agreed) is later in the 'to' review than in the 'from' review. Added: only in the 'to' "
    "review. Dropped: only in the 'from' review."
)


def is_completed(from_status: str, to_status: str) -> bool:
    return to_status == COMPLETE and from_status != COMPLETE


def is_slipped(from_status: str, to_status: str) -> bool:
    if from_status == COMPLETE:
        return to_status != COMPLETE
    return from_status in SEVERITY and to_status in SEVERITY and SEVERITY[to_status] > SEVERITY[from_status]


def is_improved(from_status: str, to_status: str) -> bool:
    """Better but not (yet) complete: completions are their own list."""
    return (
        to_status != COMPLETE
        and from_status in SEVERITY
        and to_status in SEVERITY
        and SEVERITY[to_status] < SEVERITY[from_status]
    )


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


def _effective_due(update):
    return effective_due_sql(update.due_date, update.revised_due_date)


def _overdue_flag(update, as_of: dt.date):
    return case((overdue_sql(update.status, update.due_date, update.revised_due_date, as_of), True), else_=False)


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
            _effective_due(a),
            _effective_due(b),
            _overdue_flag(a, src.as_at),
            _overdue_flag(b, dst.as_at),
        )
        .join(Action, Action.id == a.action_id)
        .join(Recommendation, Recommendation.id == Action.recommendation_id)
        .where(both)
        .order_by(*order)
    )

    def only_in(review: ReviewRef, other: ReviewRef, *, added: bool):
        mine, theirs = aliased(ActionUpdate), aliased(ActionUpdate)
        nothing, no = null(), literal(False, Boolean)
        side = (mine.status, _effective_due(mine), _overdue_flag(mine, review.as_at))
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
    moved_later = select(b.action_id).where(both, _effective_due(b) > _effective_due(a))

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
    due = _effective_due(ActionUpdate)
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
        moves.setdefault(action_id, []).append((_as_date(new) - _as_date(old)).days)
    return moves


# ---------------------------------------------------------------------------
# Direction of travel per recommendation
# ---------------------------------------------------------------------------

IMPROVING, SAME, WORSENING = "improving", "same", "worsening"
ARROWS = {IMPROVING: "↑", SAME: "→", WORSENING: "↓"}

DIRECTION_RULE = (
    "Direction of travel compares the recommendation's actions that appear in both reviews. "
    "An action moved better if it became complete or moved to a better status (red to amber or green, "
    "amber to green); it moved worse if it slipped (green to amber or red, amber to red, or complete to "
    "anything else). ↑ improving: more actions moved better than worse. ↓ worsening: more moved worse "
    "than better. → same: as many moved better as worse, including when none moved. Actions added or "
    "dropped, and moves to or from 'no status' (other than leaving complete), do not count."
)


@dataclass(frozen=True)
class RecommendationDirection:
    rec_id: int
    rec_ref: str
    rec_text: str
    compared: int  # actions in both reviews
    better: int
    worse: int
    added: int
    dropped: int
    complete_from: int
    total_from: int
    complete_to: int
    total_to: int
    direction: str  # improving / same / worsening

    @property
    def arrow(self) -> str:
        return ARROWS[self.direction]

    @property
    def pct_complete_from(self) -> int | None:
        return percent(self.complete_from, self.total_from) if self.total_from else None

    @property
    def pct_complete_to(self) -> int | None:
        return percent(self.complete_to, self.total_to) if self.total_to else None


def direction_of(better: int, worse: int) -> str:
    """The rule in DIRECTION_RULE."""
    if better > worse:
        return IMPROVING
    if worse > better:
        return WORSENING
    return SAME


def direction_by_recommendation(
    engine: Engine, from_review_id: int, to_review_id: int
) -> list[RecommendationDirection]:
    """Per recommendation with actions in either review, in plan order: its arrow (DIRECTION_RULE)
    and the counts behind it."""
    moves = transitions(engine, from_review_id, to_review_id)
    with engine.connect() as conn:
        recs = conn.execute(
            select(Recommendation.id, Recommendation.ref, Recommendation.text)
            .where(Recommendation.plan_id == moves.from_review.plan_id)
            .order_by(Recommendation.sort_key)
        ).all()
    tally: dict[int, Counter] = {r.id: Counter() for r in recs}
    for ref in moves.pairs:
        c = tally[ref.rec_id]
        c["compared"] += 1
        c["better"] += is_completed(ref.from_status, ref.to_status) or is_improved(ref.from_status, ref.to_status)
        c["worse"] += is_slipped(ref.from_status, ref.to_status)
        c["total_from"] += 1
        c["total_to"] += 1
        c["complete_from"] += ref.from_status == COMPLETE
        c["complete_to"] += ref.to_status == COMPLETE
    for ref in moves.added:
        c = tally[ref.rec_id]
        c["added"] += 1
        c["total_to"] += 1
        c["complete_to"] += ref.to_status == COMPLETE
    for ref in moves.dropped:
        c = tally[ref.rec_id]
        c["dropped"] += 1
        c["total_from"] += 1
        c["complete_from"] += ref.from_status == COMPLETE
    out = []
    for r in recs:
        c = tally[r.id]
        if not (c["total_from"] or c["total_to"]):
            continue
        out.append(
            RecommendationDirection(
                r.id,
                r.ref,
                r.text,
                c["compared"],
                c["better"],
                c["worse"],
                c["added"],
                c["dropped"],
                c["complete_from"],
                c["total_from"],
                c["complete_to"],
                c["total_to"],
                direction_of(c["better"], c["worse"]),
            )
        )
    return out


# ---------------------------------------------------------------------------
# 3. "Since the last review" summary
# ---------------------------------------------------------------------------


def _keys(refs: list[ActionRef], limit: int = 6) -> str:
    keys = [r.key for r in refs]
    if len(keys) <= limit:
        return ", ".join(keys)
    return f"{', '.join(keys[:limit])} and {len(keys) - limit} more"


def since_last_review_summary(
    engine: Engine, plan_id: int, from_review_id: int | None = None, to_review_id: int | None = None
) -> str:
    """A short plain-English paragraph, e.g. 'Since Q1 2017/18 (30 June 2017): 5 actions completed,
    2 improved, 3 slipped to red (B2.1, C3.3, E5.3), 2 newly overdue, 1 due date moved later
    (A1.2); 18 of 31 complete (58%, up from 42%).'

    Defaults to the last two reviews. Zero counts are left out; if nothing completed it says so.
    """
    if from_review_id is None or to_review_id is None:
        default_from, default_to = default_pair(engine, plan_id)
        from_review_id = default_from if from_review_id is None else from_review_id
        to_review_id = default_to if to_review_id is None else to_review_id
    moves = transitions(engine, from_review_id, to_review_id)
    src, dst = moves.from_review, moves.to_review
    if src.plan_id != plan_id:
        raise TrendsError("Those reviews belong to a different plan.")

    # (count, words after the number); zero counts are dropped below
    clauses: list[tuple[int, str]] = [(len(moves.completed), "completed"), (len(moves.improved), "improved")]
    slipped_to = Counter(r.to_status for r in moves.slipped)
    for status in (RED, "amber", "green", UNKNOWN):
        refs = [r for r in moves.slipped if r.to_status == status]
        if not refs:
            continue
        target = "no status" if status == UNKNOWN else status
        words = f"slipped to {target}"
        if status == RED:
            words += f" ({_keys(refs)})"
        clauses.append((slipped_to[status], words))
    clauses.append((len(moves.newly_overdue), "newly overdue"))

    parts = []
    for n, words in clauses:
        if n == 0:
            continue
        # The noun goes on the first number only: '5 actions completed, 3 slipped to red'.
        parts.append(f"{plural(n, 'action')} {words}" if not parts else f"{n} {words}")
    if not moves.completed:
        parts.insert(0, "no actions completed" if parts else "no actions completed, slipped or became overdue")
    if moves.due_date_moved_later:
        later = [m.action for m in moves.due_date_moved_later]
        noun = "due date" if len(later) == 1 else "due dates"
        parts.append(f"{len(later)} {noun} moved later ({_keys(later)})")
    if moves.added:
        parts.append(f"{plural(len(moves.added), 'action')} added")
    if moves.dropped:
        parts.append(f"{plural(len(moves.dropped), 'action')} dropped")

    total_to = sum(sum(row.values()) for row in moves.matrix.values()) + len(moves.added)
    complete_to = sum(row[COMPLETE] for row in moves.matrix.values()) + sum(
        a.to_status == COMPLETE for a in moves.added
    )
    total_from = sum(sum(row.values()) for row in moves.matrix.values()) + len(moves.dropped)
    complete_from = sum(moves.matrix[COMPLETE].values()) + sum(a.from_status == COMPLETE for a in moves.dropped)
    pct_to, pct_from = percent(complete_to, total_to), percent(complete_from, total_from)
    if pct_to > pct_from:
        trend = f"up from {percent_text(pct_from)}"
    elif pct_to < pct_from:
        trend = f"down from {percent_text(pct_from)}"
    else:
        trend = "unchanged"

    latest = current_reviews(engine, plan_id)[-1].id
    opening = f"Since {src.title}" if dst.id == latest else f"From {src.title} to {dst.title}"
    return f"{opening}: {', '.join(parts)}; {complete_to} of {total_to} complete ({percent_text(pct_to)}, {trend})."


# ---------------------------------------------------------------------------
# 4. Forecast
# ---------------------------------------------------------------------------

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


# ---------------------------------------------------------------------------
# 5. Staleness
# ---------------------------------------------------------------------------

NO_LEAD = "(no lead named)"

STALENESS_RULE = (
    "'No update': the action's progress note is the same as at the previous review (ignoring spacing "
    "and letter case; two blank notes are the same). Actions new since the previous review, actions "
    "complete at both reviews (nothing left to report), and every action in a plan's first review, "
    "are not marked."
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
            _effective_due(prev),
            _effective_due(cur),
            prev.id,
            prev.progress,
            cur.progress,
            _overdue_flag(cur, review.as_at),
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
            items.append(StaleAction(ref, r[12], in_previous and not closed and _same_note(r[11], r[12])))
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
