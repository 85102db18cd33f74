"""`dates`: every due date change of a plan with its approval (issue 25): from, to, reason, who
approved and when, and its state (approved, not approved, refused)."""

from __future__ import annotations

import json

from data_access.cli import terminal_text
from data_access.cli.entry import add_db_option, migrated_database, plan_called
from data_access.domain import signoff_rules
from data_access.reads import signoff_figures


def register(subparsers) -> None:
    p = subparsers.add_parser("dates", help="list a plan's due date changes and their approval")
    p.add_argument("--plan", required=True, metavar="NAME", help="the plan's name")
    p.add_argument("--json", action="store_true", help="print one JSON document")
    add_db_option(p)
    p.set_defaults(func=run)


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def run(args) -> int:
    with migrated_database(args) as engine:
        plan_id = plan_called(engine, args.plan)
        changes = signoff_figures.date_changes(engine, plan_id)
    rows = [
        {
            "action": c.action_key,
            "from": _iso(c.from_date),
            "to": _iso(c.to_date),
            "reason": c.reason,
            "approved_by": c.approved_by,
            "approved_on": _iso(c.approved_on),
            "state": c.state,
            "source": c.source,
        }
        for c in changes
    ]
    if args.json:
        print(terminal_text.safe_json(json.dumps({"plan": args.plan, "changes": rows}, indent=2, ensure_ascii=False)))
        return 0
    if not rows:
        print("No due date changes recorded.")
    for r in rows:
        approval = f" by {r['approved_by']}" if r["approved_by"] else ""
        reason = f" ({r['reason']})" if r["reason"] else ""
        print(
            terminal_text.safe(
                f"{r['action']}: {r['from']} -> {r['to']}  {signoff_rules.STATE_WORDS[r['state']]}{approval}{reason}"
            )
        )
    return 0
