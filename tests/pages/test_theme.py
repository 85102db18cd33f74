"""The theme's status colours are STATUS_STYLE's: Streamlit's own red/green/blue/orange (used by
its widgets and colour directives) must be the RAG colours the charts and chips use."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from data_access.domain.rules import AMBER, COMPLETE, GREEN, RED, STATUS_STYLE

CONFIG = tomllib.loads((Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml").read_text())
THEME_KEYS = {"redColor": RED, "greenColor": GREEN, "blueColor": COMPLETE, "orangeColor": AMBER}


@pytest.mark.parametrize("key", sorted(THEME_KEYS))
def test_theme_status_colours_come_from_status_style(key):
    style = STATUS_STYLE[THEME_KEYS[key]]
    assert CONFIG["theme"]["light"][key].lower() == style.colour.lower()
    assert CONFIG["theme"]["dark"][key].lower() == style.dark_colour.lower()
