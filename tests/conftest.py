"""Shared fixtures: a real, migrated database per test (SQLite file; PostgreSQL via `any_engine`).

- `engine` / `sqlite_url`: a migrated SQLite file in the test's own folder (`module_engine`: one
  shared by a module's tests, for what they build once and only read).
- `pg_url`: a fresh, migrated database on a real PostgreSQL server that the test session starts
  itself from the system's server binaries (pytest-postgresql's `postgresql_proc`).
- `any_engine`: the same test once on SQLite and once on PostgreSQL (the latter marked `postgres`).
- `unavailable(reason)`: the one skipping policy for missing system dependencies (PostgreSQL,
  Chromium): skip locally, FAIL when the CI environment variable is set, so CI never goes green
  by skipping. tests/browser/conftest.py uses it too.
"""

from __future__ import annotations

import glob
import os
import pwd
import re
import shlex
import shutil
import sys
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import pytest

# The project root first on sys.path: plain `pytest` (not `python -m pytest`) does not add it, and
# tests/data_access/ must never shadow the real data_access package.
PROJECT_ROOT = Path(__file__).resolve().parents[1]
if str(PROJECT_ROOT) not in sys.path[:1]:
    sys.path.insert(0, str(PROJECT_ROOT))

from pytest_postgresql import factories  # noqa: E402
from pytest_postgresql.janitor import DatabaseJanitor  # noqa: E402

from data_access.storage.database import make_engine, upgrade  # noqa: E402


def pytest_configure(config):
    # pytest-playwright 0.10's `base_url` fixture trips a pytest 9.2 deprecation; not ours to fix.
    config.addinivalue_line(
        "filterwarnings", "ignore:Session-scoped fixtures defined as instance methods:pytest.PytestRemovedIn10Warning"
    )


# ---------------------------------------------------------------------------
# Missing system dependencies: skip locally, fail in CI
# ---------------------------------------------------------------------------


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def unavailable(reason: str) -> NoReturn:
    """Skip the test because a system dependency is missing, or fail it when CI is set."""
    if in_ci():
        pytest.fail(f"{reason} [CI is set, so a missing dependency fails instead of skipping]", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session", name="unavailable")
def unavailable_fixture() -> Callable[[str], NoReturn]:
    """The skipping policy as a fixture, for conftest files below this one."""
    return unavailable


# ---------------------------------------------------------------------------
# SQLite
# ---------------------------------------------------------------------------


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    """An SQLite URL in the test's own folder; no file yet (the migration tests start there)."""
    return f"sqlite:///{tmp_path / 'board.db'}"


@pytest.fixture(scope="session")
def migrated_sqlite_template(tmp_path_factory) -> Path:
    """One SQLite file migrated to the Alembic head per test process. A test that wants a migrated
    database gets a copy (`migrated_sqlite`): copying takes under a millisecond, migrating an empty
    file 80-100 ms. The migrations themselves still run from an empty file in the tests of
    migrating and locking (tests/data_access/storage/test_migrations.py, test_locks.py, test_db.py)."""
    path = tmp_path_factory.mktemp("migrated-template") / "template.db"
    eng = make_engine(f"sqlite:///{path}")
    try:
        upgrade(eng)
    finally:
        eng.dispose()  # the last connection closing checkpoints the WAL into the file
    return path


@pytest.fixture
def migrated_sqlite(migrated_sqlite_template) -> Callable[[Path], str]:
    """`migrated_sqlite(path)`: a copy of the migrated template at `path` (a new file); its URL."""

    def copy(path: Path) -> str:
        if path.exists():
            raise FileExistsError(f"{path} already exists: a migrated copy never overwrites a database")
        shutil.copyfile(migrated_sqlite_template, path)
        return f"sqlite:///{path}"

    return copy


@pytest.fixture(scope="module")
def module_engine(tmp_path_factory, migrated_sqlite_template):
    """A migrated SQLite file that one test module's tests share: for a fixture that builds
    something once from it (a paper) and tests that only read what was built."""
    path = tmp_path_factory.mktemp("module-db") / "board.db"
    shutil.copyfile(migrated_sqlite_template, path)
    eng = make_engine(f"sqlite:///{path}")
    upgrade(eng)  # at head already: a read that proves the copy is a migrated database
    yield eng
    eng.dispose()


@pytest.fixture
def engine(sqlite_url, migrated_sqlite):
    """A migrated SQLite file in the test's own folder, at `sqlite_url`."""
    migrated_sqlite(Path(sqlite_url.removeprefix("sqlite:///")))
    eng = make_engine(sqlite_url)
    upgrade(eng)  # at head already: a read that proves the copy is a migrated database
    yield eng
    eng.dispose()


# ---------------------------------------------------------------------------
# PostgreSQL: a throwaway server per test session, from the system's binaries
# ---------------------------------------------------------------------------
#
# Debian installs the server binaries outside PATH, in /usr/lib/postgresql/<major>/bin, and
# pytest-postgresql only looks at pg_config (client dev package) and PATH, so we find pg_ctl
# ourselves (BOARD_TEST_PG_CTL overrides).
#
# Running as root (CI, containers): PostgreSQL refuses to run as root ("root" execution of the
# PostgreSQL server is not permitted). pytest-postgresql 10 runs `pg_ctl initdb|start|status|stop`
# as plain subprocesses of pytest, with the data dir and log file in pytest's temp folder
# (/tmp/pytest-of-root/pytest-N/pytest-postgresql-postgresql_proc0/), which pytest keeps 0700
# for root, resets to 0700 whenever ANY pytest session starts, and prunes (keeping the last 3
# sessions') -- so the `postgres` user cannot reliably reach a data dir there, and making pytest's
# folders world-searchable breaks as soon as a second pytest runs on the machine (seen here: initdb
# and pg_ctl stop failing at random). What works, keeping the `postgresql_proc` factory and its
# lifecycle (free port, template database, stop, clean-up), is a small wrapper as its `executable`:
#   - as root, it moves the server's files to a private folder that `postgres` owns,
#     /tmp/improvement-board-pg-<pid>/data/: `initdb --pgdata X`, `start -D X -l LOG`,
#     `status -D X` and `stop -D X` get X (and LOG) rewritten to that folder, X is kept as an
#     empty placeholder folder (pytest-postgresql checks that it exists) and LOG as a symlink to
#     the real log, for debugging;
#   - it runs the real pg_ctl as `postgres` with `runuser -u postgres --` (util-linux, always on
#     Debian; no sudo, no login shell), from `/`, so the cwd is readable.
#   Not root: it just execs pg_ctl with the arguments unchanged.
# The server listens on 127.0.0.1 (random free port) and a unix socket in /tmp; authentication is
# `trust`, as pytest-postgresql's initdb sets it. The private folder goes at the end of the session.

_PG_HOME = Path(tempfile.gettempdir()) / f"improvement-board-pg-{os.getpid()}"
_PG_CTL_WRAPPER = _PG_HOME / "pg_ctl"

_WRAPPER_SOURCE = '''"""pg_ctl, run as the `postgres` OS user when called as root (written by tests/conftest.py)."""
import os, sys

REAL = {real!r}
DATA = {data!r}
args = sys.argv[1:]
if os.geteuid() != 0:
    os.execv(REAL, [REAL, *args])
for i, arg in enumerate(args[:-1]):
    if arg in ("-D", "--pgdata", "-l"):
        given = os.path.abspath(args[i + 1])
        real = os.path.join(DATA, os.path.basename(given))
        if arg == "-l":
            if not os.path.lexists(given):
                os.symlink(real, given)
        else:
            os.makedirs(given, exist_ok=True)
        args[i + 1] = real
os.chdir("/")
os.execvp("runuser", ["runuser", "-u", "postgres", "--", REAL, *args])
'''


def find_pg_ctl() -> str | None:
    """The newest system pg_ctl: BOARD_TEST_PG_CTL, Debian's /usr/lib/postgresql/*/bin, else PATH."""
    explicit = os.environ.get("BOARD_TEST_PG_CTL")
    if explicit:
        return explicit if os.access(explicit, os.X_OK) else None

    def major(path: str) -> int:
        m = re.search(r"/postgresql/(\d+)/", path)
        return int(m.group(1)) if m else 0

    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=major)
    return found[-1] if found else shutil.which("pg_ctl")


def postgres_problem() -> str | None:
    """Why a PostgreSQL server cannot be started here, or None when it can."""
    pg_ctl = find_pg_ctl()
    if pg_ctl is None:
        return "PostgreSQL server binaries not found (no /usr/lib/postgresql/*/bin/pg_ctl): apt-get install postgresql"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root but there is no `postgres` OS user to run the server as"
        if shutil.which("runuser") is None:
            return "running as root but `runuser` (util-linux) is missing"
    return None


postgresql_proc = factories.postgresql_proc(executable=str(_PG_CTL_WRAPPER), host="127.0.0.1", port=None)


def _make_pg_home() -> None:
    """The wrapper, and (as root) a data folder that only `postgres` can enter."""
    shutil.rmtree(_PG_HOME, ignore_errors=True)  # a stale one from a crashed run with the same pid
    _PG_HOME.mkdir(mode=0o755)
    data = _PG_HOME / "data"
    data.mkdir(mode=0o700)
    if os.geteuid() == 0:
        pw = pwd.getpwnam("postgres")
        os.chown(data, pw.pw_uid, pw.pw_gid)
    script = _PG_HOME / "pg_ctl.py"
    script.write_text(_WRAPPER_SOURCE.format(real=find_pg_ctl(), data=str(data)))
    # A sh launcher rather than a `#!python` line: shebangs break on long paths or spaces.
    _PG_CTL_WRAPPER.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} -I {shlex.quote(str(script))} "$@"\n')
    _PG_CTL_WRAPPER.chmod(0o755)


@pytest.fixture(scope="session")
def pg_server(request):
    """A running PostgreSQL server (pytest-postgresql executor) whose template database is at
    the Alembic head, so that every `pg_url` database, copied from it, is too."""
    problem = postgres_problem()
    if problem:
        unavailable(problem)
    _make_pg_home()
    request.config.add_cleanup(lambda: shutil.rmtree(_PG_HOME, ignore_errors=True))  # after pg_ctl stop
    proc = request.getfixturevalue("postgresql_proc")
    template = make_engine(_pg_url(proc, proc.template_dbname))
    try:
        upgrade(template)
    finally:
        template.dispose()  # CREATE DATABASE ... TEMPLATE needs no one connected to it
    return proc


def _pg_url(proc, dbname: str) -> str:
    auth = proc.user + (f":{proc.password}" if proc.password else "")
    return f"postgresql+psycopg://{auth}@{proc.host}:{proc.port}/{dbname}"


@pytest.fixture
def pg_url(pg_server) -> str:
    """A fresh PostgreSQL database for this test, migrated to the Alembic head; dropped afterwards."""
    dbname = f"board_{uuid.uuid4().hex[:12]}"
    janitor = DatabaseJanitor(
        user=pg_server.user,
        host=pg_server.host,
        port=pg_server.port,
        password=pg_server.password,
        dbname=dbname,
        template_dbname=pg_server.template_dbname,
    )
    janitor.init()
    url = _pg_url(pg_server, dbname)
    eng = make_engine(url)
    try:
        upgrade(eng)  # already at head (copied from the migrated template): a cheap no-op check
    finally:
        eng.dispose()
    yield url
    janitor.drop()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_engine(request):
    """A migrated engine, once on a SQLite file and once on a real PostgreSQL database."""
    if request.param == "sqlite":
        url = request.getfixturevalue("sqlite_url")
        request.getfixturevalue("migrated_sqlite")(Path(url.removeprefix("sqlite:///")))
    else:
        url = request.getfixturevalue("pg_url")
    eng = make_engine(url)
    upgrade(eng)
    yield eng
    eng.dispose()


# ---------------------------------------------------------------------------
# The command line, in this process
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CliResult:
    code: int  # the exit code `python -m data_access ...` would have
    out: str
    err: str


@pytest.fixture
def cli(capsys, monkeypatch) -> Callable[..., CliResult]:
    """`cli("import", path, "--db", url)` runs `python -m data_access ...` in this process
    (data_access.cli.entry.main) and returns its exit code and output; a traceback in either stream
    fails the test. BOARD_DATABASE_URL is unset, so every call names its database.
    tests/data_access/cli/test_cli.py runs the real `python -m data_access` once, as a subprocess."""
    from data_access.cli.entry import main

    monkeypatch.delenv("BOARD_DATABASE_URL", raising=False)

    def run(*args) -> CliResult:
        capsys.readouterr()
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:  # argparse's own usage errors and --help
            code = exc.code if isinstance(exc.code, int) else 2
        out, err = capsys.readouterr()
        assert "Traceback" not in out + err, out + err
        return CliResult(code, out, err)

    return run


@pytest.fixture
def empty_pg_url(pg_server) -> str:
    """A PostgreSQL database with nothing in it (not migrated), for start-up tests; dropped afterwards."""
    dbname = f"empty_{uuid.uuid4().hex[:12]}"
    janitor = DatabaseJanitor(
        user=pg_server.user, host=pg_server.host, port=pg_server.port, password=pg_server.password, dbname=dbname
    )
    janitor.init()
    yield _pg_url(pg_server, dbname)
    janitor.drop()
