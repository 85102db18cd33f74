"""The slide plan: which items go on which slide so each fits the projector (data_access.domain.slide_layout).
Pure functions; the browser tests measure the real slides (tests/browser/test_slides_fit.py)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from data_access.domain import slide_layout as sp
from data_access.domain.slide_layout import DeckFacts, RecommendationFacts, Table

LONG = "Develop a monthly children's services scorecard covering contacts, referrals, assessments and plans"


def table(rows: int, text: str = "Short", caption: str = "") -> Table:
    return Table(
        sp.OVERDUE_COLUMNS,
        {name: name.title() for name, _ in sp.OVERDUE_COLUMNS},
        tuple({"description": text, "key": f"{i}.1", "status": "✖ R Off track"} for i in range(rows)),
        caption,
    )


def used(table: Table, start: int, stop: int) -> tuple[float, ...]:
    heights = table.row_heights()[start:stop]
    return tuple(sum(h[i] for h in heights) for i in range(len(sp.SCREENS)))


def test_cell_lines_wrap_at_the_column_width():
    assert sp.cell_lines("", 10) == 1
    assert sp.cell_lines("word", 10) == 1
    narrow, wide = sp.cell_lines(LONG, 5), sp.cell_lines(LONG, 48)
    assert narrow > wide == 1
    assert sp.cell_lines("31 Mar 2018\n“March 2018”", 20) == 2  # a due date and the tracker's words


def test_a_row_is_as_tall_as_its_tallest_cell_and_taller_on_the_narrower_screen():
    short = sp.row_rem({"description": "Short"}, sp.OVERDUE_COLUMNS, sp.SCREENS[0])
    long_1280, long_1024 = (sp.row_rem({"description": LONG * 2}, sp.OVERDUE_COLUMNS, s) for s in sp.SCREENS)
    assert short == pytest.approx(sp.LINE_REM + sp.ROW_PAD_REM)
    assert long_1024 > long_1280 > short


@pytest.mark.parametrize(
    ("heights", "budget", "first", "expected"),
    [
        ([], 10, None, [(0, 0)]),  # nothing to list: one slide saying so
        ([1.0] * 7, 7, None, [(0, 7)]),
        ([1.0] * 17, 7, None, [(0, 6), (6, 12), (12, 17)]),  # evened out, not 7 + 7 + 3
        ([1.0] * 8, 7, None, [(0, 4), (4, 8)]),  # not 7 + 1
        ([30.0, 2.0, 2.0], 20, None, [(0, 1), (1, 3)]),  # too tall for any slide: a slide of its own
        ([3.0] * 10, 20, 10, [(0, 3), (3, 7), (7, 10)]),  # the first slide has less room: filled; the rest evened
    ],
)
def test_chunk(heights, budget, first, expected):
    assert sp.chunk(heights, budget, first) == expected


def test_chunk_fits_every_screen():
    # Rows tall on the second screen only: the second screen decides.
    heights = [(1.0, 4.0)] * 6
    parts = sp.chunk(heights, (10.0, 10.0))
    assert all(sum(h[1] for h in heights[a:b]) <= 10 for a, b in parts)
    assert len(parts) == 3


def test_every_slide_of_a_long_list_fits_its_budget_on_every_screen():
    overdue = table(40, LONG, caption="Overdue means not complete and due before 14 April 2018.")
    parts = sp.chunk(overdue.row_heights(), overdue.budget())
    assert len(parts) > 3 and parts[0][0] == 0 and parts[-1][1] == 40
    assert all(a < b for a, b in parts) and all(parts[i][1] == parts[i + 1][0] for i in range(len(parts) - 1))
    for a, b in parts:
        assert all(u <= room for u, room in zip(used(overdue, a, b), overdue.budget(), strict=True))


def test_a_longer_caption_leaves_less_room():
    short, long = table(1, caption="x"), table(1, caption=LONG * 4)
    assert all(s > lg for s, lg in zip(short.budget(), long.budget(), strict=True))


def facts(recs: int = 3, actions: int = 2, overdue: int = 3, challenge: int = 0, previous: bool = True) -> DeckFacts:
    rec_facts = tuple(
        RecommendationFacts(f"r{i}", LONG, "50% complete\nOverdue: 1\nMix: ✔ B Complete: 1", table(actions))
        for i in range(recs)
    )
    return DeckFacts(
        recommendations=rec_facts,
        changes=table(4) if previous else None,
        summary="Since Q1: 1 action completed." if previous else None,
        overdue=table(overdue),
        challenge=table(challenge),
        direction=table(recs) if previous else None,
    )


def test_the_running_order_of_a_meeting():
    deck = sp.plan_deck(facts(challenge=1))
    assert [s.title for s in deck] == [
        "Overview",
        "Since the last review",
        "Recommendation r0",
        "Recommendation r1",
        "Recommendation r2",
        "Overdue actions",
        "Challenge: green but overdue",
        "Status mix at each review",
        "Direction of travel",
    ]
    assert [s.page for s in deck] == ["overview"] * 2 + ["recommendations"] * 3 + ["overdue"] * 2 + ["trends"] * 2
    # Parts number a page's slides (per recommendation on the recommendations page).
    assert [s.part for s in deck] == [1, 2, 1, 1, 1, 1, 2, 1, 2]


def test_first_review_has_no_comparison_slides_and_no_empty_challenge():
    kinds = [s.kind for s in sp.plan_deck(facts(previous=False))]
    assert sp.CHANGES not in kinds and sp.DIRECTION not in kinds and sp.CHALLENGE not in kinds
    assert kinds.count(sp.MIX) == 1


def test_long_lists_continue_on_numbered_slides():
    deck = sp.plan_deck(facts(recs=17, actions=30, overdue=60))
    overview = [s for s in deck if s.kind == sp.OVERVIEW]
    assert [s.title for s in overview] == ["Overview (1 of 3)", "Overview (2 of 3)", "Overview (3 of 3)"]
    assert [(s.start, s.stop) for s in overview] == [(0, 6), (6, 12), (12, 17)]
    overdue = [s for s in deck if s.kind == sp.OVERDUE]
    assert len(overdue) > 2 and overdue[1].title == f"Overdue actions (2 of {len(overdue)})"
    assert overdue[0].start == 0 and overdue[-1].stop == 60
    r0 = [s for s in deck if s.rec == "r0"]
    assert len(r0) > 1 and [s.part for s in r0] == list(range(1, len(r0) + 1))
    # The first slide of a recommendation also shows its text and figures: it holds fewer actions.
    assert r0[0].stop - r0[0].start <= r0[1].stop - r0[1].start


def test_position_and_parts():
    deck = sp.plan_deck(facts(recs=2, overdue=60))
    assert sp.position(deck, "overview", None, 1) == 0
    assert deck[sp.position(deck, "recommendations", "r1", 1)].title == "Recommendation r1"
    assert sp.position(deck, "recommendations", "nope", 1) is None
    overdue_parts = sp.parts_of(deck, "overdue", None)
    assert overdue_parts > 1 and sp.position(deck, "overdue", None, overdue_parts + 1) is None


def test_partner_column_narrows_the_others():
    columns = sp.with_partner(sp.ACTION_COLUMNS)
    names = [n for n, _ in columns]
    assert names.index("partner") == names.index("lead") + 1
    assert sum(w for _, w in columns) == pytest.approx(1.0, abs=0.01)
    assert sp.with_partner(sp.DIRECTION_COLUMNS) == sp.DIRECTION_COLUMNS  # no lead, no partner


def exception_table(rows: int) -> Table:
    return Table(
        sp.EXCEPTION_COLUMNS,
        {name: name.title() for name, _ in sp.EXCEPTION_COLUMNS},
        tuple(
            {"key": f"{i}.1", "status": "▲ A At risk", "what": LONG, "mitigation": LONG, "ask": "Agree funding"}
            for i in range(rows)
        ),
        "1 action off track (red), 2 at risk (amber) and 1 due date moved without approval.",
    )


def test_the_exception_report_is_its_own_slide_set_that_fits_every_screen():
    assert sum(w for _, w in sp.EXCEPTION_COLUMNS) == pytest.approx(1.0)
    long = exception_table(30)
    deck = sp.plan_exceptions(long)
    assert len(deck) > 2
    assert {s.page for s in deck} == {sp.EXCEPTIONS_PAGE} and {s.kind for s in deck} == {sp.EXCEPTIONS}
    assert [s.part for s in deck] == list(range(1, len(deck) + 1))
    assert deck[0].title == f"Exception report (1 of {len(deck)})"
    assert deck[0].start == 0 and deck[-1].stop == 30
    for slide in deck:
        assert all(u <= room for u, room in zip(used(long, slide.start, slide.stop), long.budget(), strict=True))
    # the meeting's deck is not changed by it
    assert sp.EXCEPTIONS not in {s.kind for s in sp.plan_deck(facts())}


def test_no_exceptions_is_one_slide_that_says_so():
    assert sp.plan_exceptions(exception_table(0)) == [sp.Slide(sp.EXCEPTIONS_PAGE, sp.EXCEPTIONS, "Exception report")]


def measures_table(rows: int) -> Table:
    return Table(
        sp.MEASURE_COLUMNS,
        {name: name.title() for name, _ in sp.MEASURE_COLUMNS},
        tuple(
            {
                "name": f"Measure {i}",
                "latest": "85% (30 Sep 2024)",
                "target": "80%",
                "met": "Met",
                "change": "up 15 percentage points since 30 June 2024",
            }
            for i in range(rows)
        ),  # fmt: skip
        "Plan: Measures at target: 1 of 1.",
    )


def test_measures_of_success_come_last_on_the_trends_page_and_continue_when_long():
    with_three = sp.plan_deck(replace(facts(), measures=measures_table(3)))
    assert [(s.title, s.page, s.part, s.start, s.stop) for s in with_three[-3:]] == [
        ("Status mix at each review", "trends", 1, 0, 0),
        ("Direction of travel", "trends", 2, 0, 3),
        ("Measures of success", "trends", 3, 0, 3),
    ]
    assert sp.MEASURES not in [s.kind for s in sp.plan_deck(replace(facts(), measures=measures_table(0)))]
    long = [s for s in sp.plan_deck(replace(facts(), measures=measures_table(40))) if s.kind == sp.MEASURES]
    assert len(long) > 1 and long[0].title == f"Measures of success (1 of {len(long)})"
    assert long[0].start == 0 and long[-1].stop == 40
    table = measures_table(40)
    for s in long:
        assert all(u <= room for u, room in zip(used(table, s.start, s.stop), table.budget(), strict=True))
    # Without the trends slides, the measures are the trends page's first slides.
    alone = sp.plan_deck(replace(facts(), with_trends=False, measures=measures_table(2)))
    assert [(s.kind, s.part) for s in alone if s.page == "trends"] == [(sp.MEASURES, 1)]


def _decision_table(columns: sp.Columns, rows: int, text: str = "Short") -> Table:
    return Table(
        columns,
        {name: name.title() for name, _ in columns},
        tuple({name: text for name, _ in columns} | {"rec_ref": "1", "key": f"{i}.1"} for i in range(rows)),
    )


def test_the_boards_decisions_come_after_the_overdue_slides_and_only_when_there_are_any():
    """Issue 25: For sign-off, then Date changes for approval, on the sign-off page, before the trends."""
    import dataclasses

    with_both = dataclasses.replace(
        facts(), signoff=_decision_table(sp.SIGNOFF_COLUMNS, 2), date_changes=_decision_table(sp.DATE_CHANGE_COLUMNS, 1)
    )
    deck = sp.plan_deck(with_both)
    titles = [s.title for s in deck]
    assert titles[titles.index("Overdue actions") + 1 :] == [
        "For sign-off",
        "Date changes for approval",
        "Status mix at each review",
        "Direction of travel",
    ]
    decisions = [s for s in deck if s.page == "sign-off"]
    assert [(s.kind, s.part, s.start, s.stop) for s in decisions] == [(sp.SIGNOFF, 1, 0, 2), (sp.DATE_CHANGES, 2, 0, 1)]
    empty = dataclasses.replace(
        facts(), signoff=_decision_table(sp.SIGNOFF_COLUMNS, 0), date_changes=_decision_table(sp.DATE_CHANGE_COLUMNS, 0)
    )
    assert not [s for s in sp.plan_deck(empty) if s.page == "sign-off"]


def test_long_evidence_continues_on_numbered_slides_that_each_fit():
    signoff = _decision_table(sp.SIGNOFF_COLUMNS, 20, (LONG + " ")[:80] * 2)  # deck_plan.signoff_rows cuts at 160
    deck = sp.plan_deck(replace(facts(), signoff=signoff))
    parts = [s for s in deck if s.kind == sp.SIGNOFF]
    assert len(parts) > 2 and parts[-1].title == f"For sign-off ({len(parts)} of {len(parts)})"
    for s in parts:
        assert all(u <= b for u, b in zip(used(signoff, s.start, s.stop), signoff.budget(), strict=True))
