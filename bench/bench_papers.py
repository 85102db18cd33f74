"""Time to make the meeting's papers on the generated large database (20 plans x 8 reviews x 300
actions, bench_pages.build_large): one plan's board pack (PDF) and slide deck (PowerPoint) each
under 1 s, and the portfolio pack of all 20 plans under 5 s. The Word report, Excel export and
tracker are timed too, for the record.

Each figure is the median of --runs calls of data_access.papers.make_paper (the function the
page and the CLI call), after one untimed call that pays Python's imports; the first (cold) call
is printed as well. Prints a table; exits 1 when over target.

    python bench/bench_papers.py [--runs 3] [--rebuild]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_pages import large_database  # noqa: E402

TARGETS = {"pdf": 1.0, "pptx": 1.0, "portfolio pdf": 5.0}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rebuild", action="store_true", help="regenerate the large database")
    args = parser.parse_args()

    large = large_database(args.rebuild)

    start = time.perf_counter()
    from data_access.papers import PaperRequest, make_paper
    from data_access.reads import catalogue
    from data_access.storage.database import make_engine

    engine = make_engine(f"sqlite:///{large}")
    plans = catalogue.list_plans(engine)
    plan_id = int(plans["id"].iloc[0])
    reviews = catalogue.list_reviews(engine, plan_id)
    as_of = reviews["as_at"].iloc[-1] + dt.timedelta(days=14)  # a meeting a fortnight after the quarter end
    imports = time.perf_counter() - start

    jobs = [
        ("pdf", PaperRequest("pdf", plan_id, as_of=as_of)),
        ("pptx", PaperRequest("pptx", plan_id, as_of=as_of)),
        ("docx", PaperRequest("docx", plan_id, as_of=as_of)),
        ("xlsx", PaperRequest("xlsx", plan_id, as_of=as_of)),
        ("tracker", PaperRequest("tracker", plan_id, as_of=as_of)),
        ("portfolio pdf", PaperRequest("pdf", None, as_of=as_of)),
    ]
    rows, failed = [], False
    for name, request in jobs:
        start = time.perf_counter()
        paper = make_paper(engine, request)
        cold = time.perf_counter() - start
        times, cpu = [], []
        for _ in range(args.runs):
            start, start_cpu = time.perf_counter(), time.process_time()
            make_paper(engine, request)
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        warm = statistics.median(times)
        target = TARGETS.get(name)
        over = target is not None and warm > target
        failed |= over
        rows.append((name, cold, warm, statistics.median(cpu), len(paper.data), target, "OVER" if over else "ok"))
    engine.dispose()

    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\nlarge database: {len(plans)} plans, {int(reviews.shape[0])} reviews a plan; imports {imports:.2f} s")
    print(f"machine: {os.cpu_count()} cores, load average {load} (other work on the machine slows every figure)")
    print(f"{'paper':<14} {'first s':>8} {'median s':>9} {'CPU s':>6} {'size KB':>8}  target")
    for name, cold, warm, cpu_s, size, target, verdict in rows:
        limit = f"<{target:g} s" if target else "-"
        print(f"{name:<14} {cold:8.3f} {warm:9.3f} {cpu_s:6.2f} {size / 1024:8.0f}  {limit:<7} {verdict}")
    print("\nFAIL: over target" if failed else "\nall papers within target")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
