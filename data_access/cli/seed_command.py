"""`seed`: load the sample action plans (four real councils' plans, four quarterly reviews each)."""

from data_access.cli import terminal_text
from data_access.cli.entry import add_db_option, migrated_database
from data_access.importer.sample_seed import seed, seed_if_empty
from data_access.reads.catalogue import list_plans
from data_access.storage.database import database_url, describe_url
from sample_data.plans import build_plans


def register(subparsers) -> None:
    p = subparsers.add_parser("seed", help="load the sample action plans into the database")
    add_db_option(p)
    p.add_argument("--if-empty", action="store_true", help="only when the database has no plans yet")
    p.set_defaults(func=run)


def run(args) -> int:
    with migrated_database(args) as engine:
        loaded = seed_if_empty(engine) if args.if_empty else seed(engine)
        where = describe_url(database_url(args.db))
        if not loaded:
            reason = "it already has plans" if args.if_empty else "they are already there"
            print(f"No sample plans loaded into {where}: {reason}.")
            return 0
        print(f"Loaded {loaded} sample plan(s) into {where}:")
        sample_names = {plan.info.name for plan in build_plans()}
        for plan in list_plans(engine).itertuples():
            if plan.name not in sample_names:
                continue
            print(f"  {terminal_text.safe(plan.name)}: {plan.reviews} review(s), latest as at {plan.latest_as_at}")
    return 0
