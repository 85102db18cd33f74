"""Every paper writer refuses nothing it is given: whatever text a plan's name, recommendation,
action, lead and notes hold (controls, Excel's _x000B_, noncharacters, bidi overrides, any code
point), every format is made, reads back, and shows the text cleaned by the one rule
(data_access/domain/clean_text), with a bidi field isolated so it never reorders its neighbours.

The plans are written by the real writer (plan_writer), not the importer, so the text reaches the
papers as an older version (or another path) may have stored it."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from pathlib import Path

import docx
import openpyxl
import pptx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from data_access.domain.clean_text import FSI, PDI, clean_text, isolate
from data_access.domain.rules import AMBER, RED, parse_timescale
from data_access.domain.tracker_rows import PlanInfo, ReviewSnapshot, TrackerRow
from data_access.papers import PaperRequest, formats, make_paper
from data_access.papers.formats import KEYS as FORMATS
from data_access.storage import plan_writer
from data_access.storage.database import make_engine, write_transaction
from tests.data_access.papers.html_reading import html_text

Q1, Q2 = dt.date(2024, 6, 30), dt.date(2024, 9, 30)
MEETING = dt.date(2024, 10, 14)
# What the issue found stopping the papers, and what the rule turns into line breaks.
TROUBLE = [
    "\x00", "\x01", "\x07", "\x0b", "\x0c", "\r", "\x1b", "\x1c", "\x1f", "\x7f", "\x85", "\x9b", "\ufffe", "\uffff",
    "\U0010ffff", "\ufdd0", "\u2028", "\u2029", "_x000B_", "_x000D_", "\u202e", "\u202b", "\u202c", "\u2066",
    "\u2068", "\u2069", "\u200f", "\u05d0", "\u0627", "\t", "\n", "=", "#", "<", "&",
]  # fmt: skip
# Any code point but a lone surrogate (a Python string from a database never holds one), with the
# troublesome ones much more often than chance would give them.
TEXT = st.lists(st.one_of(st.characters(exclude_categories=("Cs",)), st.sampled_from(TROUBLE)), max_size=30).map(
    "".join
)


def write_plan(url: str, name: str, rec_text: str, action: str, lead: str, notes: str) -> int:
    """A plan of two reviews: action 1.1 is overdue at the meeting (so the Word report lists it)
    and moved from amber to red (so the movements and direction of travel have something)."""
    engine = make_engine(url)

    def rows(status, progress):
        return [
            TrackerRow("1", "R" + rec_text, "A" + action, action_id="1.1", lead=lead, status=status,
                       status_raw=status, timescale=parse_timescale("31/01/2024"), progress=progress),
            TrackerRow("1", "R" + rec_text, "Second " + action, action_id="1.2", lead=lead, status=AMBER,
                       status_raw=AMBER, timescale=parse_timescale("31/03/2025"), measure=notes, evidence=notes),
        ]  # fmt: skip

    try:
        with write_transaction(engine) as conn:
            plan_id = plan_writer.ensure_plan(conn, PlanInfo(name="P" + name, organisation=name))
            plan_writer.save_review(
                conn, plan_id, ReviewSnapshot(Q1, rows(AMBER, notes), label="Q1 " + name), source="q1"
            )
            plan_writer.save_review(conn, plan_id, ReviewSnapshot(Q2, rows(RED, notes), label="Q2"), source="q2")
    finally:
        engine.dispose()
    return plan_id


def paper_text(fmt: str, data: bytes) -> str:
    """Every text a format holds, read back by its own library (which refuses a broken file)."""
    fmt = formats.REGISTRY[fmt].extension  # the exception report's PDF is read as a PDF, and so on
    if fmt == "html":
        return html_text(data)
    if fmt == "pdf":
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    if fmt == "pptx":
        deck = pptx.Presentation(io.BytesIO(data))
        texts = []
        for slide in deck.slides:
            for shape in slide.shapes:
                if shape.has_text_frame:
                    texts.append(shape.text_frame.text)
                if shape.has_table:
                    texts += [cell.text for row in shape.table.rows for cell in row.cells]
        return "\n".join(texts)
    if fmt == "docx":
        document = docx.Document(io.BytesIO(data))
        cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)
    book = openpyxl.load_workbook(io.BytesIO(data))
    return "\n".join(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None)


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    from data_access.storage.database import upgrade

    path = tmp_path_factory.mktemp("any-text") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


def fresh_url(template: Path) -> str:
    path = template.parent / f"{uuid.uuid4().hex}.db"
    path.write_bytes(template.read_bytes())
    return f"sqlite:///{path}"


@pytest.mark.filterwarnings("ignore:Glyph .* missing from font")  # any code point: most have no glyph
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=TEXT, rec_text=TEXT, action=TEXT, lead=TEXT, notes=TEXT, with_pdf=st.booleans())
def test_any_text_makes_every_format(template, name, rec_text, action, lead, notes, with_pdf):
    url = fresh_url(template)
    plan_id = write_plan(url, name, rec_text, action, lead, notes)
    engine = make_engine(url)
    try:
        for fmt in FORMATS:
            if fmt == "pdf" and not with_pdf:
                continue  # Typst takes about a second a pack: half the examples make it
            data = make_paper(engine, PaperRequest(fmt, plan_id, as_of=MEETING)).data
            text = paper_text(fmt, data)
            assert "\ufffe" not in text and "\x7f" not in text and "\x01" not in text, fmt
        portfolio = make_paper(engine, PaperRequest("xlsx", None, as_of=MEETING)).data
        assert paper_text("xlsx", portfolio)
    finally:
        engine.dispose()


STORED = "Plan\x0bwith\x01soft_x000B_breaks\x7f\x1b[31m\ufffe\u2028end"


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_format_shows_the_stored_text_cleaned(template, fmt):
    """The issue's characters in every field: the paper is made (before the rule, the Excel
    export and tracker raised IllegalCharacterError, Word ValueError, the PDF TypstError) and holds
    the text as the rule cleans it, never dropped."""
    url = fresh_url(template)
    plan_id = write_plan(url, STORED, STORED, STORED, STORED, STORED)
    engine = make_engine(url)
    try:
        data = make_paper(engine, PaperRequest(fmt, plan_id, as_of=MEETING)).data
    finally:
        engine.dispose()
    text = paper_text(fmt, data)
    assert "\x01" not in text and "\ufffe" not in text  # (python-pptx reads a line break as "\x0b")
    words = "A" + clean_text(STORED)
    assert words == "APlan\nwith soft\nbreaks  [31m \nend"
    if fmt in ("xlsx", "tracker"):
        assert words in text.split("\n\n") or words in text  # a cell holds it exactly, line breaks too
    else:
        # Layout may break lines anywhere; the words are all there, in order, with spaces for controls.
        flat = " ".join(text.split())
        assert "APlan with soft breaks [31m end" in flat, flat[:400]


BIDI = "Evil\u202eroF"  # a right-to-left override that a reader would see reverse what follows


def test_the_excel_export_and_word_report_isolate_a_bidi_field(template):
    url = fresh_url(template)
    plan_id = write_plan(url, "Bidi", "Rec", BIDI, "Lead \u2067open", "notes")
    engine = make_engine(url)
    try:
        xlsx = make_paper(engine, PaperRequest("xlsx", plan_id, as_of=MEETING)).data
        word = make_paper(engine, PaperRequest("docx", plan_id, as_of=MEETING)).data
        tracker = make_paper(engine, PaperRequest("tracker", plan_id, as_of=MEETING)).data
        slides = make_paper(engine, PaperRequest("pptx", plan_id, as_of=MEETING)).data
    finally:
        engine.dispose()
    cells = paper_text("xlsx", xlsx).split("\n")
    assert FSI + "A" + BIDI + "\u202c" + PDI in cells  # the override closed, the field isolated
    assert FSI + "Lead \u2067open" + PDI + PDI in cells  # the open isolate closed before the wrapper's PDI
    word_text = paper_text("docx", word)
    assert FSI + "A" + BIDI + "\u202c" + PDI in word_text
    assert FSI + "A" + BIDI + "\u202c" + PDI in paper_text("pptx", slides)
    # The tracker is read back by the importer: each cell is its own paragraph, kept exactly as stored.
    assert "A" + BIDI in paper_text("tracker", tracker).split("\n")
    assert isolate("A" + BIDI) == FSI + "A" + BIDI + "\u202c" + PDI
