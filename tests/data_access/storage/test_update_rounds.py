"""The update round (storage/update_rounds.py, reads/round_progress.py) on SQLite and PostgreSQL:
open, update, conflict, feed from a tracker, close into one review; the checks every write makes.

The plan is tests/fixtures.populate_joint ('Testshire JTAI 2024', latest review 30/09/2024):
1.1 Police red, 1.2 Health green, 2.1 Council complete, 2.2 Police amber."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from data_access.domain.permissions import ADMIN, EDITOR, LEAD, PARTNER, VIEWER, Person
from data_access.domain.round_rules import NO_UPDATE, RoundRefused, UpdateFields
from data_access.domain.tracker_rows import TrackerRow
from data_access.reads import board, catalogue, review_figures, round_progress, signoff_figures
from data_access.storage import audit_trail, update_rounds
from data_access.storage.schema import AuditEvent, Review, RoundUpdate
from data_access.storage.update_rounds import UpdateConflict
from tests.fixtures import HEALTH, JOINT_Q2, POLICE, populate_joint

PLAN = "Testshire JTAI 2024"
ROUND_DATE, DEADLINE = dt.date(2024, 10, 31), dt.date(2024, 10, 24)
EDITOR_ME = Person("ed@council.example", EDITOR)
POLICE_ME = Person("pc@police.example", PARTNER, POLICE)
HEALTH_ME = Person("nurse@nhs.example", PARTNER, HEALTH)
NURSE_LEAD = Person("nurse@nhs.example", LEAD)
VIEWER_ME = Person("someone@council.example", VIEWER)


@pytest.fixture
def joint(any_engine):
    ids = populate_joint(any_engine)
    update_rounds.set_lead_identities(
        any_engine,
        plan_name=PLAN,
        mapping={"Designated Nurse": ["nurse@nhs.example"], "Head of Service": ["hos-group"]},
        person=EDITOR_ME,
    )
    update_rounds.open_round(any_engine, plan_name=PLAN, as_at=ROUND_DATE, deadline=DEADLINE, person=EDITOR_ME)
    return any_engine, ids


def _info(engine, ids):
    return round_progress.open_round(engine, ids["plan"])


def _update(engine, key, fields, person, seen=0):
    return update_rounds.record_update(
        engine, plan_name=PLAN, action_key=key, fields=fields, seen_version=seen, person=person
    )


def test_round_lifecycle_closes_into_one_review_marking_actions_without_an_update(joint):
    engine, ids = joint
    info = _info(engine, ids)
    assert (info.as_at, info.deadline, info.opened_by) == (ROUND_DATE, DEADLINE, EDITOR_ME.identity)
    # Every action starts from its latest state.
    start = {a.key: a.now.status for a in round_progress.round_actions(engine, info)}
    assert start == {"1.1": "red", "1.2": "green", "2.1": "complete", "2.2": "amber"}

    red = UpdateFields("red", progress="Daily notifications from November", mitigation="Manual checks", board_ask="IT")
    assert _update(engine, "1.1", red, POLICE_ME) == 1
    moved = UpdateFields("green", progress="On track", requested_due=dt.date(2025, 3, 31), due_change_reason="Staff")
    assert _update(engine, "1.2", moved, HEALTH_ME) == 1

    status = round_progress.round_status(info, round_progress.round_actions(engine, info))
    assert status.as_json() == {
        "plan": PLAN,
        "date": "2024-10-31",
        "deadline": "2024-10-24",
        "actions": 4,
        "updated": 2,
        "outstanding": 1,  # 2.2; 2.1 was complete when the round opened, so none is asked of it
        "by_lead": [
            {"lead": "DCI Public Protection", "updated": 0, "outstanding": 1},
            {"lead": "Designated Nurse", "updated": 1, "outstanding": 0},
            {"lead": "DI Safeguarding", "updated": 1, "outstanding": 0},
        ],
        "by_organisation": [
            {"organisation": HEALTH, "updated": 1, "outstanding": 0},
            {"organisation": POLICE, "updated": 1, "outstanding": 1},
        ],
    }
    reminder = round_progress.reminder_text(
        info, round_progress.round_actions(engine, info), round_progress.lead_identities(engine, ids["plan"])
    )
    assert "DCI Public Protection (Testshire Police)" in reminder and "  2.2: " in reminder
    assert "1.1" not in reminder  # updated: no reminder
    assert "2.1" not in reminder and "Head of Service" not in reminder  # complete: nothing is asked of it

    closed = update_rounds.close_round(engine, plan_name=PLAN, person=EDITOR_ME)
    assert (closed.updated, closed.not_updated, closed.date_changes) == (2, 1, 1)
    reviews = catalogue.list_reviews(engine, ids["plan"])
    assert list(reviews["as_at"].astype(str)) == ["2024-06-30", "2024-09-30", "2024-10-31"]  # history kept
    actions = review_figures.review_actions(engine, closed.review_id, ROUND_DATE).set_index("key")
    assert actions.loc["1.1", "mitigation"] == "Manual checks" and actions.loc["1.1", "board_ask"] == "IT"
    assert actions.loc["1.1", "progress"] == "Daily notifications from November"
    # 2.2 had no update: flagged. 2.1 was complete: carried forward as complete, not flagged.
    assert actions["no_update"].to_dict() == {"1.1": False, "1.2": False, "2.1": False, "2.2": True}
    assert actions.loc["2.1", "status"] == "complete"
    assert actions.loc["2.2", "status"] == "amber"  # carried forward, flagged, never silently unchanged
    assert str(actions.loc["1.2", "revised_due_date"]) == "2025-03-31"
    # The date change reaches the board awaiting approval, as in the date-change work.
    (change,) = [c for c in signoff_figures.date_changes(engine, ids["plan"]) if c.to_date == dt.date(2025, 3, 31)]
    assert (change.state, change.source, change.reason) == ("not_approved", "app", "Staff")
    history = board.action_history(engine, int(actions.loc["2.2", "action_id"]), ROUND_DATE)
    assert list(history["no_update"]) == [False, False, True]
    assert NO_UPDATE == "no update this round"
    # The round is closed; its review is recorded like an import's; the trail has every step.
    assert round_progress.open_round(engine, ids["plan"]) is None
    latest = round_progress.latest_round(engine, ids["plan"])
    assert (latest.state, latest.review_id, latest.closed_by) == ("closed", closed.review_id, EDITOR_ME.identity)
    with engine.connect() as conn:
        trail = [a for (a,) in conn.execute(select(AuditEvent.action).order_by(AuditEvent.id))]
        source = conn.execute(select(Review.source).where(Review.id == closed.review_id)).scalar_one()
    assert source == "update round"
    assert trail == [
        audit_trail.PLAN_SETTINGS,  # the lead mapping
        audit_trail.ROUND_OPENED,
        audit_trail.ROUND_UPDATE,
        audit_trail.ROUND_UPDATE,
        audit_trail.IMPORT,  # the review, recorded as an import's is
        audit_trail.ROUND_CLOSED,
    ]
    with pytest.raises(RoundRefused, match="no update round open"):
        _update(engine, "1.1", red, POLICE_ME)


def test_concurrent_updates_conflict_and_nothing_is_lost(joint):
    engine, _ = joint
    first = UpdateFields("red", progress="Police: still behind", mitigation="Extra staff")
    second = UpdateFields("amber", progress="Editor: improving", mitigation="Weekly checks")
    assert _update(engine, "1.1", first, POLICE_ME, seen=0) == 1
    with pytest.raises(UpdateConflict) as conflict:
        _update(engine, "1.1", second, EDITOR_ME, seen=0)  # saw the action before the police saved
    assert conflict.value.theirs.updated_by == POLICE_ME.identity
    assert conflict.value.theirs.fields.progress == "Police: still behind" and conflict.value.theirs.version == 1
    assert conflict.value.yours.progress == "Editor: improving"
    # Having seen it, the editor chooses theirs over the police's: a new version, the old one kept.
    assert _update(engine, "1.1", second, EDITOR_ME, seen=1) == 2
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(RoundUpdate)).scalar_one() == 2


def test_a_round_fed_by_an_upload_and_by_in_app_updates_together(joint):
    engine, ids = joint
    in_app = UpdateFields("red", progress="Police: daily calls", mitigation="Extra staff")
    _update(engine, "1.1", in_app, POLICE_ME)
    action_ids = review_figures.review_actions(engine, ids["q2"], JOINT_Q2).set_index("key")["action_id"]

    def row(key, status, **extra):
        return TrackerRow("a", "Recommendation a", f"Action {key}", action_id=key, status=status, **extra)

    rows = [
        row("1.1", "amber", progress="Tracker: improving", mitigation="Audit"),  # disagrees with the in-app update
        row("1.2", "green"),  # says nothing new (green, no note): left alone
        row("2.2", "green", progress="Training done"),  # new: the uploader's update
        row("9.9", "green"),  # not in the plan
    ]
    ids_ = [int(action_ids["1.1"]), int(action_ids["1.2"]), int(action_ids["2.2"]), None]
    fed = update_rounds.feed_tracker(
        engine, plan_name=PLAN, file_name="october.xlsx", rows=rows, action_ids=ids_, person=EDITOR_ME
    )
    assert fed.applied == ["2.2"] and fed.unchanged == 1 and len(fed.not_in_plan) == 1
    (conflict,) = fed.conflicts
    assert conflict.key == "1.1" and conflict.in_app.fields.progress == "Police: daily calls"
    assert conflict.tracker.progress == "Tracker: improving" and conflict.tracker.status == "amber"
    info = _info(engine, ids)
    now = {a.key: a for a in round_progress.round_actions(engine, info)}
    assert now["1.1"].now.progress == "Police: daily calls"  # not overwritten by the upload
    assert (now["2.2"].update.updated_by, now["2.2"].update.source) == (EDITOR_ME.identity, "tracker")
    # Only an editor chooses; choosing the tracker's version makes it the action's update.
    with pytest.raises(RoundRefused, match="Only editors and admins"):
        update_rounds.resolve_conflicts(engine, plan_name=PLAN, keep_tracker=[conflict], person=POLICE_ME)
    assert update_rounds.resolve_conflicts(engine, plan_name=PLAN, keep_tracker=[conflict], person=EDITOR_ME) == ["1.1"]
    now = {a.key: a for a in round_progress.round_actions(engine, info)}
    assert now["1.1"].now.progress == "Tracker: improving" and now["1.1"].version == 2
    closed = update_rounds.close_round(engine, plan_name=PLAN, person=EDITOR_ME)
    assert (closed.updated, closed.not_updated) == (2, 1)  # 1.2 (green); 2.1 was complete


def test_rules_red_and_amber_need_a_mitigation_and_a_new_date_needs_a_reason(joint):
    engine, _ = joint
    with pytest.raises(RoundRefused, match=r"Action 1\.1: a status of Off track \(red\) needs a mitigation"):
        _update(engine, "1.1", UpdateFields("red", progress="Behind"), POLICE_ME)
    with pytest.raises(RoundRefused, match="needs a reason"):
        _update(engine, "1.1", UpdateFields("green", requested_due=dt.date(2025, 1, 31)), POLICE_ME)
    with pytest.raises(RoundRefused, match="no action 7.7"):
        _update(engine, "7.7", UpdateFields("green"), EDITOR_ME)
    with pytest.raises(RoundRefused, match="already has an update round open"):
        update_rounds.open_round(engine, plan_name=PLAN, as_at=dt.date(2024, 11, 30), deadline=None, person=EDITOR_ME)


def test_text_is_kept_as_data(joint):
    engine, ids = joint
    markup = "<script>alert(1)</script> =SUM(A1)"
    _update(engine, "1.1", UpdateFields("red", progress=markup, mitigation=markup), POLICE_ME)
    (action,) = [a for a in round_progress.round_actions(engine, _info(engine, ids)) if a.key == "1.1"]
    assert action.now.progress == markup and action.now.mitigation == markup


# --- who may write what: every write each role must not make ----------------------------------


def test_a_partner_updates_only_its_organisations_actions(joint):
    engine, ids = joint
    green = UpdateFields("green", progress="Fine")
    assert _update(engine, "2.2", UpdateFields("amber", mitigation="More trainers"), POLICE_ME) == 1
    for key in ("1.2", "2.1"):  # health's and the council's
        with pytest.raises(RoundRefused, match="a partner updates only its own organisation's actions"):
            _update(engine, key, green, POLICE_ME)
    _every_editor_write_refused(engine, POLICE_ME)
    assert [a.key for a in round_progress.my_actions(engine, _info(engine, ids), POLICE_ME)] == ["1.1", "2.2"]


def test_a_lead_updates_only_the_actions_the_lead_mapping_names_them_for(joint):
    engine, ids = joint
    assert _update(engine, "1.2", UpdateFields("green", progress="Attending"), NURSE_LEAD) == 1
    for key in ("1.1", "2.1", "2.2"):
        with pytest.raises(RoundRefused, match="a lead updates only their own actions"):
            _update(engine, key, UpdateFields("green"), NURSE_LEAD)
    # A lead named through a group.
    hos = Person("head@council.example", LEAD, groups=frozenset({"HOS-group"}))
    assert [a.key for a in round_progress.my_actions(engine, _info(engine, ids), hos)] == ["2.1"]
    assert _update(engine, "2.1", UpdateFields("complete"), hos) == 1
    _every_editor_write_refused(engine, NURSE_LEAD)


def test_a_viewer_makes_no_write(joint):
    engine, ids = joint
    for key in ("1.1", "1.2", "2.1", "2.2"):
        with pytest.raises(RoundRefused):
            _update(engine, key, UpdateFields("green"), VIEWER_ME)
    _every_editor_write_refused(engine, VIEWER_ME)
    assert round_progress.my_actions(engine, _info(engine, ids), VIEWER_ME) == []


def test_editors_and_admins_may_update_any_action(joint):
    engine, _ = joint
    assert _update(engine, "1.1", UpdateFields("red", mitigation="Escalated"), EDITOR_ME) == 1
    assert _update(engine, "1.2", UpdateFields("amber", mitigation="Cover"), Person("a@x", ADMIN)) == 1


def _every_editor_write_refused(engine, person: Person) -> None:
    """Open, close, resolve and the lead mapping: editors only."""
    with pytest.raises(RoundRefused, match="Only editors and admins"):
        update_rounds.open_round(engine, plan_name=PLAN, as_at=dt.date(2024, 12, 31), deadline=None, person=person)
    with pytest.raises(RoundRefused, match="Only editors and admins"):
        update_rounds.close_round(engine, plan_name=PLAN, person=person)
    with pytest.raises(RoundRefused, match="Only editors and admins"):
        update_rounds.resolve_conflicts(engine, plan_name=PLAN, keep_tracker=[], person=person)
    with pytest.raises(RoundRefused, match="Only editors and admins"):
        update_rounds.set_lead_identities(engine, plan_name=PLAN, mapping={"X": [person.identity]}, person=person)


def test_a_round_is_for_the_next_review(any_engine):
    populate_joint(any_engine)
    with pytest.raises(RoundRefused, match="a round is for the next review"):
        update_rounds.open_round(any_engine, plan_name=PLAN, as_at=JOINT_Q2, deadline=None, person=EDITOR_ME)
    with pytest.raises(RoundRefused, match="is after the review date"):
        update_rounds.open_round(
            any_engine, plan_name=PLAN, as_at=ROUND_DATE, deadline=dt.date(2024, 11, 5), person=EDITOR_ME
        )
    with pytest.raises(RoundRefused, match="no plan called"):
        update_rounds.open_round(any_engine, plan_name="Nowhere", as_at=ROUND_DATE, deadline=None, person=EDITOR_ME)
