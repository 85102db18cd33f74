"""The sample Word action plan (sample_data/documents/): byte-stable, and it imports as the first
review of its plan, as the plan's Excel tracker does (issue 28 item 5)."""

from __future__ import annotations

import datetime as dt

import pytest

from data_access.importer import read_tracker
from sample_data.generate import DOCUMENTS_DIR, TRACKERS_DIR, WORD_PLANS, build_word_plans, check_documents
from sample_data.plans import build_plans

SLUG = "north-tyneside-2017"


@pytest.fixture(scope="module")
def plan():
    return next(p for p in build_plans() if p.slug == SLUG)


def _facts(rows):
    return [
        (r.rec_ref, r.rec_text, r.description, r.lead, r.measure, r.timescale.due, r.timescale.precision, r.status)
        for r in rows
    ]


def test_the_committed_word_plan_matches_a_fresh_generation_byte_for_byte():
    assert check_documents() == []
    assert build_word_plans() == build_word_plans()  # fixed document and zip times


def test_the_word_plan_imports_as_the_first_review_of_its_plan(plan):
    data = (DOCUMENTS_DIR / WORD_PLANS[SLUG]).read_bytes()
    parsed = read_tracker(data, WORD_PLANS[SLUG])
    first = plan.reviews[0]
    assert parsed.kind == "docx"
    assert parsed.title == plan.info.name == "North Tyneside Council \u2013 Post-Inspection Action Plan 2017"
    [review] = parsed.reviews
    assert review.as_at == first.as_at == dt.date(2017, 9, 30)
    assert _facts(review.rows) == _facts(first.rows)
    # By hand, from plans.py's first status letters: 7 recommendations, 17 actions; 1 amber 4, 1 red
    # (designated officer tracking), 1 unknown (life story books), the rest green.
    assert len({r.rec_ref for r in review.rows}) == 7 and len(review.rows) == 17
    statuses = [r.status for r in review.rows]
    assert (statuses.count("green"), statuses.count("amber"), statuses.count("red")) == (11, 4, 1)
    assert statuses.count("unknown") == 1
    assert all(r.status_from_colour for r in review.rows if r.status != "unknown")


def test_the_word_plan_reads_as_the_trackers_first_sheet(plan):
    tracker = plan.tracker_file(plan.reviews[0])
    from_excel = read_tracker((TRACKERS_DIR / tracker).read_bytes(), tracker, sheet=plan.reviews[0].sheet)
    from_word = read_tracker((DOCUMENTS_DIR / WORD_PLANS[SLUG]).read_bytes(), WORD_PLANS[SLUG])
    assert from_word.title == from_excel.title
    [excel_review] = [r for r in from_excel.reviews if r.as_at == plan.reviews[0].as_at]
    assert _facts(from_word.reviews[0].rows) == _facts(excel_review.rows)
