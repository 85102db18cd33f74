"""The sample plans show the board's decisions (issue 25): Rutland's trackers have "Agreed by" and
"Signed off" columns, so `make run` has signed-off actions, actions awaiting sign-off, and date
changes approved and not approved."""

from __future__ import annotations

import datetime as dt

from data_access.importer.sample_seed import seed
from data_access.reads import catalogue, signoff_figures
from sample_data.plans import RUTLAND, agreed_at, signed_off_at


def _action(action_id):
    return next(a for r in RUTLAND.recs for a in r.actions if a.action_id == action_id)


def test_rutland_signs_off_at_the_meeting_after_completion():
    policy = _action("2.1")  # statuses AABB: complete at the third review, signed off at the fourth
    assert [signed_off_at(policy, i) for i in range(4)] == [None, None, None, "Yes"]
    assert [agreed_at(policy, i) for i in range(4)] == [None, *["Improvement Board, 19 July 2017"] * 3]


def test_seeded_sample_plans_hold_every_kind_of_decision(engine):
    seed(engine)
    plans = catalogue.list_plans(engine)
    rutland = int(plans[plans["name"] == RUTLAND.info.name]["id"].iloc[0])
    reviews = catalogue.list_reviews(engine, rutland)
    latest = int(reviews["id"].iloc[-1])
    # Complete at the last review: counted from the plan's table; signed off: complete at the
    # review before too (signed_off_at), the rest awaiting.
    actions = [a for r in RUTLAND.recs for a in r.actions]
    complete_now = [a for a in actions if a.statuses[3] == "B"]
    signed = [a for a in complete_now if a.statuses[2] == "B"]
    assert signoff_figures.signoff_counts(engine, latest) == {
        "signed_off": len(signed),
        "awaiting": len(complete_now) - len(signed),
    }
    assert len(signed) > 0 and len(complete_now) > len(signed)
    changes = signoff_figures.date_changes(engine, rutland)
    approved = [c for c in changes if c.state == "approved"]
    assert [(c.action_key, c.from_date, c.to_date) for c in approved] == [
        ("2.1", dt.date(2017, 6, 30), dt.date(2017, 9, 30))  # June 2017 -> Sept 17, agreed by the board
    ]
    assert any(c.state == "not_approved" for c in changes)
