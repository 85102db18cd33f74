"""Measures of success in every board paper (PDF, PowerPoint, Word, Excel), on the hand-checked
plan of tests/fixtures.populate_board (Q1 30 June 2024, Q2 30 September 2024) with two measures:

- '=Re-referrals' (lower is better, rec 1; a name Excel would run as a formula): Q1 22% (target
  20%), Q2 21% (20%), Q3 18% (20%). At Q2: 21% against 20%, Not met; down 1 percentage point since
  30 June 2024. Q3 ends after the review, so no paper shows it.
- 'Visits in time' (higher is better, rec 2): Q1 70% (target 80%), Q2 85% (no target of its own:
  80% carried). At Q2: 85% against 80%, Met; up 15 percentage points.

So: measures at target 1 of 2."""

from __future__ import annotations

import datetime as dt
import io
import re

import docx
import openpyxl
from pptx import Presentation
from pypdf import PdfReader

from data_access.importer.committing.measure_writing import write_measures
from data_access.importer.parsed import MeasurePoint as P
from data_access.importer.parsed import ParsedMeasure
from data_access.papers import PaperRequest, make_paper
from data_access.storage.database import write_transaction

Q1, Q2, Q3 = dt.date(2024, 6, 30), dt.date(2024, 9, 30), dt.date(2024, 12, 31)
REREFERRALS = "=Re-referrals"


def _paper(engine, board, key: str) -> bytes:
    found = [
        ParsedMeasure(REREFERRALS, "%", "lower", ["1"], [P(Q1, 22.0, 20.0), P(Q2, 21.0, 20.0), P(Q3, 18.0, 20.0)]),
        ParsedMeasure("Visits in time", "%", "higher", ["2"], [P(Q1, 70.0, 80.0), P(Q2, 85.0, None)]),
    ]
    with write_transaction(engine) as conn:
        write_measures(conn, board["plan"], found, source="measures.csv", sha256=None, imported_by="test")
    return make_paper(engine, PaperRequest(key, board["plan"], as_of=board["as_of"])).data


SUMMARY_ROWS = [
    [REREFERRALS, "1", "21% (30 Sep 2024)", "20%", "Not met", "down 1 percentage point since 30 June 2024"],
    ["Visits in time", "2", "85% (30 Sep 2024)", "80%", "Met", "up 15 percentage points since 30 June 2024"],
]


def test_pdf_has_a_measures_section_with_status_in_words(engine, board):
    reader = PdfReader(io.BytesIO(_paper(engine, board, "pdf")))
    text = "\n".join(page.extract_text() for page in reader.pages)
    section = text.split("Measures of success", 1)[1]
    squeezed = re.sub(r"[\s\u200b\u2068\u2069]+", "", section).split("Recommendation1", 1)[0]  # to the recs' pages
    assert "Measuresattarget:1of2,asat30September2024." in squeezed
    for row in SUMMARY_ROWS:
        assert re.sub(r"\s+", "", "".join(row)) in squeezed, row
    # Each measure's periods against the target in force, up to the review's date only.
    assert "30Jun202422%20%Notmet30Sep202421%20%Notmet" in squeezed
    assert "30Jun202470%80%Notmet30Sep202485%80%Met" in squeezed
    assert "31Dec2024" not in squeezed and "18%" not in squeezed


def test_pptx_ends_with_the_measures_of_success_slide(engine, board):
    deck = Presentation(io.BytesIO(_paper(engine, board, "pptx")))
    slide = list(deck.slides)[-1]
    assert slide.shapes.title.text == "Measures of success"
    table = next(shape.table for shape in slide.shapes if shape.has_table)
    cells = [[c.text for c in row.cells] for row in table.rows]
    assert cells[0] == ["Measure", "Rec", "Latest", "Target", "At target", "Change"]
    assert [[re.sub("[\u200b\u2068\u2069]", "", c) for c in row] for row in cells[1:]] == SUMMARY_ROWS
    captions = " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
    assert "Testshire ILACS 2024: Measures at target: 1 of 2." in captions


def test_word_report_has_measures_under_progress(engine, board):
    document = docx.Document(io.BytesIO(_paper(engine, board, "docx")))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings.index("3. Progress") < headings.index("Measures of success") < headings.index("4. Key issues")
    assert "Measures at target: 1 of 2, as at 30 September 2024." in [p.text for p in document.paragraphs]
    table = next(t for t in document.tables if t.rows[0].cells[0].text.replace("\u200b", "") == "Measure")
    rows = [[c.text.replace("\u200b", "") for c in row.cells] for row in table.rows[1:]]
    assert rows == SUMMARY_ROWS


def test_excel_has_a_measures_sheet_of_points_with_numbers_and_inert_text(engine, board):
    workbook = openpyxl.load_workbook(io.BytesIO(_paper(engine, board, "xlsx")))
    assert workbook.sheetnames == ["Actions", "For decision", "Measures"]
    sheet = workbook["Measures"]
    assert sheet["A1"].value == "Testshire ILACS 2024: measures of success as at 30 September 2024"
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    midnight = dt.datetime.min.time()
    assert rows == [
        ["Measure", "Unit", "Better", "Recommendations", "Period ending", "Value", "Target", "At target"],
        [REREFERRALS, "%", "lower", "1", dt.datetime.combine(Q1, midnight), 22, 20, "Not met"],
        [REREFERRALS, "%", "lower", "1", dt.datetime.combine(Q2, midnight), 21, 20, "Not met"],
        ["Visits in time", "%", "higher", "2", dt.datetime.combine(Q1, midnight), 70, 80, "Not met"],
        ["Visits in time", "%", "higher", "2", dt.datetime.combine(Q2, midnight), 85, 80, "Met"],
    ]
    assert sheet["A4"].data_type == "s"  # '=Re-referrals' is text, never a formula
    assert sheet["E4"].number_format == "DD/MM/YYYY"


def test_html_papers_have_the_measures_section_as_the_pdf_and_word_do(engine, board):
    """The HTML board pack gives the PDF's section (the standing, then each measure's periods); the
    HTML cabinet report gives the Word report's (the standing, under Progress)."""
    from tests.data_access.papers.html_reading import read, table_captioned

    pack = read(_paper(engine, board, "html"))
    assert (2, "Measures of success") in pack.headings
    standing = table_captioned(pack, "Measures of success at")
    assert standing.header == ["Measure", "Recs", "Latest", "Target", "At target", "Change"]
    assert standing.rows == SUMMARY_ROWS
    periods = table_captioned(pack, f"Values of {REREFERRALS}")
    assert periods.rows == [["30 Jun 2024", "22%", "20%", "Not met"], ["30 Sep 2024", "21%", "20%", "Not met"]]
    assert (3, f"{REREFERRALS}: lower is better") in pack.headings

    cabinet = read(_paper(engine, board, "cabinet-html"))
    assert (3, "Measures of success") in cabinet.headings
    assert table_captioned(cabinet, "Measures of success at").rows == SUMMARY_ROWS
    assert not any(text.startswith("Values of") for _, text in cabinet.headings)
