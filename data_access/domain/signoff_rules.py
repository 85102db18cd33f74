"""The board's decisions on a plan, in one place: sign-off of complete actions and approval of due
date changes (issue 25). No I/O: the importer, the store, the CLI and the pages call these.

Lifecycle of an action's completion:
- not complete: the status is not complete (blue);
- awaiting sign-off: complete, and its latest sign-off event is not a sign-off (none at all, sent
  back, or a sign-off undone);
- signed off: complete, and its latest sign-off event is a sign-off. It stays signed off in later
  reviews while they still say complete; a later review that says otherwise re-opens it, a movement
  of its own ("re-opened after sign-off").

Due date changes: a change is approved, not approved (nobody recorded an approval: flagged) or
refused (the action is judged against its previous date). Overdue itself is rules.is_overdue.
"""

from __future__ import annotations

import datetime as dt
import re

from data_access.domain.rules import COMPLETE, REVISION_REFUSED
from data_access.domain.wording import plural

# Sign-off events. An event is never changed: undoing a sign-off is an "undone" event.
SIGNED_OFF, SENT_BACK, UNDONE = "signed_off", "sent_back", "undone"
SIGNOFF_KINDS: tuple[str, ...] = (SIGNED_OFF, SENT_BACK, UNDONE)
FROM_TRACKER, FROM_APP, FROM_COMMAND_LINE = "tracker", "app", "command line"
SIGNOFF_SOURCES: tuple[str, ...] = (FROM_TRACKER, FROM_APP, FROM_COMMAND_LINE)

# An action's completion, as the board sees it.
NOT_COMPLETE, AWAITING, SIGNED = "not complete", "complete – awaiting sign-off", "complete – signed off"
REOPENED = "re-opened after sign-off"  # a movement between two reviews

# Due date changes.
APPROVED, NOT_APPROVED, REFUSED = "approved", "not_approved", REVISION_REFUSED
DATE_CHANGE_STATES: tuple[str, ...] = (APPROVED, NOT_APPROVED, REFUSED)
BETWEEN_REVIEWS = "between_reviews"
DATE_CHANGE_SOURCES: tuple[str, ...] = (FROM_TRACKER, BETWEEN_REVIEWS, FROM_APP)
STATE_WORDS = {APPROVED: "approved", NOT_APPROVED: "not approved", REFUSED: "refused"}
SOURCE_WORDS = {
    FROM_TRACKER: "from the tracker",
    BETWEEN_REVIEWS: "moved between reviews",
    FROM_APP: "in the app",
    FROM_COMMAND_LINE: "from the command line",
}

SIGNOFF_REFUSED_NOT_COMPLETE = "{key} is not complete in the review of {review}, so it cannot be signed off."


def completion(status: str, latest_kind: str | None) -> str:
    """NOT_COMPLETE, AWAITING or SIGNED, from the status in the review and the action's latest
    sign-off event kind (None when it has none)."""
    if status != COMPLETE:
        return NOT_COMPLETE
    return SIGNED if latest_kind == SIGNED_OFF else AWAITING


def reopened(previous_status: str | None, previous_latest_kind: str | None, status: str) -> bool:
    """A signed-off action that a later review no longer says is complete: re-opened after sign-off."""
    return previous_status == COMPLETE and previous_latest_kind == SIGNED_OFF and status != COMPLETE


def latest_kind(kinds_in_order: list[str]) -> str | None:
    """The kind of the last event (events are listed oldest first), or None."""
    return kinds_in_order[-1] if kinds_in_order else None


# ---------------------------------------------------------------------------
# What trackers write
# ---------------------------------------------------------------------------

_WORDS = re.compile(r"[^a-z]+")
_YES = {"y", "yes", "true", "signed", "signed off", "closed", "agreed", "approved", "done", "x"}
_NO = {"n", "no", "false", "not signed off", "not closed", "not agreed", "not approved", "pending", "tbc", "na", "n a"}
# Statuses that say the board has closed the action ("Complete (signed off)", "Closed"), not just done.
_SIGNED_STATUS = re.compile(r"\b(signed off|sign off agreed|closed)\b")


def _key(value: object) -> str:
    return " ".join(_WORDS.sub(" ", str(value or "").lower()).split())


def says_yes(value: object) -> bool | None:
    """A Y/N cell ("Y", "Yes", "✓", "Signed off", a date): True, False, or None when blank or unclear.
    A date (or text holding one) means yes: "Date closed by board", "Change agreed at board 4/3/18"."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return True
    raw = str(value).strip()
    if raw in ("✓", "✔", "☑"):
        return True
    key = _key(raw)
    if key in _NO or key.startswith("not "):
        return False
    if key in _YES or key.startswith(("signed off", "closed", "agreed", "approved", "yes")):
        return True
    if re.search(r"\d{1,4}[/.\-]\d{1,2}([/.\-]\d{2,4})?", raw):
        return True
    return None


def status_says_signed_off(status_raw: object) -> bool:
    """'Complete (signed off)', 'Closed': the tracker's status records the board's sign-off."""
    key = _key(status_raw)
    return bool(key) and not key.startswith("not ") and bool(_SIGNED_STATUS.search(key))


def tracker_signed_off(status: str, status_raw: object, signoff_raw: object) -> bool:
    """Does the tracker row record a sign-off? Only a complete action can be signed off; the
    sign-off column (Signed off / Board sign-off / Closed (Y/N) / Date closed by board) decides
    when it says yes or no, else the status wording does."""
    if status != COMPLETE:
        return False
    said = says_yes(signoff_raw)
    if said is not None:
        return said
    return status_says_signed_off(status_raw)


def tracker_change_state(approved_by: object) -> str:
    """A revised date in a tracker: approved when someone is named as agreeing it (Agreed by,
    Approved by, Change agreed at board), else not approved (a reason alone is not an approval)."""
    said = says_yes(approved_by)
    if said is False or said is None and not str(approved_by or "").strip():
        return NOT_APPROVED
    return APPROVED


def moved_later(before: dt.date | None, now: dt.date | None) -> bool:
    """A due date that moved later between two reviews (a date given where there was none is not a move)."""
    return before is not None and now is not None and now > before


def previous_date(from_date: dt.date | None, state: str, to_date: dt.date | None) -> dt.date | None:
    """The date an action is judged against after a change: the new date unless the change was
    refused, when it is judged against its previous date."""
    return from_date if state == REFUSED else to_date


def decisions_sentence(signed_off: int, approved: int, not_approved: int) -> str:
    """'3 actions signed off, 2 moved with approval, 1 without.' (the cabinet report's sentence)."""
    return f"{plural(signed_off, 'action')} signed off, {approved} moved with approval, {not_approved} without."
