"""Links that cannot be honoured say so (a short notice, the nearest sensible view); filters mean
the same on every page; the overdue page's sort and grouping are kept in the link."""

from __future__ import annotations

import pytest
from page_helpers import html_text, open_page, shown
from streamlit.testing.v1 import AppTest

from tests.fixtures import HEALTH, POLICE, populate_joint
from tests.pages.conftest import APP


def notices(at: AppTest) -> str:
    return " ".join(shown(w.value) for w in at.warning)


def test_unknown_plan_says_so_and_shows_the_plan(app):
    at = app(plan="999")
    assert "The link names action plan '999', which is not stored here; showing Testshire ILACS 2024." in notices(at)
    assert at.sidebar.selectbox(key="plan").value == app.ids["plan"]


def test_unknown_review_says_so_and_shows_the_latest(app):
    at = app(review="999")
    assert "The link names review '999', which is not stored for Testshire ILACS 2024" in notices(at)
    assert "showing its latest review, Q2 2024/25" in notices(at)
    assert at.sidebar.selectbox(key="review").value == app.ids["q2"]


@pytest.mark.parametrize(
    ("as_of", "says", "used"),
    [
        ("0001-01-01", "1 January 1 in the link is before this review's own date", "2024-09-30"),
        ("2024-01-01", "1 January 2024 in the link is before this review's own date", "2024-09-30"),
        ("31/02/2024", "'31/02/2024' in the link is not a date written YYYY-MM-DD", None),
        ("9999-12-31", "later than 31 December 2099", None),
    ],
)
def test_as_of_that_cannot_be_used_says_so(app, as_of, says, used):
    at = app(as_of=as_of)
    assert not at.exception and not at.error
    assert says in notices(at)
    value = str(at.sidebar.date_input(key="as_of").value)
    assert value == used if used else value >= "2024-09-30"
    assert at.query_params["as_of"] in (value, [value])  # the link now says what is shown


def test_a_good_link_has_no_notice(app):
    at = app(review=str(app.ids["q1"]), as_of="2024-07-01")
    assert not at.warning


def test_notice_shows_once_then_the_corrected_link_is_quiet(app):
    at = app(as_of="nonsense")
    assert at.warning
    at.run()
    assert not at.warning


def test_unknown_action_gives_a_notice_not_an_error(app):
    at = app("pages/action.py", action="99999999999999999999")
    assert not at.exception and not at.error
    assert "The link names action '99999999999999999999', which is not an action in Testshire ILACS 2024" in notices(at)
    at = app("pages/action.py", action="999999")
    assert "not an action in Testshire ILACS 2024" in notices(at)


def test_action_history_says_the_revised_date_and_what_the_tracker_first_said(app):
    at = app("pages/action.py", action=str(app.ids["actions"]["2.2"]))
    page = html_text(at)
    # Q1: 'Ongoing' (no date); Q2: 'Q2 2024/25' revised to 31/12/2024.
    assert "Due: No date (tracker: “Ongoing”)" in page
    assert "Due: 31 Dec 2024 (revised; tracker: “Q2 2024/25”)" in page


# --- filters --------------------------------------------------------------------------------------


def test_recommendations_honour_lead_and_status(app):
    at = app("pages/recommendations.py", lead="Principal SW")
    page = html_text(at)
    assert "Recommendation 2 " in page and "Recommendation 1 " not in page and "Recommendation 10 " not in page
    said = " ".join(shown(i.value) for i in at.info)
    assert "Filtered to lead Principal SW: showing the 1 recommendation with at least one matching action" in said
    assert "2 of its 2 actions match the filters." in [c.value for c in at.caption]
    at = app("pages/recommendations.py", status="red")
    page = html_text(at)
    assert "Recommendation 10 " in page and "Recommendation 1 " not in page  # only 10.1 is red


def test_overdue_sort_and_grouping_are_kept_in_the_link(app):
    at = app("pages/overdue.py", sort="days", group="none")
    assert at.radio(key="overdue_sort").value == "days"
    assert at.toggle(key="overdue_grouped").value is False
    assert at.query_params["sort"] in ("days", ["days"]) and at.query_params["group"] in ("none", ["none"])
    at.radio(key="overdue_sort").set_value("due").run()
    assert at.query_params["sort"] in ("due", ["due"])
    at.radio(key="overdue_sort").set_value("plan").run()
    assert "sort" not in at.query_params  # the default is not written


@pytest.fixture
def joint(app_database):
    return app_database(populate_joint, "joint.db")


def run(page: str | None = None, **params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    params.setdefault("as_of", "2024-10-14")
    for key, value in params.items():
        at.query_params[key] = value
    open_page(at, page)
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_partner_agency_is_a_column_and_a_filter(joint):
    at = run("pages/actions.py")
    page = html_text(at)
    assert '<th scope="col">Partner</th>' in page and POLICE in page and HEALTH in page
    at = run("pages/actions.py", partner=POLICE)
    assert at.selectbox(key="partner").value == POLICE
    page = html_text(at)
    assert "Share police notifications daily" in page and "Health visitor" not in page
    assert "partner Testshire Police" in " ".join(shown(c.value) for c in at.caption)
    at = run("pages/overdue.py", partner=HEALTH)
    assert at.metric[0].value == "0"
    at = run("pages/overdue.py", partner=POLICE)
    assert at.metric[0].value == "1" and '<th scope="col">Partner</th>' in html_text(at)
    at = run("pages/recommendations.py", partner=HEALTH)
    assert "Recommendation a " in html_text(at) and "Recommendation b " not in html_text(at)


def test_no_partner_filter_for_a_plan_without_agencies(app):
    at = app("pages/actions.py")
    assert not [s for s in at.selectbox if s.key == "partner"]
    assert '<th scope="col">Partner</th>' not in html_text(at)
