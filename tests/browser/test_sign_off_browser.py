"""The For sign-off page in Chromium (issue 25): no serious or critical accessibility violation,
and the local editor signs off an action awaiting sign-off with the evidence the board saw
(a server of this test only, so the session's plans stay as seeded)."""

from __future__ import annotations

from board_helpers import plan_named, seed_by_visiting, settled
from playwright.sync_api import expect
from test_accessibility import serious

from data_access.reads import signoff_figures
from data_access.storage.database import make_engine


def test_sign_off_page_signs_off_and_is_accessible(page, fresh_streamlit_server, wait_for_app):
    server = fresh_streamlit_server
    seed_by_visiting(page, server)
    rutland = plan_named(server.database_url, "Rutland")
    latest = rutland.review_ids[-1]
    engine = make_engine(server.database_url)
    try:
        before = signoff_figures.signoff_counts(engine, latest)
        first = next(
            a for a in signoff_figures.complete_actions(engine, latest) if a.completion.endswith("awaiting sign-off")
        )
    finally:
        engine.dispose()
    page.goto(f"{server.url}/sign-off?plan={rutland.plan_id}&as_of=2018-04-14")
    settled(page, wait_for_app)
    expect(page.get_by_role("heading", name="For sign-off")).to_be_visible()
    expect(page.get_by_role("heading", name="Date changes for approval")).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)
    assert not serious(page)

    chooser = page.get_by_label("Actions to sign off")
    chooser.focus()
    page.keyboard.type(f"{first.key}: {first.description}"[:40])  # narrows the list to this action
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.get_by_label("Evidence the board saw").fill("Audit report to the board, April 2018")
    page.get_by_role("button", name="Sign off").click()
    settled(page, wait_for_app)
    expect(page.get_by_text(f"Signed off: {first.key}.")).to_be_visible()
    engine = make_engine(server.database_url)
    try:
        after = signoff_figures.signoff_counts(engine, latest)
    finally:
        engine.dispose()
    assert after == {"signed_off": before["signed_off"] + 1, "awaiting": before["awaiting"] - 1}
