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
