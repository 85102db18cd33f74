"""`python -m data_access` as a user runs it: one real subprocess per path that only a real process
shows (the entry point, exit codes, stdout/stderr separation). Every other command-line test
runs in-process through the `cli` fixture (tests/conftest.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_python_m_data_access_runs_as_a_process(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "BOARD_DATABASE_URL"}

    def run(*args):
        return subprocess.run(
            [sys.executable, "-m", "data_access", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
        )

    helped = run("--help")
    assert helped.returncode == 0 and "migrate" in helped.stdout and not helped.stderr
    url = f"sqlite:///{tmp_path / 'smoke.db'}"
    migrated = run("migrate", "--db", url)
    assert migrated.returncode == 0 and "up to date" in migrated.stdout, migrated.stderr
    refused = run("reviews", "--plan", "Nowhere", "--db", url)
    assert refused.returncode == 2 and "no plan called 'Nowhere'" in refused.stderr
    assert "Traceback" not in refused.stderr and not refused.stdout
