"""Browser tests: a real `streamlit run app.py` on a free port with its own fresh SQLite database,
driven by pytest-playwright in Debian's Chromium (never a browser that playwright downloads).

Fixtures:
- `streamlit_server` (session): one server for the whole run; the app seeds its sample data itself
  on the first start against the empty database.
- `fresh_streamlit_server` (per test): a second, never-touched server with its own empty database,
  for tests that need a first visit (deep links, first-run seeding).
- `start_app(port=..., env=...)` (per test): servers started with a chosen port or extra
  environment (the sign-in test's secrets file), stopped after the test.
- `wait_for_app(page)`: waits until the script run is over (no "running" widget, no skeletons).
- `screenshot(page, name)`: saves a PNG under artifacts/screenshots/ (git-ignored).
- `browser_type_launch_args`: pytest-playwright's launch options, overridden to use
  /usr/bin/chromium (BOARD_TEST_CHROMIUM overrides) with the flags this machine needs.

Every test in this folder gets the `browser` marker. No Chromium: skip locally, fail when CI is set
(the `unavailable` policy in tests/conftest.py).
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

# Never let playwright fetch a browser of its own; the tests use the system's Chromium.
os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR = PROJECT_ROOT / "artifacts" / "screenshots"
CHROMIUM = os.environ.get("BOARD_TEST_CHROMIUM", "/usr/bin/chromium")
# As root Chromium needs --no-sandbox; the rest keep it off this machine's closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
STARTUP_TIMEOUT_S = 90


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.browser)


# ---------------------------------------------------------------------------
# Chromium for pytest-playwright
# ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, unavailable):
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        unavailable(f"Chromium not found at {CHROMIUM}: apt-get install chromium")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A projector-ish window; the app is laid out wide.
    return {**browser_context_args, "viewport": {"width": 1366, "height": 900}}


class RunWatcher:
    """Counts the script runs the browser has seen finish: ForwardMsg.script_finished frames on the
    page's Streamlit websocket (every page the tab opens). Tests wait on this, never on sleeps
    (board_helpers.settled); a DOM attribute can flip to running and back between two checks
    when a run is quick, a websocket frame cannot be missed."""

    def __init__(self, page):
        self.finished = 0
        self.settled_at = 0  # `finished` when a test last waited for the page to settle
        self.awaiting_document = False  # a goto or reload is loading a new document
        self._socket = None
        page.on("websocket", self.opened)

    def opened(self, ws) -> None:
        # A new document (page.goto, a reload) opens a new websocket: count its runs from zero, so
        # runs of a page the test never waited for are not taken for the new page's.
        self._socket, self.finished, self.settled_at = ws, 0, 0
        self.awaiting_document = False
        ws.on("framereceived", lambda payload: self._frame(ws, payload))

    def _frame(self, ws, payload) -> None:
        if ws is self._socket and isinstance(payload, bytes):
            from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

            msg = ForwardMsg()
            msg.ParseFromString(payload)
            # A run cut short by st.rerun or st.switch_page is not a drawn page: its successor is.
            if (
                msg.WhichOneof("type") == "script_finished"
                and msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN
            ):
                self.finished += 1


# Tests that visit only the session server take turns in one browser context and one tab per test
# process (`shared_context`): its HTTP cache then holds Streamlit's JavaScript after the first
# test, and the tab's renderer process has compiled it already. A page load there costs about half
# the CPU of one in a fresh context and tab. Each test's first navigation still opens a new
# document and with it a new Streamlit session. When the test ends, the tab goes back to
# about:blank and the context forgets the server's cookies, local and session storage (the frontend
# keeps its sidebar state there), permissions and routes; the next test gets the default viewport
# and the mouse at (0, 0), as a new tab has them. A tab that a failed test leaves, or that a test
# gave a listener, init script or other setting that would outlive it (`tab_was_changed`), is
# closed, and the next test opens a new one. Tests with servers of their own
# (`fresh_streamlit_server`, `start_app`, the replicas' `deployment`: first visits, sign-in
# cookies) get a fresh context as before, and so does every test when pytest-playwright records
# traces, videos or screenshots (it records only the contexts it makes).
OWN_SERVER_FIXTURES = ("fresh_streamlit_server", "start_app", "deployment")
# What Storage.clearDataForOrigin clears between tests: everything a page can keep for an origin
# ("all" would reach further than the origin's own storage).
STORAGE_TYPES = "cookies,local_storage,indexeddb,websql,file_systems,service_workers,cache_storage,storage_buckets"
# Page methods whose effect outlives the test that calls them: the tab is not handed on after one.
LASTING_PAGE_SETTINGS = (
    "add_init_script",
    "add_locator_handler",
    "emulate_media",
    "expose_binding",
    "expose_function",
    "set_default_navigation_timeout",
    "set_default_timeout",
    "set_extra_http_headers",
)
FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.failed:
        item.stash[FAILED] = True
    return report


def shares_context(request) -> bool:
    """Whether this test runs in the session's shared browser context (see above)."""
    options = request.config.option
    recording = any(getattr(options, name, "off") not in ("off", None) for name in ("tracing", "video", "screenshot"))
    return (
        not recording
        and "streamlit_server" in request.fixturenames
        and not any(name in request.fixturenames for name in OWN_SERVER_FIXTURES)
    )


@pytest.fixture(scope="session")
def shared_context(browser, browser_context_args, streamlit_server):
    """One browser context for the tests that use only the session server (see `shares_context`)."""
    context = browser.new_context(**browser_context_args)
    yield context
    context.close()


def forget_the_test(context, origin: str, keep=None) -> None:
    """Leave the shared context as a test found it, but for its HTTP cache: every tab closed but
    `keep`, which goes back to about:blank without its routes; the origin's storage, every cookie,
    permission and route cleared."""
    if keep is not None:
        try:
            keep.goto("about:blank")  # ends the test's Streamlit session
            keep.unroute_all(behavior="ignoreErrors")
        except PlaywrightError:  # e.g. an error page still loading: not a tab to hand on
            keep.close()
            keep = None
    speaker = keep or context.new_page()  # a tab to speak to Chromium through
    for tab in context.pages:
        if tab is not speaker:
            tab.close()
    cdp = context.new_cdp_session(speaker)
    try:
        cdp.send("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": STORAGE_TYPES})
    finally:
        cdp.detach()
    if keep is None:
        speaker.close()
    context.clear_cookies()
    context.clear_permissions()
    context.unroute_all(behavior="ignoreErrors")


def listeners(tab) -> dict[str, int]:
    """How many listeners the tab has, by event."""
    emitter = tab._impl_obj  # the sync API's page wraps the event emitter that holds them
    return {name: len(emitter.listeners(name)) for name in emitter.event_names() if emitter.listeners(name)}


def watch_lasting_settings(tab) -> None:
    """Mark the tab (`board_changed`) when the test calls a method in LASTING_PAGE_SETTINGS."""
    tab.board_changed = False
    for name in LASTING_PAGE_SETTINGS:
        method = getattr(type(tab), name)

        def marked(*args, _method=method, **kwargs):
            tab.board_changed = True
            return _method(tab, *args, **kwargs)

        setattr(tab, name, marked)


def tab_was_changed(tab, before: dict[str, int]) -> bool:
    """Whether the test left the tab with more than it was given (see `watch_lasting_settings`)."""
    return tab.board_changed or listeners(tab) != before


@pytest.fixture
def context(request, new_context):
    """pytest-playwright's context, or the shared one when the test may use it (`shares_context`)."""
    if not shares_context(request):
        yield new_context()
        return
    shared = request.getfixturevalue("shared_context")
    origin = request.getfixturevalue("streamlit_server").url
    yield shared
    kept = [tab for tab in shared.pages if getattr(tab, "board_shared", False)]
    forget_the_test(shared, origin, keep=kept[0] if kept else None)


@pytest.fixture
def page(request, context, browser_context_args):
    """A tab of the test's context, with `page.board_runs`: a RunWatcher counting finished runs.
    In the shared context, the tab that the last test handed on (see `shares_context`)."""
    shared = shares_context(request)
    tab = next((t for t in context.pages if getattr(t, "board_shared", False)), None) if shared else None
    if tab is None:
        tab = context.new_page()
        if shared:
            tab.board_shared = True
            watch_lasting_settings(tab)
    elif tab.url != "about:blank" or len(context.pages) != 1:
        pytest.fail(f"the shared tab was not handed on clean: {tab.url}, {len(context.pages)} tabs", pytrace=False)
    if shared:
        tab.set_viewport_size(browser_context_args["viewport"])
        tab.mouse.move(0, 0)
        before = listeners(tab)
    watcher = tab.board_runs = RunWatcher(tab)
    # Until the new document's websocket opens, the old one's runs must not count as the new
    # page's (board_helpers.settled waits for it).
    for name in ("goto", "reload"):
        original = getattr(type(tab), name)

        def navigate(*args, _original=original, **kwargs):
            watcher.awaiting_document = True
            return _original(tab, *args, **kwargs)

        setattr(tab, name, navigate)
    yield tab
    tab.remove_listener("websocket", watcher.opened)
    if shared and (request.node.stash.get(FAILED, False) or tab_was_changed(tab, before)):
        tab.close()  # the next test opens a new tab


@pytest.fixture
def screenshot(request):
    """`screenshot(page, "name")` -> artifacts/screenshots/<test>-<name>.png (full page)."""

    def take(page, name: str = "page") -> Path:
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        stem = re.sub(r"[^A-Za-z0-9_.]+", "-", f"{request.node.name}-{name}").strip("-")
        path = SCREENSHOT_DIR / f"{stem}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


# A page has settled when the app is mounted, a run has started and its script state is no longer
# "running" (set once the browser has processed the run's end, and with it every element the run
# sent), the "running" status widget is gone and no skeleton placeholders are left. A new document
# is "initial" until its first run starts, and has no skeletons then either, so "initial" does not
# count as finished. bench/bench_switch.py waits on the same condition.
SETTLED_JS = """() => !['initial', 'running', 'rerunRequested'].includes(
        document.querySelector('[data-testid="stApp"]')?.dataset.testScriptState ?? 'initial')
    && !document.querySelector('[data-testid="stStatusWidget"]')
    && !document.querySelector('[data-testid="stSkeleton"]')"""


def wait_for_app(page, timeout_ms: int = 60_000) -> None:
    """Wait until Streamlit has finished running the script (SETTLED_JS)."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout_ms)
    page.wait_for_function(SETTLED_JS, timeout=timeout_ms)


@pytest.fixture(name="wait_for_app")
def wait_for_app_fixture():
    """`wait_for_app(page)`: see `wait_for_app`."""
    return wait_for_app


# ---------------------------------------------------------------------------
# The app under test
# ---------------------------------------------------------------------------


@dataclass
class StreamlitServer:
    url: str  # http://127.0.0.1:<port>, no trailing slash
    port: int
    database_url: str
    log_path: Path
    process: subprocess.Popen

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def app_script() -> Path:
    """The script under test: app.py (BOARD_TEST_APP points the fixtures at another script)."""
    return Path(os.environ.get("BOARD_TEST_APP", PROJECT_ROOT / "app.py")).resolve()


def start_streamlit(workdir: Path, *, port: int | None = None, env: dict[str, str] | None = None) -> StreamlitServer:
    """Start `streamlit run` with a fresh SQLite database in `workdir`; return once healthy.
    `port` and `env` (extra environment, e.g. STREAMLIT_SECRETS_FILES) are for the sign-in test,
    whose provider must know the app's address in advance."""
    script = app_script()
    if not script.is_file():
        pytest.fail(f"{script} does not exist", pytrace=False)
    workdir.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    database_url = f"sqlite:///{workdir / 'board.db'}"
    env = {
        **os.environ,
        **(env or {}),
        "BOARD_DATABASE_URL": database_url,  # wins over secrets.toml and data/board.db
        "PYTHONPATH": os.pathsep.join(filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")])),
        "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
        "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD": "1",
    }
    command = [
        sys.executable, "-m", "streamlit", "run", str(script),
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--server.headless", "true",
        "--server.fileWatcherType", "none",
        "--server.runOnSave", "false",
        "--browser.gatherUsageStats", "false",
        "--global.developmentMode", "false",
    ]  # fmt: skip
    log_path = workdir / "streamlit.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=script.parent, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = StreamlitServer(f"http://127.0.0.1:{port}", port, database_url, log_path, process)
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while True:
        if process.poll() is not None:
            pytest.fail(f"streamlit exited with {process.returncode} before it was healthy:\n{server.log_tail()}")
        try:
            with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            stop_streamlit(server)
            pytest.fail(f"streamlit not healthy after {STARTUP_TIMEOUT_S}s:\n{server.log_tail()}")
        time.sleep(0.25)


def stop_streamlit(server: StreamlitServer) -> None:
    """SIGTERM the server's own process group (it was started in a new session), then SIGKILL."""
    if server.process.poll() is not None:
        return
    pgid = server.process.pid
    try:
        os.killpg(pgid, signal.SIGTERM)
        server.process.wait(timeout=15)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(pgid, signal.SIGKILL)
        server.process.wait(timeout=10)


@pytest.fixture(scope="session")
def streamlit_server(tmp_path_factory, browser_type_launch_args):
    """The app on a free port with its own fresh database, for the whole session.

    Depends on browser_type_launch_args so that, without Chromium, no server is started.
    """
    server = start_streamlit(tmp_path_factory.mktemp("streamlit-session"))
    yield server
    stop_streamlit(server)


@pytest.fixture
def fresh_streamlit_server(tmp_path, browser_type_launch_args):
    """A second server with its own empty database, started for this test only: nothing has
    visited it yet (for deep links and first-run behaviour)."""
    server = start_streamlit(tmp_path / "streamlit-fresh")
    yield server
    stop_streamlit(server)


@pytest.fixture
def start_app(tmp_path, browser_type_launch_args):
    """A factory for servers of this test only: start_app(port=..., env={...}) -> StreamlitServer,
    each with its own empty database, all stopped after the test."""
    started: list[StreamlitServer] = []

    def start(**options) -> StreamlitServer:
        server = start_streamlit(tmp_path / f"streamlit-{len(started)}", **options)
        started.append(server)
        return server

    yield start
    for server in started:
        stop_streamlit(server)


@pytest.fixture
def plan(page, streamlit_server):
    """The session server's seeded sample plan with the most reviews. The first page visit seeds
    the database; this waits until every sample review is in."""
    from board_helpers import sample_plan, seed_by_visiting

    seed_by_visiting(page, streamlit_server)
    return sample_plan(streamlit_server.database_url)
