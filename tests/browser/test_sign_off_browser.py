"""The For sign-off page in Chromium (issue 25): no serious or critical accessibility violation;
the local editor signs off an action awaiting sign-off with the evidence the board saw and an
evidence file uploaded through the form (a small real PDF made here), after a disallowed file (an
.exe renamed .pdf) was refused with one sentence naming it and nothing written; the file then
downloads from the For sign-off page and from the action history (a server of this test only, so
the session's plans stay as seeded).

Every wait is on the settled run (board_helpers.settled: the script run the click started has
finished, counted on the websocket), never a fixed pause."""

from __future__ import annotations

import io
import re

from board_helpers import plan_named, seed_by_visiting, settled
from playwright.sync_api import expect
from pypdf import PdfWriter
from test_accessibility import serious

from data_access.reads import signoff_figures
from data_access.storage.database import make_engine

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200  # a Windows program's start


def _small_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Title": "Audit report to the board"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _figures(url: str, review_id: int, action_id: int):
    engine = make_engine(url)
    try:
        return signoff_figures.signoff_counts(engine, review_id), signoff_figures.evidence_files(engine, action_id)
    finally:
        engine.dispose()


def _open(page, url: str, wait_for_app) -> None:
    page.goto(url)
    settled(page, wait_for_app)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_text("Page not found")).to_have_count(0)  # no notice over the page


def _choose(page, action) -> None:
    """Pick the action in the multiselect: type to narrow the list, then click its own option
    (found by its key, so a slow filter can never pick another)."""
    chooser = page.get_by_label("Actions to sign off")
    chooser.click()
    page.keyboard.type(f"{action.key}: {action.description}"[:40])
    page.get_by_role("option").filter(has_text=re.compile(rf"^{re.escape(action.key)}:")).first.click()
    page.keyboard.press("Escape")
    chosen = page.locator("[data-tag]").filter(has_text=re.compile(rf"^{re.escape(action.key)}:"))
    expect(chosen).to_have_count(1)  # the one action chosen, shown as a tag


def _attach(page, name: str, data: bytes, mime: str) -> None:
    """Upload a file through the form's file uploader and wait until it is listed (sent to the server)."""
    page.locator("input[type=file]").set_input_files(files=[{"name": name, "mimeType": mime, "buffer": data}])
    uploader = page.get_by_test_id("stFileUploader")
    expect(uploader.get_by_text(name, exact=True)).to_be_visible()
    expect(uploader.get_by_role("progressbar")).to_have_count(0)  # the upload has finished


def _download(page, button) -> bytes:
    expect(button).to_be_enabled()
    with page.expect_download() as download:
        button.click()
    return download.value.path().read_bytes()


def test_sign_off_with_an_evidence_file_and_download_it(page, fresh_streamlit_server, wait_for_app):
    server = fresh_streamlit_server
    seed_by_visiting(page, server)
    # A fresh server's first run is best at / (a deep link on its very first run meets Streamlit's
    # "Page not found" notice, which covers the page: tests/browser/test_round_browser.py).
    page.goto(f"{server.url}/")
    settled(page, wait_for_app)
    rutland = plan_named(server.database_url, "Rutland")
    latest = rutland.review_ids[-1]
    engine = make_engine(server.database_url)
    try:
        first = next(
            a for a in signoff_figures.complete_actions(engine, latest) if a.completion.endswith("awaiting sign-off")
        )
    finally:
        engine.dispose()
    before, no_files = _figures(server.database_url, latest, first.action_id)
    assert no_files == []
    sign_off_url = f"{server.url}/sign-off?plan={rutland.plan_id}&as_of=2018-04-14"

    _open(page, sign_off_url, wait_for_app)
    expect(page.get_by_role("heading", name="For sign-off")).to_be_visible()
    expect(page.get_by_role("heading", name="Date changes for approval")).to_be_visible()
    assert not serious(page)

    # A program renamed .pdf: refused with one sentence naming the file; nothing is written.
    _choose(page, first)
    page.get_by_label("Evidence the board saw").fill("Audit report to the board, April 2018")
    _attach(page, "minutes.pdf", EXE, "application/pdf")
    page.get_by_role("button", name="Sign off").click()
    settled(page, wait_for_app)
    error = page.get_by_test_id("stAlertContentError")
    expect(error).to_have_count(1)
    said = error.inner_text().strip()
    assert said.startswith("minutes.pdf is not a PDF"), said
    assert "\n" not in said and said.count(". ") == 0 and said.endswith("."), said  # one sentence
    expect(page.get_by_text(f"Signed off: {first.key}.")).to_have_count(0)
    assert _figures(server.database_url, latest, first.action_id) == (before, [])

    # A fresh form, a real PDF: signed off, the file kept with the sign-off.
    pdf = _small_pdf()
    _open(page, sign_off_url, wait_for_app)
    _choose(page, first)
    page.get_by_label("Evidence the board saw").fill("Audit report to the board, April 2018")
    _attach(page, "audit report.pdf", pdf, "application/pdf")
    page.get_by_role("button", name="Sign off").click()
    settled(page, wait_for_app)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_text(f"Signed off: {first.key}.")).to_be_visible()
    after, kept = _figures(server.database_url, latest, first.action_id)
    assert after == {"signed_off": before["signed_off"] + 1, "awaiting": before["awaiting"] - 1}
    assert [(f.file_name, f.media_type, f.size) for f in kept] == [("audit report.pdf", "application/pdf", len(pdf))]

    # It downloads from For sign-off (the action is now under "Signed off") and from the action history.
    label = re.compile(r"^Evidence file: audit report\.pdf \(\d+ KB\)$")
    assert _download(page, page.get_by_role("button", name=label)) == pdf
    _open(page, f"{server.url}/action?plan={rutland.plan_id}&action={first.action_id}&as_of=2018-04-14", wait_for_app)
    expect(page.get_by_role("heading", name="The board's decisions")).to_be_visible()
    assert _download(page, page.get_by_role("button", name=label)) == pdf
