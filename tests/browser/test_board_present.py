"""Presentation mode in a real browser: steps through Overview -> each recommendation -> Overdue,
auto-advances, projector-size text, and screenshots at 1920x1080 and 1280x720."""

from __future__ import annotations

from pathlib import Path

import pytest
from board_helpers import SLIDE, query_of, settled
from playwright.sync_api import expect

SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


def slide(page) -> tuple[int, int, str]:
    text = page.get_by_text(SLIDE).first.inner_text()
    number, total, title = SLIDE.search(text).groups()
    return int(number), int(total), title


def test_presentation_steps_through_the_slides(page, streamlit_server, plan, wait_for_app):
    page.goto(f"{streamlit_server.url}/?plan={plan.plan_id}&present=1&as_of=2018-07-14")
    settled(page, wait_for_app)
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()
    number, total, title = slide(page)
    assert (number, title) == (1, "Overview") and total == len(plan.rec_refs) + 2
    seen = [title]
    for _ in range(total - 1):
        page.get_by_text("Next ›").first.click()
        settled(page, wait_for_app)
        seen.append(slide(page)[2])
        params = query_of(page.url)
        assert params["present"] == ["1"] and params["plan"] == [str(plan.plan_id)]
    assert seen == ["Overview", *(f"Recommendation {r}" for r in plan.rec_refs), "Overdue actions"]
    assert page.url.split("?")[0].endswith("/overdue") and "rec" not in query_of(page.url)
    expect(page.get_by_text("Next ›")).to_have_count(0)
    page.get_by_text("‹ Previous").first.click()
    settled(page, wait_for_app)
    assert slide(page)[2] == f"Recommendation {plan.rec_refs[-1]}"
    assert query_of(page.url)["rec"] == [plan.rec_refs[-1]]
    expect(page.get_by_role("heading", name=f"Recommendation {plan.rec_refs[-1]}").first).to_be_visible()
    page.get_by_role("button", name="Exit").click()
    settled(page, wait_for_app)
    expect(page.get_by_test_id("stSidebar")).to_be_visible()
    assert "present" not in query_of(page.url)
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_auto_advance(page, streamlit_server, plan, wait_for_app):
    page.goto(f"{streamlit_server.url}/?plan={plan.plan_id}&present=1")
    settled(page, wait_for_app)
    page.get_by_role("combobox").first.click()
    page.get_by_role("option", name="Advance every 10 s").click()
    expect(page.get_by_text(SLIDE).first).to_contain_text("Slide 2 of", timeout=30_000)
    assert page.url.split("?")[0].endswith("/recommendations")


def test_high_contrast_variant(page, streamlit_server, plan, wait_for_app):
    page.goto(f"{streamlit_server.url}/?plan={plan.plan_id}&present=1&contrast=high")
    settled(page, wait_for_app)
    background = page.evaluate("getComputedStyle(document.querySelector('.stApp')).backgroundColor")
    colour = page.evaluate("getComputedStyle(document.querySelector('h1')).color")
    assert background == "rgb(0, 0, 0)" and colour == "rgb(255, 255, 255)"


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (1280, 720)])
def test_overview_screenshot_in_presentation_mode(page, streamlit_server, plan, wait_for_app, width, height):
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{streamlit_server.url}/?plan={plan.plan_id}&present=1")
    settled(page, wait_for_app)
    expect(page.get_by_test_id("stPlotlyChart").first).to_be_visible()
    root_px = float(page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)"))
    # About 24 pt (32 px) on a 1920-wide projector; never below 20 px on a small one.
    assert root_px >= (31.5 if width >= 1920 else 20)
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"overview-present-{width}x{height}.png"
    page.screenshot(path=str(path))
    assert path.stat().st_size > 10_000
