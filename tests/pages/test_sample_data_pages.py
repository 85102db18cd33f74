"""Every page runs on the real sample plans (seeded from the committed trackers, as `make run`
does) without an exception, and the overview's figures are the queries' figures."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import streamlit as st
from page_helpers import FIRST_RUN_PAGES, open_page, shown
from streamlit.testing.v1 import AppTest

from data_access.importer.sample_seed import seed
from data_access.reads import catalogue, review_figures
from data_access.storage.database import make_engine, upgrade

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
PAGES = re.findall(r'st\.Page\(\s*"(pages/[a-z_-]+\.py)"', (ROOT / "app.py").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def sample_url(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('sample') / 'board.db'}"
    engine = make_engine(url)
    upgrade(engine)
    assert seed(engine) == 4
    engine.dispose()
    return url


@pytest.fixture
def run_app(sample_url, monkeypatch):
    monkeypatch.setenv("BOARD_DATABASE_URL", sample_url)
    st.cache_data.clear()
    st.cache_resource.clear()

    def run(page: str, **params) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=60)
        for key, value in params.items():
            at.query_params[key] = value
        open_page(at, page)
        return at

    yield run
    st.cache_data.clear()
    st.cache_resource.clear()


def test_every_page_is_in_the_list():
    pages = {"pages/upload.py", "pages/board-pack.py", "pages/portfolio.py", "pages/audit.py", "pages/plan_settings.py"}
    assert len(PAGES) == 14 and pages | {"pages/sign_off.py", "pages/my_actions.py", "pages/update_round.py"} <= set(
        PAGES
    )


def test_pages_opened_on_the_first_run_are_served_under_their_file_names():
    """AppTest finds a page by file name on its first run (page_helpers.open_page): every page
    opened that way must be served at its file's name, or the test would run the overview."""
    served = dict(
        re.findall(r'st\.Page\(\s*"pages/([a-z_-]+)\.py"[^)]*?url_path="([a-z_-]+)"', (ROOT / "app.py").read_text())
    )
    assert len(served) == len(PAGES)
    assert {name for name, path in served.items() if name == path} == FIRST_RUN_PAGES


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_on_every_sample_plan(run_app, sample_url, page):
    plans = catalogue.list_plans(make_engine(sample_url))
    for plan_id in plans["id"]:
        params = {"plan": str(plan_id), "as_of": "2018-01-31"}
        if page == "pages/action.py":
            reviews = catalogue.list_reviews(make_engine(sample_url), int(plan_id))
            actions = review_figures.review_actions(
                make_engine(sample_url), int(reviews["id"].iloc[-1]), dt.date(2018, 1, 31)
            )
            params["action"] = str(int(actions["action_id"].iloc[0]))
        at = run_app(page, **params)
        assert not at.exception, (page, plan_id, [e.value for e in at.exception])
        assert at.title, (page, plan_id)


def test_overview_figures_are_the_query_figures(run_app, sample_url):
    engine = make_engine(sample_url)
    as_of = dt.date(2018, 1, 31)
    for plan in catalogue.list_plans(engine).itertuples():
        latest = catalogue.list_reviews(engine, plan.id).iloc[-1]
        # An 'overdue as at' before the review's own date is moved up to it, with a notice.
        counted_at = max(as_of, latest["as_at"])
        kpis = review_figures.review_kpis(engine, int(latest["id"]), counted_at)
        at = run_app("pages/overview.py", plan=str(plan.id), as_of=as_of.isoformat())
        assert bool(at.warning) == (counted_at > as_of), [w.value for w in at.warning]
        assert shown(at.title[0].value) == plan.name
        tiles = {m.label: m.value for m in at.metric}
        assert tiles["Actions"] == str(kpis.actions)
        assert tiles["Complete"] == f"{kpis.pct_complete}%"
        assert tiles["✖ Red"] == str(kpis.red)
        assert tiles["Overdue"] == str(kpis.overdue)
