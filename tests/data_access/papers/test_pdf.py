"""The board pack PDF, read back with pypdf: the plan's figures are in its text, and it is a tagged
PDF/UA-1 file (structure tree, MarkInfo, title, language en-GB, headings, table headers, chart alt
text), A4 landscape, with 'Position as at' and 'Page x of y' in the footer, and vector charts."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from data_access.papers import PaperError, PaperRequest, make_paper
from tests.data_access.reads.test_board import FORMULA, SCRIPT


def _pack(engine, board, **choices) -> PdfReader:
    request = PaperRequest("pdf", board["plan"], as_of=board["as_of"], **choices)
    return PdfReader(io.BytesIO(make_paper(engine, request).data))


def _text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def _structure_types(reader: PdfReader) -> list[str]:
    """Every structure element's type (/S), walking the tagged structure tree."""
    found, stack = [], [reader.trailer["/Root"]["/StructTreeRoot"]]
    while stack:
        node = stack.pop()
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, list):
            stack.extend(node)
            continue
        if not hasattr(node, "get"):
            continue
        if "/S" in node:
            found.append(str(node["/S"]))
        kids = node.get("/K")
        if kids is not None:
            stack.extend(kids if isinstance(kids, list) else [kids])
    return found


def test_the_pack_holds_the_plans_figures(engine, board):
    text = _text(_pack(engine, board))
    assert "Board pack: Testshire ILACS 2024" in text
    assert "Overdue actions by recommendation (2)" in text  # 1.1 and 10.1, hand-checked
    for ref in ("1", "2", "10"):
        assert f"Recommendation {ref}" in text
    assert "33% (2 of 6)" in text and "+13 pts" in text  # complete: 2 of 6 now, 1 of 5 at Q1
    assert "✖ R Off track" in text and "● G On track" in text  # symbol, letter and word
    squeezed = re.sub(r"\s+", "", text)  # table cells wrap long text onto several lines
    # overdue list: lead, due date with the tracker's own wording, days overdue, latest update
    assert "31Aug2024(tracker:“Aug2024”)" in squeezed and "Provider withdrew" in text
    assert re.search(r"\b75\b", text) and re.search(r"\b44\b", text)
    assert "Challenge: reported ● G On track but overdue (1)" in text
    assert "Since Q1 2024/25 (30 June 2024)" in text  # the summary paragraph
    # tracker text exactly as written: never markup, never a formula
    assert re.sub(r"\s+", "", SCRIPT) in squeezed and re.sub(r"\s+", "", FORMULA) in squeezed


def test_the_pack_is_a_tagged_accessible_pdf(engine, board):
    reader = _pack(engine, board)
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "en-GB"
    assert reader.metadata.title.startswith("Board pack: Testshire ILACS 2024, Q2 2024/25")
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert b"pdfuaid:part" in root["/Metadata"].get_object().get_data()  # declares PDF/UA-1
    types = _structure_types(reader)
    assert {"/H1", "/H2", "/H3", "/Table", "/TH", "/TD", "/Figure"} <= set(types)
    figures = [s for s in types if s == "/Figure"]
    assert figures  # the RAG chart, with alt text:
    assert b"Bar chart of Testshire ILACS 2024" in b"".join(
        str(o.get_object().get("/Alt", "")).encode() for o in _figure_nodes(reader)
    )


def _figure_nodes(reader):
    stack, out = [reader.trailer["/Root"]["/StructTreeRoot"]], []
    while stack:
        node = stack.pop()
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, list):
            stack.extend(node)
        elif hasattr(node, "get"):
            if node.get("/S") == "/Figure":
                out.append(node)
            kids = node.get("/K")
            if kids is not None:
                stack.extend(kids if isinstance(kids, list) else [kids])
    return out


def test_a4_landscape_with_the_position_and_page_numbers_in_the_footer(engine, board):
    reader = _pack(engine, board)
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert (round(width), round(height)) == (842, 595)  # A4 landscape, in points
    pages = len(reader.pages)
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert f"Page {number} of {pages}" in text
        assert "Position as at 30 September 2024" in text


def test_charts_are_vector_not_pictures(engine, board):
    reader = _pack(engine, board)
    for page in reader.pages:
        for obj in (page.get("/Resources", {}).get("/XObject") or {}).values():
            assert obj.get_object().get("/Subtype") != "/Image"


def test_compared_with_an_earlier_review_only(engine, board):
    with pytest.raises(PaperError, match="must be earlier"):
        _pack(engine, board, review_id=board["q1"], compare_id=board["q2"])
    first = _text(_pack(engine, board, review_id=board["q1"]))
    assert "This is the plan's first review, so there is nothing to compare with yet." in first


def test_only_the_bundled_dejavu_fonts_are_embedded(engine, board):
    """The same pages on every machine: system fonts are never used."""
    reader = _pack(engine, board)
    names = set()
    for page in reader.pages:
        for font in (page.get("/Resources", {}).get("/Font") or {}).values():
            names.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    assert names and all(name.startswith("DejaVuSans") for name in names), names
