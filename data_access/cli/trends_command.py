"""`trends`: status mix per review and the movements between two reviews of a plan."""

from __future__ import annotations

import json

from data_access.cli import terminal_text
from data_access.cli.entry import CommandError, add_db_option, migrated_database, plan_called
from data_access.domain.rules import STATUS_STYLE, STATUSES
from data_access.reads import movements, review_lookup, review_summary, status_mix


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "trends",
        help="status mix per review and movements between two reviews",
        description="Status mix per review, and the movements between two reviews (default: the last two). "
        "A REVIEW is its label (e.g. 'Q2 2017/18') or its as-at date (YYYY-MM-DD).",
    )
    p.add_argument("--plan", required=True, metavar="NAME", help="the plan's name")
    p.add_argument(
        "--from", dest="from_review", metavar="REVIEW", help="the earlier review (default: the one before --to)"
    )
    p.add_argument("--to", dest="to_review", metavar="REVIEW", help="the later review (default: the latest)")
    add_db_option(p)
    p.add_argument("--json", action="store_true", help="print one JSON document")
    p.set_defaults(func=run)


def _pick_reviews(engine, plan_id: int, args) -> tuple[int, int]:
    reviews = review_lookup.current_reviews(engine, plan_id)
    if len(reviews) < 2:
        have = "no reviews" if not reviews else "only one review"
        raise CommandError(f"Plan '{args.plan}' has {have}; trends need at least two.")
    order = [r.id for r in reviews]

    def resolve(ref: str) -> int:
        try:
            return review_lookup.resolve_review(engine, plan_id, ref)
        except review_lookup.ReviewNotFound:
            known = ", ".join(f"{r.label} ({r.as_at.isoformat()})" for r in reviews)
            raise CommandError(
                f"Plan '{args.plan}' has no review labelled or dated '{ref}' (it has {known})."
            ) from None

    to_id = resolve(args.to_review) if args.to_review else order[-1]
    if args.from_review:
        from_id = resolve(args.from_review)
    else:
        position = order.index(to_id)
        if position == 0:
            raise CommandError(f"Review '{args.to_review}' is the plan's first review, so there is nothing before it.")
        from_id = order[position - 1]
    if from_id == to_id:
        raise CommandError("--from and --to name the same review; choose two different reviews.")
    if order.index(from_id) > order.index(to_id):
        raise CommandError("The --from review is later than the --to review; swap them.")
    return from_id, to_id


def build_document(engine, plan_name: str, plan_id: int, from_id: int, to_id: int) -> dict:
    """The JSON document the command prints (see the module help)."""
    mix = status_mix.status_mix(engine, plan_id)
    moves = movements.transitions(engine, from_id, to_id)
    return {
        "plan": plan_name,
        "reviews": [
            {
                "label": row.label,
                "as_at": row.as_at.isoformat(),
                "status_counts": {s: int(getattr(row, s)) for s in STATUSES},
                "overdue": int(row.overdue),
            }
            for row in mix.itertuples(index=False)
        ],
        "transitions": {
            "from": moves.from_review.label,
            "to": moves.to_review.label,
            "matrix": moves.matrix,
            "added": [a.key for a in moves.added],
            "dropped": [a.key for a in moves.dropped],
            "slipped": [a.key for a in moves.slipped],
            "completed": [a.key for a in moves.completed],
        },
    }


def _matrix_text(moves: movements.Transitions) -> str:
    words = [STATUS_STYLE[s].label for s in STATUSES]
    corner = terminal_text.safe(f"{moves.from_review.label} \\ {moves.to_review.label}")
    first = max(len(corner), *(len(w) for w in words))
    width = max(len(w) for w in words)
    lines = [corner.ljust(first) + "".join(w.rjust(width + 2) for w in words)]
    for s, w in zip(STATUSES, words, strict=True):
        lines.append(w.ljust(first) + "".join(str(moves.matrix[s][t]).rjust(width + 2) for t in STATUSES))
    return "\n".join(lines)


def run(args) -> int:
    with migrated_database(args) as engine:
        plan_id = plan_called(engine, args.plan)
        try:
            from_id, to_id = _pick_reviews(engine, plan_id, args)
            if args.json:
                print(json.dumps(build_document(engine, args.plan, plan_id, from_id, to_id), indent=2))
                return 0
            summary = review_summary.since_last_review_summary(engine, plan_id, from_id, to_id)
            moves = movements.transitions(engine, from_id, to_id)
        except review_lookup.TrendsError as exc:
            raise CommandError(f"Plan '{args.plan}': {exc}") from None
        print(terminal_text.safe(args.plan))
        print(terminal_text.safe(summary))
        print()
        print("Status movements (rows: from, columns: to):")
        print(_matrix_text(moves))
        return 0
