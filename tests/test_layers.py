"""The layer rules (pyproject.toml's [tool.importlinter] contracts) hold, and each one can fail.

`lint-imports` (import-linter) builds the import graph of data_access and pages, lazy imports
inside functions included. The second test copies both packages, adds one module per contract
that breaks it, and checks that lint-imports names that module under that contract."""

from __future__ import annotations

import collections
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

# contract id -> (module to add, its source): an import that contract forbids.
PROBES = {
    "no-streamlit-below-pages": ("data_access/reads/layer_probe.py", "import streamlit\n"),
    "settings-stand-alone": ("data_access/config/layer_probe.py", "from data_access.domain import rules\n"),
    "domain-imports-nothing-above-it": (
        "data_access/domain/layer_probe.py",
        "from data_access.storage import schema\n",
    ),
    "reading-needs-no-database": (
        "data_access/importer/reading/layer_probe.py",
        "def later():\n    from data_access.importer.committing import writing\n",
    ),
    "pages-never-touch-the-database": ("pages/ui/layer_probe.py", "from data_access.storage.schema import plans\n"),
}


def lint_imports(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    if not LINT_IMPORTS.is_file():
        pytest.fail(f"{LINT_IMPORTS} is missing: install requirements-dev.txt (import-linter)")
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(cwd / "pyproject.toml"), *args],
        cwd=cwd,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(cwd)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_layer_contracts_hold():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Contracts: {len(CONFIG['contracts'])} kept, 0 broken." in result.stdout, result.stdout


def test_every_contract_has_a_probe():
    assert {c["id"] for c in CONFIG["contracts"]} == set(PROBES)


@pytest.fixture(scope="module")
def broken_copy(tmp_path_factory) -> Path:
    """data_access and pages copied, with every probe module added."""
    copy = tmp_path_factory.mktemp("layers")
    ignore = shutil.ignore_patterns("__pycache__")
    for package in ("data_access", "pages"):
        shutil.copytree(ROOT / package, copy / package, ignore=ignore)
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    for path, source in PROBES.values():
        (copy / path).write_text(source, encoding="utf-8")
    return copy


@pytest.mark.parametrize("contract", sorted(PROBES))
def test_each_contract_fails_when_broken(broken_copy, contract):
    probe = PROBES[contract][0].removesuffix(".py").replace("/", ".")
    result = lint_imports(broken_copy, "--contract", contract)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "0 kept, 1 broken" in result.stdout, result.stdout
    assert probe in result.stdout, result.stdout


def test_no_two_modules_share_a_file_name():
    """A module's file name says what it holds without its folder (issue 21: `trends.py` ×3 and
    `audit.py` ×3 made a reader open each one). conftest.py and __init__.py are pytest's and
    Python's own names."""

    files = subprocess.run(["git", "ls-files", "*.py"], capture_output=True, text=True, check=True, cwd=ROOT)
    names = collections.Counter(
        Path(f).name for f in files.stdout.split() if Path(f).name not in ("__init__.py", "conftest.py")
    )
    assert not [name for name, n in names.items() if n > 1]
