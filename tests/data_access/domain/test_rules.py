"""The domain rules, with the spellings real trackers use."""

import datetime as dt

import pytest
from sqlalchemy import Column, Date, MetaData, String, Table, create_engine, insert, select

from data_access.domain import rules
from data_access.domain.rules import (
    AMBER,
    COMPLETE,
    GREEN,
    RED,
    UNKNOWN,
    is_overdue,
    normalise_status,
    parse_period_label,
    parse_timescale,
    quarter_label,
    status_from_fill,
    status_text,
)

D = dt.date


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Green", GREEN),
        ("green", GREEN),
        (" GREEN ", GREEN),
        ("G", GREEN),
        ("g", GREEN),
        ("On track", GREEN),
        ("Green - on track", GREEN),
        ("Amber", AMBER),
        ("A", AMBER),
        ("amber ", AMBER),
        ("At risk", AMBER),
        ("Red", RED),
        ("R", RED),
        ("Off track", RED),
        ("R (off track)", RED),
        ("Blue", COMPLETE),
        ("B", COMPLETE),
        ("Complete", COMPLETE),
        ("Completed", COMPLETE),
        ("COMPLETED", COMPLETE),
        ("Done", COMPLETE),
        ("Complete (blue)", COMPLETE),
        ("Blue - complete", COMPLETE),
        ("  complete\n", COMPLETE),
        ("", UNKNOWN),
        (None, UNKNOWN),
        ("   ", UNKNOWN),
        ("purple", UNKNOWN),
        ("N/A", UNKNOWN),
        ("Amber/Green", UNKNOWN),
        ("TBC", UNKNOWN),
        ("X", UNKNOWN),
        ('=HYPERLINK("x")', UNKNOWN),
    ],
)
def test_normalise_status(raw, expected):
    assert normalise_status(raw) == expected


@pytest.mark.parametrize(
    "fill, expected",
    [
        # Fills seen in council trackers (Excel's standard palette and common custom shades).
        ("FF00B050", GREEN),
        ("92D050", GREEN),
        ("#00FF00", GREEN),
        ("C6EFCE", GREEN),
        ("70AD47", GREEN),
        ("FFC000", AMBER),
        ("FFFF00", AMBER),
        ("FFEB9C", AMBER),
        ("ED7D31", AMBER),
        ("FF9900", AMBER),
        ("FF0000", RED),
        ("C00000", RED),
        ("FFC7CE", RED),
        ("FF5050", RED),
        ("0070C0", COMPLETE),
        ("00B0F0", COMPLETE),
        ("4472C4", COMPLETE),
        ("9BC2E6", COMPLETE),
        ("FFFFFF", UNKNOWN),
        ("000000", UNKNOWN),
        ("D9D9D9", UNKNOWN),
        ("7030A0", UNKNOWN),
        (None, UNKNOWN),
        ("not a colour", UNKNOWN),
    ],
)
def test_status_from_fill(fill, expected):
    assert status_from_fill(fill) == expected


@pytest.mark.parametrize(
    "raw, due, precision",
    [
        ("31/07/2017", D(2017, 7, 31), "day"),
        ("30.11.16", D(2016, 11, 30), "day"),
        ("1/4/17", D(2017, 4, 1), "day"),
        ("2017-09-30", D(2017, 9, 30), "day"),
        ("30th September 2018", D(2018, 9, 30), "day"),
        ("1st Dec 2016", D(2016, 12, 1), "day"),
        ("March 2017", D(2017, 3, 31), "month"),
        ("Sept 17", D(2017, 9, 30), "month"),
        ("Dec-16", D(2016, 12, 31), "month"),
        ("Feb 2016", D(2016, 2, 29), "month"),
        ("End of June 2017", D(2017, 6, 30), "month"),
        ("end of Sept 2016", D(2016, 9, 30), "month"),
        ("By end of March 2018", D(2018, 3, 31), "month"),
        ("June 2017.", D(2017, 6, 30), "month"),
        ("Q2 2017/18", D(2017, 9, 30), "quarter"),
        ("Q1 2017/18", D(2017, 6, 30), "quarter"),
        ("Q3 2016-17", D(2016, 12, 31), "quarter"),
        ("Q4 2016/17", D(2017, 3, 31), "quarter"),
        ("q4 17/18", D(2018, 3, 31), "quarter"),
        ("2017/18", D(2018, 3, 31), "year"),
        ("2018", D(2018, 12, 31), "year"),
        (dt.datetime(2017, 5, 1, 0, 0), D(2017, 5, 1), "day"),
        (D(2017, 5, 1), D(2017, 5, 1), "day"),
    ],
)
def test_parse_timescale_dates(raw, due, precision):
    ts = parse_timescale(raw)
    assert (ts.due, ts.precision, ts.kind) == (due, precision, "date")
    assert ts.raw is not None  # the raw text is always kept


@pytest.mark.parametrize(
    "raw, kind",
    [
        ("Ongoing", "ongoing"),
        ("on-going", "ongoing"),
        ("ONGOING", "ongoing"),
        ("Business as usual", "ongoing"),
        ("Monthly", "recurring"),
        ("Quarterly", "recurring"),
        ("Annually", "recurring"),
        ("TBC", "tbc"),
        ("n/a", "tbc"),
        ("Complete", "complete"),
        ("Completed", "complete"),
        (None, "blank"),
        ("", "blank"),
        ("  ", "blank"),
        ("31/02/2017", "invalid"),
        ("Q2 2017/19", "invalid"),
        ("13/2017", "invalid"),
        ("whenever", "invalid"),
    ],
)
def test_parse_timescale_undated(raw, kind):
    ts = parse_timescale(raw)
    assert ts.kind == kind
    assert ts.due is None and ts.precision == "none"
    if kind == "invalid":
        assert ts.problem and str(raw) in ts.problem


def test_quarter_labels_and_periods():
    assert quarter_label(D(2017, 9, 30)) == "Q2 2017/18"
    assert quarter_label(D(2017, 3, 31)) == "Q4 2016/17"
    assert parse_period_label("Q3 2016-17") == D(2016, 12, 31)
    assert parse_period_label("Q1 2017-18 review") == D(2017, 6, 30)
    assert parse_period_label("Key") is None


@pytest.mark.parametrize(
    "status, due, revised, as_of, expected",
    [
        (GREEN, D(2017, 3, 31), None, D(2017, 4, 1), True),
        (GREEN, D(2017, 3, 31), None, D(2017, 3, 31), False),  # due today is not yet overdue
        (COMPLETE, D(2017, 3, 31), None, D(2018, 1, 1), False),
        (RED, None, None, D(2030, 1, 1), False),  # Ongoing / undated: never overdue
        (UNKNOWN, D(2017, 1, 1), None, D(2017, 6, 1), True),
        (AMBER, D(2017, 3, 31), D(2017, 9, 30), D(2017, 6, 1), False),  # the revised date replaces the original
        (AMBER, D(2017, 3, 31), D(2017, 5, 31), D(2017, 6, 1), True),
    ],
)
def test_overdue_rule_python_and_sql_agree(status, due, revised, as_of, expected):
    assert is_overdue(status, due, as_of, revised) is expected
    metadata = MetaData()
    t = Table("t", metadata, Column("status", String), Column("due", Date), Column("revised", Date))
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(t).values(status=status, due=due, revised=revised))
        in_sql = conn.execute(select(rules.overdue_sql(t.c.status, t.c.due, t.c.revised, as_of))).scalar()
    assert bool(in_sql) is expected


def test_every_status_has_text_not_just_colour():
    for status in rules.STATUSES:
        style = rules.STATUS_STYLE[status]
        text = status_text(status)
        assert style.label in text and style.letter in text and style.symbol in text


def test_overdue_lag_counts_each_review_the_same_days_after_its_own_date():
    assert rules.overdue_lag_days(dt.date(2018, 4, 14), dt.date(2018, 3, 31)) == 14
    assert rules.overdue_lag_days(dt.date(2018, 3, 31), dt.date(2018, 3, 31)) == 0
    assert rules.overdue_lag_days(dt.date(2018, 1, 1), dt.date(2018, 3, 31)) == 0  # never before the review
    assert rules.overdue_counted_at(dt.date(2017, 12, 31), 14) == dt.date(2018, 1, 14)
    assert rules.overdue_counted_at(dt.date(9999, 12, 1), 100) == dt.date.max  # no overflow


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("31/07", "07-31"), ("31 July", "07-31"), ("31st jul", "07-31"), ("20-12", "12-20"), ("1.4", "04-01"),
     ("29/02", None), ("32/01", None), ("July 31", None), ("", None)],
)  # fmt: skip
def test_a_term_date_as_a_person_types_it(typed, stored):
    from data_access.domain.rules import term_date_from_person

    assert term_date_from_person(typed) == stored
