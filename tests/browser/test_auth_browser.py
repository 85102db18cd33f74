"""Sign-in end to end in a real browser: the app with [auth] pointing at a local OpenID provider
(oidc-provider-mock 0.3.4, its own process on localhost, started and stopped here). An editor
signs in and uploads a tracker, signs out; a viewer signs in, sees the new review and no upload
page; an admin sees the editor's import in the audit trail."""

from __future__ import annotations

import json
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest
from board_helpers import settled, wait_for_seed
from playwright.sync_api import expect

from data_access.reads import catalogue
from data_access.storage.database import make_engine
from tests.data_access.importer import messy

USERS = {
    "ed": {"email": "ed@council.example", "roles": ["editor"]},
    "vera": {"email": "vera@council.example", "roles": ["viewer"]},
    "ada": {"email": "ada@council.example", "roles": ["admin"]},
}
PLAN = "Anytown ILACS 2018"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def mock_provider(tmp_path, unavailable, users: dict[str, dict]):
    """oidc-provider-mock on a free localhost port with `users` ({sub: claims}), stopped after: a
    generator for a fixture to `yield from` (it yields the provider's URL)."""
    command = shutil.which("oidc-provider-mock", path=str(Path(sys.executable).parent))
    if command is None:
        unavailable("oidc-provider-mock is not installed: pip install -r requirements-dev.txt")
    port = _free_port()
    claims = [json.dumps({"sub": sub, **c}) for sub, c in users.items()]
    log = (tmp_path / "oidc-provider.log").open("wb")
    args = [command, "--port", str(port)] + [a for c in claims for a in ("--user-claims", c)]
    process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://localhost:{port}"  # localhost everywhere: the mock takes its issuer from the Host header
    deadline = time.monotonic() + 60
    try:
        while True:
            try:
                with urllib.request.urlopen(f"{url}/.well-known/openid-configuration", timeout=2) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"oidc-provider-mock did not start:\n{(tmp_path / 'oidc-provider.log').read_text()}")
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()


@pytest.fixture
def identity_provider(tmp_path, unavailable):
    """oidc-provider-mock with the three users above (each email verified); stopped after."""
    yield from mock_provider(tmp_path, unavailable, {sub: {"email_verified": True, **c} for sub, c in USERS.items()})


@pytest.fixture
def app_with_sign_in(identity_provider, start_app, tmp_path):
    """The app with [auth] in a secrets file of its own (STREAMLIT_SECRETS_FILES)."""
    port = _free_port()
    secrets_file = tmp_path / "secrets.toml"
    secrets_file.write_text(
        "[auth]\n"
        f'redirect_uri = "http://localhost:{port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(32)}"\n'
        'client_id = "improvement-board"\n'
        'client_secret = "any"\n'
        f'server_metadata_url = "{identity_provider}/.well-known/openid-configuration"\n'
        'client_kwargs = { scope = "openid profile email", prompt = "login" }\n'
    )
    server = start_app(port=port, env={"STREAMLIT_SECRETS_FILES": str(secrets_file)})
    return server, f"http://localhost:{port}"


def _local_only(route):
    """The provider's page links a stylesheet on a CDN: nothing leaves this machine."""
    if urlparse(route.request.url).hostname in ("localhost", "127.0.0.1"):
        route.continue_()
    else:
        route.abort()


def _sign_in(page, base: str, who: str, wait_for_app) -> None:
    page.goto(base + "/")
    settled(page, wait_for_app)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name=who, exact=True).click()  # the provider's predefined user
    page.wait_for_url(f"{base}/**")
    settled(page, wait_for_app)
    # plain.md puts an invisible word joiner after '@' so the address is not made a mailto link.
    signed_in_as = re.compile("Signed in as " + re.escape(USERS[who]["email"]).replace("@", "@\u2060?"))
    expect(page.get_by_text(signed_in_as)).to_be_visible(timeout=60_000)


def _sign_out(page, base: str, wait_for_app) -> None:
    """st.logout clears the app's cookie, then ends the session at the provider (whose page asks
    for a click), which sends the browser back to the app."""
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(f"{base}/**", timeout=60_000)
    expect(page.get_by_role("button", name="Sign in")).to_be_visible(timeout=60_000)


def test_sign_in_roles_and_the_audit_trail(page, app_with_sign_in, wait_for_app, tmp_path, screenshot):
    server, base = app_with_sign_in
    page.route("**/*", _local_only)

    # Nobody signed in: only the sign-in screen, nothing of the board.
    page.goto(base + "/upload")
    settled(page, wait_for_app)
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    expect(page.locator("input[type=file]")).to_have_count(0)

    # The editor signs in and uploads a tracker into a new plan.
    _sign_in(page, base, "ed", wait_for_app)
    wait_for_seed(server.database_url)
    page.goto(base + "/upload")
    settled(page, wait_for_app)
    page.get_by_role("combobox", name="Import into").click()
    page.get_by_role("option", name="(a new plan)").click()
    settled(page, wait_for_app)
    page.get_by_label("Name of the new plan").fill(PLAN)
    page.get_by_label("Name of the new plan").press("Enter")
    settled(page, wait_for_app)
    tracker = tmp_path / "anytown.xlsx"
    tracker.write_bytes(messy.build_xlsx(title_rows=True))
    page.locator("input[type=file]").set_input_files(str(tracker))
    expect(page.get_by_text("Preview — nothing has been saved yet")).to_be_visible(timeout=60_000)
    settled(page, wait_for_app)
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_text("Imported 1 review from anytown.xlsx", exact=False)).to_be_visible(timeout=60_000)
    engine = make_engine(server.database_url)
    plan_id = int(catalogue.list_plans(engine).set_index("name").loc[PLAN, "id"])
    reviews = catalogue.list_reviews(engine, plan_id)
    assert list(reviews["imported_by"]) == ["ed@council.example"]
    _sign_out(page, base, wait_for_app)

    # The viewer sees the new review, and has no upload page: not in the menu, refused by URL.
    _sign_in(page, base, "vera", wait_for_app)
    page.goto(f"{base}/overview?plan={plan_id}&review={int(reviews['id'].iloc[-1])}")
    settled(page, wait_for_app)
    expect(page.get_by_role("heading", name=PLAN)).to_be_visible()
    expect(page.get_by_text(f"Review {reviews['label'].iloc[-1]}", exact=False)).to_be_visible()
    expect(page.get_by_role("link", name="Upload a tracker")).to_have_count(0)
    page.goto(base + "/upload")
    settled(page, wait_for_app)
    expect(page.get_by_text("This page is for editors and admins", exact=False)).to_be_visible()
    expect(page.locator("input[type=file]")).to_have_count(0)
    _sign_out(page, base, wait_for_app)

    # The admin's audit trail shows the editor's import of that file.
    _sign_in(page, base, "ada", wait_for_app)
    page.goto(base + "/audit")
    settled(page, wait_for_app)
    row = page.locator("table.board-table tr", has_text="anytown.xlsx")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("ed@council.example")
    expect(row).to_contain_text("import")
    expect(row).to_contain_text(PLAN)
    screenshot(page, "audit-trail")
    expect(page.get_by_test_id("stException")).to_have_count(0)
