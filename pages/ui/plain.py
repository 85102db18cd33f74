"""Tracker text is data, never markup.

Anything that came from a tracker or a user (plan names, recommendation and action text, action
IDs, leads, partner agencies, review labels, column headings, file and sheet names) reaches
Streamlit and Plotly only through these functions:

- `md(text)`: for anything Streamlit renders as Markdown (st.title, st.header, st.subheader,
  st.markdown, st.caption, st.info/warning/error, st.metric labels, widget labels, help
  tooltips, expander labels, page_link labels, radio options). Every Markdown and
  Streamlit-directive character is backslash-escaped, and the three things escaping cannot stop
  are broken with an invisible U+2060 WORD JOINER: Streamlit turns bare URLs, `www.` names and
  e-mail addresses into links, and `:material/icon:` into an icon, after Markdown's escapes are
  resolved. Whitespace runs (newlines, indentation) become one space, so no text can start a
  heading, list or code block. Links, images, `:red[...]` colours, HTML tags, icons and bold
  show as the characters typed.
- `option(text)`: for selectbox and multiselect options (`format_func`), which Streamlit shows as
  plain text: whitespace runs become one space and nothing is escaped (a backslash would show).
- `attribute(text)`: for an HTML attribute's value (a static chart's alt text): one line, escaped
  as HTML entities, quotes too.
- `chart(text)`: for Plotly text, tick labels, legend names, titles and hovers, which render a
  subset of HTML (<b>, <br>, <a href>, <span style>): escaped as HTML entities, with `$` (MathJax)
  and `%{` (hover template fields) defused.

Each of them first applies the one rule for text (data_access/domain/clean_text.for_paper):
control characters become spaces or line breaks, and text holding bidi controls or right-to-left
letters is wrapped in FSI ... PDI with its embeddings closed, so a right-to-left override in a
plan name never reorders the words around it on the page.

Tables drawn with pages/ui/html_tables.py escape their cells with html.escape already.
"""

from __future__ import annotations

import html
import re

from data_access.domain.clean_text import for_paper

# CommonMark lets any ASCII punctuation be backslash-escaped; these are the ones Markdown, GFM or
# Streamlit give a meaning to (':' starts :red[...] and :material/icon: directives).
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$=&@^\"'])")
_WORD_JOINER = "\u2060"
# What Streamlit links or turns into an icon after escapes are resolved: 'scheme://', 'www.',
# 'name@host' and ':material/...:' each need '://', '@', 'www.' or ':material/' intact.
_LINKISH = re.compile(r"(:(?=//|(?i:material)/)|@|(?i:www)(?=\\?\.))")
_WHITESPACE = re.compile(r"\s+")


def _one_line(text: object) -> str:
    return for_paper(_WHITESPACE.sub(" ", str(text)).strip())


def md(text: object) -> str:
    """`text` as Markdown that shows exactly these characters (on one line) and nothing else."""
    if text is None:
        return ""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", _one_line(text))
    return _LINKISH.sub(lambda m: m.group(1) + _WORD_JOINER, escaped)


def option(text: object) -> str:
    """`text` for a selectbox or multiselect option (shown as plain text): one line."""
    return "" if text is None else _one_line(text)


def attribute(text: object) -> str:
    """`text` as the value of a quoted HTML attribute (alt="..."): one line, every character shown
    as typed."""
    return "" if text is None else html.escape(_one_line(text), quote=True)


# Plotly decodes numeric entities and only a few named ones (&amp; &lt; &gt;, not &quot;).
_CHART_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;", "$": "&#36;", "%": "&#37;"}
_CHART_SPECIAL = re.compile("[&<>\"'$%]")


def chart(text: object) -> str:
    """`text` for a Plotly label, title or hover: tags and entities shown as typed, MathJax ('$')
    and hover-template fields ('%{...}') defused."""
    if text is None:
        return ""
    return _CHART_SPECIAL.sub(lambda m: _CHART_ENTITIES[m.group()], for_paper(text))
