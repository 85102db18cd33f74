"""How figures and dates are worded for people (data_access.domain.wording): the parts the board pages use."""

from __future__ import annotations

import datetime as dt

import pytest

from data_access.domain import wording


@pytest.mark.parametrize(
    ("delta", "unit", "expected"),
    [(None, "", ""), (0, "", "no change"), (0.0, "pts", "no change"), (3, "", "+3"), (-2, "pts", "\u22122 pts")],
)
def test_change_text(delta, unit, expected):
    assert wording.change_text(delta, unit) == expected


@pytest.mark.parametrize(
    ("due", "revised", "raw", "expected"),
    [
        # The wording: the revised date, and what the tracker first said.
        (
            dt.date(2018, 3, 31),
            dt.date(2018, 9, 30),
            "March 2018",
            "Due 30 Sep 2018 (revised; the tracker first said 'March 2018')",
        ),
        (dt.date(2018, 3, 31), dt.date(2018, 9, 30), None, "Due 30 Sep 2018 (revised)"),
        (dt.date(2018, 3, 31), None, "March 2018", "Due 31 Mar 2018 (the tracker said 'March 2018')"),
        (dt.date(2018, 3, 31), None, "31/03/2018", "Due 31 Mar 2018"),  # the words are just the day
        (dt.date(2018, 3, 31), None, None, "Due 31 Mar 2018"),
        (None, None, "Ongoing", "No due date (the tracker said 'Ongoing')"),
        (None, None, None, "No due date"),
        (None, None, "  Q2\n 2018/19 ", "No due date (the tracker said 'Q2 2018/19')"),
    ],
)
def test_due_text(due, revised, raw, expected):
    assert wording.due_text(due, revised, raw) == expected


def test_short_text():
    text = "Ensure that senior leaders have access to comprehensive, high-quality performance information"
    assert wording.short_text(text) == "Ensure that senior leaders have access to…"
    assert len(wording.short_text(text, 20)) <= 20
    assert wording.short_text("  Short\ntext ") == "Short text"
    assert wording.short_text(None) == ""
    assert wording.short_text("x" * 100, 10) == "x" * 9 + "…"  # one long word is cut inside


def test_overdue_comparison_rule_names_the_days():
    assert "at that review's own date" in wording.overdue_comparison_rule(0)
    assert "1 day after that review's own date" in wording.overdue_comparison_rule(1)
    assert "14 days after that review's own date" in wording.overdue_comparison_rule(14)


def test_describe_filters_with_partner():
    assert wording.describe_filters() == ""
    assert wording.describe_filters("b", "Head of Service", ("red", "amber"), "Cleveland Police") == (
        "recommendation b; lead Head of Service; status Off track or At risk; partner Cleveland Police"
    )


def test_share_text_puts_the_counts_beside_the_percentage():
    assert wording.share_text(42, 5, 12) == "42% (5 of 12)"
    assert wording.share_text(100, 3, 3, "actions") == "100% (3 of 3 actions)"
