"""A whole board opening the link at once: 50 websocket sessions open the board together (each
as a browser tab does: GET /, then the websocket and one script run), against one app process and
against two replicas behind HAProxy (deploy/launch.py). Localhost only; every wait is bounded.

Three rooms per setup, one after the other on the same freshly started server(s):
- cold: nobody has opened the board since the server started; the link is `/` with no query string
  (every session computes nothing the others are computing: shared figures are computed once);
- warm: the same link again, the server having served the cold room (the issue's "warm server");
  for one process, the server's CPU seconds per session are measured too (/proc);
- after an import: a tracker imported from the command line (a new plan, so the data version
  changes and every shared figure is computed afresh), then the same link.

Targets (issue 27, this 2-core machine): one process: cold p95 <= 4 s, after an import p95 <= 4 s,
warm p95 <= 3 s with <= 0.06 s of server CPU per session; two replicas + HAProxy: cold and after an
import p95 <= 2 s, warm <= 1.5 s. Prints each figure beside its target; exits 1 when one is missed.

    python bench/bench_crowd.py [--sessions 50] [--db URL] [--only one|two]

The sample plans are seeded into a fresh SQLite file (or --db).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from ws_client import Session, http_get  # noqa: E402

ONE, TWO = "one process", "two replicas + HAProxy"
TARGETS = {  # p95 seconds per setup and room
    ONE: {"cold": 4.0, "warm": 3.0, "after an import": 4.0},
    TWO: {"cold": 2.0, "warm": 1.5, "after an import": 2.0},
}
CPU_TARGET_S = 0.06  # server CPU seconds per warm session, one process
IMPORTED = ROOT / "sample_data" / "trackers" / "north-tyneside-post-inspection-action-plan.xlsx"
CROWD_TIMEOUT_S = 120.0


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_health(url: str, process: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            if http_get(url + "/_stcore/health", timeout=2)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.25)
    raise RuntimeError(f"{url} not healthy after {timeout} s")


def start_one(db_url: str, log: Path, script: Path | None = None) -> tuple[str, subprocess.Popen]:
    """`streamlit run` of app.py (or `script`) on a free port, as deploy/launch.py runs a replica."""
    from deploy.launch import streamlit_command

    port = free_port()
    env = {**os.environ, "BOARD_DATABASE_URL": db_url, "PYTHONPATH": str(ROOT)}
    command = streamlit_command(port, script) if script else streamlit_command(port)
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True
    )
    url = f"http://127.0.0.1:{port}"
    wait_health(url, process)
    return url, process


def start_replicas(db_url: str, run_dir: Path, replicas: int = 2) -> tuple[str, subprocess.Popen]:
    port, ports = free_port(), [free_port() for _ in range(replicas)]
    command = [
        sys.executable, str(ROOT / "deploy" / "launch.py"), "--replicas", str(replicas), "--port", str(port),
        "--replica-ports", ",".join(map(str, ports)), "--db", db_url, "--run-dir", str(run_dir), "--no-seed",
    ]  # fmt: skip
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=(run_dir / "launch.log").open("wb"), stderr=subprocess.STDOUT, start_new_session=True
    )
    url = f"http://127.0.0.1:{port}"
    wait_health(url, process, timeout=180)
    return url, process


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


async def open_board(url: str, query: str = "") -> float:
    start = time.perf_counter()
    async with Session(url) as session:
        run = await session.run("", query)
        if not run.ok or "Status by recommendation" not in run.texts():
            raise RuntimeError("the overview did not draw")
    return time.perf_counter() - start


async def crowd(url: str, sessions: int) -> list[float]:
    """`sessions` tabs opening `/` (no query string) at once; seconds each, from GET / to the run's end."""
    return list(await asyncio.wait_for(asyncio.gather(*(open_board(url) for _ in range(sessions))), CROWD_TIMEOUT_S))


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of one process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def import_tracker(db_url: str, work: Path, rows: int) -> None:
    """A new tracker (bench_import.generate: `rows` actions, so each setup's file is a new one)
    imported from the command line: the data version changes."""
    from bench_import import generate

    path = work / f"imported-{rows}.xlsx"
    generate(path, rows, False)
    done = subprocess.run(
        [sys.executable, "-m", "data_access", "import", str(path), "--plan", f"Imported during the bench ({rows})",
         "--db", db_url],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"the import failed: {done.stdout[-300:]} {done.stderr[-300:]}")


def rooms(url: str, process: subprocess.Popen, db_url: str, sessions: int, setup: str, work: Path) -> dict:
    """The three rooms (module docstring) on one started server: {room: (times, CPU per session or None)}."""
    out: dict = {}
    out["cold"] = (asyncio.run(crowd(url, sessions)), None)
    before = cpu_seconds(process.pid) if setup == ONE else None
    times = asyncio.run(crowd(url, sessions))
    out["warm"] = (times, (cpu_seconds(process.pid) - before) / sessions if before is not None else None)
    import_tracker(db_url, work, 300 if setup == ONE else 301)
    out["after an import"] = (asyncio.run(crowd(url, sessions)), None)
    return out


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--db", help="database URL (default: a fresh SQLite file with the sample plans)")
    parser.add_argument("--only", choices=("one", "two"), help="only one process, or only the two replicas")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-crowd-"))
    db_url = args.db or f"sqlite:///{work / 'sample.db'}"
    if not args.db:
        from data_access.importer.sample_seed import seed
        from data_access.storage.database import make_engine, upgrade

        engine = make_engine(db_url)
        upgrade(engine)
        seed(engine)
        engine.dispose()
    failed, rows = False, []
    setups = (
        (ONE, lambda: start_one(db_url, work / "one.log")),
        (TWO, lambda: start_replicas(db_url, work / "replicas")),
    )
    for name, starter in setups:
        if args.only and not name.startswith(args.only):
            continue
        if name == TWO:
            (work / "replicas").mkdir()
        url, process = starter()
        try:
            measured = rooms(url, process, db_url, args.sessions, name, work)
        finally:
            stop(process)
        for room, (times, cpu) in measured.items():
            target = TARGETS[name][room]
            over = p95(times) > target or (cpu is not None and cpu > CPU_TARGET_S)
            failed |= over
            rows.append((name, room, statistics.median(times), p95(times), max(times), cpu, target, over))

    print(f"\n{args.sessions} sessions opening / at once (seconds, from GET / to the run's end; load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")  # fmt: skip
    print(f"{'setup':<24} {'room':<16} {'p50':>6} {'p95':>6} {'max':>6} {'CPU/session':>12}  target")
    for name, room, p50, p95_, worst, cpu, target, over in rows:
        cpu_text = f"{cpu:.3f}" if cpu is not None else "-"
        cpu_target = f", CPU <= {CPU_TARGET_S:g}" if cpu is not None else ""
        print(
            f"{name:<24} {room:<16} {p50:6.2f} {p95_:6.2f} {worst:6.2f} {cpu_text:>12}  "
            f"p95 <= {target:g}{cpu_target}  {'OVER' if over else 'ok'}"
        )
    print("\nFAIL: over target" if failed else "\nwithin target")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
