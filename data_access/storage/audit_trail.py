"""The audit trail: who did what, when, to which plan and review.

`record` is called inside the transaction of the change it records, so a change and its audit
row are committed (or rolled back) together. The table is append-only: the database itself
refuses updates and deletes (triggers from migration 0002), and nothing here or in the app
issues either; rows outlive the plans they name (no foreign key), so a deleted plan's history
stays.

Reading it: `plans_in_trail` (every plan the trail names, deleted ones too), `trail(...)` (rows,
filtered, newest first, with times in Europe/London and each event in words), and
`trail_csv` / `trail_xlsx` for downloads (tracker, file and plan names kept inert).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, and_, insert, select

from data_access.domain.clock import LONDON, in_london, utc_now
from data_access.domain.wording import long_date, plural, stored_time
from data_access.storage.database import write_transaction
from data_access.storage.schema import AuditEvent, Plan

if TYPE_CHECKING:
    import pandas as pd

# Recording is on every import's path (the command line loads it lazily, without pandas): reading
# and downloading import pandas and the export rules where they are used.

IMPORT, REPLACE, RESTORE = "import", "replace", "restore"
COLUMN_MAPPING, STATUS_MAPPING, PLAN_SETTINGS = "column mapping", "status mapping", "plan settings"
TERM_DATES = "term dates"
SIGN_IN, PACK = "sign-in", "pack generated"
PLAN_DELETED = "plan deleted"
MEASURES = "measures imported"  # measures of success added or corrected (importer/committing/measure_writing.py)
SIGN_OFF, DATE_DECISION = "sign-off", "date change"  # the board's decisions (storage/board_decisions.py)
# The update round (storage/update_rounds.py): opened, an action updated, a tracker fed in, closed.
ROUND_OPENED, ROUND_UPDATE, ROUND_CLOSED = "round opened", "round update", "round closed"
ACTIONS = (
    IMPORT,
    REPLACE,
    RESTORE,
    COLUMN_MAPPING,
    STATUS_MAPPING,
    TERM_DATES,
    PLAN_SETTINGS,
    PLAN_DELETED,
    SIGN_IN,
    PACK,
    MEASURES,
    SIGN_OFF,
    DATE_DECISION,
    ROUND_OPENED,
    ROUND_UPDATE,
    ROUND_CLOSED,
)
# The actions that change what the board shows (catalogue.data_version keys the app's cache on them).
# A round's opening and updates change no figure the board shows (the round's pages read them
# uncached); its closing writes a review, recorded as an import.
CHANGES_SHOWN = (IMPORT, REPLACE, RESTORE, PLAN_SETTINGS, PLAN_DELETED, MEASURES, SIGN_OFF, DATE_DECISION)

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
            detail=_detail_json(detail),
        )
    )


def _detail_json(detail: dict | None) -> str | None:
    return json.dumps(detail, sort_keys=True, ensure_ascii=False, default=str) if detail else None


def record_sign_in(engine: Engine, *, actor: str, role: str | None, source: str, issued_at: dt.datetime | None) -> bool:
    """A sign-in, in its own transaction: once per ID token (`issued_at`), however many browser
    tabs or sessions it opens. Returns whether a row was added."""
    detail = _detail_json(
        {"role": role or "none", "role from": source, "token issued": issued_at.isoformat() if issued_at else None}
    )
    with write_transaction(engine) as conn:
        if issued_at is not None:
            seen = conn.execute(
                select(AuditEvent.id).where(
                    AuditEvent.action == SIGN_IN, AuditEvent.actor == actor, AuditEvent.detail == detail
                )
            ).first()
            if seen is not None:
                return False
        conn.execute(insert(AuditEvent).values(at_utc=utc_now(), actor=actor, action=SIGN_IN, detail=detail))
    return True


# ---------------------------------------------------------------------------
# Reading the trail
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanInTrail:
    """A plan as the trail knows it. A deleted plan's id can be given again to a new plan (SQLite
    reuses the highest id), so a plan's rows are those with its id after the previous deletion of
    that id, up to its own deletion."""

    plan_id: int
    name: str  # the current name; for a deleted plan, its name when deleted
    after_event: int = 0  # rows with a higher id...
    deleted_at_event: int | None = None  # ...up to and including this one (its deletion)

    @property
    def deleted(self) -> bool:
        return self.deleted_at_event is not None

    @property
    def label(self) -> str:
        return f"{self.name} (deleted)" if self.deleted else self.name


def plans_in_trail(engine: Engine) -> list[PlanInTrail]:
    """Every stored plan (archived too), then every deleted plan, each by name."""
    with engine.connect() as conn:
        stored = conn.execute(select(Plan.id, Plan.name).order_by(Plan.name)).all()
        deletions = conn.execute(
            select(AuditEvent.id, AuditEvent.plan_id, AuditEvent.plan_name)
            .where(AuditEvent.action == PLAN_DELETED, AuditEvent.plan_id.is_not(None))
            .order_by(AuditEvent.id)
        ).all()
    last_deletion: dict[int, int] = {}
    deleted = []
    for row in deletions:
        deleted.append(
            PlanInTrail(row.plan_id, row.plan_name or f"plan {row.plan_id}", last_deletion.get(row.plan_id, 0), row.id)
        )
        last_deletion[row.plan_id] = row.id
    current = [PlanInTrail(p.id, p.name, last_deletion.get(p.id, 0)) for p in stored]
    return current + sorted(deleted, key=lambda p: (p.name.casefold(), p.deleted_at_event))


def find_plan(engine: Engine, name: str) -> PlanInTrail | None:
    """The stored plan called `name`, else the latest deleted plan that was called that."""
    matches = [p for p in plans_in_trail(engine) if p.name == name]
    stored = [p for p in matches if not p.deleted]
    if stored:
        return stored[0]
    return max(matches, key=lambda p: p.deleted_at_event) if matches else None


def london_day_start(day: dt.date) -> dt.datetime:
    """Midnight at the start of `day` in London, as stored (UTC, naive)."""
    start = dt.datetime.combine(day, dt.time(), tzinfo=LONDON)
    return start.astimezone(dt.UTC).replace(tzinfo=None)


TRAIL_COLUMNS = ["id", "at_utc", "when", "actor", "action", "plan_id", "plan_name", "review_id", "detail", "summary"]


def trail(
    engine: Engine,
    *,
    plan: PlanInTrail | None = None,
    actions: Iterable[str] = (),
    actor: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    limit: int | None = None,
) -> pd.DataFrame:
    """The trail, newest first, filtered: one plan, some actions, one person, London dates from
    `since` to `until` (both included). `when` is London time in words, `detail` the recorded
    dict, `summary` the event in one line."""
    stmt = select(
        AuditEvent.id,
        AuditEvent.at_utc,
        AuditEvent.actor,
        AuditEvent.action,
        AuditEvent.plan_id,
        AuditEvent.plan_name,
        AuditEvent.review_id,
        AuditEvent.detail,
    ).order_by(AuditEvent.id.desc())
    conditions = []
    if plan is not None:
        conditions += [AuditEvent.plan_id == plan.plan_id, AuditEvent.id > plan.after_event]
        if plan.deleted_at_event is not None:
            conditions.append(AuditEvent.id <= plan.deleted_at_event)
    actions = tuple(actions)
    if actions:
        conditions.append(AuditEvent.action.in_(actions))
    if actor:
        conditions.append(AuditEvent.actor == actor)
    if since:
        conditions.append(AuditEvent.at_utc >= london_day_start(since))
    if until:
        conditions.append(AuditEvent.at_utc < london_day_start(until + dt.timedelta(days=1)))
    if conditions:
        stmt = stmt.where(and_(*conditions))
    if limit:
        stmt = stmt.limit(limit)
    import pandas as pd

    with engine.connect() as conn:
        rows = conn.execute(stmt).all()
    records = []
    for r in rows:
        detail = _parse_detail(r.detail)
        records.append(
            {
                "id": r.id,
                "at_utc": r.at_utc,
                "when": stored_time(r.at_utc),
                "actor": r.actor,
                "action": r.action,
                "plan_id": r.plan_id,
                "plan_name": r.plan_name,
                "review_id": r.review_id,
                "detail": detail,
                "summary": describe(r.action, detail),
            }
        )
    frame = pd.DataFrame(records, columns=TRAIL_COLUMNS)
    return frame.astype({"plan_id": "Int64", "review_id": "Int64"})


def actors(engine: Engine) -> list[str]:
    """Everyone the trail names, by name."""
    with engine.connect() as conn:
        return sorted(conn.execute(select(AuditEvent.actor).distinct()).scalars(), key=str.casefold)


def _parse_detail(text: str | None) -> dict:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {"detail": text}
    return value if isinstance(value, dict) else {"detail": value}


def _date_words(value) -> str:
    try:
        return long_date(dt.date.fromisoformat(str(value)[:10]))
    except ValueError:
        return str(value)


def describe(action: str, detail: dict) -> str:
    """One event in words, e.g. "tracker-q2.xlsx, as at 30 September 2017: 42 actions (SHA-256 …)"."""
    d = detail or {}
    if action in (IMPORT, REPLACE):
        parts = [str(d.get("file", "a tracker"))]
        if d.get("sheet"):
            parts.append(f"sheet '{d['sheet']}'")
        if d.get("as_at"):
            parts.append(f"as at {_date_words(d['as_at'])}")
        text = ", ".join(parts)
        if d.get("actions") is not None:
            text += f": {plural(int(d['actions']), 'action')}"
        if action == REPLACE and d.get("replaced_review_id"):
            text += f"; replaced review {d['replaced_review_id']}"
        if d.get("sha256"):
            text += f" (SHA-256 {d['sha256']})"
        return text
    if action == RESTORE:
        hidden = ", ".join(str(i) for i in d.get("hidden_review_ids") or []) or "none"
        when = f" as at {_date_words(d['as_at'])}" if d.get("as_at") else ""
        return f"review{when} made current again; hidden in its place (kept): {hidden}"
    if action in (COLUMN_MAPPING, STATUS_MAPPING):
        changes = d.get("changes") or {}
        if changes:
            return "; ".join(f"'{k}' → {v if v else 'ignored'}" for k, v in sorted(changes.items()))
    if action == PLAN_SETTINGS:
        change = d.get("change")
        if change == "rename":
            return f"renamed from '{d.get('from')}' to '{d.get('to')}'"
        if change == "archive":
            return "archived (hidden from the board's plan list, kept)"
        if change == "unarchive":
            return "brought back from the archive"
    if action == PLAN_DELETED:
        return (
            f"deleted, with {plural(int(d.get('reviews', 0)), 'review')} and "
            f"{plural(int(d.get('actions', 0)), 'action')}"
        )
    if action == SIGN_IN:
        if d.get("role") in (None, "none"):
            return "refused: no role"
        return f"signed in as {d['role']} ({d.get('role from', 'identity provider')})"
    if action == MEASURES:
        text = (
            f"{d.get('file', 'a file')}: {plural(int(d.get('points', 0)), 'measure value')} for "
            f"{plural(int(d.get('indicators', 0)), 'measure')}"
        )
        corrections = d.get("corrections") or []
        if corrections:
            text += f"; corrected: {'; '.join(str(c) for c in corrections)}"
        return text
    if action == PACK:
        what = d.get("kind") or d.get("pack") or "pack"
        return f"{what} ({str(d['format']).upper()})" if d.get("format") else str(what)
    if action == SIGN_OFF:
        kind = {"signed_off": "signed off", "sent_back": "sent back", "undone": "sign-off undone"}.get(
            str(d.get("kind")), str(d.get("kind"))
        )
        return f"{', '.join(map(str, d.get('actions') or []))} {kind}" + (
            f" at the meeting of {_date_words(d['meeting_date'])}" if d.get("meeting_date") else ""
        )
    if action == DATE_DECISION:
        state = str(d.get("state", "")).replace("_", " ")
        return f"{d.get('action')}: due date {d.get('from')} → {d.get('to')} {state}"
    if action == ROUND_OPENED:
        deadline = f", updates due by {_date_words(d['deadline'])}" if d.get("deadline") else ""
        return f"update round for the review of {_date_words(d.get('as_at'))} opened{deadline}"
    if action == ROUND_UPDATE:
        source = f" from {d['file']}" if d.get("file") else ""
        return f"{d.get('action')} updated{source}: {d.get('status')} (version {d.get('version')})"
    if action == ROUND_CLOSED:
        return (
            f"update round for the review of {_date_words(d.get('as_at'))} closed: "
            f"{plural(int(d.get('updated', 0)), 'action')} updated, {int(d.get('not_updated', 0))} with no update"
        )
    return "; ".join(f"{k}: {v}" for k, v in sorted(d.items()))


# ---------------------------------------------------------------------------
# Downloads
# ---------------------------------------------------------------------------

EXPORT_HEADINGS = {
    "when": "When (London)",
    "actor": "Who",
    "action": "What",
    "plan_name": "Plan",
    "review_id": "Review",
    "summary": "Details",
}


def export_rows(rows: pd.DataFrame) -> list[list]:
    """The trail's rows as the cells of a download, in EXPORT_HEADINGS order."""
    import pandas as pd

    out = []
    for r in rows.itertuples(index=False):
        review = None if pd.isna(r.review_id) else int(r.review_id)
        out.append([r.when, r.actor, r.action, r.plan_name or "", review, r.summary])
    return out


def trail_csv(rows: pd.DataFrame) -> bytes:
    """UTF-8 with a BOM; every text field inert (data_access.papers.excel_export's rule)."""
    import csv
    import io

    from data_access.papers.excel_export import inert_csv_text

    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(EXPORT_HEADINGS.values())
    for row in export_rows(rows):
        writer.writerow(["" if v is None else inert_csv_text(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def trail_xlsx(rows: pd.DataFrame, title: str) -> bytes:
    """One sheet: a title row, a frozen, filterable header row, one row per event; text inert."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from data_access.papers.excel_export import write_inert

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Audit trail"
    write_inert(sheet.cell(row=1, column=1), title).font = Font(bold=True, size=14)
    for col, heading in enumerate(EXPORT_HEADINGS.values(), start=1):
        write_inert(sheet.cell(row=3, column=col), heading).font = Font(bold=True)
    for r, row in enumerate(export_rows(rows), start=4):
        for col, value in enumerate(row, start=1):
            if value is not None:
                write_inert(sheet.cell(row=r, column=col), value).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A4"
    last = sheet.cell(row=3, column=len(EXPORT_HEADINGS)).column_letter
    sheet.auto_filter.ref = f"A3:{last}{max(3, len(rows) + 3)}"
    for letter, width in zip("ABCDEF", (24, 32, 16, 40, 10, 80), strict=True):
        sheet.column_dimensions[letter].width = width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def as_json(rows: pd.DataFrame) -> list[dict]:
    """The trail's rows for `python -m data_access audit --json` (times in London, ISO 8601)."""
    import pandas as pd

    return [
        {
            "id": int(r.id),
            "at": in_london(r.at_utc).isoformat(),
            "when": r.when,
            "actor": r.actor,
            "action": r.action,
            "plan_id": None if pd.isna(r.plan_id) else int(r.plan_id),
            "plan": r.plan_name,
            "review_id": None if pd.isna(r.review_id) else int(r.review_id),
            "detail": r.detail,
            "summary": r.summary,
        }
        for r in rows.itertuples(index=False)
    ]
