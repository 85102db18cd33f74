"""`audit`: print the audit trail (newest first), for one plan or all; times in Europe/London."""

from __future__ import annotations

import json

import pandas as pd

from data_access.cli import terminal_text
from data_access.cli.entry import CommandError, add_db_option, migrated_database
from data_access.storage import audit_trail


def register(subparsers) -> None:
    p = subparsers.add_parser("audit", help="print the audit trail: who did what, when, to which plan")
    p.add_argument("--plan", metavar="NAME", help="only this plan (a deleted plan's name works too)")
    p.add_argument("--json", action="store_true", help="print one JSON document")
    add_db_option(p)
    p.set_defaults(func=run)


def run(args) -> int:
    with migrated_database(args) as engine:
        plan = None
        if args.plan is not None:
            plan = audit_trail.find_plan(engine, args.plan)
            if plan is None:
                raise CommandError(f"the audit trail names no plan called '{terminal_text.safe(args.plan)}'")
        rows = audit_trail.trail(engine, plan=plan)
    if args.json:
        print(
            terminal_text.safe_json(
                json.dumps(
                    {"plan": plan.name if plan else None, "events": audit_trail.as_json(rows)}, ensure_ascii=False
                )
            )
        )
        return 0
    if rows.empty:
        print("The audit trail is empty" + (f" for '{terminal_text.safe(plan.label)}'." if plan else "."))
        return 0
    for r in rows.itertuples(index=False):
        about = [terminal_text.safe(r.plan_name)] if r.plan_name else []
        if pd.notna(r.review_id):
            about.append(f"review {int(r.review_id)}")
        where = f"  [{', '.join(about)}]" if about else ""
        print(f"{r.when}  {terminal_text.safe(r.actor)}  {r.action}{where}  {terminal_text.safe(r.summary)}")
    return 0
