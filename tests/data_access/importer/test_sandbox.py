"""Reading runs where a native crash or a memory blow-up becomes a refused file, not a dead
process (issue 13 item 1): read_tracker_bounded reads in a child process with a memory limit and
a time limit. The hostile files are run from a separate process with its own memory bound, so a
regression kills that process (and fails the test), never the test run."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import pickle
import resource
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from data_access.importer import ImportRefused, read_tracker, read_tracker_bounded
from data_access.importer.reading import sandbox
from tests.data_access.importer import hostile, messy

ROOT = Path(__file__).resolve().parents[3]
BOUND_MB = 1_500  # the address space allowed to the process that calls the sandbox


def _bounded_process(script: str, timeout: float = 120) -> subprocess.CompletedProcess:
    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (BOUND_MB * 2**20, BOUND_MB * 2**20))

    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=limit,
    )


def test_hostile_files_are_refused_within_600_mb_and_15_s(tmp_path):
    files = {
        "far.xlsx": hostile.far_cell("XFD1048576"),
        "liar.xlsx": hostile.far_cell("XFD1048576", dimension="A1:F4"),
        "positions.xlsx": hostile.far_cell_without_refs(),
        "amplifier.xlsx": hostile.shared_string_amplifier(),  # passes every check; 20 GB once read
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
        assert len(data) < 120_000
    result = _bounded_process(
        f"""
        import json, resource, time
        from pathlib import Path
        from data_access.importer import ImportRefused, read_tracker_bounded
        out = {{}}
        for path in sorted(Path({str(tmp_path)!r}).iterdir()):
            started = time.perf_counter()
            try:
                read_tracker_bounded(path.read_bytes(), path.name)
                message = None
            except ImportRefused as exc:
                message = str(exc)
            out[path.name] = [message, time.perf_counter() - started]
        out["children_peak_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(json.dumps(out))
        """
    )
    assert result.returncode == 0, result.stderr[-2000:]
    out = json.loads(result.stdout)
    for name in files:
        message, seconds = out[name]
        assert message and message.startswith(name) and message.endswith("."), (name, message)
        assert seconds < 15, (name, seconds)
    assert "XFD1048576" in out["far.xlsx"][0] and "XFD1048576" in out["liar.xlsx"][0]
    assert "needs more than 600 MB" in out["amplifier.xlsx"][0]
    assert out["children_peak_mb"] < 600


def test_command_line_survives_a_hostile_file_and_reads_the_next(tmp_path):
    (tmp_path / "amplifier.xlsx").write_bytes(hostile.shared_string_amplifier())
    (tmp_path / "plan.xlsx").write_bytes(messy.build_xlsx(title_rows=True))
    result = _bounded_process(
        f"""
        import sys
        from data_access.cli.entry import main
        sys.exit(main(["import", {str(tmp_path / "amplifier.xlsx")!r}, {str(tmp_path / "plan.xlsx")!r},
                       "--dry-run", "--json", "--db", "sqlite:///{tmp_path / "board.db"}"]))
        """
    )
    assert result.returncode == 2, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    files = {Path(f["path"]).name: f for f in json.loads(result.stdout)["files"]}
    assert "needs more than 600 MB" in files["amplifier.xlsx"]["error"]
    assert files["plan.xlsx"]["error"] is None and files["plan.xlsx"]["reviews"][0]["actions"] > 0


def test_same_result_as_reading_in_process():
    data = messy.build_xlsx(title_rows=True, merged_recs=True, bad_rows=True)
    assert read_tracker_bounded(data, "plan.xlsx") == read_tracker(data, "plan.xlsx")


def test_refusals_from_the_child_are_passed_on_unchanged():
    with pytest.raises(ImportRefused, match=r"^far\.xlsx has 1,048,576 rows"):
        read_tracker_bounded(hostile.far_cell(), "far.xlsx")


def test_memory_limit_refuses():
    data = hostile.shared_string_amplifier(cells=1_000, length=200_000)  # 200 MB once read
    with pytest.raises(ImportRefused, match=r"^plan\.xlsx needs more than 100 MB of memory"):
        read_tracker_bounded(data, "plan.xlsx", memory_mb=100)


def test_time_limit_refuses_and_stops_the_child():
    # 0.05 s of the child's CPU; the wall clock, the backstop, is three times that.
    started = time.perf_counter()
    with pytest.raises(ImportRefused, match=r"^plan\.xlsx took longer than 0\.15 seconds to read"):
        read_tracker_bounded(messy.build_xlsx(title_rows=True), "plan.xlsx", time_limit_s=0.05)
    assert time.perf_counter() - started < 5


def test_progress_is_reported():
    seen = []
    read_tracker_bounded(messy.build_xlsx(title_rows=True), "plan.xlsx", progress=lambda p, f: seen.append((p, f)))
    assert seen == [("reading", 0.0), ("checking", 1.0)]


def test_the_answer_may_hold_only_the_importers_own_classes():
    class Evil:
        def __reduce__(self):
            return (os.system, ("echo pwned",))

    with pytest.raises(pickle.UnpicklingError, match="not allowed"):
        sandbox._SafeUnpickler(io.BytesIO(pickle.dumps(("ok", Evil())))).load()
    with pytest.raises(pickle.UnpicklingError, match="not allowed"):
        sandbox._SafeUnpickler(io.BytesIO(pickle.dumps(("ok", subprocess.Popen)))).load()


def test_the_collector_is_paused_only_while_the_answer_is_unpickled():
    import gc

    answer = pickle.dumps(("ok", [dt.date(2018, 6, 30)] * 3), protocol=5)
    assert gc.isenabled()
    assert sandbox._load_answer(answer) == ("ok", [dt.date(2018, 6, 30)] * 3)
    assert gc.isenabled()
    gc.disable()
    try:
        sandbox._load_answer(answer)
        assert not gc.isenabled()  # a caller that had it off keeps it off
        with pytest.raises(pickle.UnpicklingError, match="not allowed"):
            sandbox._load_answer(pickle.dumps(("ok", subprocess.Popen)))
        assert not gc.isenabled()
    finally:
        gc.enable()
    with pytest.raises(pickle.UnpicklingError, match="not allowed"):
        sandbox._load_answer(pickle.dumps(("ok", subprocess.Popen)))
    assert gc.isenabled()  # on again after a refused answer too


def test_a_read_ahead_serves_the_next_call_with_the_same_arguments_only(monkeypatch):
    spawned = []
    spawn = sandbox._spawn
    monkeypatch.setattr(sandbox, "_spawn", lambda *a: spawned.append(a) or spawn(*a))
    data = messy.build_xlsx(title_rows=True)
    sandbox.read_ahead(data, "plan.xlsx", sheet=None)
    collected = read_tracker_bounded(data, "plan.xlsx", sheet=None)
    assert len(spawned) == 1 and sandbox._ahead is None  # collected, not read again
    assert collected == read_tracker(data, "plan.xlsx", sheet=None)

    sandbox.read_ahead(data, "plan.xlsx", sheet=None)
    dropped = sandbox._ahead[1]
    other = read_tracker_bounded(data, "plan.xlsx", sheet=None, as_at=dt.date(2018, 6, 30))  # other arguments
    dropped.join(timeout=60)
    assert len(spawned) == 3 and sandbox._ahead is None  # read afresh; the read ahead is dropped
    assert other == read_tracker(data, "plan.xlsx", sheet=None, as_at=dt.date(2018, 6, 30))

    sandbox.read_ahead(b"not a spreadsheet", "plan.xlsx")
    with pytest.raises(ImportRefused, match="plan.xlsx"):  # a refusal read ahead is the caller's refusal
        read_tracker_bounded(b"not a spreadsheet", "plan.xlsx")


def test_a_prestarted_reader_is_used_once_and_an_unused_one_exits():
    sandbox.prestart()
    child = sandbox._prestarted[0]
    assert read_tracker_bounded(messy.build_xlsx(title_rows=True), "plan.xlsx").reviews
    assert child.poll() == 0 and sandbox._prestarted is None
    sandbox.prestart()
    unused = sandbox._prestarted[0]
    sandbox._prestarted = None
    unused.stdin.close()  # as when this process ends
    assert unused.wait(timeout=30) == 0
    assert unused.stderr.read() == b""
