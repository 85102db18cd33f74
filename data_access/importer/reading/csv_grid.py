"""CSV bytes -> one Grid, refusing what would be imported wrongly without a word.

Encoding: UTF-8 (with or without BOM), UTF-16 with a BOM, else Windows-1252 (what Excel's "CSV"
writes on UK Windows). A file that mixes the two (a UTF-8 export with rows pasted in from an
older Windows file) is decoded line by line, and every row whose characters were read as
Windows-1252 is listed as a problem in the preview: the text is kept readable ("£", not "Â£")
and the manager is told which rows to check. We chose this over refusing the file because the
guess only touches characters in text cells (never a status, a date or a count), each such row
is named, and refusing would leave the manager with no way forward short of re-typing rows.

Quotes: a quote that opens a cell and is never closed makes the reader swallow every following
line into that cell (one action with a 2,000-character description). Such a file is refused,
naming the row where the quote opens: when the quote runs to the end of the file, or when the
lines it swallowed look like rows of the table themselves.
"""

from __future__ import annotations

import codecs
import csv
import io
import re

from data_access.importer.parsed import Limits, Problem
from data_access.importer.reading.grid import Cell, Grid
from data_access.importer.reading.safety import refuse
from data_access.importer.reading.used_range import MAX_COLUMNS

MAX_LISTED_ROWS = 20  # rows listed one by one in the preview; the rest are summed up


def read_csv(data: bytes, filename: str, limits: Limits) -> Grid:
    text, guessed_lines, unreadable_lines = decode_lines(data)
    if "\x00" in text:
        raise refuse(filename, "is not a CSV file: it contains binary data.")
    delimiter = _delimiter(text)
    lines = physical_lines(text)
    rows: list[list[Cell]] = []
    first_line: list[int] = []  # the physical line (1-based) each record starts on
    reader = csv.reader(iter(lines), delimiter=delimiter)
    try:
        consumed = 0
        for record in reader:
            first_line.append(consumed + 1)
            consumed = reader.line_num
            rows.append(record)
            if len(rows) > limits.max_rows:
                raise refuse(filename, f"has more than {limits.max_rows:,} rows, over the limit.")
            if len(record) > MAX_COLUMNS:
                raise refuse(filename, f"has {len(record):,} columns on row {len(rows)}, too wide to be a tracker.")
    except csv.Error as exc:
        raise refuse(filename, f"is not a readable CSV file (row {len(rows) + 1}: {exc}).") from None
    _check_quotes(filename, rows, first_line, lines, delimiter)
    grid = Grid(None, rows)
    grid.problems = _encoding_problems(guessed_lines, unreadable_lines, first_line)
    return grid


def decode_text(data: bytes) -> str:
    """The file's text (see decode_lines)."""
    return decode_lines(data)[0]


def decode_lines(data: bytes) -> tuple[str, list[int], list[int]]:
    """(text, lines read as Windows-1252 in a UTF-8 file, lines with undecodable bytes); lines are
    1-based physical lines."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16", errors="replace")
        return text, [], _lines_with(text, "\ufffd")
    try:
        return data.decode("utf-8"), [], []
    except UnicodeDecodeError:
        pass
    # Not all UTF-8: decode each line on its own. Lines end at \n, \r\n or \r in both encodings.
    parts = data.splitlines(keepends=True)
    decoded: list[str] = []
    windows: list[int] = []
    utf8_non_ascii = False
    for number, part in enumerate(parts, start=1):
        try:
            line = part.decode("utf-8")
            utf8_non_ascii = utf8_non_ascii or not part.isascii()
        except UnicodeDecodeError:
            line = part.decode("cp1252", errors="replace")
            windows.append(number)
        decoded.append(line)
    text = "".join(decoded)
    # A file with no UTF-8 characters at all is simply Windows-1252 throughout: nothing guessed
    # row by row. Only a mix is flagged.
    guessed = windows if utf8_non_ascii else []
    return text, guessed, _lines_with(text, "\ufffd")


def physical_lines(text: str) -> list[str]:
    """Lines ending at \\n, \\r\\n or \\r only, as the csv module and the bytes split them (str.splitlines
    also splits at U+2028, form feeds and the like, which may sit inside a cell)."""
    return io.StringIO(text, newline="").readlines()


def _lines_with(text: str, char: str) -> list[int]:
    return [n for n, line in enumerate(physical_lines(text), start=1) if char in line] if char in text else []


def _delimiter(text: str) -> str:
    """Comma unless the first lines clearly use semicolons or tabs (European Excel, 'Unicode text')."""
    sample = [line for line in text[:20_000].splitlines()[:20] if line.strip()]
    counts = {d: sum(line.count(d) for line in sample) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","


def _row_of_line(first_line: list[int], line: int) -> int:
    """The record (1-based row, as a spreadsheet shows the CSV) holding a physical line."""
    import bisect

    return max(1, bisect.bisect_right(first_line, line))


def _where(row: int, line: int) -> str:
    return f"row {row}" if row == line else f"row {row} (line {line} of the file)"


def _check_quotes(filename: str, rows: list[list[Cell]], first_line: list[int], lines: list[str], delimiter: str):
    """Refuse a quote that opens a cell and never closes properly (see the module's docstring)."""
    if not rows:
        return
    widths = sorted(len(r) for r in rows)
    width = widths[len(widths) // 2]  # the table's usual number of cells a row
    last = len(rows) - 1
    for index, record in enumerate(rows):
        start = first_line[index]
        end = first_line[index + 1] - 1 if index < last else len(lines)
        if index == last and _unterminated("".join(lines[start - 1 : end]), delimiter):
            raise refuse(
                filename,
                f'has a quote (") that opens a cell on {_where(index + 1, start)} and is never closed, so '
                "every line after it would be read as one cell; fix the quote on that row and upload it again.",
            )
        if end <= start:
            continue  # one physical line: nothing swallowed
        for cell in record:
            if not isinstance(cell, str) or "\n" not in cell and "\r" not in cell:
                continue
            swallowed = [
                ln for ln in _NEWLINE.split(cell)[1:] if width >= 3 and _cells_in(ln, delimiter) >= max(3, width - 1)
            ]
            if swallowed:
                raise refuse(
                    filename,
                    f'has a quote (") that opens a cell on {_where(index + 1, start)} and does not close until '
                    f"line {end}, so {end - start} lines that look like rows of the table would be read as one "
                    "cell; fix the quote on that row and upload it again.",
                )


_NEWLINE = re.compile(r"\r\n|\r|\n")


def _unterminated(raw: str, delimiter: str) -> bool:
    try:
        list(csv.reader(io.StringIO(raw, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False


def _cells_in(line: str, delimiter: str) -> int:
    return len(next(csv.reader([line], delimiter=delimiter), []))


def _encoding_problems(guessed: list[int], unreadable: list[int], first_line: list[int]) -> list[Problem]:
    problems: list[Problem] = []
    for lines, message in (
        (
            guessed,
            "Some characters on this row were not UTF-8 like the rest of the file; they were read as "
            "Windows-1252 (so '£' stays '£'). Check this row's text.",
        ),
        (unreadable, "Some characters on this row could not be read and are shown as '\ufffd'. Check this row's text."),
    ):
        rows = sorted({_row_of_line(first_line, line) for line in lines})
        problems.extend(Problem(None, row, None, message) for row in rows[:MAX_LISTED_ROWS])
        if len(rows) > MAX_LISTED_ROWS:
            problems.append(Problem(None, None, None, f"{len(rows) - MAX_LISTED_ROWS} more rows like these: {message}"))
    return problems
