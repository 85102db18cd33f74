"""`python -m data_access ...`: the command line. Each subcommand is a module in
data_access/commands/ with `register(subparsers)`, which sets `func(args) -> exit code`.

Only the module of the subcommand being run is imported: `--help` lists the subcommands from
data_access.commands.COMMANDS alone, so it answers in a fraction of a second."""

from __future__ import annotations

import argparse
import importlib
import sys

from data_access.commands import COMMANDS


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
            importlib.import_module(f"data_access.commands.{command.module}").register(subparsers)
        else:
            subparsers.add_parser(name, help=command.help)
    return parser


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="URL", help="SQLAlchemy database URL (default: the app's configured database)")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser(argv).parse_args(argv)
    warm_up = COMMANDS[args.command].warm_up
    if warm_up and not any(a in ("-h", "--help") for a in argv):
        module, function = warm_up.split(":")
        getattr(importlib.import_module(module), function)()
    try:
        return int(args.func(args) or 0)
    except CommandError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
