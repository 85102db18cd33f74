"""Tracker text is data, never markup.

Anything that came from a tracker or a user (plan names, recommendation and action text, action
IDs, leads, column headings, file and sheet names) reaches Markdown, titles, captions, help
text, widget labels and chart labels or hovers only through these two functions:

- `md(text)`: for anything Streamlit renders as Markdown (st.title, st.markdown, st.caption,
  labels, help, page_link labels): every Markdown and Streamlit-directive character is escaped,
  so links, images, `:red[...]` colour directives and HTML tags show as the characters typed.
- `chart(text)`: for Plotly text, labels, titles and hovers, which render a subset of HTML
  (<b>, <br>, <a href>, <span style>): escaped as HTML entities.

Tables drawn with pages/ui/tables.py escape their cells with html.escape already.
"""

from __future__ import annotations

import html
import re

# CommonMark lets any ASCII punctuation be backslash-escaped; these are the ones Markdown or
# Streamlit give a meaning to (':' starts :red[...] and :material/icon: directives).
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$=&])")


def md(text: object) -> str:
    """`text` as Markdown that shows exactly these characters and nothing else."""
    if text is None:
        return ""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def chart(text: object) -> str:
    """`text` for a Plotly label, title or hover: HTML-escaped."""
    if text is None:
        return ""
    return html.escape(str(text), quote=True)
