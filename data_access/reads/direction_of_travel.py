"""Each recommendation's direction of travel between two reviews (DIRECTION_RULE) and the counts
behind its arrow."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import Engine, select

from data_access.domain.movement_rules import (
    ARROWS,
    direction_of,
    is_completed,
    is_improved,
    is_slipped,
)
from data_access.domain.rules import (
    COMPLETE,
    percent,
)
from data_access.reads.movements import transitions
from data_access.storage.schema import Recommendation


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
