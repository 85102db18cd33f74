"""The README stays honest: its two commands, its CLI subcommands and its make targets are real."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def code_spans(markdown: str) -> list[str]:
    """Fenced blocks and inline `code`, where commands are written."""
    fenced = re.findall(r"^```[^\n]*\n(.*?)^```", markdown, flags=re.S | re.M)
    rest = re.sub(r"^```[^\n]*\n.*?^```", "", markdown, flags=re.S | re.M)
    return fenced + re.findall(r"`([^`\n]+)`", rest)


CODE = "\n".join(code_spans(README))


def makefile_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([A-Za-z][\w-]*)\s*:(?!=)", text, flags=re.M))


def cli_subcommands() -> set[str]:
    result = subprocess.run(
        [sys.executable, "-m", "data_access", "--help"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    # argparse lists each subcommand indented by four spaces under "positional arguments".
    return set(re.findall(r"^ {4}([a-z][\w-]*)(?:\s|$)", result.stdout, flags=re.M))


def test_quick_start_has_exactly_the_two_commands():
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, flags=re.S)
    assert block, "Quick start needs a sh code block"
    commands = [line.split("#")[0].strip() for line in block.group(1).splitlines() if line.split("#")[0].strip()]
    assert commands == ["make run", "make test"]


def test_cli_subcommands_in_readme_exist():
    mentioned = set(re.findall(r"python -m data_access ([a-z][\w-]*)", README))
    assert mentioned, "README should show the command line"
    known = cli_subcommands()
    assert {"migrate", "seed"} <= known
    assert mentioned - known == set(), f"README mentions subcommands that do not exist: {mentioned - known}"


@pytest.mark.parametrize("target", sorted(set(re.findall(r"\bmake ([a-z][\w-]*)", CODE))))
def test_make_targets_in_readme_exist(target):
    assert target in makefile_targets()


def test_readme_names_the_make_targets():
    assert {"run", "test", "bench", "lint", "clean"} <= set(re.findall(r"\bmake ([a-z][\w-]*)", CODE))


def _table_rows(heading: str) -> list[list[str]]:
    """The first markdown table after `heading`, as rows of cells (header and rule excluded)."""
    section = README.split(heading, 1)[1]
    lines = [line for line in section.splitlines() if line.startswith("|")]
    end = next((i for i, line in enumerate(lines) if i > 2 and not line.startswith("|")), len(lines))
    rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in lines[:end]]
    return rows[2:]


def test_status_table_matches_the_rules():
    from data_access.rules import STATUSES, normalise_status, status_text

    rows = _table_rows("## The rules")[: len(STATUSES)]
    assert [r[0] for r in rows] == list(STATUSES)
    for status, shown, accepted in rows:
        assert shown.startswith(status_text(status)), (status, shown)
        if status != "unknown":
            words = [w.strip() for w in accepted.split(",")]
            assert all(normalise_status(w) == status for w in words), (status, words)


def test_documented_page_urls_are_the_apps_pages():
    app = (ROOT / "app.py").read_text(encoding="utf-8")
    served = set(re.findall(r'url_path="([a-z-]+)"', app))
    table = README.split("| page | what it shows |", 1)[1].split("\n\n", 1)[0]
    first_cells = [line.split("|")[1] for line in table.splitlines() if line.startswith("| `/")]
    documented = {path for cell in first_cells for path in re.findall(r"`/([a-z-]+)", cell)}
    assert documented == served, (documented, served)
