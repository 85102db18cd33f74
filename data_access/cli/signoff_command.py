"""`signoff`: record the board's sign-off of complete actions of a review, with the evidence it
saw (issue 25); one audit entry. An action that is not complete is refused (exit 2), and then
nothing is recorded."""

from __future__ import annotations

from data_access.cli import terminal_text
from data_access.cli.entry import CommandError, add_db_option, iso_date, migrated_database
from data_access.domain import signoff_rules
from data_access.domain.wording import long_date
from data_access.storage import audit_trail, board_decisions


def register(subparsers) -> None:
    p = subparsers.add_parser("signoff", help="record the board's sign-off of complete actions, with evidence")
    p.add_argument("--plan", required=True, metavar="NAME", help="the plan's name")
    p.add_argument("--review", required=True, metavar="YYYY-MM-DD", help="the review's as-at date")
    p.add_argument("--actions", required=True, metavar="ID[,ID...]", help="the actions' IDs, comma-separated")
    p.add_argument("--evidence", required=True, metavar="TEXT", help="the evidence the board saw")
    p.add_argument("--meeting", metavar="YYYY-MM-DD", help="the meeting that signed off (default: the review date)")
    p.add_argument("--links", metavar="TEXT", help="links to the evidence")
    p.add_argument("--note", metavar="TEXT", help="a note")
    add_db_option(p)
    p.set_defaults(func=run)


def run(args) -> int:
    review = iso_date(args.review, "--review")
    meeting = iso_date(args.meeting, "--meeting") if args.meeting else None
    with migrated_database(args) as engine:
        try:
            keys = board_decisions.sign_off(
                engine,
                plan_name=args.plan,
                review_as_at=review,
                action_keys=args.actions.split(","),
                actor=audit_trail.COMMAND_LINE,
                source=signoff_rules.FROM_COMMAND_LINE,
                meeting_date=meeting,
                evidence=args.evidence,
                links=args.links,
                note=args.note,
            )
        except board_decisions.DecisionRefused as refused:
            raise CommandError(terminal_text.safe(str(refused))) from None
    print(f"Signed off {terminal_text.safe(', '.join(keys))} in the review of {long_date(review)}.")
    return 0
