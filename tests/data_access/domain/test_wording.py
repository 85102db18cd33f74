"""How figures and dates are worded for people (data_access.domain.wording): the parts the board pages use."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pytest

from data_access.domain import wording


@pytest.mark.parametrize(
    ("delta", "unit", "expected"),
    [
        (None, "", ""),
        (0, "", "no change"),
        (0.0, wording.POINTS, "no change"),
        (3, "", "+3"),
        (-2, wording.POINTS, "\u22122 percentage points"),
        (1, wording.POINTS, "+1 percentage point"),
    ],
)
def test_change_text(delta, unit, expected):
    assert wording.change_text(delta, unit) == expected


@pytest.mark.parametrize(
    ("due", "revised", "raw", "expected"),
    [
        # The tracker's words say more than the day: the date, then its words.
        (dt.date(2018, 3, 31), None, "March 2018", "31 Mar 2018 (tracker: “March 2018”)"),
        (dt.date(2018, 3, 31), None, "  end of\n March 2018 ", "31 Mar 2018 (tracker: “end of March 2018”)"),
        # They are just the day: a date cell (its raw text is its ISO date, never shown) or a typed date.
        (dt.date(2018, 3, 31), None, "2018-03-31", "31 Mar 2018"),
        (dt.datetime(2018, 3, 31), None, "2018-03-31", "31 Mar 2018"),
        (dt.date(2018, 3, 31), None, "31/03/2018", "31 Mar 2018"),
        (dt.date(2018, 3, 31), None, None, "31 Mar 2018"),
        # A revised date replaces the original, and says what the tracker first said.
        (dt.date(2018, 3, 31), dt.date(2018, 9, 30), "March 2018", "30 Sep 2018 (revised; tracker: “March 2018”)"),
        (dt.date(2018, 3, 31), dt.date(2018, 9, 30), "2018-03-31", "30 Sep 2018 (revised; was 31 Mar 2018)"),
        (None, dt.date(2018, 9, 30), None, "30 Sep 2018 (revised)"),
        # No date to count overdue against.
        (None, None, "Ongoing", "No date (tracker: “Ongoing”)"),
        (None, None, "31/02/2017", "No date (tracker: “31/02/2017”)"),  # an impossible date
        (None, None, None, "No date"),
    ],
)
def test_due_text(due, revised, raw, expected):
    assert wording.due_text(due, revised, raw) == expected


def test_due_text_of_a_frame_row_takes_pandas_blanks_and_never_shows_an_iso_date():
    """The papers and the tables pass rows of reads.board's frames: Timestamps, NaT, NaN and NA."""
    frame = pd.DataFrame(
        {
            "due_date": [pd.Timestamp("2024-08-31"), pd.Timestamp("2024-07-31"), pd.NaT, pd.Timestamp("2024-09-30")],
            "revised_due_date": [pd.NaT, None, pd.NaT, pd.Timestamp("2024-12-31")],
            "due_raw": ["Aug 2024", "2024-07-31", "Ongoing", float("nan")],
        }
    )
    words = [wording.due_text_of(row) for row in frame.to_dict("records")]
    assert words == [
        "31 Aug 2024 (tracker: “Aug 2024”)",
        "31 Jul 2024",
        "No date (tracker: “Ongoing”)",
        "31 Dec 2024 (revised; was 30 Sep 2024)",
    ]
    assert not any(re.search(r"\d{4}-\d{2}-\d{2}", w) for w in words)


def test_the_due_date_has_one_home():
    """The action page, the tables (actions, overdue, deck) and the papers all word a due date with
    wording.due_text: no other module words one, and the tables' old raw-text note is gone."""
    from pages.ui import html_tables

    row = {"due_date": dt.date(2024, 8, 31), "revised_due_date": None, "due_raw": "Aug <b>2024</b>"}
    column = html_tables.Column("effective_due", "Due", kind="due")
    assert html_tables.cell_text(column, row) == wording.due_text_of(row)
    assert html_tables._cell(column, row) == f"<td>{html_tables.text(wording.due_text_of(row))}</td>"
    assert "&lt;b&gt;" in html_tables._cell(column, row)  # tracker text stays inert
    assert not hasattr(html_tables.Column("k", "h"), "note")
    root = Path(__file__).resolve().parents[3]
    for folder in ("data_access", "pages"):
        for path in (root / folder).rglob("*.py"):
            source = path.read_text(encoding="utf-8")
            if path.name != "wording.py":
                assert not re.search(r"def \w*due_(words|text)\w*\(", source), path
            assert 'note="due_raw"' not in source, path


def test_short_text():
    text = "Ensure that senior leaders have access to comprehensive, high-quality performance information"
    assert wording.short_text(text) == "Ensure that senior leaders have access to…"
    assert len(wording.short_text(text, 20)) <= 20
    assert wording.short_text("  Short\ntext ") == "Short text"
    assert wording.short_text(None) == ""
    assert wording.short_text(float("nan")) == ""
    assert wording.short_text("x" * 100, 10) == "x" * 9 + "…"  # one long word is cut inside
    # A word boundary is used when it keeps at least half the room, else the word is cut.
    assert wording.short_text("a " + "y" * 50, 12) == "a " + "y" * 9 + "…"
    assert wording.short_text("Review the plan, then report", 20) == "Review the plan…"  # no ',' before '…'


@pytest.mark.parametrize(
    "grapheme",
    [
        "e\u0301",  # e + combining acute
        "\U0001f469\U0001f3fd",  # woman, medium skin tone
        "\U0001f469\u200d\U0001f4bb",  # woman technologist (joined by ZWJ)
        "\U0001f1ec\U0001f1e7",  # the UK flag: two regional-indicator letters
        "\u2764\ufe0f",  # heart + emoji variation selector
    ],
)
def test_short_text_never_cuts_a_grapheme(grapheme):
    for limit in range(2, 14):
        for lead in ("", "x", "xx"):
            text = lead + grapheme * 12
            short = wording.short_text(text, limit)
            assert len(short) <= limit and short.endswith("…")
            kept = short[:-1][len(lead) :]
            assert kept == grapheme * (len(kept) // len(grapheme)), (limit, lead, short)


def test_short_text_never_splits_a_surrogate_pair():
    text = "ab" + "\ud83d\ude00" * 10  # a pair kept as two code points (e.g. surrogatepass)
    for limit in range(3, 12):
        short = wording.short_text(text, limit)
        assert not short[:-1].endswith("\ud83d"), short


def test_text_is_shortened_in_one_place():
    """Nothing outside wording.short_text adds '…' to cut text ('[:n] + "…"' and the like)."""
    root = Path(__file__).resolve().parents[3]
    pattern = re.compile(r"\[:[^\]]*\]\s*\+\s*[\"']…|[\"']…[\"']\s*(if|$)")
    for folder in ("data_access", "pages"):
        for path in (root / folder).rglob("*.py"):
            if path.name == "wording.py":
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                assert not pattern.search(line), f"{path}:{number}: {line.strip()}"


def test_key_lines_use_the_status_words_of_the_rules():
    """A coded-status key line ('1 = Red', '4 - Complete') is recognised by every colour name and
    label of rules.STATUS_STYLE, the one list of status words (importer.reading.sheet_rows used a copy)."""
    from data_access.domain.rules import STATUS_STYLE
    from data_access.importer.reading import sheet_rows

    words = [w for style in STATUS_STYLE.values() if style.rag_name for w in (style.rag_name, style.label)]
    assert {w.lower() for w in words} == {
        "blue",
        "complete",
        "green",
        "on track",
        "amber",
        "at risk",
        "red",
        "off track",
    }
    for number, word in enumerate(words, start=1):
        for line in (f"{number} = {word}", f"{number} - {word.upper()} (see notes)", f"{number}: {word.lower()}"):
            assert sheet_rows.is_legend_row([line]), line
    assert not sheet_rows.is_legend_row(["1 = Purple"]) and not sheet_rows.is_legend_row(["1 = Ongoing"])


def test_overdue_comparison_rule_says_the_date_in_plain_words():
    q4 = dt.date(2018, 3, 31)
    assert wording.overdue_comparison_rule(q4, q4) == (
        "Overdue at each review is counted on that review's own date, so reviews are compared like with like."
    )
    # The Rutland sample's Q4 2017/18 shown with overdue as at today: a date and a plain span, no day count.
    rule = wording.overdue_comparison_rule(dt.date(2026, 12, 7), q4)
    assert rule.startswith("Overdue for the review shown is counted as at 7 December 2026, about 9 years after it;")
    assert "days" not in rule and "own date" not in rule
    assert "counted as at 14 April 2018, 2 weeks after it" in wording.overdue_comparison_rule(dt.date(2018, 4, 14), q4)
    assert "1 day after it" in wording.overdue_comparison_rule(dt.date(2018, 4, 1), q4)
    # 'Overdue as at' before the review counts at the review's own date (rules.overdue_lag_days).
    assert "own date" in wording.overdue_comparison_rule(dt.date(2018, 1, 1), q4)


@pytest.mark.parametrize(
    ("days", "said"),
    [(1, "1 day"), (13, "13 days"), (14, "2 weeks"), (62, "9 weeks"), (63, "about 2 months"),
     (365, "about 12 months"), (730, "about 2 years"), (3173, "about 9 years")],
)  # fmt: skip
def test_span_text(days, said):
    assert wording.span_text(days) == said


def test_describe_filters_with_partner():
    assert wording.describe_filters() == ""
    assert wording.describe_filters("b", "Head of Service", ("red", "amber"), "Cleveland Police") == (
        "recommendation b; lead Head of Service; status Off track or At risk; partner Cleveland Police"
    )


def test_share_text_puts_the_counts_beside_the_percentage():
    assert wording.share_text(42, 5, 12) == "42% (5 of 12)"
    assert wording.share_text(100, 3, 3, "actions") == "100% (3 of 3 actions)"
