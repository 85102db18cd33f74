"""Automated accessibility check (axe-core via axe-playwright-python): no serious or critical
violations on the overview, in normal and in presentation mode."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from board_helpers import settled, wait_for_seed
from playwright.sync_api import expect


@pytest.mark.parametrize("query", ["", "present=1", "present=1&contrast=high"])
def test_overview_has_no_serious_or_critical_violations(page, streamlit_server, wait_for_app, query):
    page.goto(streamlit_server.url + "/")
    wait_for_seed(streamlit_server.database_url)
    page.goto(f"{streamlit_server.url}/?{query}")
    settled(page, wait_for_app)
    page.locator("summary", has_text="Show as table").click()  # the chart's text alternative, checked too
    # Opening an expander is drawn in the browser without a rerun: wait for the table itself.
    expect(page.get_by_text("Actions by status and recommendation", exact=False).first).to_be_visible()
    results = Axe().run(page)
    bad = [
        (v["id"], v["impact"], v["help"], [n["target"] for n in v["nodes"]][:5])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, bad
