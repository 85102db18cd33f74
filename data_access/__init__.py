"""Everything below the pages: the rules, the database, the importer, the reads, the papers and
the command line (`python -m data_access`). Never imports Streamlit."""

from __future__ import annotations

import importlib
from collections.abc import Callable


def lazy_names(package: str, homes: dict[str, str]) -> Callable[[str], object]:
    """A package's module `__getattr__` that imports each public name from its home module on first
    use (`homes`: name -> submodule), so that importing the package loads none of them (the
    command line's --help and the importer's reader process stay quick). Any other name is tried
    as a submodule (`importer.parsed`)."""
    module = importlib.import_module(package)

    def __getattr__(name: str):
        home = homes.get(name)
        if home is None:
            try:
                return importlib.import_module(f"{package}.{name}")
            except ModuleNotFoundError:
                raise AttributeError(f"module {package!r} has no attribute {name!r}") from None
        value = getattr(importlib.import_module(f"{package}.{home}"), name)
        setattr(module, name, value)
        return value

    return __getattr__
