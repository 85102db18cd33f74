"""My actions (issue 26): signed-in leads and partners see and update only their own actions in the
open round; a partner's group comes from BOARD_ROLE_GROUPS; red needs a mitigation; a second
person saving on an old version sees the first's update and chooses; tracker text stays text.
The plan is tests/fixtures.populate_joint with a round open for 31/10/2024."""

from __future__ import annotations

import datetime as dt

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from data_access.domain.permissions import EDITOR, Person
from data_access.domain.round_rules import UpdateFields
from data_access.reads import round_progress
from data_access.storage import update_rounds
from data_access.storage.database import make_engine
from tests.fixtures import populate_joint
from tests.pages.conftest import APP
from tests.pages.page_helpers import SECRETS, VERIFIED, open_as, open_page, shown

PLAN = "Testshire JTAI 2024"
PAGE = "pages/my_actions.py"
# The provider's groups claim, mapped by BOARD_ROLE_GROUPS.
POLICE = {**VERIFIED, "sub": "pc", "email": "pc@police.example", "groups": ["police-partners"]}
NURSE = {**VERIFIED, "sub": "nurse", "email": "nurse@nhs.example"}  # a viewer the lead mapping names
STRANGER = {**VERIFIED, "sub": "x", "email": "someone@council.example"}
EDITOR_ME = Person("ed@council.example", EDITOR)


def _build(engine):
    ids = populate_joint(engine)
    update_rounds.set_lead_identities(
        engine, plan_name=PLAN, mapping={"Designated Nurse": ["nurse@nhs.example"]}, person=EDITOR_ME
    )
    update_rounds.open_round(
        engine, plan_name=PLAN, as_at=dt.date(2024, 10, 31), deadline=dt.date(2024, 10, 24), person=EDITOR_ME
    )
    return ids


@pytest.fixture
def joint_app(app_database, monkeypatch):
    ids = app_database(_build)
    monkeypatch.setenv("BOARD_ROLE_GROUPS", "police-partners=partner:Testshire Police;csc=editor")
    st.cache_data.clear()

    def make(user: dict | None) -> AppTest:
        return open_as(APP, PAGE, user)

    make.engine = make_engine(app_database.url)
    make.ids = ids
    return make


def _text(at) -> str:
    return "\n".join(shown(str(e.value)) for kind in ("markdown", "caption", "subheader", "info") for e in at.get(kind))


def _form(at, *, status=None, note=None, mitigation=None, ask=None):
    if status is not None:
        next(s for s in at.selectbox if s.label == "Status in this round").set_value(status)
    areas = {t.label: t for t in at.text_area}
    if note is not None:
        areas["Progress note"].set_value(note)
    if mitigation is not None:
        areas["Mitigation (needed when the status is At risk or Off track)"].set_value(mitigation)
    if ask is not None:
        areas["What we need from the board"].set_value(ask)
    next(b for b in at.button if b.label == "Save update").click()
    return at.run()


def _now(make, key):
    info = round_progress.open_round(make.engine, make.ids["plan"])
    return next(a for a in round_progress.round_actions(make.engine, info) if a.key == key)


def test_a_partner_sees_and_updates_only_its_organisations_actions(joint_app):
    at = joint_app(POLICE)
    action_select = next(s for s in at.selectbox if s.label == "Action")
    assert action_select.options == [
        "1.1 (to update): Share police notifications daily",
        "2.2 (to update): Joint training on neglect",
    ]
    assert "partner for Testshire Police" in "".join(c.value for c in at.sidebar.caption)
    at = _form(at, status="red", note="<b>Two</b> of five forces live")
    assert "needs a mitigation" in shown(at.error[0].value) and _now(joint_app, "1.1").update is None
    at = _form(at, status="red", mitigation="Manual calls daily", ask="Chase the ICT contract")
    assert "Saved your update of 1.1" in shown(at.success[0].value)
    saved = _now(joint_app, "1.1").update
    assert (saved.updated_by, saved.fields.board_ask) == ("pc@police.example", "Chase the ICT contract")
    assert saved.fields.progress == "<b>Two</b> of five forces live"  # text kept as typed


def test_a_lead_named_in_the_plan_settings_sees_their_action(joint_app):
    at = joint_app(NURSE)
    (select,) = [s for s in at.selectbox if s.label == "Action"]
    assert select.options == ["1.2 (to update): Health visitor attends strategy meetings"]


def test_someone_with_no_actions_is_told_so_and_has_no_form(joint_app):
    at = joint_app(STRANGER)
    assert "None of this plan's actions are yours to update" in _text(at)
    assert not at.text_area


def test_a_second_save_on_an_old_version_shows_both_and_lets_them_choose(joint_app):
    at = joint_app(POLICE)  # shown 1.1 at version 0
    update_rounds.record_update(
        joint_app.engine, plan_name=PLAN, action_key="1.1", seen_version=0, person=EDITOR_ME,
        fields=UpdateFields("amber", progress="Editor's note", mitigation="Weekly review"),
    )  # fmt: skip
    at = _form(at, status="red", note="Police note", mitigation="Calls")
    assert "saved an update of this action while you were editing" in shown(at.warning[0].value)
    text = _text(at)
    assert "Editor's note" in text and "Police note" in text
    assert _now(joint_app, "1.1").update.fields.progress == "Editor's note"  # nothing overwritten unseen
    next(b for b in at.button if b.label == "Save mine over theirs").click()
    at = at.run()
    assert "Saved your update of 1.1" in shown(at.success[0].value)
    now = _now(joint_app, "1.1")
    assert (now.version, now.update.fields.progress) == (2, "Police note")


def test_local_mode_can_try_a_partner_with_board_local_groups(joint_app, monkeypatch):
    monkeypatch.setenv("BOARD_LOCAL_GROUPS", "police-partners")
    at = joint_app(None)
    assert [o.split(" ")[0] for o in next(s for s in at.selectbox if s.label == "Action").options] == ["1.1", "2.2"]
    assert "trying the partner role for Testshire Police" in shown("".join(c.value for c in at.sidebar.caption))


def test_an_editor_says_who_updates_each_leads_actions_in_plan_settings(joint_app):
    at = AppTest.from_file(APP, default_timeout=60)
    open_page(at, "pages/plan_settings.py")
    area = next(t for t in at.text_area if t.label == "Leads and who they are")
    assert "Designated Nurse = nurse@nhs.example" in area.value and "Head of Service = " in area.value
    area.set_value("Designated Nurse = nurse@nhs.example\nHead of Service = hos@council.example, csc-heads\n")
    next(b for b in at.button if b.label == "Save who updates each lead's actions").click()
    at = at.run()
    assert "Saved who updates the actions of 2 leads" in shown(at.success[0].value)
    assert round_progress.lead_identities(joint_app.engine, joint_app.ids["plan"]) == {
        "Designated Nurse": ["nurse@nhs.example"],
        "Head of Service": ["csc-heads", "hos@council.example"],
    }
    area = next(t for t in at.text_area if t.label == "Leads and who they are")
    area.set_value("just words")
    next(b for b in at.button if b.label == "Save who updates each lead's actions").click()
    at = at.run()
    assert "Line 1" in shown(at.error[0].value)


def test_a_partner_cannot_change_who_updates_each_leads_actions(joint_app):
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets = SECRETS
    at.user = dict(POLICE)
    open_page(at, "pages/plan_settings.py")
    assert "This page is for editors and admins" in shown(at.error[0].value)
    assert not [t for t in at.text_area if t.label == "Leads and who they are"]
