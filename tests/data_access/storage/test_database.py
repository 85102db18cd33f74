"""The data layer on both backends: migrations, the one writer, the read queries, transactions,
SQLite tuning, where the database URL comes from, and the command line."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import text

from data_access.domain.rules import AMBER, COMPLETE, GREEN, RED, UNKNOWN, parse_timescale
from data_access.domain.tracker_rows import PlanInfo, ReviewSnapshot, TrackerRow
from data_access.reads import catalogue, review_figures
from data_access.storage import database, plan_writer
from data_access.storage.database import is_at_head, make_engine, table_names, upgrade, write_transaction

AS_AT = dt.date(2024, 6, 30)
TABLES = {"plan", "recommendation", "action", "review", "action_update", "alembic_version"}


def sample_plan() -> tuple[PlanInfo, ReviewSnapshot]:
    info = PlanInfo(
        name="Northshire ILACS 2024",
        organisation="Northshire County Council",
        inspection_type="ILACS",
        inspection_start=dt.date(2024, 1, 8),
        inspection_end=dt.date(2024, 1, 19),
        published_on=dt.date(2024, 3, 1),
        target_date=dt.date(2025, 3, 31),
    )
    rows = [
        TrackerRow(
            "1",
            "Strengthen the front door",
            "Audit MASH thresholds",
            action_id="1.1",
            lead="Head of MASH",
            status=COMPLETE,
            status_raw="Complete",
            timescale=parse_timescale("31/03/2024"),
            source_row=5,
        ),
        TrackerRow(
            "1",
            "Strengthen the front door",
            "Train partners on thresholds",
            action_id="1.2",
            status=RED,
            status_raw="R",
            timescale=parse_timescale("May 2024"),
            source_row=6,
        ),
        TrackerRow(
            "10",
            "Care leavers' accommodation",
            "Commission supported lodgings",
            status=GREEN,
            status_raw="Green",
            timescale=parse_timescale("31/12/2024"),
            source_row=8,
        ),
        TrackerRow(
            "2",
            "Supervision quality",
            "Monthly supervision audit",
            status=AMBER,
            status_raw="Amber",
            timescale=parse_timescale("Ongoing"),
            source_row=7,
        ),
        TrackerRow(
            "a)",
            "Management oversight",
            "Oversight template in case records",
            status=UNKNOWN,
            status_raw=None,
            timescale=parse_timescale(None),
            source_row=9,
        ),
    ]
    return info, ReviewSnapshot(as_at=AS_AT, rows=rows, sheet="Action plan")


def populate(engine) -> tuple[int, int]:
    info, snapshot = sample_plan()
    with write_transaction(engine) as conn:
        plan_id = plan_writer.ensure_plan(conn, info)
        review_id = plan_writer.save_review(
            conn,
            plan_id,
            snapshot,
            source="tracker.xlsx",
            sha256="ab" * 32,
            imported_by="test",
            imported_at=dt.datetime(2024, 7, 1, 9, 30),
        )
    return plan_id, review_id


def read_back(engine, plan_id: int, review_id: int) -> dict:
    return {
        "plans": catalogue.list_plans(engine),
        "kpis": review_figures.review_kpis(engine, review_id, AS_AT),
        "by_rec": review_figures.status_by_recommendation(engine, review_id, AS_AT),
        "actions": review_figures.review_actions(engine, review_id, AS_AT),
    }


# ---------------------------------------------------------------------------
# Both backends
# ---------------------------------------------------------------------------


def test_upgrade_reaches_head_and_is_idempotent(any_engine):
    assert is_at_head(any_engine)
    assert set(table_names(any_engine)) >= TABLES
    upgrade(any_engine)  # a second run changes nothing
    assert is_at_head(any_engine)


def test_fresh_database_is_not_at_head(any_engine, tmp_path):
    blank = make_engine(f"sqlite:///{tmp_path / 'blank.db'}")
    try:
        assert not is_at_head(blank)
    finally:
        blank.dispose()


def test_write_then_read_back(any_engine):
    plan_id, review_id = populate(any_engine)
    got = read_back(any_engine, plan_id, review_id)

    plans = got["plans"]
    assert plans["name"].tolist() == ["Northshire ILACS 2024"]
    assert plans.loc[0, "reviews"] == 1
    assert pd.Timestamp(plans.loc[0, "latest_as_at"]).date() == AS_AT

    kpis = got["kpis"]
    assert (kpis.actions, kpis.complete, kpis.green, kpis.amber, kpis.red, kpis.unknown) == (5, 1, 1, 1, 1, 1)
    assert kpis.overdue == 1  # only the red action due May 2024; Ongoing and blank are never overdue
    assert kpis.pct_complete == 20

    by_rec = got["by_rec"]
    assert by_rec["ref"].tolist() == ["1", "2", "10", "a"]  # natural order; 'a)' stored as 'a'
    assert by_rec["total"].tolist() == [2, 1, 1, 1]
    assert by_rec["overdue"].tolist() == [1, 0, 0, 0]

    actions = got["actions"].set_index("key")
    assert actions.loc["1.2", "overdue"]
    assert actions.loc["1.2", "days_overdue"] == 30  # due 31 May, as of 30 June
    assert not actions["overdue"].drop("1.2").any()
    assert actions.loc["1.1", "lead"] == "Head of MASH"


def test_same_results_on_sqlite_and_postgresql(sqlite_url, pg_url):
    results = []
    for url in (sqlite_url, pg_url):
        eng = make_engine(url)
        try:
            upgrade(eng)
            results.append(read_back(eng, *populate(eng)))
        finally:
            eng.dispose()
    lite, pg = results
    assert lite["kpis"] == pg["kpis"]
    for name in ("plans", "by_rec", "actions"):
        pd.testing.assert_frame_equal(_comparable(lite[name]), _comparable(pg[name]), check_dtype=False, obj=name)


def _comparable(df: pd.DataFrame) -> pd.DataFrame:
    """Cell values as the user sees them (dates as ISO text, any missing value as None)."""
    return df.apply(lambda col: col.map(_plain))


def _plain(value):
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    return value.isoformat() if isinstance(value, dt.date) else value


def test_failed_write_transaction_leaves_nothing(any_engine):
    info, snapshot = sample_plan()
    with pytest.raises(RuntimeError, match="boom"), write_transaction(any_engine) as conn:
        plan_id = plan_writer.ensure_plan(conn, info)
        plan_writer.save_review(conn, plan_id, snapshot, source="tracker.xlsx")
        raise RuntimeError("boom")
    assert catalogue.list_plans(any_engine).empty
    with any_engine.connect() as conn:
        for table in ("plan", "recommendation", "action", "review", "action_update"):
            assert conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one() == 0, table


# ---------------------------------------------------------------------------
# SQLite tuning
# ---------------------------------------------------------------------------


def test_sqlite_pragmas_are_on(engine):
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar_one().lower() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar_one() > 0


# ---------------------------------------------------------------------------
# Where the database is
# ---------------------------------------------------------------------------


@pytest.fixture
def secrets_file(tmp_path, monkeypatch):
    path = tmp_path / "secrets.toml"
    monkeypatch.setattr(database, "SECRETS_PATH", path)
    monkeypatch.delenv(database.ENV_VAR, raising=False)
    return path


def test_database_url_default(secrets_file):
    assert database.database_url() == f"sqlite:///{database.DEFAULT_SQLITE_PATH}"


def test_database_url_secrets_without_board_connection_falls_back(secrets_file):
    secrets_file.write_text('[connections.other]\nurl = "sqlite:///other.db"\n')
    assert database.database_url() == f"sqlite:///{database.DEFAULT_SQLITE_PATH}"


def test_database_url_precedence(secrets_file, monkeypatch):
    secrets_file.write_text('[connections.board]\nurl = "postgresql://from:secrets@host/board"\n')
    assert database.database_url() == "postgresql://from:secrets@host/board"
    monkeypatch.setenv(database.ENV_VAR, "sqlite:///from-env.db")
    assert database.database_url() == "sqlite:///from-env.db"
    assert database.database_url("sqlite:///explicit.db") == "sqlite:///explicit.db"


def test_describe_url_hides_the_password():
    shown = database.describe_url("postgresql://board:s3cret-pw@database.example.org:5432/board")
    assert "s3cret-pw" not in shown
    assert shown == "postgresql://board:***@database.example.org:5432/board"
    assert database.describe_url("sqlite:///data/board.db") == "sqlite:///data/board.db"


# ---------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------


def test_cli_help_lists_migrate(cli):
    result = cli("--help")
    assert result.code == 0, result.err
    assert "migrate" in result.out


def test_cli_migrate_creates_a_database_at_head(cli, tmp_path):
    url = f"sqlite:///{tmp_path / 'sub' / 'cli.db'}"
    assert cli("migrate", "--db", url).code == 2  # a folder that does not exist is not made (a mistyped --db)
    assert not (tmp_path / "sub").exists()
    (tmp_path / "sub").mkdir()
    result = cli("migrate", "--db", url)
    assert result.code == 0, result.err
    assert "up to date" in result.out
    eng = make_engine(url)
    try:
        assert is_at_head(eng)
    finally:
        eng.dispose()
