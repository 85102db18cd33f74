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
