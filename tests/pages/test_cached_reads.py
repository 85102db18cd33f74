"""pages/ui/cached_reads.py: the engine survives "Clear cache" (issue 13 item 6), and a clear while
another process is writing never shows a viewer a lock or "could not be opened" error."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

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
