"""Links that cannot be honoured as they stand: what to show instead, and the one short notice
that says so. A copied link may name a plan or review that no longer exists (or never did), a
review of another plan, or an 'overdue as at' date that is not a date or falls before the
review's own date. The app then shows the nearest sensible view and says which, never a
different plan without a word.

Pure functions of what the link says and what is stored; the sidebar (pages/ui/controls.py) calls
them. Notices hold tracker text (plan names, review labels): escape them for the medium.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from data_access.domain.wording import long_date, short_text

# Later than this is not a meeting date anyone means (and date arithmetic would overflow).
LATEST_AS_OF = dt.date(2099, 12, 31)


@dataclass(frozen=True)
class ReviewOwner:
    """Where a review id in a link belongs: its plan, label and whether a later import replaced it."""

    review_id: int
    plan_id: int
    plan_name: str
    label: str
    as_at: dt.date
    replaced: bool


def _quoted(raw: str, limit: int = 30) -> str:
    """A link's value as quoted in a notice: one line, cut short when long."""
    return f"'{short_text(raw, limit)}'"


def plan_notice(raw: str | None, valid: bool, shown_name: str) -> str | None:
    """A `plan` value in the link that is not a stored plan's id."""
    if raw is None or valid:
        return None
    return f"The link names action plan {_quoted(raw)}, which is not stored here; showing {shown_name}."


def review_notice(
    raw: str | None,
    owner: ReviewOwner | None,
    plan_id: int,
    plan_name: str,
    shown_label: str | None,
) -> str | None:
    """A `review` value in the link that is not a current review of the plan shown."""
    if raw is None or (owner is not None and owner.plan_id == plan_id and not owner.replaced):
        return None
    instead = f"showing its latest review, {shown_label}" if shown_label else "it has no reviews yet"
    if owner is None:
        return f"The link names review {_quoted(raw)}, which is not stored for {plan_name}; {instead}."
    if owner.plan_id != plan_id:
        latest = f"showing {plan_name}'s latest review, {shown_label}" if shown_label else "it has no reviews yet"
        return f"The link names review {owner.label} of {owner.plan_name}, not of {plan_name}; {latest}."
    return f"Review {owner.label} (id {owner.review_id}) was replaced by a later import; {instead}."


def parse_as_of(
    raw: str | None, review_as_at: dt.date | None, today: dt.date, where: str = " in the link"
) -> tuple[dt.date | None, str | None]:
    """The 'overdue as at' date a link asks for: (the date to use, a notice), or (None, None)
    when the link has none. Not a date, or later than LATEST_AS_OF: today (but never before the
    review's date). Before the review's own date: the review's date. `where` says where the date
    came from in the notice."""
    if raw is None:
        return None, None
    floor = review_as_at or dt.date.min
    fallback = max(today, floor)
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        day = None
    if day is None or len(raw) != 10:
        return fallback, (
            f"{_quoted(raw)}{where} is not a date written YYYY-MM-DD; overdue is counted as at {long_date(fallback)}."
        )
    if day > LATEST_AS_OF:
        return fallback, (
            f"{long_date(day)}{where} is later than {long_date(LATEST_AS_OF)}; "
            f"overdue is counted as at {long_date(fallback)}."
        )
    if review_as_at is not None and day < review_as_at:
        return review_as_at, (
            f"{long_date(day)}{where} is before this review's own date; overdue is counted as at "
            f"{long_date(review_as_at)}, the review's date."
        )
    return day, None


def action_notice(raw: str | None, found: bool, plan_name: str | None) -> str | None:
    """An `action` value in the link that is not an action of the plan shown."""
    if raw is None or found:
        return None
    where = f"in {plan_name}" if plan_name else "stored here"
    return f"The link names action {_quoted(raw)}, which is not an action {where}; choose one from a list."
