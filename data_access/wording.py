"""How figures and dates are worded for people: one place for each, used by the pages, the
command line and the papers (PDF, slides, Word, Excel). Locale-independent: the server's locale
never changes a month's name.

The rules themselves (what counts as overdue, how a percentage rounds) live in rules.py; this
module only says them.
"""

from __future__ import annotations

import datetime as dt

from data_access.clock import in_london
from data_access.rules import STATUS_STYLE, UNKNOWN

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")  # fmt: skip


def long_date(day: dt.date) -> str:
    """'30 September 2017'."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def short_date(day: dt.date) -> str:
    """'30 Sep 2017' (tables, chart labels)."""
    return f"{day.day} {MONTHS[day.month - 1][:3]} {day.year}"


def stored_time(stored_utc: dt.datetime) -> str:
    """A stored UTC timestamp as London time: '3 December 2026, 08:09'."""
    local = in_london(stored_utc)
    return f"{long_date(local.date())}, {local:%H:%M}"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """'1 action', '3 actions', '2 recommendations', '1 review' — the number and its noun."""
    return f"{count} {singular if count == 1 else (plural_form or singular + 's')}"


def percent_text(value: int) -> str:
    """'42%' (value from rules.percent)."""
    return f"{value}%"


def change_text(delta: int | float | None, unit: str = "") -> str:
    """A change since the previous review: '+3', '−2 pts', 'no change' (shown neutrally), or ''
    when there is nothing to compare with."""
    if delta is None:
        return ""
    if delta == 0:
        return "no change"
    number = f"{abs(delta):g}"
    return ("+" if delta > 0 else "\u2212") + number + (f" {unit}" if unit else "")


def status_name(status: str) -> str:
    """'Off track' — the word for a status (rules.STATUS_STYLE)."""
    return STATUS_STYLE.get(status, STATUS_STYLE[UNKNOWN]).label


def overdue_rule(as_of: dt.date) -> str:
    """The overdue rule in one sentence, with its date."""
    return (
        f"Overdue means not complete and due before {long_date(as_of)} (a revised date replaces the "
        "original; 'Ongoing', recurring and undated actions are never overdue)."
    )


def describe_filters(rec: str | None = None, lead: str | None = None, statuses: tuple[str, ...] = ()) -> str:
    """'recommendation b; lead Head of Service; status Off track or At risk', or '' for none."""
    parts = []
    if rec:
        parts.append(f"recommendation {rec}")
    if lead:
        parts.append(f"lead {lead}")
    if statuses:
        parts.append("status " + " or ".join(status_name(s) for s in statuses))
    return "; ".join(parts)
