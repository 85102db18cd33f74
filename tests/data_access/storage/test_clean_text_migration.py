"""Migration 0003: text stored before the one rule for text (data_access/domain/clean_text) is
cleaned by it, on SQLite and PostgreSQL: every text column of the stored plans, names that must
stay unique kept apart, the content hash of a changed plan's reviews recomputed from its rows."""

from __future__ import annotations

import datetime as dt
import json

from alembic import command
from sqlalchemy import select, text

from data_access.domain.rules import AMBER, RED, parse_timescale
from data_access.domain.tracker_rows import PlanInfo, ReviewSnapshot, TrackerRow
from data_access.storage import plan_writer
from data_access.storage.database import alembic_config, is_at_head, upgrade, write_transaction
from data_access.storage.schema import Action, ActionUpdate, Plan, Recommendation, Review

# What older versions stored (PostgreSQL text cannot hold NUL; nothing else is spared).
DIRTY = "Soft\x0breturn\x01\x1c\x7f\x1b[0m\ufffe\u2028end\u202e"
CLEAN = "Soft\nreturn    [0m \nend\u202e"  # four controls, four spaces


def _store(engine) -> dict:
    rows = [
        TrackerRow("1" + DIRTY, "Rec " + DIRTY, "Act " + DIRTY, action_id="1.1" + DIRTY, lead=DIRTY, partner=DIRTY,
                   measure=DIRTY, status=RED, status_raw="Red" + DIRTY, timescale=parse_timescale("June 2018" + DIRTY),
                   progress=DIRTY, evidence=DIRTY),
        TrackerRow("2", "Clean rec", "Clean action", action_id="2.1", lead="Head of Service", status=AMBER,
                   status_raw=AMBER, timescale=parse_timescale("31/03/2019"), progress="On its way"),
    ]  # fmt: skip
    with write_transaction(engine) as conn:
        dirty = plan_writer.ensure_plan(conn, PlanInfo(name="Plan" + DIRTY, organisation="Org" + DIRTY))
        # A plan whose name is what the dirty one cleans to: the two must stay apart.
        taken = plan_writer.ensure_plan(conn, PlanInfo(name="Plan" + CLEAN))
        review = plan_writer.save_review(
            conn, dirty, ReviewSnapshot(dt.date(2018, 6, 30), rows, label="Q1" + DIRTY), source="f" + DIRTY
        )
        conn.execute(
            Plan.__table__.update()
            .where(Plan.id == dirty)
            .values(column_mapping=json.dumps({"Action" + DIRTY: "description"}))
        )
    return {"dirty": dirty, "taken": taken, "review": review}


def _downgrade_to_0002(engine) -> None:
    """Back to the schema before 0003, as storage.database upgrades: with SQLite's foreign keys off,
    since a batch migration rebuilds a table (a later migration's downgrade rebuilds plan) and the
    DROP would otherwise cascade-delete its child rows."""
    with engine.connect().execution_options(write=True) as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")
        try:
            command.downgrade(alembic_config(conn), "0002")
            conn.commit()
        finally:
            if sqlite:
                conn.rollback()
                conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=ON")


def _back_to_0002_with_dirty_text(engine) -> dict:
    ids = _store(engine)
    _downgrade_to_0002(engine)
    assert not is_at_head(engine)
    return ids


def test_the_migration_cleans_every_stored_text_column(any_engine):
    ids = _back_to_0002_with_dirty_text(any_engine)
    upgrade(any_engine)
    assert is_at_head(any_engine)
    with any_engine.connect() as conn:
        plans = dict(conn.execute(select(Plan.id, Plan.name)).all())
        assert plans == {ids["dirty"]: "Plan" + CLEAN + " (2)", ids["taken"]: "Plan" + CLEAN}
        plan = conn.execute(select(Plan).where(Plan.id == ids["dirty"])).one()
        assert plan.organisation == "Org" + CLEAN
        assert json.loads(plan.column_mapping) == {"Action" + CLEAN: "description"}
        rec = conn.execute(select(Recommendation).where(Recommendation.text == "Rec " + CLEAN)).one()
        assert rec.ref == "1" + CLEAN
        action = conn.execute(select(Action).where(Action.description == "Act " + CLEAN)).one()
        assert (action.key, action.lead, action.partner, action.measure) == ("1.1" + CLEAN, CLEAN, CLEAN, CLEAN)
        update = conn.execute(select(ActionUpdate).where(ActionUpdate.action_id == action.id)).one()
        assert (update.status_raw, update.due_raw, update.progress, update.evidence) == (
            "Red" + CLEAN, "June 2018" + CLEAN, CLEAN, CLEAN,
        )  # fmt: skip
        review = conn.execute(select(Review).where(Review.id == ids["review"])).one()
        assert (review.label, review.source, review.content_sha256) == ("Q1" + CLEAN, "f" + CLEAN, None)
        assert plan_writer.stored_content_hash(conn, ids["review"])  # the importer recomputes it from the rows
        # Nothing dirty is left in any text column.
        for table, column in [("plan", "name"), ("action", "description"), ("action_update", "progress")]:
            values = conn.execute(text(f'SELECT "{column}" FROM "{table}"')).scalars()
            assert all("\x0b" not in v and "\x01" not in v and "\ufffe" not in v for v in values if v)
        assert conn.execute(select(Action.description).where(Action.key == "2.1")).scalar() == "Clean action"


def test_the_migration_is_a_no_op_on_clean_text(engine):
    from tests.fixtures import populate_board

    ids = populate_board(engine)
    with engine.connect() as conn:
        before = conn.execute(select(Review.id, Review.content_sha256).order_by(Review.id)).all()
        names = conn.execute(select(Action.description).order_by(Action.id)).scalars().all()
    _downgrade_to_0002(engine)
    upgrade(engine)
    with engine.connect() as conn:
        assert conn.execute(select(Review.id, Review.content_sha256).order_by(Review.id)).all() == before
        assert conn.execute(select(Action.description).order_by(Action.id)).scalars().all() == names
    assert ids["plan"]
