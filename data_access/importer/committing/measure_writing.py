"""Write a file's measures of success into a plan, inside the import's transaction (writing.py).

Values are history: a point whose value or target differs from the stored one is added and the old
row marked superseded (a correction, kept and listed); a point equal to the stored one is left
alone; periods the file does not give are never touched. A measure whose direction is not known is
not written (the preview lists it as a problem); a recommendation ref the plan does not have is a
problem, and the indicator is stored without that link.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import Connection, insert, select, update

from data_access.domain.clock import utc_now
from data_access.domain.measure_rules import number_text
from data_access.domain.tracker_rows import clean_ref
from data_access.domain.wording import long_date
from data_access.importer.parsed import ParsedMeasure, Problem
from data_access.storage.schema import Indicator, IndicatorRecommendation, IndicatorValue, Recommendation


@dataclass
class MeasuresWritten:
    indicators: int = 0  # indicators added or given new points
    points: int = 0  # points added (new periods and corrections)
    corrections: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _ref_key(ref: str) -> str:
    return clean_ref(ref).lower()


def write_measures(
    conn: Connection,
    plan_id: int,
    measures: list[ParsedMeasure],
    *,
    source: str,
    sha256: str | None,
    imported_by: str | None,
) -> MeasuresWritten:
    out = MeasuresWritten()
    recs = {
        _ref_key(ref): rid
        for rid, ref in conn.execute(
            select(Recommendation.id, Recommendation.ref).where(Recommendation.plan_id == plan_id)
        )
    }
    stored = {
        name: (iid, better)
        for iid, name, better in conn.execute(
            select(Indicator.id, Indicator.name, Indicator.better).where(Indicator.plan_id == plan_id)
        )
    }
    now = utc_now().replace(tzinfo=None)
    for order, m in enumerate(measures):
        if m.better is None:
            continue
        if m.name in stored:
            indicator_id = stored[m.name][0]
            conn.execute(
                update(Indicator)
                .where(Indicator.id == indicator_id)
                .values(unit=m.unit, better=m.better, owner=m.owner, source=m.source)
            )
        else:
            indicator_id = conn.execute(
                insert(Indicator)
                .values(plan_id=plan_id, name=m.name, unit=m.unit, better=m.better, owner=m.owner, source=m.source,
                        sort_order=order)
                .returning(Indicator.id)
            ).scalar_one()  # fmt: skip
        linked = set(
            conn.execute(
                select(IndicatorRecommendation.recommendation_id).where(
                    IndicatorRecommendation.indicator_id == indicator_id
                )
            ).scalars()
        )
        for ref in m.recommendations:
            rid = recs.get(_ref_key(ref))
            if rid is None:
                out.problems.append(
                    Problem(m.sheet, m.row, None, f"'{m.name}' names recommendation '{ref}', which the plan does not "
                            "have; the measure is kept without that link.")
                )  # fmt: skip
            elif rid not in linked:
                conn.execute(insert(IndicatorRecommendation).values(indicator_id=indicator_id, recommendation_id=rid))
                linked.add(rid)
        current = {
            row.period_end: row
            for row in conn.execute(
                select(IndicatorValue.id, IndicatorValue.period_end, IndicatorValue.value, IndicatorValue.target).where(
                    IndicatorValue.indicator_id == indicator_id, IndicatorValue.superseded_by_id.is_(None)
                )
            )
        }
        added = 0
        for point in m.points:
            old = current.get(point.period_end)
            if old is not None and old.value == point.value and old.target == point.target:
                continue
            if old is not None:
                # Free the period for the new row first: one current row per period, always.
                conn.execute(update(IndicatorValue).where(IndicatorValue.id == old.id).values(superseded_by_id=old.id))
            new_id = conn.execute(
                insert(IndicatorValue)
                .values(indicator_id=indicator_id, period_end=point.period_end, value=point.value, target=point.target,
                        source=source, sha256=sha256, imported_at=now, imported_by=imported_by)
                .returning(IndicatorValue.id)
            ).scalar_one()  # fmt: skip
            if old is not None:
                conn.execute(update(IndicatorValue).where(IndicatorValue.id == old.id).values(superseded_by_id=new_id))
                out.corrections.append(_correction(m, point.period_end, old, point))
            added += 1
        if added or m.name not in stored:
            out.indicators += 1
        out.points += added
    return out


def _correction(m: ParsedMeasure, period_end: dt.date, old, new) -> str:
    """ "Re-referrals, 30 April 2017: 22% -> 21% (target 20% -> 20%)"."""
    text = f"{m.name}, {long_date(period_end)}: {number_text(old.value, m.unit)} -> {number_text(new.value, m.unit)}"
    if old.target != new.target:
        text += f" (target {number_text(old.target, m.unit)} -> {number_text(new.target, m.unit)})"
    return text


def stored_corrections(conn: Connection, plan_id: int | None, measures: list[ParsedMeasure]) -> list[str]:
    """What importing `measures` would correct (stored points whose value or target differ), for the
    preview, without writing."""
    if plan_id is None:
        return []
    ids = dict(conn.execute(select(Indicator.name, Indicator.id).where(Indicator.plan_id == plan_id)).all())
    out = []
    for m in measures:
        if m.name not in ids or m.better is None:
            continue
        current = {
            row.period_end: row
            for row in conn.execute(
                select(IndicatorValue.period_end, IndicatorValue.value, IndicatorValue.target).where(
                    IndicatorValue.indicator_id == ids[m.name], IndicatorValue.superseded_by_id.is_(None)
                )
            )
        }
        for p in m.points:
            old = current.get(p.period_end)
            if old is not None and (old.value != p.value or old.target != p.target):
                out.append(_correction(m, p.period_end, old, p))
    return out
