"""Action history: full text, lead, measure, and a timeline showing the due date moving."""

from __future__ import annotations

from page_helpers import html_text, shown


def test_history_timeline(app):
    at = app("pages/action.py", action=str(app.ids["actions"]["1.1"]))
    assert shown(at.title[0].value) == "Action 1.1"
    page = html_text(at)
    assert "Head of MASH" in page and "Measure for 1.1" in page
    assert page.index("Q1 2024/25") < page.index("Q2 2024/25")
    assert "moved from 30 Jun 2024" in page
    assert "Audit booked" in page and "Audit under way" in page


def test_escaped_and_unknown_action(app):
    at = app("pages/action.py", action=str(app.ids["actions"]["10.2"]))
    page = html_text(at)
    assert "&lt;script&gt;" in page and "<script>" not in page
    at = app("pages/action.py", action="999999")
    assert at.title[0].value == "Action history"
    assert at.info
