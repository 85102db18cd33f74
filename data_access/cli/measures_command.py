"""`measures`: a plan's stored measures of success, each with its points and where it stands.

    python -m data_access measures --plan NAME [--db URL] [--json]

Per indicator: unit, which way is better, the recommendations it evidences, its points (period end,
value, target) and the latest value against its period's target: Met, Not met or No data
(data_access/domain/measure_rules.py decides)."""

from __future__ import annotations

import json

from data_access.cli import terminal_text
from data_access.cli.entry import add_db_option, migrated_database, plan_called
from data_access.domain import measure_rules


def register(subparsers) -> None:
    p = subparsers.add_parser("measures", help="a plan's measures of success: points, latest value, target, met")
    p.add_argument("--plan", required=True, metavar="NAME", help="the plan's name")
    add_db_option(p)
    p.add_argument("--json", action="store_true", help="print one JSON document")
    p.set_defaults(func=run)


def build_document(plan_name: str, found: list) -> dict:
    """The JSON document the command prints."""
    out = []
    for m in found:
        s = m.standing
        out.append(
            {
                "name": m.name,
                "unit": m.unit,
                "better": m.better,
                "recommendations": list(m.recommendations),
                "points": [
                    {"period_end": p.period_end.isoformat(), "value": p.value, "target": p.target} for p in m.points
                ],
                "latest": {
                    "period_end": s.period_end.isoformat() if s.period_end else None,
                    "value": s.value,
                    "target": s.target,
                    "met": s.met,
                    "status": s.word,
                    "change": s.change,
                },
                "corrected_points": m.corrected,
            }
        )
    met, total = measure_rules.at_target(m.standing for m in found)
    return {"plan": plan_name, "measures": out, "at_target": {"met": met, "of": total}}


def run(args) -> int:
    from data_access.reads import measures

    with migrated_database(args) as engine:
        plan_id = plan_called(engine, args.plan)
        found = measures.plan_measures(engine, plan_id)
    if args.json:
        print(terminal_text.safe_json(json.dumps(build_document(args.plan, found), indent=2, ensure_ascii=False)))
        return 0
    print(terminal_text.safe(args.plan))
    if not found:
        print("No measures of success are stored for this plan.")
        return 0
    met, total = measures.at_target(found)
    print(measure_rules.at_target_text(met, total))
    for m in found:
        print()
        recs = ", ".join(m.recommendations) or "none"
        print(terminal_text.safe(f"{m.name} ({m.better} is better; recommendations: {recs})"))
        print("  " + terminal_text.safe(m.summary) + f"; {m.change}")
        for p in m.points:
            value = measure_rules.number_text(p.value, m.unit)
            target = measure_rules.number_text(p.target, m.unit) if p.target is not None else "no target"
            print(f"  {p.period_end.isoformat()}  {value:>12}  target {target}")
    return 0
