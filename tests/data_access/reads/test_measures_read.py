"""Measures of success between two reviews (data_access/reads/measures.py): each period's value
against the target in force, and which measures moved across their target — hand-worked."""

from __future__ import annotations

import datetime as dt

from data_access.reads.measures import Measure, Point, crossings

D = dt.date
Q1, Q2, Q3 = D(2024, 6, 30), D(2024, 9, 30), D(2024, 12, 31)


def _m(name, better, points, unit="%"):
    return Measure(1, name, unit, better, None, None, ("1",), tuple(Point(*p) for p in points), 0)


# Visits (higher): Q1 70 < 80 not met, Q2 85 >= 80 met, Q3 78 < 80 (target carried) not met.
VISITS = _m("Visits in time", "higher", [(Q1, 70.0, 80.0), (Q2, 85.0, None), (Q3, 78.0, None)])
# Re-referrals (lower, incremental target): Q1 22 > 20 not met, Q2 19 <= 20 met, Q3 18 <= 18 met.
REREFERRALS = _m("Re-referrals", "lower", [(Q1, 22.0, 20.0), (Q2, 19.0, 20.0), (Q3, 18.0, 18.0)])
# Caseload (lower): no value until Q2 (17 <= 18 met): from No data is not a crossing.
CASELOAD = _m("Caseload", "lower", [(Q1, None, 18.0), (Q2, 17.0, 18.0)], unit="")


def test_history_gives_each_period_the_target_in_force_and_its_word():
    rows = [(h.period_end, h.value_text, h.target_text, h.word) for h in VISITS.history]
    assert rows == [(Q1, "70%", "80%", "Not met"), (Q2, "85%", "80%", "Met"), (Q3, "78%", "80%", "Not met")]
    assert [h.word for h in CASELOAD.history] == ["No data", "Met"]


def test_crossings_between_two_dates():
    measures = [VISITS, REREFERRALS, CASELOAD]
    q1_q2 = crossings(measures, Q1, Q2)
    assert (q1_q2.became_met, q1_q2.stopped_met) == (("Visits in time", "Re-referrals"), ())
    q2_q3 = crossings(measures, Q2, Q3)
    assert (q2_q3.became_met, q2_q3.stopped_met) == ((), ("Visits in time",))
    assert q2_q3.text == "measure no longer at target: Visits in time"
    assert crossings(measures, Q1, Q3).text == "measure now at target: Re-referrals"
