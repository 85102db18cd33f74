"""Tracker text into Typst: always data, never markup.

Typst markup gives meaning to many characters a tracker may hold (`#` code, `*` bold, `_`
emphasis, `$` maths, `@` references, `<label>`, `\\` escapes and line breaks, backticks, `[` `]`
content blocks, `//` and `/*` comments, `=`/`-`/`+` at a line start, `~`, `--`, `...` and smart
quotes). Escaping each of those is fragile, so text is never written as markup at all: it goes in
as a Typst *string literal*, whose only special characters are `\\` and `"` (and control
characters), and a string shown as content is set exactly as its characters.

`typst_string` is the one escaper; `typst_text` is the same literal placed in markup. Both first
apply the one rule for text (domain/clean_text.for_paper): control characters a PDF cannot hold
become line breaks or spaces, and a field holding bidi controls or right-to-left letters is set
inside FSI ... PDI with its embeddings closed, so it never reorders the text around it.
"""

from __future__ import annotations

import math

import pandas as pd

from data_access.domain.clean_text import for_paper


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
    return '"' + for_paper(_plain(value)).translate(_ESCAPES) + '"'


def typst_text(value: object) -> str:
    """`value` placed in markup: `#"…";` (the semicolon ends the expression, so a following '.'
    or '(' in the markup is never read as a method call)."""
    return "#" + typst_string(value) + ";"
