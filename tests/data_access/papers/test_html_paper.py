"""The HTML papers (data_access.papers.html_paper): the same figures as the PDF pack (read back from
the PDF with pypdf, as tests/data_access/papers/test_pdf.py does), the structure an accessible page
needs, nothing outside the file, and tracker text that stays text whatever it holds."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from data_access.domain.rules import RED, STATUS_STYLE
from data_access.domain.tracker_rows import PlanInfo, ReviewSnapshot, TrackerRow
from data_access.papers import PaperRequest, formats, html_paper, make_paper
from data_access.storage import plan_writer
from data_access.storage.database import write_transaction
from tests.data_access.papers.html_reading import read, table_captioned
from tests.fixtures import BOARD_Q2, FORMULA, SCRIPT

HTML_KEYS = [k for k, f in formats.REGISTRY.items() if f.media_type == formats.HTML_MEDIA_TYPE]


def _paper(engine, board, key: str) -> bytes:
    return make_paper(engine, PaperRequest(key, board["plan"], as_of=board["as_of"])).data


def _pdf_lines(engine, board) -> list[str]:
    reader = PdfReader(io.BytesIO(_paper(engine, board, "pdf")))
    return [" ".join(line.split()) for page in reader.pages for line in page.extract_text().split("\n")]


def test_the_html_pack_has_the_pdf_packs_figures(engine, board):
    page = read(_paper(engine, board, "html"))
    lines = _pdf_lines(engine, board)
    compared = 0
    for caption in ("Headline figures at", "RAG status by recommendation", "Actions by status at each review"):
        table = table_captioned(page, caption)
        assert table.rows
        for row in [table.header, *table.rows]:
            assert " ".join(" ".join(row).split()) in lines, (caption, row)
            compared += 1
    # The hand-worked figures (tests/data_access/reads/test_board.py), so the comparison is not of two
    # empty tables: 6 actions, 1 red, 1 amber, 2 overdue at the meeting.
    headline = {row[0]: row[1] for row in table_captioned(page, "Headline figures at").rows}
    assert headline["Actions"] == "6" and headline["Overdue"] == "2" and headline["✖ Red (off track)"] == "1"
    assert headline["▲ A At risk"] == "1" and headline["Complete"] == "33% (2 of 6)"
    assert compared >= 3 + 9 + 4
    # every heading that counts something says the same count in both
    counted = [text for _, text in page.headings if re.search(r"\(\d+\)$", text)]
    assert (
        "Overdue actions by recommendation (2)" in counted
        and "Challenge: reported ● G On track but overdue (1)" in counted
    )
    for text in counted:
        assert text in lines, text


def test_the_board_pack_is_an_accessible_page(engine, board):
    data = _paper(engine, board, "html")
    page = read(data)
    html_tag = next(attrs for tag, attrs in page.tags if tag == "html")
    assert html_tag["lang"] == "en-GB"
    assert re.search(rb"<title>Board pack: Testshire ILACS 2024, Q2 2024/25 \(position as at", data)
    levels = [level for level, _ in page.headings]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False))  # never skips a level
    assert {"Headline figures", "RAG status by recommendation", "Since the last review"} <= {
        t for _, t in page.headings
    }
    assert len(page.tables) >= 8
    for table in page.tables:
        assert table.caption and table.header and table.scopes and set(table.scopes) <= {"col", "row"}
    # charts: inline SVG, named and described by the chart's title and text alternative
    svgs = [attrs for tag, attrs in page.tags if tag == "svg"]
    assert len(svgs) == 3  # RAG by recommendation, status over time, completion forecast
    for attrs in svgs:
        assert attrs["role"] == "img" and attrs["aria-labelledby"] and attrs["aria-describedby"]
    assert b"Bar chart of Testshire ILACS 2024&#x27;s actions by status" in data or (
        b"Bar chart of Testshire ILACS 2024's actions by status" in data
    )
    ids = re.findall(rb'\bid="([^"]+)"', data)
    assert len(ids) == len(set(ids))  # each chart's glyph and clip ids are its own


@pytest.mark.parametrize("key", HTML_KEYS)
def test_an_html_paper_is_one_file_with_no_script(engine, board, key):
    data = _paper(engine, board, key)
    page = read(data)
    assert not [tag for tag, _ in page.tags if tag in ("script", "link", "img", "iframe", "object", "embed", "base")]
    for _, attrs in page.tags:
        assert not any(name.startswith("on") for name in attrs), attrs  # no event handlers
        for name in ("src", "href", "xlink:href"):
            assert attrs.get(name) is None or attrs[name].startswith("#"), attrs
    assert b"@import" not in data and not re.search(rb"url\((?!#)", data)


def test_the_cabinet_report_in_html_has_the_word_reports_sections(engine, board):
    page = read(_paper(engine, board, "cabinet-html"))
    headings = [text for level, text in page.headings if level == 2]
    assert headings == list(html_paper.CABINET_HEADINGS)
    assert any(level == 3 and text == "5.1 Financial" for level, text in page.headings)
    # a detail nobody has set is a marked placeholder, never a guess
    marks = [attrs for tag, attrs in page.tags if tag == "mark"]
    assert marks and all(m["class"] == "placeholder" for m in marks)
    text = " ".join(" ".join(page.text).split())
    assert "[to be completed by the report author: the overall judgement, as the inspection report words it]" in text
    assert "2 of 6 actions complete (33%), 1 off track (red) and 2 overdue as at 14 October 2024" in text


HOSTILE = "<script>window.pwned=1</script> **bold** [link](javascript:alert(1)) <img src=x onerror=alert(1)>"
CONTROLS = "Ctrl\x00\x07\x1b[31m\x7f\ufffeend"


def test_hostile_tracker_text_stays_inert_text(engine):
    rows = [
        TrackerRow("1", HOSTILE, HOSTILE, action_id="1.1", lead=CONTROLS, status=RED, status_raw="Red",
                   progress='"><svg onload=alert(1)> &amp; ' + FORMULA),
    ]  # fmt: skip
    with write_transaction(engine) as conn:
        plan_id = plan_writer.ensure_plan(conn, PlanInfo(name="Plan " + HOSTILE))
        plan_writer.save_review(conn, plan_id, ReviewSnapshot(BOARD_Q2, rows, label="Q2 " + HOSTILE), source="q")
    for key in HTML_KEYS:
        data = make_paper(engine, PaperRequest(key, plan_id, as_of=BOARD_Q2)).data
        page = read(data)
        assert not [tag for tag, _ in page.tags if tag in ("script", "img", "a")], key
        assert not any(name.startswith("on") for _, attrs in page.tags for name in attrs), key
        text = "\n".join(page.text)
        assert HOSTILE in text, key  # shown as written: markdown not rendered, tags not parsed
        assert '"><svg onload=alert(1)> &amp; ' + FORMULA in text, key
        assert "Ctrl" in text and "\x00" not in text and "\x1b" not in text and "\ufffe" not in text, key
        assert b"\x00" not in data and b"\x1b" not in data
        title = re.search(rb"<title>(.*?)</title>", data, re.S).group(1)
        assert b"<" not in title


def test_the_one_escaping_door():
    assert html_paper.escaped(SCRIPT) == "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; Staying close"
    assert html_paper.escaped(None) == "" and html_paper.escaped('a"b') == "a&quot;b"
    assert html_paper.escaped("Evil\u202eroF").startswith("\u2068")  # a bidi override isolated


def test_headings_cannot_skip_a_level():
    doc = html_paper.HtmlDocument()
    doc.heading(1, "Title")
    with pytest.raises(ValueError, match="must not skip"):
        doc.heading(3, "Too deep")
    doc.heading(2, "Section")
    with pytest.raises(ValueError):
        doc.heading(1, "A second title")


def test_a_status_cell_is_never_colour_alone():
    doc = html_paper.HtmlDocument()
    doc.table("Statuses", ["Action", "Status"], [["1.1", html_paper.Status(RED)]])
    cell = re.search(r'<td class="status"[^>]*>(.*?)</td>', doc.parts[0]).group(1)
    style = STATUS_STYLE[RED]
    assert cell == f"{style.symbol} {style.letter} {style.label}" and style.colour in doc.parts[0]


def test_the_cabinet_report_in_html_has_the_word_reports_figures(engine, board):
    import docx

    word = docx.Document(io.BytesIO(_paper(engine, board, "docx")))
    page = read(_paper(engine, board, "cabinet-html"))
    word_headline = [[c.text for c in row.cells] for row in word.tables[0].rows]
    html_headline = table_captioned(page, "Headline figures at")
    # the HTML adds a row per status below the Word report's four figures
    assert [html_headline.header, *html_headline.rows[: len(word_headline) - 1]] == word_headline
    said = {" ".join(p.text.split()) for p in word.paragraphs}
    text = " ".join(" ".join(page.text).split())
    key_issues = next(p for p in said if "off track (red) and" in p and p.endswith("."))
    decisions = next(p for p in said if p.startswith("1. notes the progress made"))
    assert key_issues in text and decisions in text
    word_headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
    html_headings = [t for _, t in page.headings]
    for counted in ("Off track (red) actions (1)", "Overdue actions (2)", "Due dates moved later since Q1 2024/25 (1)"):
        assert counted in word_headings and counted in html_headings
