"""Long tokens wrap inside their table cell in every paper.

A plan whose lead is an e-mail address, whose action text is a 300-character reference and whose
latest update is one 5,000-character word makes a board pack in which, by the positions and widths
of the PDF's text runs, no text crosses into the next column of its table or off the page. The
Word report and the slide deck are laid out by Office, so there the check is structural: fixed
column widths, wrapping cells, and break opportunities in every long token.
"""

from __future__ import annotations

import io
import re

import pytest
from docx import Document
from docx.oxml.ns import qn
from pptx import Presentation
from pypdf import PdfReader

from data_access.domain.rules import AMBER, RED, parse_timescale
from data_access.domain.tracker_rows import PlanInfo, ReviewSnapshot, TrackerRow
from data_access.papers import PaperRequest, make_paper
from data_access.papers.line_breaks import LONG_TOKEN, PIECE, ZWSP, breakable
from data_access.storage import plan_writer
from data_access.storage.database import write_transaction
from tests.fixtures import BOARD_Q2, MEETING

EMAIL = "firstname.lastname@northtyneside.gov.uk"
REFERENCE = "REF/" + "-".join(f"{n:05d}ABCDEFGHIJ" for n in range(20))[:296]  # 300 characters
WORD = "".join(chr(ord("a") + (n * 7) % 26) for n in range(5000))  # one 5,000-character word
LONG = (EMAIL, REFERENCE, WORD)


@pytest.fixture
def plan(engine) -> int:
    rows = [
        TrackerRow(
            "1",
            "Recommendation one",
            REFERENCE,
            action_id="1.1",
            lead=EMAIL,
            status=RED,
            status_raw=RED,
            timescale=parse_timescale("31/07/2024"),  # overdue at the meeting: in the overdue tables too
            progress=WORD,
        ),
        TrackerRow(
            "1",
            "Recommendation one",
            "Short neighbour",
            action_id="1.2",
            lead=EMAIL,
            status=AMBER,
            status_raw=AMBER,
            timescale=parse_timescale("31/08/2024"),
            progress="Short update",
        ),
    ]
    with write_transaction(engine) as conn:
        plan_id = plan_writer.ensure_plan(conn, PlanInfo(name="Long tokens"))
        plan_writer.save_review(conn, plan_id, ReviewSnapshot(BOARD_Q2, rows, label="Q2 2024/25"), source="l.xlsx")
    return plan_id


def _paper(engine, plan: int, fmt: str) -> bytes:
    return make_paper(engine, PaperRequest(fmt, plan, as_of=MEETING)).data


# --- PDF: by position ---------------------------------------------------------------------------


def _widths(font) -> tuple[dict[str, int], dict[int, float], float]:
    """A Type0 font's text -> glyph id (its ToUnicode map reversed), glyph id -> advance width
    (the /W array, thousandths of the font size) and the default width."""
    cmap = font["/ToUnicode"].get_object().get_data()
    glyph_of: dict[str, int] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        for gid, dest in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            glyph_of.setdefault(bytes.fromhex(dest.decode()).decode("utf-16-be"), int(gid, 16))
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
        for lo, hi, dest in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            start = bytes.fromhex(dest.decode()).decode("utf-16-be")
            for i, gid in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                glyph_of.setdefault(start[:-1] + chr(ord(start[-1]) + i), gid)
    cid_font = font["/DescendantFonts"][0].get_object()
    widths: dict[int, float] = {}
    w = list(cid_font.get("/W", []))
    i = 0
    while i < len(w):
        first = int(w[i])
        if isinstance(w[i + 1], list) or hasattr(w[i + 1], "__iter__"):
            for k, width in enumerate(w[i + 1]):
                widths[first + k] = float(width)
            i += 2
        else:
            for gid in range(first, int(w[i + 1]) + 1):
                widths[gid] = float(w[i + 2])
            i += 3
    return glyph_of, widths, float(cid_font.get("/DW", 1000))


def _runs(reader: PdfReader, page) -> list[tuple[str, float, float, float]]:
    """(text, left x, right x, baseline y) of each text run on the page, widths from the fonts."""
    runs, cache = [], {}

    def visit(text, cm, tm, font, size):
        text = text.strip()
        if not text or font is None:
            return
        key = id(font)
        if key not in cache:
            cache[key] = _widths(font)
        glyph_of, widths, default = cache[key]
        advance, i = 0.0, 0
        while i < len(text):  # the longest mapped text first (ligatures map one glyph to several)
            for n in (3, 2, 1):
                if text[i : i + n] in glyph_of:
                    advance += widths.get(glyph_of[text[i : i + n]], default)
                    i += n
                    break
            else:
                i += 1  # not drawn by this font (a space pypdf added between runs)
        scale = (cm[0] * tm[0] + cm[2] * tm[1]) or 1.0
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        runs.append((text, x, x + advance / 1000 * size * abs(scale), y))

    page.extract_text(visitor_text=visit)
    return runs


def _overflows(reader: PdfReader) -> list[str]:
    """Every text run that crosses its table column's right edge, or the page's."""
    problems = []
    for number, page in enumerate(reader.pages, 1):
        page_width = float(page.mediabox.width)
        runs = sorted(_runs(reader, page), key=lambda r: -r[3])  # top of the page first
        columns: list[float] = []  # left x of each column's text in the current table
        for text, left, right, y in runs:
            if right > page_width:
                problems.append(f"page {number}: {text[:30]!r} ends at {right:.1f}, off the page ({page_width:.1f})")
            if text == "Action":  # a table's header row (first column), repeated on every page
                columns = sorted(x for t, x, _, yy in runs if abs(yy - y) < 1)
                continue
            if columns and left < columns[0] - 1:
                columns = []  # text at the margin: the table has ended
            if not columns:
                continue
            column = max(i for i, x in enumerate(columns) if x <= left + 1)
            if column + 1 < len(columns) and right > columns[column + 1] - 4:  # the next cell's border
                problems.append(f"page {number}: {text[:30]!r} crosses into column {column + 2}")
    return problems


def test_long_tokens_stay_inside_their_pdf_table_cells(engine, plan):
    reader = PdfReader(io.BytesIO(_paper(engine, plan, "pdf")))
    problems = _overflows(reader)
    assert not problems, problems[:10]
    text = re.sub(r"[\s\u200b]+", "", "".join(page.extract_text() for page in reader.pages))
    for token in LONG:  # every piece still there (a row that runs over pages is split by the footer)
        assert all(piece in text for piece in breakable(token).split(ZWSP)), token


def test_the_overflow_check_sees_a_token_that_does_not_break(engine, plan, monkeypatch):
    """Without break opportunities the same plan's tokens overprint: the check above can fail."""
    from data_access.papers import typst_text

    monkeypatch.setattr(typst_text, "breakable", lambda text: text)
    reader = PdfReader(io.BytesIO(_paper(engine, plan, "pdf")))
    assert any("crosses into column" in p for p in _overflows(reader))
    assert any("off the page" in p for p in _overflows(reader))


# --- Word and PowerPoint: structure -------------------------------------------------------------


def _has_breaks(text: str) -> bool:
    """Every run of more than LONG_TOKEN characters without a space or break opportunity is gone."""
    return all(len(run) <= max(LONG_TOKEN, PIECE) for run in re.split(rf"[\s{ZWSP}]+", text))


def test_breakable_gives_every_long_token_break_opportunities():
    for token in LONG:
        broken = breakable(token)
        assert broken.replace(ZWSP, "") == token and _has_breaks(broken)
        assert all(len(piece) <= PIECE for piece in broken.split(ZWSP))
    assert breakable(EMAIL).split(ZWSP)[:2] == ["firstname.", "lastname@"]  # after punctuation
    assert breakable("Ordinary words stay as they are.") == "Ordinary words stay as they are."
    assert ZWSP not in breakable("e\u0301" * 30).replace("e\u0301" + ZWSP, "")  # never before a mark


def test_word_tables_have_fixed_widths_and_breakable_tokens(engine, plan):
    document = Document(io.BytesIO(_paper(engine, plan, "docx")))
    assert document.tables
    page = document.sections[0]
    body = page.page_width - page.left_margin - page.right_margin
    for table in document.tables:
        layout = table._tbl.tblPr.find(qn("w:tblLayout"))
        assert layout is not None and layout.get(qn("w:type")) == "fixed"
        for row in table.rows:
            widths = [cell.width for cell in row.cells]
            assert all(widths) and sum(widths) <= body + len(widths)  # EMU rounding
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    for token in (EMAIL, REFERENCE):
        assert any(token in text.replace(ZWSP, "") for text in cells), token
    assert all(_has_breaks(text) for text in cells)


def test_slide_tables_wrap_with_fixed_widths_and_breakable_tokens(engine, plan):
    deck = Presentation(io.BytesIO(_paper(engine, plan, "pptx")))
    tables = [shape.table for slide in deck.slides for shape in slide.shapes if shape.has_table]
    assert tables
    texts = []
    for table in tables:
        assert all(column.width > 0 for column in table.columns)
        for row in table.rows:
            for cell in row.cells:
                body_pr = cell._tc.txBody.find(qn("a:bodyPr"))
                assert body_pr.get("wrap") == "square"
                texts.append(cell.text)
    assert any(EMAIL in text.replace(ZWSP, "") for text in texts)
    assert all(_has_breaks(text) for text in texts)
    boxes = [s.text_frame for slide in deck.slides for s in slide.shapes if s.has_text_frame and not s.is_placeholder]
    assert boxes and all(frame.word_wrap for frame in boxes)
