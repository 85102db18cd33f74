"""One module per subcommand, each with `register(subparsers)`; data_access.cli.entry loads only the one
being run. Their names and one-line help live here so that `python -m data_access --help` lists
them without importing any of them (pandas, SQLAlchemy and Alembic cost about a second)."""

from __future__ import annotations

from typing import NamedTuple

from data_access.papers import formats  # the registry alone: it loads nothing heavy


class Command(NamedTuple):
    module: str  # data_access.cli.<module>
    help: str  # the same words the module's register() gives (tests/data_access/cli/test_cli_lazy.py checks)
    # "module:function" called with the parsed arguments before the command runs (and before it
    # imports the database libraries), to start slow work early
    warm_up: str | None = None


COMMANDS: dict[str, Command] = {
    "audit": Command("audit_command", "print the audit trail: who did what, when, to which plan"),
    "import": Command(
        "import_command",
        "import trackers (.xlsx, .xls, .ods, .csv) or Word action plans (.docx) as reviews of a plan",
        # the file is read in a child process: start reading while this one imports SQLAlchemy
        warm_up="data_access.cli.import_command:warm_up",
    ),
    "measures": Command("measures_command", "a plan's measures of success: points, latest value, target, met"),
    "migrate": Command("migrate_command", "upgrade the database schema to the latest version"),
    "pack": Command("pack_command", formats.cli_help()),
    "round": Command("round_command", "the monthly update round: open, status, close, or update an action"),
    "reviews": Command("reviews_command", "list a plan's reviews, or restore a replaced review"),
    "seed": Command("seed_command", "load the sample action plans into the database"),
    "signoff": Command("signoff_command", "record the board's sign-off of complete actions, with evidence"),
    "dates": Command("dates_command", "list a plan's due date changes and their approval"),
    "trends": Command("trends_command", "status mix per review and movements between two reviews"),
}
