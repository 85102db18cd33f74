"""No import cycles among data_access's modules: each module depends one way (issue 21).

The graph is built with `ast` from every data_access/**/*.py, counting imports anywhere in a module
(inside functions too: a deferred import is still a dependency, only a later one). `from pkg import
name` is an edge to the module pkg.name when there is one, else to pkg; the parent packages Python
imports on the way are not counted (every module imports its own package).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "data_access"


def module_sources(root: Path = ROOT, package: str = PACKAGE) -> dict[str, str]:
    """{dotted module name: its source} for every .py file of the package (a package is its __init__)."""
    out = {}
    for path in sorted((root / package).rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path.read_text(encoding="utf-8")
    return out


def _imported(name: str, is_package: bool, tree: ast.AST, modules: Iterable[str]) -> set[str]:
    known = set(modules)
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names if alias.name in known)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: from . import x, from ..y import z
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                if submodule in known:
                    out.add(submodule)
                elif source in known:
                    out.add(source)
    out.discard(name)
    return out


def import_graph(sources: Mapping[str, str], packages: Iterable[str] = ()) -> dict[str, set[str]]:
    """{module: the modules of `sources` it imports}. `packages`: names that are packages (__init__),
    for relative imports; with module_sources they are found by having submodules."""
    names = set(sources)
    is_package = set(packages) | {n for n in names if any(other.startswith(n + ".") for other in names)}
    return {name: _imported(name, name in is_package, ast.parse(src), names) for name, src in sources.items()}


def cycles(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """Every group of modules that import each other, directly or round a loop (Tarjan's strongly
    connected components of more than one module), each sorted; [] when the graph has no cycle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(start: str) -> None:
        # Iterative, so a long chain of imports cannot hit the recursion limit.
        work = [(start, iter(sorted(graph.get(start, ()))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def test_data_access_has_no_import_cycles():
    graph = import_graph(module_sources())
    assert len(graph) > 50 and any(graph.values())  # the walk found the package and its imports
    assert cycles(graph) == [], "modules that import each other; make one of them depend on the other only"


def test_the_cycle_finder_finds_cycles_function_level_imports_included():
    """The check above can fail: a small package in memory with the two cycles issue 21 broke (a
    reader importing a sibling inside a function, plain data importing the committing half)."""
    sources = {
        "pkg": "",
        "pkg.reading": "",
        "pkg.reading.workbook": "def read(kind):\n    from pkg.reading.csv_grid import read_csv\n    return read_csv\n",
        "pkg.reading.csv_grid": "from pkg.reading.workbook import Grid\n",
        "pkg.parsed": "class Preview:\n    def blockers(self):\n        from pkg.committing import decisions\n",
        "pkg.committing": "",
        "pkg.committing.decisions": "from pkg import parsed\n",
        "pkg.reading.grid": "import pkg.parsed\n",
        "pkg.reading.relative": "from . import grid\nfrom ..parsed import Preview\n",
    }
    graph = import_graph(sources)
    assert graph["pkg.reading.workbook"] == {"pkg.reading.csv_grid"}
    assert graph["pkg.parsed"] == {"pkg.committing.decisions"}
    assert graph["pkg.reading.relative"] == {"pkg.reading.grid", "pkg.parsed"}
    assert cycles(graph) == [
        ["pkg.committing.decisions", "pkg.parsed"],
        ["pkg.reading.csv_grid", "pkg.reading.workbook"],
    ]
    # A loop through three modules is one cycle; a one-way chain is none.
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []
