"""The deployment (issue 14 item 3): deploy/launch.py starts two replicas of the app and HAProxy on
localhost, on one fresh PostgreSQL database. Migrations and the sample plans are done once, before
the replicas start; a browser and a websocket session each stay on their replica (cookie
affinity); an import through one replica shows on the other's next run.

The browser is real Chromium (pytest-playwright); the second viewer is bench/ws_client.py, a
client speaking Streamlit's websocket protocol.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from board_helpers import settled
from playwright.sync_api import expect
from sqlalchemy import text
from test_upload_browser import RUTLAND_LAST, next_quarter_tracker

from data_access.reads import catalogue
from data_access.storage.database import make_engine

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
from ws_client import Session, http_get  # noqa: E402

HAPROXY = "/usr/sbin/haproxy"


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def deployment(empty_pg_url, tmp_path, unavailable, browser_type_launch_args):
    """deploy/launch.py with two replicas on a fresh PostgreSQL database; yields its front URL."""
    if not os.access(HAPROXY, os.X_OK):
        unavailable(f"HAProxy not found at {HAPROXY}: apt-get install haproxy")
    port, ports = _free_port(), [_free_port(), _free_port()]
    log = tmp_path / "launch.log"
    process = subprocess.Popen(
        [
            sys.executable, str(ROOT / "deploy" / "launch.py"), "--replicas", "2", "--port", str(port),
            "--replica-ports", ",".join(map(str, ports)), "--db", empty_pg_url, "--run-dir", str(tmp_path / "run"),
            "--cookie-secret", "the-same-secret-on-every-replica",
        ],
        cwd=ROOT, stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 240
    while True:
        assert process.poll() is None, f"the launcher exited early:\n{log.read_text()}"
        try:
            if http_get(url + "/_stcore/health", timeout=2)[0] == 200:
                break
        except OSError:
            pass
        assert time.monotonic() < deadline, f"the deployment never became healthy:\n{log.read_text()}"
        time.sleep(0.5)
    yield url, empty_pg_url, log
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    assert process.returncode == 0, log.read_text()


def test_two_replicas_behind_haproxy(deployment, page, wait_for_app, tmp_path):
    url, db_url, log = deployment
    # Start-up work happened once, before the replicas: one migration, the sample plans once.
    engine = make_engine(db_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar_one() == 1
    plans = catalogue.list_plans(engine).set_index("name")
    assert len(plans) == 4 and plans.index.is_unique
    rutland = next(name for name in plans.index if name.startswith("Rutland"))
    rutland_id = int(plans.loc[rutland, "id"])
    launch_log = log.read_text()
    assert launch_log.index("Loaded 4 sample plan(s)") < launch_log.index("replica r1")

    # A manager's browser, pinned to one replica by HAProxy's cookie.
    response = page.goto(url + "/upload")
    browser_replica = response.headers["x-board-replica"]
    cookie = {c["name"]: c["value"] for c in page.context.cookies()}["BOARD_REPLICA"]
    assert cookie == browser_replica
    settled(page, wait_for_app)

    async def viewer_on_the_other_replica():
        """A board member's session on the other replica: opens the overview, then checks that
        every request of the session stays there."""
        for _ in range(4):  # round robin: the next new session lands on the other replica
            session = Session(url)
            await session.open()
            if session.cookies.get("BOARD_REPLICA") != browser_replica:
                return session
            await session.close()
        raise AssertionError("HAProxy never sent a new session to the second replica")

    async def first_look():
        session = await viewer_on_the_other_replica()
        run = await session.run("", f"plan={rutland_id}")
        assert run.ok and "Q4 2017/18" in run.texts() and "Q1 2018/19" not in run.texts()
        assert session.ws.response.headers["X-Board-Replica"] == session.cookies["BOARD_REPLICA"]
        for _ in range(5):  # the same session's requests keep going to the same replica
            _, headers, _ = await asyncio.to_thread(http_get, url + "/", dict(session.cookies))
            assert headers["x-board-replica"] == session.cookies["BOARD_REPLICA"]
        return session

    # Playwright's sync API owns this thread's event loop: the websocket client gets its own thread.
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()

    def on_client_loop(coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, loop).result(timeout=120)

    try:
        viewer = on_client_loop(first_look())
        viewer_replica = viewer.cookies["BOARD_REPLICA"]
        assert viewer_replica != browser_replica

        # The manager imports next quarter's tracker through their replica.
        page.get_by_role("combobox", name="Import into").click()
        page.get_by_role("option", name=rutland).click()
        settled(page, wait_for_app)
        upload = tmp_path / "rutland-2018-06-30.xlsx"
        upload.write_bytes(next_quarter_tracker(RUTLAND_LAST))
        page.locator("input[type=file]").set_input_files(str(upload))
        expect(page.get_by_text("Preview — nothing has been saved yet")).to_be_visible(timeout=60_000)
        settled(page, wait_for_app)
        page.get_by_role("button", name="Import", exact=True).click()
        expect(page.get_by_text("Imported 1 review from rutland-2018-06-30.xlsx", exact=False)).to_be_visible(
            timeout=60_000
        )
        # The browser stayed on its replica throughout.
        assert {c["name"]: c["value"] for c in page.context.cookies()}["BOARD_REPLICA"] == browser_replica

        # The viewer's next run, on the other replica, shows the new review.
        run = on_client_loop(viewer.run("", f"plan={rutland_id}"))
        assert run.ok and "Q1 2018/19" in run.texts(), run.texts()[:500]
        assert viewer.ws.response.headers["X-Board-Replica"] == viewer_replica
        on_client_loop(viewer.close())
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        engine.dispose()
