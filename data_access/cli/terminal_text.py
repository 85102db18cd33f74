"""Text from trackers and file names, printed on a terminal as text.

A file name or a tracker cell can hold terminal control sequences (ESC [ 31m, a C1 CSI, a BEL, a
carriage return that overwrites the line) or Unicode bidirectional overrides that reorder what is
shown. The command line prints such text only through `safe()`, which shows every control and
bidi character as a visible escape (\\x1b, \\u202e), and writes JSON through `safe_json()`.
"""

from __future__ import annotations

import re

from data_access.domain.clean_text import BIDI_CONTROLS, C0_CONTROLS, DEL_AND_C1_CONTROLS

# C0 controls (tab and newline too: one field, one line), DEL, C1 controls, and the Unicode
# bidirectional marks, embeddings, overrides and isolates: the classes of domain/clean_text.
_UNSAFE = re.compile("[" + C0_CONTROLS + DEL_AND_C1_CONTROLS + BIDI_CONTROLS + "]")
# In JSON, C0 controls are always escaped by the json module; these others are not (ensure_ascii=False).
_UNSAFE_IN_JSON = re.compile("[" + DEL_AND_C1_CONTROLS + BIDI_CONTROLS + "]")


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe(text: object) -> str:
    """`text` for a terminal: every control and bidi character shown as a visible escape."""
    return _UNSAFE.sub(_escape, "" if text is None else str(text))


def safe_json(document: str) -> str:
    """A JSON document (from json.dumps with ensure_ascii=False) with the characters a terminal
    would act on written as JSON \\u escapes: the same data, safe to print."""
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", document)
