"""The update round, written (issue 26): open a round, record an action's update, feed in an
uploaded tracker, close the round into one review. The rules are domain/round_rules.py; who may do
what is domain/permissions.py, checked here on every write (never only by hiding a button); each
write adds its audit entry in the same transaction.

- open_round: an editor, for a review date after the plan's latest review; one open round per plan.
- record_update: a person's update of one action, on the version they saw. Updates are only ever
  added (round_update is versioned per action): when someone else saved first, UpdateConflict
  carries their update so the person can choose; nothing is lost.
- feed_tracker: a tracker uploaded for the round's review date. Each action whose row says
  something new becomes the uploader's update; where someone already updated the action in the
  round and the tracker says otherwise, the two are returned side by side (Conflict) for the
  editor to choose with resolve_conflicts.
- close_round: an editor. Every action of the latest review goes into one new review, through the
  importer's own writer (committing/writing.write_one_review: rows, date changes as events, audit
  entry), its round update applied; an action nobody updated is carried forward marked
  "no update this round". A due date change request becomes a date change awaiting approval.
- set_lead_identities: an editor says who may update each lead's actions.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, and_, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from data_access.domain import permissions, round_rules, signoff_rules
from data_access.domain.clean_text import clean_text
from data_access.domain.clock import utc_now
from data_access.domain.round_rules import RoundRefused, UpdateFields
from data_access.domain.rules import Timescale, effective_due
from data_access.domain.tracker_rows import ReviewSnapshot, TrackerRow
from data_access.domain.wording import long_date
from data_access.storage import audit_trail, board_decisions
from data_access.storage.database import DatabaseBusy, write_transaction
from data_access.storage.schema import (
    Action,
    ActionUpdate,
    Plan,
    Recommendation,
    Review,
    RoundUpdate,
    UpdateRound,
)

__all__ = [
    "Conflict",
    "FeedResult",
    "RoundRefused",
    "UpdateConflict",
    "close_round",
    "feed_tracker",
    "open_round",
    "record_update",
    "resolve_conflicts",
    "set_lead_identities",
]


@dataclass(frozen=True)
class SavedUpdate:
    """An action's latest update in a round: its fields, who saved it, when, and its version."""

    action_id: int
    key: str
    version: int
    fields: UpdateFields
    updated_by: str
    updated_at: dt.datetime
    source: str


class UpdateConflict(RoundRefused):
    """Someone else saved an update of the action after the version this person saw: `theirs` is
    that update (shown beside the person's own, to choose); nothing was written."""

    def __init__(self, theirs: SavedUpdate, yours: UpdateFields):
        super().__init__(
            f"Action {theirs.key} was updated by {theirs.updated_by} while you were editing: "
            "compare their update with yours and choose which to keep."
        )
        self.theirs = theirs
        self.yours = yours


@dataclass(frozen=True)
class Conflict:
    """An action an uploaded tracker and an in-app update disagree on: both, side by side."""

    action_id: int
    key: str
    in_app: SavedUpdate
    tracker: UpdateFields
    file_name: str


@dataclass
class FeedResult:
    round_id: int
    applied: list[str] = field(default_factory=list)  # action keys updated from the tracker
    unchanged: int = 0  # rows that say nothing new
    conflicts: list[Conflict] = field(default_factory=list)
    not_in_plan: list[int] = field(default_factory=list)  # tracker rows (Excel row) of actions the plan lacks


@dataclass(frozen=True)
class ClosedRound:
    review_id: int
    updated: int
    not_updated: int
    date_changes: int


# ---------------------------------------------------------------------------
# In-transaction reads (reads/round_progress.py uses them too)
# ---------------------------------------------------------------------------


def plan_row(conn: Connection, plan_name: str):
    plan = conn.execute(select(Plan.id, Plan.name, Plan.lead_identities).where(Plan.name == plan_name)).first()
    if plan is None:
        raise RoundRefused(f"There is no plan called '{plan_name}'.")
    return plan


def lead_map(text: str | None) -> dict[str, list[str]]:
    """The plan's lead mapping as stored (JSON), {} when unset or unreadable."""
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    if not isinstance(value, dict):
        return {}
    return {str(k): [str(e) for e in v] for k, v in value.items() if isinstance(v, list)}


def open_round_row(conn: Connection, plan_id: int, lock: bool = False):
    """The plan's open round, if any; lock=True holds its row until the transaction ends
    (PostgreSQL; SQLite's write transaction holds the whole database), so two updates of one
    round are checked against each other's versions one after the other."""
    stmt = select(UpdateRound).where(UpdateRound.plan_id == plan_id, UpdateRound.state == round_rules.OPEN)
    return conn.execute(stmt.with_for_update() if lock else stmt).first()


def base_review_id(conn: Connection, plan_id: int, before: dt.date | None = None) -> int | None:
    """The plan's latest current review (before `before`, when given): where a round starts from."""
    stmt = select(Review.id).where(Review.plan_id == plan_id, Review.replaced_by_id.is_(None))
    if before is not None:
        stmt = stmt.where(Review.as_at < before)
    return conn.execute(stmt.order_by(Review.as_at.desc(), Review.id.desc()).limit(1)).scalar_one_or_none()


def base_rows(conn: Connection, review_id: int) -> list:
    """Every action of a review with everything a new review needs to carry it forward."""
    return conn.execute(
        select(
            Action.id.label("action_id"),
            Action.key,
            Action.key_from_tracker,
            Action.description,
            Action.lead,
            Action.partner,
            Action.measure,
            Recommendation.ref.label("rec_ref"),
            Recommendation.text.label("rec_text"),
            Recommendation.theme,
            ActionUpdate.status,
            ActionUpdate.status_raw,
            ActionUpdate.due_date,
            ActionUpdate.due_raw,
            ActionUpdate.due_precision,
            ActionUpdate.revised_due_date,
            ActionUpdate.progress,
            ActionUpdate.evidence,
            ActionUpdate.mitigation,
            ActionUpdate.board_ask,
            ActionUpdate.signoff_raw,
            ActionUpdate.date_change_reason,
            ActionUpdate.date_change_approved_by,
        )
        .join(Action, Action.id == ActionUpdate.action_id)
        .join(Recommendation, Recommendation.id == Action.recommendation_id)
        .where(ActionUpdate.review_id == review_id)
        .order_by(Recommendation.sort_key, Action.sort_key)
    ).all()


def base_fields(row) -> UpdateFields:
    """An action's state as its latest review gives it: where its update in a round starts."""
    return UpdateFields(
        status=row.status,
        progress=row.progress,
        evidence=row.evidence,
        mitigation=row.mitigation,
        board_ask=row.board_ask,
    )


def latest_updates(conn: Connection, round_id: int) -> dict[int, SavedUpdate]:
    """{action id: its highest-version update} in a round."""
    top = (
        select(RoundUpdate.action_id, func.max(RoundUpdate.version).label("version"))
        .where(RoundUpdate.round_id == round_id)
        .group_by(RoundUpdate.action_id)
        .subquery()
    )
    rows = conn.execute(
        select(RoundUpdate, Action.key)
        .join(top, and_(top.c.action_id == RoundUpdate.action_id, top.c.version == RoundUpdate.version))
        .join(Action, Action.id == RoundUpdate.action_id)
        .where(RoundUpdate.round_id == round_id)
    ).all()
    return {u.action_id: _saved(u, u.key) for u in rows}


def _saved(u, key: str) -> SavedUpdate:
    """A round_update row (its columns) as a SavedUpdate."""
    return SavedUpdate(
        u.action_id,
        key,
        u.version,
        UpdateFields(u.status, u.progress, u.evidence, u.mitigation, u.board_ask, u.requested_due, u.due_change_reason),
        u.updated_by,
        u.updated_at,
        u.source,
    )


# ---------------------------------------------------------------------------
# Writes
# ---------------------------------------------------------------------------


def _editor(person: permissions.Person, doing: str) -> None:
    if not permissions.can(person.role, permissions.EDITOR):
        raise RoundRefused(f"Only {permissions.WHO[permissions.EDITOR]} can {doing}.")


def _busy(change):
    """A database kept busy too long is a refusal in one sentence, like any other."""

    def refusing(*args, **kwargs):
        try:
            return change(*args, **kwargs)
        except DatabaseBusy as busy:
            raise RoundRefused(str(busy)) from None
        except IntegrityError:
            # The unique (round, action, version) or one open round per plan: another person's
            # change got there first (the row locks make this rare).
            raise RoundRefused(
                "Someone else changed the round at the same moment; nothing was written: try again."
            ) from None

    refusing.__doc__, refusing.__name__ = change.__doc__, change.__name__
    return refusing


@_busy
def open_round(
    engine: Engine, *, plan_name: str, as_at: dt.date, deadline: dt.date | None, person: permissions.Person
) -> int:
    """Open a round for the plan's review of `as_at` (editors); returns its id. Refused when the plan
    has a round open already, or a review on or after that date."""
    _editor(person, "open an update round")
    round_rules.check_dates(as_at, deadline)
    with write_transaction(engine) as conn:
        plan = plan_row(conn, plan_name)
        if (already := open_round_row(conn, plan.id)) is not None:
            raise RoundRefused(
                f"'{plan.name}' already has an update round open, for the review of {long_date(already.as_at)}: "
                "close it first."
            )
        latest = conn.execute(
            select(func.max(Review.as_at)).where(Review.plan_id == plan.id, Review.replaced_by_id.is_(None))
        ).scalar_one_or_none()
        if latest is None:
            raise RoundRefused(f"'{plan.name}' has no review yet: a round starts from the plan's latest review.")
        if as_at <= latest:
            raise RoundRefused(
                f"'{plan.name}' has a review as at {long_date(latest)}: a round is for the next review, after it."
            )
        round_id = conn.execute(
            insert(UpdateRound)
            .values(
                plan_id=plan.id,
                as_at=as_at,
                deadline=deadline,
                state=round_rules.OPEN,
                opened_by=person.identity,
                opened_at=utc_now(),
            )
            .returning(UpdateRound.id)
        ).scalar_one()
        audit_trail.record(
            conn,
            actor=person.identity,
            action=audit_trail.ROUND_OPENED,
            plan_id=plan.id,
            plan_name=plan.name,
            detail={"as_at": as_at, "deadline": deadline, "round": round_id},
        )
    return round_id


def _the_open_round(conn: Connection, plan_name: str):
    plan = plan_row(conn, plan_name)
    rnd = open_round_row(conn, plan.id, lock=True)
    if rnd is None:
        raise RoundRefused(f"'{plan.name}' has no update round open.")
    return plan, rnd


def _cleaned(fields_: UpdateFields) -> UpdateFields:
    def text(value: str | None) -> str | None:
        return round_rules.blank_to_none(clean_text(value)) if value is not None else None

    return UpdateFields(
        fields_.status,
        text(fields_.progress),
        text(fields_.evidence),
        text(fields_.mitigation),
        text(fields_.board_ask),
        fields_.requested_due,
        text(fields_.due_change_reason),
    )


def _write_update(
    conn: Connection,
    *,
    plan,
    rnd,
    row,
    fields_: UpdateFields,
    seen_version: int,
    person: permissions.Person,
    source: str,
    file_name: str | None = None,
) -> int:
    """Check and add one update (inside the caller's transaction); returns its version."""
    if not permissions.may_update(person, row.lead, row.partner, lead_map(plan.lead_identities)):
        raise RoundRefused(_not_yours(person, row))
    fields_ = _cleaned(fields_)
    round_rules.check_update(fields_, row.key, effective_due(row.due_date, row.revised_due_date))
    current = conn.execute(
        select(RoundUpdate).where(RoundUpdate.round_id == rnd.id, RoundUpdate.action_id == row.action_id)
        .order_by(RoundUpdate.version.desc()).limit(1)
    ).first()  # fmt: skip
    version = current.version if current is not None else 0
    if version != seen_version:
        raise UpdateConflict(_saved(current, row.key), fields_)
    conn.execute(
        insert(RoundUpdate).values(
            round_id=rnd.id,
            action_id=row.action_id,
            version=version + 1,
            updated_by=person.identity,
            updated_at=utc_now(),
            source=source,
            file_name=file_name,
            status=fields_.status,
            progress=fields_.progress,
            evidence=fields_.evidence,
            mitigation=fields_.mitigation,
            board_ask=fields_.board_ask,
            requested_due=fields_.requested_due,
            due_change_reason=fields_.due_change_reason,
        )
    )
    audit_trail.record(
        conn,
        actor=person.identity,
        action=audit_trail.ROUND_UPDATE,
        plan_id=plan.id,
        plan_name=plan.name,
        detail={
            "round": rnd.id,
            "action": row.key,
            "status": fields_.status,
            "version": version + 1,
            "file": file_name,
            "requested_due": fields_.requested_due,
            "source": source,
        },
    )
    return version + 1


def _not_yours(person: permissions.Person, row) -> str:
    if person.role == permissions.PARTNER:
        return (
            f"Action {row.key} belongs to {row.partner or 'no partner agency'}, not {person.organisation}: "
            "a partner updates only its own organisation's actions."
        )
    if person.role in (permissions.LEAD, permissions.VIEWER):
        return (
            f"Action {row.key} is led by {row.lead or 'nobody named'}, and the plan's lead mapping does not name "
            f"{person.identity} for it: a lead updates only their own actions."
        )
    return f"{person.identity} cannot update actions in an update round."


def _round_action(conn: Connection, plan, rnd, action_key: str):
    base = base_review_id(conn, plan.id, rnd.as_at)
    rows = {r.key: r for r in base_rows(conn, base)} if base is not None else {}
    row = rows.get(action_key.strip())
    if row is None:
        raise RoundRefused(f"'{plan.name}' has no action {action_key.strip()} in its latest review.")
    return row


@_busy
def record_update(
    engine: Engine,
    *,
    plan_name: str,
    action_key: str,
    fields: UpdateFields,
    seen_version: int,
    person: permissions.Person,
    source: str = round_rules.FROM_APP,
) -> int:
    """Record a person's update of one action in the plan's open round, on the version they saw (0
    for none yet); returns the new version. Refused (RoundRefused, one sentence) when no round is
    open, the action is not the person's, or the update breaks a rule; UpdateConflict when someone
    else saved first."""
    with write_transaction(engine) as conn:
        plan, rnd = _the_open_round(conn, plan_name)
        row = _round_action(conn, plan, rnd, action_key)
        return _write_update(
            conn, plan=plan, rnd=rnd, row=row, fields_=fields, seen_version=seen_version, person=person, source=source
        )


def tracker_fields(row: TrackerRow, stored, file_name: str) -> UpdateFields:
    """What a tracker row says about an action, as an update: a revised date other than the one the
    action has is a date change request (its reason, or a note that the tracker gave none); a blank
    mitigation or ask leaves the action's own."""
    now = effective_due(stored.due_date, stored.revised_due_date)
    moved = row.revised_due if row.revised_due is not None and row.revised_due != now else None
    return UpdateFields(
        status=row.status,
        progress=row.progress,
        evidence=row.evidence,
        mitigation=row.mitigation if row.mitigation is not None else stored.mitigation,
        board_ask=row.board_ask if row.board_ask is not None else stored.board_ask,
        requested_due=moved,
        due_change_reason=(row.change_reason or f"No reason given in {file_name}") if moved is not None else None,
    )


@_busy
def feed_tracker(
    engine: Engine,
    *,
    plan_name: str,
    file_name: str,
    rows: list[TrackerRow],
    action_ids: list[int | None],
    person: permissions.Person,
) -> FeedResult:
    """A tracker uploaded for the open round's review date (rows and the action each is, from the
    importer's preview): the uploader's updates, all or none. Rows that say nothing new are left;
    rows of actions someone already updated in the round that say otherwise are returned as
    conflicts, not written. Refused when the uploader may not update one of the changed actions."""
    with write_transaction(engine) as conn:
        plan, rnd = _the_open_round(conn, plan_name)
        base = base_review_id(conn, plan.id, rnd.as_at)
        by_id = {r.action_id: r for r in base_rows(conn, base)} if base is not None else {}
        saved = latest_updates(conn, rnd.id)
        result = FeedResult(rnd.id)
        for row, action_id in zip(rows, action_ids, strict=True):
            stored = by_id.get(action_id) if action_id is not None else None
            if stored is None:
                result.not_in_plan.append(row.source_row or 0)
                continue
            start = saved[action_id].fields if action_id in saved else base_fields(stored)
            said = _cleaned(tracker_fields(row, stored, file_name))
            if not said.differs(start):
                result.unchanged += 1
                continue
            if action_id in saved and saved[action_id].source != round_rules.FROM_TRACKER:
                result.conflicts.append(Conflict(action_id, stored.key, saved[action_id], said, file_name))
                continue
            _write_update(
                conn,
                plan=plan,
                rnd=rnd,
                row=stored,
                fields_=said,
                seen_version=saved[action_id].version if action_id in saved else 0,
                person=person,
                source=round_rules.FROM_TRACKER,
                file_name=file_name,
            )
            result.applied.append(stored.key)
    return result


def round_for_upload(engine: Engine, preview) -> tuple[int, object] | None:
    """(review index, its ReviewPreview) of an importer Preview whose plan has an update round open
    for that review's date, or None: such an upload feeds the round (feed_preview) rather than
    becoming a review of its own."""
    with engine.connect() as conn:
        for review in preview.reviews:
            plan = conn.execute(select(Plan.id).where(Plan.name == review.plan_name)).scalar_one_or_none()
            rnd = open_round_row(conn, plan) if plan is not None else None
            if rnd is not None and review.as_at == rnd.as_at:
                return review.index, review
    return None


def feed_preview(engine: Engine, review, *, file_name: str, person: permissions.Person) -> FeedResult:
    """feed_tracker for one review of an importer preview (its rows, and the stored action each
    row was matched to)."""
    ids = [ref.action_id if ref is not None else None for ref in review.matches]
    return feed_tracker(
        engine, plan_name=review.plan_name, file_name=file_name, rows=review.rows, action_ids=ids, person=person
    )


@_busy
def resolve_conflicts(
    engine: Engine, *, plan_name: str, keep_tracker: list[Conflict], person: permissions.Person
) -> list[str]:
    """The editor's choice for conflicts: the tracker's version of each in `keep_tracker` becomes
    the action's update (on the in-app version it was compared with, so a later change conflicts
    again); the others keep the in-app update (nothing to write). Returns the keys written."""
    _editor(person, "choose between a tracker and the updates made in the app")
    written = []
    with write_transaction(engine) as conn:
        plan, rnd = _the_open_round(conn, plan_name)
        for conflict in keep_tracker:
            row = _round_action(conn, plan, rnd, conflict.key)
            _write_update(
                conn,
                plan=plan,
                rnd=rnd,
                row=row,
                fields_=conflict.tracker,
                seen_version=conflict.in_app.version,
                person=person,
                source=round_rules.FROM_TRACKER,
                file_name=conflict.file_name,
            )
            written.append(conflict.key)
    return written


@_busy
def close_round(engine: Engine, *, plan_name: str, person: permissions.Person) -> ClosedRound:
    """Close the plan's open round into one review as at its date (editors), exactly as an import
    writes one; actions nobody updated are carried forward marked no_update. A same-date review
    imported meanwhile is replaced (kept, hidden), as an import's replace does."""
    _editor(person, "close an update round")
    from data_access.importer.committing.writing import write_one_review  # the importer's writer, loaded when used

    with write_transaction(engine) as conn:
        plan, rnd = _the_open_round(conn, plan_name)
        base = base_review_id(conn, plan.id, rnd.as_at)
        stored = base_rows(conn, base) if base is not None else []
        saved = latest_updates(conn, rnd.id)
        rows, ids, requests = [], [], []
        for s in stored:
            update_ = saved.get(s.action_id)
            rows.append(_review_row(s, update_))
            ids.append(s.action_id)
            if update_ is not None and update_.fields.requested_due is not None:
                requests.append((s, update_))
        same_date = conn.execute(
            select(Review.id).where(
                Review.plan_id == plan.id, Review.as_at == rnd.as_at, Review.replaced_by_id.is_(None)
            )
        ).scalar_one_or_none()
        # A date change asked for in the round reaches the board awaiting approval (recorded first,
        # so the review's own reading of the moved date leaves it as the app's request).
        for s, update_ in requests:
            board_decisions.record_date_change(
                conn,
                action_id=s.action_id,
                from_date=effective_due(s.due_date, s.revised_due_date),
                to_date=update_.fields.requested_due,
                state=signoff_rules.NOT_APPROVED,
                source=signoff_rules.FROM_APP,
                recorded_by=update_.updated_by,
                reason=update_.fields.due_change_reason,
            )
        updated = sum(1 for s in stored if s.action_id in saved)
        not_updated = sum(1 for s in stored if s.action_id not in saved and round_rules.expects_update(s.status))
        review_id, _ = write_one_review(
            conn,
            plan_id=plan.id,
            plan_name=plan.name,
            snapshot=ReviewSnapshot(as_at=rnd.as_at, rows=rows),
            action_ids=ids,
            source=round_rules.ROUND_SOURCE,
            sha256=None,
            imported_by=person.identity,
            replaces=same_date,
            detail={"round": rnd.id},
        )
        conn.execute(
            update(UpdateRound)
            .where(UpdateRound.id == rnd.id)
            .values(state=round_rules.CLOSED, closed_by=person.identity, closed_at=utc_now(), review_id=review_id)
        )
        audit_trail.record(
            conn,
            actor=person.identity,
            action=audit_trail.ROUND_CLOSED,
            plan_id=plan.id,
            plan_name=plan.name,
            review_id=review_id,
            detail={"as_at": rnd.as_at, "round": rnd.id, "updated": updated, "not_updated": not_updated},
        )
    return ClosedRound(review_id, updated, not_updated, len(requests))


def _review_row(s, update_: SavedUpdate | None) -> TrackerRow:
    """An action's row in the review a round closes into: its latest review's row, with its round
    update applied, or marked no_update when it had none and the round asked for one."""
    row = TrackerRow(
        rec_ref=s.rec_ref,
        rec_text=s.rec_text,
        description=s.description,
        action_id=s.key,
        lead=s.lead,
        partner=s.partner,
        measure=s.measure,
        theme=s.theme,
        status=s.status,
        status_raw=s.status_raw,
        timescale=Timescale(s.due_raw, s.due_date, s.due_precision, "date" if s.due_date else "blank"),
        revised_due=s.revised_due_date,
        progress=s.progress,
        evidence=s.evidence,
        signoff_raw=s.signoff_raw,
        change_reason=s.date_change_reason,
        change_approved_by=s.date_change_approved_by,
        mitigation=s.mitigation,
        board_ask=s.board_ask,
        no_update=update_ is None and round_rules.expects_update(s.status),
    )
    if update_ is None:
        return row
    f = update_.fields
    row.status, row.status_raw = f.status, None
    row.progress, row.evidence, row.mitigation, row.board_ask = f.progress, f.evidence, f.mitigation, f.board_ask
    if f.requested_due is not None:
        row.revised_due, row.change_reason, row.change_approved_by = f.requested_due, f.due_change_reason, None
    return row


@_busy
def set_lead_identities(
    engine: Engine, *, plan_name: str, mapping: Mapping[str, list[str]], person: permissions.Person
) -> dict[str, list[str]]:
    """Who may update each lead's actions: {lead as the plan names it: [identities or groups]}
    (editors). Blank entries and leads with none are dropped; returns what was stored."""
    _editor(person, "say who leads which actions")
    clean = {}
    for lead, entries in mapping.items():
        kept = sorted({" ".join(clean_text(str(e)).split()) for e in entries if str(e).strip()}, key=str.casefold)
        if str(lead).strip() and kept:
            clean[" ".join(clean_text(str(lead)).split())] = kept
    with write_transaction(engine) as conn:
        plan = plan_row(conn, plan_name)
        before = lead_map(plan.lead_identities)
        conn.execute(
            update(Plan)
            .where(Plan.id == plan.id)
            .values(lead_identities=json.dumps(clean, ensure_ascii=False, sort_keys=True) if clean else None)
        )
        audit_trail.record(
            conn,
            actor=person.identity,
            action=audit_trail.PLAN_SETTINGS,
            plan_id=plan.id,
            plan_name=plan.name,
            detail={
                "change": "lead identities",
                "fields": sorted(k for k in set(before) | set(clean) if before.get(k) != clean.get(k)),
            },
        )
    return clean
