"""read_tracker in a child process with a memory limit and a time limit.

A spreadsheet reader is native code parsing a stranger's file. The used-range check (see
used_range.py) refuses the far-cell files we know of before any grid is built, but a native crash
or a memory blow-up we did not foresee must cost one refused file, not the server: the Streamlit
app is one process serving every viewer, and an abort (SIGABRT when Rust cannot allocate) takes
all of them down. So uploads are read in a fresh child process:

- started with subprocess (`python -m data_access.importer.reading.sandbox`), a spawn: never a fork of
  the multi-threaded server (multiprocessing's spawn and forkserver contexts would re-run the
  `streamlit` script as the child's __main__, costing a second or more a file);
- the child sets its own limits before it reads a byte of the file: RLIMIT_AS (address space,
  MEMORY_LIMIT_MB, so its peak stays under it), RLIMIT_CPU (TIME_LIMIT_S of its own work), and no
  core dump; the parent kills it after WALL_CLOCK_FACTOR × TIME_LIMIT_S of wall-clock time;
- the child sends back the ParsedFile pickled, and the parent unpickles it with an allow-list of
  the importer's own classes and datetime, so even a child taken over by a hostile file cannot
  make the parent run code;
- at most READERS_AT_ONCE children per server process; other uploads wait their turn.

Measured here (2 cores, bench/bench_cli.py): starting the child costs about 0.1 s; a 150-action
tracker reads in about 0.2 s in all; the 50,000-action tracker's pickle round trip adds ~0.3 s.
"""

from __future__ import annotations

import gc
import hashlib
import io
import os
import pickle
import resource
import signal
import subprocess
import sys
import threading
from pathlib import Path

from data_access.config import environment
from data_access.importer.parsed import ImportRefused, Limits, ParsedFile, Progress
from data_access.importer.reading.safety import name_of, refuse

MEMORY_LIMIT_MB = 600  # the child's address space: its peak memory cannot pass this
TIME_LIMIT_S = 15.0  # the child's own CPU time (RLIMIT_CPU): a file that makes the reader spin stops here
# The wall clock, from start to answer, is only the backstop: on a busy server (2 cores, a room opening
# the link) a legitimate 50,000-action tracker was refused at a 15 s wall clock while using far less CPU.
WALL_CLOCK_FACTOR = 3
READERS_AT_ONCE = 2
_PROJECT_ROOT = Path(__file__).resolve().parents[3]
_readers = threading.BoundedSemaphore(READERS_AT_ONCE)


def read_tracker_bounded(
    data: bytes,
    filename: str,
    *,
    limits: Limits | None = None,
    progress: Progress | None = None,
    memory_mb: int = MEMORY_LIMIT_MB,
    time_limit_s: float = TIME_LIMIT_S,
    **options,
) -> ParsedFile:
    """read_tracker(data, filename, limits=..., **options) in a child process. Raises ImportRefused
    (one sentence naming the file) for a bad file, a file that needs more than memory_mb, takes
    longer than time_limit_s or crashes the reader; never any other exception."""
    name = name_of(filename)
    if progress is not None:
        progress("reading", 0.0)
    request = {"data": data, "filename": filename, "limits": limits or Limits(), "options": options}
    ahead = _take_read_ahead(request, memory_mb, time_limit_s)
    if ahead is not None:
        status, payload = ahead
    else:
        with _readers:
            status, payload = _run_child(request, name, memory_mb, time_limit_s)
    if progress is not None:
        progress("checking", 1.0)
    if status == "ok":
        return payload
    if status == "refused":
        raise ImportRefused(payload)
    raise refuse(name, payload)


def read_ahead(
    data: bytes,
    filename: str,
    *,
    limits: Limits | None = None,
    memory_mb: int = MEMORY_LIMIT_MB,
    time_limit_s: float = TIME_LIMIT_S,
    **options,
) -> None:
    """Start reading a file now, in a reader process on a thread of its own, for the next
    read_tracker_bounded call with exactly these arguments to collect. The next call with any other
    arguments drops it and reads afresh. The command line starts the read before it imports
    SQLAlchemy, so reading the file overlaps those imports instead of following them."""
    global _ahead
    request = {"data": data, "filename": filename, "limits": limits or Limits(), "options": options}
    answer: list = []

    def read() -> None:
        try:
            with _readers:
                answer.append(_run_child(request, name_of(filename), memory_mb, time_limit_s))
        except BaseException as exc:  # noqa: BLE001 - handed to the caller that collects it
            answer.append(exc)

    thread = threading.Thread(target=read, name="tracker-read-ahead", daemon=True)
    with _prestart_lock:
        _ahead = (_read_key(request, memory_mb, time_limit_s), thread, answer)
    thread.start()


_ahead: tuple[tuple, threading.Thread, list] | None = None


def _read_key(request: dict, memory_mb: int, time_limit_s: float) -> tuple:
    digest = hashlib.sha256(request["data"]).digest()
    return (digest, request["filename"], request["limits"], request["options"], memory_mb, time_limit_s)


def _take_read_ahead(request: dict, memory_mb: int, time_limit_s: float) -> tuple[str, object] | None:
    """The read_ahead answer for this request (waiting for it), or None when there is none or
    it was for other arguments (it is dropped either way: one read ahead serves one call). The
    file is hashed only when there is a read ahead to compare with: the upload page never has one."""
    global _ahead
    with _prestart_lock:
        ahead, _ahead = _ahead, None
    if ahead is None or ahead[0] != _read_key(request, memory_mb, time_limit_s):
        return None
    _, thread, answer = ahead
    thread.join()
    if isinstance(answer[0], BaseException):
        raise answer[0]
    return answer[0]


def prestart(memory_mb: int = MEMORY_LIMIT_MB, time_limit_s: float = TIME_LIMIT_S) -> None:
    """Start a reader process now, for the next read_tracker_bounded call to use: its start-up
    (~0.1 s) then overlaps the caller's own (the command line's SQLAlchemy import). A reader that
    is never used sees its input close when this process ends, and exits."""
    global _prestarted
    with _prestart_lock:
        if _prestarted is None:
            _prestarted = (_spawn(memory_mb, time_limit_s), (memory_mb, time_limit_s))


_prestarted: tuple[subprocess.Popen, tuple[int, float]] | None = None
_prestart_lock = threading.Lock()


def _spawn(memory_mb: int, time_limit_s: float) -> subprocess.Popen:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(_PROJECT_ROOT), env.get("PYTHONPATH")) if p)
    env[environment.SANDBOX_LIMITS.name] = f"{int(memory_mb)},{int(time_limit_s) + 1}"
    return subprocess.Popen(
        [sys.executable, "-m", "data_access.importer.reading.sandbox"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=str(_PROJECT_ROOT),
    )


def _child_for(memory_mb: int, time_limit_s: float) -> subprocess.Popen:
    global _prestarted
    with _prestart_lock:
        ready, _prestarted = _prestarted, None
    if ready is not None:
        child, settings = ready
        if settings == (memory_mb, time_limit_s) and child.poll() is None:
            return child
        child.kill()  # our own child, by its pid
        child.communicate()
    return _spawn(memory_mb, time_limit_s)


def _run_child(request: dict, name: str, memory_mb: int, time_limit_s: float) -> tuple[str, object]:
    wall_s = round(time_limit_s * WALL_CLOCK_FACTOR, 3)
    try:
        child = _child_for(memory_mb, time_limit_s)
    except OSError as exc:
        return "failed", f"could not be read: the reader process could not start ({exc.strerror or exc})."
    try:
        out, err = child.communicate(pickle.dumps(request, protocol=5), timeout=wall_s)
    except subprocess.TimeoutExpired:
        child.kill()  # our own child, by its pid
        child.communicate()
        return "failed", f"took longer than {wall_s:g} seconds to read, so reading it was stopped."
    except BrokenPipeError:  # the child died before reading its input
        out, err = b"", child.stderr.read() if child.stderr else b""
        child.wait()
    if child.returncode == 0:
        try:
            status, payload = _load_answer(out)
        except Exception:
            return "failed", "could not be read: the reader process gave an answer that could not be understood."
        if status in ("ok", "refused"):
            return status, payload
        if status == "error":
            if environment.importer_debug():  # the fuzz tests: a bug must fail them, not be refused
                raise RuntimeError(f"the reader process raised {payload}")
            return "failed", f"could not be read ({str(payload).split(':', 1)[0].rsplit('.', 1)[-1]})."
        return "failed", str(payload)
    return "failed", _death_message(child.returncode, err, memory_mb)


def _load_answer(out: bytes) -> tuple[str, object]:
    """The child's answer, unpickled with the cyclic garbage collector paused: unpickling makes only
    the answer's own objects, and the collector's passes over 50,000 rows as they are made cost as
    much as making them (0.31-0.38 s -> 0.14-0.19 s, measured)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _SafeUnpickler(io.BytesIO(out)).load()
    finally:
        if collecting:
            gc.enable()


def _death_message(returncode: int, stderr: bytes, memory_mb: int) -> str:
    killed_by = -returncode if returncode < 0 else None
    if b"memory allocation" in stderr or b"MemoryError" in stderr or killed_by == signal.SIGKILL:
        return (
            f"needs more than {memory_mb} MB of memory to read, so reading it was stopped "
            "(a real tracker needs a small fraction of that)."
        )
    if killed_by == signal.SIGXCPU:
        return "took too long to read, so reading it was stopped."
    what = f"signal {killed_by}" if killed_by else f"exit code {returncode}"
    return (
        f"crashed the spreadsheet reader ({what}), so it could not be read; open it in Excel, save it "
        "again as .xlsx and upload that."
    )


class _SafeUnpickler(pickle.Unpickler):
    """Only the importer's own data classes, datetime values and plain containers."""

    _MODULES = ("data_access.importer.parsed", "data_access.domain.tracker_rows", "data_access.domain.rules")
    _BUILTINS = {("datetime", n) for n in ("date", "datetime", "time", "timedelta", "timezone")} | {
        ("builtins", n) for n in ("set", "frozenset", "list", "dict", "tuple", "bytearray", "complex")
    }

    def find_class(self, module: str, name: str):
        if (module, name) in self._BUILTINS:
            return super().find_class(module, name)
        if module in self._MODULES and "." not in name:
            value = super().find_class(module, name)
            if isinstance(value, type) and value.__module__ == module:
                return value
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed from the reader process")


# ---------------------------------------------------------------------------
# The child
# ---------------------------------------------------------------------------


def _set_limits(memory_mb: int, cpu_s: int) -> None:
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _child_main() -> int:
    # Everything the reading needs is imported before the limits apply.
    import python_calamine  # noqa: F401

    from data_access.importer.reading import documents, header_columns, sheet_rows, sheets, status_cells, workbook  # noqa: F401
    from data_access.importer.reading.tracker_reader import read_tracker

    # One file and exit: the reading makes almost no reference cycles (42 objects for the
    # 50,000-action tracker, the same peak memory) and RLIMIT_AS caps whatever it makes, so the
    # cyclic collector's passes over the growing rows (~0.2 s of ~1.1 s) are not worth making.
    gc.disable()
    limits = environment.value(environment.SANDBOX_LIMITS) or f"{MEMORY_LIMIT_MB},16"
    memory_mb, cpu_s = (int(x) for x in limits.split(","))
    _set_limits(memory_mb, cpu_s)
    try:
        request = pickle.load(sys.stdin.buffer)
    except EOFError:
        return 0  # prestarted, and not needed after all
    answer_to = sys.stdout.buffer
    sys.stdout = sys.stderr  # a library printing a warning (xlrd does) must not corrupt the answer
    try:
        parsed = read_tracker(request["data"], request["filename"], limits=request["limits"], **request["options"])
        answer = ("ok", parsed)
    except ImportRefused as exc:
        answer = ("refused", str(exc))
    except MemoryError:
        answer = ("failed", f"needs more than {memory_mb} MB of memory to read, so reading it was stopped.")
    except BaseException as exc:  # read_tracker re-raised (IMPORTER_DEBUG=1), or a bug: say what
        answer = ("error", f"{type(exc).__module__}.{type(exc).__name__}: {str(exc)[:500]}")
    del request
    answer_to.write(pickle.dumps(answer, protocol=5))
    answer_to.flush()
    return 0


if __name__ == "__main__":
    sys.exit(_child_main())
