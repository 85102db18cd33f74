"""Measures of success in the browser, on the North Tyneside sample plan (its tracker has a
'Measures of success' sheet): the "Measures of success" slides fit the projector at 1280×720 and
1024×768 and have no serious or critical axe violation (light and high contrast), and the trends
page draws each measure against its target with its values as a table."""

from __future__ import annotations

import pytest
from board_helpers import SLIDE, SLIDE_EXTENT_JS, plan_named, seed_by_visiting, settled
from playwright.sync_api import expect
from test_accessibility import serious

from data_access.reads import measures
from data_access.storage.database import make_engine

PLAN = "North Tyneside"


def _measure_names(database_url: str, plan_id: int) -> list[str]:
    engine = make_engine(database_url)
    try:
        return [m.name for m in measures.plan_measures(engine, plan_id)]
    finally:
        engine.dispose()


@pytest.mark.parametrize(("width", "height"), [(1280, 720), (1024, 768)])
def test_measures_slides_fit_the_screen_and_are_axe_clean(page, streamlit_server, wait_for_app, width, height):
    seed_by_visiting(page, streamlit_server)
    plan = plan_named(streamlit_server.database_url, PLAN)
    names = _measure_names(streamlit_server.database_url, plan.plan_id)
    assert names, "the sample plan has measures of success"
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{streamlit_server.url}/trends?plan={plan.plan_id}&present=1&part=1")
    settled(page, wait_for_app)
    seen: list[str] = []
    for _ in range(20):  # the measures' slides are the deck's last: step to the end
        title = SLIDE.search(page.get_by_text(SLIDE).first.inner_text().replace("\u2060", "")).group(3)
        if title.startswith("Measures of success"):
            extent = page.evaluate(SLIDE_EXTENT_JS)
            assert max(extent["scroll"], extent["bottom"]) <= height, (title, extent)
            seen.append(page.locator("table.slide-table tbody").inner_text())
            if len(seen) == 1:
                first_slide = page.url
                assert not serious(page)
        following = page.locator(".st-key-slide_next a")
        if not following.count():
            break
        following.first.click()
        settled(page, wait_for_app)
    shown = "\n".join(seen)
    assert all(name in shown for name in names)  # every measure is on a slide
    assert any(word in shown for word in ("Met", "Not met", "No data"))  # status as a word
    if width == 1280:  # the high-contrast variant of the first measures slide
        page.goto(f"{first_slide}&contrast=high")
        settled(page, wait_for_app)
        assert "Measures of success" in page.get_by_text(SLIDE).first.inner_text()
        assert not serious(page)


def test_trends_page_draws_each_measure_against_its_target(page, streamlit_server, wait_for_app):
    seed_by_visiting(page, streamlit_server)
    plan = plan_named(streamlit_server.database_url, PLAN)
    names = _measure_names(streamlit_server.database_url, plan.plan_id)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{streamlit_server.url}/trends?plan={plan.plan_id}")
    settled(page, wait_for_app)
    page.get_by_role("tab", name="Measures of success").click()  # one part of the page at a time (issue 27)
    settled(page, wait_for_app)
    expect(page.get_by_role("heading", name="Measures of success against their targets")).to_be_visible()
    first = page.locator(".js-plotly-plot", has_text=names[0]).first
    first.scroll_into_view_if_needed()
    expect(first.locator(".legendtext", has_text="Target")).to_have_count(1)
    page.locator("details summary", has_text=f"Values of {names[0]}").click()
    settled(page, wait_for_app)
    expect(page.locator("table caption", has_text=f"{names[0]}: each period's value against its target")).to_have_count(
        1
    )
    assert not serious(page)
