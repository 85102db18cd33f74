"""The board pack PDF, read back with pypdf: the plan's figures are in its text, and it is a tagged
PDF/UA-1 file (structure tree, MarkInfo, title, language en-GB, headings, table headers, chart alt
text), A4 landscape, with 'Position as at' and 'Page x of y' in the footer, and every chart present as
a tagged vector figure."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from data_access.domain.rules import AMBER, COMPLETE, GREEN, RED, STATUS_STYLE, STATUSES, overdue_lag_days
from data_access.domain.wording import percent_text, short_date
from data_access.papers import PaperError, PaperRequest, make_paper, pdf_pack
from data_access.reads import board as board_module
from data_access.reads import completion_forecast, review_lookup, status_mix
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
    assert "33% (2 of 6)" in text and "+13 percentage points" in text  # complete: 2 of 6 now, 1 of 5 at Q1
    assert "✖ R Off track" in text and "● G On track" in text  # symbol, letter and word
    squeezed = re.sub(r"[\s\u200b]+", "", text)  # cells wrap long text (at spaces or zero-width breaks)
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


def _marked_content(page, mcid: int) -> bytes:
    """The page's drawing operators inside marked content `mcid` (from its BDC to the matching EMC)."""
    data = page.get_contents().get_data()
    start = re.search(rb"/MCID %d(?![0-9])" % mcid, data)
    assert start, f"marked content {mcid} is not on its page"
    opened = data.index(b"BDC", start.end()) + 3
    depth = 1
    for token in re.finditer(rb"(?<![A-Za-z])(BDC|BMC|EMC)(?![A-Za-z])", data[opened:]):
        depth += -1 if token[1] == b"EMC" else 1
        if depth == 0:
            return data[opened : opened + token.start()]
    raise AssertionError(f"marked content {mcid} is never closed")


def _figure_drawing(reader, node) -> tuple[object, bytes]:
    """Everything drawn for one /Figure structure element: its page, and its marked content there."""
    page = next(p for p in reader.pages if p.indirect_reference.idnum == node.raw_get("/Pg").idnum)
    kids = node["/K"]
    kids = kids if isinstance(kids, list) else [kids]
    mcids = [int(k.get_object()["/MCID"]) if hasattr(k.get_object(), "get") else int(k) for k in kids]
    return page, b"".join(_marked_content(page, mcid) for mcid in mcids)


def _fill_colours(page, drawing: bytes) -> set[tuple[int, int, int]]:
    """The RGB fill colours set in a drawing (0-255), with those of the tiling patterns it fills
    with (a hatched bar: Typst draws the SVG's pattern as a /Pattern holding the colour and the hatch)."""
    patterns = page["/Resources"].get("/Pattern") or {}
    used = [patterns[f"/{name.decode()}"].get_object() for name in re.findall(rb"/(\w+) scn", drawing)]
    streams = [drawing] + [pattern.get_data() for pattern in used if hasattr(pattern, "get_data")]
    found = [
        rgb for data in streams for rgb in re.findall(rb"([\d.]+) ([\d.]+) ([\d.]+) (?:scn|sc|rg)(?![A-Za-z])", data)
    ]
    return {tuple(round(float(v) * 255) for v in rgb) for rgb in found}


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))


def _images(resources) -> list:
    """Every image XObject reachable from a resource dictionary (inside form XObjects too)."""
    out = []
    resources = resources or {}
    for obj in (resources.get("/XObject") or {}).values():
        obj = obj.get_object()
        if obj.get("/Subtype") == "/Image":
            out.append(obj)
        elif obj.get("/Subtype") == "/Form":
            out.extend(_images(obj.get("/Resources")))
    for pattern in (resources.get("/Pattern") or {}).values():
        out.extend(_images(pattern.get_object().get("/Resources")))
    return out


def test_every_chart_is_in_the_pack_as_a_tagged_vector_figure(engine, board, monkeypatch):
    """Each chart the pack draws is a /Figure in the PDF's structure with the chart's alt text, and
    its marked content on the page holds the chart itself as vector paths filled in the status
    colours; no picture is embedded anywhere.

    Why this can fail (an earlier version looped over the pages' XObjects, of which Typst writes
    none, so it passed with no charts at all): drop a chart from the pack and its alt text is
    missing from the figures (and the RAG chart is named below, so dropping every chart fails too);
    embed a chart as a PNG and its figure holds an image, not filled paths, and _images finds it;
    draw an empty chart and its figure has no status colours."""
    drawn = []
    chart = pdf_pack.Source.chart
    monkeypatch.setattr(pdf_pack.Source, "chart", lambda source, c: (drawn.append(c), chart(source, c))[1])
    reader = _pack(engine, board)
    figures = [(str(node.get("/Alt", "")), *_figure_drawing(reader, node)) for node in _figure_nodes(reader)]
    assert drawn and sorted(alt for alt, _, _ in figures) == sorted(c.alt for c in drawn)
    rag = [(page, d) for alt, page, d in figures if alt.startswith("Bar chart of Testshire ILACS 2024's actions by")]
    assert len(rag) == 1  # the RAG chart by recommendation: 2 complete, 2 on track, 1 at risk, 1 off track
    assert {_rgb(STATUS_STYLE[s].colour) for s in (COMPLETE, GREEN, AMBER, RED)} <= _fill_colours(*rag[0])
    # status over time (each review's mix) and the completion forecast, each a figure of its own
    assert [c.name for c in drawn] == ["rag-by-recommendation", "status-mix-per-review", "completion-forecast"]
    mix = [(page, d) for alt, page, d in figures if alt.startswith("Column chart of Testshire ILACS 2024's actions")]
    assert len(mix) == 1 and {_rgb(STATUS_STYLE[s].colour) for s in (COMPLETE, RED)} <= _fill_colours(*mix[0])
    outlook = [
        (page, d) for alt, page, d in figures if alt.startswith("Bar chart of Testshire ILACS 2024's actions comp")
    ]
    assert len(outlook) == 1 and _rgb(STATUS_STYLE[COMPLETE].colour) in _fill_colours(*outlook[0])
    status_colours = {_rgb(style.colour) for style in STATUS_STYLE.values()}
    for alt, page, drawing in figures:
        assert len(re.findall(rb"(?<![A-Za-z])f\*?(?![A-Za-z])", drawing)) >= 4, alt  # filled shapes
        assert _fill_colours(page, drawing) & status_colours, alt
        assert b" Do" not in drawing and b"BI " not in drawing, alt  # no XObject or inline picture
    assert not [img for page in reader.pages for img in _images(page.get("/Resources"))]


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


def test_status_over_time_and_the_forecast_are_the_apps_figures(engine, board):
    """The pack's status mix at each review is the Trends page's (reads.status_mix, each review's
    overdue counted as long after its date as the headline's: rules, 'Overdue: one question, one
    date'), and its forecast is reads.completion_forecast's, row by row. Leave either section out,
    or count overdue at each review's own date, and this fails."""
    text = _text(_pack(engine, board))
    squeezed = re.sub(r"[\s\u200b\u2068\u2069]+", " ", text)
    assert "Status over time" in text and "Completion forecast" in text
    review = review_lookup.current_reviews(engine, board["plan"])[-1]
    lag = overdue_lag_days(board["as_of"], review.as_at)
    mix = status_mix.status_mix(engine, board["plan"], lag)
    assert len(mix) == 2
    for r in mix.itertuples(index=False):
        counts = " ".join(str(getattr(r, s)) for s in STATUSES)
        row = f"{r.label} ({short_date(r.as_at)}) {counts} {r.actions} {percent_text(r.pct_complete)} {r.overdue} "
        assert row + short_date(r.overdue_as_of) in squeezed, row
    headline = board_module.kpi_change(engine, review.id, board["as_of"], None).current
    assert int(mix["overdue"].iloc[-1]) == headline.overdue  # this review's row is the headline figure
    outlook = completion_forecast.forecast(engine, board["plan"])
    for line in (outlook.plan, *outlook.recommendations):
        name = "Whole plan" if line.rec_id is None else f"Recommendation {line.scope}"
        assert f"{name} {line.complete} of {line.total} ({percent_text(line.pct_complete)})" in squeezed, name
        assert (line.projected_quarter or "—") in squeezed
