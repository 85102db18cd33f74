"""pages/ui/cached_reads.py: the engine survives "Clear cache" (issue 13 item 6), and a clear while
another process is writing never shows a viewer a lock or "could not be opened" error."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
import streamlit as st

from pages.ui import cached_reads

ROOT = Path(__file__).resolve().parents[2]

HOLD = """
import sys, time
from pathlib import Path
from data_access.storage import plan_writer
from data_access.storage.database import make_engine, write_transaction
from data_access.domain.tracker_rows import PlanInfo
engine = make_engine(sys.argv[1])
with write_transaction(engine) as conn:
    plan_writer.ensure_plan(conn, PlanInfo(name="Being imported"))
    Path(sys.argv[2]).touch()
    deadline = time.monotonic() + 60
    while not Path(sys.argv[3]).exists() and time.monotonic() < deadline:
        time.sleep(0.02)
"""


def test_the_engine_survives_a_cache_clear(app):
    at = app()
    engine = cached_reads.get_engine()
    st.cache_resource.clear()
    st.cache_data.clear()
    at.run()
    assert not at.exception and not at.error
    assert cached_reads.get_engine() is engine


def test_a_viewer_after_a_cache_clear_during_an_import_sees_the_board(app, tmp_path):
    at = app()
    ready, release = tmp_path / "ready", tmp_path / "release"
    holder = subprocess.Popen([sys.executable, "-c", HOLD, app.ids["url"], str(ready), str(release)], cwd=ROOT)
    try:
        deadline = time.monotonic() + 60
        while not ready.exists() and time.monotonic() < deadline and holder.poll() is None:
            time.sleep(0.02)
        assert ready.exists(), "the importing process never started"
        st.cache_resource.clear()  # what an anonymous "Clear cache" does
        st.cache_data.clear()
        start = time.monotonic()
        at.run()
        took = time.monotonic() - start
    finally:
        release.touch()
        holder.wait(timeout=60)
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert took < 5, f"the run waited {took:.1f} s for the import"
    assert at.title[0].value == "Testshire ILACS 2024"


def test_a_shared_figure_is_computed_once_while_other_sessions_wait(board_db, monkeypatch):
    """A room opening the board at once (or right after an import) asks for the same figures
    together: one session computes each (function, arguments, data version) and the others wait
    for its result, never computing it again themselves (issue 27)."""
    import threading

    from data_access.reads import catalogue

    calls: list[tuple] = []
    started = threading.Event()

    def slow_figure(engine, plan_id):
        calls.append((plan_id,))
        started.set()
        time.sleep(0.3)  # long enough for every other thread to arrive while it computes
        return {"plan": plan_id}

    slow_figure.__module__, slow_figure.__qualname__ = catalogue.__name__, "slow_figure_for_the_test"
    monkeypatch.setattr(catalogue, "slow_figure_for_the_test", slow_figure, raising=False)
    st.cache_resource.clear()
    results: list = []

    def session(version: str, plan_id: int) -> None:
        results.append(cached_reads._cached_query(catalogue.__name__, "slow_figure_for_the_test", version, plan_id))

    threads = [threading.Thread(target=session, args=("v1", 7)) for _ in range(8)]
    threads += [threading.Thread(target=session, args=("v2", 7))]  # a new data version: computed afresh
    for thread in threads[:1]:
        thread.start()
    started.wait(10)
    for thread in threads[1:]:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(results) == 9 and all(r == {"plan": 7} for r in results)
    assert len(calls) == 2  # once for v1 (eight sessions), once for v2


def test_shared_computes_once_while_other_sessions_wait_and_keeps_no_failure():
    """cached_reads.shared (the RAG chart's figure, the Plotly template): fifty sessions arriving
    together on a fresh process wait for one build instead of each building it; a build that
    raises is not kept; beyond maxsize the least recently used result is dropped."""
    import threading

    calls: list[int] = []
    fail = {"once": True}

    @cached_reads.shared(maxsize=2)
    def build(n: int) -> dict:
        calls.append(n)
        time.sleep(0.2)
        if n == 99 and fail["once"]:
            fail["once"] = False
            raise ValueError("the first build fails")
        return {"n": n}

    results: list = []
    threads = [threading.Thread(target=lambda: results.append(build(1))) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert results == [{"n": 1}] * 20 and calls == [1]
    assert build(1) is results[0]  # the one result, shared

    with pytest.raises(ValueError):
        build(99)
    assert build(99) == {"n": 99} and calls == [1, 99, 99]  # the failure was not kept
    build(2)  # maxsize 2: 1 was used least recently, so it goes
    build(1)
    assert calls == [1, 99, 99, 2, 1]


def test_per_data_version_builds_once_per_version_and_arguments(monkeypatch):
    """cached_reads.per_data_version (the overview's HTML bars and table of changes): one build per
    data version and arguments, shared; a new data version (an import) builds it again; a cache
    clear (as between tests, or "Clear cache") drops it; two functions never share a result."""
    st.cache_resource.clear()
    version = {"now": "v1"}
    monkeypatch.setattr(cached_reads, "data_version", lambda: version["now"])
    calls: list[tuple] = []

    @cached_reads.per_data_version
    def build(view: str, note: str) -> str:
        calls.append((version["now"], view, note))
        return f"<p>{view} {note} {version['now']}</p>"

    @cached_reads.per_data_version
    def other(view: str, note: str) -> str:
        return "other"

    first = build("plan 1", "a")
    assert build("plan 1", "a") is first and calls == [("v1", "plan 1", "a")]
    assert build("plan 2", "a") == "<p>plan 2 a v1</p>" and len(calls) == 2
    assert other("plan 1", "a") == "other"
    version["now"] = "v2"
    assert build("plan 1", "a") == "<p>plan 1 a v2</p>" and calls[-1] == ("v2", "plan 1", "a") and len(calls) == 3
    st.cache_resource.clear()
    assert build("plan 1", "a") == "<p>plan 1 a v2</p>" and len(calls) == 4
