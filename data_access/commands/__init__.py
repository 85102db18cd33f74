"""One module per subcommand, each with `register(subparsers)`; data_access.cli loads only the one
being run. Their names and one-line help live here so that `python -m data_access --help` lists
them without importing any of them (pandas, SQLAlchemy and Alembic cost about a second)."""

from __future__ import annotations

from typing import NamedTuple


class Command(NamedTuple):
    module: str  # data_access.commands.<module>
    help: str  # the same words the module's register() gives (tests/data_access/test_cli_lazy.py checks)
    # "module:function" called with the parsed arguments before the command runs (and before it
    # imports the database libraries), to start slow work early
    warm_up: str | None = None


COMMANDS: dict[str, Command] = {
    "audit": Command("audit", "print the audit trail: who did what, when, to which plan"),
    "import": Command(
        "importcmd",
        "import tracker spreadsheets (.xlsx, .xls, .ods, .csv) as reviews of a plan",
        # the file is read in a child process: start reading while this one imports SQLAlchemy
        warm_up="data_access.commands.importcmd:warm_up",
    ),
    "migrate": Command("migrate", "upgrade the database schema to the latest version"),
    "pack": Command(
        "pack", "write a board pack (pdf), slide deck (pptx), cabinet report (docx), actions (xlsx) or tracker"
    ),
    "reviews": Command("reviews", "list a plan's reviews, or restore a replaced review"),
    "seed": Command("seed", "load the sample action plans into the database"),
    "trends": Command("trends", "status mix per review and movements between two reviews"),
}
