"""Malformed CSV is never imported silently (issue 13 item 7): an unclosed quote is refused naming
the row where it opens; a file mixing UTF-8 and Windows-1252 is read line by line and every row
whose characters were guessed is listed."""

from __future__ import annotations

import pytest

from data_access.importer import ImportRefused, read_tracker
from data_access.importer.reading.csv_grid import decode_lines

HEADER = "Rec,Recommendation,Action,Lead,Timescale,RAG\r\n"
ROWS = [
    f"{i // 3 + 1},Improve practice {i // 3 + 1},Action {i},Head of Service,31/03/2018,Green\r\n" for i in range(60)
]


def refused(text: str | bytes, name: str = "plan.csv") -> str:
    data = text.encode("utf-8") if isinstance(text, str) else text
    with pytest.raises(ImportRefused) as info:
        read_tracker(data, name)
    message = str(info.value)
    assert message.startswith(name) and message.endswith("."), message
    return message


def test_quote_never_closed_is_refused_naming_its_row():
    broken = '1,Improve,"Audit cases, report to board,Head of Service,31/03/2018,Amber\r\n'
    message = refused(HEADER + "".join(ROWS[:2]) + broken + "".join(ROWS[3:]))
    assert 'quote (") that opens a cell on row 4 and is never closed' in message


def test_quote_never_closed_on_the_last_row():
    message = refused(HEADER + ROWS[0] + '1,Improve,"never closed,Head,June 2018,Red\r\n')
    assert "opens a cell on row 3 and is never closed" in message


def test_quote_closed_by_a_stray_quote_far_below_is_refused():
    """The issue's case: 48 rows swallowed into one 2,000-character description."""
    broken = '1,Improve,"Audit cases,Head of Service,31/03/2018,Amber\r\n'
    stray = '9,Improve,Review the ""new"" policy",Head,31/03/2018,Green\r\n'
    message = refused(HEADER + ROWS[0] + broken + "".join(ROWS[3:51]) + stray + "".join(ROWS[52:]))
    assert "opens a cell on row 3 and does not close until line 52" in message
    assert "49 lines that look like rows of the table" in message


def test_row_and_line_differ_after_a_real_multi_line_cell():
    note = '1,Improve,"Audit cases\r\nthen report, monthly, to the board",Head,31/03/2018,Green\r\n'
    broken = '2,Train,"Train staff,Head,June 2018,Amber\r\n'
    message = refused(HEADER + note + broken + "".join(ROWS[:5]))
    assert "row 3 (line 4 of the file)" in message


def test_multi_line_cells_with_commas_are_read():
    note = (
        '1,Improve,"Audit cases\r\nthen report, monthly, to the board\r\nagreed at the March meeting",'
        "Head,31/03/2018,Green\r\n"
    )
    [review] = read_tracker((HEADER + note + ROWS[3]).encode(), "notes.csv").reviews
    assert len(review.rows) == 2
    assert review.rows[0].description.count("\n") == 2


def test_mixed_utf8_and_windows_1252_rows_are_flagged():
    data = (
        (HEADER + "1,Improve,Budget £2000 agreed,Head,31/03/2018,Green\r\n").encode("utf-8")
        + "2,Train,Cost £500 – agreed,Head,June 2018,Amber\r\n".encode("cp1252")
        + "3,Audit,Café visits,Head,June 2018,Red\r\n".encode()
        + "4,Review,“Quoted” words,Head,June 2018,Red\r\n".encode("cp1252")
    )
    parsed = read_tracker(data, "mixed.csv")
    assert [r.description for r in parsed.reviews[0].rows] == [
        "Budget £2000 agreed",
        "Cost £500 – agreed",
        "Café visits",
        "“Quoted” words",
    ]
    guessed = [(p.row, p.message) for p in parsed.problems if "Windows-1252" in p.message]
    assert [row for row, _ in guessed] == [3, 5]
    assert "Check this row's text" in guessed[0][1]


def test_all_windows_1252_is_read_without_flags():
    data = (HEADER + "2,Train,Cost £500 – agreed,Head,June 2018,Amber\r\n").encode("cp1252")
    parsed = read_tracker(data, "excel.csv")
    assert parsed.reviews[0].rows[0].description == "Cost £500 – agreed"
    assert parsed.problems == []


def test_utf8_with_bom_and_utf16_are_read():
    text = HEADER + "1,Improve,Budget £2000,Head,31/03/2018,Green\r\n"
    for data in (b"\xef\xbb\xbf" + text.encode("utf-8"), text.encode("utf-16")):
        parsed = read_tracker(data, "bom.csv")
        assert parsed.reviews[0].rows[0].description == "Budget £2000"
        assert parsed.problems == []


def test_undecodable_bytes_are_flagged():
    data = HEADER.encode() + b"1,Improve,Odd \x81 byte,Head,31/03/2018,Green\r\n"
    parsed = read_tracker(data, "odd.csv")
    assert [(p.row, "could not be read" in p.message) for p in parsed.problems] == [(2, True)]


def test_line_separators_inside_cells_do_not_split_rows():
    text, guessed, unreadable = decode_lines(
        (HEADER + "1,Improve,Line\u2028sep\x0cform,Head,June 2018,Red\r\n").encode()
    )
    parsed = read_tracker(text.encode(), "seps.csv")
    assert len(parsed.reviews[0].rows) == 1 and (guessed, unreadable) == ([], [])
