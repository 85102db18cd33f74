"""Locks between processes (issue 13, items 6 and 10), on SQLite and on PostgreSQL:

- read-only work (migrate at head, seed --if-empty on a database with plans, reviews, trends)
  takes no write lock, so it finishes at once while another process is writing;
- a writer that must wait for another says so, then writes; kept waiting too long it gets one
  sentence and nothing is written;
- the command line prints no traceback for any --db and ends quietly on a closed pipe;
- four processes started together on an empty database migrate and seed it once.

The other process is real: a child Python that holds an open write transaction until told to
let go (files as signals, every wait bounded).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from data_access.importer.sample_seed import TRACKERS_DIR
from data_access.storage import database
from data_access.storage.database import make_engine, upgrade
from data_access.storage.schema import Action, Plan, Review
from tests.fixtures import populate_board

ROOT = Path(__file__).resolve().parents[3]
PLAN = "Testshire ILACS 2024"  # tests.fixtures.populate_board
TRACKER = TRACKERS_DIR / "north-tyneside-post-inspection-action-plan.xlsx"
QUICK_S = 4.0  # read-only work while another process writes: well under SQLite's 10 s busy timeout

# The other process: opens a write transaction, writes a plan row, says "ready", then holds the
# transaction until the release file appears (at most 60 s), and commits.
HOLDER = """
import sys, time
from pathlib import Path
from data_access.storage import plan_writer
from data_access.storage.database import make_engine, write_transaction
from data_access.domain.tracker_rows import PlanInfo
url, ready, release = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
engine = make_engine(url)
with write_transaction(engine) as conn:
    plan_writer.ensure_plan(conn, PlanInfo(name="Written by another process"))
    ready.touch()
    deadline = time.monotonic() + 60
    while not release.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
engine.dispose()
"""

# One of several processes started together: imports first, then waits for the go file, so the
# start-up work of all of them really overlaps.
STARTER = """
import sys, time
from pathlib import Path
from data_access.cli.entry import main
go = Path(sys.argv[1])
deadline = time.monotonic() + 60
while not go.exists() and time.monotonic() < deadline:
    time.sleep(0.005)
sys.exit(main(["seed", "--if-empty", "--db", sys.argv[2]]))
"""


def _env() -> dict:
    env = {k: v for k, v in os.environ.items() if k != "BOARD_DATABASE_URL"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


class Holder:
    """A child process holding an open write transaction on `url` (see HOLDER)."""

    def __init__(self, url: str, folder: Path):
        self.ready, self.release = folder / f"ready-{uuid.uuid4().hex}", folder / f"release-{uuid.uuid4().hex}"
        self.process = subprocess.Popen(
            [sys.executable, "-c", HOLDER, url, str(self.ready), str(self.release)],
            cwd=ROOT,
            env=_env(),
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 60
        while not self.ready.exists():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"the lock holder never started: {self.process.communicate()[1]}")
            time.sleep(0.02)

    def let_go(self) -> None:
        self.release.touch()
        _, err = self.process.communicate(timeout=60)
        assert self.process.returncode == 0, err


@pytest.fixture
def holder(tmp_path):
    started: list[Holder] = []

    def start(url: str) -> Holder:
        started.append(Holder(url, tmp_path))
        return started[-1]

    yield start
    for h in started:
        if h.process.poll() is None:
            h.let_go()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def board_url(request) -> str:
    """A migrated database holding the two-review Testshire plan, on each backend."""
    url = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")
    engine = make_engine(url)
    upgrade(engine)
    populate_board(engine)
    engine.dispose()
    return url


def _timed(cli, *args):
    start = time.monotonic()
    result = cli(*args)
    return result, time.monotonic() - start


# ---------------------------------------------------------------------------
# Item 6: read-only work never waits for a writer
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [("migrate",), ("seed", "--if-empty"), ("reviews", "--plan", PLAN), ("trends", "--plan", PLAN)],
    ids=["migrate", "seed-if-empty", "reviews", "trends"],
)
def test_read_only_commands_finish_while_another_process_writes(cli, holder, board_url, args):
    held = holder(board_url)
    result, took = _timed(cli, *args, "--db", board_url)
    assert result.code == 0, result.err
    assert took < QUICK_S, f"{args[0]} waited {took:.1f} s for another process's write"
    assert "waiting" not in result.err
    held.let_go()


def test_read_only_work_takes_no_write_lock(board_url):
    """Directly: upgrade at head and seed_if_empty with plans do not even try to write."""
    from data_access.importer.sample_seed import seed_if_empty

    engine = make_engine(board_url)
    statements: list[str] = []

    from sqlalchemy import event

    @event.listens_for(engine, "before_cursor_execute")
    def _seen(_conn, _cursor, statement, *_):
        statements.append(statement.upper())

    try:
        assert upgrade(engine) is False
        assert seed_if_empty(engine) == 0
    finally:
        engine.dispose()
    writes = [s for s in statements if s.split()[0] in ("INSERT", "UPDATE", "DELETE", "CREATE", "ALTER")]
    assert not writes and not any("IMMEDIATE" in s or "ADVISORY" in s for s in statements), statements


# ---------------------------------------------------------------------------
# Item 6: a writer that must wait says so, then writes or gives one sentence
# ---------------------------------------------------------------------------


def test_a_writer_that_must_wait_says_so_and_then_writes(cli, sqlite_url, tmp_path, monkeypatch):
    engine = make_engine(sqlite_url)
    upgrade(engine)
    engine.dispose()
    held = Holder(sqlite_url, tmp_path)
    tell = database._tell_waiting

    def tell_then_release(sentence: str) -> None:
        tell(sentence)
        held.release.touch()  # the other writer lets go only once this one has said it waits

    monkeypatch.setattr(database, "_tell_waiting", tell_then_release)
    monkeypatch.setattr(database, "WRITE_WAIT_S", 30.0)  # never saying so ends in a refusal, not a hang
    try:
        result = cli("import", TRACKER, "--db", sqlite_url)
    finally:
        held.let_go()
    assert result.code == 0, result.err
    assert "Another change is being written to the database; waiting" in result.err
    engine = make_engine(sqlite_url)
    with engine.connect() as conn:
        names = set(conn.execute(select(Plan.name)).scalars())
    engine.dispose()
    assert "Written by another process" in names and len(names) == 2


def test_a_writer_kept_waiting_too_long_gets_one_sentence(cli, sqlite_url, tmp_path, monkeypatch):
    monkeypatch.setattr(database, "WRITE_WAIT_S", 1.0)
    engine = make_engine(sqlite_url)
    upgrade(engine)
    engine.dispose()
    held = Holder(sqlite_url, tmp_path)
    try:
        result = cli("import", TRACKER, "--db", sqlite_url)
    finally:
        held.let_go()
    assert result.code == 2
    assert "was busy with another change for 1 seconds, so nothing was written" in result.out + result.err
    engine = make_engine(sqlite_url)
    with engine.connect() as conn:
        assert conn.execute(select(func.count(Review.id))).scalar_one() == 0
    engine.dispose()


def test_restore_kept_waiting_too_long_is_refused_in_one_sentence(sqlite_url, tmp_path, monkeypatch):
    from data_access.storage import plan_admin

    monkeypatch.setattr(database, "WRITE_WAIT_S", 0.5)
    engine = make_engine(sqlite_url)
    upgrade(engine)
    ids = populate_board(engine)
    held = Holder(sqlite_url, tmp_path)
    try:
        with pytest.raises(plan_admin.ChangeRefused, match="busy with another change"):
            plan_admin.restore_review(engine, ids["q1"], actor="test")
    finally:
        held.let_go()
        engine.dispose()


# ---------------------------------------------------------------------------
# Item 6: no traceback for any input
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("not a url", "is not a database URL this program can use"),
        ("nosuchdb://x/y", "is not a database URL this program can use"),
        ("postgresql://board:secret@127.0.0.1:1/board", "could not be used: connection failed"),
        ("sqlite:////proc/board.db", "could not be"),
        (
            "sqlite:////proc/no-such-folder/board.db",
            "for the database sqlite:////proc/no-such-folder/board.db does not exist",
        ),
    ],
    ids=["unparsable", "unknown-backend", "unreachable-postgresql", "unwritable-folder", "missing-folder"],
)
@pytest.mark.parametrize("command", ["migrate", "seed", "reviews", "trends", "import"])
def test_a_bad_database_is_one_sentence(cli, url, says, command):
    args = {"reviews": ("--plan", "X"), "trends": ("--plan", "X"), "import": (str(TRACKER),)}.get(command, ())
    result = cli(command, *args, "--db", url)
    assert result.code == 2
    assert result.err.count("\n") == 1 and result.err.startswith("error: "), result.err
    assert "secret" not in result.err  # the password never shown
    if command != "import":  # the import command words it its own way (importcmd.py)
        assert says in result.err


def test_a_closed_pipe_ends_quietly(tmp_path):
    """`python -m data_access trends ... | head -1`: the reader goes away before the output."""
    url = f"sqlite:///{tmp_path / 'board.db'}"
    engine = make_engine(url)
    upgrade(engine)
    populate_board(engine)
    engine.dispose()
    process = subprocess.Popen(
        [sys.executable, "-m", "data_access", "trends", "--plan", PLAN, "--json", "--db", url],
        cwd=ROOT,
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    process.stdout.close()  # like `head` exiting before anything was written
    err = process.stderr.read().decode()
    process.wait(timeout=60)
    assert "Traceback" not in err and "BrokenPipe" not in err and "Exception ignored" not in err, err
    assert process.returncode == 141


# ---------------------------------------------------------------------------
# Item 10: start-up work happens once
# ---------------------------------------------------------------------------


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_url(request, tmp_path):
    """A database with nothing in it (not migrated), on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.db'}"
    return request.getfixturevalue("empty_pg_url")


def test_four_processes_started_together_migrate_and_seed_once(empty_url, tmp_path):
    go = tmp_path / "go"
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", STARTER, str(go), empty_url],
            cwd=ROOT,
            env=_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    time.sleep(3)  # let all four finish importing Python before the start signal (not a result wait)
    go.touch()
    results = [(p.wait(timeout=240), *p.communicate()) for p in processes]
    for code, _out, err in results:
        assert code == 0 and "Traceback" not in err, err
    loaded = [out for _, out, _ in results if out.startswith("Loaded")]
    assert len(loaded) == 1, [out for _, out, _ in results]  # one seeded; three found it done
    engine = make_engine(empty_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar_one() == 1
            assert conn.execute(select(func.count(Plan.id))).scalar_one() == 4
            assert conn.execute(select(func.count(Review.id))).scalar_one() == 16
            names = conn.execute(select(Plan.name)).scalars().all()
            assert len(set(names)) == len(names)
            assert conn.execute(select(func.count(Action.id))).scalar_one() > 0
    finally:
        engine.dispose()
