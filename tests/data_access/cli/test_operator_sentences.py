"""Clear words for the operator (issue 23 item 6): each case that used to give a traceback, an
"unexpected" error or the wrong cause now gives one sentence naming the real cause, and exit code
2 (in-process, through the `cli` fixture, which also fails on any traceback)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import event

from data_access.cli import pack_command
from data_access.storage import database
from tests.data_access.importer import messy
from tests.fixtures import PLAN, build_testshire

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def db(engine, sqlite_url):
    """The Testshire plan (tests/fixtures.py) in a migrated SQLite file."""
    build_testshire(engine)
    engine.dispose()
    return sqlite_url


def one_sentence(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    assert lines[0].startswith("error: ") and "unexpected" not in lines[0] and "Traceback" not in text, text
    return lines[0]


# --- pack never writes through a symlink -------------------------------------------------------


def test_pack_does_not_follow_a_symlink_planted_at_out_part(cli, db, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    out = tmp_path / "pack.xlsx"
    (tmp_path / "pack.xlsx.part").symlink_to(victim)
    done = cli("pack", "--plan", PLAN, "--format", "xlsx", "--out", out, "--db", db)
    assert done.code == 0, done.err
    assert victim.read_text() == "keep me"  # nothing written through the link
    assert out.is_file() and not out.is_symlink() and out.read_bytes()[:2] == b"PK"
    assert sorted(p.name for p in tmp_path.iterdir() if ".part" in p.name) == ["pack.xlsx.part"]  # no leftovers


def test_pack_replaces_a_symlink_at_out_rather_than_writing_through_it(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    out = tmp_path / "pack.pdf"
    out.symlink_to(victim)
    pack_command.write_in_place(out, b"%PDF-1.7 new")
    assert victim.read_text() == "keep me" and not out.is_symlink() and out.read_bytes() == b"%PDF-1.7 new"


def test_the_temporary_file_is_created_exclusively(tmp_path, monkeypatch):
    opened = []
    real_open = os.open
    monkeypatch.setattr(
        pack_command.os, "open", lambda path, flags, mode=0o777: opened.append(flags) or real_open(path, flags, mode)
    )
    pack_command.write_in_place(tmp_path / "a.docx", b"data")
    assert opened and all(f & os.O_EXCL and f & os.O_CREAT and f & os.O_NOFOLLOW for f in opened)


# --- a size limit that is no number ----------------------------------------------------------------


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "0", "-5", "1e400", "lots"])
def test_max_mb_must_be_a_finite_number_above_zero(cli, tmp_path, value):
    done = cli("import", tmp_path / "x.xlsx", f"--max-mb={value}", "--dry-run")
    assert done.code == 2
    assert f"--max-mb: must be a number of megabytes above 0 (such as 20), not '{value}'" in done.err


@pytest.mark.parametrize("value", ["inf", "nan", "0"])
def test_board_max_upload_mb_must_be_a_finite_number_above_zero(value):
    """`make run` reads the limit through `python -m data_access.importer.reading.safety`."""
    env = {**os.environ, "BOARD_MAX_UPLOAD_MB": value}
    done = subprocess.run(
        [sys.executable, "-m", "data_access.importer.reading.safety"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2 and not done.stdout
    assert done.stderr.strip() == (
        f"error: BOARD_MAX_UPLOAD_MB must be a number of megabytes above 0 (such as 20), not '{value}'."
    )


def test_board_max_upload_mb_inf_refuses_an_import_in_one_sentence(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("BOARD_MAX_UPLOAD_MB", "inf")
    done = cli("import", tmp_path / "x.xlsx", "--dry-run")
    assert done.code == 2 and "BOARD_MAX_UPLOAD_MB must be a number of megabytes above 0" in one_sentence(done.err)


# --- a read-only database ------------------------------------------------------------------------


def test_a_read_only_database_says_so(cli, db, tmp_path, monkeypatch):
    """Tests run as root, who may write any file: the database is made read-only the way SQLite
    reports it (PRAGMA query_only gives SQLITE_READONLY), and the file looks read-only to os.access."""
    path = Path(db.removeprefix("sqlite:///"))
    real_make_engine = database.make_engine

    def read_only_engine(url=None):
        engine = real_make_engine(url)
        event.listen(engine, "connect", lambda dbapi, _rec: dbapi.execute("PRAGMA query_only=ON"))
        return engine

    real_access = os.access
    monkeypatch.setattr(database, "make_engine", read_only_engine)
    monkeypatch.setattr(
        database.os, "access", lambda p, mode: False if Path(p) == path and mode == os.W_OK else real_access(p, mode)
    )
    tracker = tmp_path / "q.xlsx"
    tracker.write_bytes(messy.build_xlsx(title_rows=True))
    done = cli("import", tracker, "--db", db, "--plan", "Anytown")
    assert done.code == 2
    assert f"REFUSED  q.xlsx could not be saved because the database file {path} is read-only" in done.out
    assert "OperationalError" not in done.out


def test_a_read_only_folder_is_named(tmp_path, monkeypatch):
    from sqlalchemy.exc import OperationalError

    file = tmp_path / "board.db"
    file.write_bytes(b"")
    real_access = os.access
    monkeypatch.setattr(database.os, "access", lambda p, mode: False if Path(p) == tmp_path else real_access(p, mode))
    exc = OperationalError("INSERT", {}, Exception("attempt to write a readonly database"))
    said = database.read_only_problem(f"sqlite:///{file}", exc)
    assert said == f"the folder {tmp_path} holding the database is read-only (SQLite writes its journal there)."
    assert (
        database.read_only_problem(f"sqlite:///{file}", OperationalError("x", {}, Exception("disk I/O error"))) is None
    )


# --- names: too long, not UTF-8 ----------------------------------------------------------------------


def test_a_too_long_out_name_is_the_file_systems_limit_not_the_databases(cli, db, tmp_path):
    out = tmp_path / ("a" * 300 + ".pdf")
    done = cli("pack", "--plan", PLAN, "--format", "pdf", "--out", out, "--db", db)
    assert done.code == 2
    said = one_sentence(done.err)
    assert "too long for the file system" in said and "database" not in said


def test_a_file_name_that_is_not_utf8_is_named_safely(cli, db, tmp_path):
    name = os.fsdecode(b"q\xff2.xlsx")  # as Python gives a non-UTF-8 command-line argument
    tracker = tmp_path / name
    tracker.write_bytes(messy.build_xlsx(title_rows=True))
    done = cli("import", tracker, "--db", db, "--plan", "Anytown")
    assert done.code == 0, done.out
    assert "from q\\xff2.xlsx into 'Anytown'" in done.out and "unexpected" not in done.out
    listed = cli("reviews", "--plan", "Anytown", "--db", db)
    assert "q\\xff2.xlsx" in listed.out
    missing = cli("import", tmp_path / os.fsdecode(b"gone\xfe.xlsx"), "--db", db, "--plan", "Anytown")
    assert missing.code == 2 and "REFUSED  gone\\xfe.xlsx cannot be opened (No such file or directory)." in missing.out
    packed = cli(
        "pack", "--plan", "Anytown", "--format", "xlsx", "--out", tmp_path / os.fsdecode(b"p\xff.xlsx"), "--db", db
    )
    assert packed.code == 0 and "Wrote " in packed.out and "p\\xff.xlsx" in packed.out


# --- numbers out of range ----------------------------------------------------------------------------


def test_restore_of_a_huge_review_number_is_out_of_range(cli, db):
    done = cli("reviews", "--plan", PLAN, "--restore", "9" * 40, "--db", db)
    assert done.code == 2
    assert "is not a review number of any plan (out of range)" in one_sentence(done.err)
    assert cli("reviews", "--plan", PLAN, "--restore", "-1", "--db", db).code == 2


# --- the database's folder and driver ----------------------------------------------------------------


def test_a_database_in_a_folder_that_does_not_exist_is_refused_not_created(cli, tmp_path):
    missing = tmp_path / "nonexistent" / "dir"
    for args in (("migrate",), ("reviews", "--plan", "X"), ("import", tmp_path / "x.xlsx", "--plan", "X")):
        done = cli(*args, "--db", f"sqlite:///{missing / 'b.db'}")
        assert done.code == 2
        text = one_sentence(done.err)
        assert f"the folder '{missing}' for the database" in text and "does not exist" in text
    assert not (tmp_path / "nonexistent").exists()


def test_the_apps_own_database_folder_is_still_made(tmp_path, monkeypatch):
    """`make run` on a fresh checkout: data/ does not exist yet, and the default database makes it."""
    default = tmp_path / "data" / "board.db"
    monkeypatch.setattr(database, "DEFAULT_SQLITE_PATH", default)
    monkeypatch.delenv("BOARD_DATABASE_URL", raising=False)
    monkeypatch.setattr(database, "SECRETS_PATH", tmp_path / "no-secrets.toml")
    engine = database.make_engine()
    try:
        assert (tmp_path / "data").is_dir()
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("url", "driver"),
    [("mysql://board:secret@localhost/board", "MySQLdb"), ("mssql+pyodbc://board:secret@dsn", "pyodbc")],
)
def test_a_database_driver_that_is_not_installed_is_named(cli, url, driver):
    done = cli("migrate", "--db", url)
    assert done.code == 2
    said = one_sentence(done.err)
    assert f"needs the Python driver '{driver}', which is not installed" in said and "secret" not in said
