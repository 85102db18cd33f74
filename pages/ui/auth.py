"""Who is using the app. st.user and st.secrets raise when no secrets file exists; this is the
one place that asks them."""

from __future__ import annotations

import streamlit as st


def current_user() -> str | None:
    """The signed-in user's email, or None when sign-in is not configured."""
    try:
        if getattr(st.user, "is_logged_in", False):
            return st.user.get("email") or st.user.get("name")
    except Exception:  # noqa: BLE001 - no secrets.toml / no [auth] section: sign-in is off
        return None
    return None
