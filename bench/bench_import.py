"""Benchmark: read + parse a 50,000-action tracker, as a ratio to python-calamine reading its values.

    .venv/bin/python bench/bench_import.py [--rows 50000] [--runs 5]

Two trackers are generated (in a child process, so its memory does not count): statuses as text,
and statuses as cell fills only (no text: the importer reads the fills). For each, calamine
reading the sheet's values and the importer's read_tracker (read + parse: every action with its
recommendation, status, timescale and problems) run alternately, `--runs` times; the figures are
medians of CPU time (this process's), so other work on a shared machine moves them little.

Targets (issue 9): read + parse <= 2x calamine; with fills-only statuses <= 3x; peak memory
(maximum RSS of this process, generation excluded) < 300 MB. Prints one line per tracker and exits
1 when any target is missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

STATUSES = ["B", "G", "A", "R", "Green", "Amber - at risk", "Complete"]
FILLS = {"B": "FF0070C0", "G": "FF00B050", "A": "FFFFC000", "R": "FFFF0000"}
TEXT_TARGET, FILLS_TARGET, MEMORY_TARGET_MB = 2.0, 3.0, 300


def generate(path: Path, rows: int, fills: bool) -> None:
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import PatternFill

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Action plan")
    ws.append(["Anytown Council improvement plan"])
    ws.append(["Position as at 30 June 2018"])
    ws.append([])
    ws.append(
        [
            "Rec No.",
            "Recommendation",
            "Action ID",
            "Action required",
            "Lead Officer",
            "Timescale",
            "RAG Status",
            "Progress update",
            "Measure of success",
        ]
    )
    styles = {k: PatternFill("solid", fgColor=v) for k, v in FILLS.items()}
    start = dt.date(2017, 4, 1)
    for i in range(rows):
        rec = i // 8 + 1
        status = STATUSES[i % len(STATUSES)] if not fills else "BGAR"[i % 4]
        due = start + dt.timedelta(days=(i * 7) % 900) if i % 3 else f"Q{i % 4 + 1} 2018/19"
        status_cell = WriteOnlyCell(ws, value=None if fills else status)
        if fills:
            status_cell.fill = styles[status]
        ws.append(
            [
                str(rec),
                f"Recommendation {rec}: improve the quality of practice",
                f"{rec}.{i % 8 + 1}",
                f"Action {i}: audit casework and report findings to the board",
                "Head of Service",
                due,
                status_cell,
                f"Progress note for action {i}",
                "Audits show improvement",
            ]
        )
    wb.save(path)


def _cpu(fn) -> float:
    start = time.process_time()
    fn()
    return time.process_time() - start


def measure(data: bytes, runs: int) -> tuple[float, float, object]:
    """Median CPU seconds of calamine's value read and of read_tracker, run alternately."""
    import python_calamine as pc

    from data_access.importer import read_tracker

    def calamine() -> None:
        book = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python(skip_empty_area=False)

    parsed = None

    def importer() -> None:
        nonlocal parsed
        parsed = None  # the previous run's result is not kept while this one is built
        parsed = read_tracker(data, "bench.xlsx")

    base, ours = [], []
    for _ in range(runs):
        base.append(_cpu(calamine))
        ours.append(_cpu(importer))
    return statistics.median(base), statistics.median(ours), parsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--generate", nargs=2, metavar=("PATH", "KIND"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.generate:
        generate(Path(args.generate[0]), args.rows, args.generate[1] == "fills")
        return 0

    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        for kind, target in (("text", TEXT_TARGET), ("fills", FILLS_TARGET)):
            path = Path(tmp) / f"{kind}.xlsx"
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, __file__, "--rows", str(args.rows), "--generate", str(path), kind], check=True
            )
            generated = time.perf_counter() - started
            data = path.read_bytes()
            base, ours, parsed = measure(data, args.runs)
            review = parsed.reviews[0]
            ratio = ours / base
            right = len(review.rows) == args.rows and (kind == "text" or review.statuses_from_colour == args.rows)
            passed = ratio <= target and right
            ok &= passed
            print(
                f"bench_import: {args.rows:,} actions ({len(data) / 2**20:.1f} MB xlsx, {kind} statuses): "
                f"read+parse {ours:.2f} s CPU vs calamine {base:.2f} s = {ratio:.2f}x (target {target:g}x), "
                f"{review.statuses_from_colour:,} from colour, median of {args.runs}; generated in {generated:.0f} s "
                f"-> {'OK' if passed else 'FAIL'}"
            )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    memory_ok = peak_mb < MEMORY_TARGET_MB
    print(
        f"bench_import: peak RSS {peak_mb:.0f} MB (target < {MEMORY_TARGET_MB} MB) -> {'OK' if memory_ok else 'FAIL'}"
    )
    return 0 if ok and memory_ok else 1


if __name__ == "__main__":
    sys.exit(main())
