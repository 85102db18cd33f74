"""What a plan remembers from earlier uploads: how its tracker's columns map to fields
(Plan.column_mapping), what its coded statuses mean (Plan.status_mapping) and the dates of its
school terms (Plan.term_dates). Read before an
upload is parsed; written by commit, in the import's transaction, with an audit row when changed."""

from __future__ import annotations

import json

from sqlalchemy import Connection, Engine, select, update

from data_access.importer.reading.header_columns import normalise_mapping
from data_access.importer.reading.status_cells import normalise_user_mapping
from data_access.storage import audit_trail
from data_access.storage.schema import Plan


def _load(text: str | None) -> dict | None:
    try:
        value = json.loads(text) if text else None
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def remembered_mapping(engine: Engine, plan_name: str) -> dict[str, str] | None:
    """The column mapping chosen on earlier uploads to this plan ({normalised header: field})."""
    with engine.connect() as conn:
        text = conn.execute(select(Plan.column_mapping).where(Plan.name == plan_name)).scalar_one_or_none()
    return _load(text)


def remembered_status_mapping(engine: Engine, plan_name: str) -> dict[str, str] | None:
    """What this plan's coded statuses mean, as chosen on earlier uploads ({'1': 'red', ...})."""
    with engine.connect() as conn:
        text = conn.execute(select(Plan.status_mapping).where(Plan.name == plan_name)).scalar_one_or_none()
    return _load(text)


def remembered_term_dates(engine: Engine, plan_name: str) -> dict[str, str] | None:
    """The school term dates chosen for this plan ({'summer': '07-31', ...}, month-day)."""
    with engine.connect() as conn:
        text = conn.execute(select(Plan.term_dates).where(Plan.name == plan_name)).scalar_one_or_none()
    return _load(text)


def remember(
    conn: Connection,
    plan_id: int,
    plan_name: str,
    *,
    column_mapping: dict | None,
    status_mapping: dict | None,
    term_dates: dict | None = None,
    actor: str | None,
) -> None:
    """Merge the upload's mappings into the plan's, recording each change in the audit trail."""
    stored = conn.execute(
        select(Plan.column_mapping, Plan.status_mapping, Plan.term_dates).where(Plan.id == plan_id)
    ).one()
    for column, action, given in (
        (
            Plan.column_mapping,
            audit_trail.COLUMN_MAPPING,
            normalise_mapping(column_mapping, "mapping") if column_mapping else None,
        ),
        (
            Plan.status_mapping,
            audit_trail.STATUS_MAPPING,
            normalise_user_mapping(status_mapping) if status_mapping else None,
        ),
        (Plan.term_dates, audit_trail.TERM_DATES, term_dates or None),
    ):
        if not given:
            continue
        before = _load(getattr(stored, column.key)) or {}
        after = {**before, **given}
        if after == before:
            continue
        conn.execute(update(Plan).where(Plan.id == plan_id).values({column.key: json.dumps(after, sort_keys=True)}))
        audit_trail.record(
            conn,
            actor=actor,
            action=action,
            plan_id=plan_id,
            plan_name=plan_name,
            detail={"changes": {k: v for k, v in after.items() if before.get(k, "(unset)") != v}},
        )
