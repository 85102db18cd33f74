"""Bad input: one ImportRefused sentence naming the file, never another exception; and fuzzing,
with read_tracker's catch-all turned off (IMPORTER_DEBUG=1) so a real bug fails the test."""

from __future__ import annotations

import contextlib
import csv
import io
import os

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from data_access.importer import ImportRefused, Limits, read_tracker, read_tracker_bounded
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
        (
            b"%PDF-1.4",
            "plan.pdf",
            "is a PDF document; upload the tracker as .xlsx, .xls, .ods, .csv or a Word action plan (.docx)",
        ),
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

FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "60")), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


# Each example through the sandbox starts a process (~0.2 s): fewer examples, same variety of damage.
FUZZ_SANDBOXED = settings(FUZZ, max_examples=max(10, FUZZ.max_examples // 3))


@pytest.fixture(autouse=True)
def catch_all_off(monkeypatch):
    """read_tracker turns any unexpected exception into a polite refusal; IMPORTER_DEBUG=1 makes
    it re-raise instead, so these tests see a real bug rather than "nothing but ImportRefused"."""
    monkeypatch.setenv("IMPORTER_DEBUG", "1")


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
# Corrupted files are read through the sandbox, as uploads are: a mutated .xls can make the
# native reader abort the whole process (seen: a 926 GB allocation from a 9 KB file).


@FUZZ_SANDBOXED
@given(edits=st.lists(_mutations(_BASE_XLSX), min_size=1, max_size=4))
def test_corrupted_xlsx(edits):
    data = bytearray(_BASE_XLSX)
    for pos, chunk in edits:
        data[pos : pos + len(chunk)] = chunk
    with contextlib.suppress(ImportRefused):
        read_tracker_bounded(bytes(data), "corrupt.xlsx")


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


# ---------------------------------------------------------------------------
# Fuzzing the readers added for bounded reading: used ranges, .ods, .xls records, CSV quoting
# ---------------------------------------------------------------------------

_FILES = __import__("pathlib").Path(__file__).resolve().parent / "files"
_BASE_ODS = (_FILES / "lo-tracker.ods").read_bytes()
_BASE_XLS = (_FILES / "lo-tracker.xls").read_bytes()


@FUZZ_SANDBOXED
@given(edits=st.lists(_mutations(_BASE_ODS), min_size=1, max_size=4))
def test_corrupted_ods(edits):
    data = bytearray(_BASE_ODS)
    for pos, chunk in edits:
        data[pos : pos + len(chunk)] = chunk
    with contextlib.suppress(ImportRefused):
        read_tracker_bounded(bytes(data), "corrupt.ods")


@FUZZ_SANDBOXED
@given(edits=st.lists(_mutations(_BASE_XLS), min_size=1, max_size=4))
def test_corrupted_xls(edits):
    data = bytearray(_BASE_XLS)
    for pos, chunk in edits:
        data[pos : pos + len(chunk)] = chunk
    with contextlib.suppress(ImportRefused):
        read_tracker_bounded(bytes(data), "corrupt.xls")


CSV_TEXT = st.lists(st.sampled_from(list('ab,;"\r\n\t £–é\u2028') + ["Ref", "Action", "RAG", "Green"])).map("".join)


@FUZZ
@given(text=CSV_TEXT, encodings=st.lists(st.sampled_from(["utf-8", "cp1252", "latin-1"]), min_size=1, max_size=4))
def test_random_csv_text_and_encodings(text, encodings):
    header = "Ref,Recommendation,Action,Lead,Timescale,RAG\r\n"
    lines = (header + text).splitlines(keepends=True) or [header]
    data = b"".join(line.encode(encodings[i % len(encodings)], errors="replace") for i, line in enumerate(lines))
    with contextlib.suppress(ImportRefused):
        read_tracker(data, "random.csv")


REF_ROW = st.integers(1, 120_000)
REF_COL = st.integers(1, 60)


@FUZZ
@given(
    cells=st.lists(
        st.tuples(
            st.one_of(st.none(), REF_ROW),
            st.one_of(st.none(), REF_COL),
            st.sampled_from(["value", "styled", "formula"]),
            st.booleans(),
        ),
        max_size=12,
    ),
    hidden=st.sets(st.integers(1, 6), max_size=3),
    lower=st.booleans(),
)
def test_random_cell_references_never_pass_unmeasured(cells, hidden, lower):
    """Whatever references a sheet holds (missing, lower-case, far, out of order), the grid a
    reader builds stays inside the rectangle the used-range scan allowed for."""
    import python_calamine

    from data_access.importer.reading.used_range import column_letters, scan_xlsx
    from tests.data_access.importer import hostile

    rows_xml = hostile.tracker_rows_xml(hidden=hidden)
    for row, col, kind, with_row_ref in cells:
        ref = f' r="{column_letters(col or 1)}{row or 1}"' if row and col else ""
        if lower:
            ref = ref.lower()
        body = {"value": '<c{r} t="inlineStr"><is><t>x</t></is></c>', "styled": '<c{r} s="0"/>'}.get(
            kind, "<c{r}><f>1+1</f><v>2</v></c>"
        )
        row_attr = f' r="{row}"' if with_row_ref and row else ""
        rows_xml += f"<row{row_attr}>{body.format(r=ref)}</row>"
    data = hostile.package(hostile.sheet(rows_xml))
    extent = scan_xlsx(data)["Plan"]
    try:
        read_tracker(data, "refs.xlsx")
    except ImportRefused:
        return
    end = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("Plan").end
    if end is not None:
        assert end[0] + 1 <= max(extent.rows, 99_999) and end[1] + 1 <= max(extent.columns, 26), (extent, end)


def _mutated_xls(pos: int, chunk: str) -> bytes:
    data = bytearray(_BASE_XLS)
    data[pos : pos + len(bytes.fromhex(chunk))] = bytes.fromhex(chunk)
    return bytes(data)


def test_a_panic_in_the_native_reader_is_a_refusal():
    """Found by the fuzzing above with the catch-all off: python-calamine reports some corrupt .xls
    files with pyo3's PanicException, a BaseException that `except Exception` let through."""
    assert "truncated or corrupt" in refused(_mutated_xls(2539, "22"), "panic.xls")


def test_a_native_abort_is_a_refusal_through_the_sandbox():
    """This 9 KB file makes python-calamine ask for 926 GB and abort: read in this process, it
    would end the test run (and the server)."""
    with pytest.raises(ImportRefused, match=r"^abort\.xls needs more than 600 MB of memory"):
        read_tracker_bounded(_mutated_xls(3853, "4535a414"), "abort.xls")
