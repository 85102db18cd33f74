"""st.user and st.secrets raise when no secrets file exists; the one helper (pages/ui/auth.py) must not."""

from __future__ import annotations

from pages.ui import auth


def test_current_user_is_none_when_login_is_not_configured(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # no .streamlit/secrets.toml here
    assert auth.current_user() is None
