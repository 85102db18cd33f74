"""Where a long token may break: one rule for every paper (PDF, Word, PowerPoint).

A tracker cell can hold a run of characters with no space in it that is wider than its table
column: a lead given as an e-mail address, a 300-character reference, a pasted 5,000-character
word. No paper breaks such a run by itself (Typst and Office break lines only at spaces and the
like), so it would run over the next column or off the page. `breakable` gives every run longer
than LONG_TOKEN characters zero-width break opportunities (U+200B ZERO WIDTH SPACE, invisible and
honoured by Typst, Word and PowerPoint): after punctuation that is followed by a letter or digit
(so an address breaks as `firstname.` `lastname@` `northtyneside.` `gov.uk`, a link after `://`)
and at least every PIECE characters. Ordinary
words are never touched, and no break is put inside a character and the marks that follow it, or
inside an emoji sequence joined by U+200D.
"""

from __future__ import annotations

import re
import unicodedata

ZWSP = "\u200b"
LONG_TOKEN = 20  # characters: longer runs with no break opportunity get some
PIECE = 10  # characters: the most between two break opportunities in a long run

_LONG = re.compile(rf"[^\s{ZWSP}]{{{LONG_TOKEN + 1},}}")
_JOINERS = {"\u200d", "\u034f", "\u2060"}  # zero-width joiner, grapheme joiner, word joiner


def _glued(before: str, after: str) -> bool:
    """True where a break between `before` and `after` would split one visible character."""
    return (
        before in _JOINERS
        or after in _JOINERS
        or unicodedata.category(after) in ("Mn", "Mc", "Me")  # combining marks
        or "\ufe00" <= after <= "\ufe0f"  # variation selectors (text or emoji presentation)
        or "\U0001f3fb" <= after <= "\U0001f3ff"  # skin-tone modifiers
        or "\U000e0020" <= after <= "\U000e007f"  # emoji tag sequences (flags of England, Scotland, Wales)
        or ("\U0001f1e6" <= before <= "\U0001f1ff" and "\U0001f1e6" <= after <= "\U0001f1ff")  # flag pairs
        or ("\ud800" <= before <= "\udbff")  # a lone high surrogate's pair, should one get this far
    )


def _break_run(match: re.Match[str]) -> str:
    run = match.group()
    out: list[str] = []
    since = 0  # characters since the last break opportunity
    for i, char in enumerate(run):
        out.append(char)
        since += 1
        after = run[i + 1] if i + 1 < len(run) else None
        if after is None or _glued(char, after):
            continue
        if since >= PIECE or (unicodedata.category(char)[0] in "PS" and after.isalnum()):
            out.append(ZWSP)
            since = 0
    return "".join(out)


def breakable(text: str) -> str:
    """`text` with zero-width break opportunities in each run of more than LONG_TOKEN characters
    that holds no space (after punctuation before a letter or digit, and at least every PIECE
    characters)."""
    return _LONG.sub(_break_run, text)
