"""How figures and dates are worded for people: one place for each, used by the pages, the
command line and the papers (PDF, slides, Word, Excel). Locale-independent: the server's locale
never changes a month's name.

The rules themselves (what counts as overdue, how a percentage rounds) live in rules.py; this
module only says them.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Mapping

from data_access.domain.clock import in_london
from data_access.domain.rules import DAY, STATUS_STYLE, UNKNOWN, overdue_lag_days, parse_timescale

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


POINTS = "percentage points"  # the unit of a change in % complete, in full wherever people read it


def change_text(delta: int | float | None, unit: str = "") -> str:
    """A change since the previous review: '+3', '−2 percentage points' (unit POINTS; '+1 percentage
    point'), 'no change' (shown neutrally), or '' when there is nothing to compare with."""
    if delta is None:
        return ""
    if delta == 0:
        return "no change"
    number = f"{abs(delta):g}"
    if unit == POINTS and abs(delta) == 1:
        unit = "percentage point"
    return ("+" if delta > 0 else "\u2212") + number + (f" {unit}" if unit else "")


def status_name(status: str) -> str:
    """'Off track' — the word for a status (rules.STATUS_STYLE)."""
    return STATUS_STYLE.get(status, STATUS_STYLE[UNKNOWN]).label


def due_text(due: object, revised_due: object = None, raw: object = None) -> str:
    """When an action is due, worded one way everywhere (the action page, the actions and slide
    tables, the PDF, the slides and the Word report): the date, then the tracker's own words when
    they say more than that day.

        '31 Mar 2018'                                 the tracker gave that day (a date cell, '31/03/2018')
        '31 Mar 2018 (tracker: “March 2018”)'         its words say more than the day
        '30 Sep 2018 (revised; tracker: “March 2018”)' a revised date replaces the original
        '30 Sep 2018 (revised; was 31 Mar 2018)'      ...whose words were just that day
        'No date (tracker: “Ongoing”)', 'No date'      nothing to count overdue against

    `due` is the original date read from `raw` (a date cell's raw text is its ISO date, never shown);
    `revised_due` replaces it (rules.effective_due). Dates may be dates, datetimes or pandas
    Timestamps; blanks (None, NaT, NaN) count as none. The tracker's words are quoted as they are:
    escape the result for the medium it goes to."""
    due, revised_due = _day(due), _day(revised_due)
    said = " ".join(raw.split()) if isinstance(raw, str) else ""
    words = f" (tracker: “{said}”)" if _says_more(said, due) else ""
    if revised_due is not None:
        head = short_date(revised_due)
        if words:
            return f"{head} (revised; tracker: “{said}”)"
        return f"{head} (revised; was {short_date(due)})" if due is not None else f"{head} (revised)"
    return (short_date(due) if due is not None else "No date") + words


# A due date moved later with no approval recorded (signoff_rules.NOT_APPROVED), said in words
# wherever the date is shown (never colour alone).
MOVED_WITHOUT_APPROVAL = "Moved without approval"


def due_text_of(row: Mapping) -> str:
    """due_text of an action row with due_date, revised_due_date and due_raw (reads.board's frames),
    flagged "moved without approval" when the row's moved_unapproved says so."""
    said = due_text(row["due_date"], row["revised_due_date"], row["due_raw"])
    flag = row.get("moved_unapproved")
    flagged = flag is not None and str(flag) == "True"  # a Python or NumPy boolean; blank: not flagged
    return f"{said} — {MOVED_WITHOUT_APPROVAL.lower()}" if flagged else said


def _day(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return None if value != value else value.date()  # NaT is a datetime unequal to itself
    return value if isinstance(value, dt.date) else None


def _says_more(said: str, due: dt.date | None) -> bool:
    """The tracker's words say more than the date `due` worded: anything but that very day."""
    if not said:
        return False
    read = parse_timescale(said)
    return due is None or not (read.precision == DAY and read.due == due)


def short_text(text: object, limit: int = 44) -> str:
    """The start of a text in at most `limit` characters, '…' when cut: the one way text is shortened
    (chart rows, slides, table cells, problems in an import preview, notices). Whitespace runs become
    one space. The cut falls at a word boundary when that keeps at least half the room ('Ensure that
    senior leaders have access…'), else inside the word ('xxxxxxxxx…'); never inside a character
    (a surrogate pair) or a grapheme (an accent after its letter, an emoji with its skin tone or
    joined parts, a flag's two letters). None and other blanks are ''."""
    words = " ".join(text.split()) if isinstance(text, str) else ""
    if len(words) <= limit:
        return words
    room = max(0, limit - 1)  # the '…' takes one
    cut = room
    while cut > 0 and not _grapheme_boundary(words, cut):
        cut -= 1
    space = words.rfind(" ", 0, cut + 1)
    if words[cut] != " " and space >= room // 2 and space > 0:
        cut = space
    return words[:cut].rstrip(" ,;:.–-") + "…"


_ZWJ = "\u200d"


def _grapheme_boundary(text: str, i: int) -> bool:
    """Whether text[:i] ends between two user-perceived characters (0 < i < len(text))."""
    before, after = text[i - 1], text[i]
    if before == _ZWJ or _extends(after):
        return False
    if _regional(before) and _regional(after):  # a flag is two regional-indicator letters
        run = 0
        while i - 1 - run >= 0 and _regional(text[i - 1 - run]):
            run += 1
        return run % 2 == 0
    return True


def _extends(char: str) -> bool:
    """A character that belongs to the one before it: a combining mark or variation selector, a
    zero-width joiner, an emoji skin tone or tag, or the low half of a surrogate pair."""
    code = ord(char)
    return (
        unicodedata.category(char) in ("Mn", "Me", "Mc")
        or code == 0x200D
        or 0x1F3FB <= code <= 0x1F3FF
        or 0xE0020 <= code <= 0xE007F
        or 0xDC00 <= code <= 0xDFFF
    )


def _regional(char: str) -> bool:
    return 0x1F1E6 <= ord(char) <= 0x1F1FF


def overdue_comparison_rule(as_of: dt.date, review_as_at: dt.date) -> str:
    """How overdue figures of different reviews are compared (rules.overdue_lag_days), in one plain
    sentence: the overview's change and the trends page's overdue per review both say it. `as_of`
    is the sidebar's 'Overdue as at', `review_as_at` the date of the review shown."""
    lag_days = overdue_lag_days(as_of, review_as_at)
    if not lag_days:
        return "Overdue at each review is counted on that review's own date, so reviews are compared like with like."
    return (
        f"Overdue for the review shown is counted as at {long_date(review_as_at + dt.timedelta(days=lag_days))}, "
        f"{span_text(lag_days)} after it; every other review's overdue is counted the same time after that "
        "review, so reviews are compared like with like."
    )


def span_text(days: int) -> str:
    """A length of time as people say it: '1 day', '10 days', '3 weeks', 'about 4 months', 'about 8 years'."""
    if days < 14:
        return plural(days, "day")
    if days < 63:
        return plural(round(days / 7), "week")
    if days < 730:
        return "about " + plural(round(days / 30.44), "month")
    return "about " + plural(round(days / 365.25), "year")


OVERDUE_COUNTED_AT = "Overdue counted at"  # the column beside each review's overdue in a table of reviews


def overdue_history_note(review_label: str, as_of: dt.date) -> str:
    """Under a table of reviews (rules: 'Overdue: one question, one date'): the reported review's
    row is the headline figure, every other row is counted as long after its own date."""
    return (
        f"Overdue for {review_label} is counted as at {long_date(as_of)}, as in the headline figures; each "
        f"other review is counted as long after its own date (the date in the '{OVERDUE_COUNTED_AT}' column), "
        "so reviews are compared like with like."
    )


# When the board chose to judge overdue against the baseline (judge=baseline), every paper says so.
BASELINE_JUDGED = (
    "Overdue is judged against each action's baseline (original) due date, before any change, "
    "not the current approved date."
)


def judged_note(baseline: bool) -> str:
    """' ' + BASELINE_JUDGED when overdue is judged against the baseline, else '' (to follow a
    sentence that says the date overdue is counted at)."""
    return " " + BASELINE_JUDGED if baseline else ""


def overdue_now_text(latest, as_of: dt.date, baseline: bool = False) -> str:
    """The action history's one line on the action now (its latest review, `latest`: a row of
    reads.board.action_history): overdue or not as at `as_of`, and against which date."""
    verdict = "Overdue" if latest["overdue_now"] else "Not overdue"
    due = latest["baseline_due"] if baseline else latest["effective_due"]
    which = "baseline (original)" if baseline else "current approved"
    if not isinstance(due, dt.date):
        return f"{verdict} as at {long_date(as_of)}: it has no {which} due date."
    return f"{verdict} as at {long_date(as_of)}, judged against its {which} due date, {long_date(due)}."


def overdue_rule(as_of: dt.date, baseline: bool = False) -> str:
    """The overdue rule in one sentence, with its date (and, when the board chose it, that overdue
    is judged against the baseline date rather than the current approved one)."""
    if baseline:
        return (
            f"Overdue means not complete and due before {long_date(as_of)}, judged against the baseline "
            "(original) due date, before any change; 'Ongoing', recurring and undated actions are never overdue."
        )
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
