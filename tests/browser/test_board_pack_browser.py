"""The board pack downloaded from the Board pack page in a real browser: a tagged PDF of the plan
chosen in the URL, with its overdue count and every recommendation's ref; the slide deck too."""

from __future__ import annotations

import datetime as dt
import io

from board_helpers import settled
from playwright.sync_api import expect
from pptx import Presentation
from pypdf import PdfReader
from test_export_browser import download_bytes

from data_access.domain.wording import long_date
from data_access.reads import catalogue, review_figures
from data_access.storage.database import make_engine


def test_download_the_board_pack_from_the_page(page, streamlit_server, plan, wait_for_app):
    review_id = plan.review_ids[-1]
    engine = make_engine(streamlit_server.database_url)
    # The meeting a fortnight after the review's own date (an earlier 'overdue as at' is moved up to it).
    as_of = catalogue.list_reviews(engine, plan.plan_id).set_index("id").loc[review_id, "as_at"] + dt.timedelta(days=15)
    overdue = int(review_figures.review_kpis(engine, review_id, as_of).overdue)
    engine.dispose()

    page.goto(f"{streamlit_server.url}/board-pack?plan={plan.plan_id}&review={review_id}&as_of={as_of}")
    settled(page, wait_for_app)
    page.get_by_role("img", name="Page 1 of the board pack (preview)").wait_for()
    expect(page.get_by_text("Page not found")).to_have_count(0)  # the deep link is a known page
    reader = PdfReader(io.BytesIO(download_bytes(page, page.get_by_role("button", name="Download: Board pack (PDF)"))))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert reader.metadata.title.startswith(f"Board pack: {plan.name}")
    assert "/StructTreeRoot" in reader.trailer["/Root"] and reader.trailer["/Root"]["/Lang"] == "en-GB"
    assert f"Overdue actions by recommendation ({overdue})" in text
    for ref in plan.rec_refs:
        assert f"Recommendation {ref}" in text
    assert f"Overdue as at {long_date(as_of)}" in text

    page.get_by_text("Slide deck (PowerPoint)").click()
    settled(page, wait_for_app)
    deck = Presentation(io.BytesIO(download_bytes(page, page.get_by_role("button", name="Download: Slide deck"))))
    assert [s.shapes.title.text for s in deck.slides][:2] == [plan.name, "Overview"]


def test_the_portfolio_by_deep_link(page, streamlit_server, plan, wait_for_app):
    page.goto(f"{streamlit_server.url}/portfolio?as_of=2018-04-16")
    settled(page, wait_for_app)
    expect(page.get_by_role("heading", name="Portfolio").first).to_be_visible()
    expect(page.get_by_text("Page not found")).to_have_count(0)
    table = page.get_by_role("table").first
    expect(table.get_by_role("link", name=plan.name)).to_be_visible()
