"""WCAG contrast of the RAG palette (rules.STATUS_STYLE): white text on every fill >= 4.5:1
(SC 1.4.3), every fill against the white segment separator >= 3:1 (SC 1.4.11), and every chip,
bar and table cell carries a word, a letter and a symbol — never colour alone (SC 1.4.1)."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from data_access.domain.rules import STATUS_STYLE, STATUSES, hex_to_rgb, status_text
from pages.ui import present, rag
from pages.ui.html_tables import Column, html_table


def relative_luminance(hex_colour: str) -> float:
    """WCAG 2.2 relative luminance of an sRGB colour '#rrggbb'."""
    channels = [c / 255 for c in hex_to_rgb(hex_colour)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_formula():
    assert contrast("#ffffff", "#000000") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize("status", STATUSES)
def test_white_text_on_each_fill(status):
    assert contrast("#ffffff", STATUS_STYLE[status].colour) >= 4.5


@pytest.mark.parametrize("status", STATUSES)
def test_each_fill_against_the_white_separator(status):
    assert contrast(STATUS_STYLE[status].colour, "#ffffff") >= 3.0


def test_every_status_has_its_own_word_letter_symbol_and_pattern():
    styles = [STATUS_STYLE[s] for s in STATUSES]
    for field in ("label", "letter", "symbol", "colour", "pattern"):
        values = [getattr(s, field) for s in styles]
        assert len(set(values)) == len(values), field


@pytest.mark.parametrize("status", STATUSES)
def test_chip_and_table_cell_carry_text(status):
    style = STATUS_STYLE[status]
    chip = rag.chip(status)
    assert style.symbol in chip and style.letter in chip and style.label in chip
    table = html_table(pd.DataFrame({"status": [status]}), [Column("status", "Status", kind="status")], "t")
    assert status_text(status) in table and '<th scope="col">Status</th>' in table


def test_bar_segments_are_labelled_and_separated():
    frame = pd.DataFrame({"label": ["Rec 1"], **{s: [1] for s in STATUSES}})
    fig = rag.stacked_status_bars(frame, "label")
    for trace, status in zip(fig.data, STATUSES, strict=True):
        style = STATUS_STYLE[status]
        assert trace.name == f"{style.symbol} {style.label}"
        assert list(trace.text) == [f"{style.symbol}{style.letter} 1"]
        assert trace.marker.line.color == "#ffffff" and trace.marker.line.width >= 2
        # A segment too thin for its letter (hidden: uniformtext) keeps its pattern.
        assert trace.marker.pattern.shape == style.pattern


def test_tracker_text_is_inert_in_tables():
    frame = pd.DataFrame({"text": ["<script>alert(1)</script>", '=HYPERLINK("http://x","y")'], "href": ["a", "b"]})
    out = html_table(frame, [Column("text", "Text", link=lambda r: '/x?"><script>')], "t")
    assert "<script>" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out and "=HYPERLINK(&quot;http://x&quot;,&quot;y&quot;)" in out
    assert 'href="/x?&quot;&gt;&lt;script&gt;"' in out


# Colour-vision deficiency: Machado, Oliveira & Fernandes (2009) matrices at full severity, applied
# in linear RGB; the fills must stay apart (CIE76 delta E) for protan, deutan and tritan viewers.
CVD = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]],
}


def _linear(hex_colour: str) -> list[float]:
    channels = [c / 255 for c in hex_to_rgb(hex_colour)]
    return [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]


def _lab(linear: list[float]) -> tuple[float, float, float]:
    r, g, b = (min(max(c, 0.0), 1.0) for c in linear)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.9505
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.089

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


@pytest.mark.parametrize("deficiency", list(CVD))
def test_fills_stay_distinct_for_colour_blind_viewers(deficiency):
    import itertools
    import math

    matrix = CVD[deficiency]

    def seen(status: str):
        lin = _linear(STATUS_STYLE[status].colour)
        return _lab([sum(matrix[i][j] * lin[j] for j in range(3)) for i in range(3)])

    worst = min(math.dist(seen(a), seen(b)) for a, b in itertools.combinations(STATUSES, 2))
    assert worst >= 12, f"{deficiency}: two fills only {worst:.1f} apart"


# --- the high-contrast presentation (pages/ui/present.HIGH_CONTRAST) --------------------------------


@pytest.mark.parametrize(("foreground", "background"), present.TEXT_PAIRS)
def test_high_contrast_text_colours(foreground, background):
    """Text, links and the change badges' better / worse / no change: at least 4.5:1 (SC 1.4.3)."""
    assert contrast(present.HIGH_CONTRAST[foreground], present.HIGH_CONTRAST[background]) >= 4.5


@pytest.mark.parametrize(("foreground", "background"), present.NON_TEXT_PAIRS)
def test_high_contrast_non_text_colours(foreground, background):
    """Help icons, change arrows, borders and the focus ring: at least 3:1 (SC 1.4.11)."""
    assert contrast(present.HIGH_CONTRAST[foreground], present.HIGH_CONTRAST[background]) >= 3.0


def test_high_contrast_css_uses_the_checked_colours_and_covers_badges_and_icons():
    css = present.DARK_CSS
    for name in ("better", "worse", "same", "icon", "text", "link", "background"):
        assert present.HIGH_CONTRAST[name] in css, name
    for target in ("stMetricDelta", "stTooltipIcon", "st-key-kpi_better", "st-key-kpi_worse"):
        assert target in css, target
    # Every colour the high-contrast CSS sets is one of the checked ones (or white on a status fill).
    used = set(re.findall(r"#[0-9a-fA-F]{6}", css))
    assert used <= set(present.HIGH_CONTRAST.values()) | {"#ffffff", "#000000"}, used - set(
        present.HIGH_CONTRAST.values()
    )


def test_high_contrast_chips_and_segments_keep_white_text():
    # Status chips keep their fill with white text (>= 4.5:1, above) and get a white outline, so
    # they stand out from the black background whatever the fill's own contrast with black.
    assert "outline: 2px solid" in present.DARK_CSS and ".rag-chip" in present.DARK_CSS


def test_status_bars_html_carry_text_and_links_and_keep_tracker_text_inert():
    """The overview's HTML bars (issue 27): every segment a link with its symbol, letter and count
    shown, its value on hover and in words; tracker text inert; a thin segment keeps its words."""
    frame = pd.DataFrame(
        {
            "ref": ["a", "<b>"],
            "text": ['<script>alert(1)</script> & "more"', None],
            **{s: [1, 0] for s in STATUSES},
        }
    )
    frame.loc[1, STATUSES[-1]] = 40  # row 2: one long segment; row 1's segments are thin beside it
    out = rag.status_bars(frame, lambda ref, status: f"/actions?rec={ref}&status={status}", "Chart <i>", "Click")
    assert "<script>" not in out and "<b>" not in out and "<i>" not in out
    assert (
        "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;more&quot;" in out and 'aria-label="Chart &lt;i&gt;"' in out
    )
    segments = re.findall(r'<a class="sb-seg" href="([^"]*)"[^>]*title="([^"]*)"[^>]*>(.*?)</a>', out)
    assert len(segments) == len(STATUSES) + 1  # no segment for a zero count
    last = STATUS_STYLE[STATUSES[-1]]
    href, title, body = segments[-1]
    assert href == f"/actions?rec=&lt;b&gt;&amp;status={STATUSES[-1]}" and title == f"&lt;b&gt;: 40 {last.label}"
    assert f">{last.symbol}{last.letter} 40<" in body and f"{last.label}: 40 in" in body
    for (_, title, body), status in zip(segments, STATUSES, strict=False):  # row 1: 1 of 40, too thin to print
        assert 'class="sb-text"' not in body and f"{STATUS_STYLE[status].label}: 1 in a · " in body
        assert title.endswith(f": 1 {STATUS_STYLE[status].label}")
    for status in STATUSES:  # the legend: every status present, in words
        assert rag.chip(status) in out
    assert out.endswith('<p class="sb-note">Click</p>')
