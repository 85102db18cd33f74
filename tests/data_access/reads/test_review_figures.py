"""Overdue judged against the current approved date or the baseline (issue 25), and the "moved
without approval" flag, on the board plan (tests/fixtures.py) with its two date changes
(record_board_date_changes), on SQLite and PostgreSQL.

Worked by hand, Q2 counted at MEETING (14 Oct 2024), actions not complete:
- 1.1 green, due 31 Jul 2024 (moved from 30 Jun, not approved): overdue either way; 75 days
  against the current date, 106 against the baseline (30 Jun).
- 10.1 red, due Aug 2024 (31 Aug): overdue either way, 44 days.
- 2.2 amber, Q2 2024/25 (30 Sep) revised to 31 Dec 2024 (approved): not overdue against the current
  date; 14 days overdue against the baseline (30 Sep).
- 10.2 green, due 31 Mar 2025: never overdue.
"""

from __future__ import annotations

import pytest

from data_access.reads import board, review_figures
from tests.fixtures import MEETING, populate_board, record_board_date_changes


@pytest.fixture
def ids(any_engine) -> dict:
    ids = populate_board(any_engine)
    record_board_date_changes(any_engine, ids)
    return ids


def _days(frame) -> dict[str, int]:
    return {row.key: int(row.days_overdue) for row in frame.itertuples()}


def test_overdue_against_the_current_approved_date(any_engine, ids):
    overdue = board.overdue_actions(any_engine, ids["q2"], MEETING)
    assert _days(overdue) == {"1.1": 75, "10.1": 44}
    assert review_figures.review_kpis(any_engine, ids["q2"], MEETING).overdue == 2


def test_overdue_against_the_baseline_date(any_engine, ids):
    overdue = board.overdue_actions(any_engine, ids["q2"], MEETING, baseline=True)
    assert _days(overdue) == {"1.1": 106, "2.2": 14, "10.1": 44}
    assert review_figures.review_kpis(any_engine, ids["q2"], MEETING, True).overdue == 3
    by_rec = board.recommendation_summary(any_engine, ids["q2"], MEETING, True).set_index("ref")["overdue"]
    assert by_rec.to_dict() == {"1": 1, "2": 1, "10": 1}
    change = board.kpi_change(any_engine, ids["q2"], MEETING, ids["q1"], True)
    assert change.current.overdue == 3


def test_without_a_recorded_change_the_baseline_is_the_trackers_original_date(any_engine):
    ids = populate_board(any_engine)  # no changes recorded: 1.1's baseline is Q2's own 31 Jul
    overdue = board.overdue_actions(any_engine, ids["q2"], MEETING, baseline=True)
    assert _days(overdue) == {"1.1": 75, "2.2": 14, "10.1": 44}


def test_moved_without_approval_is_flagged(any_engine, ids):
    actions = review_figures.review_actions(any_engine, ids["q2"], MEETING).set_index("key")
    assert actions["moved_unapproved"].to_dict() == {
        "1.1": True,  # its current date came from a change nobody approved
        "1.2": False,
        "2.1": False,
        "2.2": False,  # approved
        "10.1": False,
        "10.2": False,
    }
    overdue = board.overdue_actions(any_engine, ids["q2"], MEETING).set_index("key")
    assert overdue["moved_unapproved"].to_dict() == {"1.1": True, "10.1": False}


def test_overdue_per_review_on_trends_follows_the_baseline(any_engine, ids):
    """The Trends chart's overdue per review (status_mix), each review counted 14 days after its own
    date (MEETING is 14 days after Q2). Q1 at 14 Jul 2024: 1.1 (30 Jun) and 1.2 (May) either way;
    2.2 is Ongoing at Q1 (its baseline, 30 Sep, is not yet due). Q2 at MEETING: 2, or 3 with 2.2."""
    from data_access.reads import status_mix

    now = status_mix.status_mix(any_engine, ids["plan"], 14)
    judged = status_mix.status_mix(any_engine, ids["plan"], 14, True)
    assert now["overdue"].tolist() == [2, 2]
    assert judged["overdue"].tolist() == [2, 3]
    assert judged["overdue_as_of"].tolist() == now["overdue_as_of"].tolist()


def test_action_history_overdue_now_follows_the_baseline(any_engine, ids):
    """2.2's history at MEETING: its current approved date is 31 Dec 2024 (not overdue); its
    baseline is 30 Sep 2024 (overdue at 14 Oct). At Q2's own date (30 Sep) it is not overdue either way."""
    import datetime as dt

    from data_access.domain.wording import overdue_now_text

    now = board.action_history(any_engine, ids["actions"]["2.2"], MEETING)
    judged = board.action_history(any_engine, ids["actions"]["2.2"], MEETING, baseline=True)
    assert now["overdue_now"].tolist()[-1] is False and judged["overdue_now"].tolist()[-1] is True
    assert now["overdue_then"].tolist() == judged["overdue_then"].tolist() == [False, False]
    assert judged["baseline_due"].tolist() == [dt.date(2024, 9, 30)] * 2
    assert overdue_now_text(now.iloc[-1], MEETING) == (
        "Not overdue as at 14 October 2024, judged against its current approved due date, 31 December 2024."
    )
    assert overdue_now_text(judged.iloc[-1], MEETING, True) == (
        "Overdue as at 14 October 2024, judged against its baseline (original) due date, 30 September 2024."
    )
    # 1.1 moved from 30 Jun to 31 Jul: at 15 Jul 2024 overdue only against its baseline.
    mid_july = dt.date(2024, 7, 15)
    assert board.action_history(any_engine, ids["actions"]["1.1"], mid_july)["overdue_now"].tolist() == [True, False]
    assert board.action_history(any_engine, ids["actions"]["1.1"], mid_july, True)["overdue_now"].tolist() == [
        True,
        True,
    ]
