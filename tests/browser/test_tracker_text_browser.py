"""Tracker text is shown as text, in a real browser, on every page and every slide: a plan whose
name, review labels, recommendation refs and texts, action IDs, descriptions, leads, partners and
progress notes hold markup (an image on a local beacon, a "Sign in" link, a Streamlit colour,
HTML tags, bold, a bare URL, an icon), and an uploaded tracker whose column headings do.

Passes when: the beacon receives no request, no link or image points at it (or at any address the
text names), and every marker word is still preceded by the characters that would have been
markup — so nothing was rendered as a link, an image, colour, bold or an icon."""

from __future__ import annotations

import http.server
import re
import threading
from urllib.parse import quote

import pytest
from board_helpers import open_every_expander, settled
from playwright.sync_api import expect

from data_access.reads import catalogue, review_figures
from data_access.storage.database import make_engine, upgrade
from tests.fixtures import populate_hostile

# Each marker word, and what must come just before it if it was shown as typed (whitespace ignored).
MARKERS = {
    "BEACONIMG": "![",
    "SIGNIN": "[",
    "FORGED]": ":red[",
    "FORGEDBG": ":blue-background[",
    "ANCHORLINK": '/anchor">',
    "BOLDTAG": "<b>",
    "BOLDMD": "**",
    "ICONWORD": ":material/warning:",
    "IMGTAG": '/img-tag">',
    "FORGEDHEAD": ":red[",
}

# All text shown: the page's text, every SVG text (charts), and form values (select boxes).
SHOWN_TEXT_JS = """
() => [document.body.innerText,
       ...[...document.querySelectorAll('svg text')].map((t) => t.textContent),
       ...[...document.querySelectorAll('input')].map((i) => i.value)].join('\\n')
"""
# Every address the page would fetch or link to: links (HTML and SVG), images, sources.
ADDRESSES_JS = """
() => [...document.querySelectorAll('a, img, image, source, iframe, object, embed, use')].flatMap((e) =>
  ['href', 'src', 'xlink:href', 'data', 'srcset'].map((a) => e.getAttribute(a)).filter(Boolean))
"""


class Beacon(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802 - the http.server API
        Beacon.hits.append(self.path)
        self.send_response(204)
        self.end_headers()

    do_POST = do_GET  # noqa: N815

    def log_message(self, *args):
        pass


@pytest.fixture
def beacon():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Beacon)
    Beacon.hits = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture
def hostile(fresh_streamlit_server, beacon):
    """The fresh server's database holds only the hostile plan (written before any visit, so the
    app finds it not empty and seeds nothing)."""
    engine = make_engine(fresh_streamlit_server.database_url)
    upgrade(engine)
    ids = populate_hostile(engine, beacon)
    reviews = catalogue.list_reviews(engine, ids["plan"])
    actions = review_figures.review_actions(engine, int(reviews["id"].iloc[-1]), reviews["as_at"].iloc[-1])
    ids["refs"] = list(dict.fromkeys(actions["rec_ref"]))
    ids["action"] = int(actions["action_id"].iloc[0])
    engine.dispose()
    return fresh_streamlit_server, beacon, ids


def check_shown_as_text(page, host: str, where: str) -> None:
    expect(page.get_by_test_id("stException")).to_have_count(0)
    addresses = page.evaluate(ADDRESSES_JS)
    bad = [a for a in addresses if host in a or "example.com" in a or a.startswith("mailto:")]
    assert not bad, (where, bad)
    shown = re.sub(r"\s+", "", page.evaluate(SHOWN_TEXT_JS).replace("\u2060", ""))
    for marker, before in MARKERS.items():
        for found in re.finditer(re.escape(marker), shown):
            prefix = re.sub(r"\s+", "", before)
            assert shown[: found.start()].endswith(prefix), (
                where,
                marker,
                shown[max(0, found.start() - 60) : found.end() + 10],
            )


def test_tracker_text_is_shown_as_text_on_every_page_and_slide(page, hostile, wait_for_app, tmp_path):
    server, host, ids = hostile
    plan = f"plan={ids['plan']}&as_of=2018-04-14"
    pages = [
        "/overview",
        "/recommendations",
        f"/recommendations?rec={quote(ids['refs'][0])}",
        "/overdue",
        "/overdue?group=none",
        "/actions",
        f"/action?action={ids['action']}",
        # Trends, one part at a time (issue 27); its charts and counts hold no tracker text but labels.
        *(f"/trends?section={part}" for part in ("mix", "overdue", "decisions", "compare", "forecast")),
        "/upload",
    ]
    figures_only = {f"/trends?section={part}" for part in ("mix", "overdue", "decisions")}
    for path in pages:
        page.goto(f"{server.url}{path}{'&' if '?' in path else '?'}{plan}")
        settled(page, wait_for_app)
        open_every_expander(page, wait_for_app)  # their content too
        check_shown_as_text(page, host, path)
        shown = page.evaluate(SHOWN_TEXT_JS)
        if path not in figures_only:
            assert "FORGED" in shown and "BOLDTAG" in shown, path  # the markers really are on the page

    # Every slide of the deck, in the light and the high-contrast presentation.
    for contrast in ("", "&contrast=high"):
        page.goto(f"{server.url}/overview?{plan}&present=1{contrast}")
        settled(page, wait_for_app)
        for number in range(60):
            check_shown_as_text(page, host, f"slide {number + 1}{contrast}")
            following = page.locator(".st-key-slide_next a")
            if not following.count():
                break
            following.first.click()
            settled(page, wait_for_app)
        assert number > 6, "the deck was walked"

    # An uploaded tracker whose column headings and cells hold markup: the preview shows them as text.
    tracker = tmp_path / "hostile.csv"
    tracker.write_text(
        "Rec,Action,Lead,RAG,Timescale,:red[FORGEDHEAD],![BEACONIMG](" + host + "/heading)\n"
        f'1,"[SIGNIN again]({host}/cell)",<b>BOLDTAG</b>,Red,March 2018,x,y\n',
        encoding="utf-8",
    )
    page.goto(f"{server.url}/upload?{plan}")
    settled(page, wait_for_app)
    page.locator("input[type=file]").set_input_files(str(tracker))
    expect(page.get_by_text("Preview — nothing has been saved yet")).to_be_visible(timeout=60_000)
    settled(page, wait_for_app)
    open_every_expander(page, wait_for_app)
    check_shown_as_text(page, host, "upload preview")
    assert "FORGEDHEAD" in page.evaluate(SHOWN_TEXT_JS)

    assert Beacon.hits == [], f"the page fetched from the tracker's host: {Beacon.hits}"
