"""Benchmark: importing a tracker with a Measures sheet of 200 indicators x 36 months, as a ratio to
importing the same file's action sheet alone.

    .venv/bin/python bench/bench_measures.py [--indicators 200] [--months 36] [--actions 150] [--runs 5]

Two workbooks are generated: a year's tracker (four quarterly review sheets of `--actions` actions
each) alone, and the same tracker plus a Measures sheet
(months as date cells, a Target column, half the indicators percent-formatted, some n/a cells). Each
import is read -> preview -> commit into a fresh migrated SQLite database, as the upload page does;
the two run alternately `--runs` times and the figures are medians of wall time.

Target (issue 24): with measures <= 1.5x the action sheet alone. Prints the figures and exits 1
when the target is missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
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

    plain = openpyxl.Workbook()
    actions_sheet(plain)
    both = openpyxl.Workbook()
    actions_sheet(both)
    ms = both.create_sheet("Measures")
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
    out = []
    for wb in (plain, both):
        buffer = io.BytesIO()
        wb.save(buffer)
        out.append(buffer.getvalue())
    return out[0], out[1]


def import_once(data: bytes, folder: Path, run: int, label: str) -> float:
    from data_access.importer import commit, preview
    from data_access.importer.reading.tracker_reader import read_tracker
    from data_access.storage.database import make_engine, upgrade

    engine = make_engine(f"sqlite:///{folder / f'{label}-{run}.db'}")
    upgrade(engine)
    start = time.perf_counter()
    parsed = read_tracker(data, f"{label}.xlsx")
    done = commit(engine, preview(engine, parsed, plan_name="Bench plan"))
    elapsed = time.perf_counter() - start
    engine.dispose()
    assert done.review_ids
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--indicators", type=int, default=200)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--actions", type=int, default=150)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    plain, both = workbook(args.actions, args.indicators, args.months)
    alone, with_measures = [], []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        import_once(plain, folder, -1, "warm")  # imports and first-use costs
        for run in range(args.runs):
            alone.append(import_once(plain, folder, run, "actions"))
            with_measures.append(import_once(both, folder, run, "measures"))
    a, b = statistics.median(alone), statistics.median(with_measures)
    ratio = b / a
    ok = ratio <= TARGET
    verdict = "OK" if ok else "OVER TARGET"
    print(
        f"4 reviews x {args.actions} actions: {a * 1000:.0f} ms; with {args.indicators} indicators x "
        f"{args.months} months: {b * 1000:.0f} ms; ratio {ratio:.2f} (target <= {TARGET}) {verdict}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
