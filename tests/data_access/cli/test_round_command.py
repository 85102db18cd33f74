"""`python -m data_access round open|status|close|update` (issue 26): the round from the command
line, `--as` checked exactly like the app (every write a role must not make is refused, exit 2,
one sentence, nothing written), the audit trail written like the app's."""

from __future__ import annotations

import json

import pytest

from data_access.domain.permissions import EDITOR, Person
from data_access.storage import update_rounds
from data_access.storage.database import make_engine
from tests.fixtures import populate_joint

PLAN = "Testshire JTAI 2024"
GROUPS = "police-partners=partner:Testshire Police;csc-editors=editor"


@pytest.fixture
def db(engine, sqlite_url, monkeypatch):
    populate_joint(engine)
    update_rounds.set_lead_identities(
        engine, plan_name=PLAN, mapping={"Designated Nurse": ["nurse@nhs.example"]}, person=Person("e", EDITOR)
    )
    monkeypatch.setenv("BOARD_ROLE_GROUPS", GROUPS)
    return sqlite_url


def _round(cli, db, *args):
    return cli("round", *args, "--plan", PLAN, "--db", db)


def test_open_update_status_close(cli, db):
    out = _round(cli, db, "open", "--date", "2024-10-31", "--deadline", "2024-10-24")
    assert out.code == 0 and "31 October 2024" in out.out, out.err
    out = _round(cli, db, "update", "--action", "1.1", "--status", "red", "--note", "Behind", "--mitigation", "Cover")
    assert out.code == 0, out.err
    out = _round(cli, db, "status", "--json")
    status = json.loads(out.out)
    assert {k: status[k] for k in ("plan", "date", "deadline", "actions", "updated", "outstanding")} == {
        "plan": PLAN,
        "date": "2024-10-31",
        "deadline": "2024-10-24",
        "actions": 4,
        "updated": 1,
        "outstanding": 2,  # the fixture's complete action (2.1) is not asked for an update
    }
    assert {"lead": "DI Safeguarding", "updated": 1, "outstanding": 0} in status["by_lead"]
    assert {"organisation": "Testshire Police", "updated": 1, "outstanding": 1} in status["by_organisation"]
    assert "1 of 4 actions updated" in _round(cli, db, "status").out
    out = _round(cli, db, "close")
    assert out.code == 0 and "1 updated, 2 marked 'no update this round'" in out.out, out.err
    out = cli("audit", "--plan", PLAN, "--json", "--db", db)
    actions = [row["action"] for row in json.loads(out.out)["events"]]
    assert {"round opened", "round update", "round closed", "import"} <= set(actions)
    assert _round(cli, db, "status").code == 2  # no round open now


def test_as_a_partner_only_its_organisations_actions(cli, db):
    assert _round(cli, db, "open", "--date", "2024-10-31").code == 0
    police = ("--as", "pc@police.example", "--groups", "police-partners")
    ok = _round(cli, db, "update", "--action", "2.2", "--status", "green", *police)
    assert ok.code == 0, ok.err
    refused = _round(cli, db, "update", "--action", "1.2", "--status", "green", *police)
    assert refused.code == 2 and "a partner updates only its own organisation's actions" in refused.err
    for step in ("close",):
        out = _round(cli, db, step, *police)
        assert out.code == 2 and "Only editors and admins" in out.err


def test_as_a_lead_only_their_own_actions_and_as_a_viewer_nothing(cli, db):
    assert _round(cli, db, "open", "--date", "2024-10-31").code == 0
    lead = ("--as", "nurse@nhs.example")
    assert _round(cli, db, "update", "--action", "1.2", "--status", "amber", "--mitigation", "Cover", *lead).code == 0
    out = _round(cli, db, "update", "--action", "2.1", "--status", "green", *lead)
    assert out.code == 2 and "a lead updates only their own actions" in out.err
    stranger = ("--as", "someone@council.example")
    for key in ("1.1", "1.2", "2.1", "2.2"):
        assert _round(cli, db, "update", "--action", key, "--status", "green", *stranger).code == 2
    assert _round(cli, db, "close", *stranger).code == 2
    assert _round(cli, db, "close", *lead).code == 2
    # Opening is an editor's step too.
    engine = make_engine(db)
    update_rounds.close_round(engine, plan_name=PLAN, person=Person("e", EDITOR))
    out = _round(cli, db, "open", "--date", "2024-11-30", *lead)
    assert out.code == 2 and "Only editors and admins" in out.err
    assert (
        _round(cli, db, "open", "--date", "2024-11-30", "--as", "boss@council.example", "--groups", "csc-editors").code
        == 0
    )


def test_bad_input_is_one_sentence(cli, db):
    assert "needs --date" in _round(cli, db, "open").err
    assert "is not a date" in _round(cli, db, "open", "--date", "31/10/2024").err
    assert _round(cli, db, "open", "--date", "2024-10-31").code == 0
    assert "needs a mitigation" in _round(cli, db, "update", "--action", "1.2", "--status", "red").err
    assert "is not a status" in _round(cli, db, "update", "--action", "1.2", "--status", "purple").err
    assert "has no action 9.9" in _round(cli, db, "update", "--action", "9.9", "--status", "green").err
    assert (
        "--groups goes with --as" in _round(cli, db, "update", "--action", "1.2", "--status", "G", "--groups", "x").err
    )
    assert "no plan called" in cli("round", "status", "--plan", "Nowhere", "--db", db).err


def test_a_due_date_change_is_asked_for_kept_by_later_updates_and_reaches_the_board(cli, db):
    import datetime as dt

    from data_access.reads import signoff_figures
    from data_access.storage.database import make_engine

    assert _round(cli, db, "open", "--date", "2024-10-31").code == 0
    out = _round(cli, db, "update", "--action", "1.2", "--status", "amber", "--mitigation", "Cover",
                 "--due", "2025-03-31", "--due-reason", "Staff away")  # fmt: skip
    assert out.code == 0 and "new due date 31 March 2025 asked for, awaiting approval" in out.out, out.err
    # A later update that does not mention the date keeps the request (it is not dropped).
    out = _round(cli, db, "update", "--action", "1.2", "--status", "amber", "--note", "Cover arranged")
    assert out.code == 0 and "31 March 2025" in out.out, out.err
    assert _round(cli, db, "close").code == 0
    engine = make_engine(db)
    plan_id = next(p for p in _plans(engine) if p[1] == PLAN)[0]
    (change,) = [c for c in signoff_figures.date_changes(engine, plan_id) if c.to_date == dt.date(2025, 3, 31)]
    assert (change.state, change.reason) == ("not_approved", "Staff away")


def test_a_due_date_request_is_checked_and_can_be_withdrawn(cli, db):
    assert _round(cli, db, "open", "--date", "2024-10-31").code == 0
    update = ("update", "--action", "1.2", "--status", "green")
    assert "needs a reason for the change" in _round(cli, db, *update, "--due", "2025-03-31").err
    assert "is not a date" in _round(cli, db, *update, "--due", "31/03/2025", "--due-reason", "x").err
    assert "needs the new due date" in _round(cli, db, *update, "--due-reason", "Staff away").err
    assert _round(cli, db, *update, "--due", "2025-03-31", "--due-reason", "Staff away").code == 0
    out = _round(cli, db, *update, "--due", "none")
    assert out.code == 0 and "asked for" not in out.out, out.err
    assert "needs the new due date" not in out.err


def _plans(engine):
    from data_access.reads import catalogue

    return [(int(r.id), r.name) for r in catalogue.list_plans(engine).itertuples()]
