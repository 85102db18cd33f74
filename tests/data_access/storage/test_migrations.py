"""The schema comes from Alembic; the models must describe exactly what the migrations build."""

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from data_access.storage.database import alembic_config, is_at_head, make_engine, table_names, upgrade
from data_access.storage.schema import Base


def test_models_match_the_migrations(engine):
    with engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diffs == []


def test_upgrade_is_idempotent_and_downgrade_clears(sqlite_url):
    engine = make_engine(sqlite_url)
    upgrade(engine)
    upgrade(engine)  # the app and CLI run this on every start
    assert is_at_head(engine)
    assert {"plan", "recommendation", "action", "review", "action_update"} <= set(table_names(engine))
    with engine.connect().execution_options(write=True) as conn:
        command.downgrade(alembic_config(conn), "base")
        conn.commit()
    assert set(table_names(engine)) <= {"alembic_version"}
