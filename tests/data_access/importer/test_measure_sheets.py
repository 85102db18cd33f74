"""Measures of success read from a tracker's Measures sheet and from a long CSV: every layout with
hand-worked expected values (data_access/importer/reading/measure_sheets.py)."""

import datetime as dt
import io

import openpyxl
import pytest

from data_access.importer.parsed import ImportRefused, MeasurePoint
from data_access.importer.reading.measure_sheets import period_header, recommendation_refs
from data_access.importer.reading.tracker_reader import read_tracker

D = dt.date


def _actions(wb) -> None:
    ws = wb.active
    ws.title = "Action plan"
    ws.append(["Improvement plan"])
    ws.append(["Recommendation", "Action", "Lead", "Timescale", "RAG"])
    ws.append(["1. Improve visits", "1.1 Audit visits", "Head of service", "Jun-17", "Green"])
    ws.append(["2. Reduce re-referrals", "2.1 Review front door", "Head of service", "Jun-17", "Complete"])


def _workbook(sheet_name: str, rows: list[list], percent_cells=()) -> bytes:
    wb = openpyxl.Workbook()
    _actions(wb)
    m = wb.create_sheet(sheet_name)
    for row in rows:
        m.append(row)
    for ref in percent_cells:
        m[ref].number_format = "0%"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _by_name(parsed):
    return {m.name: m for m in parsed.measures}


def test_month_columns_percent_formatted_cells_text_percentages_and_no_values():
    data = _workbook(
        "Measures",
        [
            ["Indicator", "Rec", "Good is", "Target", dt.datetime(2017, 4, 1), dt.datetime(2017, 5, 1), "Jun-17"],
            ["Visits in time", "1", "High", 0.8, 0.78, 0.825, "n/a"],
            ["Re-referrals", "Rec 2", "Low", "20%", "22%", "-", "19.5%"],
            ["Caseload per worker", "1, 2", "Low", 18, 20, "tbc", None],
            [],
            ["Note: figures from the case management system, validated monthly"],
        ],
        percent_cells=("D2", "E2", "F2"),
    )
    parsed = read_tracker(data, "t.xlsx")
    assert [r.sheet for r in parsed.reviews] == ["Action plan"]  # the measures sheet is not an action table
    m = _by_name(parsed)
    assert list(m) == ["Visits in time", "Re-referrals", "Caseload per worker"]  # the note is not an indicator
    visits = m["Visits in time"]
    assert (visits.unit, visits.better, visits.recommendations) == ("%", "higher", ["1"])
    assert visits.points == [
        MeasurePoint(D(2017, 4, 30), 78.0, 80.0),
        MeasurePoint(D(2017, 5, 31), 82.5, 80.0),
        MeasurePoint(D(2017, 6, 30), None, 80.0),  # n/a: no value, never zero
    ]
    rereferrals = m["Re-referrals"]
    assert (rereferrals.unit, rereferrals.better, rereferrals.recommendations) == ("%", "lower", ["2"])
    assert [(p.value, p.target) for p in rereferrals.points] == [(22.0, 20.0), (None, 20.0), (19.5, 20.0)]
    caseload = m["Caseload per worker"]
    assert (caseload.unit, caseload.better, caseload.recommendations) == ("", "lower", ["1", "2"])
    assert [p.value for p in caseload.points] == [20.0, None, None]
    assert parsed.measure_problems == []


def test_quarterly_pairs_give_incremental_targets():
    data = _workbook(
        "KPIs",
        [
            ["KPI", "Polarity", "Linked recommendations", "Q1 17/18 target", "Q1 17/18 actual", "Q2 17/18 target",
             "Q2 17/18 actual", "Q3 17/18 Target", "Q3 17/18 Actual"],
            ["Assessments in 45 days", "Higher is better", "R1", 70, 65, 75, 76, 83, None],
            ["Children on a plan for a second time", "↓", "2", 25, 24, 22, 23, 20, "n/a"],
        ],
    )  # fmt: skip
    m = _by_name(read_tracker(data, "t.xlsx"))
    assert m["Assessments in 45 days"].better == "higher"
    assert m["Assessments in 45 days"].recommendations == ["1"]
    assert m["Assessments in 45 days"].points == [
        MeasurePoint(D(2017, 6, 30), 65.0, 70.0),
        MeasurePoint(D(2017, 9, 30), 76.0, 75.0),
        MeasurePoint(D(2017, 12, 31), None, 83.0),
    ]
    second = m["Children on a plan for a second time"]
    assert second.better == "lower"
    assert [(p.value, p.target) for p in second.points] == [(24.0, 25.0), (23.0, 22.0), (None, 20.0)]


def test_higher_is_better_yes_no_column_and_financial_years():
    data = _workbook(
        "Scorecard",
        [
            ["Measure", "Higher is better", "Target", "2016/17", "2017/18"],
            ["Social workers permanent", "Yes", 85, 71, 80],
            ["Agency staff", "No", 15, 29, 20],
        ],
    )
    m = _by_name(read_tracker(data, "t.xlsx"))
    assert m["Social workers permanent"].better == "higher"
    assert m["Agency staff"].better == "lower"
    assert [p.period_end for p in m["Agency staff"].points] == [D(2017, 3, 31), D(2018, 3, 31)]


def test_problems_name_sheet_row_and_column_and_the_rest_is_read():
    data = _workbook(
        "Performance",
        [
            ["Indicator", "Direction", "Target", "Apr-17", "May-17"],
            ["Visits in time", "up", 80, 78, "about eighty"],
            ["Unknown way", "", 10, 5, 6],
            ["No target yet", "down", None, 5, 6],
        ],
    )
    parsed = read_tracker(data, "t.xlsx")
    problems = {(p.sheet, p.row, p.column, p.message) for p in parsed.measure_problems}
    assert ("Performance", 2, "E (May-17)", "'about eighty' is text, not a figure; it was left out.") in problems
    assert (
        "Performance",
        3,
        "B (Direction)",
        "'Unknown way' does not say which way is better (higher or lower); it is not imported until that is given.",
    ) in problems
    assert ("Performance", 4, "C (Target)", "'No target yet' has no target; it is read without one.") in problems
    m = _by_name(parsed)
    assert [p.value for p in m["Visits in time"].points] == [78.0, None]
    assert m["Unknown way"].better is None


def test_long_csv_of_measures_alone():
    text = (
        "indicator,recommendation,period_end,value,target,better\n"
        "Re-referrals,2,2017-04-30,22%,20%,lower\n"
        "Re-referrals,2,2017-05-31,n/a,20%,lower\n"
        "Re-referrals,2,Jun-17,19,20,lower\n"
        'Visits in time,"1, 3",Q1 17/18,78,80,higher\n'
    )
    parsed = read_tracker(text.encode(), "measures.csv")
    assert parsed.reviews == []
    m = _by_name(parsed)
    assert m["Re-referrals"].unit == "%"
    assert m["Re-referrals"].points == [
        MeasurePoint(D(2017, 4, 30), 22.0, 20.0),
        MeasurePoint(D(2017, 5, 31), None, 20.0),
        MeasurePoint(D(2017, 6, 30), 19.0, 20.0),
    ]
    assert m["Visits in time"].recommendations == ["1", "3"]
    assert m["Visits in time"].points == [MeasurePoint(D(2017, 6, 30), 78.0, 80.0)]


def test_a_sheet_named_measures_without_a_measures_table_is_not_read_as_measures():
    data = _workbook("Measures", [["Some notes about how we measure"], ["More notes"]])
    parsed = read_tracker(data, "t.xlsx")
    assert parsed.measures == [] and len(parsed.reviews) == 1


def test_a_csv_that_is_neither_is_still_refused():
    with pytest.raises(ImportRefused):
        read_tracker(b"colour,shape\nred,square\n", "x.csv")


@pytest.mark.parametrize(
    ("cell", "refs"),
    [("1", ["1"]), (1.0, ["1"]), ("1, 3", ["1", "3"]), ("Rec 2", ["2"]), ("R2", ["2"]), ("Recs 1 & 4", ["1", "4"]),
     ("a)", ["a"]), (None, [])],
)  # fmt: skip
def test_recommendation_refs(cell, refs):
    assert recommendation_refs(cell) == refs


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Apr-17", (D(2017, 4, 30), "actual")),
        (dt.datetime(2017, 4, 1), (D(2017, 4, 30), "actual")),
        ("Q2 17/18", (D(2017, 9, 30), "actual")),
        ("Q2 17/18 target", (D(2017, 9, 30), "target")),
        ("Target Q2 17/18", (D(2017, 9, 30), "target")),
        ("2017/18", (D(2018, 3, 31), "actual")),
        ("Target", (None, "actual")),
        ("Indicator", (None, "actual")),
    ],
)
def test_period_headers_use_the_uk_rules(header, expected):
    assert period_header(header) == expected


def _rewrite_sheet(data: bytes, part: str, rewrite) -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            dst.writestr(item, rewrite(body) if item.filename == part else body)
    return out.getvalue()


def test_percent_cells_are_found_whatever_the_order_of_a_cells_attributes():
    import re

    from data_access.importer.reading.measure_sheets import _fast_percent_cells

    data = _workbook(
        "Measures",
        [["Indicator", "Good is", "Target", "Apr-17", "May-17"], ["Visits in time", "High", 0.8, 0.78, 0.825]],
        percent_cells=("C2", "D2", "E2"),
    )
    # openpyxl writes `<c r="C2" s="1" ...>`; another writer may put the style first: `<c s="1" r="C2">`.
    swapped = _rewrite_sheet(
        data,
        "xl/worksheets/sheet2.xml",
        lambda xml: re.sub(rb'<c r="([A-Z]+[0-9]+)"([^>]*?)(/?)>', rb'<c\2 r="\1"\3>', xml),
    )
    assert b'<c r="' not in zip_part(swapped, "xl/worksheets/sheet2.xml")
    assert _fast_percent_cells(data, "Measures") == {1: {2, 3, 4}}
    assert _fast_percent_cells(swapped, "Measures") == {1: {2, 3, 4}}
    assert [p.value for p in read_tracker(swapped, "t.xlsx").measures[0].points] == [78.0, 82.5]


def zip_part(data: bytes, part: str) -> bytes:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zf.read(part)
