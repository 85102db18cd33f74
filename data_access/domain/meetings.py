"""A plan's board meetings, and the one rule for the default "overdue as at" date.

The board usually counts overdue as at its meeting: so by default "overdue as at" is the plan's
next board meeting on or after the review's own date; with no such meeting recorded, today
(London), and never before the review's own date. The sidebar and `python -m data_access pack`
both ask default_as_of.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from data_access.domain.rules import DAY, parse_timescale
from data_access.domain.wording import short_text

MAX_MEETINGS = 200  # dates a plan may record (a monthly board for over 16 years)
EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2100, 12, 31)


class MeetingDatesError(ValueError):
    """Meeting dates that cannot be read: the message is one sentence naming the line."""


def default_as_of(review_as_at: dt.date | None, meetings: Iterable[dt.date], today: dt.date) -> dt.date:
    """The default 'overdue as at': the first meeting on or after `review_as_at`; else `today`,
    moved up to the review's own date when today is before it. No review: today."""
    if review_as_at is None:
        return today
    after = [day for day in meetings if day >= review_as_at]
    return min(after) if after else max(today, review_as_at)


def parse_meeting_dates(text: str | None) -> list[dt.date]:
    """Meeting dates typed one a line, read day-first as a UK reader would ('14/07/2018',
    '14 July 2018', '2018-07-14'); blank lines are skipped, repeats kept once, the result in date
    order. A line that is not one whole day raises MeetingDatesError naming it: 'Line 3, "July
    2018", is not a single day: write it as 14/07/2018.'"""
    days: set[dt.date] = set()
    for number, line in enumerate((text or "").splitlines(), start=1):
        said = " ".join(line.split())
        if not said:
            continue
        read = parse_timescale(said)
        shown = short_text(said, 40)
        if read.kind == "invalid" and read.problem and "not a real date" in read.problem:
            raise MeetingDatesError(f'Line {number}, "{shown}", is not a real date.')
        if read.kind != "date" or read.precision != DAY or read.due is None:
            raise MeetingDatesError(
                f'Line {number}, "{shown}", is not a single day: write one date a line, day first, e.g. 14/07/2018.'
            )
        if not EARLIEST <= read.due <= LATEST:
            raise MeetingDatesError(f'Line {number}, "{shown}", is outside the years {EARLIEST.year} to {LATEST.year}.')
        days.add(read.due)
    if len(days) > MAX_MEETINGS:
        raise MeetingDatesError(f"At most {MAX_MEETINGS} meeting dates can be recorded; {len(days)} were given.")
    return sorted(days)


def meeting_dates_text(days: Iterable[dt.date]) -> str:
    """Stored dates as the settings form shows them, one a line: '14/07/2018'."""
    return "\n".join(f"{day:%d/%m/%Y}" for day in sorted(days))
