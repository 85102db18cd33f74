"""Which action each row of a new review is: decided once, in the preview.

A row is the plan's action with the same tracker ID (its key), else — for a row without an ID —
the action with the same recommendation and the same text; rows of earlier sheets of the same file
count as actions of the plan. What is left is a new action, unless its text resembles an action of
the previous review (rapidfuzz): that is proposed, and only applied when the user accepts it.
The store then writes exactly these decisions (store.write_review's action_ids).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz import fuzz
from sqlalchemy import Connection, select

from data_access.domain.tracker_rows import TrackerRow, clean_ref, normalise_text  # the store compares the same way
from data_access.domain.wording import short_text
from data_access.importer.parsed import ActionRef, MatchProposal
from data_access.storage.schema import Action, ActionUpdate, Recommendation, Review

SAME_REC_THRESHOLD = 75.0
OTHER_REC_THRESHOLD = 90.0
# At or above this similarity the upload page ticks "same action" for the user (they can untick).
LIKELY_SAME = 85.0


@dataclass(frozen=True)
class Known:
    """An action the plan has, or will have once an earlier review of the same file is written."""

    ref: ActionRef
    key: str | None  # the stored key, or the tracker's ID of a row of this file
    shown_id: str | None  # the tracker's own ID, when it has one (for "3 / 3.2: ..." descriptions)
    rec_ref: str  # clean_ref
    description: str


@dataclass
class Registry:
    """The plan's actions by key and by (recommendation, text), growing as reviews are matched.

    The text index is built when a row without an ID first asks it: the actions added wait in
    `pending` until then, in order, so the first action of a text still wins. A file whose rows all
    have IDs (or the last review of a file) never normalises the text of its 50,000 rows."""

    by_key: dict[str, ActionRef] = field(default_factory=dict)
    by_text: dict[tuple[str, str], ActionRef] = field(default_factory=dict)
    pending: list[tuple[str, str, ActionRef]] = field(default_factory=list)

    @classmethod
    def of(cls, actions: list[Known]) -> Registry:
        registry = cls()
        for a in actions:
            registry.add(a.ref, a.key, a.rec_ref, a.description)
        return registry

    def add(self, ref: ActionRef, key: str | None, rec_ref: str, description: str) -> None:
        if key:
            self.by_key.setdefault(key, ref)
        self.pending.append((rec_ref, description, ref))

    def identify(self, row: TrackerRow) -> ActionRef | None:
        if row.action_id:
            return self.by_key.get(row.action_id)  # an ID the plan has not seen is a new action
        if self.pending:
            for rec_ref, description, ref in self.pending:
                self.by_text.setdefault((rec_ref, normalise_text(description)), ref)
            self.pending.clear()
        if not self.by_text:
            return None  # nothing to match by text (a plan's first import)
        return self.by_text.get((clean_ref(row.rec_ref), normalise_text(row.description)))


@dataclass
class MatchResult:
    matches: list[ActionRef | None]  # per row: the action it is; None: new (or proposed)
    proposals: list[MatchProposal]
    added: list[int]  # row indexes new since the previous review (proposed rows excluded)
    dropped: list[Known]  # actions of the previous review no row is (proposed targets excluded)
    identities: list[ActionRef]  # per row: what it is once written (matches, else the row itself)


def stored_plan_actions(conn: Connection, plan_id: int) -> list[Known]:
    rows = conn.execute(
        select(Action.id, Action.key, Action.key_from_tracker, Action.description, Recommendation.ref)
        .join(Recommendation, Recommendation.id == Action.recommendation_id)
        .where(Action.plan_id == plan_id)
        .order_by(Action.id)
    ).all()
    return [_known(r) for r in rows]


def stored_review_actions(conn: Connection, review_id: int) -> list[Known]:
    rows = conn.execute(
        select(Action.id, Action.key, Action.key_from_tracker, Action.description, Recommendation.ref)
        .join(ActionUpdate, ActionUpdate.action_id == Action.id)
        .join(Recommendation, Recommendation.id == Action.recommendation_id)
        .where(ActionUpdate.review_id == review_id)
        .order_by(ActionUpdate.id)
    ).all()
    return [_known(r) for r in rows]


def _known(r) -> Known:
    return Known(ActionRef(action_id=r.id), r.key, r.key if r.key_from_tracker else None, r.ref, r.description)


def previous_review(conn: Connection, plan_id: int, as_at):
    """The plan's latest current review on or before as_at (a Row with id, as_at, label) or None."""
    stmt = (
        select(Review.id, Review.as_at, Review.label)
        .where(Review.plan_id == plan_id, Review.replaced_by_id.is_(None), Review.as_at <= as_at)
        .order_by(Review.as_at.desc(), Review.id.desc())
    )
    return conn.execute(stmt.limit(1)).first()


def file_actions(rows: list[TrackerRow], identities: list[ActionRef]) -> list[Known]:
    """A review of this file as the previous review of the next one."""
    return [
        Known(ref, r.action_id, r.action_id, clean_ref(r.rec_ref), r.description)
        for r, ref in zip(rows, identities, strict=True)
    ]


def match_review(rows: list[TrackerRow], review_index: int, registry: Registry, previous: list[Known]) -> MatchResult:
    """The one matching pass for one review: each row's action, text-similarity proposals against
    the previous review, and what was added and dropped since it. Registers the review's new
    actions, so later reviews of the same file find them."""
    matches: list[ActionRef | None] = []
    taken: set[ActionRef] = set()
    for row in rows:
        ref = registry.identify(row)
        if ref is not None and ref in taken:
            ref = None  # the same action twice in one review: both rows are kept, as separate actions
        if ref is not None:
            taken.add(ref)
        matches.append(ref)

    free = [i for i, p in enumerate(previous) if p.ref not in taken]
    scored: list[tuple[float, int, int]] = []
    for n, row in enumerate(rows):
        if matches[n] is not None or row.action_id:
            continue
        new_text = normalise_text(row.description)
        if not new_text:
            continue
        ref = clean_ref(row.rec_ref)
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
    proposed_targets: set[ActionRef] = set()
    for score, n, i in sorted(scored, key=lambda s: (-s[0], s[1], s[2])):
        target = previous[i]
        if n in proposed_rows or target.ref in proposed_targets or target.ref in taken:
            continue
        proposed_rows.add(n)
        proposed_targets.add(target.ref)
        proposals.append(
            MatchProposal(
                review_index,
                n,
                target.key if target.ref.action_id is not None else None,
                round(float(score), 1),
                target.description,
                rows[n].description,
                rows[n].rec_ref,
                target.ref,
            )
        )
    proposals.sort(key=lambda p: p.row_index)

    identities = [
        m if m is not None else ActionRef(review_index=review_index, row_index=n) for n, m in enumerate(matches)
    ]
    for n, row in enumerate(rows):
        if matches[n] is None:
            registry.add(identities[n], row.action_id, clean_ref(row.rec_ref), row.description)
    if not previous:  # a plan's first review: every row is added, nothing dropped
        return MatchResult(matches, proposals, list(range(len(rows))), [], identities)
    before = {p.ref for p in previous}
    added = [n for n in range(len(rows)) if identities[n] not in before and n not in proposed_rows]
    matched_now = set(identities) | proposed_targets
    dropped = [p for p in previous if p.ref not in matched_now]
    return MatchResult(matches, proposals, added, dropped, identities)


def describe(rec_ref: str, action_id: str | None, description: str) -> str:
    text = short_text(description, 90)
    label = f"{clean_ref(rec_ref)}" + (f" / {action_id}" if action_id else "")
    return f"{label}: {text}"
