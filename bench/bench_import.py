"""Benchmark: read + parse a generated 50,000-row tracker with the importer.

    .venv/bin/python bench/bench_import.py [--rows 50000] [--fills] [--target 5]

Prints one result line and exits 1 when read+parse takes longer than the target (default 5 s
for text statuses; with --fills, statuses are cell colours only, which needs openpyxl's styled
parse, and the default target is 10 s). Peak memory is the process's maximum RSS.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

STATUSES = ["B", "G", "A", "R", "Green", "Amber - at risk", "Complete"]
FILLS = {"B": "FF0070C0", "G": "FF00B050", "A": "FFFFC000", "R": "FFFF0000"}


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--fills", action="store_true", help="statuses as cell colours only (openpyxl path)")
    parser.add_argument("--target", type=float, help="seconds allowed for read+parse")
    args = parser.parse_args(argv)
    target = args.target or (10.0 if args.fills else 5.0)

    from data_access.importer import read_tracker

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.xlsx"
        t0 = time.perf_counter()
        generate(path, args.rows, args.fills)
        gen_s = time.perf_counter() - t0
        data = path.read_bytes()
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        t0 = time.perf_counter()
        parsed = read_tracker(data, path.name)
        elapsed = time.perf_counter() - t0
        peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    review = parsed.reviews[0]
    ok = elapsed <= target and len(review.rows) == args.rows
    print(
        f"bench_import: {args.rows:,} rows ({len(data) / 2**20:.1f} MB xlsx, {'fill-only' if args.fills else 'text'} "
        f"statuses): read+parse {elapsed:.2f} s (target {target:g} s), {review.statuses_from_colour:,} from colour, "
        f"peak RSS {peak_mib:.0f} MiB (before parse {rss_before / 1024:.0f} MiB), generate {gen_s:.1f} s "
        f"-> {'OK' if ok else 'FAIL'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
