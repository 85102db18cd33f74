"""Which way is better for a plan's measures of success, by indicator name, when a file does not say
(schema.MeasureDirection, migration 0011). Set on the Plan settings page (set_direction), or by
answering the upload preview's question (remember, in the import's transaction); read by the preview
and the command line's import (stored_directions). Never guessed: a name with no setting is asked
about (the page) or refused (the command line, unless --better gives it)."""

from __future__ import annotations

from sqlalchemy import Connection, Engine, delete, insert, select, update

from data_access.domain.clock import utc_now
from data_access.domain.measure_rules import DIRECTIONS
from data_access.storage.database import write_transaction
from data_access.storage.plan_admin import ChangeRefused, _busy_refused, _plan, _record_setting
from data_access.storage.schema import MeasureDirection

MAX_NAME = 500


def name_key(name: str) -> str:
    """The one spelling a setting is stored and looked up by: whitespace runs as one space."""
    return " ".join(str(name).split())


def stored_directions(conn: Connection, plan_id: int | None) -> dict[str, str]:
    """{indicator name: 'higher' | 'lower'} as the plan's settings say ({} for no plan)."""
    if plan_id is None:
        return {}
    return dict(
        conn.execute(
            select(MeasureDirection.name, MeasureDirection.better)
            .where(MeasureDirection.plan_id == plan_id)
            .order_by(MeasureDirection.name)
        ).all()
    )


def plan_directions(engine: Engine, plan_id: int) -> dict[str, str]:
    with engine.connect() as conn:
        return stored_directions(conn, plan_id)


def remember(conn: Connection, plan_id: int, answers: dict[str, str], *, actor: str | None) -> None:
    """Store each answer (name -> direction) as the plan's setting, inside the caller's transaction."""
    stored = stored_directions(conn, plan_id)
    now = utc_now().replace(tzinfo=None)
    for raw, better in answers.items():
        name = name_key(raw)
        if better not in DIRECTIONS or stored.get(name) == better:
            continue
        if name in stored:
            conn.execute(
                update(MeasureDirection)
                .where(MeasureDirection.plan_id == plan_id, MeasureDirection.name == name)
                .values(better=better, set_by=actor, set_at=now)
            )
        else:
            conn.execute(
                insert(MeasureDirection).values(plan_id=plan_id, name=name, better=better, set_by=actor, set_at=now)
            )


@_busy_refused
def set_direction(engine: Engine, plan_id: int, name: str, better: str | None, *, actor: str | None) -> str:
    """Set (`better` 'higher' or 'lower') or forget (None) the plan's direction for the measure
    `name`; returns the sentence to show, after recording it in the audit trail. Refused in one
    sentence: no name, a name too long, a direction that is neither, or nothing changed."""
    key = name_key(name or "")
    if not key:
        raise ChangeRefused("Give the measure's name.")
    if len(key) > MAX_NAME:
        raise ChangeRefused(f"A measure's name can be at most {MAX_NAME} characters.")
    if better is not None and better not in DIRECTIONS:
        raise ChangeRefused("Which way is better must be 'higher' or 'lower'.")
    with write_transaction(engine) as conn:
        row = _plan(conn, plan_id)
        before = stored_directions(conn, plan_id).get(key)
        if before == better:
            raise ChangeRefused(
                f"Nothing was changed: '{key}' is already {better} is better."
                if better
                else f"Nothing was changed: there is no setting for '{key}'."
            )
        if better is None:
            conn.execute(
                delete(MeasureDirection).where(MeasureDirection.plan_id == plan_id, MeasureDirection.name == key)
            )
            said = f"The setting for '{key}' was removed; a file that does not say will be asked about again."
        else:
            remember(conn, plan_id, {key: better}, actor=actor)
            said = f"'{key}': {better} is better."
        _record_setting(
            conn,
            actor,
            plan_id,
            row.name,
            "measure direction",
            [f"{key}: {before or 'not set'} → {better or 'not set'}"],
        )
    return said
