"""The audit trail: who did what, when, to which plan and review.

`record` is called inside the transaction of the change it records, so a change and its audit
row are committed (or rolled back) together. The table is append-only: the database itself
refuses updates and deletes (triggers from migration 0002), so nothing in the app can rewrite it.
"""

from __future__ import annotations

import json

from sqlalchemy import Connection, insert

from data_access.clock import utc_now
from data_access.tables import AuditEvent

IMPORT, REPLACE, RESTORE = "import", "replace", "restore"
COLUMN_MAPPING, STATUS_MAPPING, PLAN_SETTINGS = "column mapping", "status mapping", "plan settings"
SIGN_IN, PACK = "sign-in", "pack generated"
ACTIONS = (IMPORT, REPLACE, RESTORE, COLUMN_MAPPING, STATUS_MAPPING, PLAN_SETTINGS, SIGN_IN, PACK)

# Who acted when nobody is signed in: the laptop's one local user, or an operator's command.
LOCAL_USER, COMMAND_LINE = "local user", "command line"


def record(
    conn: Connection,
    *,
    actor: str | None,
    action: str,
    plan_id: int | None = None,
    plan_name: str | None = None,
    review_id: int | None = None,
    detail: dict | None = None,
) -> None:
    """Add one audit row inside the caller's transaction."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    conn.execute(
        insert(AuditEvent).values(
            at_utc=utc_now(),
            actor=actor or LOCAL_USER,
            action=action,
            plan_id=plan_id,
            plan_name=plan_name,
            review_id=review_id,
            detail=json.dumps(detail, sort_keys=True, ensure_ascii=False, default=str) if detail else None,
        )
    )
