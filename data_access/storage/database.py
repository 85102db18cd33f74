"""One engine factory from a URL, the schema kept at the Alembic head, and the locks.

Where the database is, in order: an explicit URL; the BOARD_DATABASE_URL environment variable;
`[connections.board] url` in .streamlit/secrets.toml; else the embedded SQLite file
data/board.db. SQLite gets foreign keys, WAL, a busy timeout and `BEGIN IMMEDIATE` for writes.

Locks (nothing a person does should ever meet "database is locked"):
- reads take no write lock (SQLite WAL: readers never wait for a writer);
- `upgrade` checks the revision first and takes no lock at all when the schema is at head;
- a writer that has to wait for another (SQLite allows one at a time) tells whoever is waiting
  (`notify_waits`), waits up to WRITE_WAIT_S, and then either writes or raises `DatabaseBusy`,
  whose message is one sentence for a person;
- start-up work (migrate, seed) is serialised across processes by `startup_lock`: a PostgreSQL
  advisory lock, or a lock file beside the SQLite file (the migration itself also runs under
  `BEGIN IMMEDIATE`), so replicas started together do it once.
"""

from __future__ import annotations

import contextlib
import contextvars
import fcntl
import os
import re
import sqlite3
import time
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url

from data_access.config import environment

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SQLITE_PATH = PROJECT_ROOT / "data" / "board.db"
SECRETS_PATH = PROJECT_ROOT / ".streamlit" / "secrets.toml"
ENV_VAR = environment.DATABASE_URL.name
BUSY_TIMEOUT_MS = 10_000
WRITE_WAIT_S = 120.0  # how long a writer waits for another writer before giving up (DatabaseBusy)
STARTUP_WAIT_S = 300.0  # how long start-up work waits for another process's migrate/seed
FIRST_TRY_S = 0.25  # a wait shorter than this is not worth telling anyone about
# Any fixed 64-bit number, the same in every process: the PostgreSQL advisory lock for start-up.
STARTUP_LOCK_KEY = 0x1B0A_2D5C_0001


class DatabaseProblem(ValueError):
    """A database that cannot be used as given (a folder that does not exist, a driver that is not
    installed, a read-only file); the message is one sentence for a person."""


class DatabaseBusy(RuntimeError):
    """Another writer held the database for longer than we wait; the message is one sentence
    fit for a person (nothing was written)."""


_wait_notice: contextvars.ContextVar[Callable[[str], None] | None] = contextvars.ContextVar(
    "board_wait_notice", default=None
)


@contextlib.contextmanager
def notify_waits(notice: Callable[[str], None] | None) -> Iterator[None]:
    """While inside, a writer (or start-up work) that must wait for another says so through
    `notice(sentence)`: the command line prints to stderr, the app shows a toast."""
    token = _wait_notice.set(notice)
    try:
        yield
    finally:
        _wait_notice.reset(token)


def set_wait_notice(notice: Callable[[str], None] | None) -> None:
    """`notify_waits` for the rest of this thread's work (the app sets it at the start of a run)."""
    _wait_notice.set(notice)


def _tell_waiting(sentence: str) -> None:
    notice = _wait_notice.get()
    if notice is not None:
        with contextlib.suppress(Exception):  # a notice must never break the write it is about
            notice(sentence)


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:g} minute{'' if seconds == 60 else 's'}" if seconds >= 60 else f"{seconds:g} seconds"


def database_url(explicit: str | None = None) -> str:
    """The configured database URL (see module docstring for the order)."""
    if explicit:
        return explicit
    from_env = environment.value(environment.DATABASE_URL)
    if from_env:
        return from_env
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


def _sqlite_file(url) -> Path | None:
    """The file of a SQLite URL, or None (in memory, or a `file:` URI)."""
    database = url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def make_engine(url: str | None = None) -> Engine:
    """An engine for `url` (default: database_url()). Raises DatabaseProblem (one sentence) for a
    SQLite file whose folder does not exist (only the app's own data/ folder is made, on first
    run: a mistyped --db must not quietly start a new, empty database) and for a database whose
    Python driver is not installed."""
    url = database_url(url)
    parsed = make_url(url)
    try:
        if parsed.get_backend_name() == "sqlite":
            path = _sqlite_file(parsed)
            if path is not None:
                if path.absolute() == DEFAULT_SQLITE_PATH:
                    path.parent.mkdir(parents=True, exist_ok=True)  # the app's own database, made by `make run`
                elif not path.parent.is_dir():
                    raise DatabaseProblem(
                        f"the folder '{path.parent}' for the database {describe_url(url)} does not exist; "
                        "create it first, or give another --db."
                    )
            engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
            _tune_sqlite(engine)
            return engine
        if parsed.drivername == "postgresql":
            # SQLAlchemy 2.1 defaults to psycopg 3 already; say so for 2.0 too.
            parsed = parsed.set(drivername="postgresql+psycopg")
        return create_engine(parsed, pool_pre_ping=True)
    except ModuleNotFoundError as missing:
        raise DatabaseProblem(
            f"the database {describe_url(url)} needs the Python driver '{missing.name}', which is not installed "
            "here; use SQLite or PostgreSQL (the drivers this program installs), or install that driver."
        ) from None
    except OSError as exc:  # a file name too long for the file system, a folder we may not look in
        raise DatabaseProblem(f"the database {describe_url(url)} cannot be used: {exc.strerror or exc}.") from None


def read_only_problem(url, exc: BaseException) -> str | None:
    """Why a write failed, when it is that the database is read-only (one sentence naming the file
    or its folder), else None."""
    text_of = str(getattr(exc, "orig", None) or exc).casefold()
    if "readonly" not in text_of and "read-only" not in text_of and "read only" not in text_of:
        return None
    url = make_url(str(url) if not isinstance(url, str) else url)
    path = _sqlite_file(url) if url.get_backend_name() == "sqlite" else None
    if path is None:
        return f"the database {url.render_as_string(hide_password=True)} is read-only for this program."
    if path.exists() and not os.access(path, os.W_OK):
        return f"the database file {path} is read-only."
    if not os.access(path.parent, os.W_OK):
        return f"the folder {path.parent} holding the database is read-only (SQLite writes its journal there)."
    return f"the database file {path} or its folder {path.parent} is read-only."


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
        # ignoring busy_timeout; writers take the write lock up front (see _take_write_lock,
        # which has already begun the transaction on the driver's connection).
        if conn.info.pop(_BEGUN, False):
            return
        immediate = conn.get_execution_options().get("write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


_BEGUN = "board_write_lock_taken"  # connection.info flag: BEGIN IMMEDIATE already issued


def _locked(exc: BaseException) -> bool:
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in str(exc) or "busy" in str(exc))


def _take_write_lock(conn: Connection) -> None:
    """SQLite: BEGIN IMMEDIATE on the driver's connection. Another writer holding the lock is
    said (once) and waited for, up to WRITE_WAIT_S; then DatabaseBusy."""
    if conn.dialect.name != "sqlite":
        return
    raw = conn.connection.dbapi_connection
    try:
        raw.execute(f"PRAGMA busy_timeout={int(FIRST_TRY_S * 1000)}")
        try:
            raw.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            read_only = read_only_problem(conn.engine.url, exc)
            if read_only:
                raise DatabaseProblem(read_only) from None
            if not _locked(exc):
                raise
            _tell_waiting(
                "Another change is being written to the database; waiting for it to finish "
                f"(up to {_minutes(WRITE_WAIT_S)})…"
            )
            raw.execute(f"PRAGMA busy_timeout={int(WRITE_WAIT_S * 1000)}")
            try:
                raw.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as again:
                if not _locked(again):
                    raise
                raise DatabaseBusy(
                    f"The database was busy with another change for {_minutes(WRITE_WAIT_S)}, so nothing was "
                    "written; try again when it has finished."
                ) from None
    finally:
        raw.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    conn.info[_BEGUN] = True


@contextlib.contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """One all-or-nothing write transaction (BEGIN IMMEDIATE on SQLite; a writer that has to wait
    says so, see the module docstring)."""
    with engine.connect().execution_options(write=True) as conn:
        _take_write_lock(conn)
        try:
            with conn.begin():
                yield conn
        finally:
            conn.info.pop(_BEGUN, None)  # never left for the pooled connection's next user


@contextlib.contextmanager
def startup_lock(engine: Engine) -> Iterator[None]:
    """Serialise start-up work (migrate, seed) across processes: a session-level PostgreSQL
    advisory lock, or an exclusive lock on `<file>-startup.lock` beside a SQLite file (in-memory
    SQLite has no other process). Waits up to STARTUP_WAIT_S, saying so, then DatabaseBusy."""
    backend = engine.dialect.name
    if backend == "postgresql":
        with engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT")
            _wait_for(
                lambda: bool(conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": STARTUP_LOCK_KEY}).scalar())
            )
            try:
                yield
            finally:
                try:
                    conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": STARTUP_LOCK_KEY})
                except Exception:  # noqa: BLE001 - a dropped session releases its locks; never pool it
                    conn.invalidate()
        return
    database = engine.url.database if backend == "sqlite" else None
    if not database or database == ":memory:" or database.startswith("file:"):
        yield
        return
    path = Path(f"{database}-startup.lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:

        def try_lock() -> bool:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
            return True

        _wait_for(try_lock)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _wait_for(try_lock: Callable[[], bool]) -> None:
    if try_lock():
        return
    _tell_waiting(f"Another process is preparing the database; waiting (up to {_minutes(STARTUP_WAIT_S)})…")
    deadline = time.monotonic() + STARTUP_WAIT_S
    while time.monotonic() < deadline:
        time.sleep(0.1)
        if try_lock():
            return
    raise DatabaseBusy(
        f"Another process has been preparing the database for over {_minutes(STARTUP_WAIT_S)}; "
        "nothing was changed. Try again when it has finished."
    )


def alembic_config(connection: Connection | None = None):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    cfg.attributes["connection"] = connection
    return cfg


def upgrade(engine: Engine) -> bool:
    """Bring the schema to the Alembic head (idempotent; run by the app and the CLI on start).
    Returns whether anything was migrated. At head it only reads: no lock, no waiting behind an
    import. Otherwise it runs under the start-up lock, so processes started together migrate once."""
    if is_at_head(engine):
        return False
    with startup_lock(engine):
        _upgrade_locked(engine)
    return True


def _upgrade_locked(engine: Engine) -> None:
    from alembic import command

    with engine.connect().execution_options(write=True) as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            # Batch migrations rebuild SQLite tables (copy, DROP, rename); with foreign keys on,
            # the DROP would cascade-delete the child rows. The pragma only works outside a
            # transaction, so it goes straight to the driver before SQLAlchemy begins one.
            conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")
        try:
            _take_write_lock(conn)  # alembic re-reads the revision inside: a migration done meanwhile is not redone
            command.upgrade(alembic_config(conn), "head")
            if sqlite and conn.exec_driver_sql("PRAGMA foreign_key_check").first() is not None:
                raise RuntimeError("the schema upgrade left rows pointing at missing rows; nothing was changed")
            conn.commit()
        finally:
            conn.info.pop(_BEGUN, None)
            if sqlite:
                conn.rollback()
                conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=ON")


def schema_head() -> str | None:
    """The newest migration's revision, read from migrations/versions/ without importing Alembic
    (which costs the command line about 0.3 s): the one revision no other names as its
    down_revision. None when that is not a single revision (then ask Alembic)."""
    revisions, parents = set(), set()
    for path in (PROJECT_ROOT / "migrations" / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        revision = re.search(r"^revision\s*(?::[^=]*)?=\s*['\"]([^'\"]+)['\"]", source, re.M)
        down = re.search(r"^down_revision\s*(?::[^=]*)?=\s*(.+)$", source, re.M)
        if not revision or not down:
            return None
        revisions.add(revision[1])
        parents.update(re.findall(r"['\"]([^'\"]+)['\"]", down[1]))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


_HEAD: list[str] = []  # the migrations folder's head revision, read once per process


def is_at_head(engine: Engine) -> bool:
    if not _HEAD:
        head = schema_head()
        if head is None:
            from alembic.script import ScriptDirectory

            head = ScriptDirectory.from_config(alembic_config()).get_current_head()
        _HEAD.append(head)
    head = _HEAD[0]
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return False
        return list(conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalars()) == [head]


def table_names(engine: Engine) -> list[str]:
    return inspect(engine).get_table_names()
