"""The audit trail: written with the change it records (and rolled back with it), append-only,
read back filtered with London times, downloaded inert, printed by `python -m data_access audit`."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import openpyxl
import pytest
from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import DBAPIError

from data_access import importer
from data_access.storage import audit_trail
from data_access.storage.database import write_transaction
from data_access.storage.schema import AuditEvent, Review
from tests.data_access.importer import messy

EDITOR = "ed@council.example"


def _rows(engine) -> list:
    with engine.connect() as conn:
        return conn.execute(select(AuditEvent).order_by(AuditEvent.id)).all()


def _import(engine, data: bytes, name: str, plan: str = "Anytown", as_at=dt.date(2018, 6, 30), **kw) -> list[int]:
    parsed = importer.read_tracker(data, name, as_at=as_at)
    return importer.commit(engine, importer.preview(engine, parsed, plan_name=plan), **kw).review_ids


def test_an_import_records_who_what_and_which_file(any_engine):
    data = messy.build_xlsx()
    (review_id,) = _import(any_engine, data, "anytown-q1.xlsx", imported_by=EDITOR)
    (row,) = _rows(any_engine)
    assert (row.actor, row.action, row.plan_name, row.review_id) == (EDITOR, audit_trail.IMPORT, "Anytown", review_id)
    detail = json.loads(row.detail)
    parsed = importer.read_tracker(data, "anytown-q1.xlsx", as_at=dt.date(2018, 6, 30))
    assert detail["file"] == "anytown-q1.xlsx" and detail["sha256"] == parsed.sha256 and len(parsed.sha256) == 64
    with any_engine.connect() as conn:
        assert conn.execute(select(Review.imported_by).where(Review.id == review_id)).scalar_one() == EDITOR


def test_a_failed_import_leaves_no_audit_row(any_engine):
    """A two-sheet file whose second sheet clashes with a stored review date is refused, and nothing
    of it (the first sheet's review, any audit row) is written. (The importer now refuses this from
    its preview, before writing; test_importer_service.py has the write that fails half-way and is
    rolled back with its audit rows.)"""
    _import(any_engine, messy.build_periods_xlsx([("Q2 2017-18", {})]), "q2.xlsx", as_at=None, imported_by=EDITOR)
    before = _rows(any_engine)
    both = messy.build_periods_xlsx([("Q1 2017-18", {"1.1": "G"}), ("Q2 2017-18", {"1.1": "R"})])
    parsed = importer.read_tracker(both, "q1-and-q2.xlsx")
    assert [r.as_at for r in parsed.reviews] == sorted(r.as_at for r in parsed.reviews)  # Q1 is written first
    with pytest.raises(importer.ImportRefused, match="already has a different review as at that date"):
        importer.commit(any_engine, importer.preview(any_engine, parsed, plan_name="Anytown"), imported_by=EDITOR)
    assert _rows(any_engine) == before
    with any_engine.connect() as conn:
        assert conn.execute(select(Review.id)).all() == [(before[0].review_id,)]


def test_a_column_mapping_change_is_recorded_once(engine):
    data = messy.build_xlsx()
    mapping = {"Measure of success": "evidence"}
    _import(engine, data, "a.xlsx", imported_by=EDITOR)
    parsed = importer.read_tracker(
        messy.build_xlsx(sheet="Later"), "b.xlsx", mapping=mapping, as_at=dt.date(2030, 1, 1)
    )
    importer.commit(engine, importer.preview(engine, parsed, plan_name="Anytown"), imported_by=EDITOR)
    changes = [r for r in _rows(engine) if r.action == audit_trail.COLUMN_MAPPING]
    assert len(changes) == 1 and changes[0].actor == EDITOR
    assert json.loads(changes[0].detail) == {"changes": {"measure of success": "evidence"}}
    assert (
        audit_trail.describe(audit_trail.COLUMN_MAPPING, json.loads(changes[0].detail))
        == "'measure of success' → evidence"
    )


def test_audit_rows_cannot_be_changed_or_deleted(any_engine):
    with write_transaction(any_engine) as conn:
        audit_trail.record(conn, actor=EDITOR, action=audit_trail.PACK, detail={"format": "pdf"})
    for statement in (update(AuditEvent).values(actor="someone else"), delete(AuditEvent)):
        with pytest.raises(DBAPIError, match="audit rows cannot be"), write_transaction(any_engine) as conn:
            conn.execute(statement)
    assert [r.actor for r in _rows(any_engine)] == [EDITOR]


def test_sign_in_is_recorded_once_per_token(engine):
    issued = dt.datetime(2026, 12, 3, 9, 0)
    assert audit_trail.record_sign_in(engine, actor=EDITOR, role="editor", source="roles claim", issued_at=issued)
    assert not audit_trail.record_sign_in(engine, actor=EDITOR, role="editor", source="roles claim", issued_at=issued)
    assert audit_trail.record_sign_in(
        engine, actor=EDITOR, role="editor", source="roles claim", issued_at=issued + dt.timedelta(hours=8)
    )
    rows = audit_trail.trail(engine)
    assert list(rows["action"]) == [audit_trail.SIGN_IN, audit_trail.SIGN_IN]
    assert rows["summary"].iloc[0] == "signed in as editor (roles claim)"


def _add(engine, when_utc: dt.datetime, **values) -> None:
    with write_transaction(engine) as conn:
        conn.execute(insert(AuditEvent).values(at_utc=when_utc, **values))


def test_trail_filters_and_london_time(engine):
    # 23:30 UTC on 30 June is 00:30 on 1 July in London (summer time).
    _add(
        engine,
        dt.datetime(2026, 6, 30, 23, 30),
        actor="a@x.example",
        action=audit_trail.IMPORT,
        plan_id=1,
        plan_name="P",
    )
    _add(
        engine,
        dt.datetime(2026, 6, 30, 12, 0),
        actor="b@x.example",
        action=audit_trail.RESTORE,
        plan_id=2,
        plan_name="Q",
    )
    _add(engine, dt.datetime(2026, 12, 1, 9, 5), actor="a@x.example", action=audit_trail.SIGN_IN)
    rows = audit_trail.trail(engine)
    assert list(rows["when"]) == ["1 December 2026, 09:05", "30 June 2026, 13:00", "1 July 2026, 00:30"]
    july = audit_trail.trail(engine, since=dt.date(2026, 7, 1), until=dt.date(2026, 7, 1))
    assert list(july["actor"]) == ["a@x.example"] and list(july["action"]) == [audit_trail.IMPORT]
    assert list(audit_trail.trail(engine, actor="b@x.example")["plan_name"]) == ["Q"]
    assert list(audit_trail.trail(engine, actions=[audit_trail.SIGN_IN, audit_trail.RESTORE])["action"]) == [
        audit_trail.SIGN_IN,
        audit_trail.RESTORE,
    ]
    assert audit_trail.actors(engine) == ["a@x.example", "b@x.example"]


def test_downloads_keep_text_inert(engine):
    _add(
        engine,
        dt.datetime(2026, 12, 1, 9, 5),
        actor="=cmd|' /C calc'!A0",
        action=audit_trail.IMPORT,
        plan_id=1,
        plan_name="+SUM(1)",
        detail=json.dumps({"file": "@evil.xlsx", "sha256": "ab" * 32}),
    )
    rows = audit_trail.trail(engine)
    lines = list(csv.reader(io.StringIO(audit_trail.trail_csv(rows).decode("utf-8-sig"))))
    assert lines[0] == list(audit_trail.EXPORT_HEADINGS.values())
    assert lines[1][:4] == ["1 December 2026, 09:05", "'=cmd|' /C calc'!A0", "import", "'+SUM(1)"]
    sheet = openpyxl.load_workbook(io.BytesIO(audit_trail.trail_xlsx(rows, "Audit trail"))).active
    assert sheet["B4"].value == "=cmd|' /C calc'!A0" and sheet["B4"].data_type == "s"
    assert sheet["D4"].value == "+SUM(1)" and sheet["D4"].data_type == "s"
    assert sheet["F4"].value.startswith("@evil.xlsx") and sheet["F4"].data_type == "s"


def test_cli_prints_the_trail_for_a_plan(cli, engine, sqlite_url):
    _import(engine, messy.build_xlsx(), "anytown.xlsx", imported_by=EDITOR)
    _import(engine, messy.build_xlsx(sheet="Other"), "other.xlsx", plan="Elsewhere", imported_by=EDITOR)
    result = cli("audit", "--plan", "Anytown", "--db", sqlite_url)
    assert result.code == 0
    (line,) = result.out.splitlines()
    assert f"{EDITOR}  import  [Anytown, review 1]  anytown.xlsx" in line
    result = cli("audit", "--json", "--db", sqlite_url)
    document = json.loads(result.out)
    assert [e["plan"] for e in document["events"]] == ["Elsewhere", "Anytown"]
    assert document["events"][0]["at"].endswith(("+00:00", "+01:00"))  # London time, with its offset
    assert cli("audit", "--plan", "Nowhere", "--db", sqlite_url).code == 2


def test_cli_shows_control_characters_as_escapes(cli, engine, sqlite_url):
    _add(engine, dt.datetime(2026, 12, 1, 9, 5), actor="x\x1b[31m@evil", action=audit_trail.PACK)
    out = cli("audit", "--db", sqlite_url).out
    assert "\x1b" not in out and "x\\x1b[31m@evil" in out


def test_nothing_in_the_app_writes_to_audit_rows_except_by_insert():
    """Only inserts: no module issues UPDATE or DELETE on the audit table (the database refuses
    them anyway, see above)."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    for path in [*root.glob("data_access/**/*.py"), *root.glob("pages/**/*.py"), root / "app.py"]:
        source = path.read_text(encoding="utf-8")
        for verb in ("update(AuditEvent", "delete(AuditEvent", "UPDATE audit_event", "DELETE FROM audit_event"):
            assert verb not in source, f"{path} has {verb}"
