"""Tracker text into Typst: always data, never markup.

Typst markup gives meaning to many characters a tracker may hold (`#` code, `*` bold, `_`
emphasis, `$` maths, `@` references, `<label>`, `\\` escapes and line breaks, backticks, `[` `]`
content blocks, `//` and `/*` comments, `=`/`-`/`+` at a line start, `~`, `--`, `...` and smart
quotes). Escaping each of those is fragile, so text is never written as markup at all: it goes in
as a Typst *string literal*, whose only special characters are `\\` and `"` (and control
characters), and a string shown as content is set exactly as its characters.

`typst_string` is the one escaper; `typst_text` is the same literal placed in markup.

Text that is drawn goes through `drawn` first: each line of it is a bidi *isolate* (so a
right-to-left override or embedding inside one field never reorders the words around it), and
long tokens get break opportunities (line_breaks.breakable) so they wrap inside their column. Both
literals first apply the one rule for text (domain/clean_text.clean_text): control characters a
PDF cannot hold become line breaks or spaces.
"""

from __future__ import annotations

import math
import re

import pandas as pd

from data_access.domain.clean_text import clean_text, isolate
from data_access.papers.line_breaks import breakable


def _plain(value: object) -> str:
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    return str(value)


# What a string literal cannot hold as itself: the backslash, the quote, and control characters.
_ESCAPES = {ord("\\"): "\\\\", ord('"'): '\\"', ord("\n"): "\\n", ord("\t"): "\\t"}
_ESCAPES.update({c: "\\u{" + format(c, "x") + "}" for c in [*range(0x20), 0x7F, 0x2028, 0x2029] if c not in _ESCAPES})


def typst_string(value: object) -> str:
    """`value` as a Typst string literal ("…"), for code: function arguments, table cells.
    None and NaN become the empty string."""
    return '"' + clean_text(_plain(value)).translate(_ESCAPES) + '"'


def typst_text(value: object) -> str:
    """`value` placed in markup: `#"…";` (the semicolon ends the expression, so a following '.'
    or '(' in the markup is never read as a method call)."""
    return "#" + typst_string(value) + ";"


# Paragraph and line separators end every embedding and isolate (UAX #9), so each line of a field
# is isolated on its own.
_LINE_BREAKS = re.compile("(\r\n|[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029])")


def isolated(value: object) -> str:
    """`value` cleaned, each line a bidi isolate where it needs one (clean_text.isolate): bidi
    controls inside cannot leak out and reorder the text around the field."""
    parts = _LINE_BREAKS.split(clean_text(_plain(value)))
    return "".join(p if i % 2 or not p else isolate(p) for i, p in enumerate(parts))


def drawn(value: object) -> str:
    """Tracker text as the PDF draws it: isolated (right-to-left text in order, its controls kept
    inside it) and breakable (long tokens wrap inside their table column)."""
    return isolated(breakable(clean_text(_plain(value))))
