"""Update round page (issue 26), for editors: open a round, who has updated by lead and
organisation, the actions not updated, the reminder list, close; viewers and partners are refused
by the page itself."""

from __future__ import annotations

import datetime as dt

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from data_access.domain.permissions import EDITOR, Person
from data_access.domain.round_rules import UpdateFields
from data_access.reads import catalogue, review_figures, round_progress
from data_access.storage import update_rounds
from data_access.storage.database import make_engine
from tests.fixtures import populate_joint
from tests.pages.conftest import APP
from tests.pages.page_helpers import open_as, open_page, shown
from tests.pages.test_my_actions import POLICE

PLAN = "Testshire JTAI 2024"
PAGE = "pages/update_round.py"
EDITOR_ME = Person("ed@council.example", EDITOR)


@pytest.fixture
def round_app(app_database, monkeypatch):
    ids = app_database(populate_joint)
    monkeypatch.setenv("BOARD_ROLE_GROUPS", "police-partners=partner:Testshire Police")
    st.cache_data.clear()

    def make(user: dict | None = None) -> AppTest:
        return open_as(APP, PAGE, user)

    make.engine = make_engine(app_database.url)
    make.ids = ids
    return make


def _text(at) -> str:
    kinds = ("markdown", "caption", "header", "info", "success", "code")
    return "\n".join(shown(str(e.value)) for kind in kinds for e in at.get(kind))


def test_open_follow_and_close_a_round(round_app):
    at = round_app()
    dates = {d.label: d for d in at.date_input}
    dates["Review date"].set_value(dt.date(2024, 10, 31))
    dates["Updates due by"].set_value(dt.date(2024, 10, 24))
    next(b for b in at.button if b.label == "Open the round").click()
    at = at.run()
    assert "Opened the update round for the review of 31 October 2024" in shown(at.success[0].value)
    update_rounds.record_update(
        round_app.engine, plan_name=PLAN, action_key="1.1", seen_version=0, person=EDITOR_ME,
        fields=UpdateFields("red", progress="Behind", mitigation="Calls"),
    )  # fmt: skip
    at = at.run()
    assert {m.label: m.value for m in at.metric} == {"Actions": "4", "Updated": "1", "Not updated yet": "2"}
    frames = [df.value for df in at.dataframe]
    by_lead = frames[0].set_index("Lead")
    assert by_lead.loc["DI Safeguarding", "Updated"] == 1 and by_lead.loc["DCI Public Protection", "Not updated"] == 1
    assert "Head of Service" not in by_lead.index  # their one action (2.1) was complete: nothing is asked
    by_org = frames[1].set_index("Organisation")
    assert by_org.loc["Testshire Police"].tolist() == [1, 1]
    assert sorted(frames[2]["Action"]) == ["1.2", "2.2"]  # not updated since the last review (2.1 is complete)
    (reminder,) = at.code
    assert "2.2:" in reminder.value and "1.1:" not in reminder.value and "2.1:" not in reminder.value
    at.checkbox(key="close_sure").check()
    at = at.run()
    next(b for b in at.button if b.label == "Close the round").click()
    at = at.run()
    assert "1 updated, 2 marked 'no update this round'" in shown(at.success[0].value)
    reviews = catalogue.list_reviews(round_app.engine, round_app.ids["plan"])
    latest = int(reviews.iloc[-1]["id"])
    flags = review_figures.review_actions(round_app.engine, latest, dt.date(2024, 10, 31)).set_index("key")["no_update"]
    assert flags.to_dict() == {"1.1": False, "1.2": True, "2.1": False, "2.2": True}  # 2.1 was complete: not flagged
    assert round_progress.open_round(round_app.engine, round_app.ids["plan"]) is None


def test_a_partner_cannot_open_the_page(round_app):
    at = round_app(POLICE)
    assert "This page is for editors and admins" in shown(at.error[0].value)
    assert not at.button or all(b.label != "Open the round" for b in at.button)


def test_a_closed_round_shows_actions_without_an_update_on_the_actions_and_history_pages(round_app):
    engine = round_app.engine
    update_rounds.open_round(engine, plan_name=PLAN, as_at=dt.date(2024, 10, 31), deadline=None, person=EDITOR_ME)
    update_rounds.record_update(
        engine, plan_name=PLAN, action_key="1.1", seen_version=0, person=EDITOR_ME,
        fields=UpdateFields("red", progress="Behind", mitigation="<i>Calls</i>", board_ask="Funding"),
    )  # fmt: skip
    closed = update_rounds.close_round(engine, plan_name=PLAN, person=EDITOR_ME)
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["plan"] = str(round_app.ids["plan"])
    at.query_params["review"] = str(closed.review_id)
    open_page(at, "pages/actions.py")
    html = "".join(h.proto.body for h in at.get("html"))
    assert html.count("[no update this round]") == 2 and "Behind" in html
    actions = review_figures.review_actions(engine, closed.review_id, dt.date(2024, 10, 31)).set_index("key")
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["plan"] = str(round_app.ids["plan"])
    at.query_params["action"] = str(int(actions.loc["1.1", "action_id"]))
    open_page(at, "pages/action.py")
    html = "".join(h.proto.body for h in at.get("html"))
    assert "Mitigation: &lt;i&gt;Calls&lt;/i&gt;" in html and "What we need from the board: Funding" in html
    at.query_params["action"] = str(int(actions.loc["2.2", "action_id"]))
    at.run()
    html = "".join(h.proto.body for h in at.get("html"))
    assert "No update this round</strong>: carried forward from the previous review" in html


def test_an_upload_for_the_rounds_date_feeds_it_and_conflicts_are_chosen_side_by_side(round_app):
    engine = round_app.engine
    update_rounds.open_round(engine, plan_name=PLAN, as_at=dt.date(2024, 10, 31), deadline=None, person=EDITOR_ME)
    police = Person("pc@police.example", "partner", "Testshire Police")
    update_rounds.record_update(
        engine, plan_name=PLAN, action_key="1.1", seen_version=0, person=police,
        fields=UpdateFields("red", progress="Police: daily calls", mitigation="Extra staff"),
    )  # fmt: skip
    tracker = (
        b"Rec ref,Action ID,Action,Lead,Partner agency,RAG,Progress update,Mitigation\n"
        b"a,1.1,Share police notifications daily,DI Safeguarding,Testshire Police,Amber,Tracker: improving,Audit\n"
        b"a,1.2,Health visitor attends strategy meetings,Designated Nurse,Testshire ICB,Green,Attending,\n"
        b"b,2.1,Audit neglect assessments,Head of Service,Testshire Council,Complete,,\n"
        b"b,2.2,Joint training on neglect,DCI Public Protection,Testshire Police,Amber,,More trainers\n"
    )
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["plan"] = str(round_app.ids["plan"])
    open_page(at, "pages/upload.py")
    at.date_input[0].set_value(dt.date(2024, 10, 31)).run()
    at.get("file_uploader")[0].upload("october.csv", tracker).run()
    assert not at.exception, [e.value for e in at.exception]
    assert "has an update round open for the review of 31 October 2024" in _text(at)
    next(b for b in at.button if b.label == "Feed the update round").click()
    at = at.run()
    assert "2 actions updated from the tracker" in shown(at.success[0].value) and "1 conflict" in shown(
        at.success[0].value
    )
    text = _text(at)
    assert "Police: daily calls" in text and "Tracker: improving" in text  # side by side
    info = round_progress.open_round(engine, round_app.ids["plan"])
    now = {a.key: a for a in round_progress.round_actions(engine, info)}
    assert now["1.1"].now.progress == "Police: daily calls" and now["1.2"].update.fields.progress == "Attending"
    at.radio(key="conflict_0").set_value("The tracker's")
    next(b for b in at.button if b.label == "Save these choices").click()
    at = at.run()
    now = {a.key: a for a in round_progress.round_actions(engine, info)}
    assert now["1.1"].now.progress == "Tracker: improving" and now["1.1"].version == 2
    assert now["1.1"].update.updated_by == "local user"
