"""Helpers for the board browser tests: what the seeded sample database holds."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from data_access.reads import catalogue, review_figures
from data_access.storage.database import make_engine


@dataclass(frozen=True)
class SamplePlan:
    plan_id: int
    name: str
    review_ids: list[int]
    review_labels: list[str]
    rec_refs: list[str]


def _described(engine, plan) -> SamplePlan:
    """A row of catalogue.list_plans as a SamplePlan: its reviews, and its recommendations' refs
    in its latest review."""
    reviews = catalogue.list_reviews(engine, int(plan["id"]))
    actions = review_figures.review_actions(engine, int(reviews["id"].iloc[-1]), reviews["as_at"].iloc[-1])
    return SamplePlan(
        int(plan["id"]),
        plan["name"],
        [int(r) for r in reviews["id"]],
        list(reviews["label"]),
        list(dict.fromkeys(actions["rec_ref"])),
    )


def sample_plan(database_url: str) -> SamplePlan:
    """The seeded plan with the most reviews (first by name on a tie)."""
    engine = make_engine(database_url)
    try:
        plans = catalogue.list_plans(engine).sort_values(["reviews", "name"], ascending=[False, True])
        plan = plans.iloc[0]
        return _described(engine, plan)
    finally:
        engine.dispose()


def is_seeded(url: str) -> bool:
    """Whether every sample review is in the database (False while it is not even migrated)."""
    from sample_data.plans import build_plans

    expected = sum(len(plan.reviews) for plan in build_plans())
    engine = make_engine(url)
    try:
        return int(catalogue.list_plans(engine)["reviews"].sum()) >= expected
    except Exception:  # noqa: BLE001 - not migrated yet
        return False
    finally:
        engine.dispose()


def wait_for_seed(url: str, timeout_s: float = 90) -> None:
    """The app seeds on first start (a page load does it), one tracker file per transaction.
    Poll until every sample review is there, not just the first plan."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if is_seeded(url):
            return
        time.sleep(0.5)
    raise AssertionError("the sample data was never seeded")


def seed_by_visiting(page, server) -> None:
    """The session server seeds the sample plans on its first page load. Open / only while they
    are not all in: a load costs about 2 s here, and every test then opens its own URL."""
    if not is_seeded(server.database_url):
        page.goto(server.url + "/")
        wait_for_seed(server.database_url)


def settled(page, wait_for_app, timeout_s: float = 60) -> None:
    """Wait for the script run that the last navigation or click started to finish (one more
    finished run than when this last returned, counted on the page's websocket by the conftest's
    RunWatcher), then for a settled page. No fixed pauses: a click's rerun starts asynchronously,
    and the counter sees it whenever it comes."""
    watcher = page.board_runs
    deadline = time.monotonic() + timeout_s
    while watcher.awaiting_document or watcher.finished <= watcher.settled_at:
        if time.monotonic() > deadline:
            raise AssertionError("no script run finished: the action did not rerun the app")
        page.wait_for_timeout(20)  # hands control to Playwright, which delivers the frames
    wait_for_app(page)
    watcher.settled_at = watcher.finished


def query_of(url: str) -> dict[str, list[str]]:
    from urllib.parse import parse_qs, urlparse

    return parse_qs(urlparse(url).query, keep_blank_values=True)


def open_every_expander(page, wait_for_app) -> None:
    """Open every expander on the page. One drawn only when open (pages.ui.html_tables.folded, key
    prefix "folded_") reruns the page when clicked: wait for that run before the next click."""
    summaries = page.locator("details summary")
    for index in range(summaries.count()):
        summary = summaries.nth(index)
        reruns = summary.evaluate("s => !!s.closest('[class*=\"st-key-folded_\"]')")
        summary.click()
        if reruns:
            try:
                settled(page, wait_for_app, timeout_s=30)
            except AssertionError:
                # On a loaded machine a click can land while React is still re-rendering the page,
                # and is lost: the expander stayed shut and nothing ran. Click it once more then;
                # an expander that opened and still did not rerun the app fails as before.
                if summary.evaluate("s => s.parentElement.open"):
                    raise
                summary.click()
                settled(page, wait_for_app)


SLIDE = re.compile(r"Slide (\d+) of (\d+): (.+)")


def plan_named(database_url: str, start: str) -> SamplePlan:
    """The seeded plan whose name starts with `start` (e.g. 'Rutland': 17 recommendations, the
    longest deck; 'Stockton-on-Tees – JTAI': partner agencies)."""
    engine = make_engine(database_url)
    try:
        plans = catalogue.list_plans(engine)
        plan = plans[plans["name"].str.startswith(start)].iloc[0]
        return _described(engine, plan)
    finally:
        engine.dispose()


# How far the slide's content reaches, against the window: the main area's scroll height and the
# bottom of the lowest visible element (anything below the window would need scrolling).
SLIDE_EXTENT_JS = """
() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const block = document.querySelector('[data-testid="stMainBlockContainer"]');
  let bottom = 0;
  block.querySelectorAll('*').forEach((e) => {
    const r = e.getBoundingClientRect();
    if (r.width > 0 && r.height > 0) { bottom = Math.max(bottom, r.bottom + main.scrollTop); }
  });
  return { scroll: main.scrollHeight, bottom: Math.ceil(bottom), height: window.innerHeight,
           docScroll: document.documentElement.scrollHeight };
}
"""


def slide_title(page) -> str:
    """The slide bar's 'Slide n of N: title' text."""
    return page.get_by_text(SLIDE).first.inner_text().replace("\u2060", "")


def plain_title(title: str) -> str:
    """'Overdue actions (2 of 3)' -> 'Overdue actions'."""
    return re.sub(r" \(\d+ of \d+\)$", "", title)
