"""Changes to stored plans other than imports (data_access.importer.commit adds reviews): each
is one write transaction together with its audit row. The upload page, the admin pages and the
command line all call these, so each check is made once, here.

- restore_review: make a replaced review current again (editors);
- rename_plan, set_archived, delete_plan: plan settings (admins). An archived plan is hidden
  from the board's plan list and kept; a deleted plan is gone, but its audit rows stay;
- report_settings, set_report_settings: the inspection details the cabinet report's Background
  states (editors);
- set_meeting_dates: the dates the plan's board meets, from which "overdue as at" defaults
  (editors; data_access.reads.board_meetings reads them)."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from sqlalchemy import Engine, delete, func, select, update

from data_access.domain.clock import utc_now
from data_access.storage import audit_trail, plan_writer
from data_access.storage.database import DatabaseBusy, write_transaction
from data_access.storage.schema import Action, BoardMeeting, Plan, Review


class ChangeRefused(ValueError):
    """A change that cannot be made; the message is one sentence fit to show a user."""


def restore_review(engine: Engine, review_id: int, *, actor: str | None, plan_id: int | None = None) -> list[int]:
    """Make a replaced review current again; returns the ids of the reviews hidden in its place
    (kept, and restorable in turn). Refuses (ChangeRefused) a review that is missing, current, or
    (with `plan_id`) of another plan, or a database kept busy by another change too long."""
    try:
        return _restore(engine, review_id, actor=actor, plan_id=plan_id)
    except DatabaseBusy as busy:
        raise ChangeRefused(str(busy)) from None


def _restore(engine: Engine, review_id: int, *, actor: str | None, plan_id: int | None) -> list[int]:
    with write_transaction(engine) as conn:
        row = conn.execute(
            select(Review.plan_id, Review.label, Review.as_at, Plan.name)
            .join(Plan, Plan.id == Review.plan_id)
            .where(Review.id == review_id)
        ).first()
        if row is None or (plan_id is not None and row.plan_id != plan_id):
            raise ChangeRefused(f"There is no review {review_id}" + (" in this plan." if row else "."))
        try:
            hidden = plan_writer.restore_review(conn, review_id)
        except ValueError as exc:
            raise ChangeRefused(
                f"Review {review_id} ({row.label}) is current, so there is nothing to restore."
            ) from exc
        audit_trail.record(
            conn,
            actor=actor,
            action=audit_trail.RESTORE,
            plan_id=row.plan_id,
            plan_name=row.name,
            review_id=review_id,
            detail={"as_at": row.as_at.isoformat(), "hidden_review_ids": hidden},
        )
    return hidden


# ---------------------------------------------------------------------------
# Plan settings (admins): rename, archive, delete
# ---------------------------------------------------------------------------

MAX_NAME = 200


def _busy_refused(change):
    """A database kept busy by another change too long is a refusal in one sentence, like any other."""

    @functools.wraps(change)
    def refusing(*args, **kwargs):
        try:
            return change(*args, **kwargs)
        except DatabaseBusy as busy:
            raise ChangeRefused(str(busy)) from None

    return refusing


def _plan(conn, plan_id: int):
    row = conn.execute(select(Plan.id, Plan.name, Plan.archived_at).where(Plan.id == plan_id)).first()
    if row is None:
        raise ChangeRefused(f"There is no plan {plan_id}; it may have been deleted.")
    return row


@_busy_refused
def rename_plan(engine: Engine, plan_id: int, new_name: str, *, actor: str | None) -> str:
    """Give the plan a new name (its reviews and history stay); returns the name as stored."""
    name = " ".join((new_name or "").split())
    if not name:
        raise ChangeRefused("A plan needs a name.")
    if len(name) > MAX_NAME:
        raise ChangeRefused(f"A plan's name can be at most {MAX_NAME} characters.")
    with write_transaction(engine) as conn:
        row = _plan(conn, plan_id)
        if name == row.name:
            raise ChangeRefused(f"The plan is already called '{name}'.")
        clash = conn.execute(
            select(Plan.name).where(func.lower(Plan.name) == name.lower(), Plan.id != plan_id)
        ).scalar_one_or_none()
        if clash is not None:
            raise ChangeRefused(f"Another plan is already called '{clash}'; choose a different name.")
        conn.execute(update(Plan).where(Plan.id == plan_id).values(name=name))
        audit_trail.record(
            conn,
            actor=actor,
            action=audit_trail.PLAN_SETTINGS,
            plan_id=plan_id,
            plan_name=name,
            detail={"change": "rename", "from": row.name, "to": name},
        )
    return name


@_busy_refused
def set_archived(engine: Engine, plan_id: int, archived: bool, *, actor: str | None) -> None:
    """Archive the plan (hidden from the board's plan list, everything kept) or bring it back."""
    with write_transaction(engine) as conn:
        row = _plan(conn, plan_id)
        if (row.archived_at is not None) == archived:
            raise ChangeRefused(f"'{row.name}' is {'already' if archived else 'not'} archived.")
        conn.execute(update(Plan).where(Plan.id == plan_id).values(archived_at=utc_now() if archived else None))
        audit_trail.record(
            conn,
            actor=actor,
            action=audit_trail.PLAN_SETTINGS,
            plan_id=plan_id,
            plan_name=row.name,
            detail={"change": "archive" if archived else "unarchive"},
        )


@dataclass(frozen=True)
class PlanContents:
    """What deleting a plan would remove."""

    name: str
    reviews: int  # replaced reviews included
    actions: int


def plan_contents(engine: Engine, plan_id: int) -> PlanContents:
    with engine.connect() as conn:
        return _contents(conn, plan_id)


def _contents(conn, plan_id: int) -> PlanContents:
    name = _plan(conn, plan_id).name
    reviews = conn.execute(select(func.count(Review.id)).where(Review.plan_id == plan_id)).scalar_one()
    actions = conn.execute(select(func.count(Action.id)).where(Action.plan_id == plan_id)).scalar_one()
    return PlanContents(name, reviews, actions)


@_busy_refused
def delete_plan(engine: Engine, plan_id: int, *, confirm_name: str, actor: str | None) -> PlanContents:
    """Delete the plan with all its reviews and actions, once `confirm_name` is its name typed out
    exactly. The audit trail keeps every row about it, and records the deletion."""
    with write_transaction(engine) as conn:
        row = _plan(conn, plan_id)
        if (confirm_name or "").strip() != row.name:
            raise ChangeRefused(f"To delete the plan, type its name exactly: {row.name}")
        contents = _contents(conn, plan_id)
        # Reviews point at the reviews that replaced them, inside the same plan: deleted together.
        conn.execute(delete(Plan).where(Plan.id == plan_id))  # cascades to everything of the plan
        audit_trail.record(
            conn,
            actor=actor,
            action=audit_trail.PLAN_DELETED,
            plan_id=plan_id,
            plan_name=row.name,
            detail={"reviews": contents.reviews, "actions": contents.actions},
        )
    return contents


# ---------------------------------------------------------------------------
# Report details (editors): what the cabinet report's Background says about the inspection
# ---------------------------------------------------------------------------

MAX_INSPECTION_TYPE = 40  # plan.inspection_type is String(40)
MAX_DETAIL = 200


@dataclass(frozen=True)
class ReportSettings:
    """A plan's details for the cabinet report (data_access/papers/word_report.py). None: not set,
    and the report leaves a placeholder for its author rather than guessing."""

    organisation: str | None = None  # 'Rutland County Council'
    inspection_type: str | None = None  # 'Ofsted ILACS', 'JTAI'
    inspection_start: dt.date | None = None
    inspection_end: dt.date | None = None
    published_on: dt.date | None = None  # the inspection report's publication
    judgement: str | None = None  # overall judgement: 'Requires improvement to be good'
    board_name: str | None = None  # 'Rutland Children's Services Improvement Board'


REPORT_FIELDS = tuple(ReportSettings.__dataclass_fields__)
FIELD_WORDS = {
    "organisation": "council",
    "inspection_type": "inspection type",
    "inspection_start": "inspection start",
    "inspection_end": "inspection end",
    "published_on": "inspection report published",
    "judgement": "overall judgement",
    "board_name": "board",
}


def report_settings(engine: Engine, plan_id: int) -> ReportSettings:
    """The plan's report details as stored (ChangeRefused for a plan that does not exist)."""
    with engine.connect() as conn:
        row = conn.execute(select(*(getattr(Plan, f) for f in REPORT_FIELDS)).where(Plan.id == plan_id)).first()
    if row is None:
        raise ChangeRefused(f"There is no plan {plan_id}; it may have been deleted.")
    return ReportSettings(*row)


def _clean(settings: ReportSettings) -> ReportSettings:
    """Text trimmed to one line (blank: None), lengths and the order of the dates checked."""
    texts = {}
    for name in ("organisation", "inspection_type", "judgement", "board_name"):
        value = " ".join((getattr(settings, name) or "").split()) or None
        limit = MAX_INSPECTION_TYPE if name == "inspection_type" else MAX_DETAIL
        if value is not None and len(value) > limit:
            raise ChangeRefused(f"The {FIELD_WORDS[name]} can be at most {limit} characters.")
        texts[name] = value
    start, end = settings.inspection_start, settings.inspection_end
    if start and end and end < start:
        raise ChangeRefused("The inspection cannot end before it starts.")
    if settings.published_on and (end or start) and settings.published_on < (end or start):
        raise ChangeRefused("The inspection report cannot be published before the inspection.")
    return ReportSettings(**{**{f: getattr(settings, f) for f in REPORT_FIELDS}, **texts})


def _words(value) -> str:
    if value is None:
        return "blank"
    return value.isoformat() if isinstance(value, dt.date) else f"'{value}'"


@_busy_refused
def set_report_settings(engine: Engine, plan_id: int, settings: ReportSettings, *, actor: str | None) -> list[str]:
    """Store the plan's report details; returns the fields changed, in words ('overall judgement'),
    after recording them in the audit trail. Nothing changed is a refusal in one sentence."""
    cleaned = _clean(settings)
    with write_transaction(engine) as conn:
        row = _plan(conn, plan_id)
        before = conn.execute(select(*(getattr(Plan, f) for f in REPORT_FIELDS)).where(Plan.id == plan_id)).one()
        changed = {
            f: (old, getattr(cleaned, f))
            for f, old in zip(REPORT_FIELDS, before, strict=True)
            if old != getattr(cleaned, f)
        }
        if not changed:
            raise ChangeRefused("Nothing was changed: the report details are as stored.")
        conn.execute(update(Plan).where(Plan.id == plan_id).values(**{f: new for f, (_, new) in changed.items()}))
        fields = [f"{FIELD_WORDS[f]} {_words(old)} → {_words(new)}" for f, (old, new) in changed.items()]
        _record_setting(conn, actor, plan_id, row.name, "report details", fields)
    return [FIELD_WORDS[f] for f in changed]


# ---------------------------------------------------------------------------
# Board meeting dates (editors): "overdue as at" defaults to the next one after a review
# ---------------------------------------------------------------------------


def _record_setting(conn, actor: str | None, plan_id: int, plan_name: str, change: str, fields: list[str]) -> None:
    """One audit row for a change to a plan's settings: what changed, field by field."""
    audit_trail.record(
        conn,
        actor=actor,
        action=audit_trail.PLAN_SETTINGS,
        plan_id=plan_id,
        plan_name=plan_name,
        detail={"change": change, "fields": "; ".join(fields)},
    )


@_busy_refused
def set_meeting_dates(engine: Engine, plan_id: int, days: list[dt.date], *, actor: str | None) -> tuple[int, int]:
    """Replace the plan's board meeting dates with `days` (read by domain.meetings.parse_meeting_dates);
    returns (dates added, dates removed), after recording them in the audit trail. Nothing changed
    is a refusal in one sentence."""
    wanted = set(days)
    with write_transaction(engine) as conn:
        row = _plan(conn, plan_id)
        stored = set(conn.execute(select(BoardMeeting.meets_on).where(BoardMeeting.plan_id == plan_id)).scalars())
        added, removed = sorted(wanted - stored), sorted(stored - wanted)
        if not added and not removed:
            raise ChangeRefused("Nothing was changed: the meeting dates are as stored.")
        if removed:
            conn.execute(
                delete(BoardMeeting).where(BoardMeeting.plan_id == plan_id, BoardMeeting.meets_on.in_(removed))
            )
        if added:
            conn.execute(BoardMeeting.__table__.insert(), [{"plan_id": plan_id, "meets_on": day} for day in added])
        fields = [
            part
            for part in (
                "added " + ", ".join(d.isoformat() for d in added) if added else "",
                "removed " + ", ".join(d.isoformat() for d in removed) if removed else "",
            )
            if part
        ]
        _record_setting(conn, actor, plan_id, row.name, "meeting dates", fields)
    return len(added), len(removed)
