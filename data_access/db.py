"""One engine factory from a URL, and the schema kept at the Alembic head.

Where the database is, in order: an explicit URL; the BOARD_DATABASE_URL environment variable;
`[connections.board] url` in .streamlit/secrets.toml; else the embedded SQLite file
data/board.db. SQLite gets foreign keys, WAL, a busy timeout and `BEGIN IMMEDIATE` for writes.
"""

from __future__ import annotations

import contextlib
import os
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SQLITE_PATH = PROJECT_ROOT / "data" / "board.db"
SECRETS_PATH = PROJECT_ROOT / ".streamlit" / "secrets.toml"
ENV_VAR = "BOARD_DATABASE_URL"
BUSY_TIMEOUT_MS = 10_000


def database_url(explicit: str | None = None) -> str:
    """The configured database URL (see module docstring for the order)."""
    if explicit:
        return explicit
    if os.environ.get(ENV_VAR):
        return os.environ[ENV_VAR]
    if SECRETS_PATH.is_file():
        with SECRETS_PATH.open("rb") as fh:
            secrets = tomllib.load(fh)
        url = secrets.get("connections", {}).get("board", {}).get("url")
        if url:
            return url
    return f"sqlite:///{DEFAULT_SQLITE_PATH}"


def describe_url(url: str) -> str:
    """The URL with any password hidden, for messages and the sidebar."""
    return make_url(url).render_as_string(hide_password=True)


def make_engine(url: str | None = None) -> Engine:
    url = database_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        _tune_sqlite(engine)
        return engine
    if parsed.drivername == "postgresql":
        # SQLAlchemy 2.1 defaults to psycopg 3 already; say so for 2.0 too.
        parsed = parsed.set(drivername="postgresql+psycopg")
    return create_engine(parsed, pool_pre_ping=True)


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy (not pysqlite) emit BEGIN, so writers can ask for BEGIN IMMEDIATE.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection):
        # A deferred transaction that reads then writes can fail at once with SQLITE_BUSY,
        # ignoring busy_timeout; writers take the write lock up front.
        immediate = conn.get_execution_options().get("write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


@contextlib.contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """One all-or-nothing write transaction (BEGIN IMMEDIATE on SQLite)."""
    with engine.connect().execution_options(write=True) as conn, conn.begin():
        yield conn


def alembic_config(connection: Connection | None = None):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    cfg.attributes["connection"] = connection
    return cfg


def upgrade(engine: Engine) -> None:
    """Bring the schema to the Alembic head (idempotent; run by the app and the CLI on start)."""
    from alembic import command

    with engine.connect().execution_options(write=True) as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            # Batch migrations rebuild SQLite tables (copy, DROP, rename); with foreign keys on,
            # the DROP would cascade-delete the child rows. The pragma only works outside a
            # transaction, so it goes straight to the driver before SQLAlchemy begins one.
            conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")
        try:
            command.upgrade(alembic_config(conn), "head")
            if sqlite and conn.exec_driver_sql("PRAGMA foreign_key_check").first() is not None:
                raise RuntimeError("the schema upgrade left rows pointing at missing rows; nothing was changed")
            conn.commit()
        finally:
            if sqlite:
                conn.rollback()
                conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=ON")


def schema_head() -> str | None:
    """The newest migration's revision, read from migrations/versions/ without importing Alembic
    (which costs the command line about 0.3 s): the one revision no other names as its
    down_revision. None when that is not a single revision (then ask Alembic)."""
    revisions, parents = set(), set()
    for path in (PROJECT_ROOT / "migrations" / "versions").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        revision = re.search(r"^revision\s*(?::[^=]*)?=\s*['\"]([^'\"]+)['\"]", text, re.M)
        down = re.search(r"^down_revision\s*(?::[^=]*)?=\s*(.+)$", text, re.M)
        if not revision or not down:
            return None
        revisions.add(revision[1])
        parents.update(re.findall(r"['\"]([^'\"]+)['\"]", down[1]))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def is_at_head(engine: Engine) -> bool:
    head = schema_head()
    if head is None:
        from alembic.runtime.migration import MigrationContext
        from alembic.script import ScriptDirectory

        head = ScriptDirectory.from_config(alembic_config()).get_current_head()
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision() == head
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return False
        return list(conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalars()) == [head]


def table_names(engine: Engine) -> list[str]:
    return inspect(engine).get_table_names()
