"""pages/ui/rag.slide_chart: a slide's chart as a static image (issue 27): named by its title and
figures in words (tracker text escaped, never markup), never colour alone (each status's symbol,
letter and word in the legend), white on black for high contrast, and drawn once for the values."""

from __future__ import annotations

import base64
import datetime as dt
import re

import pandas as pd

from data_access.domain.rules import STATUS_STYLE, STATUSES
from pages.ui import rag

HOSTILE = 'Rutland "><img src=x onerror=alert(1)> & <b>'


def by_rec() -> pd.DataFrame:
    rows = [("a", "Ensure that senior leaders know", 2, 1, 0, 1, 0), ("b", "Audit <b>case</b> files", 0, 0, 3, 0, 1)]
    return pd.DataFrame(rows, columns=["ref", "text", *STATUSES])


def svg_of(img: str) -> str:
    return base64.b64decode(re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', img).group(1)).decode()


def alt_of(img: str) -> str:
    return re.search(r'alt="([^"]*)"', img).group(1)


def test_a_slide_chart_is_an_image_named_by_its_figures():
    img = rag.slide_chart(rag.RAG_BY_RECOMMENDATION, by_rec(), HOSTILE)
    assert img.startswith("<img ") and img.count("<") == 1  # the plan's name never becomes markup
    alt = alt_of(img)
    assert alt.startswith("RAG status by recommendation. Bar chart of Rutland &quot;&gt;&lt;img src=x")
    assert "Rec a: 2 complete, 1 on track, 1 off track; Rec b: 3 at risk, 1 no status." in alt
    svg = svg_of(img)
    assert "<title>RAG status by recommendation</title>" in svg and "<desc>Bar chart of Rutland" in svg


def test_the_legend_names_every_status_drawn_without_colour():
    drawn = rag.slide_chart(rag.RAG_BY_RECOMMENDATION, by_rec(), "Rutland")
    svg = svg_of(drawn)
    # Text is drawn as outlines; each legend entry's words are kept as a comment beside them.
    for status in ("complete", "green", "amber", "red", "unknown"):
        style = STATUS_STYLE[status]
        assert f"<!-- {style.symbol} {style.letter} {style.label} -->" in svg, status


def test_high_contrast_draws_white_text_on_a_transparent_background():
    light = svg_of(rag.slide_chart(rag.RAG_BY_RECOMMENDATION, by_rec(), "Rutland"))
    dark = svg_of(rag.slide_chart(rag.RAG_BY_RECOMMENDATION, by_rec(), "Rutland", dark=True))
    assert "fill: #0b0c0c" in light and "fill: #0b0c0c" not in dark  # the ink of the axis labels
    assert "fill: #ffffff" in dark
    for svg in (light, dark):  # no white page behind: the slide's own background shows through
        figure_patch = svg.split('<g id="patch_1">')[1].split("</g>")[0]
        assert 'style="fill: none; opacity: 0"' in figure_patch


def test_a_slide_chart_is_drawn_once_for_the_values(monkeypatch):
    from data_access.papers import charts

    drawn = []
    original = charts.status_mix
    monkeypatch.setattr(charts, "status_mix", lambda *a, **k: drawn.append(1) or original(*a, **k))
    mix = pd.DataFrame(
        [("Q1", dt.date(2018, 3, 31), 1, 2, 1, 0, 0, 4), ("Q2", dt.date(2018, 6, 30), 2, 2, 0, 1, 0, 5)],
        columns=["label", "as_at", *STATUSES, "actions"],
    )
    first = rag.slide_chart(rag.STATUS_MIX, mix, "Plan drawn once")
    assert rag.slide_chart(rag.STATUS_MIX, mix.copy(), "Plan drawn once") == first
    assert drawn == [1]
    mix.loc[1, "red"] = 2  # new figures (a new data version): drawn again
    mix.loc[1, "actions"] = 6
    assert rag.slide_chart(rag.STATUS_MIX, mix, "Plan drawn once") != first and drawn == [1, 1]
    assert "Q2 (30 Jun 2018): 2 complete, 2 on track, 2 off track" in alt_of(
        rag.slide_chart(rag.STATUS_MIX, mix, "Plan drawn once")
    )
