"""`python -m data_access ...`: the command line. Each subcommand is a module in
data_access/cli/ (an `*_command.py` file) with `register(subparsers)`, which sets `func(args) -> exit code`.

Only the module of the subcommand being run is imported: `--help` lists the subcommands from
data_access.cli.command_list.COMMANDS alone, so it answers in a fraction of a second.

No input makes it print a traceback: a problem is one sentence on stderr and exit code 2 (a bad
--db URL, a database that cannot be reached, a database busy for too long); a writer that has to
wait for another says so on stderr first. A closed pipe (`... | head`) ends it quietly
(data_access/__main__.py)."""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from data_access.cli import terminal_text  # plain re only: the command line stays quick to start
from data_access.cli.command_list import COMMANDS


class CommandError(Exception):
    """A problem to tell the user in one sentence (exit code 2, no traceback)."""


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The parser, with the full options of the subcommand named in argv (every subcommand when
    argv is None) and only the name and help of the others."""
    parser = argparse.ArgumentParser(
        prog="python -m data_access",
        description="Improvement Board: action plans after an Ofsted inspection, from the command line.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    wanted = set(COMMANDS) if argv is None else {a for a in argv[:1] if a in COMMANDS}
    for name, command in COMMANDS.items():
        if name in wanted:
            importlib.import_module(f"data_access.cli.{command.module}").register(subparsers)
        else:
            subparsers.add_parser(name, help=command.help)
    return parser


def iso_date(text: str, option: str) -> dt.date:
    """A date given on the command line (YYYY-MM-DD), else one sentence naming the option."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise CommandError(
            f"{option} '{terminal_text.safe(text)}' is not a date; write it as YYYY-MM-DD (e.g. 2018-03-31)."
        ) from None


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="URL", help="SQLAlchemy database URL (default: the app's configured database)")


@contextmanager
def migrated_database(args: argparse.Namespace) -> Iterator:
    """The command's database (--db, else the app's configured one), migrated to the current
    schema first, and its connections closed when the command is done: the one way a command opens
    the database (import opens its own, to check the schema before a dry run)."""
    from data_access.storage.database import database_url, make_engine, upgrade

    engine = make_engine(database_url(getattr(args, "db", None)))
    try:
        upgrade(engine)
        yield engine
    finally:
        engine.dispose()


def plan_called(engine, name: str, hint: str = "") -> int:
    """The id of the plan with this name, or a CommandError that says there is none (one wording
    for every command; `hint` adds what else the option takes)."""
    from data_access.storage.plan_writer import find_plan

    with engine.connect() as conn:
        plan_id = find_plan(conn, name)
    if plan_id is None:
        raise CommandError(f"there is no plan called '{name}'{hint}.")
    return plan_id


def _say_waiting(sentence: str) -> None:
    print(sentence, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser(argv).parse_args(argv)  # --help ends here, before any database library loads
    warm_up = COMMANDS[args.command].warm_up
    if warm_up and not any(a in ("-h", "--help") for a in argv):
        module, function = warm_up.split(":")
        getattr(importlib.import_module(module), function)(args)
    from data_access.storage.database import DatabaseBusy, DatabaseProblem, notify_waits

    try:
        with notify_waits(_say_waiting):
            return int(args.func(args) or 0)
    except CommandError as exc:
        print(f"error: {terminal_text.safe(exc)}", file=sys.stderr)
        return 2
    except (DatabaseBusy, DatabaseProblem) as exc:
        print(f"error: {terminal_text.safe(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        raise  # the reader went away (`| head`): __main__ ends quietly
    except Exception as exc:  # noqa: BLE001 - one sentence, never a traceback
        print(f"error: {terminal_text.safe(database_problem(exc, getattr(args, 'db', None)))}", file=sys.stderr)
        return 2


def database_problem(exc: Exception, explicit_url: str | None) -> str:
    """One sentence for an exception that escaped a command (most often: the database)."""
    from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

    from data_access.storage.database import database_url, describe_url, read_only_problem

    try:
        url = database_url(explicit_url)
    except Exception:  # noqa: BLE001 - an unreadable secrets.toml
        url = explicit_url or "the configured database"
    if isinstance(exc, (ArgumentError, NoSuchModuleError)):
        return (
            f"'{url}' is not a database URL this program can use ({_first_line(exc)}); "
            "give one like sqlite:///data/board.db or postgresql://user:password@host/database."
        )
    try:
        where = describe_url(url)
    except Exception:  # noqa: BLE001
        where = "the configured database"
    if isinstance(exc, DBAPIError):
        read_only = read_only_problem(url, exc)
        if read_only:
            return f"{read_only} Nothing was written."
        return f"the database at {where} could not be used: {_first_line(exc.orig or exc)}"
    if isinstance(exc, OSError):
        return f"the database at {where} could not be opened: {exc.strerror or _first_line(exc)}."
    return f"unexpected {type(exc).__name__} ({_first_line(exc)}); nothing more was done."


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return (lines[0] if lines else type(exc).__name__)[:200]
