"""A councillor's monthly check on a phone (390×844, WCAG 1.4.10 reflow): a deep link opens with the
sidebar closed, the page never scrolls sideways (a wide table scrolls inside its own box), and no
chart label overlaps another."""

from __future__ import annotations

import pytest
from board_helpers import settled
from playwright.sync_api import expect

PHONE = {"width": 390, "height": 844}

# Every piece of text Plotly drew in each chart (tick labels, legend, bar counts) that overlaps
# another in the same chart by more than a sliver. Labels may be rotated, so each is the
# quadrilateral of its box on screen, and two overlap when no edge separates them (the
# separating axis test), after shrinking each by a pixel.
OVERLAPPING_LABELS_JS = """
() => {
  const quad = (t) => {
    const b = t.getBBox(), m = t.getScreenCTM();
    return [[b.x + 1, b.y + 1], [b.x + b.width - 1, b.y + 1], [b.x + b.width - 1, b.y + b.height - 1],
            [b.x + 1, b.y + b.height - 1]]
      .map(([x, y]) => [m.a * x + m.c * y + m.e, m.b * x + m.d * y + m.f]);
  };
  const separated = (p, q) => [p, q].some((poly) => poly.some((a, i) => {
    const b = poly[(i + 1) % poly.length], n = [a[1] - b[1], b[0] - a[0]];
    const span = (pts) => pts.map(([x, y]) => x * n[0] + y * n[1]);
    const sp = span(p), sq = span(q);
    return Math.max(...sp) <= Math.min(...sq) || Math.max(...sq) <= Math.min(...sp);
  }));
  const out = [];
  document.querySelectorAll('[data-testid="stPlotlyChart"]').forEach((chart, index) => {
    const labels = [...chart.querySelectorAll('svg text')]
      .filter((t) => t.textContent.trim() && t.getClientRects().length && getComputedStyle(t).display !== 'none'
                     && getComputedStyle(t).visibility !== 'hidden' && t.getBBox().width > 2)
      .map((t) => ({ text: t.textContent.trim(), q: quad(t) }));
    for (let i = 0; i < labels.length; i++) {
      for (let j = i + 1; j < labels.length; j++) {
        if (!separated(labels[i].q, labels[j].q)) { out.push([index, labels[i].text, labels[j].text]); }
      }
    }
  });
  return out;
}
"""


@pytest.fixture
def phone(page):
    page.set_viewport_size(PHONE)
    return page


@pytest.mark.parametrize("path", ["/overview", "/overdue", "/actions", "/trends", "/recommendations"])
def test_a_phone_gets_the_page_without_sideways_scrolling(phone, streamlit_server, plan, wait_for_app, path):
    phone.goto(f"{streamlit_server.url}{path}?plan={plan.plan_id}&review={plan.review_ids[-1]}&as_of=2018-07-14")
    settled(phone, wait_for_app)
    # The sidebar starts closed on a phone: the page is what the link was for.
    sidebar = phone.get_by_test_id("stSidebar")
    expect(sidebar).to_have_attribute("data-collapsed", "true")
    assert sidebar.evaluate("(s) => s.getBoundingClientRect().right") <= 1  # off screen
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, f"the page scrolls sideways: {width}px"
    # Wide tables scroll inside their own box (focusable, named), never the page.
    if path in ("/overdue", "/actions"):
        phone.locator(".board-table-scroll").first.wait_for()  # drawn by the browser, not only sent
    boxes = phone.evaluate(
        """() => [...document.querySelectorAll('.board-table-scroll')].map((b) => ({
             label: b.getAttribute('aria-label'), tab: b.tabIndex, scrolls: b.scrollWidth > b.clientWidth + 1,
             fits: b.getBoundingClientRect().right <= window.innerWidth + 1 }))"""
    )
    assert all(b["fits"] and b["label"] and b["tab"] == 0 for b in boxes), boxes
    if path in ("/overdue", "/actions"):
        assert any(b["scrolls"] for b in boxes), boxes
    assert phone.evaluate(OVERLAPPING_LABELS_JS) == []


def test_a_wide_table_can_be_scrolled_in_its_box(phone, streamlit_server, plan, wait_for_app):
    phone.goto(f"{streamlit_server.url}/actions?plan={plan.plan_id}&as_of=2018-07-14")
    settled(phone, wait_for_app)
    box = phone.locator(".board-table-scroll").first
    box.evaluate("(b) => { b.scrollLeft = 200; }")
    assert box.evaluate("(b) => b.scrollLeft") > 0
    assert phone.evaluate("window.scrollX") == 0


def test_the_headline_figures_are_on_a_phones_first_screen(phone, streamlit_server, wait_for_app):
    """A portfolio holder opens the Overview on a phone: the red, overdue and % complete figures are
    on the first screen, not below a plan title that fills it (the longest sample plan's name)."""
    from board_helpers import plan_named, seed_by_visiting

    seed_by_visiting(phone, streamlit_server)
    plan = plan_named(streamlit_server.database_url, "Rutland")
    phone.goto(f"{streamlit_server.url}/overview?plan={plan.plan_id}&as_of=2018-07-14")
    settled(phone, wait_for_app)
    phone.get_by_test_id("stMetric").first.wait_for()
    boxes = phone.evaluate(
        """() => [...document.querySelectorAll('[data-testid="stMetric"]')].map((m) => {
             const r = m.getBoundingClientRect();
             return { label: m.querySelector('[data-testid="stMetricLabel"]').textContent.trim(),
                      top: r.top, bottom: r.bottom, left: r.left, right: r.right };
           })"""
    )
    by_label = {b["label"]: b for b in boxes}
    for label in ("Complete", "✖ Red", "Overdue"):
        box = by_label[label]
        assert box["top"] >= 0 and box["bottom"] <= PHONE["height"], (label, box, boxes)
        assert box["right"] <= PHONE["width"] + 1, (label, box)
    assert phone.evaluate("""() => window.scrollY + document.querySelector('[data-testid="stMain"]').scrollTop""") == 0
