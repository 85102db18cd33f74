"""Migration 0012: a measure point's provenance (file, hash, time, importer) moves from each point to
one measure_import row per import, on SQLite and PostgreSQL, and back on downgrade, keeping every
point, its id, its correction link and where it came from."""

from __future__ import annotations

from alembic import command
from sqlalchemy import select, text

from data_access.reads import measures
from data_access.storage.database import alembic_config, is_at_head, upgrade
from data_access.storage.schema import IndicatorValue, MeasureImport
from tests.data_access.importer.test_measure_import import _import, _tracker

POINTS_BEFORE_0012 = (
    "SELECT v.id, i.name, v.period_end, v.value, v.target, v.source, v.sha256, v.imported_by, v.superseded_by_id"
    " FROM indicator_value v JOIN indicator i ON i.id = v.indicator_id ORDER BY v.id"
)


def _downgrade_to(engine, revision: str) -> None:
    """As storage.database upgrades: SQLite's foreign keys off while tables are rebuilt."""
    with engine.connect().execution_options(write=True) as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")
        try:
            command.downgrade(alembic_config(conn), revision)
            conn.commit()
        finally:
            if sqlite:
                conn.rollback()
                conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=ON")


def _points_at_head(engine) -> list[tuple]:
    with engine.connect() as conn:
        return [
            tuple(r)
            for r in conn.execute(
                text(
                    "SELECT v.id, i.name, v.period_end, v.value, v.target, m.source, m.sha256, m.imported_by,"
                    " v.superseded_by_id FROM indicator_value v JOIN indicator i ON i.id = v.indicator_id"
                    " JOIN measure_import m ON m.id = v.import_id ORDER BY v.id"
                )
            )
        ]


def test_points_keep_their_provenance_through_downgrade_and_upgrade(any_engine):
    _, first = _import(any_engine, _tracker("30 June 2017", ["78%", "82%", "n/a"], ["22%", "21%", "19%"]), "q1.xlsx")
    _, second = _import(
        any_engine, _tracker("30 September 2017", ["78%", "79%", "81%"], ["22%", "21%", "23%"]), "q2.xlsx"
    )
    at_head = _points_at_head(any_engine)
    # Six points from q1, three from q2 (two corrections and June's first value), one import row each.
    assert [(r[5], r[7]) for r in at_head] == [("q1.xlsx", "tester")] * 6 + [("q2.xlsx", "tester")] * 3
    with any_engine.connect() as conn:
        assert conn.execute(select(MeasureImport.source).order_by(MeasureImport.id)).scalars().all() == [
            "q1.xlsx",
            "q2.xlsx",
        ]
    superseded = [r for r in at_head if r[8] is not None]
    assert len(superseded) == 3 and all(r[8] > r[0] for r in superseded)

    _downgrade_to(any_engine, "0011")
    with any_engine.connect() as conn:
        before_0012 = [tuple(r) for r in conn.execute(text(POINTS_BEFORE_0012))]
        tables = {"measure_import"} & set(conn.dialect.get_table_names(conn))
    assert before_0012 == at_head  # every point, its id, its link and its provenance on the row again
    assert tables == set()

    upgrade(any_engine)
    assert is_at_head(any_engine)
    assert _points_at_head(any_engine) == at_head
    with any_engine.connect() as conn:
        # One import row per file: the two files' points share theirs again.
        assert conn.execute(select(MeasureImport.source).order_by(MeasureImport.id)).scalars().all() == [
            "q1.xlsx",
            "q2.xlsx",
        ]

    # New points after the rebuilt table are numbered after the copied ones (PostgreSQL's sequence).
    _, third = _import(
        any_engine, _tracker("31 December 2017", ["78%", "79%", "85%"], ["22%", "21%", "23%"]), "q3.xlsx"
    )
    with any_engine.connect() as conn:
        newest = conn.execute(select(IndicatorValue.id).order_by(IndicatorValue.id.desc()).limit(1)).scalar_one()
    assert newest > max(r[0] for r in at_head)
    visits = {m.name: m for m in measures.plan_measures(any_engine, third.plan_id)}["Visits in time"]
    assert [p.value for p in visits.points] == [78.0, 79.0, 85.0]
    assert first.plan_id == second.plan_id == third.plan_id
