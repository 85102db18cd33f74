"""Benchmark: importing a 50,000-action tracker, against python-calamine reading the same file.

    .venv/bin/python bench/bench_import.py [--rows 50000] [--runs 5] [--root PATH] [--no-postgres]

Two trackers are generated (in a child process, so its memory does not count): statuses as text,
and statuses as cell fills only (no text: the importer reads the fills).

1. Read + parse (issue 9), in this process: for each tracker, calamine reading the sheet's values
   and the importer's read_tracker (every action with its recommendation, status, timescale and
   problems) run alternately, `--runs` times; medians of CPU time, so other work on a shared
   machine moves them little. Targets: <= 2x calamine; fills-only statuses <= 3x.
2. Whole processes, as a person runs them (issue 27): `python -m data_access import` of the text
   tracker as a dry run (into a migrated SQLite database), as a real import into a fresh migrated
   SQLite database and into a fresh PostgreSQL database (a throwaway server started here from the
   system's binaries), each against a process that only reads the same file with python-calamine;
   all four run alternately, `--runs` times, medians of wall-clock time. Targets: dry run <= 3x,
   SQLite <= 4x, PostgreSQL <= 5x. Also the dry run of a 150-action tracker < 0.8 s (as
   bench_cli.py), and peak memory < 300 MB: the largest maximum RSS of any import process (its
   reader child included) and of this process (generation excluded).

Bytecode is cached as a person's second run has it (one uncounted run of each command first, into a
temporary PYTHONPYCACHEPREFIX; see bench_cli.py). --root times another checkout's command line
(e.g. the main branch, for before/after figures). Prints one line per target with its measured
figure and exits 1 when any is missed (PostgreSQL not measured, e.g. no server binaries, counts
as missed unless --no-postgres).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import glob
import io
import os
import pwd
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

STATUSES = ["B", "G", "A", "R", "Green", "Amber - at risk", "Complete"]
FILLS = {"B": "FF0070C0", "G": "FF00B050", "A": "FFFFC000", "R": "FFFF0000"}
TEXT_TARGET, FILLS_TARGET, MEMORY_TARGET_MB = 2.0, 3.0, 300
# Whole processes (issue 27): import as a ratio to calamine's whole-process read; the small dry run in seconds.
DRY_RUN_TARGET, SQLITE_TARGET, POSTGRES_TARGET, SMALL_DRY_RUN_TARGET_S = 3.0, 4.0, 5.0, 0.8
CALAMINE_READ = (
    "import sys, python_calamine as pc\n"
    "book = pc.CalamineWorkbook.from_path(sys.argv[1])\n"
    "for name in book.sheet_names:\n"
    "    book.get_sheet_by_name(name).to_python(skip_empty_area=False)\n"
)


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


class Postgres:
    """A throwaway PostgreSQL server from the system's binaries (Debian keeps them in
    /usr/lib/postgresql/<major>/bin), on a unix socket in a private folder; as root, run as the
    `postgres` user (as tests/conftest.py does). `url(name)` of a database; `fresh(name)` makes one
    from the migrated template."""

    def __init__(self, folder: Path):
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb")) or [shutil.which("initdb") or ""]
        self.bin = Path(found[-1]).parent
        if not (self.bin / "pg_ctl").exists():
            raise RuntimeError("no PostgreSQL server binaries (initdb, pg_ctl) found")
        self.folder = folder
        self.data = folder / "data"
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_postgres:
            pw = pwd.getpwnam("postgres")
            os.chown(folder, pw.pw_uid, pw.pw_gid)

    def _run(self, *cmd: str) -> None:
        subprocess.run([*self.as_postgres, *cmd], cwd="/", check=True, capture_output=True)

    def start(self) -> None:
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")
        options = f"-k {self.folder} -p {self.port} -c listen_addresses=''"
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.folder / "log"), "-w",
                  "start")  # fmt: skip

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")

    def url(self, name: str) -> str:
        return f"postgresql+psycopg://postgres@/{name}?host={self.folder}&port={self.port}"

    def sql(self, statement: str) -> None:
        import psycopg

        with psycopg.connect(host=str(self.folder), port=self.port, user="postgres", dbname="postgres",
                             autocommit=True) as conn:  # fmt: skip
            conn.execute(statement)


@contextlib.contextmanager
def postgres(folder: Path) -> Iterator[Postgres]:
    server = Postgres(folder)
    try:
        server.start()
        yield server
    finally:
        server.stop()


def whole_processes(path: Path, small: Path, runs: int, root: Path, tmp: Path, with_postgres: bool) -> dict:
    """Wall-clock seconds and peak MB of every run of each whole process, run alternately."""
    python = sys.executable
    env = {**os.environ, "PYTHONPATH": str(root), "PYTHONPYCACHEPREFIX": str(tmp / "pycache")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    migrated = tmp / "migrated.db"
    subprocess.run([python, "-m", "data_access", "migrate", "--db", f"sqlite:///{migrated}"], cwd=root, env=env,
                   check=True, capture_output=True)  # fmt: skip
    dry_db = tmp / "dry.db"
    shutil.copy(migrated, dry_db)
    importing = [python, "-m", "data_access", "import"]
    commands = {
        "calamine": lambda n: [python, "-c", CALAMINE_READ, str(path)],
        "dry run": lambda n: [*importing, str(path), "--dry-run", "--db", f"sqlite:///{dry_db}"],
        "SQLite": lambda n: [*importing, str(path), "--db", f"sqlite:///{tmp / f'real-{n}.db'}"],
        "150 dry run": lambda n: [*importing, str(small), "--dry-run", "--db", f"sqlite:///{dry_db}"],
    }
    prepare = {"SQLite": lambda n: shutil.copy(migrated, tmp / f"real-{n}.db")}
    with contextlib.ExitStack() as stack:
        if with_postgres:
            try:
                # Its own folder in /tmp, not inside `tmp`: the `postgres` user must be able to reach it.
                folder = Path(tempfile.mkdtemp(prefix="bench-import-pg-"))
                stack.callback(shutil.rmtree, folder, ignore_errors=True)
                server = stack.enter_context(postgres(folder))
                server.sql("CREATE DATABASE board_template")
                subprocess.run([python, "-m", "data_access", "migrate", "--db", server.url("board_template")],
                               cwd=root, env=env, check=True, capture_output=True)  # fmt: skip
                commands["PostgreSQL"] = lambda n: [*importing, str(path), "--db", server.url(f"board_{n}")]
                prepare["PostgreSQL"] = lambda n: server.sql(f"CREATE DATABASE board_{n} TEMPLATE board_template")
            except (RuntimeError, OSError, subprocess.CalledProcessError) as exc:
                print(f"bench_import: PostgreSQL not measured: {exc}")
        names = list(commands)
        for name in names:  # uncounted: writes the bytecode caches, warms the file cache
            prepare.get(name, lambda n: None)("warm")
            run_wait4(commands[name]("warm"), env, root)
        results: dict[str, list[tuple[float, float, float]]] = {name: [] for name in names}
        for n in range(runs):
            for name in names[n % len(names) :] + names[: n % len(names)]:  # each first in turn
                prepare.get(name, lambda n: None)(str(n))
                results[name].append(run_wait4(commands[name](str(n)), env, root))
    return results


def run_wait4(cmd: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak RSS in MB) of one run, the process's reader child included."""
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            raise SystemExit(f"bench_import: {cmd[2:4]} failed ({proc.returncode}): {err.read()[-600:].decode()}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout whose command line is timed")
    parser.add_argument("--no-postgres", action="store_true", help="leave out the import into PostgreSQL")
    parser.add_argument("--generate", nargs=2, metavar=("PATH", "KIND"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.generate:
        generate(Path(args.generate[0]), args.rows, args.generate[1] == "fills")
        return 0

    ok = True
    print(f"bench_import: load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        generated = {}
        for kind, rows in (("text", args.rows), ("fills", args.rows), ("small", 150)):
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, __file__, "--rows", str(rows), "--generate", str(tmp / f"{kind}.xlsx"),
                 "fills" if kind == "fills" else "text"],
                check=True,
            )  # fmt: skip
            generated[kind] = time.perf_counter() - started
        # Whole processes first, while this process is small: Linux keeps a process's peak RSS
        # across fork and exec, so a child started by a large parent would report the parent's.
        results = whole_processes(
            tmp / "text.xlsx", tmp / "small.xlsx", args.runs, args.root.resolve(), tmp, not args.no_postgres
        )
        for kind, target in (("text", TEXT_TARGET), ("fills", FILLS_TARGET)):
            data = (tmp / f"{kind}.xlsx").read_bytes()
            base, ours, parsed = measure(data, args.runs)
            review = parsed.reviews[0]
            ratio = ours / base
            right = len(review.rows) == args.rows and (kind == "text" or review.statuses_from_colour == args.rows)
            passed = ratio <= target and right
            ok &= passed
            print(
                f"bench_import: {args.rows:,} actions ({len(data) / 2**20:.1f} MB xlsx, {kind} statuses): "
                f"read+parse {ours:.2f} s CPU vs calamine {base:.2f} s = {ratio:.2f}x (target {target:g}x), "
                f"{review.statuses_from_colour:,} from colour, median of {args.runs}; "
                f"generated in {generated[kind]:.0f} s -> {'OK' if passed else 'FAIL'}"
            )
            del parsed, review, data
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    def median(name: str) -> float:
        return statistics.median(wall for wall, _, _ in results[name])

    def cpu(name: str) -> str:
        return f"CPU {statistics.median(c for _, c, _ in results[name]):.2f} s"

    base = median("calamine")
    every = ", ".join(f"{wall:.2f}" for wall, _, _ in results["calamine"])
    print(
        f"bench_import: whole processes, median wall-clock time of {args.runs} alternating runs "
        f"(CPU: the process and its reader child): {args.rows:,} actions read by calamine "
        f"{base:.2f} s ({every}; {cpu('calamine')})"
    )
    for name, target in (("dry run", DRY_RUN_TARGET), ("SQLite", SQLITE_TARGET), ("PostgreSQL", POSTGRES_TARGET)):
        label = {"dry run": "import --dry-run", "SQLite": "import into SQLite", "PostgreSQL": "import into PostgreSQL"}
        if name not in results:
            passed = args.no_postgres
            print(
                f"bench_import: {label[name]}: not measured (target {target:g}x) -> {'skipped' if passed else 'FAIL'}"
            )
            ok &= passed
            continue
        ratio = median(name) / base
        passed = ratio <= target
        ok &= passed
        every = ", ".join(f"{wall:.2f}" for wall, _, _ in results[name])
        print(
            f"bench_import: {label[name]}: median {median(name):.2f} s ({every}; {cpu(name)}) = {ratio:.2f}x calamine "
            f"(target {target:g}x) -> {'OK' if passed else 'FAIL'}"
        )
    small_median = median("150 dry run")
    passed = small_median < SMALL_DRY_RUN_TARGET_S
    ok &= passed
    every = ", ".join(f"{wall:.2f}" for wall, _, _ in results["150 dry run"])
    print(
        f"bench_import: import --dry-run of 150 actions: median {small_median:.3f} s ({every}; {cpu('150 dry run')}) "
        f"(target < {SMALL_DRY_RUN_TARGET_S:g} s) -> {'OK' if passed else 'FAIL'}"
    )
    imports = max(mb for name, runs in results.items() if name != "calamine" for _, _, mb in runs)
    memory_ok = max(peak_mb, imports) < MEMORY_TARGET_MB
    print(
        f"bench_import: peak RSS: this process {peak_mb:.0f} MB, largest import process (reader included) "
        f"{imports:.0f} MB (target < {MEMORY_TARGET_MB} MB) -> {'OK' if memory_ok else 'FAIL'}"
    )
    return 0 if ok and memory_ok else 1


if __name__ == "__main__":
    sys.exit(main())
