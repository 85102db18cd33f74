"""The update round's rules (data_access/domain/round_rules.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from data_access.domain import round_rules
from data_access.domain.round_rules import RoundRefused, UpdateFields


@pytest.mark.parametrize("status", ["red", "amber"])
def test_red_and_amber_need_a_mitigation(status):
    with pytest.raises(RoundRefused, match=r"^Action 1\.1: .* needs a mitigation"):
        round_rules.check_update(UpdateFields(status, mitigation="   "), "1.1")
    round_rules.check_update(UpdateFields(status, mitigation="Cover"), "1.1")


@pytest.mark.parametrize("status", ["green", "complete", "unknown"])
def test_other_statuses_need_none(status):
    round_rules.check_update(UpdateFields(status), "1.1")


def test_a_date_change_needs_a_date_a_reason_and_a_different_date():
    when = dt.date(2025, 3, 31)
    with pytest.raises(RoundRefused, match="needs a reason"):
        round_rules.check_update(UpdateFields("green", requested_due=when), "1.1")
    with pytest.raises(RoundRefused, match="needs the new due date"):
        round_rules.check_update(UpdateFields("green", due_change_reason="Staff"), "1.1")
    with pytest.raises(RoundRefused, match="already has"):
        round_rules.check_update(UpdateFields("green", requested_due=when, due_change_reason="x"), "1.1", when)
    with pytest.raises(RoundRefused, match="not a status"):
        round_rules.check_update(UpdateFields("purple"), "1.1")


def test_differs_ignores_spacing_only():
    a = UpdateFields("green", progress="On  track\n")
    assert a.differs(UpdateFields("green", progress="On track")) == []
    assert a.differs(UpdateFields("amber", progress="On track", mitigation="x")) == ["status", "mitigation"]


def test_progress_by_name_counts_one_name_however_spaced_and_blank_names_together():
    rows = [("Head of Service", True), (" head of service", False), (None, False), ("", True)]
    assert round_rules.progress_by(rows, "No lead named") == [("Head of Service", 1, 1), ("No lead named", 1, 1)]


def test_deadline_after_the_review_date_is_refused():
    with pytest.raises(RoundRefused, match="after the review date"):
        round_rules.check_dates(dt.date(2024, 10, 31), dt.date(2024, 11, 1))
    round_rules.check_dates(dt.date(2024, 10, 31), None)


def test_a_round_asks_for_an_update_of_every_action_not_complete_when_it_opened():
    from data_access.domain.round_rules import expects_update

    assert [expects_update(s) for s in ("red", "amber", "green", "unknown", None)] == [True] * 5
    assert expects_update("complete") is False  # may still be updated, never outstanding or flagged
