"""`reviews`: list a plan's reviews (replaced ones too), and restore a replaced review."""

from __future__ import annotations

import pandas as pd

from data_access.cli import terminal_text
from data_access.cli.entry import CommandError, add_db_option, migrated_database, plan_called
from data_access.domain.wording import stored_time
from data_access.reads import catalogue
from data_access.storage import audit_trail, plan_admin


def register(subparsers) -> None:
    p = subparsers.add_parser("reviews", help="list a plan's reviews, or restore a replaced review")
    p.add_argument("--plan", required=True, metavar="NAME", help="the plan's name")
    p.add_argument("--restore", type=int, metavar="REVIEW_ID", help="bring back this replaced review")
    add_db_option(p)
    p.set_defaults(func=run)


def run(args) -> int:
    with migrated_database(args) as engine:
        plan_id = plan_called(engine, args.plan)
        history = catalogue.review_history(engine, plan_id)
        if args.restore is not None:
            if not 0 < args.restore < 2**63:  # SQLite and PostgreSQL ids are 64-bit: this one cannot exist
                raise CommandError(
                    f"--restore {args.restore} is not a review number of any plan (out of range); "
                    f"the plan's reviews are listed by `reviews --plan NAME`."
                )
            try:
                hidden = plan_admin.restore_review(
                    engine, args.restore, actor=audit_trail.COMMAND_LINE, plan_id=plan_id
                )
            except plan_admin.ChangeRefused as refused:
                raise CommandError(str(refused)) from None
            kept = ", ".join(str(i) for i in hidden) or "none"
            print(f"Restored review {args.restore}; hidden in its place (kept, restorable): {kept}.")
            history = catalogue.review_history(engine, plan_id)
        for r in history.itertuples():
            state = "current" if pd.isna(r.replaced_by_id) else f"replaced by {int(r.replaced_by_id)}"
            # File and sheet names, labels and users come from outside: printed through terminal_text.safe.
            where = terminal_text.safe(r.source) + (f" [{terminal_text.safe(r.sheet)}]" if r.sheet else "")
            label, imported = terminal_text.safe(r.label), stored_time(r.imported_at)
            print(
                f"{r.id:>5}  {r.as_at}  {label:<11} {state:<16} {where}  imported {imported}"
                + (f" by {terminal_text.safe(r.imported_by)}" if r.imported_by else "")
            )
    return 0
