"""Benchmark: importing a tracker with a Measures sheet of 200 indicators x 36 months, as a ratio to
importing the same file's action sheet alone.

    .venv/bin/python bench/bench_measures.py [--indicators 200] [--months 36] [--actions 150] [--runs 7]

One workbook is generated: a year's tracker (four quarterly review sheets of `--actions` actions
each) plus a Measures sheet (months as date cells, a Target column, half the indicators
percent-formatted, some n/a cells); the baseline is the same workbook saved before the Measures sheet
is added. Each file is imported into a fresh migrated SQLite database two ways:

1. As the upload page imports (judged): `read_tracker_bounded` (the file read in a reader process of
   its own, with a memory and time limit, its answer pickled back, as pages/upload.py and the
   command line read every file) -> preview -> commit. This is the time a person waits for.
2. The work itself in one process (printed, not judged): `read_tracker` -> preview -> commit, with no
   reader process; the measures' own cost stands out here, since the reader process's start-up is
   the same for both files.

Both files are imported once untimed each way (first-use costs), then they run alternately `--runs`
times, the order swapped each round (ABBA), each import starting after a garbage collection so that
one import's leftovers are not charged to the next. Medians of wall time, with the CPU of this
process and its reader processes beside them.

Target (issue 24): with measures <= 1.5x the action sheet alone, as the upload page imports. Prints
the figures and exits 1 when the target is missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import io
import resource
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


def import_once(data: bytes, folder: Path, run: int, label: str, *, bounded: bool) -> tuple[float, float]:
    """(wall, CPU) seconds of one read -> preview -> commit into a fresh database; CPU counts this
    process and the reader processes it waited for."""
    from data_access.importer import commit, preview, read_tracker_bounded
    from data_access.importer.reading.tracker_reader import read_tracker
    from data_access.storage.database import make_engine, upgrade

    engine = make_engine(f"sqlite:///{folder / f'{label}-{run}-{int(bounded)}.db'}")
    upgrade(engine)
    gc.collect()
    start, cpu = time.perf_counter(), _cpu()
    parsed = (read_tracker_bounded if bounded else read_tracker)(data, f"{label}.xlsx")
    done = commit(engine, preview(engine, parsed, plan_name="Bench plan"))
    elapsed, cpu = time.perf_counter() - start, _cpu() - cpu
    engine.dispose()
    assert done.review_ids and (label.endswith("actions") or done.measures_written)
    return elapsed, cpu


def _cpu() -> float:
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def compare(plain: bytes, both: bytes, folder: Path, runs: int, *, bounded: bool) -> tuple[float, float, float, float]:
    """Medians (wall alone, wall with measures, CPU alone, CPU with measures), ABBA order."""
    import_once(plain, folder, -1, "warm-actions", bounded=bounded)  # imports and first-use costs
    import_once(both, folder, -1, "warm-measures", bounded=bounded)
    alone, with_measures = [], []
    for run in range(runs):
        first, second = (plain, both) if run % 2 == 0 else (both, plain)
        for data in (first, second):
            times = import_once(data, folder, run, "actions" if data is plain else "measures", bounded=bounded)
            (alone if data is plain else with_measures).append(times)
    return (
        statistics.median(t[0] for t in alone),
        statistics.median(t[0] for t in with_measures),
        statistics.median(t[1] for t in alone),
        statistics.median(t[1] for t in with_measures),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--indicators", type=int, default=200)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--actions", type=int, default=150)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    plain, both = workbook(args.actions, args.indicators, args.months)
    shape = f"4 reviews x {args.actions} actions, then with {args.indicators} indicators x {args.months} months"
    with tempfile.TemporaryDirectory() as tmp:
        upload = compare(plain, both, Path(tmp), args.runs, bounded=True)
        work = compare(plain, both, Path(tmp), args.runs, bounded=False)
    ratio = upload[1] / upload[0]
    ok = ratio <= TARGET
    for label, (a, b, a_cpu, b_cpu), judged in (
        ("as the upload page imports (reader process)", upload, True),
        ("the work itself in one process (not judged)", work, False),
    ):
        verdict = (" OK" if ok else " OVER TARGET") if judged else ""
        print(
            f"{label}: {shape}: {a * 1000:.0f} ms -> {b * 1000:.0f} ms wall ({a_cpu * 1000:.0f} -> "
            f"{b_cpu * 1000:.0f} ms CPU); ratio {b / a:.2f} wall, {b_cpu / a_cpu:.2f} CPU"
            + (f" (target <= {TARGET}, wall){verdict}" if judged else "")
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
