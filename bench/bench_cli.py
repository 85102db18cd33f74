"""Benchmark: the command line as a person runs it, whole processes (start-up and imports included).

    .venv/bin/python bench/bench_cli.py [--runs 7] [--root PATH]

- `python -m data_access --help`: target < 0.3 s;
- `python -m data_access import TRACKER --dry-run` of a generated 150-action tracker, into a
  migrated SQLite database: target < 0.8 s (the file is read in the importer's sandbox child
  process, so this includes starting it).

Each figure is the median of --runs fresh processes, all measured in this one run, and printed
with its ratio to the target; exits 1 when any median is over its target. --root runs the
command line of another checkout (e.g. the main branch, for before/after figures).

Bytecode is cached as a person's Python caches it: each command runs once, uncounted, to write
the project's .pyc files (into a temporary PYTHONPYCACHEPREFIX, so the checkout stays clean), and
the counted runs read them. A machine that sets PYTHONDONTWRITEBYTECODE (this sandbox does)
would otherwise compile every project module from source on every run, which a person's second
run never does: about 0.05 s here in the parent and the same again in the reader process.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGETS = {"help": 0.3, "dry-run": 0.8}


def timed(cmd: list[str], root: Path, runs: int, env: dict[str, str]) -> tuple[float, list[float], float]:
    """(median wall seconds, every run's, median CPU seconds of the process and its children). The
    CPU figure says what the wall time would be on an idle machine when the machine is busy. One
    uncounted run first writes the bytecode caches."""
    subprocess.run(cmd, cwd=root, env=env, capture_output=True)
    times, cpu = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        result = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True)
        times.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        if result.returncode != 0:
            raise SystemExit(f"bench_cli: {' '.join(cmd)} failed ({result.returncode}): {result.stderr[-500:]}")
    return statistics.median(times), times, statistics.median(cpu)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout whose command line is timed")
    args = parser.parse_args(argv)
    root = args.root.resolve()

    from bench.bench_import import generate

    python = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        tracker = Path(tmp) / "tracker-150.xlsx"
        generate(tracker, 150, False)
        db = f"sqlite:///{Path(tmp) / 'board.db'}"
        env = {**os.environ, "PYTHONPATH": str(root), "PYTHONPYCACHEPREFIX": str(Path(tmp) / "pycache")}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        subprocess.run(
            [python, "-m", "data_access", "migrate", "--db", db], cwd=root, env=env, check=True, capture_output=True
        )
        results = {
            "help": timed([python, "-m", "data_access", "--help"], root, args.runs, env),
            "dry-run": timed(
                [python, "-m", "data_access", "import", str(tracker), "--dry-run", "--db", db], root, args.runs, env
            ),
        }
    ok = True
    print(f"bench_cli: load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for name, (median, times, cpu) in results.items():
        target = TARGETS[name]
        ok = ok and median < target
        print(
            f"bench_cli: {name:<8} median {median:.3f} s of {len(times)} runs "
            f"(min {min(times):.3f}, max {max(times):.3f}; CPU {cpu:.3f} s), target {target} s, "
            f"ratio {median / target:.2f} "
            f"-> {'OK' if median < target else 'FAIL'}"
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
