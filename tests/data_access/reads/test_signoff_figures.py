"""The board's decisions per review, for the trends page (issue 25), on the board plan
(tests/fixtures.py), SQLite and PostgreSQL. Events recorded by hand (decision_events):
- Q1: 2.1 signed off from the tracker                              -> Q1: 1 signed off
- Q2: 1.2 signed off in the app; 2.1 re-opened by the tracker      -> Q2: 1 signed off, 1 re-opened
- Q2: 1.1 moved later, not approved; 2.2 moved, approved           -> Q2: 2 changes, 1 not approved
  (record_board_date_changes)
- then the board approves 1.1's change: a new row for the same change -> Q2: still 2 changes, 0 not approved
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from data_access.domain import signoff_rules
from data_access.reads import signoff_figures
from data_access.storage import board_decisions
from data_access.storage.database import write_transaction
from data_access.storage.schema import DueDateChange
from tests.fixtures import populate_board, record_board_date_changes


@pytest.fixture
def ids(any_engine) -> dict:
    ids = populate_board(any_engine)
    record_board_date_changes(any_engine, ids)
    a = ids["actions"]
    with write_transaction(any_engine) as conn:
        for action, review, kind, source in (
            ("2.1", "q1", signoff_rules.SIGNED_OFF, signoff_rules.FROM_TRACKER),
            ("1.2", "q2", signoff_rules.SIGNED_OFF, signoff_rules.FROM_APP),
            ("2.1", "q2", signoff_rules.UNDONE, signoff_rules.FROM_TRACKER),
        ):
            board_decisions.record_signoff(
                conn, action_id=a[action], review_id=ids[review], kind=kind, recorded_by="chair", source=source
            )
    return ids


def _counts(engine, plan_id) -> list[tuple]:
    frame = signoff_figures.decisions_per_review(engine, plan_id)
    return [tuple(r) for r in frame[["label", "signed_off", "reopened", "date_changes", "not_approved"]].to_numpy()]


def test_sign_offs_reopenings_and_date_changes_per_review(any_engine, ids):
    assert _counts(any_engine, ids["plan"]) == [("Q1 2024/25", 1, 0, 0, 0), ("Q2 2024/25", 1, 1, 2, 1)]


def test_a_decision_on_a_change_is_not_a_second_change(any_engine, ids):
    with any_engine.connect() as conn:
        change_id = conn.execute(
            select(DueDateChange.id).where(DueDateChange.action_id == ids["actions"]["1.1"])
        ).scalar_one()
    board_decisions.decide_date_change(
        any_engine, change_id=change_id, state=signoff_rules.APPROVED, actor="chair", role="editor"
    )
    assert _counts(any_engine, ids["plan"]) == [("Q1 2024/25", 1, 0, 0, 0), ("Q2 2024/25", 1, 1, 2, 0)]


def test_an_undo_in_the_app_is_not_a_reopening(any_engine, ids):
    with write_transaction(any_engine) as conn:
        board_decisions.record_signoff(
            conn, action_id=ids["actions"]["1.2"], review_id=ids["q2"], kind=signoff_rules.UNDONE,
            recorded_by="chair", source=signoff_rules.FROM_APP,
        )  # fmt: skip
    assert _counts(any_engine, ids["plan"])[1][2] == 1
