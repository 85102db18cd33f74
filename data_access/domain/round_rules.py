"""The monthly update round (issue 26), its rules in one place. No I/O.

A round is opened by an editor for a plan with a review date and a deadline; leads and partner
agencies update their own actions (who may update what: permissions.may_update); the round closes
into one review, exactly as an import does. An action nobody updated is carried forward marked
"no update this round", never silently unchanged.

- A red or amber status needs a mitigation (what is being done about it); "what we need from the
  board" is optional.
- A due date change request needs the new date and a reason; it reaches the board as a date change
  not yet approved.
- Each update of an action in a round has a version (1, 2, …): an update says which version it saw,
  so two people updating one action never overwrite each other unseen.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields

from data_access.domain.rules import AMBER, COMPLETE, RED, STATUS_STYLE, STATUSES

OPEN, CLOSED = "open", "closed"
ROUND_STATES: tuple[str, ...] = (OPEN, CLOSED)
FROM_APP, FROM_COMMAND_LINE, FROM_TRACKER = "app", "command line", "tracker"
UPDATE_SOURCES: tuple[str, ...] = (FROM_APP, FROM_COMMAND_LINE, FROM_TRACKER)
NO_UPDATE = "no update this round"  # shown beside an action a closed round carried forward
ROUND_SOURCE = "update round"  # the review's source (in place of a file name)
NEEDS_MITIGATION = (RED, AMBER)
# The fields an update carries, as the person gave them (text is data, kept as written).
UPDATE_FIELDS = ("status", "progress", "evidence", "mitigation", "board_ask", "requested_due", "due_change_reason")
FIELD_WORDS = {
    "status": "Status",
    "progress": "Progress note",
    "evidence": "Evidence",
    "mitigation": "Mitigation",
    "board_ask": "What we need from the board",
    "requested_due": "New due date requested",
    "due_change_reason": "Reason for the new date",
}


class RoundRefused(ValueError):
    """A round write that cannot be made; the message is one sentence saying why."""


@dataclass(frozen=True)
class UpdateFields:
    """One action's state in a round: what a person updates (status, note, evidence, mitigation,
    the ask of the board, and a due date change request with its reason)."""

    status: str
    progress: str | None = None
    evidence: str | None = None
    mitigation: str | None = None
    board_ask: str | None = None
    requested_due: dt.date | None = None
    due_change_reason: str | None = None

    def differs(self, other: UpdateFields) -> list[str]:
        """The fields whose values differ (text compared with spacing ignored)."""
        return [f.name for f in fields(self) if _norm(getattr(self, f.name)) != _norm(getattr(other, f.name))]


def _norm(value):
    if isinstance(value, str):
        return " ".join(value.split()) or None
    return value


def blank_to_none(text: str | None) -> str | None:
    """Text as stored: exactly as written, or None when there is nothing but spaces."""
    return text if text is not None and text.strip() else None


def check_update(fields_: UpdateFields, action_key: str, current_due: dt.date | None = None) -> None:
    """Refuse (RoundRefused, one sentence naming the action) an update the rules do not allow."""
    if fields_.status not in STATUSES:
        raise RoundRefused(f"Action {action_key}: '{fields_.status}' is not a status ({', '.join(STATUSES)}).")
    if fields_.status in NEEDS_MITIGATION and not blank_to_none(fields_.mitigation):
        raise RoundRefused(
            f"Action {action_key}: a status of {STATUS_STYLE[fields_.status].label} ({fields_.status}) needs a "
            "mitigation saying what is being done about it."
        )
    if fields_.requested_due is not None and not blank_to_none(fields_.due_change_reason):
        raise RoundRefused(f"Action {action_key}: a new due date needs a reason for the change.")
    if fields_.requested_due is None and blank_to_none(fields_.due_change_reason):
        raise RoundRefused(f"Action {action_key}: a reason for a date change needs the new due date.")
    if fields_.requested_due is not None and fields_.requested_due == current_due:
        raise RoundRefused(f"Action {action_key}: the new due date is the date it already has.")


def check_dates(review_date: dt.date, deadline: dt.date | None) -> None:
    """A round's deadline is on or before its review date."""
    if deadline is not None and deadline > review_date:
        raise RoundRefused(
            f"The deadline for updates ({deadline.isoformat()}) is after the review date "
            f"({review_date.isoformat()}): updates are due before the review."
        )


def expects_update(status_at_start: str | None) -> bool:
    """A round asks for an update of every action that was not complete when it opened. A complete
    action (awaiting sign-off or signed off) may still be updated, but it is never outstanding, never
    on the reminder list and never marked "no update this round": there is nothing left to report."""
    return status_at_start != COMPLETE


def progress_by(rows: list[tuple[str | None, bool]], blank: str) -> list[tuple[str, int, int]]:
    """[(name, updated, outstanding)] per name (lead or organisation; case and extra spaces do not
    make two names), in alphabetical order, blank names as `blank`, from (name, updated) pairs."""
    counts: dict[str, list] = {}  # name compared without case or extra spaces -> [first spelling, updated, not]
    for name, updated in rows:
        shown = " ".join(str(name).split()) if name and str(name).strip() else blank
        slot = counts.setdefault(shown.casefold(), [shown, 0, 0])
        slot[1 if updated else 2] += 1
    return [tuple(slot) for _, slot in sorted(counts.items())]
