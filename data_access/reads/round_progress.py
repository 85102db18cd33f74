"""The update round, read (issue 26): the plan's open round, each action with where it stood and
its update in the round, progress by lead and by organisation, what is outstanding, the reminder
list an editor copies (nothing is e-mailed), and the actions a person may update ("My actions").

Writes are storage/update_rounds.py; the rules are domain/round_rules.py and domain/permissions.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, select

from data_access.domain import permissions, round_rules
from data_access.domain.round_rules import UpdateFields
from data_access.domain.rules import effective_due
from data_access.domain.wording import long_date
from data_access.storage import update_rounds
from data_access.storage.schema import Action, Plan, UpdateRound
from data_access.storage.update_rounds import SavedUpdate

NO_LEAD, NO_ORGANISATION = "No lead named", "No partner agency"


@dataclass(frozen=True)
class RoundInfo:
    round_id: int
    plan_id: int
    plan_name: str
    as_at: dt.date
    deadline: dt.date | None
    state: str
    opened_by: str
    opened_at: dt.datetime
    closed_by: str | None = None
    review_id: int | None = None


@dataclass(frozen=True)
class RoundAction:
    """One action in a round: where it stood (its latest review) and its update, if any."""

    action_id: int
    key: str
    rec_ref: str
    description: str
    lead: str | None
    partner: str | None
    due: dt.date | None  # the effective due date it stands at
    start: UpdateFields  # as the latest review left it
    update: SavedUpdate | None  # its latest update in the round

    @property
    def updated(self) -> bool:
        return self.update is not None

    @property
    def expected(self) -> bool:
        """The round asks for its update (round_rules.expects_update: not complete when it opened)."""
        return round_rules.expects_update(self.start.status)

    @property
    def version(self) -> int:
        return self.update.version if self.update else 0

    @property
    def now(self) -> UpdateFields:
        """The action's state in the round: its update, else where it stood."""
        return self.update.fields if self.update else self.start


def _info(rnd, plan_name: str) -> RoundInfo:
    """An update_round row (its columns) as a RoundInfo."""
    return RoundInfo(
        rnd.id,
        rnd.plan_id,
        plan_name,
        rnd.as_at,
        rnd.deadline,
        rnd.state,
        rnd.opened_by,
        rnd.opened_at,
        rnd.closed_by,
        rnd.review_id,
    )


def open_round(engine: Engine, plan_id: int) -> RoundInfo | None:
    """The plan's open round, or None."""
    with engine.connect() as conn:
        rnd = update_rounds.open_round_row(conn, plan_id)
        if rnd is None:
            return None
        name = conn.execute(select(Plan.name).where(Plan.id == plan_id)).scalar_one()
        return _info(rnd, name)


def latest_round(engine: Engine, plan_id: int) -> RoundInfo | None:
    """The plan's open round, else its most recently closed one, else None."""
    with engine.connect() as conn:
        row = conn.execute(
            select(UpdateRound, Plan.name)
            .join(Plan, Plan.id == UpdateRound.plan_id)
            .where(UpdateRound.plan_id == plan_id)
            .order_by((UpdateRound.state == round_rules.OPEN).desc(), UpdateRound.id.desc())
            .limit(1)
        ).first()
    return _info(row, row.name) if row else None


def lead_identities(engine: Engine, plan_id: int) -> dict[str, list[str]]:
    """The plan's lead mapping: {lead as the plan names it: [identities or groups]}."""
    with engine.connect() as conn:
        text = conn.execute(select(Plan.lead_identities).where(Plan.id == plan_id)).scalar_one_or_none()
    return update_rounds.lead_map(text)


def plan_leads(engine: Engine, plan_id: int) -> list[str]:
    """Every lead the plan's actions name, in alphabetical order (for the lead mapping)."""
    with engine.connect() as conn:
        leads = conn.execute(
            select(Action.lead).where(Action.plan_id == plan_id, Action.lead.is_not(None)).distinct()
        ).scalars()
        return sorted({" ".join(lead.split()) for lead in leads if lead.strip()}, key=str.casefold)


def round_actions(engine: Engine, info: RoundInfo) -> list[RoundAction]:
    """Every action of the round (the plan's latest review before its date), in plan order."""
    with engine.connect() as conn:
        base = update_rounds.base_review_id(conn, info.plan_id, info.as_at)
        rows = update_rounds.base_rows(conn, base) if base is not None else []
        saved = update_rounds.latest_updates(conn, info.round_id)
    return [
        RoundAction(
            r.action_id,
            r.key,
            r.rec_ref,
            r.description,
            r.lead,
            r.partner,
            effective_due(r.due_date, r.revised_due_date),
            update_rounds.base_fields(r),
            saved.get(r.action_id),
        )
        for r in rows
    ]


def my_actions(engine: Engine, info: RoundInfo, person: permissions.Person) -> list[RoundAction]:
    """The round's actions this person may update (permissions.may_update): a lead's own, a
    partner's organisation's; every action for an editor."""
    mapping = lead_identities(engine, info.plan_id)
    return [a for a in round_actions(engine, info) if permissions.may_update(person, a.lead, a.partner, mapping)]


@dataclass(frozen=True)
class RoundStatus:
    plan: str
    date: dt.date
    deadline: dt.date | None
    actions: int
    updated: int
    outstanding: int
    by_lead: list[tuple[str, int, int]]  # (lead, updated, outstanding)
    by_organisation: list[tuple[str, int, int]]  # (organisation, updated, outstanding); [] when none named
    updaters: list[tuple[str, int]]  # (who, actions updated), most first

    def as_json(self) -> dict:
        """The shape `round status --json` prints."""
        return {
            "plan": self.plan,
            "date": self.date.isoformat(),
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "actions": self.actions,
            "updated": self.updated,
            "outstanding": self.outstanding,
            "by_lead": [{"lead": n, "updated": u, "outstanding": o} for n, u, o in self.by_lead],
            "by_organisation": [
                {"organisation": n, "updated": u, "outstanding": o} for n, u, o in self.by_organisation
            ],
        }


def round_status(info: RoundInfo, actions: list[RoundAction]) -> RoundStatus:
    """Who has updated and who has not, by lead and by organisation. `actions` is every action of the
    plan; updated and outstanding count those the round asks for (expected) or that were updated."""
    counted = [a for a in actions if a.expected or a.updated]
    updated = sum(a.updated for a in counted)
    by_org = (
        round_rules.progress_by([(a.partner, a.updated) for a in counted], NO_ORGANISATION)
        if any(a.partner for a in counted)
        else []
    )
    who: dict[str, int] = {}
    for a in actions:
        if a.update is not None:
            who[a.update.updated_by] = who.get(a.update.updated_by, 0) + 1
    return RoundStatus(
        info.plan_name,
        info.as_at,
        info.deadline,
        len(actions),
        updated,
        len(counted) - updated,
        round_rules.progress_by([(a.lead, a.updated) for a in counted], NO_LEAD),
        by_org,
        sorted(who.items(), key=lambda kv: (-kv[1], kv[0].casefold())),
    )


def outstanding(actions: list[RoundAction]) -> list[RoundAction]:
    """The actions the round still waits for: not complete when it opened, and no update yet."""
    return [a for a in actions if a.expected and not a.updated]


def reminder_text(info: RoundInfo, actions: list[RoundAction], mapping: dict[str, list[str]]) -> str:
    """The reminder list to copy into an e-mail (the product sends none): per lead (with whom the
    lead mapping names) and per organisation, the actions still to update. Plain text."""
    waiting = outstanding(actions)
    if not waiting:
        return f"Every action of {info.plan_name} has an update for the review of {long_date(info.as_at)}."
    due = f" by {long_date(info.deadline)}" if info.deadline else ""
    lines = [f"{info.plan_name}: updates for the review of {long_date(info.as_at)} are due{due}.", ""]
    groups: dict[str, list[RoundAction]] = {}
    for a in waiting:
        name = " ".join((a.lead or NO_LEAD).split())
        if a.partner:
            name += f" ({' '.join(a.partner.split())})"
        groups.setdefault(name, []).append(a)
    for name in sorted(groups, key=str.casefold):
        lead = groups[name][0].lead
        people = next((v for k, v in mapping.items() if lead and k.casefold() == lead.casefold()), [])
        lines.append(f"{name}" + (f" – {', '.join(people)}" if people else ""))
        lines.extend(f"  {a.key}: {' '.join(a.description.split())}" for a in groups[name])
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
