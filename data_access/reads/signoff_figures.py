"""Read-only: the board's decisions (issue 25): which complete actions of a review await sign-off
and which are signed off, and every due date change with its approval. The rules are
domain/signoff_rules.py; the events are written by storage/board_decisions.py."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, select

from data_access.domain import rules, signoff_rules
from data_access.storage.board_decisions import latest_changes, latest_signoff_kinds
from data_access.storage.schema import Action, ActionUpdate, Recommendation, Review, SignOffEvent
from data_access.storage.schema import SignOffEvidenceFile as File


@dataclass(frozen=True)
class CompleteAction:
    action_id: int
    key: str
    description: str
    rec_ref: str
    rec_text: str
    status_raw: str | None
    evidence: str | None
    completion: str  # signoff_rules.AWAITING or SIGNED


def complete_actions(engine: Engine, review_id: int) -> list[CompleteAction]:
    """The review's complete actions with their sign-off state as it stood at the review (events
    recorded with a later review do not count), in recommendation then action order."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                Action.id,
                Action.key,
                Action.description,
                Recommendation.ref,
                Recommendation.text,
                ActionUpdate.status_raw,
                ActionUpdate.evidence,
            )
            .join(ActionUpdate, ActionUpdate.action_id == Action.id)
            .join(Recommendation, Recommendation.id == Action.recommendation_id)
            .where(ActionUpdate.review_id == review_id, ActionUpdate.status == rules.COMPLETE)
            .order_by(Recommendation.sort_key, Action.sort_key)
        ).all()
        review = conn.execute(select(Review.plan_id, Review.as_at).where(Review.id == review_id)).first()
        kinds = latest_signoff_kinds(conn, review.plan_id, up_to=review.as_at) if review else {}
    return [
        CompleteAction(
            r.id, r.key, r.description, r.ref, r.text, r.status_raw, r.evidence,
            signoff_rules.completion(rules.COMPLETE, kinds.get(r.id)),
        )
        for r in rows
    ]  # fmt: skip


def signoff_counts(engine: Engine, review_id: int) -> dict[str, int]:
    """{"signed_off": n, "awaiting": n} for the review's complete actions."""
    found = complete_actions(engine, review_id)
    signed = sum(1 for a in found if a.completion == signoff_rules.SIGNED)
    return {"signed_off": signed, "awaiting": len(found) - signed}


@dataclass(frozen=True)
class DateChange:
    change_id: int
    action_key: str
    from_date: object
    to_date: object
    reason: str | None
    approved_by: str | None
    approved_on: object
    state: str  # signoff_rules.DATE_CHANGE_STATES
    source: str
    recorded_by: str


def date_changes(engine: Engine, plan_id: int) -> list[DateChange]:
    """Every due date change of the plan, with its latest decision, in the order first recorded."""
    with engine.connect() as conn:
        rows = latest_changes(conn, plan_id)
    return [
        DateChange(
            c.id, c.action_key, c.from_date, c.to_date, c.reason, c.approved_by, c.approved_on, c.state,
            c.source, c.recorded_by,
        )
        for c in rows
    ]  # fmt: skip


def change_counts(engine: Engine, plan_id: int) -> dict[str, int]:
    """{"approved": n, "not_approved": n, "refused": n} over the plan's changes."""
    counts = dict.fromkeys(signoff_rules.DATE_CHANGE_STATES, 0)
    for change in date_changes(engine, plan_id):
        counts[change.state] += 1
    return counts


def plan_of_review(engine: Engine, review_id: int) -> int | None:
    with engine.connect() as conn:
        return conn.execute(select(Review.plan_id).where(Review.id == review_id)).scalar_one_or_none()


@dataclass(frozen=True)
class DecisionFigures:
    """The overview's two decision figures for a review, and the same at the previous review."""

    awaiting: int
    not_approved: int
    previous_awaiting: int | None
    previous_not_approved: int | None


def changes_up_to(engine: Engine, plan_id: int, review_id: int) -> list[DateChange]:
    """The plan's date changes (each as decided now) recorded with a review up to this one, or
    without a review, in the order first recorded: what the overview counts and the exception
    report lists."""
    with engine.connect() as conn:
        as_at = conn.execute(select(Review.as_at).where(Review.id == review_id)).scalar_one()
        dates = dict(conn.execute(select(Review.id, Review.as_at).where(Review.plan_id == plan_id)).all())
        rows = latest_changes(conn, plan_id)
    return [
        DateChange(
            c.id, c.action_key, c.from_date, c.to_date, c.reason, c.approved_by, c.approved_on, c.state,
            c.source, c.recorded_by,
        )
        for c in rows
        if c.review_id is None or dates.get(c.review_id, as_at) <= as_at
    ]  # fmt: skip


def moved_without_approval(engine: Engine, plan_id: int, review_id: int) -> list[DateChange]:
    """The due dates moved without approval, up to this review (changes_up_to)."""
    return [c for c in changes_up_to(engine, plan_id, review_id) if c.state == signoff_rules.NOT_APPROVED]


def _changes_up_to(engine: Engine, plan_id: int, review_id: int) -> dict[str, int]:
    """The plan's date changes by state (as decided now), counting changes_up_to."""
    counts = dict.fromkeys(signoff_rules.DATE_CHANGE_STATES, 0)
    for c in changes_up_to(engine, plan_id, review_id):
        counts[c.state] += 1
    return counts


def _pending_up_to(engine: Engine, plan_id: int, review_id: int) -> int:
    return _changes_up_to(engine, plan_id, review_id)[signoff_rules.NOT_APPROVED]


@dataclass(frozen=True)
class DecisionSummary:
    """The board's decisions as a paper states them (the cabinet report's sentence)."""

    signed_off: int  # the review's complete actions signed off
    awaiting: int  # ...and awaiting sign-off
    approved: int  # due date changes approved, up to this review
    not_approved: int  # ...moved without approval (refused ones are judged against their previous date)

    def sentence(self) -> str:
        return signoff_rules.decisions_sentence(self.signed_off, self.approved, self.not_approved)


def decision_summary(engine: Engine, plan_id: int, review_id: int) -> DecisionSummary:
    signoff = signoff_counts(engine, review_id)
    changes = _changes_up_to(engine, plan_id, review_id)
    return DecisionSummary(
        signoff["signed_off"], signoff["awaiting"], changes[signoff_rules.APPROVED], changes[signoff_rules.NOT_APPROVED]
    )


def overview_figures(
    engine: Engine, plan_id: int, review_id: int, previous_review_id: int | None = None
) -> DecisionFigures:
    """Awaiting sign-off (the review's complete actions not signed off) and dates moved without
    approval, with the same two figures at the previous review (sign-offs as recorded now)."""
    now = signoff_counts(engine, review_id)["awaiting"]
    pending = _pending_up_to(engine, plan_id, review_id)
    if previous_review_id is None:
        return DecisionFigures(now, pending, None, None)
    before = signoff_counts(engine, previous_review_id)["awaiting"]
    return DecisionFigures(now, pending, before, _pending_up_to(engine, plan_id, previous_review_id))


@dataclass(frozen=True)
class ActionDecision:
    """One decision about one action, for its history: a sign-off event or a date change row."""

    order: int  # oldest first: sign-off events and date changes each in the order recorded
    what: str  # signoff_rules kind ("signed_off"...) or "date change"
    meeting_date: object  # sign-off: the meeting; date change: the approval date (or None)
    recorded_by: str
    evidence: str | None
    note: str | None
    from_date: object = None
    to_date: object = None
    state: str | None = None  # date change: approved / not_approved / refused
    source: str | None = None


def action_decisions(engine: Engine, action_id: int) -> list[ActionDecision]:
    """Every sign-off event and every date change row of an action (never overwritten: a decision
    undone is a later row), sign-offs first, each oldest first."""
    from data_access.storage.schema import DueDateChange, SignOffEvent

    with engine.connect() as conn:
        signoffs = conn.execute(
            select(SignOffEvent).where(SignOffEvent.action_id == action_id).order_by(SignOffEvent.id)
        ).all()
        changes = conn.execute(
            select(DueDateChange).where(DueDateChange.action_id == action_id).order_by(DueDateChange.id)
        ).all()
    out = [
        ActionDecision(e.id, e.kind, e.meeting_date, e.recorded_by, e.evidence, e.note, source=e.source)
        for e in signoffs
    ]
    out += [
        ActionDecision(
            c.id, "date change", c.approved_on, c.recorded_by, None, c.reason, c.from_date, c.to_date, c.state, c.source
        )
        for c in changes
    ]
    return out


# --- the decisions the board is asked for: slides and the board pack's "for decision" sections ---

AWAITING_FIELDS = ["action_id", "rec_ref", "rec_text", "key", "description", "evidence"]
FOR_APPROVAL_FIELDS = ["change_id", "key", "from_date", "to_date", "reason", "how"]


def awaiting_signoff(engine: Engine, review_id: int) -> pd.DataFrame:
    """The review's complete actions not yet signed off, in recommendation then action order, with
    the evidence the tracker gives (AWAITING_FIELDS): what the board is asked to sign off."""
    rows = [
        (a.action_id, a.rec_ref, a.rec_text, a.key, a.description, a.evidence)
        for a in complete_actions(engine, review_id)
        if a.completion == signoff_rules.AWAITING
    ]
    return pd.DataFrame(rows, columns=AWAITING_FIELDS)


def changes_for_approval(engine: Engine, plan_id: int, review_id: int) -> pd.DataFrame:
    """The plan's due date changes not approved (nobody recorded an approval, and not refused),
    recorded with a review up to this one, oldest first (FOR_APPROVAL_FIELDS; `how`: where the
    change was seen, signoff_rules.SOURCE_WORDS): what the board is asked to approve or refuse."""
    with engine.connect() as conn:
        as_at = conn.execute(select(Review.as_at).where(Review.id == review_id)).scalar_one()
        dates = dict(conn.execute(select(Review.id, Review.as_at).where(Review.plan_id == plan_id)).all())
        found = latest_changes(conn, plan_id)
    rows = [
        (c.id, c.action_key, c.from_date, c.to_date, c.reason, signoff_rules.SOURCE_WORDS.get(c.source, c.source))
        for c in found
        if c.state == signoff_rules.NOT_APPROVED and (c.review_id is None or dates.get(c.review_id, as_at) <= as_at)
    ]
    return pd.DataFrame(rows, columns=FOR_APPROVAL_FIELDS)


# --- per review, for the trends page ----------------------------------------------------------------

PER_REVIEW_FIELDS = ["review_id", "label", "as_at", "signed_off", "reopened", "date_changes", "not_approved"]


def decisions_per_review(engine: Engine, plan_id: int) -> pd.DataFrame:
    """For each current review of the plan, oldest first (PER_REVIEW_FIELDS): actions signed off
    with it (from its tracker, the app or the command line), signed-off actions its tracker re-opened
    (no longer complete), and the due date changes first recorded with it, with how many of those
    are not approved now. Every count is of events, never of edits (storage/board_decisions.py)."""
    from data_access.reads.review_lookup import current_reviews
    from data_access.storage.schema import DueDateChange, SignOffEvent

    reviews = current_reviews(engine, plan_id)
    ids = [r.id for r in reviews]
    signed = dict.fromkeys(ids, 0)
    reopened = dict.fromkeys(ids, 0)
    changes = dict.fromkeys(ids, 0)
    pending = dict.fromkeys(ids, 0)
    with engine.connect() as conn:
        events = conn.execute(
            select(SignOffEvent.review_id, SignOffEvent.kind, SignOffEvent.source)
            .join(Action, Action.id == SignOffEvent.action_id)
            .where(Action.plan_id == plan_id)
        ).all()
        firsts = conn.execute(
            select(DueDateChange.action_id, DueDateChange.from_date, DueDateChange.to_date, DueDateChange.review_id)
            .join(Action, Action.id == DueDateChange.action_id)
            .where(Action.plan_id == plan_id)
            .order_by(DueDateChange.id)
        ).all()
        latest = latest_changes(conn, plan_id)
    for e in events:
        if e.review_id in signed and e.kind == signoff_rules.SIGNED_OFF:
            signed[e.review_id] += 1
        elif e.review_id in reopened and e.kind == signoff_rules.UNDONE and e.source == signoff_rules.FROM_TRACKER:
            reopened[e.review_id] += 1
    state = {(c.action_id, c.from_date, c.to_date): c.state for c in latest}
    seen: set = set()
    for c in firsts:
        key = (c.action_id, c.from_date, c.to_date)
        if key in seen:
            continue  # a later decision about the same change
        seen.add(key)
        if c.review_id in changes:
            changes[c.review_id] += 1
            pending[c.review_id] += state.get(key) == signoff_rules.NOT_APPROVED
    rows = [(r.id, r.label, r.as_at, signed[r.id], reopened[r.id], changes[r.id], pending[r.id]) for r in reviews]
    return pd.DataFrame(rows, columns=PER_REVIEW_FIELDS)


# --- evidence files kept with sign-offs (migration 0009) ---------------------------------------------


@dataclass(frozen=True)
class EvidenceFile:
    file_id: int
    signoff_event_id: int
    file_name: str  # as uploaded (data, never markup)
    media_type: str
    size: int
    action_id: int


def evidence_files(engine: Engine, action_id: int) -> list[EvidenceFile]:
    """The evidence files kept with the action's sign-offs, oldest first (no bytes: see evidence_file_data)."""
    return evidence_files_of(engine, (action_id,))


def evidence_files_of(engine: Engine, action_ids: tuple[int, ...]) -> list[EvidenceFile]:
    """The evidence files kept with the sign-offs of several actions (the For sign-off page's), in one
    query, oldest first (no bytes: see evidence_file_data)."""
    if not action_ids:
        return []
    with engine.connect() as conn:
        rows = conn.execute(
            select(File.id, File.signoff_event_id, File.file_name, File.media_type, File.size, SignOffEvent.action_id)
            .join(SignOffEvent, SignOffEvent.id == File.signoff_event_id)
            .where(SignOffEvent.action_id.in_(action_ids))
            .order_by(File.id)
        ).all()
    return [EvidenceFile(*r) for r in rows]


def evidence_file_data(engine: Engine, file_id: int, action_id: int) -> bytes | None:
    """One evidence file's bytes, when it belongs to a sign-off of this action (else None)."""
    with engine.connect() as conn:
        return conn.execute(
            select(File.data)
            .join(SignOffEvent, SignOffEvent.id == File.signoff_event_id)
            .where(File.id == file_id, SignOffEvent.action_id == action_id)
        ).scalar_one_or_none()
