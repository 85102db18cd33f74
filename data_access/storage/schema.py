"""The data model. A review is a dated snapshot of the whole plan; status history lives in
ActionUpdate (one row per action per review), so comparing two reviews is a join.

The schema itself is created by Alembic migrations (migrations/), never by create_all in
production paths.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from data_access.domain.round_rules import OPEN, ROUND_STATES, UPDATE_SOURCES
from data_access.domain.rules import PRECISIONS, STATUSES
from data_access.domain.signoff_rules import DATE_CHANGE_SOURCES, DATE_CHANGE_STATES, SIGNOFF_KINDS, SIGNOFF_SOURCES

CURRENT = text("replaced_by_id IS NULL")  # a review not replaced by a later import


class Base(DeclarativeBase):
    pass


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Plan(Base):
    __tablename__ = "plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(Text, unique=True)
    organisation: Mapped[str | None] = mapped_column(Text)
    inspection_type: Mapped[str | None] = mapped_column(String(40))  # SIF, JTAI, ILACS...
    inspection_start: Mapped[dt.date | None] = mapped_column(Date)
    inspection_end: Mapped[dt.date | None] = mapped_column(Date)
    published_on: Mapped[dt.date | None] = mapped_column(Date)
    target_date: Mapped[dt.date | None] = mapped_column(Date)  # when the plan should be complete
    # The cabinet report's Background (plan settings; blank: the report leaves a placeholder).
    judgement: Mapped[str | None] = mapped_column(Text)  # the inspection's overall judgement: 'Requires improvement'
    board_name: Mapped[str | None] = mapped_column(Text)  # the board that monitors the plan
    # JSON: the column mapping a manager chose on upload, remembered for the next upload.
    column_mapping: Mapped[str | None] = mapped_column(Text)
    # JSON: what a tracker's coded statuses mean ({"1": "red", ...}), chosen on upload and remembered.
    status_mapping: Mapped[str | None] = mapped_column(Text)
    # JSON: the dates the council gives its school terms ({"summer": "07-31"}, month-day), so a
    # timescale "Summer term" is dated; set on upload (page or --term-dates) and remembered.
    term_dates: Mapped[str | None] = mapped_column(Text)
    # Set when an admin archives the plan: hidden from the board lists, never deleted.
    archived_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # JSON (migration 0010): {lead as the plan names it: [sign-in identities or groups]}, who may
    # update that lead's actions in an update round (plan settings).
    lead_identities: Mapped[str | None] = mapped_column(Text)


class BoardMeeting(Base):
    """A date the plan's board meets (plan settings): "overdue as at" defaults to the next meeting on
    or after the review's own date (data_access.domain.meetings.default_as_of)."""

    __tablename__ = "board_meeting"
    __table_args__ = (UniqueConstraint("plan_id", "meets_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    meets_on: Mapped[dt.date] = mapped_column(Date)


class Recommendation(Base):
    __tablename__ = "recommendation"
    __table_args__ = (UniqueConstraint("plan_id", "ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    ref: Mapped[str] = mapped_column(Text)  # as printed: "a)", "7", "R3"
    sort_key: Mapped[str] = mapped_column(Text)  # natural order: a < b < ... < q, 2 < 10
    text: Mapped[str] = mapped_column(Text)
    theme: Mapped[str | None] = mapped_column(Text)


class Action(Base):
    __tablename__ = "action"
    __table_args__ = (UniqueConstraint("plan_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    recommendation_id: Mapped[int] = mapped_column(ForeignKey("recommendation.id", ondelete="CASCADE"), index=True)
    # Stable key: the tracker's action ID when it has one, else generated from the recommendation.
    key: Mapped[str] = mapped_column(Text)
    key_from_tracker: Mapped[bool] = mapped_column(default=True)
    sort_key: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text)
    lead: Mapped[str | None] = mapped_column(Text)  # job title, never a person's name
    partner: Mapped[str | None] = mapped_column(Text)  # partner agency (JTAI plans)
    measure: Mapped[str | None] = mapped_column(Text)  # measure of success


class Review(Base):
    __tablename__ = "review"
    __table_args__ = (
        # The same file (and sheet) cannot be imported twice; a replaced review keeps its row.
        UniqueConstraint("sha256", "sheet"),
        Index("ix_review_plan_asat", "plan_id", "as_at"),
        # One current review per plan and date, always (replaced reviews are kept, hidden).
        Index("uq_review_current", "plan_id", "as_at", unique=True, sqlite_where=CURRENT, postgresql_where=CURRENT),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"))
    as_at: Mapped[dt.date] = mapped_column(Date)
    label: Mapped[str] = mapped_column(Text)  # "Q2 2017/18"
    source: Mapped[str] = mapped_column(Text)  # file name, or "manual"
    sheet: Mapped[str] = mapped_column(Text, default="")  # "" for single-table files
    sha256: Mapped[str | None] = mapped_column(String(64))
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime)
    imported_by: Mapped[str | None] = mapped_column(Text)
    # SHA-256 of the review's content (its rows as stored), so the same content is recognised
    # whatever file or sheet it arrives in.
    content_sha256: Mapped[str | None] = mapped_column(String(64))
    # Set when a later import replaced this review; replaced reviews are hidden, never deleted.
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("review.id"))


class ActionUpdate(Base):
    __tablename__ = "action_update"
    __table_args__ = (
        UniqueConstraint("review_id", "action_id"),
        CheckConstraint(_in("status", STATUSES), name="ck_action_update_status"),
        CheckConstraint(_in("due_precision", PRECISIONS), name="ck_action_update_precision"),
        Index("ix_action_update_action", "action_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id", ondelete="CASCADE"))
    action_id: Mapped[int] = mapped_column(ForeignKey("action.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(12))
    status_raw: Mapped[str | None] = mapped_column(Text)  # what the tracker said
    status_from_colour: Mapped[bool] = mapped_column(default=False)
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    due_raw: Mapped[str | None] = mapped_column(Text)
    due_precision: Mapped[str] = mapped_column(String(8), default="none")
    revised_due_date: Mapped[dt.date | None] = mapped_column(Date)
    progress: Mapped[str | None] = mapped_column(Text)
    evidence: Mapped[str | None] = mapped_column(Text)
    # Sign-off and date-change columns as the tracker wrote them (migration 0008); the decisions
    # themselves are events (SignOffEvent, DueDateChange).
    signoff_raw: Mapped[str | None] = mapped_column(Text)  # "Signed off", "Closed (Y/N)", "Date closed by board"
    date_change_reason: Mapped[str | None] = mapped_column(Text)  # "Reason for change"
    date_change_approved_by: Mapped[str | None] = mapped_column(Text)  # "Agreed by", "Approved by"
    # The update round (migration 0010): what is done about a red or amber status, what is asked of
    # the board, and whether a closed round carried the row forward because nobody updated it.
    mitigation: Mapped[str | None] = mapped_column(Text)  # "Mitigation", "Remedial action"
    board_ask: Mapped[str | None] = mapped_column(Text)  # "Support needed from the board"
    no_update: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    source_row: Mapped[int | None] = mapped_column(Integer)  # Excel row number, for traceability


class AuditEvent(Base):
    """Who did what, when, to which plan and review. Written in the same transaction as the change
    it records; the database refuses updates and deletes (triggers in migration 0002). No foreign
    keys: the trail outlives a deleted plan."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_plan", "plan_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at_utc: Mapped[dt.datetime] = mapped_column(DateTime)  # shown in Europe/London
    actor: Mapped[str] = mapped_column(Text)  # email of the signed-in user, or "local user" / "command line"
    action: Mapped[str] = mapped_column(String(40))  # data_access.storage.audit_trail.ACTIONS
    plan_id: Mapped[int | None] = mapped_column(Integer)
    plan_name: Mapped[str | None] = mapped_column(Text)
    review_id: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[str | None] = mapped_column(Text)  # JSON: file name, SHA-256, what changed


# Measures of success (migration 0007): indicators of a plan and their dated values.

CURRENT_VALUE = text("superseded_by_id IS NULL")  # the point as most recently imported


class Indicator(Base):
    """A measure of success of a plan: which way is better ('higher' or 'lower'), its unit ('%',
    'days', '' for a number), the recommendations it evidences (indicator_recommendation)."""

    __tablename__ = "indicator"
    __table_args__ = (
        UniqueConstraint("plan_id", "name"),
        CheckConstraint("better IN ('higher', 'lower')", name="ck_indicator_better"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(Text)
    unit: Mapped[str] = mapped_column(Text, default="")
    better: Mapped[str] = mapped_column(String(6))
    owner: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(Text)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)  # the order the file gave


class MeasureDirection(Base):
    """A plan's setting of which way is better for a measure, by indicator name (migration 0011):
    used when a file does not say. Set on the Plan settings page or by answering the upload
    preview's question (data_access/storage/measure_directions.py)."""

    __tablename__ = "measure_direction"
    __table_args__ = (
        UniqueConstraint("plan_id", "name"),
        CheckConstraint("better IN ('higher', 'lower')", name="ck_measure_direction_better"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(Text)
    better: Mapped[str] = mapped_column(String(6))
    set_by: Mapped[str | None] = mapped_column(Text)
    set_at: Mapped[dt.datetime] = mapped_column(DateTime)


class IndicatorRecommendation(Base):
    __tablename__ = "indicator_recommendation"

    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id", ondelete="CASCADE"), primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("recommendation.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class MeasureImport(Base):
    """One file's measures as one import wrote them (migration 0012): where its points came from, who
    imported it and when. Held once per import, not on each of its points (200 indicators x 36
    months is 7,200 points from one file; bench/bench_measures.py)."""

    __tablename__ = "measure_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(Text)  # the file it came from
    sha256: Mapped[str | None] = mapped_column(String(64))
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime)
    imported_by: Mapped[str | None] = mapped_column(Text)


class IndicatorValue(Base):
    """One period's value and target of an indicator, as one import gave it (import_id: the file,
    who and when). Values are history: a later import that gives a different value or target for a
    period adds a row and marks the old one superseded (kept, never deleted); periods a later import
    leaves out stay as they were."""

    __tablename__ = "indicator_value"
    __table_args__ = (
        Index(
            "uq_indicator_value_current",
            "indicator_id",
            "period_end",
            unique=True,
            sqlite_where=CURRENT_VALUE,
            postgresql_where=CURRENT_VALUE,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id", ondelete="CASCADE"), index=True)
    period_end: Mapped[dt.date] = mapped_column(Date)
    value: Mapped[float | None] = mapped_column(Float)
    target: Mapped[float | None] = mapped_column(Float)
    # No cascade: an import cannot be deleted while its points exist (a plan's deletion takes both).
    import_id: Mapped[int] = mapped_column(ForeignKey("measure_import.id"))
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("indicator_value.id"))


class SignOffEvent(Base):
    """A board decision on a complete action: signed off (with the evidence it saw), sent back, or
    undone. Events are only ever added (the database refuses updates, migration 0008): undoing a
    sign-off is another event. The action's state is its latest event (domain/signoff_rules.py)."""

    __tablename__ = "signoff_event"
    __table_args__ = (
        CheckConstraint(_in("kind", SIGNOFF_KINDS), name="ck_signoff_event_kind"),
        CheckConstraint(_in("source", SIGNOFF_SOURCES), name="ck_signoff_event_source"),
        Index("ix_signoff_event_action", "action_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("action.id", ondelete="CASCADE"))
    review_id: Mapped[int | None] = mapped_column(ForeignKey("review.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(12))  # signed_off | sent_back | undone
    meeting_date: Mapped[dt.date | None] = mapped_column(Date)  # the board meeting that decided
    recorded_by: Mapped[str] = mapped_column(Text)  # the signed-in person, "command line" or "tracker"
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime)  # UTC
    evidence: Mapped[str | None] = mapped_column(Text)  # what the board saw: text
    links: Mapped[str | None] = mapped_column(Text)  # links to the evidence, one a line
    note: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(12))  # tracker | app | command line
    raw: Mapped[str | None] = mapped_column(Text)  # what the tracker said ("Y", "Closed by board 3/4/18")


class SignOffEvidenceFile(Base):
    """A small file the board saw as evidence for a sign-off (migration 0009): its name as uploaded
    (data, never markup), its checked media type, size and bytes. Never changed once written."""

    __tablename__ = "signoff_evidence_file"
    __table_args__ = (Index("ix_signoff_evidence_file_event", "signoff_event_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    signoff_event_id: Mapped[int] = mapped_column(ForeignKey("signoff_event.id", ondelete="CASCADE"))
    file_name: Mapped[str] = mapped_column(Text)
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class DueDateChange(Base):
    """A change of an action's due date and the board's decision on it. A decision (approve,
    refuse) is a new row for the same change, never an edit: the latest row is the change's state."""

    __tablename__ = "due_date_change"
    __table_args__ = (
        CheckConstraint(_in("state", DATE_CHANGE_STATES), name="ck_due_date_change_state"),
        CheckConstraint(_in("source", DATE_CHANGE_SOURCES), name="ck_due_date_change_source"),
        Index("ix_due_date_change_action", "action_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("action.id", ondelete="CASCADE"))
    review_id: Mapped[int | None] = mapped_column(ForeignKey("review.id", ondelete="CASCADE"))
    from_date: Mapped[dt.date | None] = mapped_column(Date)
    to_date: Mapped[dt.date | None] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(Text)
    approved_by: Mapped[str | None] = mapped_column(Text)  # as the tracker or the editor says
    approved_on: Mapped[dt.date | None] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(12))  # approved | not_approved | refused
    source: Mapped[str] = mapped_column(String(16))  # tracker | between_reviews | app
    recorded_by: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime)  # UTC


# The update round (migration 0010): leads and partners update their own actions; closing the
# round writes one review (storage/update_rounds.py).

OPEN_ROUND = text(f"state = '{OPEN}'")


class UpdateRound(Base):
    """A round of updates for a plan's next review: open until an editor closes it into a review."""

    __tablename__ = "update_round"
    __table_args__ = (
        CheckConstraint(_in("state", ROUND_STATES), name="ck_update_round_state"),
        # One open round per plan, always.
        Index("uq_update_round_open", "plan_id", unique=True, sqlite_where=OPEN_ROUND, postgresql_where=OPEN_ROUND),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    as_at: Mapped[dt.date] = mapped_column(Date)  # the review date the round closes into
    deadline: Mapped[dt.date | None] = mapped_column(Date)  # updates due by
    state: Mapped[str] = mapped_column(String(8))  # open | closed
    opened_by: Mapped[str] = mapped_column(Text)
    opened_at: Mapped[dt.datetime] = mapped_column(DateTime)  # UTC
    closed_by: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)  # UTC
    review_id: Mapped[int | None] = mapped_column(ForeignKey("review.id", ondelete="SET NULL"))  # written on close


class RoundUpdate(Base):
    """One person's update of one action in a round. Only ever added: a later update is a new row
    with the next version, so nothing anyone wrote is lost; the action's state in the round is its
    highest version. (round, action, version) is unique, so two people saving on the same version
    cannot both succeed: the second is shown the first's update (a conflict)."""

    __tablename__ = "round_update"
    __table_args__ = (
        UniqueConstraint("round_id", "action_id", "version"),
        CheckConstraint(_in("status", STATUSES), name="ck_round_update_status"),
        CheckConstraint(_in("source", UPDATE_SOURCES), name="ck_round_update_source"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("update_round.id", ondelete="CASCADE"), index=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("action.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)  # 1, 2, ... per action within the round
    updated_by: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)  # UTC
    source: Mapped[str] = mapped_column(String(16))  # app | command line | tracker
    file_name: Mapped[str | None] = mapped_column(Text)  # the tracker an update came from
    status: Mapped[str] = mapped_column(String(12))
    progress: Mapped[str | None] = mapped_column(Text)
    evidence: Mapped[str | None] = mapped_column(Text)
    mitigation: Mapped[str | None] = mapped_column(Text)
    board_ask: Mapped[str | None] = mapped_column(Text)
    requested_due: Mapped[dt.date | None] = mapped_column(Date)  # a due date change request...
    due_change_reason: Mapped[str | None] = mapped_column(Text)  # ...and why
