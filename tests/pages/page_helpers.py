"""Helpers for the AppTest page tests (a uniquely named module: `conftest` is ambiguous when
several test folders run together)."""

from __future__ import annotations

import base64
import json
import re
import time
from pathlib import Path

import numpy as np
from streamlit.testing.v1 import AppTest

# Pages whose URL path is their file's name, so AppTest can open them on its first run (until app.py
# has run once, it finds a page by its file name). plan_settings.py is served at /settings.
FIRST_RUN_PAGES = {
    *("overview", "recommendations", "overdue", "actions", "action", "trends", "board-pack", "portfolio"),
    *("upload", "audit"),
}


# Sign-in as the app is configured for OIDC in the page tests (nothing is contacted: AppTest's
# `at.user` stands for the provider's ID token).
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "not-a-real-secret-but-long-enough-for-tests",
    "client_id": "improvement-board",
    "client_secret": "any",
    "server_metadata_url": "http://localhost:9400/.well-known/openid-configuration",
}
SECRETS = {"auth": AUTH, "roles": {}}
ISSUER = "http://localhost:9400"
SIGNED_IN_AT = int(time.time()) - 600  # the ID token's issue time: ten minutes ago
# Tokens from a provider that verifies email addresses and says so (Google, Okta, Keycloak).
VERIFIED = {"is_logged_in": True, "iss": ISSUER, "email_verified": True, "iat": SIGNED_IN_AT}


def open_as(app_path: str, page: str, user: dict | None) -> AppTest:
    """A new AppTest of the app opened at `page`, signed in as `user` (an ID token's claims; None:
    no sign-in configured), with no exception."""
    at = AppTest.from_file(app_path, default_timeout=60)
    if user is not None:
        at.secrets = SECRETS
        at.user = dict(user)
    open_page(at, page)
    assert not at.exception, [e.value for e in at.exception]
    return at


def open_page(at: AppTest, page: str | None = None) -> AppTest:
    """Run `at` (its query parameters, secrets and user set) as a link to `page` opens it, e.g.
    "pages/overdue.py"; None: a link to /. The first run is the link to the page itself, as a
    browser's first request is; a page AppTest cannot find by file name is reached by a switch
    after a first run at /."""
    if page and Path(page).stem in FIRST_RUN_PAGES:
        at.switch_page(page)
        return at.run()
    at.run()
    return at.switch_page(page).run() if page else at


def html_text(at: AppTest) -> str:
    """Everything drawn with st.html (our tables), joined."""
    return "\n".join(h.proto.body for h in at.get("html"))


class DeferredDownloads:
    """Download buttons built with a callable `data=` make their file only when the browser asks
    for it, which AppTest never does. This records each button's callable and file name (by
    wrapping MediaFileManager.add_deferred), so a test can make the file exactly as a click does."""

    def __init__(self, monkeypatch) -> None:
        from streamlit.runtime.media_file_manager import MediaFileManager

        self.files: dict[str, tuple] = {}
        original = MediaFileManager.add_deferred

        def add_deferred(manager, data_callable, mimetype, coordinates, file_name=None, *args, **kwargs):
            file_id = original(manager, data_callable, mimetype, coordinates, file_name, *args, **kwargs)
            self.files[file_id] = (data_callable, file_name, mimetype)
            return file_id

        monkeypatch.setattr(MediaFileManager, "add_deferred", add_deferred)

    def name(self, button) -> str:
        return self.files[button.proto.deferred_file_id][1]

    def fetch(self, button) -> bytes:
        """What the browser would download for this button (runs the button's callable)."""
        data = self.files[button.proto.deferred_file_id][0]()
        return data.encode("utf-8") if isinstance(data, str) else data


def plotly_plain(value):
    """Plotly sends numeric arrays as base64 typed arrays ({'dtype', 'bdata'}): decode them, so
    assertions compare real numbers."""
    if isinstance(value, dict):
        if set(value) >= {"dtype", "bdata"}:
            return np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"]).tolist()
        return {k: plotly_plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plotly_plain(v) for v in value]
    return value


def charts(at: AppTest) -> list[dict]:
    """Every Plotly chart drawn, as plain JSON (typed arrays decoded)."""
    return [plotly_plain(json.loads(c.proto.spec)) for c in at.get("plotly_chart")]


def shown(markdown: str) -> str:
    """The characters a reader sees for Markdown written by pages.ui.plain.md: backslash escapes
    resolved, invisible word joiners dropped (AppTest gives the Markdown source)."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")
