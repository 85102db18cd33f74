"""Plan settings: the board's meeting dates, and the sidebar's "Overdue as at" that starts at the
next meeting after the review (data_access.domain.meetings.default_as_of)."""

from __future__ import annotations

import datetime as dt

from page_helpers import open_page, shown
from streamlit.testing.v1 import AppTest

from data_access.domain.clock import london_today
from data_access.reads import board_meetings
from data_access.storage import audit_trail, plan_admin
from data_access.storage.database import make_engine
from tests.fixtures import BOARD_Q2
from tests.pages.conftest import APP


def _meeting_dates_box(at):
    return next(t for t in at.text_area if t.label == "Meeting dates")


def _save(at):
    next(b for b in at.button if b.label == "Save meeting dates").click().run()
    assert not at.exception, [e.value for e in at.exception]


def test_an_editor_records_the_boards_meeting_dates(app):
    at = app("pages/plan_settings.py")
    engine = make_engine(app.ids["url"])
    _meeting_dates_box(at).input("14/10/2024\n\n 9 December 2024 \n2024-10-14\n")  # a blank line, a repeat
    _save(at)
    assert shown(at.success[0].value) == "Saved the meeting dates: 2 dates added, 0 dates removed."
    assert board_meetings.meeting_dates(engine, app.ids["plan"]) == [dt.date(2024, 10, 14), dt.date(2024, 12, 9)]
    assert _meeting_dates_box(at).value == "14/10/2024\n09/12/2024"  # shown back, one a line, day first
    (row,) = audit_trail.trail(engine, actions=[audit_trail.PLAN_SETTINGS]).itertuples()
    assert row.plan_id == app.ids["plan"]


def test_a_bad_meeting_date_is_named_by_its_line_and_nothing_is_saved(app):
    at = app("pages/plan_settings.py")
    _meeting_dates_box(at).input("14/10/2024\nDecember 2024\n")
    _save(at)
    assert shown(at.error[0].value) == (
        'The meeting dates were not saved. Line 2, "December 2024", is not a single day: write one date a line, '
        "day first, e.g. 14/07/2018."
    )
    assert board_meetings.meeting_dates(make_engine(app.ids["url"]), app.ids["plan"]) == []
    _meeting_dates_box(at).input("31/02/2025")
    _save(at)
    assert 'Line 1, "31/02/2025", is not a real date.' in shown(at.error[0].value)


def _sidebar_as_of(ids) -> dt.date:
    """Open the overview as a link without as_of does; the sidebar's 'Overdue as at'."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["review"] = str(ids["q2"])
    open_page(at, None)
    assert not at.exception, [e.value for e in at.exception]
    return at.sidebar.date_input(key="as_of").value


def test_the_sidebar_starts_at_the_next_meeting_after_the_review(board_db):
    engine = make_engine(board_db["url"])
    assert _sidebar_as_of(board_db) == max(london_today(), BOARD_Q2)  # no meetings recorded: today
    # Meetings before the review, on a later day and further on: the first on or after Q2 (30 Sep 2024).
    meetings = [dt.date(2024, 9, 1), dt.date(2024, 10, 14), dt.date(2024, 11, 11)]
    plan_admin.set_meeting_dates(engine, board_db["plan"], meetings, actor="test")
    assert _sidebar_as_of(board_db) == dt.date(2024, 10, 14)
    # A meeting on the review's own date is the one.
    plan_admin.set_meeting_dates(engine, board_db["plan"], [BOARD_Q2, dt.date(2024, 10, 14)], actor="test")
    assert _sidebar_as_of(board_db) == BOARD_Q2


def test_an_editor_sets_which_way_is_better_for_a_measure(app):
    """The setting the upload preview and the command line's import use for a measure whose file
    does not say; no direction is chosen for the editor."""
    from data_access.storage.measure_directions import plan_directions

    at = app("pages/plan_settings.py")
    engine = make_engine(app.ids["url"])
    next(t for t in at.text_input if t.label.startswith("Measure (")).input("Re-referrals")
    radio = next(r for r in at.radio if r.label == "Which way is better")
    assert radio.value is None
    next(b for b in at.button if b.label == "Save the direction").click().run()
    assert shown(at.error[0].value) == "Choose higher or lower is better (or remove the setting), then save."
    assert plan_directions(engine, app.ids["plan"]) == {}
    next(r for r in at.radio if r.label == "Which way is better").set_value("lower")
    next(b for b in at.button if b.label == "Save the direction").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert shown(at.success[0].value) == "'Re-referrals': lower is better."
    assert plan_directions(engine, app.ids["plan"]) == {"Re-referrals": "lower"}
    shown_table = next(d.value for d in at.dataframe if "Measure" in d.value.columns)
    assert list(shown_table["Better"]) == ["lower is better"]
    engine.dispose()
