"""A manager uploads next quarter's tracker in a real browser and sees the new review on the overview."""

from __future__ import annotations

import io

import openpyxl
from board_helpers import settled, wait_for_seed
from playwright.sync_api import expect

from data_access.reads import catalogue
from data_access.storage.database import PROJECT_ROOT, make_engine

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


def test_a_new_quarter_tab_is_added_and_replace_applies_only_where_ticked(
    page, fresh_streamlit_server, wait_for_app, tmp_path
):
    """Issue 13 item 5: the plan's workbook comes back with one more tab. Tabs stored unchanged are
    left alone, the new tab is added, a disabled Import says why, Replace applies only where ticked
    (confirmed in a dialog), and the message lists exactly what was added and replaced."""
    from data_access.importer import commit, preview, read_tracker
    from tests.data_access.importer import messy

    quarters = [("Q1 2017-18", {}), ("Q2 2017-18", {"1.1": "R"}), ("Q3 2017-18", {"1.2": "B"}), ("Q4 2017-18", {})]
    server = fresh_streamlit_server
    page.goto(server.url + "/upload")
    wait_for_seed(server.database_url)
    settled(page, wait_for_app)
    engine = make_engine(server.database_url)
    first = commit(
        engine, preview(engine, read_tracker(messy.build_periods_xlsx(quarters), "plan.xlsx"), plan_name="Anytown")
    )
    edited = [(n, {**o, "3.1": "R"}) if n in ("Q2 2017-18", "Q3 2017-18") else (n, o) for n, o in quarters]
    upload = tmp_path / "plan with Q1 2018-19.xlsx"
    upload.write_bytes(messy.build_periods_xlsx([*edited, ("Q1 2018-19", {"2.1": "G"})]))

    page.reload()
    settled(page, wait_for_app)
    page.get_by_role("combobox", name="Import into").click()
    page.get_by_role("option", name="Anytown").click()
    settled(page, wait_for_app)
    page.locator("input[type=file]").set_input_files(str(upload))
    expect(page.get_by_text("Preview — nothing has been saved yet")).to_be_visible(timeout=60_000)
    expect(page.get_by_text("Already stored:", exact=False)).to_have_count(2)  # Q1 and Q4, as they are
    import_button = page.get_by_role("button", name="Import", exact=True)
    expect(import_button).to_be_disabled()
    why = page.get_by_text("Import is not available yet", exact=False)
    expect(why).to_be_visible()
    expect(why).to_contain_text("Sheet 'Q2 2017-18'")
    expect(why).to_contain_text("Sheet 'Q3 2017-18'")

    page.get_by_text("Replace the plan's existing review as at 30 September 2017", exact=False).click()
    settled(page, wait_for_app)
    expect(import_button).to_be_disabled()  # Q3 still needs a choice, and says so
    expect(page.get_by_text("Import is not available yet", exact=False)).to_contain_text("Sheet 'Q3 2017-18'")
    # Q1 and Q4 are left alone (no choices); the boxes are Q2's, Q3's and the new tab's, in that order.
    page.get_by_text("Leave this review out of the import").nth(1).click()
    settled(page, wait_for_app)
    expect(import_button).to_be_enabled()

    import_button.click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("replaces the review of that date stored now")
    assert int(catalogue.list_plans(engine).set_index("name").loc["Anytown", "reviews"]) == 4  # nothing yet
    dialog.get_by_role("button", name="Replace and import").click()
    message = page.get_by_test_id("stAlertContentSuccess")
    expect(message).to_contain_text("Imported 2 reviews from plan with Q1 2018-19.xlsx into 'Anytown'", timeout=60_000)
    expect(message).to_contain_text("Added: Q1 2018/19 as at 30 June 2018 (sheet 'Q1 2018-19')")
    expect(message).to_contain_text(
        f"Replaced: Q2 2017/18 as at 30 September 2017 (sheet 'Q2 2017-18'), replacing review {first.review_ids[1]}"
    )
    expect(page.get_by_test_id("stException")).to_have_count(0)
    history = catalogue.review_history(engine, first.plan_id)
    replaced = history[history["replaced_by_id"].notna()]
    assert list(replaced["id"]) == [first.review_ids[1]] and len(history) == 6
    engine.dispose()
