"""AppTest fixtures: the whole app (app.py, so the shared frame runs) against a tmp SQLite
database holding the hand-checked plan from tests/data_access/reads/test_board.py."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from data_access.storage.database import make_engine, upgrade
from tests.fixtures import MEETING, populate_board
from tests.pages.page_helpers import open_page

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture
def app_database(tmp_path, monkeypatch, migrated_sqlite):
    """`app_database(build)`: a new SQLite file, migrated and filled by `build(engine)` (a
    tests.fixtures builder), made the app's database (BOARD_DATABASE_URL) with Streamlit's caches
    cleared before and after the test; returns what `build` returned."""
    st.cache_data.clear()
    st.cache_resource.clear()

    def use(build, name: str = "board.db"):
        url = migrated_sqlite(tmp_path / name)
        engine = make_engine(url)
        upgrade(engine)
        try:
            built = build(engine)
        finally:
            engine.dispose()
        monkeypatch.setenv("BOARD_DATABASE_URL", url)
        use.url = url
        return built

    yield use
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def board_db(app_database) -> dict:
    """A populated database, set as BOARD_DATABASE_URL; returns the ids (plan, q1, q2, actions)."""
    ids = app_database(populate_board)
    ids["url"] = app_database.url
    return ids


@pytest.fixture
def app(board_db):
    """A factory: app(page=None, *, user=None, secrets=None, **query_params) -> an AppTest that has
    run once (and switched to `page`, e.g. "pages/overdue.py", if given), with `secrets` as its
    secrets and `user` as st.user when given. Caches are cleared so each test sees its own DB;
    as_of defaults to the meeting date used by the hand-checked figures."""
    st.cache_data.clear()
    st.cache_resource.clear()

    def make(page: str | None = None, *, user: dict | None = None, secrets: dict | None = None, **params) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=60)
        params.setdefault("as_of", MEETING.isoformat())
        for key, value in params.items():
            at.query_params[key] = value
        if secrets is not None:
            at.secrets = secrets
        if user is not None:
            at.user = dict(user)
        open_page(at, page)
        assert not at.exception, [e.value for e in at.exception]
        return at

    make.ids = board_db
    yield make
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def deferred(monkeypatch):
    """page_helpers.DeferredDownloads: fetch what a download button (built on click) gives."""
    from page_helpers import DeferredDownloads

    return DeferredDownloads(monkeypatch)
