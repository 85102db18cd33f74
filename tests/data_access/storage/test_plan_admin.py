"""Plan settings (data_access/storage/plan_admin.py): rename, archive, delete; each one transaction with
its audit row, and the trail keeps a deleted plan's history."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from data_access.reads import catalogue
from data_access.storage import audit_trail, plan_admin
from data_access.storage.schema import Action, ActionUpdate, AuditEvent, Plan, Recommendation, Review
from tests.fixtures import PLAN, build_testshire

ADMIN = "ada@council.example"


def _plan_id(engine, name: str = PLAN) -> int:
    return int(catalogue.list_plans(engine, include_archived=True).set_index("name").loc[name, "id"])


def _count(engine, table) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def test_rename_keeps_everything_and_is_recorded(any_engine):
    build_testshire(any_engine)
    plan_id = _plan_id(any_engine)
    assert plan_admin.rename_plan(any_engine, plan_id, "  Testshire   2017 plan ", actor=ADMIN) == "Testshire 2017 plan"
    assert _plan_id(any_engine, "Testshire 2017 plan") == plan_id
    (row,) = audit_trail.trail(any_engine, actions=[audit_trail.PLAN_SETTINGS]).itertuples()
    assert (row.actor, row.plan_id, row.summary) == (
        ADMIN,
        plan_id,
        "renamed from 'Testshire' to 'Testshire 2017 plan'",
    )


def test_rename_refusals(engine):
    build_testshire(engine)
    build_testshire(engine, name="Other")
    plan_id = _plan_id(engine)
    with pytest.raises(plan_admin.ChangeRefused, match="Another plan is already called 'Other'"):
        plan_admin.rename_plan(engine, plan_id, "OTHER", actor=ADMIN)
    with pytest.raises(plan_admin.ChangeRefused, match="needs a name"):
        plan_admin.rename_plan(engine, plan_id, "   ", actor=ADMIN)
    with pytest.raises(plan_admin.ChangeRefused, match="at most 200"):
        plan_admin.rename_plan(engine, plan_id, "x" * 201, actor=ADMIN)
    assert audit_trail.trail(engine, actions=[audit_trail.PLAN_SETTINGS]).empty


def test_archive_hides_the_plan_from_the_board_and_keeps_it(any_engine):
    build_testshire(any_engine)
    plan_id = _plan_id(any_engine)
    version = catalogue.data_version(any_engine)
    plan_admin.set_archived(any_engine, plan_id, True, actor=ADMIN)
    assert PLAN not in set(catalogue.list_plans(any_engine)["name"])
    assert PLAN in set(catalogue.list_plans(any_engine, include_archived=True)["name"])
    assert catalogue.data_version(any_engine) != version  # every session's cached plan list is renewed
    assert len(catalogue.list_reviews(any_engine, plan_id)) == 3  # nothing deleted
    with pytest.raises(plan_admin.ChangeRefused, match="already archived"):
        plan_admin.set_archived(any_engine, plan_id, True, actor=ADMIN)
    plan_admin.set_archived(any_engine, plan_id, False, actor=ADMIN)
    assert PLAN in set(catalogue.list_plans(any_engine)["name"])
    summaries = list(audit_trail.trail(any_engine, actions=[audit_trail.PLAN_SETTINGS])["summary"])
    assert summaries == ["brought back from the archive", "archived (hidden from the board's plan list, kept)"]


def test_delete_needs_the_name_and_removes_everything_but_the_trail(any_engine):
    build_testshire(any_engine)
    build_testshire(any_engine, name="Other")
    plan_id = _plan_id(any_engine)
    other_updates = _count(any_engine, ActionUpdate)
    contents = plan_admin.plan_contents(any_engine, plan_id)
    assert (contents.name, contents.reviews) == (PLAN, 4)  # the replaced Q2 import counts too
    with pytest.raises(plan_admin.ChangeRefused, match="type its name exactly: Testshire"):
        plan_admin.delete_plan(any_engine, plan_id, confirm_name="testshire", actor=ADMIN)
    assert _plan_id(any_engine) == plan_id

    plan_admin.delete_plan(any_engine, plan_id, confirm_name=PLAN, actor=ADMIN)
    with any_engine.connect() as conn:
        for table in (Review, Action, Recommendation):
            assert conn.execute(select(func.count()).where(table.plan_id == plan_id)).scalar_one() == 0
        assert conn.execute(select(Plan.name)).scalars().all() == ["Other"]
    assert 0 < _count(any_engine, ActionUpdate) < other_updates
    (row,) = audit_trail.trail(any_engine, actions=[audit_trail.PLAN_DELETED]).itertuples()
    assert (row.actor, row.plan_name, row.summary) == (
        ADMIN,
        PLAN,
        f"deleted, with 4 reviews and {contents.actions} actions",
    )


def test_a_deleted_plans_trail_stays_apart_from_a_new_plan_with_its_id(engine):
    """SQLite gives a deleted plan's id to the next plan when it was the highest: the trail still
    tells the two apart, and finds the deleted one by name."""
    build_testshire(engine)
    old_id = _plan_id(engine)
    with engine.begin() as conn:
        audit_trail.record(
            conn, actor=ADMIN, action=audit_trail.PACK, plan_id=old_id, plan_name=PLAN, detail={"format": "pdf"}
        )
    plan_admin.delete_plan(engine, old_id, confirm_name=PLAN, actor=ADMIN)
    build_testshire(engine, name="Newshire")
    new_id = _plan_id(engine, "Newshire")
    assert new_id == old_id  # the reuse this guards against
    with engine.begin() as conn:
        audit_trail.record(
            conn, actor=ADMIN, action=audit_trail.PACK, plan_id=new_id, plan_name="Newshire", detail={"format": "docx"}
        )

    newshire = audit_trail.find_plan(engine, "Newshire")
    assert list(audit_trail.trail(engine, plan=newshire)["summary"]) == ["pack (DOCX)"]
    deleted = audit_trail.find_plan(engine, PLAN)
    assert deleted.deleted and deleted.label == f"{PLAN} (deleted)"
    assert list(audit_trail.trail(engine, plan=deleted)["action"]) == [audit_trail.PLAN_DELETED, audit_trail.PACK]
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(AuditEvent)).scalar_one() == 3  # nothing lost


def test_meeting_dates_are_replaced_recorded_and_deleted_with_the_plan(any_engine):
    import datetime as dt

    from data_access.reads import board_meetings
    from data_access.storage.schema import BoardMeeting

    build_testshire(any_engine)
    plan_id = _plan_id(any_engine)
    first = [dt.date(2017, 10, 16), dt.date(2018, 1, 15)]
    assert plan_admin.set_meeting_dates(any_engine, plan_id, first, actor="ed") == (2, 0)
    assert plan_admin.set_meeting_dates(
        any_engine, plan_id, [dt.date(2018, 1, 15), dt.date(2018, 4, 16)], actor="ed"
    ) == (1, 1)
    assert board_meetings.meeting_dates(any_engine, plan_id) == [dt.date(2018, 1, 15), dt.date(2018, 4, 16)]
    with pytest.raises(plan_admin.ChangeRefused, match="Nothing was changed: the meeting dates are as stored."):
        plan_admin.set_meeting_dates(any_engine, plan_id, [dt.date(2018, 4, 16), dt.date(2018, 1, 15)], actor="ed")
    # The default 'overdue as at' for Q3 (31 Dec 2017) is the January meeting; for Q2 too (no October meeting now).
    assert board_meetings.default_as_of(any_engine, plan_id, dt.date(2017, 12, 31)) == dt.date(2018, 1, 15)
    assert board_meetings.default_as_of(any_engine, plan_id, dt.date(2017, 9, 30)) == dt.date(2018, 1, 15)
    trail = audit_trail.trail(any_engine, actions=[audit_trail.PLAN_SETTINGS])
    assert len(trail) == 2
    plan_admin.delete_plan(any_engine, plan_id, confirm_name=PLAN, actor="admin")
    assert _count(any_engine, BoardMeeting) == 0
