"""`migrate`: bring the database schema to the latest version."""

from data_access.cli.entry import add_db_option
from data_access.storage.database import database_url, describe_url, make_engine, upgrade


def register(subparsers) -> None:
    p = subparsers.add_parser("migrate", help="upgrade the database schema to the latest version")
    add_db_option(p)
    p.set_defaults(func=run)


def run(args) -> int:
    url = database_url(args.db)
    upgrade(make_engine(url))
    print(f"Database at {describe_url(url)} is up to date.")
    return 0
