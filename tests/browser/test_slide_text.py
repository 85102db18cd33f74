"""In the room: slide text as big as the docs say (docs/using.md: body text 24 pt at 1920×1080,
16 pt at 1280×720), measured as the browser draws it; and every count of the status mix legible at
1280×720 (a segment too thin for its count still has it, in the table beside the chart)."""

from __future__ import annotations

import pytest
from board_helpers import SLIDE, plain_title, plan_named, seed_by_visiting, settled, slide_title

from data_access.domain.rules import STATUS_STYLE, STATUSES
from data_access.reads import status_mix
from data_access.storage.database import make_engine

PX_PER_PT = 4 / 3

# The computed size of every piece of body text on the slide (paragraphs, list items and the
# cells of its tables; not the slide bar, headings, captions or chart labels), in px.
BODY_TEXT_JS = """
() => {
  const block = document.querySelector('[data-testid="stMainBlockContainer"]');
  const bar = block.querySelector('.st-key-slide_bar');
  const out = [];
  block.querySelectorAll('p, li, td').forEach((e) => {
    if (bar && bar.contains(e)) { return; }
    if (e.closest('[data-testid="stCaptionContainer"], caption, h1, h2, h3, [data-testid="stMetric"],'
                  + ' [data-testid="stPageLink-NavLink"]')) { return; }
    if (!e.textContent.trim() || !e.getClientRects().length) { return; }
    out.push({ text: e.textContent.trim().slice(0, 40), px: parseFloat(getComputedStyle(e).fontSize) });
  });
  return out;
}
"""

# The least body text size the docs promise, in pt, at each screen.
PROMISED_PT = {(1920, 1080): 24, (1280, 720): 16}


@pytest.mark.parametrize(("width", "height"), list(PROMISED_PT))
def test_body_text_on_the_slides_is_the_size_the_docs_promise(page, streamlit_server, wait_for_app, width, height):
    seed_by_visiting(page, streamlit_server)
    plan = plan_named(streamlit_server.database_url, "Rutland")
    page.set_viewport_size({"width": width, "height": height})
    measured = {}
    # A recommendation (its words and its actions' table) and the overdue list.
    for path in (f"/recommendations?rec={plan.rec_refs[0]}", "/overdue"):
        joiner = "&" if "?" in path else "?"
        page.goto(f"{streamlit_server.url}{path}{joiner}plan={plan.plan_id}&present=1&as_of=2018-07-14")
        settled(page, wait_for_app)
        sizes = page.evaluate(BODY_TEXT_JS)
        assert sizes, f"no body text measured on {path}"
        measured[path] = sizes
    # The "since the last review" slide: its paragraph and its table, reached with Next from the overview.
    page.goto(f"{streamlit_server.url}/overview?plan={plan.plan_id}&present=1&as_of=2018-07-14")
    settled(page, wait_for_app)
    while plain_title(SLIDE.search(slide_title(page)).group(3)) != "Since the last review":
        page.locator(".st-key-slide_next a").first.click()
        settled(page, wait_for_app)
    measured["since"] = page.evaluate(BODY_TEXT_JS)
    assert any(s["text"].startswith("Since ") for s in measured["since"]), measured["since"]
    smallest = min((s["px"] / PX_PER_PT, s["text"], path) for path, sizes in measured.items() for s in sizes)
    assert smallest[0] >= PROMISED_PT[(width, height)] - 0.1, smallest
    # Tables too: the slide tables are body text, not smaller print.
    cells = [s["px"] for sizes in measured.values() for s in sizes if s["text"]]
    assert len(cells) > 10


def test_every_count_of_the_status_mix_is_legible_at_1280x720(page, streamlit_server, wait_for_app):
    seed_by_visiting(page, streamlit_server)
    plan = plan_named(streamlit_server.database_url, "Rutland")
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(f"{streamlit_server.url}/trends?plan={plan.plan_id}&present=1&part=1&as_of=2018-07-14")
    settled(page, wait_for_app)
    assert SLIDE.search(slide_title(page)).group(3) == "Status mix at each review"
    page.get_by_role("img", name="Status mix at each review", exact=False).wait_for()
    engine = make_engine(streamlit_server.database_url)
    try:
        mix = status_mix.status_mix(engine, plan.plan_id, 0)
    finally:
        engine.dispose()
    # Every row of the figures beside the chart, as drawn: its cells' text, on screen, readable size.
    rows = page.evaluate(
        """() => [...document.querySelectorAll('[data-testid="stMainBlockContainer"] table.board-table tbody tr')]
             .map((tr) => [...tr.querySelectorAll('th, td')].map((c) => {
               const r = c.getBoundingClientRect();
               return { text: c.textContent.trim(), px: parseFloat(getComputedStyle(c).fontSize),
                        shown: r.width > 0 && r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight
                               && r.left >= 0 && r.right <= window.innerWidth };
             }))"""
    )
    drawn = {row[0]["text"]: row for row in rows}
    non_zero = 0
    for review in mix.itertuples():
        row = drawn[review.label]
        for index, status in enumerate(STATUSES, start=1):
            count = int(getattr(review, status))
            if not count:
                continue
            non_zero += 1
            cell = row[index]
            assert cell["text"] == str(count), (review.label, STATUS_STYLE[status].label, cell)
            assert cell["shown"] and cell["px"] >= 20, (review.label, STATUS_STYLE[status].label, cell)
    assert non_zero >= 2 * len(mix)
