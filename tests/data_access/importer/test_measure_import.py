"""Measures of success through preview and commit, on SQLite and PostgreSQL: written in the import's
transaction, history kept (a correction supersedes, never deletes), audit entry, the command line."""

import datetime as dt
import io
import json

import openpyxl
import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from data_access.importer import commit, preview
from data_access.importer.reading.tracker_reader import read_tracker
from data_access.reads import measures
from data_access.storage import audit_trail, plan_admin
from data_access.storage.database import write_transaction
from data_access.storage.schema import AuditEvent, IndicatorValue, MeasureImport


def _tracker(as_at: str, visits: list, rereferrals: list, direction: str = "Low") -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Action plan"
    ws.append([f"Position as at {as_at}"])
    ws.append(["Recommendation", "Action", "Lead", "Timescale", "RAG"])
    ws.append(["1. Improve visits", "1.1 Audit visits", "Head of service", "Jun-17", "Complete"])
    ws.append(["2. Reduce re-referrals", "2.1 Review front door", "Head of service", "Jun-17", "Complete"])
    m = wb.create_sheet("Measures of success")
    m.append(["Indicator", "Recommendation", "Good is", "Target", "Apr-17", "May-17", "Jun-17"])
    m.append(["Visits in time", "1", "High", "80%", *visits])
    m.append(["Re-referrals", "2, 9", direction, "20%", *rereferrals])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _import(engine, data: bytes, name: str):
    pv = preview(engine, read_tracker(data, name), plan_name="Plan")
    return pv, commit(engine, pv, imported_by="tester")


def test_measures_are_written_with_the_reviews_and_corrections_keep_history(any_engine):
    pv, done = _import(any_engine, _tracker("30 June 2017", ["78%", "82%", "n/a"], ["22%", "21%", "19%"]), "q1.xlsx")
    assert [p.message for p in done.measure_problems] == [
        "'Re-referrals' names recommendation '9', which the plan does not have; the measure is kept without that link."
    ]
    plan_id = done.plan_id
    found = {m.name: m for m in measures.plan_measures(any_engine, plan_id)}
    visits, rereferrals = found["Visits in time"], found["Re-referrals"]
    assert visits.recommendations == ("1",) and rereferrals.recommendations == ("2",)
    assert [(p.value, p.target) for p in visits.points] == [(78.0, 80.0), (82.0, 80.0), (None, 80.0)]
    assert (visits.standing.value, visits.standing.word) == (82.0, "Met")
    assert (rereferrals.standing.value, rereferrals.standing.word) == (19.0, "Met")
    assert measures.at_target(list(found.values())) == (2, 2)

    # The next quarter's tracker corrects May and adds July; April (left out of nothing) is kept.
    data = _tracker("30 September 2017", ["78%", "79%", "81%"], ["22%", "21%", "23%"])
    pv2 = preview(any_engine, read_tracker(data, "q2.xlsx"), plan_name="Plan")
    assert pv2.measure_corrections == [
        "Visits in time, 31 May 2017: 82% -> 79%",
        "Visits in time, 30 June 2017: no value -> 81%",
        "Re-referrals, 30 June 2017: 19% -> 23%",
    ]
    done2 = commit(any_engine, pv2, imported_by="tester")
    assert done2.measure_corrections == pv2.measure_corrections
    found = {m.name: m for m in measures.plan_measures(any_engine, plan_id)}
    assert [p.value for p in found["Visits in time"].points] == [78.0, 79.0, 81.0]
    assert found["Visits in time"].corrected == 2
    assert found["Re-referrals"].standing.word == "Not met"  # 23% against 20%, lower is better
    assert measures.at_target(list(found.values())) == (1, 2)
    with any_engine.connect() as conn:
        may = conn.execute(
            select(IndicatorValue.value, MeasureImport.source, IndicatorValue.superseded_by_id)
            .join(MeasureImport, MeasureImport.id == IndicatorValue.import_id)
            .where(IndicatorValue.period_end == dt.date(2017, 5, 31))
            .order_by(IndicatorValue.id)
        ).all()
        audit = conn.execute(
            select(AuditEvent.detail).where(AuditEvent.action == "measures imported").order_by(AuditEvent.id)
        ).scalars().all()  # fmt: skip
    visits_may = [r for r in may if r.value in (82.0, 79.0)]
    assert [(r.value, r.source) for r in visits_may] == [(82.0, "q1.xlsx"), (79.0, "q2.xlsx")]
    assert visits_may[0].superseded_by_id is not None and visits_may[1].superseded_by_id is None
    assert [json.loads(a)["points"] for a in audit] == [6, 3]
    assert json.loads(audit[1])["corrections"] == pv2.measure_corrections
    assert audit_trail.describe(audit_trail.MEASURES, json.loads(audit[1])) == (
        "q2.xlsx: 3 measure values for 2 measures; corrected: Visits in time, 31 May 2017: 82% -> 79%; "
        "Visits in time, 30 June 2017: no value -> 81%; Re-referrals, 30 June 2017: 19% -> 23%"
    )


def test_a_later_import_updates_the_stored_indicators_and_only_they_change(any_engine):
    _, done = _import(any_engine, _tracker("30 June 2017", ["78%", "82%", "n/a"], ["22%", "21%", "19%"]), "q1.xlsx")
    # The board decides re-referrals should now rise (a later file says so); visits are unchanged.
    _, done2 = _import(
        any_engine, _tracker("30 June 2017", ["78%", "82%", "n/a"], ["22%", "21%", "19%"], "High"), "q1b.xlsx"
    )
    assert done2.plan_id == done.plan_id
    found = {m.name: m for m in measures.plan_measures(any_engine, done.plan_id)}
    assert (found["Re-referrals"].better, found["Visits in time"].better) == ("higher", "higher")
    assert (found["Re-referrals"].unit, found["Visits in time"].unit) == ("%", "%")
    assert done2.measure_corrections == []  # the same figures: no point added or superseded
    with any_engine.connect() as conn:
        assert len(conn.execute(select(IndicatorValue.id)).all()) == 6


def test_a_dry_run_writes_no_measures(any_engine):
    pv = preview(any_engine, read_tracker(_tracker("30 June 2017", [1, 2, 3], [1, 2, 3]), "a.xlsx"), plan_name="P")
    commit(any_engine, pv, dry_run=True)
    with any_engine.connect() as conn:
        assert conn.execute(select(IndicatorValue.id)).all() == []


def test_a_measure_without_a_direction_is_left_out(any_engine):
    _, done = _import(any_engine, _tracker("30 June 2017", [1, 2, 3], [1, 2, 3], direction=""), "a.xlsx")
    assert [m.name for m in measures.plan_measures(any_engine, done.plan_id)] == ["Visits in time"]


def test_cli_dry_run_json_lists_measures_and_refuses_an_unknown_direction(cli, tmp_path, sqlite_url):
    path = tmp_path / "q1.xlsx"
    path.write_bytes(_tracker("30 June 2017", ["78%", "82%", "n/a"], ["22%", "21%", "19%"], direction="?"))
    refused = cli("import", path, "--plan", "P", "--db", sqlite_url, "--dry-run", "--json")
    doc = json.loads(refused.out)["files"][0]
    assert refused.code == 2
    assert doc["error"] == (
        "q1.xlsx does not say which way is better for 'Re-referrals', so it is not imported: give it with "
        '--better "Re-referrals=lower" (or =higher), or set it in the plan\'s settings.'
    )
    assert doc["measure_problems"][0]["sheet"] == "Measures of success"
    assert doc["measure_problems"][0]["row"] == 3
    ok = cli("import", path, "--plan", "P", "--db", sqlite_url, "--json", "--better", "Re-referrals=lower")
    doc = json.loads(ok.out)["files"][0]
    assert ok.code == 0, ok.out
    assert doc["measures"][0] == {
        "name": "Visits in time",
        "unit": "%",
        "better": "higher",
        "recommendations": ["1"],
        "points": [
            {"period_end": "2017-04-30", "value": 78.0, "target": 80.0},
            {"period_end": "2017-05-31", "value": 82.0, "target": 80.0},
            {"period_end": "2017-06-30", "value": None, "target": 80.0},
        ],
    }
    assert doc["measures"][1]["better"] == "lower"
    assert [p["message"] for p in doc["measure_problems"]] == [
        "'Re-referrals' names recommendation '9', which the plan does not have; the measure is kept without that link."
    ]
    shown = cli("measures", "--plan", "P", "--db", sqlite_url, "--json")
    stored = json.loads(shown.out)
    assert stored["at_target"] == {"met": 2, "of": 2}
    latest = stored["measures"][1]["latest"]
    assert latest == {"period_end": "2017-06-30", "value": 19.0, "target": 20.0, "met": True, "status": "Met",
                      "change": -2.0}  # fmt: skip
    assert cli("measures", "--plan", "Nobody", "--db", sqlite_url).code != 0
    text = cli("measures", "--plan", "P", "--db", sqlite_url)
    assert "Measures at target: 2 of 2" in text.out
    assert (
        "Re-referrals: 19% against a target of 20% (30 June 2017): Met; down 2 percentage points since 31 May 2017"
        in text.out
    )


# --- which way is better, when the file does not say: asked, or the plan's setting (never guessed) ---


def test_the_preview_asks_and_commit_uses_and_remembers_the_answer(any_engine):
    from data_access.importer import LEAVE_OUT, blockers, unknown_direction
    from data_access.storage.measure_directions import plan_directions

    data = _tracker("30 June 2017", ["78%", "82%", "n/a"], ["22%", "21%", "19%"], direction="?")
    pv = preview(any_engine, read_tracker(data, "q1.xlsx"), plan_name="Plan")
    assert [m.name for m in unknown_direction(pv.measures)] == ["Re-referrals"]
    assert blockers(pv, measure_directions={}) == [
        "q1.xlsx does not say which way is better for 'Re-referrals': choose higher or lower is better (or leave "
        "it out) under Measures of success."
    ]
    assert blockers(pv, measure_directions={"Re-referrals": LEAVE_OUT}) == []
    done = commit(any_engine, pv, imported_by="tester", measure_directions={"Re-referrals": "lower"})
    stored = {m.name: m.better for m in measures.plan_measures(any_engine, done.plan_id)}
    assert stored == {"Visits in time": "higher", "Re-referrals": "lower"}
    assert plan_directions(any_engine, done.plan_id) == {"Re-referrals": "lower"}  # remembered
    # The next file that does not say is not asked again: the plan's setting answers.
    again = preview(any_engine, read_tracker(data, "q1-again.xlsx"), plan_name="Plan")
    assert unknown_direction(again.measures) == []
    assert not [p for p in again.measure_problems if "which way is better" in p.message]


def test_a_measure_left_out_in_the_preview_is_neither_written_nor_remembered(any_engine):
    from data_access.importer import LEAVE_OUT
    from data_access.storage.measure_directions import plan_directions

    data = _tracker("30 June 2017", ["78%", "82%", "n/a"], ["22%", "21%", "19%"], direction="?")
    pv = preview(any_engine, read_tracker(data, "q1.xlsx"), plan_name="Plan")
    done = commit(any_engine, pv, imported_by="tester", measure_directions={"Re-referrals": LEAVE_OUT})
    assert [m.name for m in measures.plan_measures(any_engine, done.plan_id)] == ["Visits in time"]
    assert plan_directions(any_engine, done.plan_id) == {}


def test_the_plan_setting_answers_for_the_cli_and_the_setting_is_audited(cli, tmp_path, sqlite_url):
    from data_access.storage.database import make_engine
    from data_access.storage.measure_directions import plan_directions, set_direction
    from data_access.storage.plan_admin import ChangeRefused

    first = tmp_path / "q1.xlsx"
    first.write_bytes(_tracker("30 June 2017", ["78%", "82%", "n/a"], ["22%", "21%", "19%"]))
    assert cli("import", first, "--plan", "P", "--db", sqlite_url).code == 0
    engine = make_engine(sqlite_url)
    plan_id = 1
    assert (
        set_direction(engine, plan_id, "  Re-referrals ", "lower", actor="admin") == "'Re-referrals': lower is better."
    )
    for name, better, said in [
        ("Re-referrals", "lower", "Nothing was changed: 'Re-referrals' is already lower is better."),
        ("", "lower", "Give the measure's name."),
        ("Re-referrals", "sideways", "Which way is better must be 'higher' or 'lower'."),
        ("Nobody", None, "Nothing was changed: there is no setting for 'Nobody'."),
    ]:
        try:
            set_direction(engine, plan_id, name, better, actor="admin")
        except ChangeRefused as refused:
            assert str(refused) == said
        else:
            raise AssertionError(f"{name}={better} was not refused")
    with engine.connect() as conn:
        detail = conn.execute(
            select(AuditEvent.detail).where(AuditEvent.action == audit_trail.PLAN_SETTINGS)
        ).scalar_one()
    assert "Re-referrals: not set → lower" in json.dumps(detail, ensure_ascii=False)

    second = tmp_path / "q2.xlsx"
    second.write_bytes(_tracker("30 September 2017", ["78%", "79%", "81%"], ["22%", "21%", "23%"], direction=""))
    ok = cli("import", second, "--plan", "P", "--db", sqlite_url, "--json")
    doc = json.loads(ok.out)["files"][0]
    assert ok.code == 0, ok.out
    assert [m["better"] for m in doc["measures"]] == ["higher", "lower"]  # lower: the plan's setting
    assert set_direction(engine, plan_id, "Re-referrals", None, actor="admin").startswith("The setting for")
    assert plan_directions(engine, plan_id) == {}
    refused = cli("import", second, "--plan", "P", "--db", sqlite_url, "--dry-run", "--json")
    assert refused.code == 2 and "give it with --better" in json.loads(refused.out)["files"][0]["error"]
    engine.dispose()


def test_deleting_a_plan_takes_its_measures_and_their_imports(any_engine):
    """A point's import cannot be deleted on its own (no cascade from measure_import), but deleting
    the plan takes both, with the correction links between points."""
    _, done = _import(any_engine, _tracker("30 June 2017", ["78%", "82%", "n/a"], ["22%", "21%", "19%"]), "q1.xlsx")
    _import(any_engine, _tracker("30 September 2017", ["78%", "79%", "81%"], ["22%", "21%", "23%"]), "q2.xlsx")
    with pytest.raises(IntegrityError), write_transaction(any_engine) as conn:
        conn.execute(delete(MeasureImport))
    plan_admin.delete_plan(any_engine, done.plan_id, confirm_name="Plan", actor="tester")
    with any_engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(IndicatorValue)).scalar_one() == 0
        assert conn.execute(select(func.count()).select_from(MeasureImport)).scalar_one() == 0
