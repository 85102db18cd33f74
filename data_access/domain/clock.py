"""What time it is, for people in England: councils mean Europe/London, whatever the server's
own zone (on a UTC server "today" would be wrong between midnight and 1 am in British Summer
Time). Timestamps are stored in UTC and shown in London time."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def utc_now() -> dt.datetime:
    """Now in UTC, without tzinfo and without microseconds (as stored)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def london_now() -> dt.datetime:
    """Now on a clock in London (aware)."""
    return dt.datetime.now(LONDON).replace(microsecond=0)


def london_today() -> dt.date:
    """Today's date in London: the default 'overdue as at' date."""
    return london_now().date()


def in_london(stored_utc: dt.datetime) -> dt.datetime:
    """A stored UTC timestamp as London time (aware)."""
    return stored_utc.replace(tzinfo=dt.UTC).astimezone(LONDON)
