"""One list of settings: data_access/config/environment.py names every environment variable the
board reads, the README's settings table is that list, and no module reads the environment any
other way."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

from data_access.config import environment

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
# The product's code: everything a person runs (tests and benchmarks set variables for it).
SOURCES = [
    ROOT / "app.py",
    *[p for top in ("pages", "data_access", "deploy", "sample_data", "migrations") for p in (ROOT / top).rglob("*.py")],
]
CONFIG = ROOT / "data_access" / "config"
# Python's own search path: deploy/launch.py extends it for the processes it starts; not a setting.
PASSED_THROUGH = {"PYTHONPATH"}
NAMED = re.compile(r"^(BOARD|IMPORTER)_[A-Z0-9_]+$")


def settings_table() -> dict[str, tuple[str, str]]:
    """{variable: (default, meaning)} from the README's table under "## Settings"."""
    section = README.split("\n## Settings\n", 1)[1].split("\n## ", 1)[0]
    table = section.split("| variable | default | meaning |", 1)[1].split("\n\n", 1)[0]
    rows = [line for line in table.strip().splitlines() if line.startswith("| `")]
    found = {}
    for line in rows:
        name, default, meaning = (cell.strip() for cell in line.strip().strip("|").split(" | "))
        found[name.strip("`")] = (default, meaning)
    return found


def test_the_readme_table_is_the_registry():
    table = settings_table()
    names = [s.name for s in environment.SETTINGS]
    assert len(set(names)) == len(names), "a variable is listed twice in environment.SETTINGS"
    assert set(names) - set(table) == set(), f"not in the README's settings table: {sorted(set(names) - set(table))}"
    assert set(table) - set(names) == set(), (
        f"the README lists variables the board does not read: {sorted(set(table) - set(names))}"
    )
    for setting in environment.SETTINGS:
        assert table[setting.name] == (setting.default, setting.meaning), setting.name


def _environment_reads(tree: ast.AST) -> list[tuple[int, str | None]]:
    """(line, variable name or None when not a literal) for each read of the environment:
    os.getenv(...), os.environ.get(...), os.environ[...] read, `... in os.environ`. Copying the
    whole environment for a child process (dict(os.environ), {**os.environ}) is not a read."""

    def is_environ(node) -> bool:
        return (isinstance(node, ast.Attribute) and node.attr == "environ") or (
            isinstance(node, ast.Name) and node.id == "environ"
        )

    def literal(node) -> str | None:
        return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None

    reads = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = literal(node.args[0]) if node.args else None
            reads_one = isinstance(func, ast.Attribute) and func.attr in ("get", "setdefault", "pop")
            if (reads_one and is_environ(func.value)) or getattr(func, "attr", getattr(func, "id", None)) == "getenv":
                reads.append((node.lineno, name))
        elif isinstance(node, ast.Subscript) and is_environ(node.value) and isinstance(node.ctx, ast.Load):
            reads.append((node.lineno, literal(node.slice)))
        elif isinstance(node, ast.Compare) and any(is_environ(c) for c in node.comparators):
            reads.append((node.lineno, literal(node.left)))
    return reads


def test_the_reads_detector_sees_every_way_of_reading():
    source = (
        "import os\nfrom os import environ, getenv\n"
        "a = os.environ.get('A')\nb = os.getenv('B')\nc = os.environ['C']\nd = 'D' in os.environ\n"
        "e = environ.get(NAME)\nf = getenv('F')\n"
        "child = dict(os.environ)\nalso = {**os.environ}\nos.environ['G'] = '1'\n"
    )
    found = sorted(_environment_reads(ast.parse(source)))
    assert found == [(3, "A"), (4, "B"), (5, "C"), (6, "D"), (7, None), (8, "F")]


def test_only_the_settings_module_reads_the_environment():
    stray = []
    for path in SOURCES:
        if CONFIG in path.parents:
            continue
        for line, name in _environment_reads(ast.parse(path.read_text(encoding="utf-8"))):
            if name not in PASSED_THROUGH:
                stray.append(f"{path.relative_to(ROOT)}:{line} reads {name or 'a variable'}")
    assert not stray, "read these through data_access.config.environment (and list them there): " + "; ".join(stray)


def test_every_board_variable_named_in_the_code_is_in_the_registry():
    """Names kept as constants elsewhere (permissions' messages, the launcher) are the registry's."""
    names = {s.name for s in environment.SETTINGS}
    unknown = []
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            named = isinstance(node, ast.Constant) and isinstance(node.value, str) and NAMED.match(node.value)
            if named and node.value not in names:
                unknown.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.value}")
    assert not unknown, unknown


def test_the_defaults_are_the_codes_defaults():
    from data_access.domain import permissions
    from data_access.importer.parsed import MB, Limits
    from data_access.importer.reading import sandbox

    limits = Limits()
    assert int(environment.MAX_UPLOAD_MB.default) * MB == limits.max_bytes
    assert int(environment.MAX_ROWS.default) == limits.max_rows
    assert float(environment.SIGN_IN_HOURS.default) == permissions.SIGN_IN_HOURS
    assert environment.SANDBOX_LIMITS.default == f"{sandbox.MEMORY_LIMIT_MB},16"
    assert permissions.default_role(environment.DEFAULT_ROLE.default) == permissions.VIEWER
    assert permissions.flag(environment.REQUIRE_LOGIN.default, "x") is False


def test_the_values_are_read_from_the_environment(monkeypatch):
    from data_access.importer.parsed import MB, Limits

    monkeypatch.setenv("BOARD_MAX_UPLOAD_MB", "3")
    monkeypatch.setenv("USER", "a.operator")
    monkeypatch.delenv("IMPORTER_DEBUG", raising=False)
    assert Limits.from_env().max_bytes == 3 * MB
    assert environment.operator("command line") == "a.operator"
    assert environment.importer_debug() is False
    monkeypatch.setenv("IMPORTER_DEBUG", "1")
    assert environment.importer_debug() is True
    monkeypatch.delenv("USER")
    assert environment.operator("command line") == "command line"
    assert environment.value(environment.MAX_ROWS, {"BOARD_MAX_ROWS": "7"}) == "7"


def test_the_settings_module_needs_only_the_standard_library():
    """The importer's reader process imports it before its limits apply: it must stay light."""
    code = (
        "import sys; before = set(sys.modules); import data_access.config.environment; "
        "new = {m.split('.')[0] for m in set(sys.modules) - before}; "
        "print(sorted(new - set(sys.stdlib_module_names) - {'data_access'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr
