"""A manager uploads next quarter's tracker in a real browser and sees the new review on the overview."""

from __future__ import annotations

import io

import openpyxl
from board_helpers import settled, wait_for_seed
from playwright.sync_api import expect

from data_access.db import PROJECT_ROOT, make_engine
from data_access.reads import catalogue

RUTLAND_LAST = PROJECT_ROOT / "sample_data" / "trackers" / "rutland-next-steps-action-plan-2018-03-31.xlsx"


def next_quarter_tracker(path) -> bytes:
    """The last Rutland tracker moved on a quarter: 'Position as at 30 June 2018' in its title."""
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.active
    cells = [c for row in sheet.iter_rows(max_row=10) for c in row if "position as at" in str(c.value or "").lower()]
    assert cells, "the sample tracker has a 'Position as at' title cell"
    cells[0].value = "Position as at 30 June 2018"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_upload_a_tracker_and_see_the_new_review(page, fresh_streamlit_server, wait_for_app, tmp_path):
    server = fresh_streamlit_server
    page.goto(server.url + "/upload")
    wait_for_seed(server.database_url)
    settled(page, wait_for_app)
    engine = make_engine(server.database_url)
    plans = catalogue.list_plans(engine).set_index("name")
    rutland = next(name for name in plans.index if name.startswith("Rutland"))
    reviews_before = int(plans.loc[rutland, "reviews"])

    page.get_by_role("combobox", name="Import into").click()
    page.get_by_role("option", name=rutland).click()
    settled(page, wait_for_app)
    upload = tmp_path / "rutland-2018-06-30.xlsx"
    upload.write_bytes(next_quarter_tracker(RUTLAND_LAST))
    page.locator("input[type=file]").set_input_files(str(upload))
    expect(page.get_by_text("Preview — nothing has been saved yet")).to_be_visible(timeout=60_000)
    expect(page.get_by_text("as at 30 June 2018 (from the tracker's title)", exact=False)).to_be_visible()
    assert int(catalogue.list_plans(engine).set_index("name").loc[rutland, "reviews"]) == reviews_before

    settled(page, wait_for_app)
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_text("Imported 1 review from rutland-2018-06-30.xlsx", exact=False)).to_be_visible(
        timeout=60_000
    )
    expect(page.get_by_test_id("stException")).to_have_count(0)
    assert int(catalogue.list_plans(engine).set_index("name").loc[rutland, "reviews"]) == reviews_before + 1

    page.get_by_role("link", name="Open the overview of the new review").click()
    settled(page, wait_for_app)
    expect(page.get_by_role("heading", name=rutland)).to_be_visible()
    expect(page.get_by_text("Q1 2018/19", exact=False).first).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)
    engine.dispose()
