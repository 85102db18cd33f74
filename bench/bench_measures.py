"""Benchmark: importing a tracker with a Measures sheet of 200 indicators x 36 months, as a ratio to
importing the same file's action sheet alone.

    .venv/bin/python bench/bench_measures.py [--indicators 200] [--months 36] [--actions 150] [--runs 5]

One workbook is generated: a year's tracker (four quarterly review sheets of `--actions` actions
each) plus a Measures sheet (months as date cells, a Target column, half the indicators
percent-formatted, some n/a cells); the baseline is the same workbook saved before the Measures sheet
is added. Each import is read -> preview -> commit into a fresh migrated SQLite database, as the
upload page does, through the same code. Both files are imported once untimed (first-use costs),
then they run alternately `--runs` times, the order swapped each round (ABBA), each import starting
after a garbage collection so that one import's leftovers are not charged to the next. The target is
on medians of wall time; medians of CPU time (process_time) are printed beside them, steadier on a
shared machine.

Target (issue 24): with measures <= 1.5x the action sheet alone. Prints the figures and exits 1
when the target is missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TARGET = 1.5


def workbook(actions: int, indicators: int, months: int) -> tuple[bytes, bytes]:
    """(the action sheet alone, the same with a Measures sheet) as .xlsx bytes."""
    import openpyxl

    def actions_sheet(wb) -> None:
        """A year's tracker: one sheet per quarterly review, each holding every action."""
        wb.remove(wb.active)
        for q, name in enumerate(("Q1 2019-20", "Q2 2019-20", "Q3 2019-20", "Q4 2019-20")):
            ws = wb.create_sheet(name)
            ws.append(["Anytown Council improvement plan"])
            ws.append(["Recommendation", "Action ID", "Action", "Lead", "Timescale", "RAG", "Progress update"])
            for i in range(actions):
                rec = i // 8 + 1
                ws.append([f"{rec}. Improve practice area {rec}", f"{rec}.{i % 8 + 1}",
                           f"Action {i}: audit casework and report findings to the board", "Head of Service",
                           f"Q{i % 4 + 1} 2019/20", "GARB"[(i + q) % 4],
                           f"Quarter {q + 1}: audits of practice completed, findings reported"])  # fmt: skip

    book = openpyxl.Workbook()
    actions_sheet(book)
    alone = io.BytesIO()
    book.save(alone)
    ms = book.create_sheet("Measures")
    first = dt.date(2017, 4, 1)
    heads = [
        dt.date(first.year + (first.month - 1 + m) // 12, (first.month - 1 + m) % 12 + 1, 1) for m in range(months)
    ]
    ms.append(["Indicator", "Recommendation", "Good is", "Target", *heads])
    for n in range(indicators):
        percent = n % 2 == 0
        values = [("n/a" if (n + m) % 17 == 0 else (0.5 + (n + m) % 40 / 100 if percent else 10 + (n * m) % 30))
                  for m in range(months)]  # fmt: skip
        ms.append([f"Indicator {n}", str(n % (actions // 8) + 1), "High" if n % 3 else "Low",
                   0.8 if percent else 20, *values])  # fmt: skip
        if percent:
            for cell in ms[ms.max_row][3:]:
                cell.number_format = "0%"
    both = io.BytesIO()
    book.save(both)
    return alone.getvalue(), both.getvalue()


def import_once(data: bytes, folder: Path, run: int, label: str) -> tuple[float, float]:
    """(wall, CPU) seconds of one read -> preview -> commit into a fresh database."""
    from data_access.importer import commit, preview
    from data_access.importer.reading.tracker_reader import read_tracker
    from data_access.storage.database import make_engine, upgrade

    engine = make_engine(f"sqlite:///{folder / f'{label}-{run}.db'}")
    upgrade(engine)
    gc.collect()
    start, cpu = time.perf_counter(), time.process_time()
    parsed = read_tracker(data, f"{label}.xlsx")
    done = commit(engine, preview(engine, parsed, plan_name="Bench plan"))
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    engine.dispose()
    assert done.review_ids
    return elapsed, cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--indicators", type=int, default=200)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--actions", type=int, default=150)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    plain, both = workbook(args.actions, args.indicators, args.months)
    alone, with_measures = [], []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        import_once(plain, folder, -1, "warm-actions")  # imports and first-use costs, both paths
        import_once(both, folder, -1, "warm-measures")
        for run in range(args.runs):
            first, second = (plain, both) if run % 2 == 0 else (both, plain)
            for data in (first, second):
                times = import_once(data, folder, run, "actions" if data is plain else "measures")
                (alone if data is plain else with_measures).append(times)
    a, b = (statistics.median(t[0] for t in alone), statistics.median(t[0] for t in with_measures))
    a_cpu, b_cpu = (statistics.median(t[1] for t in alone), statistics.median(t[1] for t in with_measures))
    ratio = b / a
    ok = ratio <= TARGET
    verdict = "OK" if ok else "OVER TARGET"
    print(
        f"4 reviews x {args.actions} actions: {a * 1000:.0f} ms ({a_cpu * 1000:.0f} ms CPU); with "
        f"{args.indicators} indicators x {args.months} months: {b * 1000:.0f} ms ({b_cpu * 1000:.0f} ms CPU); "
        f"ratio {ratio:.2f} wall, {b_cpu / a_cpu:.2f} CPU (target <= {TARGET}, wall) {verdict}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
