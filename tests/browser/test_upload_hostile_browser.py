"""A hostile file uploaded through the real server costs one refused file, not the server (issue
13 item 1): before the used-range check and the sandbox, a 2 KB .xlsx made the Streamlit process
abort, for every viewer."""

from __future__ import annotations

import urllib.request

from board_helpers import settled, wait_for_seed
from playwright.sync_api import expect

from tests.data_access.importer import hostile


def test_hostile_uploads_are_refused_and_the_server_lives_on(page, streamlit_server, wait_for_app, tmp_path):
    server = streamlit_server
    page.goto(server.url + "/upload")
    wait_for_seed(server.database_url)
    settled(page, wait_for_app)
    for name, data, words in (
        ("far.xlsx", hostile.far_cell(), "far.xlsx has 1,048,576 rows"),
        ("amplifier.xlsx", hostile.shared_string_amplifier(), "amplifier.xlsx needs more than 600 MB of memory"),
    ):
        path = tmp_path / name
        path.write_bytes(data)
        page.locator("input[type=file]").set_input_files(str(path))
        expect(page.get_by_text(words, exact=False)).to_be_visible(timeout=60_000)
        assert server.process.poll() is None, server.log_tail()
        with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=10) as response:
            assert response.status == 200
    expect(page.get_by_test_id("stException")).to_have_count(0)
