"""Deep links and navigation in a real browser: filters in the URL restore the view, switching
page in the sidebar keeps them, and the very first request to a fresh server renders in the frame."""

from __future__ import annotations

import re

import pytest
from board_helpers import query_of, settled
from playwright.sync_api import expect


def test_deep_link_with_filters_restores_them(page, streamlit_server, plan, wait_for_app):
    review, rec = plan.review_ids[1], plan.rec_refs[0]
    page.goto(
        f"{streamlit_server.url}/overdue?plan={plan.plan_id}&review={review}&as_of=2030-01-31"
        f"&rec={rec}&status=green&status=amber"
    )
    settled(page, wait_for_app)
    sidebar = page.get_by_test_id("stSidebar")
    assert sidebar.get_by_role("combobox", name="Action plan").input_value() == plan.name
    assert sidebar.get_by_role("combobox", name="Review").input_value().startswith(plan.review_labels[1] + " ")
    assert sidebar.get_by_role("combobox", name="Recommendation").input_value() == f"Recommendation {rec}"
    expect(page.get_by_text(f"Filtered to recommendation {rec}", exact=False)).to_be_visible()
    expect(page.get_by_text("31 January 2030", exact=False).first).to_be_visible()
    params = query_of(page.url)
    assert params["review"] == [str(review)] and params["rec"] == [rec]
    assert sorted(params["status"]) == ["amber", "green"] and params["as_of"] == ["2030-01-31"]


def test_sidebar_navigation_keeps_the_parameters(page, streamlit_server, plan, wait_for_app):
    """Every control survives a click in the sidebar's navigation (Streamlit keeps the frame's
    widgets, drawn before st.navigation, from page to page), from a link to / as shared links
    usually are, and a value changed on one page is the next page's too."""
    review, rec = plan.review_ids[1], plan.rec_refs[0]
    page.goto(
        f"{streamlit_server.url}/?plan={plan.plan_id}&review={review}&as_of=2030-01-31&rec={rec}"
        "&status=green&status=amber"
    )
    settled(page, wait_for_app)
    nav = page.get_by_test_id("stSidebarNav")
    for title, path in (("All actions", "/actions"), ("Recommendations", "/recommendations"), ("Overview", "/")):
        nav.get_by_text(title, exact=True).click()
        settled(page, wait_for_app)
        params = query_of(page.url)
        assert page.url.split("?")[0].endswith(path) or path == "/", page.url
        assert params.get("plan") == [str(plan.plan_id)] and params.get("review") == [str(review)], page.url
        assert params.get("rec") == [rec] and params.get("as_of") == ["2030-01-31"], page.url
        assert sorted(params.get("status", [])) == ["amber", "green"], page.url
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_role("combobox", name="Review").click()
    page.get_by_role("option", name=plan.review_labels[0], exact=False).click()
    settled(page, wait_for_app)
    nav.get_by_text("Overdue actions", exact=True).click()
    settled(page, wait_for_app)
    assert query_of(page.url).get("review") == [str(plan.review_ids[0])], page.url
    assert sidebar.get_by_role("combobox", name="Review").input_value().startswith(plan.review_labels[0] + " ")
    assert query_of(page.url).get("as_of") == ["2030-01-31"], page.url
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_changing_a_control_updates_the_url(page, streamlit_server, plan, wait_for_app):
    page.goto(f"{streamlit_server.url}/actions?plan={plan.plan_id}")
    settled(page, wait_for_app)
    # The address bar follows the run's query string as the browser applies it: wait for it.
    expect(page).to_have_url(re.compile(rf"[?&]review={plan.review_ids[-1]}(&|$)"))  # default: the latest
    page.get_by_test_id("stSidebar").get_by_role("combobox", name="Review").click()
    page.get_by_role("option", name=plan.review_labels[0], exact=False).click()
    settled(page, wait_for_app)
    expect(page).to_have_url(re.compile(rf"[?&]review={plan.review_ids[0]}(&|$)"))


@pytest.mark.parametrize(("path", "title"), [("/overdue", "Overdue actions"), ("/recommendations", "Recommendations")])
def test_first_request_deep_link_renders_in_the_frame(page, fresh_streamlit_server, wait_for_app, path, title):
    """A never-touched server: the first request is a deep link (the pages/ auto-discovery hazard)."""
    page.goto(fresh_streamlit_server.url + path)
    expect(page.get_by_role("heading", name=title).first).to_be_visible(timeout=90_000)
    settled(page, wait_for_app)
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_text("Action plan")).to_be_visible()
    expect(sidebar.get_by_text("Overdue as at")).to_be_visible()
    nav = page.get_by_test_id("stSidebarNav")
    for name in ("Overview", "Recommendations", "Overdue actions", "All actions", "Trends"):
        expect(nav.get_by_text(name, exact=True)).to_be_visible()
    labels = [t.strip() for t in nav.get_by_role("link").locator("p").all_inner_texts()]
    menu = [
        "Overview",
        "Recommendations",
        "Overdue actions",
        "All actions",
        "Trends",
        "For sign-off",
        "Board pack",
        "Portfolio",
        "My actions",
    ]
    assert labels == [
        *menu,
        "Update round",
        "Upload a tracker",
        "Audit trail",
        "Plan settings",
    ]  # local mode: the local user is an admin
    expect(page.get_by_test_id("stException")).to_have_count(0)
    assert page.url.split("?")[0].endswith(path)
