"""Presentation mode in a real browser: steps through the deck, a presenter's clicker works, the
Next link puts no tooltip over the title, link labels are not cut off, auto-advance,
projector-size text, high contrast measured, and screenshots at 1920×1080 and 1280×720."""

from __future__ import annotations

from pathlib import Path

import pytest
from board_helpers import SLIDE, plain_title, query_of, settled, slide_title
from playwright.sync_api import expect

from data_access.domain.rules import STATUS_STYLE, hex_to_rgb, status_text
from pages.ui.present import HIGH_CONTRAST

SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


def slide(page) -> tuple[int, int, str]:
    number, total, title = SLIDE.search(slide_title(page)).groups()
    return int(number), int(total), title


def test_presentation_steps_through_the_slides(page, streamlit_server, plan, wait_for_app):
    page.goto(f"{streamlit_server.url}/?plan={plan.plan_id}&present=1&as_of=2018-07-14")
    settled(page, wait_for_app)
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()
    number, total, title = slide(page)
    assert (number, plain_title(title)) == (1, "Overview")
    seen = [title]
    for _ in range(total - 1):
        page.get_by_text("Next ›").first.click()
        settled(page, wait_for_app)
        seen.append(slide(page)[2])
        params = query_of(page.url)
        assert params["present"] == ["1"] and params["plan"] == [str(plan.plan_id)]
    order = list(dict.fromkeys(plain_title(t) for t in seen))
    recs = [f"Recommendation {r}" for r in plan.rec_refs]
    assert order[0] == "Overview"
    # The trends slides end the deck, then the measures of success when the plan has any (issue 24).
    tail = order[order.index("Status mix at each review") :]
    assert tail[:2] == ["Status mix at each review", "Direction of travel"]
    assert tail[2:] in ([], ["Measures of success"])
    assert [t for t in order if t.startswith("Recommendation ")] == recs
    assert order.index("Overdue actions") > order.index(recs[-1])
    assert page.url.split("?")[0].endswith("/trends") and "rec" not in query_of(page.url)
    expect(page.get_by_text("Next ›")).to_have_count(0)
    back_to = seen[-2]
    page.get_by_text("‹ Previous").first.click()
    settled(page, wait_for_app)
    assert slide(page)[2] == back_to
    page.get_by_role("button", name="Exit").click()
    settled(page, wait_for_app)
    expect(page.get_by_test_id("stSidebar")).to_be_visible()
    assert "present" not in query_of(page.url) and "part" not in query_of(page.url)
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_a_presenters_clicker_steps_the_slides(page, streamlit_server, plan, wait_for_app):
    """→, PageDown and space go forward; ← and PageUp go back (what clickers send)."""
    page.goto(f"{streamlit_server.url}/?plan={plan.plan_id}&present=1&as_of=2018-07-14")
    settled(page, wait_for_app)
    page.wait_for_function("() => window.__boardSlideKeys === true")  # the keys' listener is installed
    assert slide(page)[0] == 1
    for key, expected in (("ArrowRight", 2), ("PageDown", 3), ("Space", 4), ("ArrowLeft", 3), ("PageUp", 2)):
        page.keyboard.press(key)
        settled(page, wait_for_app)
        assert slide(page)[0] == expected, key


def test_the_clicker_still_works_after_a_button_in_the_slide_bar(page, streamlit_server, plan, wait_for_app):
    """Issue 22: after "High contrast" the clicker did nothing until someone clicked the slide (the
    focus stayed on the button, whose keys were left to it)."""
    page.goto(f"{streamlit_server.url}/?plan={plan.plan_id}&present=1&as_of=2018-07-14")
    settled(page, wait_for_app)
    page.wait_for_function("() => window.__boardSlideKeys === true")
    page.get_by_role("button", name="High contrast").click()
    settled(page, wait_for_app)
    assert query_of(page.url)["contrast"] == ["high"] and slide(page)[0] == 1
    for key, expected in (("ArrowRight", 2), ("PageDown", 3), ("Space", 4), ("ArrowLeft", 3)):
        page.keyboard.press(key)
        settled(page, wait_for_app)
        assert slide(page)[0] == expected, key
    page.get_by_role("button", name="Light").focus()  # focused, not pressed: the arrows still step
    page.keyboard.press("ArrowRight")
    settled(page, wait_for_app)
    assert slide(page)[0] == 4


# Link labels that overflow their own box, or the column or clipping box around them.
CUT_LABELS_JS = """
() => [...document.querySelectorAll('[data-testid="stPageLink-NavLink"] p')].filter((p) => {
  const r = p.getBoundingClientRect();
  if (p.scrollWidth > p.clientWidth + 1) { return true; }
  for (let n = p.parentElement; n; n = n.parentElement) {
    const s = getComputedStyle(n);
    if (s.overflowX !== 'visible' || n.dataset.testid === 'stColumn') {
      const c = n.getBoundingClientRect();
      if (r.right > c.right + 0.5 || r.left < c.left - 0.5) { return true; }
    }
    if (n.dataset.testid === 'stColumn') { break; }
  }
  return false;
}).map((p) => p.textContent)
"""


def test_next_has_no_tooltip_over_the_title_and_labels_are_whole(page, streamlit_server, plan, wait_for_app):
    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto(f"{streamlit_server.url}/?plan={plan.plan_id}&present=1&as_of=2018-07-14")
    settled(page, wait_for_app)
    # A link with help text is wrapped in a tooltip target; the slide bar's links have none.
    expect(page.locator(".st-key-slide_next a")).to_have_count(1)
    expect(page.locator(".st-key-slide_bar [data-testid='stTooltipHoverTarget']")).to_have_count(0)
    # Every link label is shown whole (the overview tiles' "32 complete actions" was cut off).
    labels = page.locator('[data-testid="stPageLink-NavLink"] p').all_inner_texts()
    assert any("complete action" in label for label in labels), labels
    assert not page.evaluate(CUT_LABELS_JS)


def test_auto_advance(page, streamlit_server, plan, wait_for_app):
    page.goto(f"{streamlit_server.url}/?plan={plan.plan_id}&present=1")
    settled(page, wait_for_app)
    page.get_by_role("combobox").first.click()
    page.get_by_role("option", name="Advance every 10 s").click()
    expect(page.get_by_text(SLIDE).first).to_contain_text("Slide 2 of", timeout=30_000)
    assert page.url.split("?")[0].endswith("/overview")  # the overview's second slide (or the changes)


def _contrast(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    def luminance(rgb):
        linear = [c / 255 / 12.92 if c / 255 <= 0.04045 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


# Each element's colour as drawn: its computed colour (SVG: stroke or fill) blended by the opacity
# of it and its ancestors over the black background.
EFFECTIVE_COLOURS_JS = """
(selector) => [...document.querySelectorAll(selector)].filter(e => e.getClientRects().length).map(e => {
  const s = getComputedStyle(e);
  let colour = s.color;
  if (e instanceof SVGElement) { colour = s.stroke !== 'none' ? s.stroke : (s.fill !== 'none' ? s.fill : s.color); }
  let opacity = 1;
  for (let n = e; n; n = n.parentElement) { opacity *= parseFloat(getComputedStyle(n).opacity); }
  const m = colour.match(/[\\d.]+/g).map(Number);
  const alpha = (m.length > 3 ? m[3] : 1) * opacity;
  return { text: (e.textContent || e.tagName).trim().slice(0, 30), rgb: m.slice(0, 3).map(c => c * alpha) };
})
"""


@pytest.mark.parametrize(
    ("selector", "minimum"),
    [
        ("h1, [data-testid='stCaptionContainer'] p, [data-testid='stMetricLabel'] p, td, th", 4.5),
        ("[data-testid='stMetricDelta'] p, [data-testid='stPageLink-NavLink'] p, .st-key-slide_bar p", 4.5),
        ("[data-testid='stMetricDelta'] svg, [data-testid='stTooltipIcon'] svg", 3.0),
    ],
)
def test_high_contrast_is_readable_everywhere(page, streamlit_server, plan, wait_for_app, selector, minimum):
    """Text at least 4.5:1 and icons (change arrows, help icons) at least 3:1 against the black
    background, measured as drawn; the palette itself is checked in tests/pages/test_rag_contrast.py."""
    page.goto(f"{streamlit_server.url}/?plan={plan.plan_id}&present=1&contrast=high&as_of=2018-07-14")
    settled(page, wait_for_app)
    background = page.evaluate("getComputedStyle(document.querySelector('.stApp')).backgroundColor")
    assert background == "rgb(0, 0, 0)"
    drawn = page.evaluate(EFFECTIVE_COLOURS_JS, selector)
    assert drawn, selector
    low = [(d["text"], round(_contrast(d["rgb"], (0, 0, 0)), 2)) for d in drawn]
    assert all(ratio >= minimum for _, ratio in low), [x for x in low if x[1] < minimum]
    better = page.evaluate(EFFECTIVE_COLOURS_JS, "[class*='st-key-kpi_better'] [data-testid='stMetricDelta'] p")
    assert all(tuple(round(c) for c in d["rgb"]) == hex_to_rgb(HIGH_CONTRAST["better"]) for d in better)


def test_status_filter_chips_carry_the_status_colour_and_word(page, streamlit_server, plan, wait_for_app):
    page.goto(f"{streamlit_server.url}/actions?plan={plan.plan_id}&status=red&status=complete")
    settled(page, wait_for_app)
    expect(page.locator('[data-testid="stMultiSelect"] [data-tag]')).to_have_count(2)  # drawn, not only sent
    chips = page.evaluate(
        """() => [...document.querySelectorAll('[data-testid="stMultiSelect"] [data-tag]')]
             .map(t => [t.textContent.trim(), getComputedStyle(t).backgroundColor])"""
    )
    expected = {
        status_text(s): "rgb({}, {}, {})".format(*hex_to_rgb(STATUS_STYLE[s].colour)) for s in ("red", "complete")
    }
    assert dict(chips) == expected  # "Off track" in red, "Complete" in blue: never another status's colour


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (1280, 720)])
def test_overview_screenshot_in_presentation_mode(page, streamlit_server, plan, wait_for_app, width, height):
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{streamlit_server.url}/?plan={plan.plan_id}&present=1")
    settled(page, wait_for_app)
    # The slide's chart is a static image (issue 27) named by its figures in words.
    chart = page.get_by_role("img", name="RAG status by recommendation", exact=False)
    expect(chart).to_be_visible()
    assert "actions by status for each recommendation" in chart.get_attribute("alt")
    expect(page.get_by_test_id("stPlotlyChart")).to_have_count(0)
    root_px = float(page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)"))
    # About 24 pt (32 px) on a 1920-wide projector; never below 20 px on a small one.
    assert root_px >= (31.5 if width >= 1920 else 20)
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"overview-present-{width}x{height}.png"
    page.screenshot(path=str(path))
    assert path.stat().st_size > 10_000
