"""Tracker text reaches Typst as data: every character a tracker may hold comes out of the PDF
exactly as typed, never as markup, code, maths, a comment or a label."""

from __future__ import annotations

import io

import pytest
import typst
from pypdf import PdfReader

from data_access.papers import pdf_pack
from data_access.papers.line_breaks import ZWSP
from data_access.papers.typst_text import typst_string, typst_text

HOSTILE = [
    '#set page(width: 1cm) #panic("boom")',
    "*bold* _emphasis_ `code` $x^2$ @ref <label>",
    'back\\slash \\ and \\u{41} and a "quote"',
    "[content] ]unbalanced[ {code} }",
    "// not a comment /* nor this */",
    "= Not a heading",
    "- not a list\n+ nor this\n/ Term: no",
    "~tilde -- dash --- em ... dots 'single'",
    '=HYPERLINK("http://evil.example","x")',
    "<script>alert(1)</script>",
    "✔ ● ▲ ✖ ○ £ – “smart” é",
]


def test_string_literal_escapes_only_what_a_literal_needs():
    assert typst_string('a "b" \\ c') == '"a \\"b\\" \\\\ c"'
    # Control characters follow the one rule for text (domain/clean_text): a BEL becomes a space,
    # a vertical tab a line break.
    assert typst_string("line\nnext\ttab\x07\x0bend") == '"line\\nnext\\ttab \\nend"'
    assert typst_string(None) == '""' and typst_string(float("nan")) == '""'
    assert typst_text("x") == '#"x";'


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_text_compiles_and_reads_back_literally(hostile):
    source = pdf_pack.Source()
    source.heading(1, hostile)
    source.para(hostile)
    source.table(["Text"], [[pdf_pack.cell(hostile)]])
    data = pdf_pack.compile_pdf(source, f"Title {hostile}", f"Footer {hostile}")
    reader = PdfReader(io.BytesIO(data))
    # long tokens carry invisible break opportunities (line_breaks.ZWSP); the words are as typed
    text = "".join(page.extract_text() for page in reader.pages).replace(ZWSP, "")
    one_line = " ".join(hostile.split())
    for line in hostile.splitlines():
        assert text.count(line.strip()) >= 3, (line, text)  # heading, paragraph and table cell
    assert reader.metadata.title == f"Title {one_line}"
    assert len(reader.pages) == 1  # '#set page(width: 1cm)' or '#pagebreak' never ran


def test_text_placed_as_markup_would_not_survive():
    """The same text written as markup is read as code: why everything goes through typst_string."""
    with pytest.raises(typst.TypstError):
        typst.compile(HOSTILE[0].encode(), font_paths=pdf_pack.font_paths(), ignore_system_fonts=True)
