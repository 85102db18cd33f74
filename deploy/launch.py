"""Run Improvement Board as N replicas behind HAProxy on this machine, sharing one database.

    python deploy/launch.py --replicas 2 --port 8501 --db postgresql://board:...@dbhost/board

In order:
1. start-up work, once, before any replica starts: `python -m data_access migrate` and
   `seed --if-empty` (serialised by the database's start-up lock anyway, so a second launcher
   on another machine waits and then finds it done);
2. N `streamlit run app.py` processes on 127.0.0.1 (ports --replica-ports, default 8601, 8602,
   ...), every one with the same cookie secret (--cookie-secret or BOARD_COOKIE_SECRET; a random
   one for this launch when neither is given) and the same database (--db or BOARD_DATABASE_URL);
3. HAProxy (Debian's `haproxy`) on --address:--port with deploy/haproxy.cfg: cookie affinity,
   `/_stcore/health` as the health check.

It stays in the foreground; SIGTERM or Ctrl-C stops HAProxy and every replica, and so does any
of them exiting. Replicas use every core: Streamlit runs all sessions' scripts in one Python
process, so one process uses about one core.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import tomllib
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as `python deploy/launch.py`
    sys.path.insert(0, str(ROOT))
from data_access.config import environment  # noqa: E402  (standard library only)

HAPROXY_TEMPLATE = Path(__file__).with_name("haproxy.cfg")
HEALTH_TIMEOUT_S = 120
# data_access/domain/permissions.py: without sign-in the app is for this machine only; served further, it must
# refuse to start unless [auth] is configured.
LOOPBACK = ("localhost", "127.0.0.1", "::1")
REQUIRE_LOGIN_ENV = "BOARD_REQUIRE_LOGIN"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicas", type=int, default=os.cpu_count() or 2, help="app processes (default: cores)")
    parser.add_argument("--address", default="127.0.0.1", help="where HAProxy listens (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8501, help="where HAProxy listens (default 8501)")
    parser.add_argument(
        "--replica-ports", help="comma-separated ports for the replicas (default 8601, 8602, ...)", default=None
    )
    parser.add_argument("--db", metavar="URL", help="database URL (default: BOARD_DATABASE_URL, then the app's own)")
    parser.add_argument("--cookie-secret", help="the same on every replica (default: BOARD_COOKIE_SECRET)")
    parser.add_argument("--no-seed", action="store_true", help="do not load the sample plans into an empty database")
    parser.add_argument("--haproxy", default=shutil.which("haproxy") or "/usr/sbin/haproxy", help="haproxy binary")
    parser.add_argument(
        "--run-dir", type=Path, help="where the filled-in haproxy.cfg and logs go (default: a temp dir)"
    )
    args = parser.parse_args(argv)
    if args.replicas < 1:
        parser.error("--replicas must be at least 1")
    ports = [int(p) for p in args.replica_ports.split(",")] if args.replica_ports else None
    if ports is not None and len(ports) != args.replicas:
        parser.error("--replica-ports must list one port per replica")
    args.ports = ports or [8601 + i for i in range(args.replicas)]
    return args


def secrets_files(env: dict[str, str]) -> list[Path]:
    """Where the replicas' Streamlit looks for secrets: STREAMLIT_SECRETS_FILES when set, else
    ~/.streamlit/secrets.toml and the project's .streamlit/secrets.toml (Streamlit's own order)."""
    given = (env.get("STREAMLIT_SECRETS_FILES") or "").replace(",", " ").split()
    if given:
        return [Path(p).expanduser() for p in given]
    home = Path(env.get("HOME") or Path.home())
    return [home / ".streamlit" / "secrets.toml", ROOT / ".streamlit" / "secrets.toml"]


def sign_in_configured(env: dict[str, str]) -> bool:
    """Whether any of the replicas' secrets files holds a non-empty [auth] section."""
    for path in secrets_files(env):
        if path.is_dir():  # Kubernetes-style secrets: one entry per key
            if (path / "auth").exists():
                return True
            continue
        try:
            if tomllib.loads(path.read_text(encoding="utf-8")).get("auth"):
                return True
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            continue
    return False


def serving_problem(address: str, env: dict[str, str]) -> str | None:
    """Why the launcher must not serve on `address` (one sentence), or None. Without sign-in the
    app makes everyone a local-mode admin, so it may only listen on this machine; no environment
    setting (BOARD_REQUIRE_LOGIN=0, an empty value) changes that."""
    if address.strip("[]").casefold() in LOOPBACK or sign_in_configured(env):
        return None
    return (
        f"refusing to serve on {address}: sign-in is not configured (no [auth] section in "
        f"{' or '.join(str(p) for p in secrets_files(env))}), and without it everyone would be an admin; "
        'add [auth] (README, "Deploying for a council") or use --address 127.0.0.1'
    )


def haproxy_config(bind: str, ports: list[int]) -> str:
    servers = "\n".join(f"    server r{i + 1} 127.0.0.1:{port} check cookie r{i + 1}" for i, port in enumerate(ports))
    lines = HAPROXY_TEMPLATE.read_text().splitlines(keepends=True)
    filled = "".join(line if line.lstrip().startswith("#") else line.replace("${bind}", bind) for line in lines)
    return filled.replace("\n${servers}\n", f"\n{servers}\n")


def streamlit_command(port: int, script: Path = ROOT / "app.py") -> list[str]:
    return [
        sys.executable, str(ROOT / "deploy" / "serve.py"), "run", str(script),  # warm before healthy
        "--server.port", str(port),
        "--server.address", "127.0.0.1",  # only HAProxy reaches a replica
        "--server.headless", "true",
        "--server.fileWatcherType", "none",
        "--server.runOnSave", "false",
        "--browser.gatherUsageStats", "false",
        "--global.developmentMode", "false",
        "--runner.postScriptGC", "false",  # see deploy/config.toml [runner]
    ]  # fmt: skip


def wait_healthy(url: str, process: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + HEALTH_TIMEOUT_S
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with code {process.returncode} before it was healthy")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} not healthy after {HEALTH_TIMEOUT_S} s")
        time.sleep(0.25)


def say(message: str) -> None:
    print(f"[launch] {message}", flush=True)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    if args.db:
        env["BOARD_DATABASE_URL"] = args.db
    refused = serving_problem(args.address, env)
    if refused:
        say(refused)
        return 2
    cookie_secret = args.cookie_secret or environment.value(environment.COOKIE_SECRET)
    if not cookie_secret:
        cookie_secret = secrets.token_urlsafe(32)
        say("no --cookie-secret or BOARD_COOKIE_SECRET: using a random one for this launch")
    # Streamlit takes the cookie secret only from a config file or its environment variable.
    env["STREAMLIT_SERVER_COOKIE_SECRET"] = cookie_secret
    if args.address.strip("[]").casefold() not in LOOPBACK:
        # Served beyond this machine: the replicas refuse to serve without sign-in ([auth]) too,
        # whatever BOARD_REQUIRE_LOGIN the launcher's own environment held (an inherited 0 or "").
        env[REQUIRE_LOGIN_ENV] = "1"
    if not Path(args.haproxy).is_file():
        say(f"HAProxy not found at {args.haproxy}: apt-get install haproxy")
        return 2
    run_dir = args.run_dir or Path(tempfile.mkdtemp(prefix="board-deploy-"))
    run_dir.mkdir(parents=True, exist_ok=True)

    # 1. Start-up work, once, before any replica starts.
    steps = [["migrate"]] + ([] if args.no_seed else [["seed", "--if-empty"]])
    for step in steps:
        done = subprocess.run([sys.executable, "-m", "data_access", *step], cwd=ROOT, env=env)
        if done.returncode != 0:
            say(f"`python -m data_access {' '.join(step)}` failed (exit code {done.returncode}); nothing started")
            return done.returncode

    children: list[tuple[str, subprocess.Popen]] = []

    def stop_all(*_signal) -> None:
        for _, child in reversed(children):
            if child.poll() is None:
                child.terminate()
        deadline = time.monotonic() + 15
        for _, child in children:
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()

    signal.signal(signal.SIGTERM, lambda *_: (stop_all(), sys.exit(0)))
    try:
        # 2. The replicas.
        for i, port in enumerate(args.ports):
            log = (run_dir / f"replica-r{i + 1}.log").open("wb")
            child = subprocess.Popen(streamlit_command(port), cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
            children.append((f"replica r{i + 1} (port {port})", child))
        for (what, child), port in zip(children, args.ports, strict=True):
            wait_healthy(f"http://127.0.0.1:{port}/_stcore/health", child, what)
            say(f"{what} healthy")
        # 3. HAProxy in front.
        config = run_dir / "haproxy.cfg"
        config.write_text(haproxy_config(f"{args.address}:{args.port}", args.ports))
        check = subprocess.run([args.haproxy, "-c", "-q", "-f", str(config)], capture_output=True, text=True)
        if check.returncode != 0:
            say(f"haproxy refused {config}: {check.stderr.strip() or check.stdout.strip()}")
            return 2
        haproxy = subprocess.Popen([args.haproxy, "-db", "-f", str(config)], stdout=subprocess.DEVNULL)
        children.append(("haproxy", haproxy))
        wait_healthy(f"http://{args.address}:{args.port}/_stcore/health", haproxy, "haproxy")
        say(f"serving on http://{args.address}:{args.port} with {args.replicas} replica(s); config in {config}")
        while True:
            for what, child in children:
                if child.poll() is not None:
                    say(f"{what} exited with code {child.returncode}; stopping the rest")
                    return 1
            time.sleep(0.5)
    except KeyboardInterrupt:
        return 0
    except RuntimeError as problem:
        say(str(problem))
        return 1
    finally:
        stop_all()


if __name__ == "__main__":
    sys.exit(main())
