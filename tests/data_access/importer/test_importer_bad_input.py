"""Bad input: one ImportRefused sentence naming the file, never another exception; and fuzzing."""

from __future__ import annotations

import contextlib
import csv
import io

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from data_access.importer import ImportRefused, Limits, read_tracker
from tests.data_access.importer import messy


def refused(data: bytes, name: str, **kw) -> str:
    with pytest.raises(ImportRefused) as info:
        read_tracker(data, name, **kw)
    message = str(info.value)
    assert message.startswith(name), message
    assert message.endswith("."), message
    assert "\n" not in message
    return message


@pytest.mark.parametrize(
    "data,name,words",
    [
        (b"", "plan.xlsx", "is empty"),
        (b"Ref,Action\n1,Do it\n", "plan.xlsx", "text file"),
        (b"<html><body><table><tr><td>x</td></tr></table></body></html>", "plan.xls", "web page"),
        (bytes(range(256)) * 4, "plan.xlsx", "not a spreadsheet"),
        (b"%PDF-1.4 binary\x00\x01\x02", "plan.csv", "is a PDF document"),
        (b"%PDF-1.4", "plan.pdf", "is a PDF document; upload the tracker as .xlsx, .xls, .ods or .csv"),
    ],
)
def test_not_a_spreadsheet(data, name, words):
    assert words in refused(data, name)


def test_truncated_xlsx():
    assert "truncated or corrupt" in refused(messy.truncated_xlsx(), "plan.xlsx")


def test_encrypted_workbook():
    assert "password-protected" in refused(messy.encrypted_xlsx(), "plan.xlsx")


def test_fake_xls():
    assert "corrupt" in refused(messy.fake_ole_xls(), "plan.xls")


def test_zip_without_workbook():
    out = io.BytesIO()
    with __import__("zipfile").ZipFile(out, "w") as zf:
        zf.writestr("hello.txt", "hi")
    assert "not an Excel workbook" in refused(out.getvalue(), "plan.xlsx")


def test_empty_workbook():
    assert "is empty" in refused(messy.empty_workbook(), "plan.xlsx")


def test_no_header_row():
    assert "no recognisable header row" in refused(messy.no_header_workbook(), "minutes.xlsx")


def test_billion_laughs_refused_before_parsing():
    message = refused(messy.billion_laughs_xlsx(), "laughs.xlsx")
    assert "billion laughs" in message


def test_zip_bomb_refused_from_declared_sizes():
    message = refused(messy.zip_bomb(), "bomb.xlsx")
    assert "decompression bomb" in message


def test_size_limit():
    data = messy.build_xlsx()
    message = refused(data, "big.xlsx", limits=Limits(max_bytes=1000))
    assert "over the" in message and "MB limit" in message


def test_row_limit_xlsx_and_csv():
    assert "over the limit" in refused(messy.build_xlsx(), "rows.xlsx", limits=Limits(max_rows=3))
    assert "over the limit" in refused(messy.build_csv(), "rows.csv", limits=Limits(max_rows=3))


def test_header_but_no_rows():
    wb = openpyxl.Workbook()
    wb.active.append(messy.HEADERS["plain"])
    out = io.BytesIO()
    wb.save(out)
    assert "no actions" in refused(out.getvalue(), "headers.xlsx")


def test_xlsx_with_csv_extension_is_refused_clearly():
    assert "rename it to .xlsx" in refused(messy.build_xlsx(), "plan.csv")


# ---------------------------------------------------------------------------
# Property-based: random bytes and random tables raise nothing but ImportRefused
# ---------------------------------------------------------------------------

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(data=st.binary(max_size=2048), ext=st.sampled_from([".xlsx", ".xls", ".csv", ".xlsm", ".txt"]))
def test_random_bytes(data, ext):
    try:
        read_tracker(data, "fuzz" + ext)
    except ImportRefused as exc:
        assert str(exc).startswith("fuzz")


@FUZZ
@given(
    prefix=st.sampled_from([b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\xef\xbb\xbf"]),
    data=st.binary(max_size=1024),
)
def test_random_bytes_with_magic(prefix, data):
    for ext in (".xlsx", ".xls", ".csv"):
        with contextlib.suppress(ImportRefused):
            read_tracker(prefix + data, "fuzz" + ext)


def _mutations(base: bytes):
    return st.tuples(st.integers(0, len(base) - 1), st.binary(min_size=1, max_size=16))


_BASE_XLSX = messy.build_xlsx(title_rows=True, merged_recs=True)


@FUZZ
@given(edits=st.lists(_mutations(_BASE_XLSX), min_size=1, max_size=4))
def test_corrupted_xlsx(edits):
    data = bytearray(_BASE_XLSX)
    for pos, chunk in edits:
        data[pos : pos + len(chunk)] = chunk
    with contextlib.suppress(ImportRefused):
        read_tracker(bytes(data), "corrupt.xlsx")


CELL = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.sampled_from(
        [
            "Ref",
            "Recommendation",
            "Action",
            "Lead",
            "Timescale",
            "RAG",
            "Progress",
            "Key",
            "Blue = done",
            "31/02/2017",
            "Q5 2017/18",
            "Ongoing",
            "G",
            "purple",
            "=SUM(A1)",
            "1.1",
            "A1.2",
            "Rec 3:",
        ]
    ),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True, allow_infinity=False),
    st.dates(),
)
TABLE = st.lists(st.lists(CELL, max_size=8), max_size=25)


@FUZZ
@given(table=TABLE, header=st.booleans())
def test_random_tables_xlsx(table, header):
    wb = openpyxl.Workbook()
    ws = wb.active
    if header:
        ws.append(["Ref", "Recommendation", "Action", "Lead", "Timescale", "RAG"])
    for row in table:
        ws.append([None if isinstance(v, str) and any(ord(ch) < 32 for ch in v) else v for v in row])
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    out = io.BytesIO()
    wb.save(out)
    try:
        parsed = read_tracker(out.getvalue(), "random.xlsx")
    except ImportRefused:
        return
    for review in parsed.reviews:
        for row in review.rows:
            assert row.status in ("complete", "green", "amber", "red", "unknown")


@FUZZ
@given(table=TABLE)
def test_random_tables_csv(table):
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["Rec", "Action", "Due", "Status"])
    for row in table:
        w.writerow(["" if v is None else v for v in row])
    with contextlib.suppress(ImportRefused):
        read_tracker(buf.getvalue().encode("utf-8", errors="replace"), "random.csv")


def test_limits_come_from_the_environment_for_the_app():
    from data_access.importer import Limits

    assert Limits.from_env({}) == Limits()
    limits = Limits.from_env({"BOARD_MAX_UPLOAD_MB": "5", "BOARD_MAX_ROWS": "1000"})
    assert (limits.max_bytes, limits.max_rows) == (5 * 1024 * 1024, 1000)
    with pytest.raises(ValueError, match="BOARD_MAX_ROWS"):
        Limits.from_env({"BOARD_MAX_ROWS": "lots"})


def test_row_limit_from_the_environment_refuses_a_long_tracker():
    from data_access.importer import Limits

    limits = Limits.from_env({"BOARD_MAX_ROWS": "5"})
    with pytest.raises(ImportRefused, match="tracker.xlsx"):
        read_tracker(messy.build_xlsx(), "tracker.xlsx", limits=limits)
