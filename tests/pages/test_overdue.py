"""Overdue page: grouped by recommendation, days overdue, totals, green-but-overdue challenge list."""

from __future__ import annotations

from page_helpers import html_text

from data_access.reads import board
from data_access.storage.database import make_engine
from tests.fixtures import MEETING


def test_overdue_equals_the_query(app):
    at = app("pages/overdue.py")
    expected = board.overdue_actions(make_engine(app.ids["url"]), app.ids["q2"], MEETING)
    assert at.metric[0].value == str(len(expected)) == "2"
    page = html_text(at)
    assert "Overdue actions for recommendation 1" in page and "Overdue actions for recommendation 10" in page
    assert "Overdue actions for recommendation 2" not in page
    for row in expected.itertuples():
        assert f">{row.days_overdue}</td>" in page
    assert "31 Aug 2024 (tracker: “Aug 2024”)" in page  # the date, and the tracker's words it was read from
    assert "Overdue per recommendation" in page and "Overdue per lead" in page
    assert "<caption>Green but overdue</caption>" in page


def test_green_but_overdue_list(app):
    at = app("pages/overdue.py")
    page = html_text(at)
    challenge = page[page.index("<caption>Green but overdue</caption>") :]
    assert "Audit thresholds" in challenge and "Lodgings" not in challenge


def test_filters_from_the_url(app):
    at = app("pages/overdue.py", lead="Principal SW")
    assert at.metric[0].value == "0"
    assert any("No overdue actions" in s.value for s in at.success)
    at = app("pages/overdue.py", rec="10")
    assert at.metric[0].value == "1"


def test_sort_and_ungroup(app):
    at = app("pages/overdue.py")
    at.radio(key="overdue_sort").set_value("days").run()
    at.toggle(key="overdue_grouped").set_value(False).run()
    assert not at.exception
    page = html_text(at)
    table = page[page.index("<caption>Overdue actions</caption>") :]
    assert table.index("Audit thresholds") < table.index("Lodgings")  # 75 days before 44


def test_a_date_moved_without_approval_says_so(app):
    """Issue 25: 1.1's due date moved later with nobody approving it: the overdue list says so in
    words (never colour alone); 10.1's date never moved."""
    from tests.fixtures import record_board_date_changes

    record_board_date_changes(make_engine(app.ids["url"]), app.ids)
    page = html_text(app("pages/overdue.py"))
    assert page.count("moved without approval") == 2  # 1.1 in the overdue list and in the challenge list
    row = page[page.index("Audit thresholds") :]
    assert "31 Jul 2024 — moved without approval" in row[: row.index("</tr>")]
    lodgings = page[page.index("Lodgings") :]
    assert "moved without approval" not in lodgings[: lodgings.index("</tr>")]
