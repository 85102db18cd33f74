"""A plan's board meeting dates, and the default "overdue as at" they give (the rule itself:
data_access.domain.meetings.default_as_of). The sidebar and the `pack` command both call
default_as_of here, so a page and a scheduled pack count overdue at the same date."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, select

from data_access.domain import meetings
from data_access.domain.clock import london_today
from data_access.storage.schema import BoardMeeting


def meeting_dates(engine: Engine, plan_id: int) -> list[dt.date]:
    """The plan's board meeting dates, earliest first."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(BoardMeeting.meets_on).where(BoardMeeting.plan_id == plan_id).order_by(BoardMeeting.meets_on)
        )
        return list(rows.scalars())


def default_as_of(engine: Engine, plan_id: int, review_as_at: dt.date | None, today: dt.date | None = None) -> dt.date:
    """The default 'overdue as at' for a review of the plan: its next board meeting on or after the
    review's own date, else today (London), never before the review's own date."""
    return meetings.default_as_of(review_as_at, meeting_dates(engine, plan_id), today or london_today())
