"""Which rows of a new review are actions of the previous review.

By action ID, else the same recommendation and the same text (as data_access.store does), else
proposed — never silently applied — by text similarity (rapidfuzz) for rows without an ID.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz
from sqlalchemy import Connection, select

from data_access.importer.parsed import MatchProposal
from data_access.store import clean_ref, normalise_text  # the store's own text normalisation, so both agree
from data_access.tables import Action, ActionUpdate, Recommendation, Review
from data_access.tracker_rows import TrackerRow

SAME_REC_THRESHOLD = 75.0
OTHER_REC_THRESHOLD = 90.0
# At or above this similarity the upload page ticks "same action" for the user (they can untick).
LIKELY_SAME = 85.0


@dataclass(frozen=True)
class PrevAction:
    key: str | None  # stored action key; None for a row of an earlier sheet in the same file
    action_id: str | None  # the tracker's ID (for stored actions: the key when it came from the tracker)
    rec_ref: str
    description: str


@dataclass
class MatchResult:
    matched: dict[int, int]  # new row index -> previous index (ID or exact text)
    proposals: list[MatchProposal]
    added: list[int]  # new row indexes matching nothing (proposed rows excluded)
    dropped: list[int]  # previous indexes matched by nothing (proposed targets excluded)


def previous_review(conn: Connection, plan_id: int, as_at, exclude_review_id: int | None = None):
    """The plan's latest current review on or before as_at (a Row with id, as_at, label) or None."""
    stmt = (
        select(Review.id, Review.as_at, Review.label)
        .where(Review.plan_id == plan_id, Review.replaced_by_id.is_(None), Review.as_at <= as_at)
        .order_by(Review.as_at.desc(), Review.id.desc())
    )
    if exclude_review_id is not None:
        stmt = stmt.where(Review.id != exclude_review_id)
    return conn.execute(stmt.limit(1)).first()


def stored_actions(conn: Connection, review_id: int) -> list[PrevAction]:
    rows = conn.execute(
        select(Action.key, Action.key_from_tracker, Action.description, Recommendation.ref)
        .join(ActionUpdate, ActionUpdate.action_id == Action.id)
        .join(Recommendation, Recommendation.id == Action.recommendation_id)
        .where(ActionUpdate.review_id == review_id)
        .order_by(ActionUpdate.id)
    ).all()
    return [PrevAction(r.key, r.key if r.key_from_tracker else None, r.ref, r.description) for r in rows]


def parsed_actions(rows: list[TrackerRow]) -> list[PrevAction]:
    return [PrevAction(None, r.action_id, clean_ref(r.rec_ref), r.description) for r in rows]


def match_rows(rows: list[TrackerRow], previous: list[PrevAction], review_index: int) -> MatchResult:
    by_id: dict[str, int] = {}
    by_text: dict[tuple[str, str], int] = {}
    for i, p in enumerate(previous):
        if p.action_id:
            by_id.setdefault(p.action_id, i)
        if p.key:
            by_id.setdefault(p.key, i)
        by_text.setdefault((p.rec_ref, normalise_text(p.description)), i)
    matched: dict[int, int] = {}
    taken: set[int] = set()
    unmatched_plain: list[int] = []
    for n, row in enumerate(rows):
        if row.action_id:
            i = by_id.get(row.action_id)
            if i is not None and i not in taken:
                matched[n] = i
                taken.add(i)
            continue  # an ID the previous review lacks is a new action, as the store treats it
        i = by_text.get((clean_ref(row.rec_ref), normalise_text(row.description)))
        if i is not None and i not in taken:
            matched[n] = i
            taken.add(i)
        else:
            unmatched_plain.append(n)

    scored: list[tuple[float, int, int]] = []
    free = [i for i in range(len(previous)) if i not in taken]
    for n in unmatched_plain:
        new_text = normalise_text(rows[n].description)
        ref = clean_ref(rows[n].rec_ref)
        if not new_text:
            continue
        for i in free:
            old_text = normalise_text(previous[i].description)
            if not old_text:
                continue
            score = fuzz.token_sort_ratio(new_text, old_text)
            score = max(score, fuzz.token_set_ratio(new_text, old_text) - 5)
            threshold = SAME_REC_THRESHOLD if previous[i].rec_ref == ref else OTHER_REC_THRESHOLD
            if score >= threshold:
                scored.append((score, n, i))
    proposals: list[MatchProposal] = []
    proposed_rows: set[int] = set()
    for score, n, i in sorted(scored, key=lambda s: (-s[0], s[1], s[2])):
        if n in proposed_rows or i in taken:
            continue
        proposed_rows.add(n)
        taken.add(i)
        proposals.append(
            MatchProposal(
                review_index,
                n,
                previous[i].key,
                round(float(score), 1),
                previous[i].description,
                rows[n].description,
                rows[n].rec_ref,
            )
        )
    proposals.sort(key=lambda p: p.row_index)
    added = [n for n in range(len(rows)) if n not in matched and n not in proposed_rows]
    dropped = [i for i in range(len(previous)) if i not in taken]
    return MatchResult(matched, proposals, added, dropped)


def describe(rec_ref: str, action_id: str | None, description: str) -> str:
    text = " ".join((description or "").split())
    if len(text) > 90:
        text = text[:89] + "…"
    label = f"{clean_ref(rec_ref)}" + (f" / {action_id}" if action_id else "")
    return f"{label}: {text}"
