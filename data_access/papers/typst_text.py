"""Tracker text into Typst: always data, never markup.

Typst markup gives meaning to many characters a tracker may hold (`#` code, `*` bold, `_`
emphasis, `$` maths, `@` references, `<label>`, `\\` escapes and line breaks, backticks, `[` `]`
content blocks, `//` and `/*` comments, `=`/`-`/`+` at a line start, `~`, `--`, `...` and smart
quotes). Escaping each of those is fragile, so text is never written as markup at all: it goes in
as a Typst *string literal*, whose only special characters are `\\` and `"` (and control
characters), and a string shown as content is set exactly as its characters.

`typst_string` is the one escaper; `typst_text` is the same literal placed in markup.
"""

from __future__ import annotations

import math

import pandas as pd


def _plain(value: object) -> str:
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    return str(value)


def typst_string(value: object) -> str:
    """`value` as a Typst string literal ("…"), for code: function arguments, table cells.
    None and NaN become the empty string."""
    out = ['"']
    for ch in _plain(value):
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F or ch in "\u2028\u2029":
            out.append("\\u{" + format(ord(ch), "x") + "}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def typst_text(value: object) -> str:
    """`value` placed in markup: `#"…";` (the semicolon ends the expression, so a following '.'
    or '(' in the markup is never read as a method call)."""
    return "#" + typst_string(value) + ";"
