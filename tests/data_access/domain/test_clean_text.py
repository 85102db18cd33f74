"""The one rule for text that enters (data_access/domain/clean_text.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from data_access.cli import terminal_text
from data_access.domain.clean_text import FSI, PDF, PDI, clean_text, for_paper, isolate, needs_cleaning


@pytest.mark.parametrize(
    ("stored", "clean"),
    [
        ("soft\x0breturn", "soft\nreturn"),  # Word's soft return, as Excel reads it back
        ("soft_x000B_return", "soft\nreturn"),  # ...and as Excel saves it, when a reader left it
        ("a_x000D__x000A_b", "a\nb"),  # CR LF escaped: one line break
        ("a\r\nb\rc", "a\nb\nc"),
        ("page\x0cbreak", "page\nbreak"),
        ("line\u2028para\u2029nel\x85end", "line\npara\nnel\nend"),
        ("x\x01y\x1cz\x1fw", "x y z w"),
        ("del\x7fesc\x1b[31m", "del esc [31m"),
        ("nul\x00bel\x07", "nul bel "),
        ("c1\x80\x9b", "c1  "),
        ("non\ufffe\uffff\ufdd0\U0001fffe\U0010ffff", "non     "),
        ("lone\ud800surrogate", "lone surrogate"),
        ("_x0001_", " "),
        ("_x0041_ is left as written, _x000b_ too", "_x0041_ is left as written, \n too"),
    ],
)
def test_the_rule(stored, clean):
    assert clean_text(stored) == clean
    assert needs_cleaning(stored)


@pytest.mark.parametrize(
    "kept",
    ["Tab\tand\nnewline", "£ – “smart” é ✔", "\u202eoverride kept", "\u2066isolate\u2069", "שלום", "漢字 😀", ""],
)
def test_what_the_rule_keeps(kept):
    assert clean_text(kept) is kept and not needs_cleaning(kept)


@given(st.text(alphabet=st.characters(codec=None)))
def test_clean_text_is_idempotent_and_leaves_nothing_a_paper_refuses(text):
    once = clean_text(text)
    assert clean_text(once) == once
    assert not needs_cleaning(once)
    assert not any(ord(c) < 0x20 and c not in "\t\n" or 0x7F <= ord(c) <= 0x9F for c in once)


def test_isolate_wraps_bidi_fields_and_closes_what_they_open():
    assert isolate("plain text") == "plain text"
    assert isolate("evil\u202eroF") == FSI + "evil\u202eroF" + PDF + PDI
    assert isolate("a\u202bb\u2067c") == FSI + "a\u202bb\u2067c" + PDI + PDF + PDI  # innermost first
    assert isolate("closed\u202e!\u202c") == FSI + "closed\u202e!\u202c" + PDI
    # A PDI that closes nothing of the field's own would end the wrapper: it is left out.
    assert isolate("x\u2069y") == FSI + "xy" + PDI
    # A PDI ends the embeddings opened inside its isolate.
    assert isolate("\u2066a\u202eb\u2069c") == FSI + "\u2066a\u202eb\u2069c" + PDI
    assert isolate("עברית") == FSI + "עברית" + PDI  # right-to-left letters are isolated too


def test_for_paper_cleans_then_isolates():
    assert for_paper(None) == "" and for_paper(12) == "12"
    assert for_paper("x\x0b\u202ey") == FSI + "x\n\u202ey" + PDF + PDI


def test_the_terminal_escapes_the_same_character_classes():
    for char in "\x00\x1b\x7f\x85\x9b\u061c\u200e\u200f\u202a\u202e\u2066\u2069":
        assert terminal_text.safe(char) != char
