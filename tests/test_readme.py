"""The README stays honest, in both directions: its two commands, make targets, command-line
subcommands and options, pages and URL parameters are the code's, and everything the code offers
a user (every subcommand and option, every page, every URL parameter) is in the README."""

from __future__ import annotations

import re
import subprocess
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


# --- Paths and layout -------------------------------------------------------------------------

DOCS = {"README.md": README} | {
    f"docs/{p.name}": p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs").glob("*.md"))
}
FILE_ENDINGS = (".py", ".toml", ".cfg", ".md", ".txt", ".ini", ".mako", ".yml", ".yaml")
# Paths the docs name that a clone does not hold: made at run time, or git-ignored secrets.
NOT_IN_A_CLONE = {"data/", "data/board.db", ".streamlit/secrets.toml", "secrets.toml", "artifacts/screenshots/"}
SKIPPED_DIRS = {".git", ".venv", "__pycache__", ".pytest_cache", ".ruff_cache", ".hypothesis", "data", "artifacts"}


def repo_files() -> list[Path]:
    return [
        p
        for p in ROOT.rglob("*")
        if not SKIPPED_DIRS.intersection(p.relative_to(ROOT).parts) and not p.name.endswith(".pyc")
    ]


def path_tokens(markdown: str) -> set[str]:
    """Words of inline `code` that look like a path in the repository: lowercase with a slash
    (`pages/ui/plain.py`, `tests/browser/`), or a file name with a source ending (`bench_served.py`).
    URLs, absolute paths, parent-folder paths and URL paths (`/overview`) are not the repo's."""
    rest = re.sub(r"^```[^\n]*\n.*?^```", "", markdown, flags=re.S | re.M)
    found = set()
    for span in re.findall(r"`([^`\n]+)`", rest):
        for word in span.split():
            word = word.strip("(),;:")
            if "://" in word or word.startswith(("/", "../", "~")):
                continue
            if re.fullmatch(r"[a-z_.][a-z0-9_.*-]*(/[A-Za-z0-9_.*-]+)+/?", word) or (
                re.fullmatch(r"[\w.*-]+", word) and word.endswith(FILE_ENDINGS)
            ):
                found.add(word)
    return found


def test_the_path_finder_finds_paths_and_nothing_else():
    text = (
        "`pages/ui/plain.py`, `tests/browser/`, `bench/bench_*.py`, `install -m 644 deploy/config.toml x`, "
        "`bench_served.py --profile`, `/overview`, `postgresql://user@host/db`, `Amber/Green`, `N/A`, "
        "`Q2 2017/18`, `tracker.xlsx`, `../shared/seeds/`"
    )
    assert path_tokens(text) == {
        "pages/ui/plain.py",
        "tests/browser/",
        "bench/bench_*.py",
        "deploy/config.toml",
        "bench_served.py",
    }


@pytest.mark.parametrize("doc", sorted(DOCS))
def test_every_path_the_docs_name_exists(doc):
    names = {p.name for p in repo_files()}
    missing = []
    for token in sorted(path_tokens(DOCS[doc]) - NOT_IN_A_CLONE):
        if "/" in token:
            exists = any(ROOT.glob(token.rstrip("/"))) if "*" in token else (ROOT / token).exists()
        else:
            exists = any(Path(name).match(token) for name in names)
        if not exists:
            missing.append(token)
    assert not missing, f"{doc} names paths that do not exist: {missing}"


@pytest.mark.parametrize("doc", sorted(DOCS))
def test_links_between_the_docs_resolve(doc):
    base = (ROOT / doc).parent
    targets = [t.split("#")[0] for t in re.findall(r"\]\(([^)\s]+)\)", DOCS[doc]) if "://" not in t]
    missing = [t for t in targets if t and not (base / t).exists()]
    assert not missing, f"{doc} links to files that do not exist: {missing}"


def layout_block() -> str:
    section = README.split("\n## Layout\n", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"^```\n(.*?)^```", section, flags=re.S | re.M)
    assert block, "the Layout section needs a code block"
    return block.group(1)


def _named(name: str, block: str) -> bool:
    return re.search(rf"(?<![\w./-]){re.escape(name)}(?![\w-])", block) is not None


def tracked_paths() -> list[Path]:
    """The repository's files (committed, or new and not ignored)."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return [Path(p) for p in listed if (ROOT / p).exists()]


def what_the_layout_must_name(paths: list[Path]) -> set[str]:
    """Every folder and module at the top of the repo; every folder and module in data_access/
    and pages/, at any depth; the folders one level into tests/, sample_data/ and migrations/."""
    names = set()
    for path in paths:
        parts = path.parts
        if len(parts) == 1:
            if path.suffix == ".py":
                names.add(path.name)
            continue
        names.add(parts[0] + "/")
        if parts[0] in ("data_access", "pages"):
            names.update(f"{folder}/" for folder in parts[1:-1])
            if path.suffix == ".py" and path.name != "__init__.py":
                names.add(path.name)
        elif len(parts) > 2 and parts[0] in ("tests", "sample_data", "migrations"):
            names.add(f"{parts[1]}/")
    return names


def not_in_the_layout(paths: list[Path]) -> set[str]:
    block = layout_block()
    return {name for name in what_the_layout_must_name(paths) if not _named(name, block)}


def test_the_layout_names_every_folder_and_module():
    missing = not_in_the_layout(tracked_paths())
    assert not missing, f"README's Layout section does not name: {sorted(missing)}"


def test_the_layout_check_fails_for_a_new_module_or_folder():
    new = [
        Path("helpers.py"),
        Path("tools/report.sh"),
        Path("data_access/exporting/__init__.py"),
        Path("data_access/reads/new_question.py"),
        Path("data_access/importer/reading/new_format.py"),
        Path("pages/ui/widgets.py"),
        Path("tests/fixtures_new/x.py"),
    ]
    assert not_in_the_layout(tracked_paths() + new) == {
        "helpers.py",
        "tools/",
        "exporting/",
        "new_question.py",
        "new_format.py",
        "widgets.py",
        "fixtures_new/",
    }
