"""The two Streamlit profiles: .streamlit/config.toml (the laptop, `make run`) and
deploy/config.toml (a council's server). Every option is one Streamlit knows, the production
settings the README promises are there, and the theme is the same in both."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from streamlit import config

from data_access.importer import Limits
from data_access.importer.parsed import MB

ROOT = Path(__file__).resolve().parents[1]
LAPTOP = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
SERVER = tomllib.loads((ROOT / "deploy" / "config.toml").read_text(encoding="utf-8"))


def options(profile: dict, prefix: str = "") -> dict[str, object]:
    """{"server.address": "localhost", ...}; theme sections are kept whole."""
    out = {}
    for key, value in profile.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and not name.startswith("theme"):
            out.update(options(value, f"{name}."))
        elif not name.startswith("theme"):
            out[name] = value
    return out


@pytest.mark.parametrize("profile", [LAPTOP, SERVER], ids=["laptop", "server"])
def test_every_option_is_one_streamlit_knows(profile):
    known = set(config.get_config_options())
    assert set(options(profile)) - known == set()


@pytest.mark.parametrize("profile", [LAPTOP, SERVER], ids=["laptop", "server"])
def test_safe_in_both_profiles(profile):
    settings = options(profile)
    assert settings["server.enableXsrfProtection"] is True  # st.login's cookie is only read with it
    assert settings["server.enableCORS"] is True  # CORS protection on: no cross-origin calls
    assert settings["client.showErrorDetails"] == "none"
    assert settings["client.toolbarMode"] == "viewer"
    assert settings["browser.gatherUsageStats"] is False
    assert settings["server.maxUploadSize"] == Limits().max_bytes // MB  # the board's own upload limit
    assert settings["server.address"] in ("localhost", "127.0.0.1")  # behind the proxy, or the laptop only
    assert "server.trustedUserHeaders" not in settings and "server.cookieSecret" not in settings


def test_the_server_profile_is_a_server():
    settings = options(SERVER)
    assert settings["server.headless"] is True and settings["server.fileWatcherType"] == "none"
    assert settings["server.allowedHosts"] and settings["server.corsAllowedOrigins"] == []
    assert settings["global.developmentMode"] is False


def test_one_theme():
    assert {k: v for k, v in SERVER.items() if k == "theme"} == {k: v for k, v in LAPTOP.items() if k == "theme"}


def test_the_replica_warm_up_imports_modules_that_exist():
    """deploy/serve.py warms a replica before its health check passes: a renamed module must fail
    here, not in a council's start-up."""
    import importlib.util
    import sys

    sys.path.insert(0, str(ROOT / "deploy"))
    try:
        import serve
    finally:
        sys.path.remove(str(ROOT / "deploy"))
    missing = [name for name in serve.MODULES if importlib.util.find_spec(name) is None]
    assert not missing, missing
