"""The overview opened by a deep link in a real browser shows the plan's title and the KPI figures
the queries give."""

from __future__ import annotations

import datetime as dt

from board_helpers import query_of, settled
from playwright.sync_api import expect

from data_access.reads import catalogue, review_figures
from data_access.storage.database import make_engine


def test_overview_deep_link_shows_title_and_kpis(page, streamlit_server, plan, wait_for_app, screenshot):
    review_id = plan.review_ids[-2]
    engine = make_engine(streamlit_server.database_url)
    # A fortnight after that review's own date (an earlier 'overdue as at' is moved up to it).
    as_of = catalogue.list_reviews(engine, plan.plan_id).set_index("id").loc[review_id, "as_at"] + dt.timedelta(days=15)
    kpis = review_figures.review_kpis(engine, review_id, as_of)
    engine.dispose()

    page.goto(f"{streamlit_server.url}/overview?plan={plan.plan_id}&review={review_id}&as_of={as_of}")
    settled(page, wait_for_app)
    expect(page.get_by_role("heading", name=plan.name)).to_be_visible()
    # The run's end can reach the test before the browser has drawn every element of it.
    for label in ("Actions", "Complete", "Overdue"):
        expect(page.get_by_test_id("stMetricLabel").filter(has_text=label)).to_be_visible()
    metrics = {
        label.strip(): value.strip()
        for label, value in zip(
            page.get_by_test_id("stMetricLabel").all_inner_texts(),
            page.get_by_test_id("stMetricValue").all_inner_texts(),
            strict=True,
        )
    }
    assert metrics["Actions"] == str(kpis.actions)
    assert metrics["Complete"] == f"{kpis.pct_complete}%"
    assert metrics["✖ Red"] == str(kpis.red)
    assert metrics["Overdue"] == str(kpis.overdue)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    screenshot(page, "overview")


def test_a_bar_segment_shows_its_count_on_hover_and_opens_its_actions(page, streamlit_server, plan, wait_for_app):
    """RAG by recommendation is HTML (issue 27): each segment a link to its actions, as the Plotly
    chart's click was; its value on hover (a title) and in its accessible name, in words."""
    page.goto(f"{streamlit_server.url}/overview?plan={plan.plan_id}&review={plan.review_ids[-1]}&as_of=2018-07-14")
    settled(page, wait_for_app)
    expect(page.get_by_test_id("stPlotlyChart")).to_have_count(0)
    segment = page.locator(".status-bars a.sb-seg").first
    expect(segment).to_be_visible()
    title = segment.get_attribute("title")
    name = segment.evaluate("(a) => a.textContent")
    count = title.rsplit(": ", 1)[1].split(" ", 1)[0]
    assert count.isdigit() and f": {count} " in name  # e.g. "1 · Ensure…: 3 Complete" / "✔B 3 Complete: 3 in 1 · …"
    href = segment.get_attribute("href")
    segment.click()
    settled(page, wait_for_app)
    expect(page.get_by_role("heading", name="All actions")).to_be_visible()
    assert (
        query_of(page.url)["rec"] == query_of(href)["rec"] and query_of(page.url)["status"] == query_of(href)["status"]
    )
