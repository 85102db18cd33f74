"""Links that cannot be honoured say so, and open the nearest sensible view (data_access.reads.link_check)."""

from __future__ import annotations

import datetime as dt

import pytest

from data_access.reads import link_check
from data_access.reads.link_check import ReviewOwner

TODAY = dt.date(2026, 12, 3)
Q4 = dt.date(2018, 3, 31)


def owner(plan_id=1, replaced=False):
    return ReviewOwner(7, plan_id, "Rutland 2017", "Q4 2017/18", Q4, replaced)


@pytest.mark.parametrize(
    ("raw", "expected_date", "says"),
    [
        (None, None, None),
        ("2018-04-14", dt.date(2018, 4, 14), None),
        ("2018-03-31", Q4, None),  # the review's own date is fine
        ("foo", TODAY, "'foo' in the link is not a date written YYYY-MM-DD; overdue is counted as at 3 December 2026."),
        ("14/04/2018", TODAY, "is not a date written YYYY-MM-DD"),
        ("20180414", TODAY, "is not a date written YYYY-MM-DD"),  # Python would read it; the link format is one
        (
            "0001-01-01",
            Q4,
            "1 January 1 in the link is before this review's own date; overdue is counted as at 31 March 2018",
        ),
        ("2017-12-31", Q4, "before this review's own date"),
        ("9999-12-31", TODAY, "later than 31 December 2099"),
    ],
)
def test_as_of_in_a_link(raw, expected_date, says):
    date, notice = link_check.parse_as_of(raw, Q4, TODAY)
    assert date == expected_date
    assert (notice is None) == (says is None)
    if says:
        assert says in notice


def test_a_bad_date_never_goes_before_the_review():
    date, notice = link_check.parse_as_of("nonsense", dt.date(2030, 6, 30), TODAY)
    assert date == dt.date(2030, 6, 30) and notice


def test_a_huge_value_is_cut_short_in_the_notice():
    _, notice = link_check.parse_as_of("x" * 500, Q4, TODAY)
    assert len(notice) < 200 and "…" in notice


def test_plan_notice():
    assert link_check.plan_notice(None, False, "Rutland") is None
    assert link_check.plan_notice("1", True, "Rutland") is None
    assert link_check.plan_notice("999", False, "Rutland 2017") == (
        "The link names action plan '999', which is not stored here; showing Rutland 2017."
    )


def test_review_notice():
    assert link_check.review_notice(None, None, 1, "Rutland", "Q4") is None
    assert link_check.review_notice("7", owner(), 1, "Rutland 2017", "Q4 2017/18") is None
    unknown = link_check.review_notice("999", None, 1, "Rutland 2017", "Q4 2017/18")
    assert unknown == (
        "The link names review '999', which is not stored for Rutland 2017; showing its latest review, Q4 2017/18."
    )
    other = link_check.review_notice("7", owner(plan_id=2), 1, "Stockton 2016", "Q2 2017/18")
    assert other == (
        "The link names review Q4 2017/18 of Rutland 2017, not of Stockton 2016; "
        "showing Stockton 2016's latest review, Q2 2017/18."
    )
    replaced = link_check.review_notice("7", owner(replaced=True), 1, "Rutland 2017", "Q4 2017/18")
    assert "was replaced by a later import" in replaced
    assert "has no reviews yet" in link_check.review_notice("5", None, 1, "Empty plan", None)


def test_action_notice():
    assert link_check.action_notice(None, False, "Rutland") is None
    assert link_check.action_notice("12", True, "Rutland") is None
    notice = link_check.action_notice("99999999999999999999", False, "Rutland 2017")
    assert notice.startswith("The link names action '99999999999999999999', which is not an action in Rutland 2017")
