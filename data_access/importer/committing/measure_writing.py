"""Write a file's measures of success into a plan, inside the import's transaction (writing.py).

Values are history: a point whose value or target differs from the stored one is added and the old
row marked superseded (a correction, kept and listed); a point equal to the stored one is left
alone; periods the file does not give are never touched. A measure whose direction is not known is
not written (the preview lists it as a problem); a recommendation ref the plan does not have is a
problem, and the indicator is stored without that link.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import chain, repeat

from sqlalchemy import Connection, bindparam, insert, select, update

from data_access.domain.clock import utc_now
from data_access.domain.measure_rules import number_text
from data_access.domain.tracker_rows import clean_ref
from data_access.domain.wording import long_date
from data_access.importer.parsed import ParsedMeasure, Problem
from data_access.storage.schema import (
    Indicator,
    IndicatorRecommendation,
    IndicatorValue,
    MeasureImport,
    Recommendation,
)


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
    """Write in a handful of statements whatever the number of points (bench/bench_measures.py):
    the stored state is read once, then indicators, links and values are inserted many at a time."""
    out = MeasuresWritten()
    writing = [m for m in measures if m.better is not None]
    if not writing:
        return out
    recs = {
        _ref_key(ref): rid
        for rid, ref in conn.execute(
            select(Recommendation.id, Recommendation.ref).where(Recommendation.plan_id == plan_id)
        )
    }
    ids = dict(conn.execute(select(Indicator.name, Indicator.id).where(Indicator.plan_id == plan_id)).all())
    new = [m for m in writing if m.name not in ids]
    stored = [m for m in writing if m.name in ids]
    if stored:  # one statement for every indicator the plan already has
        conn.execute(
            update(Indicator)
            .where(Indicator.id == bindparam("indicator_id"))
            .values(unit=bindparam("new_unit"), better=bindparam("new_better"), owner=bindparam("new_owner"),
                    source=bindparam("new_source")),
            [{"indicator_id": ids[m.name], "new_unit": m.unit, "new_better": m.better, "new_owner": m.owner,
              "new_source": m.source} for m in stored],
        )  # fmt: skip
    if new:
        first = len(ids)
        rows = conn.execute(
            insert(Indicator).returning(Indicator.id, Indicator.name, sort_by_parameter_order=True),
            [
                {"plan_id": plan_id, "name": m.name, "unit": m.unit, "better": m.better, "owner": m.owner,
                 "source": m.source, "sort_order": first + order}
                for order, m in enumerate(new)
            ],
        ).all()  # fmt: skip
        ids.update({name: iid for iid, name in rows})
    # The links and current points of the indicators the plan already had (a new indicator has none),
    # read for the whole plan: no list of ids bound into the query.
    linked: set[tuple[int, int]] = set()
    current: dict[tuple[int, dt.date], tuple] = {}
    if stored:
        linked = set(
            conn.execute(
                select(IndicatorRecommendation.indicator_id, IndicatorRecommendation.recommendation_id)
                .join(Indicator, Indicator.id == IndicatorRecommendation.indicator_id)
                .where(Indicator.plan_id == plan_id)
            ).all()
        )
        current = {
            (row.indicator_id, row.period_end): row
            for row in conn.execute(
                select(
                    IndicatorValue.id, IndicatorValue.indicator_id, IndicatorValue.period_end, IndicatorValue.value,
                    IndicatorValue.target,
                )
                .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
                .where(Indicator.plan_id == plan_id, IndicatorValue.superseded_by_id.is_(None))
            )
        }  # fmt: skip
    # values: (indicator_id, period_end, value, target) per point to add; every point of this import
    # names its measure_import row, written once below when there is a point to add.
    links, values, corrected = [], [], []  # corrected: (old row, index into values, measure, point)
    fresh: list[tuple[int, list]] = []  # (indicator id, its points) when the plan has no stored points
    for m in writing:
        indicator_id = ids[m.name]
        for ref in m.recommendations:
            rid = recs.get(_ref_key(ref))
            if rid is None:
                out.problems.append(
                    Problem(m.sheet, m.row, None, f"'{m.name}' names recommendation '{ref}', which the plan does not "
                            "have; the measure is kept without that link.")
                )  # fmt: skip
            elif (indicator_id, rid) not in linked:
                links.append({"indicator_id": indicator_id, "recommendation_id": rid})
                linked.add((indicator_id, rid))
        if not current:  # a first import: every point is new (the common, large case), streamed below
            fresh.append((indicator_id, m.points))
            added = len(m.points)
        else:
            before = len(values)
            for point in m.points:
                old = current.get((indicator_id, point.period_end))
                if old is not None and old.value == point.value and old.target == point.target:
                    continue
                if old is not None:
                    corrected.append((old, len(values), m, point))
                values.append((indicator_id, point.period_end, point.value, point.target))
            added = len(values) - before
        if added or m in new:
            out.indicators += 1
        out.points += added
    if links:
        conn.execute(insert(IndicatorRecommendation.__table__), links)
    if corrected:
        # Free each corrected period first (one current row per period, always): point the old row
        # at itself, then at its replacement once that has an id.
        conn.execute(
            update(IndicatorValue)
            .where(IndicatorValue.id == bindparam("old"))
            .values(superseded_by_id=bindparam("old")),
            [{"old": old.id} for old, *_ in corrected],
        )
    if not (values or any(points for _, points in fresh)):
        return out
    import_id = conn.execute(
        insert(MeasureImport).returning(MeasureImport.id),
        {
            "plan_id": plan_id,
            "source": source,
            "sha256": sha256,
            "imported_at": utc_now().replace(tzinfo=None),
            "imported_by": imported_by,
        },
    ).scalar_one()
    shared = {"import_id": import_id}
    if values and corrected:
        table = IndicatorValue.__table__
        rows = [dict(zip(POINT_COLUMNS, v, strict=True), **shared) for v in values]
        new_ids = conn.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), rows).scalars().all()
        conn.execute(
            update(IndicatorValue)
            .where(IndicatorValue.id == bindparam("old"))
            .values(superseded_by_id=bindparam("new")),
            [{"old": old.id, "new": new_ids[index]} for old, index, *_ in corrected],
        )
        out.corrections = [_correction(m, point.period_end, old, point) for old, _, m, point in corrected]
    elif values:
        _insert_points(conn, ((iid, [(end, v, t)]) for iid, end, v, t in values), shared)
    if fresh:
        _insert_points(conn, fresh, shared)
    return out


POINT_COLUMNS = ("indicator_id", "period_end", "value", "target")


def _insert_points(conn: Connection, groups: Iterable[tuple[int, Iterable[tuple]]], shared: dict[str, object]) -> None:
    """INSERT the points, given as (indicator id, its (period_end, value, target) points) pairs,
    through the driver's executemany, one statement: each value converted by its column type's own
    bind processor (what SQLAlchemy would send), a column's distinct values converted once (36 months
    of dates, not 7,200), the columns every point shares (its import) converted once. 200
    indicators x 36 months is 7,200 rows, and building SQLAlchemy's parameters row by row cost more
    than the database's work (bench/bench_measures.py)."""
    table = IndicatorValue.__table__
    dialect = conn.dialect

    def processor(column: str):
        return table.c[column].type.dialect_impl(dialect).bind_processor(dialect)

    tail = tuple(v if v is None or (p := processor(c)) is None else p(v) for c, v in shared.items())
    to_id, to_end, to_value, to_target = (processor(c) for c in POINT_COLUMNS)
    columns = POINT_COLUMNS + tuple(shared)
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    quote = dialect.identifier_preparer.quote
    sql = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in columns)}) "
        f"VALUES ({', '.join([mark] * len(columns))})"
    )
    ends: dict = {}  # few distinct periods: each converted once

    def stored_end(period_end):
        return period_end if to_end is None or period_end is None else to_end(period_end)

    def rows_of(indicator_id, points):
        """One indicator's rows, assembled by zip and map: no Python statement per point."""
        stored_id = indicator_id if indicator_id is None or to_id is None else to_id(indicator_id)
        period_ends, values, targets = zip(*points, strict=True) if points else ((), (), ())
        for period_end in set(period_ends).difference(ends):
            ends[period_end] = stored_end(period_end)
        if to_value is not None:
            values = [v if v is None else to_value(v) for v in values]
        if to_target is not None:
            targets = [t if t is None else to_target(t) for t in targets]
        return zip(repeat(stored_id), map(ends.__getitem__, period_ends), values, targets, *map(repeat, tail))

    rows = chain.from_iterable(rows_of(indicator_id, points) for indicator_id, points in groups)

    # Streamed to the driver's executemany on this transaction's connection: no list of every row is
    # held (fewer live objects, fewer full garbage collections during a large import).
    cursor = conn.connection.cursor()
    try:
        cursor.executemany(sql, rows)
    finally:
        cursor.close()


def _correction(m: ParsedMeasure, period_end: dt.date, old, new) -> str:
    """ "Re-referrals, 30 April 2017: 22% -> 21% (target 20% -> 20%)"."""
    text = f"{m.name}, {long_date(period_end)}: {number_text(old.value, m.unit)} -> {number_text(new.value, m.unit)}"
    if old.target != new.target:
        text += f" (target {number_text(old.target, m.unit)} -> {number_text(new.target, m.unit)})"
    return text


def stored_corrections(conn: Connection, plan_id: int | None, measures: list[ParsedMeasure]) -> list[str]:
    """What importing `measures` would correct (stored points whose value or target differ), for the
    preview, without writing: the plan's current points in one query, not one per indicator."""
    if plan_id is None or not measures:
        return []
    ids = dict(conn.execute(select(Indicator.name, Indicator.id).where(Indicator.plan_id == plan_id)).all())
    if not any(m.name in ids and m.better is not None for m in measures):
        return []
    current = {
        (row.indicator_id, row.period_end): row
        for row in conn.execute(
            select(IndicatorValue.indicator_id, IndicatorValue.period_end, IndicatorValue.value, IndicatorValue.target)
            .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
            .where(Indicator.plan_id == plan_id, IndicatorValue.superseded_by_id.is_(None))
        )
    }
    out = []
    for m in measures:
        if m.name not in ids or m.better is None:
            continue
        indicator_id = ids[m.name]
        for p in m.points:
            old = current.get((indicator_id, p.period_end))
            if old is not None and (old.value != p.value or old.target != p.target):
                out.append(_correction(m, p.period_end, old, p))
    return out
