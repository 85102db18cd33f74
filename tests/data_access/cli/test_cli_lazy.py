"""The command line loads only what a command needs (issue 9 item 8): --help imports no
subcommand, and the names and help it lists agree with the subcommands' own."""

from __future__ import annotations

import json
import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

from data_access.cli import entry
from data_access.cli.command_list import COMMANDS

ROOT = Path(__file__).resolve().parents[3]


def _modules_after(code: str) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", code + "\nimport json, sys; print(json.dumps(sorted(sys.modules)))"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return set(json.loads(result.stdout.splitlines()[-1]))


def test_every_command_module_is_listed():
    import data_access.cli

    modules = {m.name for m in pkgutil.iter_modules(data_access.cli.__path__) if m.name.endswith("_command")}
    assert modules == {c.module for c in COMMANDS.values()}


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_listed_help_is_the_commands_own(name):
    """The short help --help shows (from COMMANDS) is the help the module registers."""
    full = entry.build_parser([name])
    listed = entry.build_parser(["--help"])
    helps = {
        parser_: {a.dest: a.help for a in p._subparsers._group_actions[0]._choices_actions}
        for parser_, p in (("full", full), ("listed", listed))
    }
    assert helps["full"][name] == helps["listed"][name] == COMMANDS[name].help


def test_help_imports_no_subcommand_nor_database_libraries():
    loaded = _modules_after(
        "from data_access.cli.entry import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass"
    )
    assert not {m for m in loaded if m.endswith("_command")}
    assert not {"sqlalchemy", "pandas", "alembic", "python_calamine", "openpyxl"} & loaded


def test_the_import_reader_starts_before_sqlalchemy_loads():
    """`import` warms up by starting to read its first file in the reader process, so that the
    reading overlaps this process importing SQLAlchemy. Neither parsing the command's options nor
    the warm-up may load SQLAlchemy (import_command once
    imported data_access.storage.audit_trail at the top, and the overlap never happened)."""
    tracker = next((ROOT / "sample_data" / "trackers").glob("*.xlsx"))
    loaded = _modules_after(
        "from data_access.cli import entry\n"
        f"args = entry.build_parser(['import', {str(tracker)!r}]).parse_args(['import', {str(tracker)!r}])\n"
        "from data_access.cli import import_command\n"
        "import_command.warm_up(args)\n"
        "from data_access.importer.reading import sandbox\n"
        "assert sandbox._ahead is not None  # reading it has started"
    )
    assert "data_access.cli.import_command" in loaded
    assert not {"sqlalchemy", "pandas", "alembic"} & loaded
    assert COMMANDS["import"].warm_up == "data_access.cli.import_command:warm_up"


def test_help_lists_every_command(capsys):
    with pytest.raises(SystemExit):
        entry.main(["--help"])
    out = capsys.readouterr().out
    for name in COMMANDS:
        assert f"    {name}" in out


def test_import_dry_run_loads_neither_pandas_nor_alembic(tmp_path):
    from tests.data_access.importer import messy

    tracker = tmp_path / "plan.xlsx"
    tracker.write_bytes(messy.build_xlsx(title_rows=True))
    db = f"sqlite:///{tmp_path / 'board.db'}"
    subprocess.run(
        [sys.executable, "-m", "data_access", "migrate", "--db", db],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=True,
        capture_output=True,
        timeout=120,
    )
    loaded = _modules_after(
        "from data_access.cli.entry import main\n"
        f"assert main(['import', {str(tracker)!r}, '--dry-run', '--as-at', '2018-06-30', '--db', {db!r}]) == 0"
    )
    assert "sqlalchemy" in loaded
    assert not {"pandas", "alembic", "openpyxl", "data_access.cli.reviews_command"} & loaded


def test_schema_head_read_from_the_files_agrees_with_alembic():
    from alembic.script import ScriptDirectory

    from data_access.storage.database import alembic_config, schema_head

    assert schema_head() == ScriptDirectory.from_config(alembic_config()).get_current_head()


def test_is_at_head(engine, tmp_path):
    from data_access.storage.database import is_at_head, make_engine

    assert is_at_head(engine)
    assert not is_at_head(make_engine(f"sqlite:///{tmp_path / 'new.db'}"))
