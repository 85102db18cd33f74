"""The board views' figures (data_access.reads.board) against a small, hand-checked plan.

The plan (`populate_board` in tests/fixtures.py, also used by tests/pages) has two reviews of three recommendations;
every expected number below is worked out by hand in the comments.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from data_access.domain.rules import AMBER, COMPLETE, GREEN, RED, UNKNOWN, recommendation_status
from data_access.reads import board, review_figures
from tests.fixtures import BOARD_Q1 as Q1
from tests.fixtures import BOARD_Q2 as Q2
from tests.fixtures import FORMULA, MEETING, RECS, SCRIPT, populate_board


@pytest.fixture
def ids(engine) -> dict:
    return populate_board(engine)


# --- the derived recommendation status --------------------------------------------------------


@pytest.mark.parametrize(
    ("counts", "overdue", "expected"),
    [
        ({RED: 1, GREEN: 3}, 0, RED),
        ({GREEN: 2}, 1, RED),  # green but overdue is red
        ({COMPLETE: 4}, 0, COMPLETE),
        ({COMPLETE: 3, AMBER: 1}, 0, AMBER),
        ({COMPLETE: 3, GREEN: 1}, 0, GREEN),
        ({UNKNOWN: 2}, 0, UNKNOWN),
        ({}, 0, UNKNOWN),
        ({UNKNOWN: 1, GREEN: 1}, 0, GREEN),
        ({AMBER: 1, RED: 1}, 0, RED),
    ],
)
def test_recommendation_status_rule(counts, overdue, expected):
    assert recommendation_status(counts, overdue) == expected


def test_recommendation_summary_in_plan_order_with_derived_status(engine, ids):
    df = board.recommendation_summary(engine, ids["q2"], MEETING)
    assert list(df["ref"]) == ["1", "2", "10"]  # natural order, not text order
    assert list(df["text"]) == list(RECS.values())
    assert list(df["total"]) == [2, 2, 2]
    assert list(df[COMPLETE]) == [1, 1, 0]
    assert list(df["pct_complete"]) == [50, 50, 0]
    assert list(df["overdue"]) == [1, 0, 1]  # 1.1 (due 31/07) and 10.1 (due 31/08)
    # rec 1: green action overdue -> red; rec 2: amber, revised date not passed -> amber; rec 10: red.
    assert list(df["status"]) == [RED, AMBER, RED]
    # Before anything fell due in Q2: rec 1 is green (complete + on track).
    early = board.recommendation_summary(engine, ids["q2"], dt.date(2024, 7, 1))
    assert list(early["status"]) == [GREEN, AMBER, RED]
    # Q1: rec 10's only action has no status.
    assert list(board.recommendation_summary(engine, ids["q1"], Q1)["status"]) == [RED, RED, UNKNOWN]


# --- headline figures and change since the previous review ----------------------------------


def test_comparison_date_keeps_the_same_distance_from_the_review():
    assert board.comparison_as_of(MEETING, Q2, Q1) == dt.date(2024, 7, 14)
    assert board.comparison_as_of(Q2, Q2, Q1) == Q1


def test_kpi_change_at_the_meeting(engine, ids):
    change = board.kpi_change(engine, ids["q2"], MEETING, ids["q1"])
    # Q2 at 14/10: 6 actions, complete 1.2 + 2.1, red 10.1, overdue 1.1 (75 days) + 10.1 (44 days).
    assert (change.current.actions, change.current.complete, change.current.red, change.current.overdue) == (6, 2, 1, 2)
    assert change.current.pct_complete == 33  # 2 of 6, rules.percent
    # Q1 at 14/07: 5 actions, complete 2.1, red 2.2, overdue 1.1 (due 30/06) + 1.2 (due 31/05).
    assert change.previous_as_of == dt.date(2024, 7, 14)
    assert (change.previous.actions, change.previous.complete, change.previous.red, change.previous.overdue) == (
        5,
        1,
        1,
        2,
    )
    assert change.delta("actions") == 1
    assert change.delta("complete") == 1
    assert change.delta("red") == 0
    assert change.delta("overdue") == 0
    assert change.delta("pct_complete") == 13  # 33% - 20%, whole points


def test_kpi_change_at_the_review_date(engine, ids):
    change = board.kpi_change(engine, ids["q2"], Q2, ids["q1"])
    # Q2 at 30/09: 1.1 and 10.1 overdue; Q1 at 30/06: only 1.2 (1.1 was due that very day).
    assert (change.current.overdue, change.previous.overdue, change.delta("overdue")) == (2, 1, 1)


def test_first_review_has_no_change(engine, ids):
    change = board.kpi_change(engine, ids["q1"], Q1)
    assert change.previous is None and change.delta("overdue") is None
    assert change.current.actions == 5


# --- overdue ----------------------------------------------------------------------------------


def test_overdue_actions_with_days_and_raw_timescale(engine, ids):
    df = board.overdue_actions(engine, ids["q2"], MEETING)
    assert list(df["key"]) == ["1.1", "10.1"]
    assert list(df["days_overdue"]) == [75, 44]  # 31/07 -> 14/10 and 31/08 -> 14/10
    assert list(df["due_raw"]) == ["31/07/2024", "Aug 2024"]
    assert list(df["status"]) == [GREEN, RED]
    assert list(df["lead"]) == ["Head of MASH", "Head of MASH"]
    assert list(df["progress"]) == ["Audit under way", "Provider withdrew"]
    # A revised date replaces the original: 2.2 was due 30/09 but is revised to 31/12.
    assert "2.2" not in set(df["key"])


def test_overdue_totals_per_recommendation_and_lead(engine, ids):
    df = board.overdue_actions(engine, ids["q2"], MEETING)
    by_rec = board.overdue_by_recommendation(df)
    assert by_rec.to_dict("records") == [
        {"rec_ref": "1", "overdue": 1, "most_days_overdue": 75},
        {"rec_ref": "10", "overdue": 1, "most_days_overdue": 44},
    ]
    by_lead = board.overdue_by_lead(df)
    assert by_lead.to_dict("records") == [{"lead": "Head of MASH", "overdue": 2, "most_days_overdue": 75}]


def test_overdue_filters_and_empty_result(engine, ids):
    assert list(board.overdue_actions(engine, ids["q2"], MEETING, rec="10")["key"]) == ["10.1"]
    assert list(board.overdue_actions(engine, ids["q2"], MEETING, statuses=(RED,))["key"]) == ["10.1"]
    none = board.overdue_actions(engine, ids["q2"], MEETING, lead="Principal SW")
    assert none.empty
    assert board.overdue_by_recommendation(none).empty and board.overdue_by_lead(none).empty


def test_green_but_overdue(engine, ids):
    assert list(board.green_but_overdue(engine, ids["q2"], MEETING)["key"]) == ["1.1"]
    assert board.green_but_overdue(engine, ids["q2"], dt.date(2024, 7, 1)).empty
    # Q1 at the review date: 1.1 was due that day, so not yet overdue; 1.2 is amber.
    assert board.green_but_overdue(engine, ids["q1"], Q1).empty


def test_filter_actions(engine, ids):
    actions = review_figures.review_actions(engine, ids["q2"], MEETING)
    assert len(board.filter_actions(actions)) == 6
    assert list(board.filter_actions(actions, lead="Head of MASH")["key"]) == ["1.1", "1.2", "10.1"]
    assert list(board.filter_actions(actions, rec="2", statuses=(AMBER,))["key"]) == ["2.2"]


# --- one action's history ---------------------------------------------------------------------


def test_action_detail_belongs_to_the_plan(engine, ids):
    detail = board.action_detail(engine, ids["actions"]["10.2"], ids["plan"])
    assert detail.description == SCRIPT and detail.lead is None and detail.rec_ref == "10"
    assert detail.measure == "Measure for 10.2"
    assert board.action_detail(engine, ids["actions"]["10.2"], ids["plan"] + 1) is None
    assert board.action_detail(engine, 999_999) is None


def test_action_history_shows_the_due_date_moving(engine, ids):
    history = board.action_history(engine, ids["actions"]["1.1"], MEETING)
    assert list(history["label"]) == ["Q1 2024/25", "Q2 2024/25"]
    assert list(history["status"]) == [GREEN, GREEN]
    assert list(history["effective_due"]) == [dt.date(2024, 6, 30), dt.date(2024, 7, 31)]
    assert list(history["due_moved"]) == [False, True]
    assert history["previous_due"].iloc[1] == dt.date(2024, 6, 30)
    assert list(history["overdue_then"]) == [False, True]  # due 30/06 at 30/06: not yet
    assert list(history["progress"]) == ["Audit booked", "Audit under way"]


def test_action_history_revised_date_and_new_action(engine, ids):
    history = board.action_history(engine, ids["actions"]["2.2"], MEETING)
    assert list(history["status"]) == [RED, AMBER]
    assert list(history["due_raw"]) == ["Ongoing", "Q2 2024/25"]
    assert history["effective_due"].iloc[0] is None and history["effective_due"].iloc[1] == dt.date(2024, 12, 31)
    assert list(history["due_moved"]) == [False, True]
    new = board.action_history(engine, ids["actions"]["10.2"], MEETING)
    assert list(new["label"]) == ["Q2 2024/25"] and list(new["progress"]) == [FORMULA]


def test_action_history_of_unknown_action_is_empty(engine, ids):
    assert isinstance(board.action_history(engine, 999_999, MEETING), pd.DataFrame)
    assert board.action_history(engine, 999_999, MEETING).empty


# --- partner agencies, sorting ---------------------------------------------------------------------


def test_partner_filter_on_lists(engine):
    from tests.fixtures import POLICE, populate_joint

    joint = populate_joint(engine)
    actions = review_figures.review_actions(engine, joint["q2"], MEETING)
    police = board.filter_actions(actions, partner=POLICE)
    assert list(police["key"]) == ["1.1", "2.2"]
    assert board.matching_per_recommendation(police) == {"a": 1, "b": 1}
    # 1.1 (red, due 31/07/2024) is overdue at the meeting; the filter keeps it, another agency's list is empty.
    assert list(board.overdue_actions(engine, joint["q2"], MEETING, partner=POLICE)["key"]) == ["1.1"]
    assert board.overdue_actions(engine, joint["q2"], MEETING, partner="Nobody").empty
    assert list(board.overdue_actions(engine, joint["q2"], MEETING)["partner"]) == [POLICE]


def test_sort_overdue(engine, ids):
    overdue = board.overdue_actions(engine, ids["q2"], MEETING)
    assert list(board.sort_overdue(overdue, "plan")["key"]) == ["1.1", "10.1"]
    assert list(board.sort_overdue(overdue, "days")["key"]) == ["1.1", "10.1"]  # 75 days, then 44
    assert list(board.sort_overdue(overdue, "due")["key"]) == ["1.1", "10.1"]
    assert list(board.sort_overdue(overdue, "lead")["lead"]) == ["Head of MASH", "Head of MASH"]
    assert list(board.sort_overdue(overdue, "nonsense")["key"]) == ["1.1", "10.1"]  # plan order
    assert set(board.OVERDUE_SORTS) == {"plan", "days", "due", "lead"}
