"""The sample plans: real recommendation counts, realistic and deterministic histories."""

from __future__ import annotations

import re
from itertools import pairwise

import pytest

from data_access.domain.rules import (
    COMPLETE,
    RED,
    UNKNOWN,
    financial_quarter,
    normalise_status,
    parse_timescale,
    quarter_end,
)
from sample_data.layouts import LAYOUTS
from sample_data.plans import build_plans

EXPECTED_REFS = {
    "rutland-2017": list("abcdefghijklmnopq"),
    "north-tyneside-2017": [str(n) for n in range(1, 8)],
    "stockton-sif-2016": list("abcdefghij"),
    "stockton-jtai-2018": list("abcde"),
}
# Every lead is a job title: it contains one of these words.
TITLE_WORDS = ("Director", "Head", "Manager", "Officer", "Worker", "Nurse", "Doctor", "Inspector", "Consultant")
# Forms a person's name would take in a council document.
NAME_MARKERS = re.compile(r"\b(Mr|Mrs|Ms|Miss|Dr|Cllr|Councillor)\b\.?|@")
FIRST_NAMES = {"Jacqui", "Martin", "Nik", "Alison", "Ann", "Ian", "Roger", "Tim", "Sarah", "John", "David", "Lisa"}
JTAI_PARTNERS = {
    "Cleveland Police",
    "National Probation Service",
    "Durham Tees Valley Community Rehabilitation Company",
    "NHS Hartlepool and Stockton-on-Tees CCG",
    "North Tees and Hartlepool NHS Foundation Trust",
    "Stockton-on-Tees Borough Council",
    "Stockton LSCB",
}


@pytest.fixture(scope="module")
def plans():
    return {plan.slug: plan for plan in build_plans()}


def _key(row):
    return (row.rec_ref, row.action_id or row.description)


def _all_rows(plans):
    return [(plan, review, row) for plan in plans.values() for review in plan.reviews for row in review.rows]


def test_four_plans_with_their_real_recommendation_refs(plans):
    assert set(plans) == set(EXPECTED_REFS)
    for slug, refs in EXPECTED_REFS.items():
        for review in plans[slug].reviews:
            seen = list(dict.fromkeys(row.rec_ref for row in review.rows))
            assert seen == refs, (slug, review.as_at)


def test_recommendation_texts_are_the_reports_words(plans):
    texts = {(slug, row.rec_ref): row.rec_text for slug, plan in plans.items() for row in plan.reviews[0].rows}
    assert texts[("rutland-2017", "p")] == (
        "Ensure that children have timely access to health services, including specialist provision."
    )
    # OCR 'returnhome' mended; the rest exactly as printed.
    assert "information gathered during return home interviews is used to reduce risk" in texts[("rutland-2017", "j")]
    assert texts[("north-tyneside-2017", "3")] == (
        "Improve the timeliness with which designated officers complete investigations."
    )
    assert texts[("stockton-sif-2016", "j")].startswith(
        "Continue to challenge and monitor the attendance of Cleveland Police at strategy meetings"
    )
    assert texts[("stockton-jtai-2018", "a")] == "The resilience of the Children's Hub"
    for (slug, ref), text in texts.items():
        assert text and "  " not in text and "returnhome" not in text, (slug, ref)


def test_each_recommendation_has_two_to_five_actions_in_every_review(plans):
    for plan, review, _ in _all_rows(plans):
        counts: dict[str, int] = {}
        for row in review.rows:
            counts[row.rec_ref] = counts.get(row.rec_ref, 0) + 1
        assert all(2 <= n <= 5 for n in counts.values()), (plan.slug, review.as_at, counts)


def test_four_quarterly_reviews_in_date_order_after_publication(plans):
    for plan in plans.values():
        dates = [review.as_at for review in plan.reviews]
        assert len(dates) == 4 and dates == sorted(dates) and len(set(dates)) == 4
        for day in dates:
            assert quarter_end(*financial_quarter(day)) == day, "as-at dates are financial quarter ends"
        info = plan.info
        assert info.inspection_start < info.inspection_end < info.published_on < dates[0] < info.target_date


def test_sheet_per_review_plans_name_sheets_by_quarter(plans):
    for plan in plans.values():
        layout = LAYOUTS[plan.layout]
        for review in plan.reviews:
            assert (review.sheet == "") == layout.file_per_review
            if review.sheet:
                assert re.fullmatch(r"Q[1-4] \d{4}-\d{2}", review.sheet)


def test_leads_are_job_titles_not_people(plans):
    leads = {row.lead for _, _, row in _all_rows(plans)}
    assert len(leads) > 20
    for lead in leads:
        assert any(word in lead for word in TITLE_WORDS), lead
        assert not NAME_MARKERS.search(lead), lead
        assert not set(lead.split()) & FIRST_NAMES, lead


def test_no_person_names_anywhere_in_the_data(plans):
    for _, _, row in _all_rows(plans):
        for text in (row.rec_text, row.description, row.lead, row.partner, row.measure, row.progress):
            if text:
                assert not NAME_MARKERS.search(text), text
                assert not set(re.findall(r"[A-Z][a-z]+", text)) & FIRST_NAMES, text


def test_only_the_jtai_plan_names_partner_agencies(plans):
    for plan, _, row in _all_rows(plans):
        if plan.slug == "stockton-jtai-2018":
            assert row.partner in JTAI_PARTNERS
        else:
            assert row.partner is None
    partners = {row.partner for row in plans["stockton-jtai-2018"].reviews[-1].rows}
    assert {"Cleveland Police", "National Probation Service", "Stockton-on-Tees Borough Council"} <= partners
    assert any("NHS" in p or "CCG" in p for p in partners)


def test_north_tyneside_has_no_action_ids_and_the_others_unique_ones(plans):
    for plan in plans.values():
        for review in plan.reviews:
            ids = [row.action_id for row in review.rows]
            if plan.slug == "north-tyneside-2017":
                assert ids == [None] * len(ids)
            else:
                assert None not in ids and len(set(ids)) == len(ids)


def test_statuses_move_towards_complete(plans):
    for plan in plans.values():
        first, last = plan.reviews[0].rows, plan.reviews[-1].rows
        assert sum(r.status == COMPLETE for r in last) > sum(r.status == COMPLETE for r in first), plan.slug
    # ...but not everything: some actions are still red at the end of some plans.
    assert any(row.status == RED for plan in plans.values() for row in plan.reviews[-1].rows)


def test_some_actions_slip(plans):
    severity = {"complete": 0, "green": 1, "amber": 2, "red": 3}
    slipped = 0
    for plan in plans.values():
        for before, after in pairwise(plan.reviews):
            old = {_key(r): r.status for r in before.rows}
            for row in after.rows:
                if old.get(_key(row)) in severity and row.status in severity:
                    slipped += severity[row.status] > severity[old[_key(row)]]
    assert slipped >= 5


def test_an_action_is_added_mid_way_and_one_dropped(plans):
    added = dropped = 0
    for plan in plans.values():
        first = {_key(r) for r in plan.reviews[0].rows}
        third = {_key(r) for r in plan.reviews[2].rows}
        last = {_key(r) for r in plan.reviews[-1].rows}
        added += len((third & last) - first)
        dropped += len(third - last)
    assert added >= 1 and dropped >= 1
    # North Tyneside's added action has no ID, so a re-import must match it by text.
    nt = plans["north-tyneside-2017"]
    assert {_key(r) for r in nt.reviews[2].rows} - {_key(r) for r in nt.reviews[0].rows}


def test_a_couple_of_blank_statuses_in_the_first_review(plans):
    blanks = [row for plan in plans.values() for row in plan.reviews[0].rows if row.status == UNKNOWN]
    assert len(blanks) >= 2
    assert all(row.status_raw is None for row in blanks)
    later = [row for plan in plans.values() for review in plan.reviews[2:] for row in review.rows]
    assert all(row.status != UNKNOWN for row in later)


def test_timescales_are_parsed_raw_text_in_messy_real_forms(plans):
    raws = set()
    for _, _, row in _all_rows(plans):
        ts = row.timescale
        assert ts.kind != "invalid", ts
        assert ts == parse_timescale(ts.raw)
        raws.add(ts.raw)
    for example in ("Sept 17", "Ongoing", "Monthly", "31/07/2017", "End of June 2017", "Q2 2017/18", "March 2018"):
        assert example in raws
    assert {parse_timescale(r).kind for r in raws} >= {"date", "ongoing", "recurring"}


def test_some_due_dates_move_later(plans):
    moved = []
    for plan in plans.values():
        for before, after in pairwise(plan.reviews):
            old = {_key(r): r.timescale for r in before.rows}
            for row in after.rows:
                was = old.get(_key(row))
                if was and was.raw != row.timescale.raw:
                    assert row.timescale.due > was.due, "a timescale only ever moves later"
                    moved.append(row.timescale.raw)
    assert len(moved) >= 4
    assert "Sept 17" in moved


def test_some_progress_notes_are_stale_copies(plans):
    stale = 0
    for plan in plans.values():
        for before, after in pairwise(plan.reviews):
            old = {_key(r): r.progress for r in before.rows}
            stale += sum(1 for row in after.rows if row.progress and row.progress == old.get(_key(row)))
    assert stale >= 10
    assert all(row.progress for plan, review, row in _all_rows(plans) if review is not plan.reviews[0])


def test_status_text_and_colour_say_the_same_as_the_status(plans):
    for plan, _, row in _all_rows(plans):
        layout = LAYOUTS[plan.layout]
        if layout.status_words is None:
            assert row.status_raw is None
            assert row.status_from_colour == (row.status != UNKNOWN)
        else:
            assert normalise_status(row.status_raw) == row.status
            assert not row.status_from_colour


def test_source_rows_are_consecutive_below_the_header(plans):
    for plan in plans.values():
        first = LAYOUTS[plan.layout].first_data_row
        for review in plan.reviews:
            assert [row.source_row for row in review.rows] == list(range(first, first + len(review.rows)))


def test_build_is_deterministic_and_returns_fresh_objects():
    one, two = build_plans(), build_plans()
    assert one == two
    one[0].info.name = "changed"
    assert build_plans()[0].info.name != "changed"
