"""The slide deck, read back with python-pptx: native charts (chart parts with their data, not
pictures), RAG cells with symbol, letter and word on the status colour. The cabinet report's own
tests are in test_word_report.py."""

from __future__ import annotations

import io

from pptx import Presentation
from pptx.util import Inches

from data_access.domain.rules import STATUS_STYLE, status_text
from data_access.papers import PaperRequest, make_paper


def _deck(engine, board) -> Presentation:
    data = make_paper(engine, PaperRequest("pptx", board["plan"], as_of=board["as_of"])).data
    return Presentation(io.BytesIO(data))


def test_the_deck_is_16_9_in_the_presentation_order(engine, board):
    deck = _deck(engine, board)
    assert (deck.slide_width, deck.slide_height) == (Inches(13.333), Inches(7.5))
    titles = [s.shapes.title.text for s in deck.slides]
    assert titles == [
        "Testshire ILACS 2024",
        "Overview",
        "Since the last review",
        "Recommendation 1",
        "Recommendation 2",
        "Recommendation 10",
        "Overdue actions",
        "Challenge: green but overdue",
        "For sign-off",  # 1.2 and 2.1 complete, not signed off; no date change to approve: no slide for it
        "Status mix at each review",
        "Direction of travel",
    ]


def test_the_deck_charts_are_editable_chart_parts_not_pictures(engine, board):
    deck = _deck(engine, board)
    charts = [shape for slide in deck.slides for shape in slide.shapes if shape.has_chart]
    assert len(charts) == 2  # RAG by recommendation, status mix per review
    pictures = [shape for slide in deck.slides for shape in slide.shapes if shape.shape_type == 13]
    assert pictures == []
    rag = charts[0].chart
    assert rag.part.partname.startswith("/ppt/charts/chart")
    assert rag.part.chart_workbook.xlsx_part is not None  # "Edit data" opens the embedded workbook
    assert list(rag.plots[0].categories) == ["Rec 1", "Rec 2", "Rec 10"]
    series = {s.name: list(s.values) for s in rag.plots[0].series}
    assert series["✔ B Complete"] == [1.0, 1.0, 0.0] and series["✖ R Off track"] == [0.0, 0.0, 1.0]
    red = next(s for s in rag.plots[0].series if s.name == "✖ R Off track")
    assert str(red.format.fill.fore_color.rgb) == STATUS_STYLE["red"].colour.lstrip("#").upper()
    assert red.data_labels.number_format == '"✖R "0;;;'  # each segment reads "✖R 1", from the data
    assert charts[0]._element.nvGraphicFramePr.cNvPr.get("descr")  # alt text


def test_rag_cells_carry_symbol_letter_and_word_on_the_status_colour(engine, board):
    deck = _deck(engine, board)
    overdue = next(s for s in deck.slides if s.shapes.title.text.startswith("Overdue actions"))
    table = next(shape.table for shape in overdue.shapes if shape.has_table)
    header = [c.text for c in table.rows[0].cells]
    status = header.index("Status")
    cells = [row.cells[status] for row in list(table.rows)[1:]]
    assert [c.text for c in cells] == [status_text("green"), status_text("red")]  # 1.1 and 10.1
    assert str(cells[1].fill.fore_color.rgb) == STATUS_STYLE["red"].colour.lstrip("#").upper()
