"""The HTML papers (data_access.papers.html_paper) opened in Chromium from the file alone: axe finds
no violation, nothing outside the file is fetched, no script exists or runs, and the tracker's
hostile text (a <script> tag, markdown, control characters) shows as the text it is."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from data_access.papers import PaperRequest, formats, make_paper
from tests.fixtures import MEETING, SCRIPT, populate_board

HTML_KEYS = [k for k, f in formats.REGISTRY.items() if f.media_type == formats.HTML_MEDIA_TYPE]


@pytest.fixture(scope="module")
def papers(module_engine, tmp_path_factory) -> dict:
    """Each HTML paper, made once for this module's tests, which only open the files."""
    plan = populate_board(module_engine)["plan"]
    folder = tmp_path_factory.mktemp("html-papers")
    out = {}
    for key in HTML_KEYS:
        paper = make_paper(module_engine, PaperRequest(key, plan, as_of=MEETING))
        path = folder / paper.filename
        path.write_bytes(paper.data)
        out[key] = path
    return out


def test_there_is_an_html_form_of_every_paper():
    assert {"html", "cabinet-html", "exceptions-html"} <= set(HTML_KEYS)


@pytest.mark.parametrize("key", HTML_KEYS)
def test_each_html_paper_is_axe_clean_self_contained_and_inert(page, papers, key):
    fetched = []
    page.route("**/*", lambda route: (fetched.append(route.request.url), route.continue_())[1])
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(papers[key].as_uri())
    expect(page.locator("h1")).to_have_count(1)
    assert fetched == [papers[key].as_uri()]  # the file itself, nothing else
    assert page.evaluate("document.scripts.length") == 0
    assert page.evaluate("document.documentElement.lang") == "en-GB" and page.title()
    violations = Axe().run(page).response["violations"]
    assert [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in violations] == []
    if key != "exceptions-html":  # the <script> action is green, so not an exception
        expect(page.get_by_text(SCRIPT).first).to_be_visible()


@pytest.mark.parametrize("key", HTML_KEYS)
def test_each_html_paper_reflows_on_a_phone(page, papers, key):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(papers[key].as_uri())
    # the page itself never scrolls sideways; a wide table scrolls inside its own box
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    violations = Axe().run(page).response["violations"]
    assert [v["id"] for v in violations] == []


@pytest.mark.parametrize(("width", "height"), [(1280, 720), (1024, 768)])
def test_the_exception_report_slides_fit_the_screen_and_are_axe_clean(
    page, streamlit_server, wait_for_app, width, height
):
    """Presenting on the Board pack page steps through the exception report's own slides (Rutland,
    overdue as at today: its red and amber actions), each fitting the screen."""
    from board_helpers import SLIDE, SLIDE_EXTENT_JS, plan_named, seed_by_visiting, settled, slide_title

    seed_by_visiting(page, streamlit_server)
    plan = plan_named(streamlit_server.database_url, "Rutland")
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{streamlit_server.url}/board-pack?plan={plan.plan_id}&present=1")
    settled(page, wait_for_app)
    seen = []
    for _ in range(20):
        title = slide_title(page)
        seen.append((title, page.evaluate(SLIDE_EXTENT_JS)))
        assert SLIDE.search(title).group(3).startswith("Exception report"), title
        following = page.locator(".st-key-slide_next a")
        if not following.count():
            break
        following.first.click()
        settled(page, wait_for_app)
    assert not [(t, e) for t, e in seen if max(e["scroll"], e["bottom"]) > height]
    assert {int(SLIDE.search(t).group(2)) for t, _ in seen} == {len(seen)}
    expect(page.get_by_role("columnheader", name="Mitigation")).to_have_count(1)
    violations = Axe().run(page).response["violations"]
    assert [(v["id"], v["impact"]) for v in violations if v["impact"] in ("serious", "critical")] == []
