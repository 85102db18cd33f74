"""The cabinet report (data_access/papers/word_report.py), read back with python-docx: the councils'
structure in order, placeholders for report details nobody has set (never a guess), the plan's
settings where they are set, Word's heading styles and real tables, and a council's own template
(BOARD_CABINET_TEMPLATE) whose styles, header text and logo survive into the report."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml.ns import qn
from docx.shared import RGBColor

from data_access.domain.rules import STATUS_STYLE, status_text
from data_access.papers import PaperRequest, make_paper
from data_access.papers.content import PaperError
from data_access.papers.word_report import HEADINGS, IMPLICATIONS, REPORT_MARKER, TEMPLATE_ENV, TO_COMPLETE
from data_access.storage import plan_admin

HOUSE_BLUE = RGBColor(0x00, 0x33, 0x66)


def _report(engine, board) -> docx.document.Document:
    data = make_paper(engine, PaperRequest("docx", board["plan"], as_of=board["as_of"])).data
    return docx.Document(io.BytesIO(data))


def _text(document) -> str:
    return "\n".join(p.text for p in document.paragraphs)


def _section(document, title: str) -> str:
    """The text from heading `title` to the next Heading 1."""
    lines, inside = [], False
    for p in document.paragraphs:
        if p.style.name == "Heading 1":
            inside = p.text == title
        elif inside:
            lines.append(p.text)
    return "\n".join(lines)


def test_the_report_has_the_councils_structure_in_order(engine, board):
    document = _report(engine, board)
    top = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert (
        top
        == list(HEADINGS)
        == [
            "1. Purpose of the report",
            "2. Background",
            "3. Progress",
            "4. Key issues",
            "5. Implications",
            "6. Decision recommendations",
            "Appendix A: the action plan",
        ]
    )
    second = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert second[:4] == [
        "Headline figures",
        "Direction of travel by recommendation",
        "Status mix at each review",
        "Forecast",
    ]
    assert second[4:7] == [
        "Off track (red) actions (1)",
        "Overdue actions (2)",
        "Due dates moved later since Q1 2024/25 (1)",
    ]
    assert second[7:11] == [f"5.{n} {name}" for n, name in enumerate(IMPLICATIONS, start=1)]
    assert second[11:13] == [  # issue 25: in the decision recommendations
        "For decision: complete actions awaiting sign-off (2)",
        "For decision: date changes for approval (0)",
    ]
    assert second[13:] == ["Recommendation 1", "Recommendation 2", "Recommendation 10"]
    decisions = _section(document, "6. Decision recommendations")
    assert decisions.startswith("That Cabinet:\n1. notes the progress made against the action plan at the Q2 2024/25")
    assert "2 overdue as at 14 October 2024" in decisions
    assert document.paragraphs[0].style.name == "Title"
    assert document.core_properties.language == "en-GB"


def test_real_tables_with_rag_cells_and_a_chart_with_alt_text(engine, board):
    document = _report(engine, board)
    for table in document.tables:
        assert table.style.name == "Table Grid"
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # repeats on each page
    overdue = next(t for t in document.tables if "Days overdue" in [c.text for c in t.rows[0].cells])
    status = [c.text for c in overdue.rows[0].cells].index("Status")
    red = overdue.rows[2].cells[status]
    assert red.text == status_text("red")
    assert red._tc.tcPr.find(qn("w:shd")).get(qn("w:fill")) == STATUS_STYLE["red"].colour.lstrip("#").upper()
    assert document.inline_shapes[0]._inline.docPr.get("descr").startswith("Column chart of Testshire")
    appendix = [t for t in document.tables if [c.text for c in t.rows[0].cells][:2] == ["Action", "What will be done"]]
    assert sum(len(t.rows) - 1 for t in appendix) == len(board["actions"])  # every action of the plan
    assert document.sections[-1].page_width > document.sections[-1].page_height  # the appendix is landscape


def test_report_details_not_set_are_highlighted_placeholders(engine, board):
    document = _report(engine, board)
    background = _section(document, "2. Background")
    assert TO_COMPLETE.format("the overall judgement, as the inspection report words it") in background
    assert TO_COMPLETE.format("the name of the board that monitors the plan") in background
    assert TO_COMPLETE.format("the date the inspection report was published") in background
    for name in IMPLICATIONS:
        assert TO_COMPLETE.format(f"{name.lower()} implications") in _text(document)
    placeholders = [r for p in document.paragraphs for r in p.runs if r.text.startswith("[to be completed")]
    assert len(placeholders) >= 8
    assert all(r.bold and r.font.highlight_color == WD_COLOR_INDEX.YELLOW for r in placeholders)
    assert "3 recommendations (1 to 10)" in background  # counted from the plan, not a setting


def test_report_details_set_in_plan_settings_are_used(engine, board):
    fields = plan_admin.set_report_settings(
        engine,
        board["plan"],
        plan_admin.ReportSettings(
            organisation="Testshire County Council",
            inspection_type="Ofsted ILACS",
            inspection_start=dt.date(2024, 1, 8),
            inspection_end=dt.date(2024, 1, 19),
            published_on=dt.date(2024, 3, 1),
            judgement=" Requires improvement to be good ",
            board_name="Testshire Improvement Board",
        ),
        actor="ed@council.example",
    )
    assert "overall judgement" in fields and "board" in fields
    document = _report(engine, board)
    background = _section(document, "2. Background")
    assert "Testshire County Council's children's services were inspected (Ofsted ILACS) from 8 January 2024 to " in (
        background
    )
    assert "published on 1 March 2024" in background
    assert "The overall judgement was: Requires improvement to be good." in background
    assert "Progress is monitored by Testshire Improvement Board" in background
    assert "[to be completed" not in background
    assert "the Ofsted ILACS inspection of Testshire County Council" in _section(document, "1. Purpose of the report")


def test_report_details_are_checked(engine, board):
    with pytest.raises(plan_admin.ChangeRefused, match="cannot end before it starts"):
        plan_admin.set_report_settings(
            engine,
            board["plan"],
            plan_admin.ReportSettings(inspection_start=dt.date(2024, 2, 1), inspection_end=dt.date(2024, 1, 1)),
            actor=None,
        )
    with pytest.raises(plan_admin.ChangeRefused, match="at most 40 characters"):
        plan_admin.set_report_settings(
            engine, board["plan"], plan_admin.ReportSettings(inspection_type="x" * 41), actor=None
        )
    with pytest.raises(plan_admin.ChangeRefused, match="Nothing was changed"):
        plan_admin.set_report_settings(
            engine, board["plan"], plan_admin.report_settings(engine, board["plan"]), actor=None
        )


def _logo() -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure = plt.figure(figsize=(1, 0.4))
    figure.text(0.1, 0.3, "TCC")
    out = io.BytesIO()
    figure.savefig(out, format="png")
    plt.close(figure)
    return out.getvalue()


def _template(path, *, marker: bool, drop_table_grid: bool = True) -> None:
    """A council's house style: a blue Heading 1, its own 'Council Note' style, a header with the
    council's name and logo, sample body text — and, like a template saved from Word, no Table Grid."""
    from docx.enum.style import WD_STYLE_TYPE

    template = docx.Document()
    template.styles["Heading 1"].font.color.rgb = HOUSE_BLUE
    template.styles.add_style("Council Note", WD_STYLE_TYPE.PARAGRAPH).font.italic = True
    header = template.sections[0].header
    header.paragraphs[0].text = "Testshire County Council · OFFICIAL"
    header.add_paragraph().add_run().add_picture(io.BytesIO(_logo()))
    template.add_paragraph("Report to Cabinet, cover sheet", style="Council Note")
    if marker:
        template.add_paragraph(REPORT_MARKER)
        template.add_paragraph("Contact officer: A. Officer, 01234 567890")
    else:
        template.add_paragraph("Delete this sample text before use.")
    if drop_table_grid:
        grid = template.styles["Table Grid"].element
        grid.getparent().remove(grid)
    template.save(path)


def test_a_template_keeps_its_styles_header_and_logo_and_its_body_is_cleared(engine, board, tmp_path, monkeypatch):
    _template(tmp_path / "house.docx", marker=False)
    monkeypatch.setenv(TEMPLATE_ENV, str(tmp_path / "house.docx"))
    document = _report(engine, board)
    header = document.sections[0].header
    assert header.paragraphs[0].text == "Testshire County Council · OFFICIAL"
    assert header.part.rels and any(r.reltype.endswith("/image") for r in header.part.rels.values())  # the logo
    assert document.sections[-1].header.is_linked_to_previous  # the landscape appendix keeps it too
    assert document.styles["Heading 1"].font.color.rgb == HOUSE_BLUE
    assert "Council Note" in document.styles
    text = _text(document)
    assert "Delete this sample text" not in text and "cover sheet" not in text  # no {{report}}: body cleared
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 1"] == list(HEADINGS)
    assert all(t.style.name == "Table Grid" for t in document.tables)  # taken from the default template


def test_a_template_with_a_report_slot_keeps_what_is_around_it(engine, board, tmp_path, monkeypatch):
    _template(tmp_path / "house.docx", marker=True)
    monkeypatch.setenv(TEMPLATE_ENV, str(tmp_path / "house.docx"))
    text = _text(_report(engine, board))
    assert REPORT_MARKER not in text
    assert text.index("cover sheet") < text.index("1. Purpose of the report") < text.index("Contact officer")


def test_a_template_that_is_not_a_word_file_is_one_sentence(engine, board, tmp_path, monkeypatch):
    (tmp_path / "house.docx").write_text("not a document")
    monkeypatch.setenv(TEMPLATE_ENV, str(tmp_path / "house.docx"))
    with pytest.raises(PaperError, match=r"is not a Word document \(\.docx or \.dotx\)\.$"):
        _report(engine, board)
    monkeypatch.setenv(TEMPLATE_ENV, str(tmp_path / "missing.docx"))
    with pytest.raises(PaperError, match="cannot be read"):
        _report(engine, board)
