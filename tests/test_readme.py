"""The README stays honest, in both directions: its two commands, make targets, command-line
subcommands and options, pages and URL parameters are the code's, and everything the code offers
a user (every subcommand and option, every page, every URL parameter) is in the README."""

from __future__ import annotations

import re
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


def cli_options() -> dict[str, set[str]]:
    """{subcommand: its long options}, from the parser itself."""
    import argparse

    from data_access.cli.entry import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return {
        name: {opt for action in p._actions for opt in action.option_strings if opt.startswith("--")} - {"--help"}
        for name, p in sub.choices.items()
    }


def cli_subcommands() -> set[str]:
    return set(cli_options())


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
    from data_access.domain.rules import STATUSES, normalise_status, status_text

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


def test_every_cli_subcommand_and_option_is_in_the_readme():
    section = README.split("## Command line", 1)[1]
    for command, options in cli_options().items():
        assert f"python -m data_access {command}" in README, f"README does not show `{command}`"
        missing = {opt for opt in options if f"`{opt}" not in README and f" {opt}" not in README}
        assert not missing, f"README does not mention {sorted(missing)} of `{command}`"
    assert section  # the command-line section exists


def test_options_in_the_readme_exist():
    known = set().union(*cli_options().values()) | {"--help"}
    shown = set()
    for line in CODE.splitlines():
        if "python -m data_access" in line:
            shown |= set(re.findall(r"(--[a-z][\w-]*)", line))
    assert shown - known == set(), f"README shows options that do not exist: {shown - known}"


def test_every_url_parameter_is_in_the_readme_and_back():
    from pages.ui.url_state import PARAMETERS

    section = README.split("## Using it", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"`([a-z_]+)(?:=[^`]*)?`", section))
    documented |= set(re.findall(r"[?&(`]([a-z_]+)=", section))
    missing = set(PARAMETERS) - documented
    assert not missing, f"URL parameters not in the README's Using it section: {sorted(missing)}"
    table = section.split("| parameter | meaning |", 1)[1].split("\n\n", 1)[0]
    in_table = {
        name for cell in re.findall(r"^\| ([^|]+)\|", table, flags=re.M) for name in re.findall(r"`([a-z_]+)", cell)
    }
    assert in_table - set(PARAMETERS) == set(), (
        f"README lists parameters the app does not read: {in_table - set(PARAMETERS)}"
    )
