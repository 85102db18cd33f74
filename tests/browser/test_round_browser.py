"""A lead updates their action on My actions (issue 26) in Chromium, on a phone (390×844: no
sideways scrolling, one form) and on a desktop. Local mode tries the lead role through
BOARD_LOCAL_GROUPS and BOARD_ROLE_GROUPS, as docs/sign-in.md describes; the plan's lead mapping
names the group for the Designated Nurse's action (tests/fixtures.populate_joint). Then a partner
agency signs in through the OpenID provider mock the sign-in test uses, its token's groups claim
mapped by BOARD_ROLE_GROUPS: it sees only its organisation's actions, and no editor's page."""

from __future__ import annotations

import datetime as dt
import secrets

import pytest
from axe_playwright_python.sync_playwright import Axe
from board_helpers import settled
from playwright.sync_api import expect
from test_auth_browser import _free_port, _local_only, mock_provider

from data_access.domain.permissions import EDITOR, Person
from data_access.reads import round_progress
from data_access.storage import update_rounds
from data_access.storage.database import make_engine, upgrade
from tests.fixtures import populate_joint

PLAN = "Testshire JTAI 2024"
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
NO_SIDEWAYS_SCROLL_JS = "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1"


def _prepare(tmp_path) -> tuple[str, int]:
    """The database start_app will use (its first server's folder), with the joint plan and a round open."""
    folder = tmp_path / "streamlit-0"
    folder.mkdir(parents=True)
    url = f"sqlite:///{folder / 'board.db'}"
    engine = make_engine(url)
    try:
        upgrade(engine)
        ids = populate_joint(engine)
        editor = Person("ed@council.example", EDITOR)
        update_rounds.set_lead_identities(
            engine, plan_name=PLAN, mapping={"Designated Nurse": ["nurse-leads"]}, person=editor
        )
        update_rounds.open_round(
            engine, plan_name=PLAN, as_at=dt.date(2024, 10, 31), deadline=dt.date(2024, 10, 24), person=editor
        )
    finally:
        engine.dispose()
    return url, ids["plan"]


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_a_lead_updates_their_action(page, start_app, tmp_path, wait_for_app, size):
    url, plan_id = _prepare(tmp_path)
    server = start_app(env={"BOARD_LOCAL_GROUPS": "nurse-leads", "BOARD_ROLE_GROUPS": "nurse-leads=lead"})
    assert server.database_url == url
    page.set_viewport_size(SIZES[size])
    # A fresh server's first request is best at / (a deep link to a page whose address is not its
    # file's name meets Streamlit's "Page not found" notice on a server's very first run).
    page.goto(f"{server.url}/")
    settled(page, wait_for_app)
    page.goto(f"{server.url}/my-actions?plan={plan_id}")
    settled(page, wait_for_app)
    expect(page.get_by_role("heading", name="My actions")).to_be_visible()
    expect(page.get_by_text("1 action to update, 1 not updated yet in this round.")).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)

    page.get_by_role("combobox", name="Status in this round").click()
    page.get_by_role("option", name="▲ A At risk").click()
    page.get_by_label("Progress note").fill("Health visitors attend <b>most</b> meetings")
    page.get_by_role("button", name="Save update").click()
    settled(page, wait_for_app)
    expect(page.get_by_text("needs a mitigation")).to_be_visible()  # amber needs a mitigation
    page.get_by_label("Mitigation (needed when the status is At risk or Off track)").fill("Cover from the ICB")
    page.get_by_label("What we need from the board").fill("Agree the cover rota")
    page.get_by_role("button", name="Save update").click()
    settled(page, wait_for_app)
    expect(page.get_by_text("Saved your update of 1.2.")).to_be_visible()
    assert page.evaluate(NO_SIDEWAYS_SCROLL_JS), f"the page scrolls sideways at {SIZES[size]}"
    # axe-core on the page's own content: no serious or critical violation. (The sidebar's plan
    # selector is disabled when there is only one plan, as here, and axe flags its dimmed label;
    # that is the shared controls', checked with the sample plans in test_accessibility.py.)
    found = Axe().run(page, context="[data-testid='stMain']").response["violations"]
    assert not [(v["id"], v["help"]) for v in found if v["impact"] in ("serious", "critical")]

    engine = make_engine(url)
    try:
        info = round_progress.open_round(engine, plan_id)
        (action,) = [a for a in round_progress.round_actions(engine, info) if a.key == "1.2"]
    finally:
        engine.dispose()
    assert action.update.updated_by == "local user" and action.update.fields.status == "amber"
    assert action.update.fields.progress == "Health visitors attend <b>most</b> meetings"
    assert (action.update.fields.mitigation, action.update.fields.board_ask) == (
        "Cover from the ICB",
        "Agree the cover rota",
    )


# --- a partner agency signed in through the provider mock the sign-in test uses ----------------

PARTNER = {"pc": {"email": "pc@police.example", "email_verified": True, "groups": ["police-partners"]}}


@pytest.fixture
def partner_provider(tmp_path, unavailable):
    """oidc-provider-mock with one user whose token carries the groups claim `police-partners`."""
    yield from mock_provider(tmp_path, unavailable, PARTNER)


def test_a_partner_signed_in_through_the_provider_sees_only_its_organisations_actions(
    page, partner_provider, start_app, tmp_path, wait_for_app
):
    url, plan_id = _prepare(tmp_path)
    port = _free_port()
    secrets_file = tmp_path / "secrets.toml"
    secrets_file.write_text(
        "[auth]\n"
        f'redirect_uri = "http://localhost:{port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(32)}"\n'
        'client_id = "improvement-board"\n'
        'client_secret = "any"\n'
        f'server_metadata_url = "{partner_provider}/.well-known/openid-configuration"\n'
        'client_kwargs = { scope = "openid profile email", prompt = "login" }\n'
    )
    server = start_app(
        port=port,
        env={
            "STREAMLIT_SECRETS_FILES": str(secrets_file),
            "BOARD_ROLE_GROUPS": "police-partners=partner:Testshire Police",
        },
    )
    assert server.database_url == url
    base = f"http://localhost:{port}"
    page.route("**/*", _local_only)
    page.goto(base + "/")
    settled(page, wait_for_app)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="pc", exact=True).click()
    page.wait_for_url(f"{base}/**")
    settled(page, wait_for_app)
    expect(page.get_by_text("(partner for Testshire Police)", exact=False)).to_be_visible(timeout=60_000)
    expect(page.get_by_role("link", name="Update round")).to_have_count(0)  # an editor's page

    page.goto(f"{base}/my-actions?plan={plan_id}")
    settled(page, wait_for_app)
    expect(page.get_by_text("2 actions to update, 2 not updated yet in this round.")).to_be_visible()
    page.get_by_role("combobox", name="Action", exact=True).click()
    options = page.get_by_role("option")
    expect(options).to_have_count(2)
    expect(options.nth(0)).to_contain_text("1.1 (to update)")
    expect(options.nth(1)).to_contain_text("2.2 (to update)")
    page.keyboard.press("Escape")
    page.goto(f"{base}/update-round?plan={plan_id}")
    settled(page, wait_for_app)
    expect(page.get_by_text("This page is for editors and admins", exact=False)).to_be_visible()
