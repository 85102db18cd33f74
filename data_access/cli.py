"""`python -m data_access ...`: the command line. Each subcommand is a module in
data_access/commands/ with `register(subparsers)`, which sets `func(args) -> exit code`."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from data_access import commands, terminal


class CommandError(Exception):
    """A problem to tell the user in one sentence (exit code 2, no traceback)."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m data_access",
        description="Improvement Board: action plans after an Ofsted inspection, from the command line.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        importlib.import_module(f"{commands.__name__}.{info.name}").register(subparsers)
    return parser


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="URL", help="SQLAlchemy database URL (default: the app's configured database)")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except CommandError as exc:
        print(f"error: {terminal.safe(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
