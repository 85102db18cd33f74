"""The two Streamlit profiles: .streamlit/config.toml (the laptop, `make run`) and
deploy/config.toml (a council's server). Every option is one Streamlit knows, the production
settings the README promises are there, and the theme is the same in both."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from streamlit import config

from data_access.importer import Limits
from data_access.importer.parsed import MB

ROOT = Path(__file__).resolve().parents[1]
LAPTOP = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
SERVER = tomllib.loads((ROOT / "deploy" / "config.toml").read_text(encoding="utf-8"))


def options(profile: dict, prefix: str = "") -> dict[str, object]:
    """{"server.address": "localhost", ...}; theme sections are kept whole."""
    out = {}
    for key, value in profile.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and not name.startswith("theme"):
            out.update(options(value, f"{name}."))
        elif not name.startswith("theme"):
            out[name] = value
    return out


@pytest.mark.parametrize("profile", [LAPTOP, SERVER], ids=["laptop", "server"])
def test_every_option_is_one_streamlit_knows(profile):
    known = set(config.get_config_options())
    assert set(options(profile)) - known == set()


@pytest.mark.parametrize("profile", [LAPTOP, SERVER], ids=["laptop", "server"])
def test_safe_in_both_profiles(profile):
    settings = options(profile)
    assert settings["server.enableXsrfProtection"] is True  # st.login's cookie is only read with it
    assert settings["server.enableCORS"] is True  # CORS protection on: no cross-origin calls
    assert settings["client.showErrorDetails"] == "none"
    assert settings["client.toolbarMode"] == "viewer"
    assert settings["browser.gatherUsageStats"] is False
    assert settings["server.maxUploadSize"] == Limits().max_bytes // MB  # the board's own upload limit
    assert settings["server.address"] in ("localhost", "127.0.0.1")  # behind the proxy, or the laptop only
    assert "server.trustedUserHeaders" not in settings and "server.cookieSecret" not in settings


def test_the_server_profile_is_a_server():
    settings = options(SERVER)
    assert settings["server.headless"] is True and settings["server.fileWatcherType"] == "none"
    assert settings["server.allowedHosts"] and settings["server.corsAllowedOrigins"] == []
    assert settings["global.developmentMode"] is False


def test_the_laptop_profile_answers_only_to_this_computer():
    assert set(options(LAPTOP)["server.allowedHosts"]) == {"localhost", "127.0.0.1", "::1"}


def test_one_theme():
    assert {k: v for k, v in SERVER.items() if k == "theme"} == {k: v for k, v in LAPTOP.items() if k == "theme"}


def test_the_replica_warm_up_imports_modules_that_exist():
    """deploy/serve.py warms a replica before its health check passes: a renamed module must fail
    here, not in a council's start-up."""
    import importlib.util
    import sys

    sys.path.insert(0, str(ROOT / "deploy"))
    try:
        import serve
    finally:
        sys.path.remove(str(ROOT / "deploy"))
    missing = [name for name in serve.MODULES if importlib.util.find_spec(name) is None]
    assert not missing, missing


# ---------------------------------------------------------------------------
# Host pinning, tried on a running server: a websocket under a foreign Host (DNS rebinding) is refused
# ---------------------------------------------------------------------------


def _free_port() -> int:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def serve_profile(tmp_path):
    """serve_profile("laptop" or "server") -> port: a server started with that profile, healthy,
    with no secrets (local mode) and a database of its own; stopped after the test.

    "laptop" is app.py exactly as `make run` starts it (Streamlit reads the config.toml beside the
    main script last, so .streamlit/config.toml is the one in force). "server" is deploy/config.toml
    installed as a folder's .streamlit/config.toml, as the README says, beside a one-line script:
    the websocket handshake under test runs no script."""
    import os
    import signal
    import subprocess
    import sys
    import time
    import urllib.request

    started: list[subprocess.Popen] = []

    def start(profile: str) -> int:
        folder = tmp_path / f"server-{len(started)}"
        (folder / ".streamlit").mkdir(parents=True)
        if profile == "laptop":
            script, cwd = ROOT / "app.py", ROOT
        else:
            (folder / ".streamlit" / "config.toml").write_text((ROOT / "deploy" / "config.toml").read_text())
            script, cwd = folder / "app.py", folder
            script.write_text("import streamlit as st\n\nst.write('profile check')\n")
        port = _free_port()
        env = {
            **os.environ,
            "BOARD_DATABASE_URL": f"sqlite:///{folder / 'board.db'}",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        }
        env.pop("BOARD_REQUIRE_LOGIN", None)
        command = [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
                   "--server.address", "127.0.0.1", "--server.headless", "true"]  # fmt: skip
        log = (folder / "streamlit.log").open("wb")
        process = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        started.append(process)
        deadline = time.monotonic() + 90
        while True:
            assert process.poll() is None, (folder / "streamlit.log").read_text(errors="replace")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        return port
            except OSError:
                pass
            assert time.monotonic() < deadline, "streamlit not healthy after 90 s"
            time.sleep(0.25)

    yield start
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


def websocket_status(port: int, host: str, origin: str | None) -> int:
    """The HTTP status a websocket upgrade of /_stcore/stream gets under this Host and Origin
    (101: the websocket is open)."""
    import base64
    import os
    import socket

    lines = [
        "GET /_stcore/stream HTTP/1.1",
        f"Host: {host}",
        "Upgrade: websocket",
        "Connection: Upgrade",
        f"Sec-WebSocket-Key: {base64.b64encode(os.urandom(16)).decode()}",
        "Sec-WebSocket-Version: 13",
        "Sec-WebSocket-Protocol: streamlit",
    ]
    if origin:
        lines.append(f"Origin: {origin}")
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        reply = b""
        while b"\r\n" not in reply:
            chunk = sock.recv(1024)
            if not chunk:
                break
            reply += chunk
    status_line = reply.split(b"\r\n", 1)[0].decode("latin-1")
    assert status_line.startswith("HTTP/1.1 "), repr(reply[:200])
    return int(status_line.split()[1])


@pytest.mark.parametrize(
    ("profile", "own_host"),
    [("laptop", "localhost"), ("laptop", "127.0.0.1"), ("server", SERVER["server"]["allowedHosts"][0])],
    ids=["laptop-localhost", "laptop-127.0.0.1", "server"],
)
def test_a_websocket_under_a_foreign_host_is_refused(serve_profile, profile, own_host):
    """DNS rebinding: a page on evil.example whose name now points at 127.0.0.1 opens the app's
    websocket with Host and Origin evil.example (same-origin, so the Origin check alone passes it).
    The profile's server.allowedHosts must refuse it; the app's own host name still works."""
    port = serve_profile(profile)
    assert websocket_status(port, f"evil.example:{port}", f"http://evil.example:{port}") != 101
    assert websocket_status(port, "evil.example", None) != 101
    assert websocket_status(port, f"{own_host}:{port}", f"http://{own_host}:{port}") == 101


# ---------------------------------------------------------------------------
# deploy/launch.py: beyond loopback only with sign-in, whatever the environment says
# ---------------------------------------------------------------------------


@pytest.fixture
def launch(monkeypatch):
    """deploy/launch.py as a module, with subprocess.run/Popen recorded instead of run: every
    command it would start is in `launch.started` (with the environment it would get), and the
    first one (migrate) "fails", so nothing is ever started for real."""
    import subprocess
    import sys

    sys.path.insert(0, str(ROOT / "deploy"))
    try:
        import launch as module
    finally:
        sys.path.remove(str(ROOT / "deploy"))
    module.started = []

    def run(command, **kwargs):
        module.started.append((command, kwargs.get("env")))
        return subprocess.CompletedProcess(command, 1)

    def popen(command, **kwargs):
        raise AssertionError(f"launch.py started {command}")

    monkeypatch.setattr(module.subprocess, "run", run)
    monkeypatch.setattr(module.subprocess, "Popen", popen)
    return module


@pytest.mark.parametrize("inherited", ["0", "", "no", None])
def test_launch_refuses_to_serve_beyond_loopback_without_sign_in(launch, monkeypatch, tmp_path, capsys, inherited):
    monkeypatch.setenv("STREAMLIT_SECRETS_FILES", str(tmp_path / "secrets.toml"))  # none there
    if inherited is None:
        monkeypatch.delenv("BOARD_REQUIRE_LOGIN", raising=False)
    else:
        monkeypatch.setenv("BOARD_REQUIRE_LOGIN", inherited)
    (tmp_path / "secrets.toml").write_text('[roles]\nadmins = ["a@x.example"]\n')  # no [auth]
    assert launch.main(["--address", "0.0.0.0", "--haproxy", "/bin/true"]) == 2
    said = capsys.readouterr().out.strip().splitlines()
    assert len(said) == 1 and said[0].startswith("[launch] refusing to serve on 0.0.0.0: sign-in is not configured")
    assert launch.started == []  # nothing migrated, nothing started
    # On this machine only, local mode is what it is for.
    assert launch.main(["--address", "127.0.0.1", "--haproxy", "/bin/true"]) == 1  # got as far as migrate
    assert launch.started and launch.started[0][1].get("BOARD_REQUIRE_LOGIN") == inherited


def test_launch_beyond_loopback_with_sign_in_makes_the_replicas_require_it(launch, monkeypatch, tmp_path):
    secrets_file = tmp_path / "secrets.toml"
    secrets_file.write_text('[auth]\nclient_id = "board"\n')
    monkeypatch.setenv("STREAMLIT_SECRETS_FILES", str(secrets_file))
    monkeypatch.setenv("BOARD_REQUIRE_LOGIN", "0")  # inherited from somewhere: must not win
    assert launch.main(["--address", "0.0.0.0", "--haproxy", "/bin/true"]) == 1  # got as far as migrate
    assert launch.started[0][1]["BOARD_REQUIRE_LOGIN"] == "1"
