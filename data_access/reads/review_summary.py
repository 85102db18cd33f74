"""The plain-English "since the last review" paragraph."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import Engine

from data_access.domain.rules import (
    COMPLETE,
    RED,
    UNKNOWN,
    percent,
)
from data_access.domain.wording import percent_text, plural
from data_access.reads.measures import plan_crossings
from data_access.reads.movements import ActionRef, transitions
from data_access.reads.review_lookup import TrendsError, current_reviews, default_pair


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
    (A1.2); red now: 4 actions (A1.1, B2.1, C3.3, E5.3); 18 of 31 complete (58%, up from 42%).'

    Defaults to the last two reviews. Zero counts are left out; if nothing completed it says so.
    What is red at the later review is always said (in plan order, added actions last), 'red now:
    none' when nothing is. Measures of success that moved across their target between the two
    reviews' dates are named last ('; measures now at target: Visits in time; measure no longer at
    target: Re-referrals'), left out when none did.
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

    red_now = [r for r in moves.pairs if r.to_status == RED] + [a for a in moves.added if a.to_status == RED]
    red_words = f"red now: {plural(len(red_now), 'action')} ({_keys(red_now)})" if red_now else "red now: none"

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
    completion = f"{complete_to} of {total_to} complete ({percent_text(pct_to)}, {trend})"
    measures = plan_crossings(engine, plan_id, src.as_at, dst.as_at).text
    return f"{opening}: {', '.join(parts)}; {red_words}; {completion}{f'; {measures}' if measures else ''}."
