"""The lifecycle rules of issue 25 (domain/signoff_rules.py) and the overdue rule's extension."""

import datetime as dt

import pytest

from data_access.domain import rules
from data_access.domain import signoff_rules as so

D = dt.date


@pytest.mark.parametrize(
    ("status", "latest", "expected"),
    [
        ("complete", None, so.AWAITING),  # complete with no sign-off anywhere
        ("complete", so.SIGNED_OFF, so.SIGNED),
        ("complete", so.SENT_BACK, so.AWAITING),
        ("complete", so.UNDONE, so.AWAITING),
        ("green", so.SIGNED_OFF, so.NOT_COMPLETE),
    ],
)
def test_completion(status, latest, expected):
    assert so.completion(status, latest) == expected


def test_reopened_only_after_a_signoff():
    assert so.reopened("complete", so.SIGNED_OFF, "amber")
    assert not so.reopened("complete", None, "amber")
    assert not so.reopened("complete", so.SIGNED_OFF, "complete")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("Complete – awaiting evidence", "complete"), ("Complete (signed off)", "complete"), ("Closed", "complete")],
)
def test_signoff_statuses_are_complete(raw, expected):
    assert rules.normalise_status(raw) == expected


@pytest.mark.parametrize(
    ("status_raw", "signoff_raw", "expected"),
    [
        ("Complete (signed off)", None, True),
        ("Closed", None, True),
        ("Complete – awaiting evidence", None, False),
        ("Complete", "Y", True),
        ("Complete", "04/03/2018", True),  # "Date closed by board"
        ("Closed", "N", False),  # the sign-off column says no
        ("Complete", "Not signed off", False),
    ],
)
def test_tracker_signed_off(status_raw, signoff_raw, expected):
    assert so.tracker_signed_off(rules.normalise_status(status_raw), status_raw, signoff_raw) is expected


def test_an_action_not_complete_is_never_signed_off_from_a_tracker():
    assert not so.tracker_signed_off("green", "Green", "Y")


@pytest.mark.parametrize(
    ("approver", "state"),
    [("Improvement board 15/01/2018", so.APPROVED), ("Director", so.APPROVED), ("", so.NOT_APPROVED),
     (None, so.NOT_APPROVED), ("No", so.NOT_APPROVED), ("Y", so.APPROVED)],
)  # fmt: skip
def test_tracker_change_state(approver, state):
    assert so.tracker_change_state(approver) == state


def test_overdue_against_approved_refused_and_baseline():
    as_of = D(2018, 3, 31)
    original, revised = D(2018, 1, 31), D(2018, 6, 30)
    assert not rules.is_overdue("green", original, as_of, revised)  # judged against the revised date
    assert rules.is_overdue("green", original, as_of, revised, revision_state=so.REFUSED)  # the previous date
    assert rules.is_overdue("green", original, as_of, revised, against_baseline=True)
    assert not rules.is_overdue("complete", original, as_of, revised, against_baseline=True)
    assert so.moved_later(original, revised) and not so.moved_later(revised, original)
    assert not so.moved_later(None, revised)
