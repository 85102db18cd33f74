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
long tokens get break opportunities (line_breaks.breakable) so they wrap inside their column.
"""

from __future__ import annotations

import math
import re

import pandas as pd

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
    return '"' + _plain(value).translate(_ESCAPES) + '"'


def typst_text(value: object) -> str:
    """`value` placed in markup: `#"…";` (the semicolon ends the expression, so a following '.'
    or '(' in the markup is never read as a method call)."""
    return "#" + typst_string(value) + ";"


# Bidi isolates (Unicode Bidirectional Algorithm, UAX #9): what is between FSI and its PDI is
# ordered on its own and counts as one neutral character for the text around it.
LRI, RLI, FSI, PDI = "\u2066", "\u2067", "\u2068", "\u2069"
# Paragraph and line separators end every embedding and isolate, so each line is isolated alone.
_LINE_BREAKS = re.compile("(\r\n|[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029])")


def _balanced(line: str) -> str:
    """`line` with its isolates closed: a PDI with no opener in the line is dropped (it would close
    the field's own isolate early) and an opener left open is closed at the end. Embeddings and
    overrides (LRE, RLE, LRO, RLO) need nothing: the closing PDI ends them (UAX #9, X6a)."""
    out, open_ = [], 0
    for char in line:
        if char in (LRI, RLI, FSI):
            open_ += 1
        elif char == PDI:
            if not open_:
                continue
            open_ -= 1
        out.append(char)
    return "".join(out) + PDI * open_


def isolated(value: object) -> str:
    """`value` as first-strong isolates, one per line: bidi controls inside cannot leak out.
    (The minimal wrapping for Typst; a shared helper for every paper may take its place.)"""
    parts = _LINE_BREAKS.split(_plain(value))
    return "".join(p if i % 2 or not p else FSI + _balanced(p) + PDI for i, p in enumerate(parts))


def drawn(value: object) -> str:
    """Tracker text as the PDF draws it: isolated (right-to-left text in order, its controls kept
    inside it) and breakable (long tokens wrap inside their table column)."""
    return isolated(breakable(_plain(value)))
