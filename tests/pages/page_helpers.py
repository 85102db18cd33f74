"""Helpers for the AppTest page tests (a uniquely named module: `conftest` is ambiguous when
several test folders run together)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def html_text(at: AppTest) -> str:
    """Everything drawn with st.html (our tables), joined."""
    return "\n".join(h.proto.body for h in at.get("html"))
