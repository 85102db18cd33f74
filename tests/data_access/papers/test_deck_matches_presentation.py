"""The PowerPoint is the presentation mode's deck (issue 22, "the papers are the deck"): for every
sample plan, at its latest review with overdue counted at the next quarter's meeting, the slides
after the title slide have the presentation mode's titles in its order, and each list slide holds
the same items as the presentation slide of the same place.

The presentation mode's slides are computed here as pages/ui/deck.build computes them (the page
module imports Streamlit, so its reads are repeated here, uncached): the reads each list comes from,
then data_access.reads.deck_plan. An earlier PowerPoint had 22 slides against the on-screen
deck's 31 for Rutland (no green-but-overdue, no direction of travel; 7 rows a slide whatever
their length), and fails here."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pptx import Presentation

from data_access.domain import slide_layout
from data_access.importer.sample_seed import seed
from data_access.papers.paper_service import PaperRequest, make_paper
from data_access.reads import (
    board,
    catalogue,
    deck_plan,
    direction_of_travel,
    measures,
    movements,
    review_figures,
    review_lookup,
    review_summary,
    signoff_figures,
)
from data_access.storage.database import make_engine, upgrade

MEETING_AFTER = dt.timedelta(days=110)
ZWSP = "\u200b"


@pytest.fixture(scope="module")
def sample(tmp_path_factory, migrated_sqlite_template):
    path = tmp_path_factory.mktemp("deck") / "board.db"
    path.write_bytes(migrated_sqlite_template.read_bytes())
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    seed(engine)
    yield engine
    engine.dispose()


def _plans():
    from sample_data.plans import build_plans

    return [plan.info.name for plan in build_plans()]


def presentation_slides(engine, plan_id: int, plan_name: str, review_id: int, previous_id: int | None, as_of):
    """The presentation mode's deck with no filters, read as pages/ui/deck.build reads it."""
    actions = review_figures.review_actions(engine, review_id, as_of)
    moves = changes = said = direction = None
    if previous_id is not None:
        moves = movements.transitions(engine, previous_id, review_id)
        changes = deck_plan.change_rows(moves, board.filter_actions(actions))
        said = review_summary.since_last_review_summary(engine, plan_id, previous_id, review_id)
        direction = deck_plan.direction_rows(
            direction_of_travel.direction_by_recommendation(engine, previous_id, review_id)
        )
    lists = deck_plan.DeckLists(
        plan_name=plan_name,
        as_of=as_of,
        by_rec=board.recommendation_summary(engine, review_id, as_of),
        actions=board.filter_actions(actions),
        overdue=board.sort_overdue(board.overdue_actions(engine, review_id, as_of), "plan"),
        challenge=board.green_but_overdue(engine, review_id, as_of),
        changes=changes,
        moves=moves,
        summary=said,
        direction=direction,
        partners=bool(deck_plan.partners_of(actions)),
        measures=_measure_rows(engine, plan_id, review_id),
        signoff=deck_plan.signoff_rows(signoff_figures.awaiting_signoff(engine, review_id)),
        date_changes=deck_plan.date_change_rows(signoff_figures.changes_for_approval(engine, plan_id, review_id)),
    )
    return lists, deck_plan.plan(lists)


def _measure_rows(engine, plan_id: int, review_id: int):
    """pages/ui/deck.measures: the plan's measures as they stood at the review's date (None: none)."""
    found = measures.plan_measures(engine, plan_id)
    if not found:
        return None
    as_at = next(r.as_at for r in review_lookup.current_reviews(engine, plan_id) if r.id == review_id)
    return deck_plan.measure_rows([m.as_at(as_at) for m in found])


def _table_keys(slide) -> list[str]:
    """The Action column of the slide's table (none: [])."""
    tables = [shape.table for shape in slide.shapes if shape.has_table]
    if not tables:
        return []
    header = [c.text for c in tables[0].rows[0].cells]
    if "Action" not in header:
        return []
    column = header.index("Action")
    return [row.cells[column].text.replace(ZWSP, "") for row in list(tables[0].rows)[1:]]


@pytest.mark.parametrize("plan_name", _plans())
def test_the_slides_are_the_presentation_modes_slides_in_its_order(sample, plan_name):
    plans = catalogue.list_plans(sample)
    plan_id = int(plans.loc[plans["name"] == plan_name, "id"].iloc[0])
    reviews = review_lookup.current_reviews(sample, plan_id)
    review, previous = reviews[-1], (reviews[-2] if len(reviews) > 1 else None)
    as_of = review.as_at + MEETING_AFTER
    lists, planned = presentation_slides(
        sample, plan_id, plan_name, review.id, previous.id if previous else None, as_of
    )

    data = make_paper(sample, PaperRequest("pptx", plan_id, review_id=review.id, as_of=as_of)).data
    deck = Presentation(io.BytesIO(data))
    slides = list(deck.slides)[1:]  # after the title slide
    assert [s.shapes.title.text for s in slides] == [s.title for s in planned]

    kinds = {s.kind for s in planned}
    assert {slide_layout.OVERVIEW, slide_layout.RECOMMENDATION, slide_layout.OVERDUE, slide_layout.MIX} <= kinds
    if previous is not None:
        assert {slide_layout.CHANGES, slide_layout.DIRECTION} <= kinds
    if not lists.challenge.empty:
        assert slide_layout.CHALLENGE in kinds
    # The board's decisions (issue 25): every sample plan has actions awaiting sign-off and dates moved
    # without approval (sample_data), so both slides are in both decks.
    assert {slide_layout.SIGNOFF, slide_layout.DATE_CHANGES} <= kinds

    for slide, plan in zip(slides, planned, strict=True):
        if plan.kind == slide_layout.RECOMMENDATION:
            expected = lists.actions_of(plan.rec)["key"]
        elif plan.kind == slide_layout.OVERDUE:
            expected = lists.overdue["key"]
        elif plan.kind == slide_layout.CHALLENGE:
            expected = lists.challenge["key"]
        elif plan.kind == slide_layout.CHANGES:
            expected = lists.changes["key"]
        elif plan.kind == slide_layout.SIGNOFF:
            expected = lists.signoff["key"]
        elif plan.kind == slide_layout.DATE_CHANGES:
            expected = lists.date_changes["key"]
        else:
            charts = [shape.chart for shape in slide.shapes if shape.has_chart]
            if plan.kind == slide_layout.OVERVIEW:  # this slide's share of the recommendations
                refs = [f"Rec {r}" for r in lists.by_rec["ref"].iloc[plan.start : plan.stop]]
                assert len(charts) == 1 and list(charts[0].plots[0].categories) == refs, plan.title
            elif plan.kind == slide_layout.MIX:
                assert len(charts) == 1 and len(list(charts[0].plots[0].categories)) == len(reviews)
            elif plan.kind == slide_layout.DIRECTION:
                table = next(shape.table for shape in slide.shapes if shape.has_table)
                assert len(table.rows) - 1 == plan.stop - plan.start, plan.title
            continue
        assert _table_keys(slide) == [str(k) for k in expected.iloc[plan.start : plan.stop]], plan.title


def test_rutland_has_every_slide_of_the_presentation_mode(sample):
    """The case the issue found: Rutland's deck had 22 slides against presentation mode's 31."""
    plans = catalogue.list_plans(sample)
    rutland = next(name for name in plans["name"] if "Rutland" in name)
    plan_id = int(plans.loc[plans["name"] == rutland, "id"].iloc[0])
    reviews = review_lookup.current_reviews(sample, plan_id)
    review, previous = reviews[-1], reviews[-2]
    as_of = review.as_at + MEETING_AFTER
    _, planned = presentation_slides(sample, plan_id, rutland, review.id, previous.id, as_of)
    data = make_paper(sample, PaperRequest("pptx", plan_id, review_id=review.id, as_of=as_of)).data
    titles = [s.shapes.title.text for s in Presentation(io.BytesIO(data)).slides][1:]
    assert titles == [s.title for s in planned]
    for kind in ("Challenge: green but overdue", "Status mix at each review", "Direction of travel"):
        assert any(title.startswith(kind) for title in titles), kind
    assert len(titles) + 1 > 22
