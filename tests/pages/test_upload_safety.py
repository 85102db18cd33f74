"""The upload page with hostile files and a mis-set server limit (issue 13 items 1 and 2)."""

from __future__ import annotations

import pytest
from streamlit import config

from tests.data_access.importer import hostile, messy
from tests.pages.page_helpers import shown

PAGE = "pages/upload.py"


@pytest.fixture
def server_limit():
    before = config.get_option("server.maxUploadSize")

    def set_limit(mb: int) -> None:
        config.set_option("server.maxUploadSize", mb)

    yield set_limit
    config.set_option("server.maxUploadSize", before)


def _warnings(at) -> list[str]:
    return [shown(w.value) for w in at.warning]


def test_a_server_limit_above_the_boards_is_reported(app, server_limit):
    server_limit(200)
    at = app(PAGE)
    assert any("accepts uploads of up to 200 MB, more than the board's limit of 20 MB" in w for w in _warnings(at))
    server_limit(20)
    at = app(PAGE)
    assert not any("accepts uploads" in w for w in _warnings(at))


def test_a_file_that_would_exhaust_memory_is_refused_and_the_page_goes_on(app):
    at = app(PAGE)
    at.get("file_uploader")[0].upload("amplifier.xlsx", hostile.shared_string_amplifier()).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.error and "amplifier.xlsx needs more than 600 MB of memory" in shown(at.error[0].value)
    at.get("file_uploader")[0].upload("far.xlsx", hostile.far_cell()).run()
    assert "far.xlsx has 1,048,576 rows" in shown(at.error[0].value)
    at.get("file_uploader")[0].upload("plan.xlsx", messy.build_xlsx(title_rows=True)).run()
    assert not at.exception and not at.error
    assert at.header[0].value == "Preview — nothing has been saved yet"
