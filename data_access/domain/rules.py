"""The domain rules, each in exactly one place.

- RAG vocabulary: what a tracker's status text (or cell colour) means.
- Timescales: UK day-first dates, months, financial quarters, 'Ongoing'.
- Overdue: not complete, and the effective due date is before the as-of date.
- Presentation facts about a status (word, letter, symbol, colour) so that no
  screen ever shows a RAG by colour alone.

Everything else (importer, queries, pages, CLI) calls these; nothing re-implements them.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

# ---------------------------------------------------------------------------
# Status (RAG) vocabulary
# ---------------------------------------------------------------------------

COMPLETE, GREEN, AMBER, RED, UNKNOWN = "complete", "green", "amber", "red", "unknown"
STATUSES: tuple[str, ...] = (COMPLETE, GREEN, AMBER, RED, UNKNOWN)

# How bad a status is, for "slipped"/"improved": higher is worse. Unknown is not ranked.
SEVERITY: dict[str, int] = {COMPLETE: 0, GREEN: 1, AMBER: 2, RED: 3}


@dataclass(frozen=True)
class StatusStyle:
    label: str  # the word shown beside every chip, bar and cell
    letter: str  # B/G/A/R as printed in council reports
    symbol: str  # a shape, so the status survives greyscale and colour blindness
    colour: str  # fill; every fill has >= 3:1 against white and white text >= 4.5:1 on it
    meaning: str
    dark_colour: str  # the same status on a dark background (the dark theme, .streamlit/config.toml)
    rag_name: str | None  # the colour word trackers use for it ("Blue"); None for no status
    # A fill pattern (a Plotly pattern shape and a matplotlib hatch alike; "" is plain): a bar
    # segment too thin to print its letter still differs from its neighbours without colour.
    pattern: str


STATUS_STYLE: dict[str, StatusStyle] = {
    COMPLETE: StatusStyle("Complete", "B", "✔", "#1d4f91", "Action complete (blue)", "#7fb2ff", "Blue", ""),
    GREEN: StatusStyle("On track", "G", "●", "#00704a", "On track to meet the timescale", "#4cc38a", "Green", "|"),
    AMBER: StatusStyle("At risk", "A", "▲", "#a85d00", "At risk of missing the timescale", "#ffb347", "Amber", "/"),
    RED: StatusStyle("Off track", "R", "✖", "#a6192e", "Off track: timescale missed or will be", "#ff6b6b", "Red", "x"),
    UNKNOWN: StatusStyle("No status", "?", "○", "#505a5f", "Blank or unrecognised status", "#b1b4b6", None, "-"),
}


def status_text(status: str) -> str:
    """'▲ A At risk' — the accessible text shown wherever a status is shown."""
    style = STATUS_STYLE.get(status, STATUS_STYLE[UNKNOWN])
    return f"{style.symbol} {style.letter} {style.label}"


_STATUS_WORDS: dict[str, str] = {
    # complete / blue
    "b": COMPLETE,
    "blue": COMPLETE,
    "complete": COMPLETE,
    "completed": COMPLETE,
    "done": COMPLETE,
    "closed": COMPLETE,
    "achieved": COMPLETE,
    "met": COMPLETE,
    "finished": COMPLETE,
    "blue complete": COMPLETE,
    "complete blue": COMPLETE,
    # green
    "g": GREEN,
    "green": GREEN,
    "on track": GREEN,
    "ontrack": GREEN,
    "on target": GREEN,
    # amber
    "a": AMBER,
    "amber": AMBER,
    "at risk": AMBER,
    "yellow": AMBER,
    "orange": AMBER,
    # red
    "r": RED,
    "red": RED,
    "off track": RED,
    "offtrack": RED,
    "not on track": RED,
    "behind": RED,
    "behind schedule": RED,
}
_NON_WORD = re.compile(r"[^a-z ]+")

# A line of a RAG key under a table or on a legend sheet: "Blue = complete", "R: off track".
_RAG_NAMES = [name for s in STATUS_STYLE.values() for name in (s.rag_name, s.letter) if name and name != "?"]
LEGEND_ITEM_RE = re.compile(rf"^({'|'.join(map(re.escape, _RAG_NAMES))})\s*[=:–-]\s*\S", re.IGNORECASE)


# Progress words: where a tracker's status column says how far an action has got rather than its
# RAG. Their RAG meaning differs between councils ("In progress" is green in one, amber in the
# next), so it is never guessed: it comes from a key in the file, or the user says (issue 9).
# "Complete"/"Completed" is not among them: complete everywhere.
PROGRESS_WORDS = frozenset(
    {
        "not started",
        "not yet started",
        "yet to start",
        "started",
        "in progress",
        "underway",
        "under way",
        "ongoing",
        "on going",
        "on hold",
        "paused",
        "delayed",
        "overdue",
        "planned",
        "pending",
        "awaiting",
        "deferred",
        "cancelled",
        "withdrawn",
        "superseded",
        "partially complete",
        "partially completed",
        "nearly complete",
        "almost complete",
    }
)
_STATUS_CODE = re.compile(r"^\d{1,2}$")


def status_value_key(value: object) -> str:
    """How a status value is looked up in a key or a mapping: 'In  Progress ' -> 'in progress'."""
    return " ".join(str(value).lower().split())


def is_status_code(value: object) -> bool:
    """A status cell that is a code ('1' of 1-4, '0' of 0-3) or a progress word, not a RAG word:
    its meaning must come from a key or from the user."""
    key = status_value_key(value)
    return bool(_STATUS_CODE.match(key)) or key in PROGRESS_WORDS or _NON_WORD.sub(" ", key).strip() in PROGRESS_WORDS


_NO_STATUS_WORDS = frozenset({"unknown", "none", "no status", "blank", "n/a", "na", "not applicable"})


def status_meaning(word: object) -> str | None:
    """What a user (or a key in the file) says a code means: a RAG word, a colour or a status name
    ('red', 'Blue', 'complete', 'On track', 'no status') -> one of STATUSES; None if not one."""
    key = status_value_key(word)
    if key in STATUSES:
        return key
    if key in _NO_STATUS_WORDS:
        return UNKNOWN
    status = normalise_status(key)
    return None if status == UNKNOWN else status


def normalise_status(value: object) -> str:
    """Map a tracker's status text to one of STATUSES. Blank or unrecognised -> 'unknown'.

    Accepts words, single letters (B/R/A/G), 'Complete(d)', 'Done', any case, stray spaces,
    and decorated forms such as 'Green - on track' or 'R (off track)'. Never guesses: text that
    names two different statuses ('Amber/Green') is unknown.
    """
    if value is None:
        return UNKNOWN
    text = str(value).strip().lower()
    if not text:
        return UNKNOWN
    if text in _STATUS_WORDS:
        return _STATUS_WORDS[text]
    cleaned = " ".join(_NON_WORD.sub(" ", text).split())
    if cleaned in _STATUS_WORDS:
        return _STATUS_WORDS[cleaned]
    # "Green - on track", "Complete (evidence on file)": every recognised word must agree.
    found = set()
    words = cleaned.split()
    for i, word in enumerate(words):
        pair = " ".join(words[i : i + 2])
        if pair in _STATUS_WORDS and " " in pair:
            found.add(_STATUS_WORDS[pair])
        elif len(word) > 1 and word in _STATUS_WORDS:
            found.add(_STATUS_WORDS[word])
    if len(found) == 1:
        return found.pop()
    return UNKNOWN


def hex_to_rgb(hex_colour: str) -> tuple[int, int, int]:
    """'#a6192e', 'FFA6192E' (ARGB, as Excel writes fills) -> (166, 25, 46): the one place a hex
    colour is read."""
    h = hex_colour.strip().lstrip("#")[-6:]
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def _rgb_to_hsv(rgb: tuple[int, int, int]) -> tuple[float, float, float]:
    import colorsys

    return colorsys.rgb_to_hsv(*(c / 255 for c in rgb))


def status_from_fill(hex_colour: str | None) -> str:
    """Classify a solid cell fill (e.g. 'FF00B050' or '#92D050') to a status, or 'unknown'.

    White, black and greys are not statuses. Otherwise the hue decides, which copes with the
    many shades councils use (tests/data_access/domain/test_rules.py lists real ones).
    """
    if not hex_colour:
        return UNKNOWN
    h = hex_colour.strip().lstrip("#")
    if len(h) not in (6, 8) or not re.fullmatch(r"[0-9A-Fa-f]+", h):
        return UNKNOWN
    hue, sat, val = _rgb_to_hsv(hex_to_rgb(h))
    if sat < 0.12 or val < 0.15:
        return UNKNOWN  # white, grey or black: no status
    deg = hue * 360
    if deg < 18 or deg >= 330:
        return RED
    if deg < 65:
        return AMBER  # orange, amber and yellow
    if deg < 170:
        return GREEN
    if deg < 260:
        return COMPLETE  # blues
    return UNKNOWN  # purples and pinks: not a RAG colour


# ---------------------------------------------------------------------------
# Timescales
# ---------------------------------------------------------------------------

DAY, MONTH, QUARTER, YEAR, NONE = "day", "month", "quarter", "year", "none"
PRECISIONS = (DAY, MONTH, QUARTER, YEAR, NONE)


@dataclass(frozen=True)
class Timescale:
    """A parsed timescale. `raw` is always kept as the tracker said it."""

    raw: str | None
    due: dt.date | None
    precision: str  # one of PRECISIONS
    kind: str  # date | ongoing | recurring | tbc | complete | blank | invalid
    problem: str | None = None  # set when the text looked like a date but was impossible
    # What the date rests on beyond the text itself (None: the text states it): RANGE (the end of a
    # range or pair, "April – June 2018"), YEAR_FROM_CONTEXT ("by end of Q3" in the review's
    # financial year) or TERM (a school term dated by the plan's term dates).
    assumed: str | None = None


RANGE, YEAR_FROM_CONTEXT, TERM = "range", "year from context", "term"
SCHOOL_TERMS = ("autumn", "spring", "summer")


_MONTHS: dict[str, int] = {}
for _i, _name in enumerate(calendar.month_name):
    if _i:
        _MONTHS[_name.lower()] = _i
        _MONTHS[_name[:3].lower()] = _i
_MONTHS.update({"sept": 9, "june": 6, "july": 7})
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))

_ONGOING = re.compile(
    r"^(on[\s-]?going|continuous|continual|in place|business as usual|bau|as required|as needed|throughout)\b"
)
_RECURRING = re.compile(
    r"^(daily|weekly|fortnightly|monthly|bi-?monthly|quarterly|termly|six[\s-]?monthly|half[\s-]?yearly"
    r"|annually|annual|yearly|each (month|quarter|year)|every )"
)
_TBC = re.compile(r"^(tbc|tba|tbd|to be (confirmed|agreed|determined)|n/?a|-+|none)$")
_COMPLETE = re.compile(r"^(complete|completed|done|achieved|closed)\b")
_PREFIX = re.compile(r"^(by|end of|end|by end of|by the end of|the end of|before|no later than|w/?c|wc|from|due)\s+")

_NUMERIC = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_DAY_MONTH_YEAR = re.compile(
    rf"^(\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?[\s\-/.]+({_MONTH_RE})\.?,?[\s\-/.]+(\d{{2}}|\d{{4}})$"
)
_MONTH_YEAR = re.compile(rf"^({_MONTH_RE})\.?,?[\s\-/.']*(\d{{2}}|\d{{4}})$")
_NUM_MONTH_YEAR = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{4})$")
_QUARTER = re.compile(r"^q\s*([1-4])\s*[,:\-]?\s*(?:of\s+)?(?:fy\s*)?(\d{2}|\d{4})\s*[/\-]\s*(\d{2}|\d{4})$")
_QUARTER_SINGLE = re.compile(r"^q\s*([1-4])\s*[,:\-]?\s*(\d{4})$")
_FIN_YEAR = re.compile(r"^(?:fy\s*)?(\d{4})\s*[/\-]\s*(\d{2}|\d{4})$")
_YEAR = re.compile(r"^(?:end of\s+)?(\d{4})$")
# Importer cases (tests/data_access/domain/test_rules_importer_cases.py): "Quarter 2 2018/19",
# "Q2 (2018/19)", "2017-18 Q3" and month-first ordinals such as "June 30th 2018".
_QUARTER_WORD = re.compile(r"\bquarter\s*([1-4])\b")
_BRACKETED_FY = re.compile(r"\(\s*((?:fy\s*)?\d{2,4}\s*[/\-]\s*\d{2,4})\s*\)")
_FY_THEN_QUARTER = re.compile(r"^(?:fy\s*)?(\d{2}|\d{4})\s*[/\-]\s*(\d{2}|\d{4})\s*[,:\-]?\s*q\s*([1-4])$")
_MONTH_DAY_YEAR = re.compile(rf"^({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})$")
# Ranges and pairs (issue 28): "April - June 2018", "Apr-Jun 18", "Jan/Feb 2018", "Nov 2017 - Jan 2018",
# "01/04/2018 - 30/06/2018": the end of the range is the due date. A bare quarter ("Q3", after "by end
# of") takes its year from the review's financial year. School terms are dated only by the plan's term
# dates; seasons and "Immediate" are never dated.
_MONTH_RANGE = re.compile(
    rf"^({_MONTH_RE})\.?(?:\s*(\d{{2}}|\d{{4}}))?\s*(?:-|/|&|to|and|until)\s*({_MONTH_RE})\.?,?[\s\-/.']*(\d{{2}}|\d{{4}})$"
)
_DATE_RANGE = re.compile(r"^(.+?)\s+(?:-|to|until)\s+(.+)$")
_BARE_QUARTER = re.compile(r"^q\s*([1-4])$")
_TERM = re.compile(r"^(?:the\s+)?(autumn|spring|summer)\s+term(?:\s+(?:(\d{4})\s*[/\-]\s*(\d{2}|\d{4})|(\d{4})))?$")
_SEASON = re.compile(r"^(?:the\s+)?(spring|summer|autumn|fall|winter)\b(?!\s+term)")
_IMMEDIATE = re.compile(r"^(immediate|immediately|asap|as soon as possible|now|with immediate effect)$")
_TERM_DATE = re.compile(r"^(\d{1,2})-(\d{1,2})$")


def _year(text: str) -> int:
    y = int(text)
    return 2000 + y if y < 100 else y


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def quarter_end(quarter: int, start_year: int) -> dt.date:
    """Last day of UK financial quarter `quarter` of the year starting 1 April `start_year`.

    Q1 Apr-Jun, Q2 Jul-Sep, Q3 Oct-Dec, Q4 Jan-Mar (of the next calendar year).
    """
    return {
        1: dt.date(start_year, 6, 30),
        2: dt.date(start_year, 9, 30),
        3: dt.date(start_year, 12, 31),
        4: dt.date(start_year + 1, 3, 31),
    }[quarter]


def financial_quarter(day: dt.date) -> tuple[int, int]:
    """(quarter, start_year) of the UK financial quarter containing `day`."""
    start_year = day.year if day.month >= 4 else day.year - 1
    quarter = {4: 1, 5: 1, 6: 1, 7: 2, 8: 2, 9: 2, 10: 3, 11: 3, 12: 3, 1: 4, 2: 4, 3: 4}[day.month]
    return quarter, start_year


def quarter_label(day: dt.date) -> str:
    """'Q2 2017/18' for 2017-09-30 — the label cabinet reports use."""
    q, start = financial_quarter(day)
    return f"Q{q} {start}/{(start + 1) % 100:02d}"


def _fy_start(first: str, second: str) -> int | None:
    start = _year(first)
    end = _year(second) if len(second) == 4 else (start // 100) * 100 + int(second)
    if end < start:  # "1999/00"
        end += 100
    return start if end == start + 1 else None


def _invalid(raw: str, why: str) -> Timescale:
    return Timescale(raw, None, NONE, "invalid", why)


def term_date(text: object) -> tuple[int, int] | None:
    """A plan's term date as stored ("07-31", month-day) -> (7, 31); None unless a real day of the
    year (29 February is refused: it is not in every year)."""
    m = _TERM_DATE.match(str(text or "").strip())
    if not m:
        return None
    month, day = int(m[1]), int(m[2])
    if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(2019, month)[1]:
        return None
    return month, day


def term_date_from_person(text: object) -> str | None:
    """A school term's end as a person types it, day first ("31/07", "31 July", "31st Jul") -> the
    stored "07-31"; None when it is not one day of the year (29 February is not in every year)."""
    raw = " ".join(str(text or "").lower().replace(",", " ").split())
    if m := re.match(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})$", raw):
        day, month = int(m[1]), int(m[2])
    elif m := re.match(rf"^(\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?\s+({_MONTH_RE})\.?$", raw):
        day, month = int(m[1]), _MONTHS[m[2]]
    else:
        return None
    stored = f"{month:02d}-{day:02d}"
    return stored if term_date(stored) else None


def parse_timescale(
    value: object, *, fy_start: int | None = None, term_dates: dict[str, str] | None = None
) -> Timescale:
    """Parse a tracker timescale cell (a date/datetime, or text) the way a UK analyst would.

    Day-first. A month means its last day; a financial quarter its last day; a financial
    year 31 March; a range or pair of months its end ("April - June 2018" -> 30 June 2018).
    'Ongoing', recurring and TBC have no date (so are never overdue).

    fy_start: the start year of the review's financial year, which dates a bare quarter ("by end
    of Q3") and a school term without a year. term_dates: the plan's {"summer": "07-31", ...}
    (month-day): without one, a school term is undated with a problem.
    """
    if value is None:
        return Timescale(None, None, NONE, "blank")
    if isinstance(value, dt.datetime):
        return Timescale(value.date().isoformat(), value.date(), DAY, "date")
    if isinstance(value, dt.date):
        return Timescale(value.isoformat(), value, DAY, "date")
    raw = str(value).strip()
    if not raw:
        return Timescale(None, None, NONE, "blank")
    text = " ".join(raw.lower().replace("\u2013", "-").replace("\u2014", "-").split())
    text = text.rstrip(".")
    if _COMPLETE.match(text):
        return Timescale(raw, None, NONE, "complete")
    if _ONGOING.match(text):
        return Timescale(raw, None, NONE, "ongoing")
    if _RECURRING.match(text):
        return Timescale(raw, None, NONE, "recurring")
    if _TBC.match(text):
        return Timescale(raw, None, NONE, "tbc")
    # "End of June 2017", "by end of Sept 2016" (applied repeatedly: "by the end of")
    for _ in range(3):
        stripped = _PREFIX.sub("", text)
        if stripped == text:
            break
        text = stripped
    text = _BRACKETED_FY.sub(r"\1", _QUARTER_WORD.sub(r"q\1", text))
    if m := _FY_THEN_QUARTER.match(text):
        text = f"q{m[3]} {m[1]}/{m[2]}"
    try:
        if m := _MONTH_DAY_YEAR.match(text):
            d = dt.date(int(m[3]), _MONTHS[m[1]], int(m[2]))
            return Timescale(raw, d, DAY, "date")
        if m := _ISO.match(text):
            d = dt.date(int(m[1]), int(m[2]), int(m[3]))
            return Timescale(raw, d, DAY, "date")
        if m := _NUMERIC.match(text):
            d = dt.date(_year(m[3]), int(m[2]), int(m[1]))
            return Timescale(raw, d, DAY, "date")
        if m := _DAY_MONTH_YEAR.match(text):
            d = dt.date(_year(m[3]), _MONTHS[m[2]], int(m[1]))
            return Timescale(raw, d, DAY, "date")
    except ValueError:
        return _invalid(raw, f"'{raw}' is not a real date")
    if m := _MONTH_YEAR.match(text):
        return Timescale(raw, _month_end(_year(m[2]), _MONTHS[m[1]]), MONTH, "date")
    if m := _NUM_MONTH_YEAR.match(text):
        month = int(m[1])
        if 1 <= month <= 12:
            return Timescale(raw, _month_end(int(m[2]), month), MONTH, "date")
        return _invalid(raw, f"'{raw}' has no month {month}")
    if m := _QUARTER.match(text):
        start = _fy_start(m[2], m[3])
        if start is None:
            return _invalid(raw, f"'{raw}' is not a financial year (expected e.g. Q2 2017/18)")
        return Timescale(raw, quarter_end(int(m[1]), start), QUARTER, "date")
    if m := _QUARTER_SINGLE.match(text):
        # "Q2 2017": the financial quarter of the financial year starting that April.
        return Timescale(raw, quarter_end(int(m[1]), int(m[2])), QUARTER, "date")
    if m := _FIN_YEAR.match(text):
        start = _fy_start(m[1], m[2])
        if start is not None:
            return Timescale(raw, dt.date(start + 1, 3, 31), YEAR, "date")
    if m := _YEAR.match(text):
        return Timescale(raw, dt.date(int(m[1]), 12, 31), YEAR, "date")
    return _other_forms(raw, text, fy_start, term_dates)


def _other_forms(raw: str, text: str, fy_start: int | None, term_dates: dict[str, str] | None) -> Timescale:
    """Ranges, bare quarters, terms, seasons and 'Immediate' (text already lower-cased, prefixes gone)."""
    if m := _MONTH_RANGE.match(text):
        end_year = _year(m[4])
        if m[2] and (_year(m[2]), _MONTHS[m[1]]) > (end_year, _MONTHS[m[3]]):
            return _invalid(raw, f"'{raw}' ends before it starts")
        return Timescale(raw, _month_end(end_year, _MONTHS[m[3]]), MONTH, "date", assumed=RANGE)
    if m := _DATE_RANGE.match(text):
        start, end = parse_timescale(m[1]), parse_timescale(m[2])
        if start.kind == "date" and end.kind == "date" and start.assumed is None and end.assumed is None:
            if end.due < start.due:
                return _invalid(raw, f"'{raw}' ends before it starts")
            return Timescale(raw, end.due, end.precision, "date", assumed=RANGE)
    if m := _BARE_QUARTER.match(text):
        if fy_start is None:
            return _invalid(raw, f"'{raw}' names a quarter but not its year, and the review's year is not known")
        return Timescale(raw, quarter_end(int(m[1]), fy_start), QUARTER, "date", assumed=YEAR_FROM_CONTEXT)
    if m := _TERM.match(text):
        return _term(raw, m, fy_start, term_dates)
    if _SEASON.match(text):
        return _invalid(raw, f"'{raw}' is a season, which has no set end date")
    if _IMMEDIATE.match(text):
        return _invalid(raw, f"'{raw}' gives no date to count overdue from")
    return _invalid(raw, f"'{raw}' is not a timescale this importer understands")


def _term(raw: str, m: re.Match, fy_start: int | None, term_dates: dict[str, str] | None) -> Timescale:
    """'Summer term 2018', 'autumn term 2017/18', 'spring term': the plan's date for that term."""
    term = m[1]
    when = term_date((term_dates or {}).get(term))
    if when is None:
        return _invalid(raw, f"'{raw}' is a school term, which has no set date (a plan's term dates can give one)")
    month, day = when
    if m[4]:
        year = int(m[4])
    elif m[2]:
        start = _fy_start(m[2], m[3])
        if start is None:
            return _invalid(raw, f"'{raw}' is not an academic year (expected e.g. summer term 2017/18)")
        year = start if month >= 8 else start + 1  # the academic year runs September to July
    elif fy_start is not None:
        year = fy_start if month >= 4 else fy_start + 1  # the review's financial year
    else:
        return _invalid(raw, f"'{raw}' names a school term but not its year, and the review's year is not known")
    return Timescale(raw, dt.date(year, month, day), DAY, "date", assumed=TERM)


def parse_period_label(text: str) -> dt.date | None:
    """The end date of a review period named like a sheet: 'Q3 2016-17', 'Q1 2017/18', 'June 2018'."""
    cleaned = re.sub(r"\b(review|position|update|tracker|progress|as at|at)\b", " ", str(text).lower())
    cleaned = " ".join(cleaned.replace("_", " ").split())
    ts = parse_timescale(cleaned)
    return ts.due if ts.kind == "date" else None


# ---------------------------------------------------------------------------
# Overdue
# ---------------------------------------------------------------------------


# The board's decision on a revised date (domain/signoff_rules.py keeps the rest of the lifecycle).
REVISION_REFUSED = "refused"


def effective_due(
    due: dt.date | None,
    revised_due: dt.date | None,
    *,
    against_baseline: bool = False,
    revision_state: str | None = None,
) -> dt.date | None:
    """The date an action is judged against: a revised (agreed) due date replaces the original one,
    unless the board refused the change (judged against its previous date, `due`) or chose to judge
    overdue against the baseline (the original date, `due`). A change not yet approved still counts
    as the tracker gives it, and is flagged (signoff_rules.NOT_APPROVED)."""
    if against_baseline or revision_state == REVISION_REFUSED:
        return due
    return revised_due or due


def is_overdue(
    status: str,
    due: dt.date | None,
    as_of: dt.date,
    revised_due: dt.date | None = None,
    *,
    against_baseline: bool = False,
    revision_state: str | None = None,
) -> bool:
    """Not complete, and the effective due date is before the as-of date.

    Undated actions (Ongoing, recurring, TBC, blank) are never overdue.
    """
    when = effective_due(due, revised_due, against_baseline=against_baseline, revision_state=revision_state)
    return status != COMPLETE and when is not None and when < as_of


def effective_due_sql(due_col, revised_due_col, *, against_baseline: bool = False, refused_from=None):
    """The same rule as `effective_due`, as a SQLAlchemy expression. refused_from: an expression
    giving, for a date change the board refused, the previous date (NULL otherwise); the stored
    figures pass storage.board_decisions.refused_from_sql."""
    from sqlalchemy import func

    if against_baseline:
        return due_col
    current = func.coalesce(revised_due_col, due_col)
    return current if refused_from is None else func.coalesce(refused_from, current)


def overdue_sql(
    status_col, due_col, revised_due_col, as_of: dt.date, *, against_baseline: bool = False, refused_from=None
):
    """The same rule as `is_overdue`, as a SQLAlchemy boolean expression (portable SQL)."""
    from sqlalchemy import and_

    when = effective_due_sql(due_col, revised_due_col, against_baseline=against_baseline, refused_from=refused_from)
    return and_(status_col != COMPLETE, when.is_not(None), when < as_of)


# Overdue: one question, one date (wording.overdue_history_note and overdue_comparison_rule say it).
#
# - "Overdue" for the review reported is counted as at the chosen "overdue as at" date: the
#   headline figure, the overdue list, the count per recommendation, the Excel column, on every
#   page and in every paper (PDF, PowerPoint, Word, Excel).
# - Wherever reviews are shown side by side (the change since the compared review; the status mix
#   at each review, on the trends page and in the papers), each review's overdue is counted the
#   same number of days after its own date as "overdue as at" is after the reported review's date,
#   and a table of reviews shows the date each row was counted at. So the reported review's row IS
#   the headline figure and the compared review's row IS the headline's earlier figure: no table
#   gives a second number for "how many actions of this review are overdue".
# - A review's overdue "at its own date" is never shown beside the headline: it answers a different
#   question with the same word, and a councillor reading two numbers for one review would be misled.


def overdue_lag_days(as_of: dt.date, review_as_at: dt.date) -> int:
    """How many days after the review's own date overdue is counted (never negative)."""
    return max(0, (as_of - review_as_at).days)


def overdue_counted_at(review_as_at: dt.date, lag_days: int) -> dt.date:
    """The date a review's overdue figure is counted at, `lag_days` after its own date (capped
    at the last representable day)."""
    try:
        return review_as_at + dt.timedelta(days=lag_days)
    except OverflowError:
        return dt.date.max


# ---------------------------------------------------------------------------
# Percent complete
# ---------------------------------------------------------------------------


def percent(part: int, whole: int) -> int:
    """A whole-number percentage, rounded half up as people round (42.5 -> 43; Python's round()
    would give 42). The one rule for every "% complete" the app shows or exports; a change in
    percentage points is the difference of two of these, so tiles and sentences agree."""
    import math

    return math.floor(100 * part / whole + 0.5) if whole else 0


# ---------------------------------------------------------------------------
# A recommendation's overall status, derived from its actions
# ---------------------------------------------------------------------------

RECOMMENDATION_STATUS_RULE = (
    "A recommendation is Off track (red) if any of its actions is red or overdue; Complete when "
    "all its actions are complete; At risk (amber) if any action is amber; No status when none of "
    "its actions has a status; otherwise On track (green)."
)


def recommendation_status(counts: dict[str, int], overdue: int) -> str:
    """The overall status of a recommendation from its actions' status counts and overdue count.

    The order matters and is stated in RECOMMENDATION_STATUS_RULE: red or overdue first (the
    board's first question), then all complete, then amber, then all unknown, else green.
    """
    total = sum(counts.get(s, 0) for s in STATUSES)
    if counts.get(RED, 0) or overdue:
        return RED
    if total and counts.get(COMPLETE, 0) == total:
        return COMPLETE
    if counts.get(AMBER, 0):
        return AMBER
    if counts.get(UNKNOWN, 0) == total:
        return UNKNOWN  # also a recommendation with no actions
    return GREEN
