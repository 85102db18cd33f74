"""pages/ui/deck.py: presentation mode plans the deck once per data version and view (issue 27:
slides at the speed of a clicker), not on every slide step, and plans it again when the data or
the view changes."""

from __future__ import annotations

import pytest

from data_access.reads import catalogue, deck_plan
from data_access.storage import audit_trail
from data_access.storage.database import make_engine, write_transaction
from tests.fixtures import record_board_date_changes
from tests.pages.test_controls import shown


@pytest.fixture
def plans(monkeypatch) -> list[int]:
    """How many slides each planning of a deck gave (deck_plan.plan counted)."""
    made: list[int] = []
    original = deck_plan.plan

    def counted(lists):
        slides = original(lists)
        made.append(len(slides))
        return slides

    monkeypatch.setattr(deck_plan, "plan", counted)
    return made


def slide_bar(at) -> str:
    return " ".join(shown(m.value) for m in at.markdown if "Slide " in shown(m.value))


def test_stepping_the_slides_plans_the_deck_once(app, plans):
    at = app(present="1")
    assert "Slide 1 of 10: Overview" in slide_bar(at) and plans == [10]
    for page, rec in (("pages/overview.py", None), ("pages/recommendations.py", "1"), ("pages/overdue.py", None)):
        at.query_params["rec"] = rec or ""
        at.switch_page(page).run()
        assert not at.exception, [e.value for e in at.exception]
    assert "Slide 6 of 10: Overdue actions" in slide_bar(at)
    assert plans == [10]  # three steps, no new planning


def test_the_deck_is_planned_again_for_new_data_and_another_view(app, plans):
    at = app(present="1")
    assert plans == [10]
    engine = make_engine(app.ids["url"])
    before = catalogue.data_version(engine)
    record_board_date_changes(engine, app.ids)  # two date changes, one not approved yet
    with write_transaction(engine) as conn:  # as the app records a board decision: a new data version
        audit_trail.record(conn, actor="analyst", action=audit_trail.DATE_DECISION, plan_id=app.ids["plan"])
    assert catalogue.data_version(engine) != before
    at.run()
    assert plans == [10, 11] and "Slide 1 of 11: Overview" in slide_bar(at)  # + Date changes for approval
    at.sidebar.selectbox(key="lead").select_index(1).run()  # one lead's actions: another deck
    assert len(plans) == 3
