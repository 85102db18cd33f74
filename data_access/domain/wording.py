"""How figures and dates are worded for people: one place for each, used by the pages, the
command line and the papers (PDF, slides, Word, Excel). Locale-independent: the server's locale
never changes a month's name.

The rules themselves (what counts as overdue, how a percentage rounds) live in rules.py; this
module only says them.
"""

from __future__ import annotations

import datetime as dt

from data_access.domain.clock import in_london
from data_access.domain.rules import DAY, STATUS_STYLE, UNKNOWN, parse_timescale

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


def share_text(pct: int, part: int, whole: int, noun: str = "") -> str:
    """'42% (5 of 12)' or, with a noun, '42% (5 of 12 actions)': a percentage beside its counts."""
    return f"{percent_text(pct)} ({part} of {whole}{' ' + noun if noun else ''})"


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


def due_text(due: dt.date | None, revised_due: dt.date | None = None, raw: str | None = None) -> str:
    """When an action is due, with the tracker's own words when they say more than the date:
    'Due 30 Sep 2018 (revised; the tracker first said 'March 2018')', 'Due 31 Mar 2018 (the
    tracker said 'March 2018')', 'Due 31 Mar 2018', 'No due date (the tracker said 'Ongoing')'.
    `due` is the original date read from `raw`; a revised date replaces it (rules.effective_due).
    The tracker's words are quoted as they are: escape the result for the medium it goes to."""
    said = " ".join((raw or "").split())
    when = revised_due or due
    if when is None:
        return "No due date" + (f" (the tracker said '{said}')" if said else "")
    head = f"Due {short_date(when)}"
    if revised_due is not None:
        return head + (f" (revised; the tracker first said '{said}')" if said else " (revised)")
    read = parse_timescale(said) if said else None
    if read is not None and not (read.precision == DAY and read.due == when):  # words that are not just the day
        return head + f" (the tracker said '{said}')"
    return head


def short_text(text: str | None, limit: int = 44) -> str:
    """The start of a long text for a chart row or a slide: whole words, at most `limit`
    characters, '…' when cut ('Ensure that senior leaders have access…')."""
    words = " ".join((text or "").split())
    if len(words) <= limit:
        return words
    cut = words[: limit - 1]
    if " " in cut and words[limit - 1] != " ":
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.–-") + "…"


def overdue_comparison_rule(lag_days: int) -> str:
    """How overdue figures of different reviews are compared (rules.overdue_lag_days), in one
    sentence: the overview's change and the trends page's overdue per review both say it."""
    if not lag_days:
        return (
            "Overdue at each review is counted at that review's own date (as 'Overdue as at' is the date "
            "of the review shown), so reviews are compared like with like."
        )
    days = plural(lag_days, "day")
    return (
        f"Overdue at each review is counted {days} after that review's own date (as 'Overdue as at' is "
        f"{days} after the review shown), so reviews are compared like with like."
    )


OVERDUE_COUNTED_AT = "Overdue counted at"  # the column beside each review's overdue in a table of reviews


def overdue_history_note(review_label: str, as_of: dt.date) -> str:
    """Under a table of reviews (rules: 'Overdue: one question, one date'): the reported review's
    row is the headline figure, every other row is counted as long after its own date."""
    return (
        f"Overdue for {review_label} is counted as at {long_date(as_of)}, as in the headline figures; each "
        f"other review is counted as long after its own date (the date in the '{OVERDUE_COUNTED_AT}' column), "
        "so reviews are compared like with like."
    )


def overdue_rule(as_of: dt.date) -> str:
    """The overdue rule in one sentence, with its date."""
    return (
        f"Overdue means not complete and due before {long_date(as_of)} (a revised date replaces the "
        "original; 'Ongoing', recurring and undated actions are never overdue)."
    )


def describe_filters(
    rec: str | None = None, lead: str | None = None, statuses: tuple[str, ...] = (), partner: str | None = None
) -> str:
    """'recommendation b; lead Head of Service; status Off track or At risk; partner Cleveland
    Police', or '' for none. Holds tracker text: escape it for the medium it goes to."""
    parts = []
    if rec:
        parts.append(f"recommendation {rec}")
    if lead:
        parts.append(f"lead {lead}")
    if statuses:
        parts.append("status " + " or ".join(status_name(s) for s in statuses))
    if partner:
        parts.append(f"partner {partner}")
    return "; ".join(parts)
