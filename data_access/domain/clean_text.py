"""One rule for text that enters: what a tracker cell may hold once it is stored, and how a stored
field is drawn next to other text.

`clean_text(text)` is the rule. Characters no paper format can hold are replaced:

- line breaks written any other way become a newline `\\n`: CR LF and a lone CR, vertical tab
  (Word's soft return, which Excel saves as `_x000B_`), form feed, NEL (U+0085), and U+2028/U+2029
  (line and paragraph separator);
- every other control character becomes one space: C0 controls except tab and newline (NUL, ESC,
  `\\x01`, `\\x1c`-`\\x1f`...), DEL (U+007F) and the C1 controls (U+0080-U+009F), and so do the
  noncharacters (U+FFFE, U+FFFF, U+FDD0-U+FDEF and the last two code points of every plane) and
  lone surrogates. A space, not a visible mark: the board reads "Recruit  staff", not a symbol
  it has to ask about, and the import summary says which cells were changed;
- Excel's escapes of those characters (`_x000B_`, `_x000D_`, `_x001F_`...: `_x` + four hex digits
  of a control character + `_`) that a reader left undecoded are treated as the character itself.
  An escape of any other character (`_x0041_`) is left as written.

Tab and newline are kept. Everything else is kept too, including the Unicode bidirectional
controls (embeddings, overrides and isolates U+202A-U+202E and U+2066-U+2069, and the marks
U+200E, U+200F, U+061C): they are the writer's text. Where a field is drawn beside other text it
goes through `isolate(text)`, which wraps it in FIRST STRONG ISOLATE ... POP DIRECTIONAL ISOLATE
(U+2068 ... U+2069) and closes any embedding, override or isolate the field left open, so a
right-to-left override in one field never reorders the text around it.

The rule is applied by the importer (which counts and reports the cells it changed), by a
migration to text stored before it existed, and again by every paper at its boundary. The
character classes here are also the ones the command line escapes (data_access/cli/terminal_text).
"""

from __future__ import annotations

import re

# The character classes, as regular-expression class bodies (one source for the whole product).
C0_CONTROLS = "\x00-\x1f"
DEL_AND_C1_CONTROLS = "\x7f-\x9f"
# Bidirectional formatting: the Arabic letter mark, LRM/RLM, embeddings and overrides (LRE, RLE,
# PDF, LRO, RLO) and isolates (LRI, RLI, FSI, PDI).
BIDI_MARKS = "\u061c\u200e\u200f"
BIDI_EMBEDDINGS = "\u202a-\u202e"
BIDI_ISOLATES = "\u2066-\u2069"
BIDI_CONTROLS = BIDI_MARKS + BIDI_EMBEDDINGS + BIDI_ISOLATES
NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    chr(plane * 0x10000 + 0xFFFE) + chr(plane * 0x10000 + 0xFFFF) for plane in range(17)
)
SURROGATES = "\ud800-\udfff"

LINE_BREAK_CHARACTERS = "\r\x0b\x0c\x85\u2028\u2029"

# What the rule changes: line breaks other than \n, controls other than tab and \n, noncharacters,
# surrogates, and Excel's escapes of controls.
_CONTROL_CODE = r"00[01][0-9A-Fa-f]|00[89][0-9A-Fa-f]|007[Ff]"
_EXCEL_ESCAPE = re.compile(r"_x(" + _CONTROL_CODE + r")_")
# Searched in three parts, which is ten times quicker than one pattern (an importer searches every
# cell): the BMP characters, Excel's escapes, and the noncharacters beyond the BMP.
_NEEDS_CLEANING_BMP = re.compile(
    "[\x00-\x08\x0b-\x1f" + DEL_AND_C1_CONTROLS + "\ufdd0-\ufdef\ufffe\uffff" + SURROGATES + "\u2028\u2029]"
)
_BEYOND_BMP = re.compile("[\U00010000-\U0010ffff]")
_NONCHARACTER_BEYOND_BMP = re.compile("[" + NONCHARACTERS[len("\ufdd0-\ufdef\ufffe\uffff") :] + "]")
_LINE_BREAK = re.compile("\r\n|[" + LINE_BREAK_CHARACTERS + "]")
_TO_SPACE = re.compile("[\x00-\x08\x0e-\x1f" + DEL_AND_C1_CONTROLS + NONCHARACTERS + SURROGATES + "]")

FSI, PDI, PDF = "\u2068", "\u2069", "\u202c"
_OPENS_EMBEDDING = frozenset("\u202a\u202b\u202d\u202e")  # LRE, RLE, LRO, RLO
_OPENS_ISOLATE = frozenset("\u2066\u2067\u2068")  # LRI, RLI, FSI
# A field is isolated when it holds a bidi control or a right-to-left letter (Hebrew, Arabic,
# Syriac, Thaana, N'Ko... and their presentation forms): only those can reorder a neighbour.
_NEEDS_ISOLATE = re.compile(
    "[" + BIDI_CONTROLS + "\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe\U00010800-\U00010fff\U0001e800-\U0001efff]"
)


def needs_cleaning(text: str) -> bool:
    """True when `clean_text` would change `text`."""
    return bool(
        _NEEDS_CLEANING_BMP.search(text)
        or ("_x" in text and _EXCEL_ESCAPE.search(text))
        or (_BEYOND_BMP.search(text) and _NONCHARACTER_BEYOND_BMP.search(text))
    )


def clean_text(text: str) -> str:
    """`text` by the rule above: line breaks as `\\n`, other control characters, noncharacters and
    lone surrogates as a space, bidi controls kept. Idempotent; text that needs nothing is
    returned as it is."""
    if not needs_cleaning(text):
        return text
    text = _EXCEL_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    text = _LINE_BREAK.sub("\n", text)
    return _TO_SPACE.sub(" ", text)


def clean_value(value):
    """A cell or field value: strings cleaned by the rule, anything else (numbers, dates, None)
    as it is."""
    return clean_text(value) if isinstance(value, str) else value


def isolate(text: str) -> str:
    """`text` to draw beside other text: wrapped in FSI ... PDI when it holds a bidi control or a
    right-to-left letter, with every embedding, override or isolate it opened closed before the
    final PDI, and any PDI that closes nothing of its own left out (it would end the wrapper).
    Other text is returned as it is."""
    if not _NEEDS_ISOLATE.search(text):
        return text
    out: list[str] = []
    stack: list[str] = []  # "e" embedding/override, "i" isolate, innermost last
    for char in text:
        if char in _OPENS_EMBEDDING:
            stack.append("e")
        elif char in _OPENS_ISOLATE:
            stack.append("i")
        elif char == PDF:
            if stack and stack[-1] == "e":
                stack.pop()
        elif char == PDI:
            if "i" not in stack:
                continue  # closes nothing of the field's own: it would close the wrapper
            while stack.pop() != "i":
                pass  # a PDI also ends the embeddings opened inside its isolate
        out.append(char)
    closers = "".join(PDF if kind == "e" else PDI for kind in reversed(stack))
    return FSI + "".join(out) + closers + PDI


def for_paper(value) -> str:
    """A stored field as a paper draws it beside other text: '' for None, cleaned, isolated."""
    return isolate(clean_text("" if value is None else str(value)))
