"""The Measures sheets of the sample trackers (sample_data/plans.py MEASURE_SHEETS) read as the
councils' scorecards would, and seeded beside the actions."""

from __future__ import annotations

import datetime as dt

from data_access.importer.parsed import MeasurePoint
from data_access.importer.reading.tracker_reader import read_tracker
from data_access.importer.sample_seed import seed
from data_access.reads import measures
from data_access.storage.plan_writer import find_plan
from sample_data.generate import TRACKERS_DIR
from sample_data.plans import build_plans

D = dt.date


def _read(name: str):
    parsed = read_tracker((TRACKERS_DIR / name).read_bytes(), name)
    assert parsed.measure_problems == []
    return parsed, {m.name: m for m in parsed.measures}


def test_north_tyneside_monthly_scorecard_with_percent_formatted_cells():
    parsed, found = _read("north-tyneside-post-inspection-action-plan.xlsx")
    assert len(parsed.reviews) == 4  # the measures sheet is not a review
    assessments = found["Assessments completed within 45 working days"]
    assert (assessments.unit, assessments.better, assessments.recommendations) == ("%", "higher", ["1"])
    assert assessments.points[0] == MeasurePoint(D(2017, 4, 30), 78.0, 85.0)
    assert assessments.points[-1] == MeasurePoint(D(2018, 6, 30), 88.0, 85.0)
    officers = found["Designated officer investigations completed within one month"]
    assert [p.value for p in officers.points[:4]] == [None, None, None, 55.0]  # n/a is no value, never zero
    assert officers.points[-2].value is None  # tbc
    overdue = found["Supervision sessions overdue"]
    assert (overdue.unit, overdue.better, overdue.points[-1]) == ("", "lower", MeasurePoint(D(2018, 6, 30), 8.0, 10.0))


def test_stockton_quarterly_pairs_with_text_percentages_and_arrows():
    _, found = _read("stockton-sif-action-plan-2016.xlsx")
    rereferrals = found["Re-referrals within 12 months"]
    assert (rereferrals.unit, rereferrals.better, rereferrals.recommendations) == ("%", "lower", ["e"])
    assert rereferrals.points == [
        MeasurePoint(D(2016, 12, 31), 27.0, 24.0),
        MeasurePoint(D(2017, 3, 31), 25.0, 23.0),
        MeasurePoint(D(2017, 6, 30), 23.0, 22.0),
        MeasurePoint(D(2017, 9, 30), 22.0, 21.0),
    ]
    adoption = found["Average days from entering care to an adoption placement"]
    assert (adoption.unit, adoption.points[-1]) == ("days", MeasurePoint(D(2017, 9, 30), 430.0, 426.0))


def test_seeded_plans_carry_their_measures(engine):
    plans = {p.slug: p for p in build_plans()}
    seed(engine, [plans["north-tyneside-2017"], plans["stockton-sif-2016"]])
    with engine.connect() as conn:
        tyneside = find_plan(conn, plans["north-tyneside-2017"].info.name)
        stockton = find_plan(conn, plans["stockton-sif-2016"].info.name)
    # Hand-worked: Tyneside met 88>=85, 94>=90, 8<=10; not 92<100, 72<80. Stockton met 88>=85,
    # 93>=90; not 58<65, 22>21 (lower), 430>426 (lower).
    assert measures.at_target(measures.plan_measures(engine, tyneside)) == (3, 5)
    assert measures.at_target(measures.plan_measures(engine, stockton)) == (2, 5)
    # As at the Q1 2017/18 review (30 June 2017) Stockton stood at 0 of 5: every measure short.
    assert measures.at_target(measures.plan_measures(engine, stockton), D(2017, 6, 30)) == (0, 5)
