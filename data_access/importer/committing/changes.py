"""What a new review changes since the previous one, action by action: for the upload preview,
so a manager sees exactly what Import will say before pressing it.

The actions are the ones matching.match_review decided (by ID, else by text; a proposed text match
counts as the action it would be, since the preview ticks it), compared with what the previous
review said: the plan's stored review before this one, or the file's own earlier review. Listed:
a status that moved, a due date that moved (a revised date included), a new progress note,
an action added, an action removed. A blank note is not a change listed per action (the preview
counts them): it means the action was not updated.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, select

from data_access.domain.rules import status_text
from data_access.domain.tracker_rows import TrackerRow
from data_access.domain.wording import due_text
from data_access.importer.committing.matching import Known, MatchResult, describe
from data_access.importer.parsed import ActionChange, ActionRef
from data_access.storage.schema import ActionUpdate

STATUS, DUE, NOTE, ADDED, REMOVED = "Status", "Due date", "Progress note", "Added", "Removed"


@dataclass(frozen=True)
class Said:
    """What one review said about one action (the fields a change is listed for)."""

    status: str
    due: dt.date | None
    due_raw: str | None
    revised_due: dt.date | None
    progress: str | None


def said_in_file(rows: list[TrackerRow], identities: list[ActionRef]) -> dict[ActionRef, Said]:
    """An earlier review of this file, by the action each row is."""
    return {
        ref: Said(r.status, r.timescale.due, r.timescale.raw, r.revised_due, r.progress)
        for r, ref in zip(rows, identities, strict=True)
    }


def said_in_stored(conn: Connection, review_id: int) -> dict[ActionRef, Said]:
    """A stored review, by action."""
    rows = conn.execute(
        select(
            ActionUpdate.action_id,
            ActionUpdate.status,
            ActionUpdate.due_date,
            ActionUpdate.due_raw,
            ActionUpdate.revised_due_date,
            ActionUpdate.progress,
        ).where(ActionUpdate.review_id == review_id)
    ).all()
    return {
        ActionRef(action_id=r.action_id): Said(r.status, r.due_date, r.due_raw, r.revised_due_date, r.progress)
        for r in rows
    }


def _words(text: str | None) -> str:
    return " ".join((text or "").split())


def _due(said: Said) -> str:
    return due_text(said.due, said.revised_due, said.due_raw)


def _due_moved(before: Said, now: Said) -> bool:
    when_before, when_now = before.revised_due or before.due, now.revised_due or now.due
    if when_before is None and when_now is None:
        return _words(before.due_raw).casefold() != _words(now.due_raw).casefold()  # "Ongoing" -> "TBC"
    return when_before != when_now


def changes_since(
    rows: list[TrackerRow], result: MatchResult, previous: list[Known], before: dict[ActionRef, Said]
) -> list[ActionChange]:
    """Each change since the previous review, in the new review's row order, then the actions
    removed; [] when there is no previous review (previous is empty)."""
    if not previous:
        return []
    proposed = {p.row_index: p.target for p in result.proposals}
    out: list[ActionChange] = []
    for n, row in enumerate(rows):
        label = describe(row.rec_ref, row.action_id, row.description)
        now = Said(row.status, row.timescale.due, row.timescale.raw, row.revised_due, row.progress)
        ref = result.matches[n] or proposed.get(n)
        was = before.get(ref) if ref is not None else None
        if was is None:
            out.append(ActionChange(label, ADDED, "", f"{status_text(now.status)}; due {_due(now)}"))
            continue
        if was.status != now.status:
            out.append(ActionChange(label, STATUS, status_text(was.status), status_text(now.status)))
        if _due_moved(was, now):
            out.append(ActionChange(label, DUE, _due(was), _due(now)))
        if _words(now.progress) and _words(now.progress) != _words(was.progress):
            out.append(ActionChange(label, NOTE, _words(was.progress), _words(now.progress)))
    for gone in result.dropped:  # proposed targets are not dropped (matching.match_review)
        was = before.get(gone.ref)
        out.append(
            ActionChange(
                describe(gone.rec_ref, gone.shown_id, gone.description),
                REMOVED,
                f"{status_text(was.status)}; due {_due(was)}" if was else "",
                "",
            )
        )
    return out
