"""A sheet's cells as read: the Grid every reader (workbook.py for spreadsheets, csv_grid.py for CSV)
returns and every later step walks, and the small helpers for its cells.

It imports nothing of the readers, so they depend on it and never on each other.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from data_access.importer.parsed import Problem

Cell = object  # str | int | float | bool | date | datetime | time | timedelta | None


@dataclass
class Grid:
    """A sheet's values, 0-based from A1 (rows[r][c]); '' or None for blank cells.

    hidden_rows: 0-based indexes into rows of the rows hidden or filtered out in the file
    (`<row hidden="1">` in .xlsx, `table:visibility="collapse"|"filter"` in .ods, the row's
    hidden flag in .xls); they are still data. problems: what reading the file itself found
    (e.g. CSV rows whose characters were guessed), for the preview."""

    name: str | None  # None for CSV
    rows: list[list[Cell]]
    merges: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    visible: bool = True
    hidden_rows: set[int] = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)

    def value(self, r: int, c: int) -> Cell:
        if r < len(self.rows):
            row = self.rows[r]
            if c < len(row):
                return row[c]
        return None


def is_blank(value: Cell) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def column_letter(index: int) -> str:
    """0 -> 'A', 27 -> 'AB'."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_text(value: Cell) -> str | None:
    """A cell as the text the user sees (numbers without a spurious '.0'); None when blank."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return None
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time, dt.timedelta)):
        return str(value)
    text = str(value)
    return text if text.strip() else None
