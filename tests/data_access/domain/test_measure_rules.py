"""The one rule for 'met' and how a measure is written (data_access/domain/measure_rules.py)."""

import datetime as dt

import pytest

from data_access.domain import measure_rules as mr
from data_access.importer.parsed import MeasurePoint as P

D = dt.date


@pytest.mark.parametrize(
    ("value", "target", "better", "met"),
    [(80, 80, "higher", True), (79.9, 80, "higher", False), (20, 20, "lower", True), (20.1, 20, "lower", False),
     (None, 20, "lower", None), (5, None, "higher", None)],
)  # fmt: skip
def test_met_is_value_against_target_in_the_better_direction(value, target, better, met):
    assert mr.is_met(value, target, better) is met


def test_standing_takes_the_latest_value_against_its_period_target_and_the_change():
    points = [P(D(2017, 6, 30), 65.0, 70.0), P(D(2017, 9, 30), 76.0, 75.0), P(D(2017, 12, 31), None, 83.0)]
    s = mr.standing(points, "higher")
    assert (s.period_end, s.value, s.target, s.met, s.word) == (D(2017, 9, 30), 76.0, 75.0, True, "Met")
    assert s.change == 11.0
    assert mr.change_text(s, "%") == "up 11 percentage points since 30 June 2017"
    assert mr.summary_text("Assessments", "%", s) == "Assessments: 76% against a target of 75% (30 September 2017): Met"


def test_target_in_force_is_the_latest_earlier_target_when_the_period_has_none():
    points = [P(D(2017, 4, 30), 25.0, 20.0), P(D(2017, 5, 31), 21.0, None)]
    s = mr.standing(points, "lower")
    assert (s.target, s.word, s.change) == (20.0, "Not met", -4.0)
    assert mr.change_text(s, "days") == "down 4 days since 30 April 2017"


def test_no_value_is_no_data():
    s = mr.standing([P(D(2017, 4, 30), None, 20.0)], "lower")
    assert s.word == "No data" and mr.change_text(s) == "no earlier value"


@pytest.mark.parametrize(
    ("cell", "header", "better"),
    [("High", "Good is", "higher"), ("Good is Low", "Polarity", "lower"), ("↑", "", "higher"), ("↓", "", "lower"),
     ("Aim to minimise", "Polarity", "lower"), ("Yes", "Higher is better", "higher"),
     ("No", "Higher is better", "lower"), ("Yes", "Lower is better", "lower"), ("Yes", "Good is", None),
     ("", "Good is", None), ("High or low", "", None)],
)  # fmt: skip
def test_direction_is_never_guessed(cell, header, better):
    assert mr.direction(cell, header) == better


def test_words_for_the_board():
    assert mr.at_target_text(5, 9) == "Measures at target: 5 of 9"
    assert mr.complete_but_not_met(4, 4, 1, 2) == "Actions complete; 1 of 2 measures at target"
    assert mr.complete_but_not_met(4, 3, 1, 2) is None
    assert mr.complete_but_not_met(4, 4, 2, 2) is None
    assert mr.number_text(78.0, "%") == "78%" and mr.number_text(1234.0) == "1,234"
    assert mr.number_text(12.5, "days") == "12.5 days"


@pytest.mark.parametrize(
    ("was", "now", "way"),
    [(False, True, mr.BECAME_MET), (True, False, mr.STOPPED_MET), (True, True, None), (False, False, None),
     (None, True, None), (True, None, None), (None, None, None)],
)  # fmt: skip
def test_crossing_the_target_needs_a_standing_on_both_sides(was, now, way):
    assert mr.crossing(was, now) == way


def test_crossing_text_names_the_measures_each_way():
    assert mr.crossing_text([], []) is None
    assert mr.crossing_text(["Visits in time"], []) == "measure now at target: Visits in time"
    assert (
        mr.crossing_text(["A", "B"], ["Re-referrals"])
        == "measures now at target: A, B; measure no longer at target: Re-referrals"
    )
