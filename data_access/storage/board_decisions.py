"""The board's decisions, written: sign-off events and due date changes (issue 25). Only ever
inserts (the database refuses updates, migration 0008): a decision undone is another event.

- record_tracker_decisions: what an imported review says (a sign-off column or status, a revised
  date with or without an approver, a due date moved later since the previous review: approved
  when the row names who agreed it, else not approved), called by
  the importer's commit inside its transaction. A re-upload never un-signs an action: a tracker that
  no longer says "signed off" for a complete action leaves the sign-off standing; only a review
  that says the action is not complete re-opens it, and that is recorded as an "undone" event.
- sign_off / decide_date_change: an editor's decision (the app, or the command line), each with an
  audit entry. A sign-off of an action that is not complete is refused with one sentence.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, and_, func, insert, select

from data_access.domain import permissions, rules, signoff_rules
from data_access.domain.clean_text import clean_text
from data_access.domain.clock import london_today, utc_now
from data_access.domain.tracker_rows import TrackerRow
from data_access.domain.wording import long_date
from data_access.storage import audit_trail
from data_access.storage.database import write_transaction
from data_access.storage.schema import (
    Action,
    ActionUpdate,
    DueDateChange,
    Plan,
    Review,
    SignOffEvent,
    SignOffEvidenceFile,
)


class DecisionRefused(ValueError):
    """A decision that cannot be recorded; the message is one sentence saying why."""


@dataclass(frozen=True)
class TrackerDecisions:
    """What one imported review recorded."""

    signed_off: int = 0
    reopened: int = 0
    changes_approved: int = 0
    changes_not_approved: int = 0


@dataclass(frozen=True)
class _Recorded:
    state: str
    source: str


def latest_signoff_kinds(conn: Connection, plan_id: int, up_to: dt.date | None = None) -> dict[int, str]:
    """{action id: kind of its latest sign-off event} for the plan's actions that have one (by
    plan, not by a list of ids: a 50,000-action tracker would pass SQLite's limit of bound values).
    up_to: only events recorded with a review as at that date or earlier (or with no review), so an
    earlier review shows the sign-offs as they stood then."""
    last = (
        select(SignOffEvent.action_id, func.max(SignOffEvent.id).label("last_id"))
        .join(Action, Action.id == SignOffEvent.action_id)
        .where(Action.plan_id == plan_id)
    )
    if up_to is not None:
        last = last.outerjoin(Review, Review.id == SignOffEvent.review_id).where(
            SignOffEvent.review_id.is_(None) | (Review.as_at <= up_to)
        )
    last = last.group_by(SignOffEvent.action_id).subquery()
    rows = conn.execute(
        select(SignOffEvent.action_id, SignOffEvent.kind).join(last, SignOffEvent.id == last.c.last_id)
    ).all()
    return {r.action_id: r.kind for r in rows}


def latest_changes(conn: Connection, plan_id: int) -> list:
    """The latest row of each of the plan's due date changes (one change: an action, a from date and
    a to date), oldest change first."""
    key = (DueDateChange.action_id, DueDateChange.from_date, DueDateChange.to_date)
    last = (
        select(*key, func.max(DueDateChange.id).label("last_id"))
        .join(Action, Action.id == DueDateChange.action_id)
        .where(Action.plan_id == plan_id)
        .group_by(*key)
        .subquery()
    )
    return conn.execute(
        select(*DueDateChange.__table__.columns, Action.key.label("action_key"), Action.plan_id.label("plan_id"))
        .join(last, DueDateChange.id == last.c.last_id)
        .join(Action, Action.id == DueDateChange.action_id)
        .order_by(func.min(DueDateChange.id).over(partition_by=list(key)), DueDateChange.id)
    ).all()


def record_signoff(
    conn: Connection,
    *,
    action_id: int,
    kind: str,
    recorded_by: str | None,
    source: str,
    review_id: int | None = None,
    meeting_date: dt.date | None = None,
    evidence: str | None = None,
    links: str | None = None,
    note: str | None = None,
    raw: str | None = None,
) -> int:
    """Insert one sign-off event; returns its id."""
    result = conn.execute(
        insert(SignOffEvent).values(
            action_id=action_id,
            review_id=review_id,
            kind=kind,
            meeting_date=meeting_date,
            recorded_by=recorded_by or audit_trail.LOCAL_USER,
            recorded_at=utc_now(),
            evidence=evidence,
            links=links,
            note=note,
            source=source,
            raw=raw,
        )
    )
    return int(result.inserted_primary_key[0])


def checked_evidence_files(files: Sequence[tuple[str, bytes]]) -> list[tuple[str, str, bytes]]:
    """(name, media type, bytes) of each evidence file, checked like an upload
    (importer/reading/safety.evidence_file); DecisionRefused with its one sentence for the first bad one."""
    from data_access.importer.parsed import ImportRefused, Limits
    from data_access.importer.reading import safety

    limits = Limits.from_env()
    checked = []
    for name, data in files:
        shown = safety.name_of(clean_text(name or ""))
        try:
            checked.append((shown, safety.evidence_file(data, shown, limits), data))
        except ImportRefused as refused:
            raise DecisionRefused(str(refused)) from None
    return checked


def record_date_change(
    conn: Connection,
    *,
    action_id: int,
    from_date: dt.date | None,
    to_date: dt.date | None,
    state: str,
    source: str,
    recorded_by: str | None,
    review_id: int | None = None,
    reason: str | None = None,
    approved_by: str | None = None,
    approved_on: dt.date | None = None,
) -> None:
    conn.execute(
        insert(DueDateChange).values(
            action_id=action_id,
            review_id=review_id,
            from_date=from_date,
            to_date=to_date,
            reason=reason,
            approved_by=approved_by,
            approved_on=approved_on,
            state=state,
            source=source,
            recorded_by=recorded_by or audit_trail.LOCAL_USER,
            recorded_at=utc_now(),
        )
    )


def _date_in(text: str | None) -> dt.date | None:
    """The date a tracker's sign-off cell gives ("Date closed by board": 04/03/2018), if any."""
    ts = rules.parse_timescale(text)
    return ts.due if ts.kind == "date" and ts.precision == rules.DAY else None


def refused_from_sql(action_id_col, due_col, revised_due_col):
    """For rules.overdue_sql: the previous date of a change the board refused, as a correlated
    subquery (NULL when the action's current due date is not the target of a refused change):
    the latest decision about moving this action to its current date decides."""
    latest = _latest_change_to_current_sql(action_id_col, due_col, revised_due_col)
    return (
        select(DueDateChange.from_date)
        .where(DueDateChange.id == latest, DueDateChange.state == signoff_rules.REFUSED)
        .correlate_except(DueDateChange)
        .scalar_subquery()
    )


def _latest_change_to_current_sql(action_id_col, due_col, revised_due_col):
    """The id of the latest recorded change that moved this action to its current due date, as a
    correlated subquery (NULL when none did)."""
    from sqlalchemy.orm import aliased

    later = aliased(DueDateChange)
    return (
        select(func.max(later.id))
        .where(later.action_id == action_id_col, later.to_date == func.coalesce(revised_due_col, due_col))
        .correlate_except(later)
        .scalar_subquery()
    )


def current_change_state_sql(action_id_col, due_col, revised_due_col):
    """The state (approved / not_approved / refused) of the latest decision about moving this action
    to its current due date, as a correlated subquery (NULL when no recorded change moved it there).
    A "not_approved" answer is a date moved later without approval: flagged wherever overdue counts."""
    latest = _latest_change_to_current_sql(action_id_col, due_col, revised_due_col)
    return (
        select(DueDateChange.state).where(DueDateChange.id == latest).correlate_except(DueDateChange).scalar_subquery()
    )


def baseline_due_sql(action_id_col, due_col):
    """The action's baseline (original) due date, as a SQL expression: the date its first recorded
    change moved it from, else the due date the review gives (the tracker's original timescale).
    Overdue "against the baseline" (the sidebar's choice) is judged against this date."""
    from sqlalchemy.orm import aliased

    first = aliased(DueDateChange)
    first_id = (
        select(func.min(first.id))
        .where(first.action_id == action_id_col, first.from_date.is_not(None))
        .correlate_except(first)
        .scalar_subquery()
    )
    first_from = (
        select(DueDateChange.from_date).where(DueDateChange.id == first_id).correlate_except(DueDateChange)
    ).scalar_subquery()
    return func.coalesce(first_from, due_col)


def previous_due_dates(conn: Connection, plan_id: int, as_at: dt.date) -> dict[int, dt.date | None]:
    """{action id: its effective due date} in the plan's latest current review before as_at."""
    before = conn.execute(
        select(Review.id)
        .where(Review.plan_id == plan_id, Review.as_at < as_at, Review.replaced_by_id.is_(None))
        .order_by(Review.as_at.desc())
        .limit(1)
    ).scalar_one_or_none()
    if before is None:
        return {}
    rows = conn.execute(
        select(ActionUpdate.action_id, ActionUpdate.due_date, ActionUpdate.revised_due_date).where(
            ActionUpdate.review_id == before
        )
    ).all()
    return {r.action_id: rules.effective_due(r.due_date, r.revised_due_date) for r in rows}


def record_tracker_decisions(
    conn: Connection,
    *,
    plan_id: int,
    review_id: int,
    as_at: dt.date,
    action_ids: list[int],
    rows: list[TrackerRow],
    actor: str | None,
) -> TrackerDecisions:
    """Record what an imported review says about sign-off and due date changes (module docstring)."""
    kinds = latest_signoff_kinds(conn, plan_id)
    known = {(c.action_id, c.from_date, c.to_date): c for c in latest_changes(conn, plan_id)}
    before = previous_due_dates(conn, plan_id, as_at)
    signed = reopened = approved = not_approved = 0

    def change(action_id, from_date, to_date, state, source, row: TrackerRow) -> None:
        nonlocal approved, not_approved
        stored = known.get((action_id, from_date, to_date))
        if stored is not None and (stored.state == state or stored.source == signoff_rules.FROM_APP):
            return  # recorded already, or decided in the app: a tracker does not overrule the board
        record_date_change(
            conn,
            action_id=action_id,
            review_id=review_id,
            from_date=from_date,
            to_date=to_date,
            state=state,
            source=source,
            recorded_by=actor,
            reason=row.change_reason,
            approved_by=row.change_approved_by if state == signoff_rules.APPROVED else None,
        )
        known[(action_id, from_date, to_date)] = _Recorded(state, source)
        if state == signoff_rules.APPROVED:
            approved += 1
        else:
            not_approved += 1

    for action_id, row in zip(action_ids, rows, strict=True):
        latest = kinds.get(action_id)
        if signoff_rules.tracker_signed_off(row.status, row.status_raw, row.signoff_raw):
            if latest != signoff_rules.SIGNED_OFF:
                record_signoff(
                    conn,
                    action_id=action_id,
                    review_id=review_id,
                    kind=signoff_rules.SIGNED_OFF,
                    recorded_by=actor,
                    source=signoff_rules.FROM_TRACKER,
                    meeting_date=_date_in(row.signoff_raw),
                    evidence=row.evidence,
                    raw=row.signoff_raw or row.status_raw,
                )
                signed += 1
        elif latest == signoff_rules.SIGNED_OFF and row.status != rules.COMPLETE:
            record_signoff(
                conn,
                action_id=action_id,
                review_id=review_id,
                kind=signoff_rules.UNDONE,
                recorded_by=actor,
                source=signoff_rules.FROM_TRACKER,
                note=f"{signoff_rules.REOPENED}: the review of {long_date(as_at)} says "
                f"'{row.status_raw or rules.STATUS_STYLE[row.status].label}'",
                raw=row.status_raw,
            )
            reopened += 1
        due, revised = row.timescale.due, row.revised_due
        if due is not None and revised is not None and revised != due:
            state = signoff_rules.tracker_change_state(row.change_approved_by)
            change(action_id, due, revised, state, signoff_rules.FROM_TRACKER, row)
        now = rules.effective_due(due, revised)
        was = before.get(action_id)
        if signoff_rules.moved_later(was, now) and (action_id, was, now) not in known:
            # Moved later since the previous review: approved only when the row names who agreed it.
            state = signoff_rules.tracker_change_state(row.change_approved_by)
            change(action_id, was, now, state, signoff_rules.BETWEEN_REVIEWS, row)
    return TrackerDecisions(signed, reopened, approved, not_approved)


# ---------------------------------------------------------------------------
# An editor's decisions
# ---------------------------------------------------------------------------


def _editor(role: str | None) -> None:
    """The app passes the signed-in person's role: a decision needs an editor (the command line is
    an operator's tool and passes none)."""
    if role is not None and not permissions.can(role, permissions.EDITOR):
        raise DecisionRefused(f"Only {permissions.WHO[permissions.EDITOR]} can record the board's decisions.")


def _plan(conn: Connection, plan_name: str):
    plan = conn.execute(select(Plan.id, Plan.name).where(Plan.name == plan_name)).first()
    if plan is None:
        raise DecisionRefused(f"There is no plan called '{plan_name}'.")
    return plan


def _review(conn: Connection, plan_id: int, as_at: dt.date):
    review = conn.execute(
        select(Review.id, Review.as_at).where(
            Review.plan_id == plan_id, Review.as_at == as_at, Review.replaced_by_id.is_(None)
        )
    ).first()
    if review is None:
        raise DecisionRefused(f"The plan has no review as at {long_date(as_at)}.")
    return review


def sign_off(
    engine: Engine,
    *,
    plan_name: str,
    review_as_at: dt.date,
    action_keys: list[str],
    actor: str | None,
    source: str,
    kind: str = signoff_rules.SIGNED_OFF,
    meeting_date: dt.date | None = None,
    evidence: str | None = None,
    links: str | None = None,
    note: str | None = None,
    role: str | None = None,
    files: Sequence[tuple[str, bytes]] = (),
) -> list[str]:
    """Sign off (or send back) actions of a review, all or none; one audit entry. Returns the keys.
    Refused (DecisionRefused, nothing written) for an unknown action, an action not complete in
    that review, a sign-off with no evidence, or an evidence file (name, bytes) that is too big or
    not an allowed type (checked_evidence_files). Each file is kept with each action's sign-off."""
    _editor(role)
    evidence_files = checked_evidence_files(files) if kind == signoff_rules.SIGNED_OFF else []
    if kind not in signoff_rules.SIGNOFF_KINDS:
        raise DecisionRefused(f"'{kind}' is not a sign-off decision.")
    keys = [k.strip() for k in action_keys if k and k.strip()]
    if not keys:
        raise DecisionRefused("Name at least one action to sign off.")
    if kind == signoff_rules.SIGNED_OFF and not (evidence or "").strip():
        raise DecisionRefused("A sign-off needs the evidence the board saw.")
    if kind == signoff_rules.SENT_BACK and not (note or "").strip():
        raise DecisionRefused("Sending an action back needs a note saying why.")
    with write_transaction(engine) as conn:
        plan = _plan(conn, plan_name)
        review = _review(conn, plan.id, review_as_at)
        found = {
            r.key: r
            for r in conn.execute(
                select(Action.id, Action.key, ActionUpdate.status)
                .join(ActionUpdate, and_(ActionUpdate.action_id == Action.id, ActionUpdate.review_id == review.id))
                .where(Action.plan_id == plan.id, Action.key.in_(keys))
            ).all()
        }
        for key in keys:
            if key not in found:
                raise DecisionRefused(f"Action {key} is not in the review of {long_date(review.as_at)}.")
            if found[key].status != rules.COMPLETE:
                raise DecisionRefused(
                    signoff_rules.SIGNOFF_REFUSED_NOT_COMPLETE.format(key=key, review=long_date(review.as_at))
                )
        for key in keys:
            event_id = record_signoff(
                conn,
                action_id=found[key].id,
                review_id=review.id,
                kind=kind,
                recorded_by=actor,
                source=source,
                meeting_date=meeting_date or review.as_at,
                evidence=(evidence or "").strip() or None,
                links=(links or "").strip() or None,
                note=(note or "").strip() or None,
            )
            for name, media_type, data in evidence_files:
                conn.execute(
                    insert(SignOffEvidenceFile).values(
                        signoff_event_id=event_id, file_name=name, media_type=media_type, size=len(data), data=data
                    )
                )
        detail = {"kind": kind, "actions": keys, "meeting_date": meeting_date or review.as_at, "note": note}
        if evidence_files:
            detail["files"] = [name for name, _, _ in evidence_files]
        audit_trail.record(
            conn,
            actor=actor,
            action=audit_trail.SIGN_OFF,
            plan_id=plan.id,
            plan_name=plan.name,
            review_id=review.id,
            detail=detail,
        )
    return keys


def decide_date_change(
    engine: Engine,
    *,
    change_id: int,
    state: str,
    actor: str | None,
    approved_on: dt.date | None = None,
    reason: str | None = None,
    role: str | None = None,
) -> None:
    """Approve or refuse a due date change: a new row for the same change (the old one is kept)."""
    _editor(role)
    if state not in (signoff_rules.APPROVED, signoff_rules.REFUSED):
        raise DecisionRefused("A date change can be approved or refused.")
    with write_transaction(engine) as conn:
        old = conn.execute(
            select(*DueDateChange.__table__.columns, Action.key, Action.plan_id, Plan.name.label("plan_name"))
            .join(Action, Action.id == DueDateChange.action_id)
            .join(Plan, Plan.id == Action.plan_id)
            .where(DueDateChange.id == change_id)
        ).first()
        if old is None:
            raise DecisionRefused(f"There is no date change {change_id}.")
        change = old
        record_date_change(
            conn,
            action_id=change.action_id,
            review_id=change.review_id,
            from_date=change.from_date,
            to_date=change.to_date,
            state=state,
            source=signoff_rules.FROM_APP,
            recorded_by=actor,
            reason=(reason or "").strip() or change.reason,
            approved_by=(actor or audit_trail.LOCAL_USER) if state == signoff_rules.APPROVED else None,
            approved_on=approved_on or london_today(),
        )
        audit_trail.record(
            conn,
            actor=actor,
            action=audit_trail.DATE_DECISION,
            plan_id=old.plan_id,
            plan_name=old.plan_name,
            review_id=change.review_id,
            detail={"action": old.key, "from": change.from_date, "to": change.to_date, "state": state},
        )


def preview_counts(
    conn: Connection, *, plan_id: int | None, as_at: dt.date | None, rows: list[TrackerRow], action_ids: list
) -> tuple[dict[str, int], dict[str, int]]:
    """What importing a review would show, without writing: ({"signed_off", "awaiting"} over its
    complete actions, a sign-off already recorded for a matched action counting; {"approved",
    "not_approved"} over the date changes the file records plus, when the plan has an earlier
    review, due dates moved later since then). action_ids: the stored action of each row, or None."""
    kinds = latest_signoff_kinds(conn, plan_id, up_to=as_at) if plan_id is not None else {}
    known = {(c.action_id, c.from_date, c.to_date): c.state for c in latest_changes(conn, plan_id)} if plan_id else {}
    before = previous_due_dates(conn, plan_id, as_at) if plan_id is not None and as_at is not None else {}
    signoff = {"signed_off": 0, "awaiting": 0}
    changes = {signoff_rules.APPROVED: 0, signoff_rules.NOT_APPROVED: 0}
    for action_id, row in zip(action_ids, rows, strict=True):
        if row.status == rules.COMPLETE:
            signed = kinds.get(action_id) == signoff_rules.SIGNED_OFF or signoff_rules.tracker_signed_off(
                row.status, row.status_raw, row.signoff_raw
            )
            signoff["signed_off" if signed else "awaiting"] += 1
        due, revised = row.timescale.due, row.revised_due
        in_file = None
        if due is not None and revised is not None and revised != due:
            in_file = (due, revised)
            state = known.get((action_id, due, revised), signoff_rules.tracker_change_state(row.change_approved_by))
            changes[signoff_rules.APPROVED if state == signoff_rules.APPROVED else signoff_rules.NOT_APPROVED] += 1
        now, was = rules.effective_due(due, revised), before.get(action_id)
        if signoff_rules.moved_later(was, now) and (was, now) != in_file:
            state = known.get((action_id, was, now), signoff_rules.tracker_change_state(row.change_approved_by))
            changes[signoff_rules.APPROVED if state == signoff_rules.APPROVED else signoff_rules.NOT_APPROVED] += 1
    return signoff, changes
