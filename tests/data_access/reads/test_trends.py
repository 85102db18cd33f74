"""Trends between reviews, on a small plan whose answers were worked out by hand.

The plan is built by `build_testshire` in tests/fixtures.py; its table of statuses is there.
"""

from __future__ import annotations

import datetime as dt

import pytest

from data_access.domain import rules, wording
from data_access.domain.rules import STATUSES
from data_access.domain.tracker_rows import PlanInfo, ReviewSnapshot
from data_access.reads import (
    completion_forecast,
    direction_of_travel,
    movements,
    review_lookup,
    review_summary,
    stale_notes,
    status_mix,
)
from data_access.storage.database import write_transaction
from data_access.storage.plan_writer import ensure_plan, save_review
from tests.fixtures import DIR, HOS, PSW, build_testshire, rows_testshire_q1
from tests.fixtures import TRENDS_Q1 as Q1
from tests.fixtures import TRENDS_Q2 as Q2
from tests.fixtures import TRENDS_Q3 as Q3
from tests.fixtures import _trend_row as _row


@pytest.fixture
def engine(any_engine):
    """Every database test here runs on SQLite and on PostgreSQL (the SQL must be portable)."""
    return any_engine


@pytest.fixture
def plan(engine):
    return build_testshire(engine)


def keys(refs):
    return [r.key for r in refs]


# --- reviews ------------------------------------------------------------------------------


def test_current_reviews_follow_as_at_order_and_skip_replaced(engine, plan):
    reviews = review_lookup.current_reviews(engine, plan["plan"])
    assert [r.id for r in reviews] == [plan["Q1"], plan["Q2"], plan["Q3"]]
    assert [r.label for r in reviews] == ["Q1 2017/18", "Q2 2017/18", "Q3 2017/18"]
    assert review_lookup.default_pair(engine, plan["plan"]) == (plan["Q2"], plan["Q3"])


def test_resolve_review_by_label_or_date(engine, plan):
    pid = plan["plan"]
    assert review_lookup.resolve_review(engine, pid, "Q2 2017/18") == plan["Q2"]  # the replaced Q2 is not a match
    assert review_lookup.resolve_review(engine, pid, " q3  2017/18") == plan["Q3"]
    assert review_lookup.resolve_review(engine, pid, "2017-06-30") == plan["Q1"]
    with pytest.raises(review_lookup.ReviewNotFound):
        review_lookup.resolve_review(engine, pid, "Q4 2017/18")
    with pytest.raises(review_lookup.ReviewNotFound):
        review_lookup.resolve_review(engine, pid, "2017-06-29")


def test_replaced_review_cannot_be_compared(engine, plan):
    with pytest.raises(review_lookup.TrendsError):
        movements.transitions(engine, plan["Q1"], plan["Q2 replaced"])


def test_default_pair_needs_two_reviews(engine):
    with write_transaction(engine) as conn:
        pid = ensure_plan(conn, PlanInfo("Lonely"))
        save_review(conn, pid, ReviewSnapshot(Q1, rows_testshire_q1()), source="only.xlsx")
    with pytest.raises(review_lookup.TrendsError, match="only one review"):
        review_lookup.default_pair(engine, pid)


# --- 1. status mix ------------------------------------------------------------------------


def test_status_mix_per_review_in_date_order_with_overdue_at_own_date(engine, plan):
    mix = status_mix.status_mix(engine, plan["plan"])
    assert list(mix["label"]) == ["Q1 2017/18", "Q2 2017/18", "Q3 2017/18"]
    assert list(mix["as_at"]) == [Q1, Q2, Q3]
    counts = [tuple(int(row[s]) for s in STATUSES) for _, row in mix.iterrows()]
    assert counts == [(1, 4, 1, 2, 1), (1, 3, 3, 1, 1), (2, 2, 2, 3, 0)]
    assert list(mix["actions"]) == [9, 9, 9]
    assert list(mix["pct_complete"]) == [11, 11, 22]
    # Q1: A3. Q2: A3, C1. Q3: A2 (revised 30/11), A3, B1, C2.
    assert list(mix["overdue"]) == [1, 2, 4]
    assert list(mix["overdue_as_of"]) == [Q1, Q2, Q3]


def test_status_mix_counts_overdue_the_same_days_after_each_review(engine, plan):
    """The overview's rule (rules.overdue_lag_days): 62 days after each review's own date."""
    mix = status_mix.status_mix(engine, plan["plan"], 62)
    assert list(mix["overdue_as_of"]) == [dt.date(2017, 8, 31), dt.date(2017, 12, 1), dt.date(2018, 3, 3)]
    # 31/08/17: A3, B2 (C1 falls due that day, not before). 01/12/17: A2 (revised 30/11), A3, B2, C1.
    # 03/03/18: A2, A3, B1, B2 (31/01/18), C2.
    assert list(mix["overdue"]) == [2, 4, 5]
    assert list(mix["complete"]) == list(status_mix.status_mix(engine, plan["plan"])["complete"])  # statuses unchanged


def test_review_owner_says_which_plan_a_review_belongs_to(engine, plan):
    from data_access.reads import catalogue

    owner = catalogue.review_owner(engine, plan["Q2"])
    assert (owner.plan_id, owner.label, owner.as_at, owner.replaced) == (plan["plan"], "Q2 2017/18", Q2, False)
    assert catalogue.review_owner(engine, plan["Q2 replaced"]).replaced
    assert catalogue.review_owner(engine, 999_999) is None


# --- 2. movements -------------------------------------------------------------------------


def test_transitions_between_last_two_reviews(engine, plan):
    t = movements.transitions(engine, plan["Q2"], plan["Q3"])
    assert (t.from_review.label, t.to_review.label) == ("Q2 2017/18", "Q3 2017/18")
    expected = {f: dict.fromkeys(STATUSES, 0) for f in STATUSES}
    expected["green"]["complete"] = 1  # A1
    expected["amber"]["red"] = 1  # A2
    expected["red"]["red"] = 1  # A3
    expected["complete"]["amber"] = 1  # B1
    expected["amber"]["green"] = 1  # B2
    expected["green"]["amber"] = 1  # B.3
    expected["unknown"]["complete"] = 1  # C3
    expected["green"]["green"] = 1  # D1
    assert t.matrix == expected
    assert keys(t.pairs) == ["A1", "A2", "A3", "B1", "B2", "B.3", "C3", "D1"]
    assert keys(t.added) == ["C2"]
    assert keys(t.dropped) == ["C1"]
    assert keys(t.completed) == ["A1", "C3"]
    assert keys(t.improved) == ["B2"]
    assert keys(t.slipped) == ["A2", "B1", "B.3"]  # amber->red, complete->amber, green->amber
    assert keys(t.unchanged_red) == ["A3"]
    assert keys(t.newly_overdue) == ["A2", "B1", "C2"]
    assert keys(t.cell("green", "amber")) == ["B.3"]
    assert t.cell("red", "green") == []


def test_action_refs_carry_id_key_and_details(engine, plan):
    t = movements.transitions(engine, plan["Q2"], plan["Q3"])
    b3 = t.cell("green", "amber")[0]
    assert b3.key == "B.3" and b3.rec_ref == "B" and b3.lead is None
    assert b3.description.startswith("Audit a sample of case files")  # as the last import wrote it
    assert isinstance(b3.action_id, int)
    added = t.added[0]
    assert (added.from_status, added.to_status, added.to_due, added.overdue_to) == (
        None,
        "red",
        dt.date(2017, 10, 31),
        True,
    )
    dropped = t.dropped[0]
    assert (dropped.from_status, dropped.to_status, dropped.overdue_from) == ("amber", None, True)


def test_text_matched_action_is_one_action_across_reviews(engine, plan):
    t = movements.transitions(engine, plan["Q1"], plan["Q3"])
    b3 = [a for a in t.pairs if a.key == "B.3"]
    assert len(b3) == 1 and (b3[0].from_status, b3[0].to_status) == ("green", "amber")
    assert "B.3" not in keys(t.added) + keys(t.dropped)


def test_due_date_moved_later_counts_history_up_to_to_review(engine, plan):
    t = movements.transitions(engine, plan["Q2"], plan["Q3"])
    # B2: 31/10/17 -> 31/01/18 (92 days); moved later twice so far (Q1->Q2 92, Q2->Q3 92).
    # The replaced Q2 (due 1/8/17) would have made a third move: it does not count.
    [move] = t.due_date_moved_later
    assert (move.action.key, move.days_later, move.times_moved_later, move.total_days_later) == ("B2", 92, 2, 184)

    t13 = movements.transitions(engine, plan["Q1"], plan["Q3"])
    got = {m.action.key: (m.days_later, m.times_moved_later, m.total_days_later) for m in t13.due_date_moved_later}
    # A2: 30/9 -> revised 30/11 (61 days), once. B2: 31/7/17 -> 31/1/18 (184 days), twice.
    assert got == {"A2": (61, 1, 61), "B2": (184, 2, 184)}

    t12 = movements.transitions(engine, plan["Q1"], plan["Q2"])
    got = {m.action.key: (m.days_later, m.times_moved_later, m.total_days_later) for m in t12.due_date_moved_later}
    assert got == {"A2": (61, 1, 61), "B2": (92, 1, 92)}  # Q3's move is after the 'to' review


def test_named_lists_are_the_fields_each_title_names(engine, plan):
    t = movements.transitions(engine, plan["Q2"], plan["Q3"])
    named = dict(t.lists())
    assert list(named) == list(movements.LIST_TITLES)  # every list, in the order the page shows them
    assert keys(named["Slipped"]) == ["A2", "B1", "B.3"]
    assert keys(named["Unchanged red"]) == ["A3"]
    assert [m.action.key for m in named["Due date moved later"]] == ["B2"]
    assert [title for title, _ in t.lists("Newly overdue", "Completed")] == ["Newly overdue", "Completed"]
    assert keys(t.lists("Added")[0][1]) == ["C2"]
    with pytest.raises(KeyError):
        t.lists("Moved")  # a title no list has is a mistake, never an empty list


def test_transitions_q1_to_q2(engine, plan):
    t = movements.transitions(engine, plan["Q1"], plan["Q2"])
    assert keys(t.slipped) == ["C1"]
    assert keys(t.improved) == ["B2"]
    assert t.completed == [] and t.added == [] and t.dropped == []
    assert keys(t.newly_overdue) == ["C1"]
    assert sum(sum(row.values()) for row in t.matrix.values()) == 9


def test_sankey_links_add_up(engine, plan):
    t = movements.transitions(engine, plan["Q2"], plan["Q3"])
    s = t.sankey()
    assert len(s.node_labels) == 12 and s.node_labels[5] == "Added" and s.node_labels[11] == "Dropped"
    assert sum(s.value) == len(t.pairs) + len(t.added) + len(t.dropped)
    links = {(s.node_status[a], s.node_status[b]): v for a, b, v in zip(s.source, s.target, s.value, strict=True)}
    assert links[("added", "red")] == 1
    assert links[("amber", "dropped")] == 1
    assert links[("green", "complete")] == 1


def test_direction_by_recommendation_each_branch(engine, plan):
    rows = {d.rec_ref: d for d in direction_of_travel.direction_by_recommendation(engine, plan["Q2"], plan["Q3"])}
    assert list(rows) == ["A", "B", "C", "D"]  # Z has no action in either review
    # A: A1 completed (better), A2 amber->red (worse), A3 red->red: 1 v 1 -> same.
    assert (rows["A"].better, rows["A"].worse, rows["A"].direction, rows["A"].arrow) == (1, 1, "same", "→")
    # B: B2 amber->green (better); B1 complete->amber and B.3 green->amber (worse): 1 v 2.
    assert (rows["B"].better, rows["B"].worse, rows["B"].direction, rows["B"].arrow) == (1, 2, "worsening", "↓")
    # C: C3 unknown->complete (better); C1 dropped and C2 added do not count.
    c = rows["C"]
    assert (c.better, c.worse, c.added, c.dropped, c.direction, c.arrow) == (1, 0, 1, 1, "improving", "↑")
    assert (c.complete_from, c.total_from, c.complete_to, c.total_to) == (0, 2, 1, 2)
    # D: nothing moved -> same.
    assert (rows["D"].compared, rows["D"].better, rows["D"].worse, rows["D"].direction) == (1, 0, 0, "same")


def test_summary_sentence_for_last_two_reviews(engine, plan):
    assert review_summary.since_last_review_summary(engine, plan["plan"]) == (
        "Since Q2 2017/18 (30 September 2017): 2 actions completed, 1 improved, 1 slipped to red (A2), "
        "2 slipped to amber, 3 newly overdue, 1 due date moved later (B2), 1 action added, 1 action dropped; "
        # Red at Q3: A2 (slipped from amber), A3 (red at both), then the added C2.
        "red now: 3 actions (A2, A3, C2); 2 of 9 complete (22%, up from 11%)."
    )


def test_summary_when_nothing_completed_and_not_latest(engine, plan):
    assert review_summary.since_last_review_summary(engine, plan["plan"], plan["Q1"], plan["Q2"]) == (
        "From Q1 2017/18 (30 June 2017) to Q2 2017/18 (30 September 2017): no actions completed, "
        "1 action improved, 1 slipped to amber, 1 newly overdue, 2 due dates moved later (A2, B2); "
        "red now: 1 action (A3); 1 of 9 complete (11%, unchanged)."
    )


def test_summary_when_nothing_moved(engine):
    rows = [_row("A", "A1", "green", "Ongoing"), _row("A", "A2", "complete", "Ongoing")]
    with write_transaction(engine) as conn:
        pid = ensure_plan(conn, PlanInfo("Quiet"))
        first = save_review(conn, pid, ReviewSnapshot(Q1, rows), source="1.xlsx")
        second = save_review(conn, pid, ReviewSnapshot(Q2, rows), source="2.xlsx")
    assert review_summary.since_last_review_summary(engine, pid, first, second) == (
        "Since Q1 2017/18 (30 June 2017): no actions completed, slipped or became overdue; red now: none; "
        "1 of 2 complete (50%, unchanged)."
    )


def test_summary_singular_and_down():
    assert wording.plural(1, "action") == "1 action" and wording.plural(2, "action") == "2 actions"
    assert rules.percent(1, 8) == 13  # 12.5 rounds half up, as people expect
    assert wording.long_date(dt.date(2018, 3, 1)) == "1 March 2018"


def test_summary_down_and_one_completed(engine):
    first_rows = [
        _row("A", "A1", "complete", "Ongoing"),
        _row("A", "A2", "complete", "Ongoing"),
        _row("A", "A3", "green", "Ongoing"),
    ]
    second_rows = [
        _row("A", "A1", "red", "Ongoing"),
        _row("A", "A2", "complete", "Ongoing"),
        _row("A", "A3", "complete", "Ongoing"),
        _row("A", "A4", "green", "Ongoing"),
        _row("A", "A5", "green", "Ongoing"),
    ]
    with write_transaction(engine) as conn:
        pid = ensure_plan(conn, PlanInfo("Down"))
        save_review(conn, pid, ReviewSnapshot(Q1, first_rows), source="1.xlsx")
        save_review(conn, pid, ReviewSnapshot(Q2, second_rows), source="2.xlsx")
    assert review_summary.since_last_review_summary(engine, pid) == (
        "Since Q1 2017/18 (30 June 2017): 1 action completed, 1 slipped to red (A1), 2 actions added; "
        "red now: 1 action (A1); 2 of 5 complete (40%, down from 67%)."
    )


def test_summary_names_every_red_action_in_plan_order_added_last(engine):
    first_rows = [
        _row("A", "A1", "red", "Ongoing"),
        _row("A", "A2", "green", "Ongoing"),
        _row("B", "B1", "red", "Ongoing"),
    ]
    second_rows = [
        _row("A", "A1", "red", "Ongoing"),  # still red
        _row("A", "A2", "red", "Ongoing"),  # slipped to red
        _row("B", "B1", "amber", "Ongoing"),  # no longer red
        _row("B", "B2", "red", "Ongoing"),  # added, red
        *[_row("C", f"C{n}", "red", "Ongoing") for n in range(1, 6)],  # five more: the list is cut at six
    ]
    with write_transaction(engine) as conn:
        pid = ensure_plan(conn, PlanInfo("Reds"))
        save_review(conn, pid, ReviewSnapshot(Q1, first_rows), source="1.xlsx")
        save_review(conn, pid, ReviewSnapshot(Q2, second_rows), source="2.xlsx")
    summary = review_summary.since_last_review_summary(engine, pid)
    assert "; red now: 8 actions (A1, A2, B2, C1, C2, C3 and 2 more); " in summary, summary


# --- 4. forecast --------------------------------------------------------------------------


def test_forecast_plan_and_recommendations(engine, plan):
    f = completion_forecast.forecast(engine, plan["plan"])
    assert f.method == completion_forecast.METHOD_TEXT and f.target_date == dt.date(2018, 3, 31)
    assert (f.first_review.label, f.latest_review.label) == ("Q1 2017/18", "Q3 2017/18")
    p = f.plan
    # 2 of 9 complete at Q3, 1 at Q1, two quarters apart: 0.5 a quarter; 7 to go -> 14 quarters after Q3.
    assert (p.total, p.complete, p.complete_at_first, p.quarters_elapsed) == (9, 2, 1, 2)
    assert p.rate_per_quarter == 0.5
    assert (p.projected_quarter, p.projected_date, p.late) == ("Q1 2021/22", dt.date(2021, 6, 30), True)
    recs = {line.scope: line for line in f.recommendations}
    assert list(recs) == ["A", "B", "C", "D"]
    # A: 1 of 3 (0 at Q1) -> 0.5/quarter, 2 to go -> 4 quarters -> Q3 2018/19.
    assert (recs["A"].rate_per_quarter, recs["A"].projected_quarter, recs["A"].late) == (0.5, "Q3 2018/19", True)
    # B: 0 of 3, but B1 was complete at Q1: the rate is negative, no projection, late.
    assert (recs["B"].rate_per_quarter, recs["B"].projected_quarter, recs["B"].late) == (-0.5, None, True)
    # C: 1 of 2 (0 at Q1) -> 0.5/quarter, 1 to go -> 2 quarters -> Q1 2018/19, after Q4 2017/18.
    assert (recs["C"].projected_quarter, recs["C"].projected_date, recs["C"].late) == (
        "Q1 2018/19",
        dt.date(2018, 6, 30),
        True,
    )
    assert (recs["D"].rate_per_quarter, recs["D"].projected_quarter) == (0.0, None)


def test_forecast_line_branches():
    latest = 2017 * 4 + 2  # Q3 2017/18
    target = dt.date(2018, 3, 31)
    on_time = completion_forecast.forecast_line("X", None, 4, 3, 1, 2, latest, target)
    assert (on_time.rate_per_quarter, on_time.projected_quarter, on_time.late) == (1.0, "Q4 2017/18", False)
    no_target = completion_forecast.forecast_line("X", None, 4, 3, 1, 2, latest, None)
    assert (no_target.projected_quarter, no_target.late) == ("Q4 2017/18", None)
    rounding_up = completion_forecast.forecast_line("X", None, 10, 4, 1, 2, latest, target)  # 1.5/quarter, 6 to go -> 4
    assert rounding_up.projected_quarter == "Q3 2018/19" and rounding_up.late is True
    done = completion_forecast.forecast_line("X", None, 4, 4, 1, 2, latest, target)
    assert (done.projected_quarter, done.late, done.note) == ("Q3 2017/18", False, "All actions complete")
    single = completion_forecast.forecast_line("X", None, 4, 1, 1, 0, latest, target)
    assert (single.rate_per_quarter, single.projected_quarter, single.late) == (None, None, None)


def test_forecast_without_target_has_no_flag(engine):
    pid = build_testshire(engine, target_date=None, name="No target")["plan"]
    f = completion_forecast.forecast(engine, pid)
    assert f.plan.projected_quarter == "Q1 2021/22" and f.plan.late is None
    assert all(line.late is None for line in f.recommendations)


# --- 5. staleness -------------------------------------------------------------------------


def test_staleness_per_lead(engine, plan):
    s = stale_notes.staleness(engine, plan["Q3"])
    assert s.previous_review.id == plan["Q2"]  # not the replaced Q2, not import order
    assert [a.action.key for a in s.no_update] == ["A2", "A3", "B.3", "D1"]
    assert "C2" not in [a.action.key for a in s.no_update]  # new since Q2
    assert s.per_lead.to_dict("records") == [
        {"lead": stale_notes.NO_LEAD, "actions": 1, "no_update": 1, "pct_no_update": 100.0},
        {"lead": DIR, "actions": 3, "no_update": 1, "pct_no_update": 33},
        {"lead": HOS, "actions": 3, "no_update": 1, "pct_no_update": 33},
        {"lead": PSW, "actions": 2, "no_update": 1, "pct_no_update": 50},
    ]


def test_staleness_of_q2_uses_q1_and_first_review_has_none(engine, plan):
    s2 = stale_notes.staleness(engine, plan["Q2"])
    assert s2.previous_review.id == plan["Q1"]
    # B1 is complete at Q1 and Q2 with the same note: closed actions have nothing to update.
    assert [a.action.key for a in s2.no_update] == ["A3", "B.3", "C3", "D1"]
    s1 = stale_notes.staleness(engine, plan["Q1"])
    assert s1.previous_review is None and s1.no_update == []
    assert int(s1.per_lead["actions"].sum()) == 9


def test_a_blank_note_is_not_an_update(engine):
    """Issue 22: a round trip that blanked the notes reported 0% not updated, because a note that
    went from text to blank counted as changed. Blank is never an update, for a new action too."""
    with write_transaction(engine) as conn:
        plan_id = ensure_plan(conn, PlanInfo("Blankshire"))
        save_review(
            conn,
            plan_id,
            ReviewSnapshot(
                Q1,
                [
                    _row("A", "A1", "green", progress="Started"),
                    _row("A", "A2", "green", progress="Started"),
                    _row("A", "A3", "complete", progress="Done"),
                ],
            ),
            source="1",
        )
        q2 = save_review(
            conn,
            plan_id,
            ReviewSnapshot(
                Q2,
                [
                    _row("A", "A1", "green", progress=" "),
                    _row("A", "A2", "green", progress="Now testing"),
                    _row("A", "A3", "complete", progress=None),
                    _row("A", "A4", "amber", progress=None),
                    _row("A", "A5", "amber", progress="New work"),
                ],
            ),
            source="2",
        )
    s = stale_notes.staleness(engine, q2)
    assert keys(a.action for a in s.no_update) == ["A1", "A4"]  # A3 is closed at both reviews
    assert s.per_lead.to_dict("records") == [
        {"lead": stale_notes.NO_LEAD, "actions": 5, "no_update": 2, "pct_no_update": 40},
    ]
