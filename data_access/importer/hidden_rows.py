"""Which rows of an .xlsx sheet are hidden or filtered out (`<row hidden="1">`), for
Grid.hidden_rows: they are still actions, and the preview says how many there were.

A stop-gap until the bounded reader (branch `formats`, importer/used_range.py) fills
Grid.hidden_rows itself while it measures each sheet: drop this module then.
"""

from __future__ import annotations

import re

from data_access.importer.workbook import Grid

_HIDDEN_ROW = re.compile(rb'<(?:\w+:)?row\b[^>]*?\bhidden="(?:1|true)"[^>]*>')
_ROW_NUMBER = re.compile(rb'\br="(\d+)"')


def fill_hidden_rows(grids: list[Grid], data: bytes, kind: str) -> None:
    if kind != "xlsx" or any(getattr(g, "hidden_rows", None) for g in grids):
        return
    try:
        from data_access.importer.workbook import _sheet_xml

        for grid in grids:
            if grid.name is None or not grid.rows:
                continue
            found = _sheet_xml(data, grid.name)
            if found is None or b'hidden="' not in found[1]:
                continue
            rows = set()
            for m in _HIDDEN_ROW.finditer(found[1]):
                if n := _ROW_NUMBER.search(m[0]):
                    rows.add(int(n[1]) - 1)
            grid.hidden_rows = rows
    except Exception:
        return  # no count of hidden rows: the rows themselves are read either way
