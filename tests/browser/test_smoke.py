"""Smoke: the app starts against an empty database, seeds itself and renders its shell."""

from playwright.sync_api import expect


def test_home_page_renders_the_app_shell(page, streamlit_server, wait_for_app, screenshot):
    page.goto(streamlit_server.url + "/")
    expect(page.get_by_text("Improvement Board").first).to_be_visible(timeout=60_000)
    wait_for_app(page)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    screenshot(page, "home")
