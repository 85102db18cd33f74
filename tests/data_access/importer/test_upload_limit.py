"""One upload limit, BOARD_MAX_UPLOAD_MB, for the page, the server and the command line (issue
13 item 2): the server's own limit is set from it by `make run`, and a larger server limit is
reported."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from data_access.importer import Limits
from data_access.importer.reading.safety import server_limit_warning, upload_limit_mb

ROOT = Path(__file__).resolve().parents[3]
MB = 2**20


def _run(cmd: list[str], **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        cmd,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_upload_limit_in_whole_mb_rounds_up():
    assert upload_limit_mb(Limits()) == 20
    assert upload_limit_mb(Limits(max_bytes=int(5.5 * MB))) == 6
    assert upload_limit_mb(Limits(max_bytes=10)) == 1


def test_a_larger_server_limit_is_reported():
    message = server_limit_warning(200, Limits())
    assert "accepts uploads of up to 200 MB, more than the board's limit of 20 MB" in message
    assert "STREAMLIT_SERVER_MAX_UPLOAD_SIZE=20" in message
    assert server_limit_warning(20, Limits()) is None
    assert server_limit_warning(5, Limits()) is None


def test_make_run_gives_the_board_limit_to_the_server():
    result = _run(["make", "-n", "run"])
    assert result.returncode == 0, result.stderr
    assert "STREAMLIT_SERVER_MAX_UPLOAD_SIZE=$upload_mb" in result.stdout
    assert "data_access.importer.reading.safety" in result.stdout
    assert (
        _run([sys.executable, "-m", "data_access.importer.reading.safety"], BOARD_MAX_UPLOAD_MB="7").stdout.strip()
        == "7"
    )
    bad = _run([sys.executable, "-m", "data_access.importer.reading.safety"], BOARD_MAX_UPLOAD_MB="lots")
    assert (
        bad.returncode == 2 and "must be a number of megabytes above 0" in bad.stderr and "Traceback" not in bad.stderr
    )


def test_streamlit_reads_its_limit_from_that_variable():
    result = _run([str(ROOT / ".venv/bin/streamlit"), "config", "show"], STREAMLIT_SERVER_MAX_UPLOAD_SIZE="7")
    assert "\nmaxUploadSize = 7\n" in result.stdout


def test_command_line_takes_the_same_limit(tmp_path):
    from tests.data_access.importer import messy

    tracker = tmp_path / "plan.xlsx"
    tracker.write_bytes(messy.build_xlsx(title_rows=True))
    cmd = [
        sys.executable,
        "-m",
        "data_access",
        "import",
        str(tracker),
        "--dry-run",
        "--db",
        f"sqlite:///{tmp_path}/b.db",
    ]
    result = _run(cmd, BOARD_MAX_UPLOAD_MB="0.001")
    assert result.returncode == 2
    assert "MB limit for uploads" in result.stdout and "plan.xlsx is" in result.stdout
    bad = _run(cmd, BOARD_MAX_UPLOAD_MB="lots")
    assert bad.returncode == 2 and "error: BOARD_MAX_UPLOAD_MB" in bad.stderr and "Traceback" not in bad.stderr
