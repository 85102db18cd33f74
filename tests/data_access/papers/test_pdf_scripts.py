"""Every script a tracker may hold is drawn in the board pack PDF, and right-to-left text keeps its
order without reordering the fields around it.

A plan whose texts hold Chinese, Japanese, Korean, Arabic, Hebrew and emoji makes a PDF whose
text reads back with those characters, and each of them is drawn by a real glyph of an embedded
font (never .notdef, the box): checked with fontTools on the font programs in the file, through
each font's ToUnicode map. A right-to-left override (U+202E) in the plan's name and in an action
reverses only its own field.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from fontTools.pens.recordingPen import RecordingPen
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from data_access.domain.rules import AMBER, RED, parse_timescale
from data_access.domain.tracker_rows import PlanInfo, ReviewSnapshot, TrackerRow
from data_access.papers import PaperRequest, make_paper
from data_access.papers.line_breaks import ZWSP
from data_access.storage import plan_writer
from data_access.storage.database import write_transaction

CJK = "北部儿童服务 日本語のテキスト 한국어 텍스트"
ARABIC = "تحسين الإشراف"
HEBREW = "מנהל השירות"
EMOJI = "😀🎉🚸"
RLO = "\u202e"
OVERRIDDEN = "stressed"  # shown reversed inside its own field: "desserts"
AS_AT, MEETING = dt.date(2024, 9, 30), dt.date(2024, 10, 14)
BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069" + ZWSP + "]")


def _row(action_id: str, description: str, lead: str, status: str, progress: str) -> TrackerRow:
    return TrackerRow(
        "1",
        f"Recommendation in {CJK}",
        description,
        action_id=action_id,
        lead=lead,
        status=status,
        status_raw=status,
        timescale=parse_timescale("31/07/2024"),  # overdue at the meeting: the rows reach the overdue table too
        progress=progress,
    )


@pytest.fixture(scope="module")
def pack(module_engine) -> bytes:
    """The pack, made once for this module's tests, which only read it."""
    engine = module_engine
    rows = [
        _row("1.1", f"Arabic: {ARABIC}", HEBREW, RED, f"Emoji {EMOJI} and {CJK}"),
        _row("1.2", f"{RLO}{OVERRIDDEN}", "Head of MASH", AMBER, "Plain neighbour text"),
    ]
    with write_transaction(engine) as conn:
        plan_id = plan_writer.ensure_plan(conn, PlanInfo(name=f"Board {RLO}{OVERRIDDEN}"))
        plan_writer.save_review(conn, plan_id, ReviewSnapshot(AS_AT, rows, label="Q2 2024/25"), source="s.xlsx")
    return make_paper(engine, PaperRequest("pdf", plan_id, as_of=MEETING)).data


@pytest.fixture
def pdf(pack) -> PdfReader:
    return PdfReader(io.BytesIO(pack))


def _text(reader: PdfReader) -> str:
    """The text as read back, without the invisible isolates and break opportunities."""
    return BIDI_CONTROLS.sub("", "\n".join(page.extract_text() for page in reader.pages))


def _to_unicode(stream: bytes) -> dict[int, str]:
    """A ToUnicode CMap's bfchar and bfrange entries: glyph id -> the text it stands for."""
    out: dict[int, str] = {}

    def text(hexes: bytes) -> str:
        return bytes.fromhex(hexes.decode()).decode("utf-16-be")

    for block in re.findall(rb"beginbfchar(.*?)endbfchar", stream, re.S):
        for cid, dest in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            out[int(cid, 16)] = text(dest)
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", stream, re.S):
        for lo, hi, dest in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            start = text(dest)
            for i, cid in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                out[cid] = start[:-1] + chr(ord(start[-1]) + i)
    return out


def _drawn_characters(reader: PdfReader) -> dict[str, set[str]]:
    """Each embedded font's name -> the characters it draws with a real glyph: a glyph id other
    than 0 (.notdef) that has an outline in the embedded font program."""
    fonts: dict[str, set[str]] = {}
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            descendant = font["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"].get_object()
            program = next(descriptor[k] for k in ("/FontFile2", "/FontFile3", "/FontFile") if k in descriptor)
            tt = TTFont(io.BytesIO(program.get_object().get_data()))
            order = tt.getGlyphOrder()
            glyphs = tt.getGlyphSet()
            drawn = fonts.setdefault(str(font["/BaseFont"]).split("+")[-1], set())
            for gid, chars in _to_unicode(font["/ToUnicode"].get_object().get_data()).items():
                if 0 < gid < len(order) and _has_outline(glyphs, order[gid]):
                    drawn.update(chars)
    return fonts


def _has_outline(glyphs, name: str) -> bool:
    pen = RecordingPen()
    glyphs[name].draw(pen)
    return bool(pen.value)


def test_cjk_arabic_hebrew_and_emoji_read_back_from_the_pdf(pdf):
    text = _text(pdf)
    # pypdf reads each right-to-left word as typed but lists a line's words left to right, so the
    # words are looked for one by one (their order is checked by position below)
    for sample in (*CJK.split(), *ARABIC.split(), *HEBREW.split(), EMOJI):
        assert sample in text, (sample, text)


def test_every_character_is_drawn_by_a_real_glyph_of_an_embedded_font(pdf):
    fonts = _drawn_characters(pdf)
    drawn = set().union(*fonts.values())
    wanted = set((CJK + ARABIC + HEBREW + EMOJI).replace(" ", ""))
    assert wanted <= drawn, sorted(wanted - drawn)
    # the Noto fallbacks are embedded, subset: the CJK and emoji glyphs come from them
    assert any("CJK" in name for name in fonts) and any("Emoji" in name for name in fonts), list(fonts)
    cjk_font = next(chars for name, chars in fonts.items() if "CJK" in name)
    assert set("北部儿童日本語한국어") <= cjk_font


def test_right_to_left_text_stays_in_its_field(pdf):
    text = _text(pdf)
    # the override reverses its own field only ...
    assert OVERRIDDEN[::-1] in text and f"Board {OVERRIDDEN[::-1]}" in text
    # ... never the words after it: the footer after the plan's name, the action's neighbours
    assert "· Position as at 30 September 2024 · Overdue as at 14 October 2024" in text
    assert "Head of MASH" in text and "Plain neighbour text" in text
    assert "Board pack: Board" in text


def test_arabic_and_hebrew_run_right_to_left_inside_their_cells(pdf):
    """By position on the page: each word reads back as typed, the first word typed is drawn
    rightmost, and the left-to-right label before it stays on its left."""
    runs = _runs(pdf)

    def x(word: str) -> float:
        return next(x for text, x, _ in runs if word in text)

    first, second = ARABIC.split()
    assert x("Arabic:") < x(second) < x(first)
    first, second = HEBREW.split()
    assert x(second) < x(first)


def _runs(reader: PdfReader) -> list[tuple[str, float, float]]:
    """(text, x, y) of each text run on the pages, as pypdf reads them."""
    runs: list[tuple[str, float, float]] = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            runs.append((text, tm[4] * cm[0] + tm[5] * cm[2] + cm[4], tm[4] * cm[1] + tm[5] * cm[3] + cm[5]))

    for page in reader.pages:
        page.extract_text(visitor_text=visit)
    return runs


def test_a_pack_with_every_script_stays_small(pack):
    """Only the glyphs used are embedded (subset fonts): the 32 MB CJK font adds kilobytes."""
    assert len(pack) < 250_000, len(pack)
