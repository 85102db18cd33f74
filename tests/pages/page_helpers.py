"""Helpers for the AppTest page tests (a uniquely named module: `conftest` is ambiguous when
several test folders run together)."""

from __future__ import annotations

import base64
import json
import re

import numpy as np
from streamlit.testing.v1 import AppTest


def html_text(at: AppTest) -> str:
    """Everything drawn with st.html (our tables), joined."""
    return "\n".join(h.proto.body for h in at.get("html"))


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
