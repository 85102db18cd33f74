"""Timescale spellings met by the importer that rules.parse_timescale first missed."""

from __future__ import annotations

import datetime as dt

import pytest

from data_access.domain.rules import parse_timescale


@pytest.mark.parametrize(
    "text,due,precision",
    [
        ("Quarter 2 2018/19", dt.date(2018, 9, 30), "quarter"),
        ("by end of Quarter 4 2017/18", dt.date(2018, 3, 31), "quarter"),
        ("Q2 (2018/19)", dt.date(2018, 9, 30), "quarter"),
        ("2017-18 Q3", dt.date(2017, 12, 31), "quarter"),
        ("2018/19 Q1", dt.date(2018, 6, 30), "quarter"),
        ("June 30th 2018", dt.date(2018, 6, 30), "day"),
        ("March 31, 2018", dt.date(2018, 3, 31), "day"),
    ],
)
def test_importer_spellings(text, due, precision):
    ts = parse_timescale(text)
    assert (ts.kind, ts.due, ts.precision, ts.raw) == ("date", due, precision, text)


def test_impossible_month_first_date_is_invalid():
    ts = parse_timescale("February 30th 2018")
    assert ts.kind == "invalid" and ts.due is None and "not a real date" in ts.problem


@pytest.mark.parametrize("text", ["Q2 2017/19", "2017-19 Q2"])
def test_bad_financial_years_still_refused(text):
    assert parse_timescale(text).kind == "invalid"


# ---------------------------------------------------------------------------
# Ranges, pairs, bare quarters and school terms (issue 28, item 3): worked by hand from the UK rules
# (a month is its last day; Q1 Apr-Jun ... Q4 Jan-Mar).
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,due,precision",
    [
        ("April – June 2018", dt.date(2018, 6, 30), "month"),  # en dash, full names
        ("Apr-Jun 18", dt.date(2018, 6, 30), "month"),  # two-digit year
        ("Jan/Feb 2018", dt.date(2018, 2, 28), "month"),  # a pair: February 2018 has 28 days
        ("Sept–Dec 2017", dt.date(2017, 12, 31), "month"),
        ("by end of Jan/Feb 2020", dt.date(2020, 2, 29), "month"),  # a leap year
        ("Nov 2017 - Jan 2018", dt.date(2018, 1, 31), "month"),  # across a year end
        ("01/04/2018 - 30/06/2018", dt.date(2018, 6, 30), "day"),
    ],
)
def test_a_range_or_pair_is_due_at_its_end(text, due, precision):
    ts = parse_timescale(text)
    assert (ts.kind, ts.due, ts.precision, ts.raw, ts.assumed) == ("date", due, precision, text, "range")


def test_a_range_that_ends_before_it_starts_is_not_dated():
    ts = parse_timescale("Dec 2018 - Jan 2018")
    assert ts.kind == "invalid" and ts.due is None and "ends before it starts" in ts.problem


@pytest.mark.parametrize(
    "text,fy_start,due",
    [
        ("by end of Q3", 2017, dt.date(2017, 12, 31)),  # Q3 of 2017/18: October-December 2017
        ("Q4", 2017, dt.date(2018, 3, 31)),  # Q4 of 2017/18: January-March 2018
        ("end of Quarter 1", 2018, dt.date(2018, 6, 30)),
    ],
)
def test_a_bare_quarter_takes_the_reviews_financial_year(text, fy_start, due):
    ts = parse_timescale(text, fy_start=fy_start)
    assert (ts.kind, ts.due, ts.precision, ts.raw, ts.assumed) == ("date", due, "quarter", text, "year from context")


def test_a_bare_quarter_without_a_year_is_undated_with_a_problem():
    ts = parse_timescale("by end of Q3")
    assert ts.kind == "invalid" and ts.due is None and "not its year" in ts.problem


@pytest.mark.parametrize(
    "text,why",
    [
        ("Summer term 2018", "school term"),
        ("autumn term", "school term"),
        ("Spring 2018", "season"),
        ("Winter", "season"),
        ("Immediate", "no date"),
        ("Immediately", "no date"),
    ],
)
def test_terms_seasons_and_immediate_stay_undated_with_a_problem(text, why):
    ts = parse_timescale(text, fy_start=2017)
    assert ts.kind == "invalid" and ts.due is None and ts.raw == text and why in ts.problem


TERMS = {"autumn": "12-20", "spring": "04-06", "summer": "07-31"}


@pytest.mark.parametrize(
    "text,fy_start,due",
    [
        ("Summer term 2018", None, dt.date(2018, 7, 31)),  # a calendar year: that year's date
        ("summer term 2017/18", None, dt.date(2018, 7, 31)),  # an academic year: summer is in its second
        ("Autumn term 2017/18", None, dt.date(2017, 12, 20)),  # ...autumn in its first
        ("end of summer term", 2017, dt.date(2017, 7, 31)),  # no year: in financial year 2017/18
        ("Spring term", 2017, dt.date(2017, 4, 6)),  # 6 April falls in 2017/18 in 2017 (1 Apr 2017-31 Mar 2018)
        ("autumn term", 2017, dt.date(2017, 12, 20)),
    ],
)
def test_a_plans_term_dates_date_school_terms(text, fy_start, due):
    ts = parse_timescale(text, fy_start=fy_start, term_dates=TERMS)
    assert (ts.kind, ts.due, ts.precision, ts.raw, ts.assumed) == ("date", due, "day", text, "term")


def test_a_term_the_plan_has_no_date_for_stays_undated():
    ts = parse_timescale("Autumn term 2018", term_dates={"summer": "07-31"})
    assert ts.kind == "invalid" and ts.due is None


@pytest.mark.parametrize("text,pair", [("07-31", (7, 31)), ("12-20", (12, 20)), ("02-29", None), ("13-01", None)])
def test_term_dates_are_real_days_of_every_year(text, pair):
    from data_access.domain.rules import term_date

    assert term_date(text) == pair
