"""Automated accessibility check (axe-core via axe-playwright-python): no serious or critical
violation on every page, and on every kind of slide in presentation and high-contrast modes."""

from __future__ import annotations

import datetime as dt

import pytest
from axe_playwright_python.sync_playwright import Axe
from board_helpers import open_every_expander, plan_named, seed_by_visiting, settled
from playwright.sync_api import expect

from data_access.reads import review_figures
from data_access.storage.database import make_engine


def serious(page) -> list:
    results = Axe().run(page)
    return [
        (v["id"], v["impact"], v["help"], [n["target"] for n in v["nodes"]][:5])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.fixture
def rutland(page, streamlit_server):
    seed_by_visiting(page, streamlit_server)
    return plan_named(streamlit_server.database_url, "Rutland")


@pytest.mark.parametrize(
    "path",
    [
        *("/overview", "/recommendations", "/overdue", "/actions", "/action", "/trends", "/upload"),
        # Trends' other parts (issue 27: one tab at a time; measures are checked in test_measures_browser.py)
        *(f"/trends?section={s}" for s in ("overdue", "decisions", "compare", "forecast")),
    ],
)
def test_every_page_has_no_serious_or_critical_violations(page, streamlit_server, rutland, wait_for_app, path):
    query = f"plan={rutland.plan_id}&as_of=2018-04-14"
    if path == "/action":
        engine = make_engine(streamlit_server.database_url)
        actions = review_figures.review_actions(engine, rutland.review_ids[-1], dt.date(2018, 4, 14))
        engine.dispose()
        query += f"&action={int(actions['action_id'].iloc[0])}"
    joiner = "&" if "?" in path else "?"
    page.goto(f"{streamlit_server.url}{path}{joiner}{query}&status=red&status=amber")  # filter chips drawn too
    settled(page, wait_for_app)
    if path == "/overview":  # the chart's text alternative is checked too
        open_every_expander(page, wait_for_app)  # drawn on demand (issue 27): the click reruns the page
        expect(page.get_by_text("Actions by status and recommendation", exact=False).first).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)
    assert not serious(page)


# One slide of each kind (the recommendations page with its rec, the overview's part 4 is "Since
# the last review" for this plan, and so on), in the light and the high-contrast presentation.
SLIDES = {
    "overview": "/overview?part=1",
    "changes": "/overview?part=4",
    "recommendation": "/recommendations?rec=c&part=1",
    "overdue": "/overdue?part=1",
    "challenge": "/overdue?part=4",  # after three slides of overdue actions at projector text size
    "mix": "/trends?part=1",
    "direction": "/trends?part=2",
    "signoff": "/sign-off?part=1",  # Rutland: 14 complete actions awaiting sign-off on three slides
    "date_changes": "/sign-off?part=4",  # ...then its two dates moved without approval
}


@pytest.mark.parametrize("contrast", ["", "&contrast=high"], ids=["presenting", "high-contrast"])
@pytest.mark.parametrize("kind", list(SLIDES))
def test_every_slide_kind_has_no_serious_or_critical_violations(
    page, streamlit_server, rutland, wait_for_app, kind, contrast
):
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(f"{streamlit_server.url}{SLIDES[kind]}&plan={rutland.plan_id}&as_of=2018-04-14&present=1{contrast}")
    settled(page, wait_for_app)
    title = page.get_by_text("Slide ", exact=False).first.inner_text()
    expected = {
        "overview": "Overview",
        "changes": "Since the last review",
        "recommendation": "Recommendation c",
        "overdue": "Overdue actions",
        "challenge": "Challenge",
        "mix": "Status mix",
        "direction": "Direction of travel",
        "signoff": "For sign-off",
        "date_changes": "Date changes for approval",
    }[kind]
    assert expected in title.replace("\u2060", ""), title
    assert not serious(page)
