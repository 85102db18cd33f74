"""pages/ui/plain.py: tracker text reaches Markdown, select options and Plotly as text. Unit tests
of each function; tests/browser/test_tracker_text_browser.py renders the same payloads in Chromium
on every page and slide (what Streamlit's renderer really does is only known there)."""

from __future__ import annotations

import re

import pytest

from pages.ui.plain import chart, md, option

BEACON = "http://127.0.0.1:9/beacon"
PAYLOADS = [
    f"![x]({BEACON})",
    "[Sign in](http://127.0.0.1:9/signin)",
    ":red[FORGED]",
    '<a href="http://127.0.0.1:9/a">link</a>',
    "<b>bold</b>",
    f"bare {BEACON} www.example.com someone@example.com",
    ":material/warning: **strong** _em_ ~~gone~~ `code` $x^2$",
    "# heading\n    indented code\n1. list\n> quote\n| a | b |",
    "&lt;b&gt; &amp; \\*",
]
WORD_JOINER = "\u2060"


def unescape(markdown: str) -> str:
    """What CommonMark shows for text that only has backslash escapes."""
    return re.sub(r"\\(.)", r"\1", markdown).replace(WORD_JOINER, "")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_md_escapes_every_markdown_and_directive_character(payload):
    out = md(payload)
    # Every character Markdown, GFM or Streamlit gives a meaning to is backslash-escaped ...
    assert not re.search(r"(?<!\\)[\[\]()*_`<>:~$#|!&]", out.replace(WORD_JOINER, "")), out
    # ... and the reader sees exactly the characters typed, on one line.
    assert unescape(out) == " ".join(payload.split())


@pytest.mark.parametrize(
    ("text", "broken"),
    [
        ("http://x.org", "http\\:" + WORD_JOINER + "//"),
        ("HTTPS://x.org", "HTTPS\\:" + WORD_JOINER + "//"),
        ("www.example.com", "www" + WORD_JOINER + "\\."),
        ("WWW.example.com", "WWW" + WORD_JOINER + "\\."),
        ("a@b.org", "a\\@" + WORD_JOINER + "b"),
        (":material/home:", "\\:" + WORD_JOINER + "material/"),
    ],
)
def test_md_breaks_what_streamlit_would_link_or_turn_into_an_icon(text, broken):
    # Streamlit links bare URLs, www. names and e-mail addresses, and draws :material/...: icons,
    # after Markdown's escapes are resolved: an invisible word joiner breaks each.
    assert broken in md(text)


def test_md_leaves_plain_words_alone():
    assert md("Slide 1 of 9: Overview") == "Slide 1 of 9\\: Overview"  # no joiner where none is needed
    assert md(None) == "" and md(42) == "42"


def test_option_is_plain_text_on_one_line():
    # Select options are shown as text by Streamlit: a backslash would show, so nothing is escaped.
    assert option(":red[FORGED]  <b>x</b>\n[y](z)") == ":red[FORGED] <b>x</b> [y](z)"
    assert option(None) == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<b>bold</b>", "&lt;b&gt;bold&lt;/b&gt;"),
        ('<a href="http://x">y</a>', "&lt;a href=&#34;http://x&#34;&gt;y&lt;/a&gt;"),
        ("Tom's & Jerry's", "Tom&#39;s &amp; Jerry&#39;s"),
        ("$x^2$", "&#36;x^2&#36;"),  # no MathJax
        ("%{y}", "&#37;{y}"),  # no hover-template field
        ("<br>", "&lt;br&gt;"),
    ],
)
def test_chart_escapes_plotly_markup(text, expected):
    # Plotly decodes numeric entities and only &amp; &lt; &gt; (not &quot;), so quotes are numeric.
    assert chart(text) == expected
    assert chart(None) == ""
