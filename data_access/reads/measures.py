"""A plan's measures of success as stored: each indicator with its current points (the latest import
of each period), the recommendations it evidences, and where it stands (domain/measure_rules.py:
latest value, target, Met / Not met / No data, change since the previous period)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from sqlalchemy import Engine, select

from data_access.domain import measure_rules
from data_access.domain.tracker_rows import ref_sort_key
from data_access.storage.schema import Indicator, IndicatorRecommendation, IndicatorValue, Recommendation, Review


@dataclass(frozen=True)
class Point:
    period_end: dt.date
    value: float | None
    target: float | None


@dataclass(frozen=True)
class Measure:
    id: int
    name: str
    unit: str
    better: str
    owner: str | None
    source: str | None
    recommendations: tuple[str, ...]  # refs as printed, in natural order
    points: tuple[Point, ...]  # in period order
    corrected: int  # points whose value was corrected by a later import (the earlier values are kept)

    @property
    def standing(self) -> measure_rules.Standing:
        return measure_rules.standing(self.points, self.better)

    def as_at(self, day: dt.date | None) -> Measure:
        """The measure as it stood on `day`: only the periods ending by then (None: all)."""
        if day is None:
            return self
        return replace(self, points=tuple(p for p in self.points if p.period_end <= day))

    @property
    def summary(self) -> str:
        return measure_rules.summary_text(self.name, self.unit, self.standing)

    @property
    def change(self) -> str:
        return measure_rules.change_text(self.standing, self.unit)

    @property
    def history(self) -> tuple[HistoryRow, ...]:
        """Every period in order with its value, the target in force and Met / Not met / No data in
        words: the table of values beside each chart (trends, slides, the pack)."""
        rows = []
        for p in self.points:
            target = measure_rules.target_in_force(self.points, p.period_end)
            met = measure_rules.is_met(p.value, target, self.better)
            rows.append(
                HistoryRow(
                    p.period_end,
                    p.value,
                    target,
                    measure_rules.number_text(p.value, self.unit),
                    measure_rules.number_text(target, self.unit) if target is not None else "none",
                    measure_rules.met_word(met),
                )
            )
        return tuple(rows)


@dataclass(frozen=True)
class HistoryRow:
    period_end: dt.date
    value: float | None
    target: float | None  # the target in force for the period
    value_text: str
    target_text: str
    word: str  # Met / Not met / No data


def plan_measures(engine: Engine, plan_id: int) -> list[Measure]:
    """The plan's indicators in the order first imported, each with its current points."""
    with engine.connect() as conn:
        indicators = conn.execute(
            select(Indicator.id, Indicator.name, Indicator.unit, Indicator.better, Indicator.owner, Indicator.source)
            .where(Indicator.plan_id == plan_id)
            .order_by(Indicator.sort_order, Indicator.id)
        ).all()
        ids = [i.id for i in indicators]
        if not ids:
            return []
        refs: dict[int, list[str]] = {}
        for iid, ref in conn.execute(
            select(IndicatorRecommendation.indicator_id, Recommendation.ref)
            .join(Recommendation, Recommendation.id == IndicatorRecommendation.recommendation_id)
            .where(IndicatorRecommendation.indicator_id.in_(ids))
        ):
            refs.setdefault(iid, []).append(ref)
        points: dict[int, list[Point]] = {}
        corrected: dict[int, int] = {}
        for iid, end, value, target, superseded in conn.execute(
            select(
                IndicatorValue.indicator_id,
                IndicatorValue.period_end,
                IndicatorValue.value,
                IndicatorValue.target,
                IndicatorValue.superseded_by_id,
            )
            .where(IndicatorValue.indicator_id.in_(ids))
            .order_by(IndicatorValue.period_end)
        ):
            if superseded is None:
                points.setdefault(iid, []).append(Point(end, value, target))
            else:
                corrected[iid] = corrected.get(iid, 0) + 1
    return [
        Measure(
            i.id,
            i.name,
            i.unit,
            i.better,
            i.owner,
            i.source,
            tuple(sorted(refs.get(i.id, []), key=ref_sort_key)),
            tuple(points.get(i.id, [])),
            corrected.get(i.id, 0),
        )
        for i in indicators
    ]


def by_recommendation(measures: list[Measure]) -> dict[str, list[Measure]]:
    """{recommendation ref: its measures}."""
    out: dict[str, list[Measure]] = {}
    for m in measures:
        for ref in m.recommendations:
            out.setdefault(ref, []).append(m)
    return out


def at_target(measures: list[Measure], as_at: dt.date | None = None) -> tuple[int, int]:
    """(met, total) over the plan's measures as they stood on as_at: 'Measures at target: 5 of 9'."""
    return measure_rules.at_target(m.as_at(as_at).standing for m in measures)


@dataclass(frozen=True)
class AtTarget:
    """The overview's figure: measures at target as at the review, and as at the previous review."""

    met: int
    total: int
    previous_met: int | None  # None for a plan's first review

    @property
    def text(self) -> str:
        return measure_rules.at_target_text(self.met, self.total)

    @property
    def change(self) -> int | None:
        return None if self.previous_met is None else self.met - self.previous_met


def at_target_figure(engine: Engine, plan_id: int, as_at: dt.date | None, previous_review_id: int | None):
    """AtTarget for the overview, or None when the plan has no measures."""
    found = plan_measures(engine, plan_id)
    if not found:
        return None
    met, total = at_target(found, as_at)
    previous_met = None
    if previous_review_id is not None:
        with engine.connect() as conn:
            before = conn.execute(select(Review.as_at).where(Review.id == previous_review_id)).scalar_one_or_none()
        if before is not None:
            previous_met = at_target(found, before)[0]
    return AtTarget(met, total, previous_met)


@dataclass(frozen=True)
class Crossings:
    """Measures that moved across their target between two dates, by name in plan order."""

    became_met: tuple[str, ...]
    stopped_met: tuple[str, ...]

    @property
    def text(self) -> str | None:
        return measure_rules.crossing_text(self.became_met, self.stopped_met)


def crossings(measures: list[Measure], before: dt.date, after: dt.date) -> Crossings:
    """Which measures became met, and which stopped being met, between the standing as at `before`
    and as at `after` (measure_rules.crossing)."""
    moved: dict[str, list[str]] = {measure_rules.BECAME_MET: [], measure_rules.STOPPED_MET: []}
    for m in measures:
        way = measure_rules.crossing(m.as_at(before).standing.met, m.as_at(after).standing.met)
        if way is not None:
            moved[way].append(m.name)
    return Crossings(tuple(moved[measure_rules.BECAME_MET]), tuple(moved[measure_rules.STOPPED_MET]))


def plan_crossings(engine: Engine, plan_id: int, before: dt.date, after: dt.date) -> Crossings:
    return crossings(plan_measures(engine, plan_id), before, after)
