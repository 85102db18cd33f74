"""`round`: the monthly update round from the command line (issue 26), for scripted updates from
partner systems. `round open|status|close --plan NAME` (editors' steps; `--date`, `--deadline`,
`--json`) and `round update --plan NAME --action ID --status S [--note …] [--due YYYY-MM-DD
--due-reason TEXT]` (a due date change request, approved by the board later). Every write goes
through storage/update_rounds.py, which checks the person's role and scope and writes the audit
trail like the app. Without `--as` the person is the operator of a local installation (who may do
everything, as the command line always could); `--as EMAIL` acts as that person: a lead where the
plan's lead mapping names them, a partner or other role where `--groups` names groups that
BOARD_ROLE_GROUPS maps to one (as a provider's groups claim would), else a viewer."""

from __future__ import annotations

import json

from data_access.cli import terminal_text
from data_access.cli.entry import CommandError, add_db_option, iso_date, migrated_database, plan_called
from data_access.config import environment
from data_access.domain import permissions, round_rules
from data_access.domain.wording import long_date
from data_access.storage import audit_trail

STEPS = ("open", "status", "close", "update")


def register(subparsers) -> None:
    p = subparsers.add_parser("round", help="the monthly update round: open, status, close, or update an action")
    p.add_argument("step", choices=STEPS, help="open, status, close, or update an action")
    p.add_argument("--plan", required=True, metavar="NAME", help="the plan's name")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="open: the review date the round closes into")
    p.add_argument("--deadline", metavar="YYYY-MM-DD", help="open: when updates are due")
    p.add_argument("--json", action="store_true", help="status: print JSON")
    p.add_argument("--action", metavar="ID", help="update: the action's ID")
    p.add_argument("--status", metavar="STATUS", help="update: complete, green, amber, red or unknown (or R, A, G, B)")
    p.add_argument("--note", metavar="TEXT", help="update: the progress note")
    p.add_argument("--mitigation", metavar="TEXT", help="update: what is done about a red or amber status")
    p.add_argument("--board-ask", metavar="TEXT", help="update: what we need from the board")
    p.add_argument("--evidence", metavar="TEXT", help="update: the evidence")
    p.add_argument(
        "--due",
        metavar="YYYY-MM-DD",
        help="update: ask for a new due date (needs --due-reason; the board approves it); 'none' withdraws the request",
    )
    p.add_argument("--due-reason", metavar="TEXT", help="update: why the due date should change")
    p.add_argument("--as", dest="as_person", metavar="EMAIL", help="act as this person (default: the local operator)")
    p.add_argument("--groups", metavar="G[,G...]", help="with --as: the person's groups, mapped by BOARD_ROLE_GROUPS")
    add_db_option(p)
    p.set_defaults(func=run)


def person(args) -> permissions.Person:
    """Who is acting: the local operator, or the person named by --as (module docstring)."""
    if not args.as_person:
        if args.groups:
            raise CommandError("--groups goes with --as EMAIL (the person whose groups they are).")
        return permissions.Person(environment.operator(audit_trail.COMMAND_LINE), permissions.ADMIN)
    try:
        mapping = permissions.parse_role_groups(environment.value(environment.ROLE_GROUPS))
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    groups = frozenset(g.strip() for g in (args.groups or "").split(",") if g.strip())
    mapped = permissions.role_from_groups(groups, mapping)
    identity = args.as_person.strip()
    if not identity:
        raise CommandError("--as needs the person's email.")
    if mapped is None:
        return permissions.Person(identity, permissions.VIEWER, None, groups)
    return permissions.Person(identity, mapped.role, mapped.organisation, groups)


def run(args) -> int:
    from data_access.reads import round_progress
    from data_access.storage import update_rounds

    who = person(args)
    with migrated_database(args) as engine:
        plan_id = plan_called(engine, args.plan)
        try:
            if args.step == "open":
                if args.date is None:
                    raise CommandError("round open needs --date YYYY-MM-DD: the review date the round closes into.")
                as_at = iso_date(args.date, "--date")
                deadline = iso_date(args.deadline, "--deadline") if args.deadline else None
                update_rounds.open_round(engine, plan_name=args.plan, as_at=as_at, deadline=deadline, person=who)
                due = f", updates due by {long_date(deadline)}" if deadline else ""
                print(f"Opened an update round for the review of {long_date(as_at)}{due}.")
                return 0
            info = round_progress.open_round(engine, plan_id)
            if info is None:
                raise CommandError(f"'{terminal_text.safe(args.plan)}' has no update round open.")
            if args.step == "status":
                return _status(info, round_progress.round_actions(engine, info), args.json)
            if args.step == "close":
                closed = update_rounds.close_round(engine, plan_name=args.plan, person=who)
                print(
                    f"Closed the round into the review of {long_date(info.as_at)}: {closed.updated} updated, "
                    f"{closed.not_updated} marked '{round_rules.NO_UPDATE}'."
                )
                return 0
            return _update(engine, info, args, who)
        except round_rules.RoundRefused as refused:
            raise CommandError(terminal_text.safe(str(refused))) from None


def _status(info, actions, as_json: bool) -> int:
    from data_access.reads import round_progress

    status = round_progress.round_status(info, actions)
    if as_json:
        print(json.dumps(status.as_json(), ensure_ascii=False, indent=2))
        return 0
    due = f", updates due by {long_date(info.deadline)}" if info.deadline else ""
    print(terminal_text.safe(f"{info.plan_name}: round for the review of {long_date(info.as_at)}{due}"))
    print(f"{status.updated} of {status.actions} actions updated, {status.outstanding} outstanding")
    for title, rows in (("By lead", status.by_lead), ("By organisation", status.by_organisation)):
        if rows:
            print(f"{title}:")
            for name, updated, waiting in rows:
                print(terminal_text.safe(f"  {name}: {updated} updated, {waiting} outstanding"))
    return 0


def _update(engine, info, args, who: permissions.Person) -> int:
    from data_access.domain.rules import STATUSES, normalise_status
    from data_access.reads import round_progress
    from data_access.storage import update_rounds

    if not args.action or not args.status:
        raise CommandError("round update needs --action ID and --status.")
    status = normalise_status(args.status)
    if args.status.strip().casefold() not in ("unknown", "?") and status == "unknown":
        raise CommandError(
            f"--status '{terminal_text.safe(args.status)}' is not a status: one of {', '.join(STATUSES)}."
        )
    action = next((a for a in round_progress.round_actions(engine, info) if a.key == args.action.strip()), None)
    if action is None:
        raise CommandError(f"'{terminal_text.safe(args.plan)}' has no action {terminal_text.safe(args.action)}.")
    now = action.now
    # A date change asked for earlier in the round stands unless --due changes or withdraws it.
    requested_due, due_reason = now.requested_due, now.due_change_reason
    if args.due is not None:
        withdraw = args.due.strip().casefold() == "none"
        requested_due = None if withdraw else iso_date(args.due, "--due")
        due_reason = None if withdraw else args.due_reason
    elif args.due_reason is not None:
        due_reason = args.due_reason
    fields = round_rules.UpdateFields(
        status=status,
        progress=args.note if args.note is not None else now.progress,
        evidence=args.evidence if args.evidence is not None else now.evidence,
        mitigation=args.mitigation if args.mitigation is not None else now.mitigation,
        board_ask=args.board_ask if args.board_ask is not None else now.board_ask,
        requested_due=requested_due,
        due_change_reason=due_reason,
    )
    try:
        version = update_rounds.record_update(
            engine,
            plan_name=args.plan,
            action_key=action.key,
            fields=fields,
            seen_version=action.version,
            person=who,
            source=round_rules.FROM_COMMAND_LINE,
        )
    except update_rounds.UpdateConflict as conflict:
        raise CommandError(
            terminal_text.safe(str(conflict)) + " Run the command again to update on top of it."
        ) from None
    asked = f"; new due date {long_date(requested_due)} asked for, awaiting approval" if requested_due else ""
    print(
        terminal_text.safe(
            f"Updated {action.key} ({status}) in the round for {long_date(info.as_at)}: version {version}{asked}."
        )
    )
    return 0
