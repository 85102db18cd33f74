"""Word action plans (issue 28 item 5): a .docx with the plan as one table, or one table per
recommendation, is read like a workbook. The documents are built here with python-docx."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from data_access.importer import ImportRefused, Limits, read_tracker
from data_access.importer.reading.safety import sniff
from data_access.importer.reading.word_tables import word_grids


def _shade(cell, colour: str) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shd)


def _save(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def one_table_plan(*, title: str = "Children's services improvement plan") -> bytes:
    d = docx.Document()
    d.core_properties.title = title
    d.add_heading("Improvement plan following the ILACS inspection", level=1)
    d.add_paragraph("Position as at 30 September 2018")
    t = d.add_table(rows=1, cols=6)
    for cell, text in zip(
        t.rows[0].cells, ["Rec No.", "Recommendation", "Action", "Lead", "Timescale", "RAG"], strict=True
    ):
        cell.text = text
    rows = [
        ["1", "Improve supervision", "Monthly audit of supervision", "Head of service", "31/03/2018", "Green"],
        ["", "", "Train all team managers", "Principal social worker", "30/06/2018", ""],  # shaded amber
        ["", "", "Refresh the supervision policy", "Head of service", "31/12/2018", ""],  # shaded blue
        ["2", "Strengthen the front door", "Co-locate police in the MASH", "MASH manager", "30/04/2018", "Red"],
        ["", "", "Publish threshold guidance", "MASH manager", "31/05/2018", ""],  # shaded purple: no status
    ]
    for values in rows:
        cells = t.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            if text:
                cell.text = text
    # Recommendation number and text merged down their actions (w:vMerge), as Word writes them.
    for col in (0, 1):
        t.cell(1, col).merge(t.cell(3, col))
        t.cell(4, col).merge(t.cell(5, col))
    _shade(t.cell(2, 5), "FFC000")
    _shade(t.cell(3, 5), "0070C0")
    _shade(t.cell(5, 5), "7030A0")
    return _save(d)


def test_a_word_plan_with_one_table_imports_like_a_workbook():
    data = one_table_plan()
    assert sniff(data, "plan.docx", Limits()) == "docx"
    parsed = read_tracker(data, "plan.docx")
    assert parsed.kind == "docx"
    assert parsed.title == "Children's services improvement plan"
    [review] = parsed.reviews
    assert review.as_at == dt.date(2018, 9, 30)
    assert [(r.rec_ref, r.rec_text, r.description, r.status) for r in review.rows] == [
        ("1", "Improve supervision", "Monthly audit of supervision", "green"),
        ("1", "Improve supervision", "Train all team managers", "amber"),  # merged down; shaded
        ("1", "Improve supervision", "Refresh the supervision policy", "complete"),
        ("2", "Strengthen the front door", "Co-locate police in the MASH", "red"),
        ("2", "Strengthen the front door", "Publish threshold guidance", "unknown"),
    ]
    assert [r.status_from_colour for r in review.rows] == [False, True, True, False, False]
    assert [r.timescale.due for r in review.rows][:2] == [dt.date(2018, 3, 31), dt.date(2018, 6, 30)]
    # Shading that is not a RAG colour: the same sentence as an .xlsx fill, on the table's row 6.
    assert any(p.row == 8 and "coloured #7030A0, which is not a RAG colour" in p.message for p in review.problems)


def test_a_title_that_is_only_a_date_gives_way_to_the_first_heading():
    parsed = read_tracker(one_table_plan(title="Update – September 2018"), "plan.docx")
    assert parsed.title == "Improvement plan following the ILACS inspection"


def per_recommendation_plan() -> bytes:
    d = docx.Document()
    d.add_paragraph("North Tyneside post-inspection action plan", style="Title")
    d.add_paragraph("Updated: 31 March 2018")
    header = ["Action", "Lead", "Timescale", "RAG"]
    recs = [
        (
            "Recommendation 1: Ensure that children's plans are specific",
            [["Audit plans monthly", "Head of service", "31/01/2018", "Green"]],
        ),
        (
            "Recommendation 2: Improve the quality of return home interviews",
            [
                ["Commission a new provider", "Commissioning lead", "28/02/2018", "Amber"],
                ["Report take-up to the board", "Head of service", "31/05/2018", ""],  # shaded green
            ],
        ),
    ]
    for heading, actions in recs:
        d.add_heading(heading, level=2)
        d.add_paragraph("The actions below respond to this recommendation.")
        t = d.add_table(rows=1, cols=4)
        for cell, text in zip(t.rows[0].cells, header, strict=True):
            cell.text = text
        for values in actions:
            for cell, text in zip(t.add_row().cells, values, strict=True):
                if text:
                    cell.text = text
    _shade(t.cell(2, 3), "92D050")
    # A third recommendation in a row spanning its table, above the header, not in a heading.
    t = d.add_table(rows=3, cols=4)
    merged = t.cell(0, 0).merge(t.cell(0, 3))
    merged.text = "Recommendation 3: Strengthen management oversight"
    for cell, text in zip(t.rows[1].cells, header, strict=True):
        cell.text = text
    for cell, text in zip(
        t.rows[2].cells, ["Dip-sample case files", "Service manager", "30/06/2018", "Red"], strict=True
    ):
        cell.text = text
    d.add_paragraph("Glossary")
    glossary = d.add_table(rows=2, cols=2)  # no recognisable header: not part of the plan
    glossary.cell(0, 0).text, glossary.cell(0, 1).text = "Term", "Meaning"
    glossary.cell(1, 0).text, glossary.cell(1, 1).text = "MASH", "Multi-agency safeguarding hub"
    return _save(d)


def test_a_word_plan_with_a_table_per_recommendation_is_joined_with_the_recommendation_carried():
    data = per_recommendation_plan()
    [grid] = word_grids(data, "plan.docx").grids
    assert grid.name == "Tables 1–3"
    parsed = read_tracker(data, "plan.docx")
    assert parsed.title == "North Tyneside post-inspection action plan"
    [review] = parsed.reviews
    assert review.as_at == dt.date(2018, 3, 31)
    assert [(r.rec_ref, r.rec_text, r.description, r.status) for r in review.rows] == [
        ("1", "Ensure that children's plans are specific", "Audit plans monthly", "green"),
        ("2", "Improve the quality of return home interviews", "Commission a new provider", "amber"),
        ("2", "Improve the quality of return home interviews", "Report take-up to the board", "green"),
        ("3", "Strengthen management oversight", "Dip-sample case files", "red"),
    ]


def test_old_binary_word_is_refused_with_save_as_docx():
    # The start of a .doc: the OLE container's signature and the WordDocument stream's name.
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100 + "WordDocument".encode("utf-16-le") + b"\x00" * 100
    with pytest.raises(ImportRefused) as info:
        read_tracker(data, "plan.doc")
    assert str(info.value) == (
        "plan.doc is an old-format Word document (.doc), which cannot be read; open it in Word and save it as "
        ".docx (Word Document), then upload that."
    )


def test_a_word_document_without_tables_says_so():
    d = docx.Document()
    d.add_paragraph("Our improvement plan is attached.")
    with pytest.raises(ImportRefused, match=r"^plan.docx is a Word document with no tables; "):
        read_tracker(_save(d), "plan.docx")


def test_word_xml_with_entities_is_refused_before_it_is_parsed():
    data = one_table_plan()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "word/document.xml":
                body = body.replace(b"?>", b'?><!DOCTYPE d [<!ENTITY x "x">]>', 1)
            dst.writestr(info.filename, body)
    with pytest.raises(ImportRefused, match=r"contains XML entity declarations in word/document.xml"):
        read_tracker(out.getvalue(), "plan.docx")


def test_a_word_table_over_the_row_limit_is_refused():
    d = docx.Document()
    t = d.add_table(rows=30, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text = "Action", "RAG"
    with pytest.raises(ImportRefused, match=r"has a table of 30 rows, over the limit of 20 rows\.$"):
        read_tracker(_save(d), "plan.docx", limits=Limits(max_rows=20))


def test_a_word_plan_without_a_stated_date_takes_the_date_given():
    d = docx.Document()
    d.core_properties.title = "Improvement plan"
    t = d.add_table(rows=2, cols=3)
    for cell, text in zip(
        t.rows[0].cells + t.rows[1].cells, ["Action", "Lead", "RAG", "Audit", "DCS", "A"], strict=True
    ):
        cell.text = text
    parsed = read_tracker(_save(d), "plan.docx", as_at=dt.date(2019, 3, 31))
    [review] = parsed.reviews
    assert review.as_at == dt.date(2019, 3, 31)
    assert [(r.description, r.status) for r in review.rows] == [("Audit", "amber")]
