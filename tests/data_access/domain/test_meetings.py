"""The board's meeting dates and the default "overdue as at" (data_access.domain.meetings)."""

from __future__ import annotations

import datetime as dt

import pytest

from data_access.domain import meetings

REVIEW = dt.date(2018, 3, 31)  # Q4 2017/18
TODAY = dt.date(2026, 12, 7)
MEETINGS = [dt.date(2018, 1, 15), dt.date(2018, 4, 16), dt.date(2018, 7, 14)]


@pytest.mark.parametrize(
    ("review", "days", "today", "expected"),
    [
        (REVIEW, MEETINGS, TODAY, dt.date(2018, 4, 16)),  # the next meeting after the review, not the later one
        (dt.date(2018, 4, 16), MEETINGS, TODAY, dt.date(2018, 4, 16)),  # a meeting on the review's own date
        (dt.date(2018, 6, 30), list(reversed(MEETINGS)), TODAY, dt.date(2018, 7, 14)),  # order does not matter
        (dt.date(2018, 9, 30), MEETINGS, TODAY, TODAY),  # no meeting after the review: today
        (REVIEW, [], TODAY, TODAY),  # no meetings recorded: today
        (dt.date(2027, 3, 31), [], TODAY, dt.date(2027, 3, 31)),  # never before the review's own date
        (None, MEETINGS, TODAY, TODAY),  # no review
    ],
)
def test_default_as_of(review, days, today, expected):
    assert meetings.default_as_of(review, days, today) == expected


def test_meeting_dates_are_read_day_first_one_a_line():
    text = "14/07/2018\n\n  16 April 2018 \n2018-01-15\n14.07.2018\r\n5/3/19"
    assert meetings.parse_meeting_dates(text) == [*MEETINGS[:1], dt.date(2018, 4, 16), dt.date(2018, 7, 14),
                                                  dt.date(2019, 3, 5)]  # fmt: skip
    assert meetings.parse_meeting_dates("") == [] and meetings.parse_meeting_dates(None) == []
    assert meetings.meeting_dates_text([dt.date(2019, 3, 5), dt.date(2018, 1, 15)]) == "15/01/2018\n05/03/2019"
    days = [dt.date(2018, 1, 15), dt.date(2019, 3, 5)]
    assert meetings.parse_meeting_dates(meetings.meeting_dates_text(days)) == days  # round trip


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("14/07/2018\nJuly 2018", 'Line 2, "July 2018", is not a single day: write one date a line, day first'),
        ("30/02/2018", 'Line 1, "30/02/2018", is not a real date.'),
        ("\n\nnext Tuesday", 'Line 3, "next Tuesday", is not a single day'),
        ("Ongoing", 'Line 1, "Ongoing", is not a single day'),
        ("01/01/1990", 'Line 1, "01/01/1990", is outside the years 2000 to 2100.'),
        ("x" * 60, 'Line 1, "' + "x" * 39 + '…", is not a single day'),
    ],
)
def test_a_bad_line_is_named(text, message):
    with pytest.raises(meetings.MeetingDatesError) as raised:
        meetings.parse_meeting_dates(text)
    assert message in str(raised.value)


def test_too_many_meetings():
    start = dt.date(2001, 1, 1)
    text = "\n".join(f"{start + dt.timedelta(days=7 * n):%d/%m/%Y}" for n in range(meetings.MAX_MEETINGS + 1))
    with pytest.raises(meetings.MeetingDatesError, match="At most 200 meeting dates"):
        meetings.parse_meeting_dates(text)
