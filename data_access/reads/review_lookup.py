"""Which reviews a plan has, and finding one by id, label or as-at date. Replaced reviews
(Review.replaced_by_id set) are ignored; reviews are ordered by their as-at date (then id), never by
import order."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, select

from data_access.domain.wording import long_date
from data_access.reads import catalogue
from data_access.storage.schema import Review


class TrendsError(ValueError):
    """A request that cannot be answered (unknown review, too few reviews); the message is one
    sentence fit to show a user."""


class ReviewNotFound(TrendsError):
    """No current review of the plan has that label or as-at date."""


# ---------------------------------------------------------------------------
# Reviews
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewRef:
    id: int
    plan_id: int
    label: str
    as_at: dt.date

    @property
    def title(self) -> str:
        """'Q1 2017/18 (30 June 2017)'."""
        return f"{self.label} ({long_date(self.as_at)})"


def current_reviews(engine: Engine, plan_id: int) -> list[ReviewRef]:
    """The plan's current reviews in as-at order (replaced reviews excluded)."""
    df = catalogue.list_reviews(engine, plan_id)
    return [ReviewRef(int(r.id), plan_id, r.label, as_date(r.as_at)) for r in df.itertuples(index=False)]


def get_review(engine: Engine, review_id: int) -> ReviewRef:
    """A current review by id; a replaced or missing review is an error."""
    with engine.connect() as conn:
        row = conn.execute(
            select(Review.id, Review.plan_id, Review.label, Review.as_at, Review.replaced_by_id).where(
                Review.id == review_id
            )
        ).first()
    if row is None:
        raise TrendsError(f"There is no review with id {review_id}.")
    if row.replaced_by_id is not None:
        raise TrendsError(f"Review {row.label} (id {review_id}) was replaced by a later import.")
    return ReviewRef(row.id, row.plan_id, row.label, row.as_at)


def resolve_review(engine: Engine, plan_id: int, ref: str) -> int:
    """The id of the plan's current review named by `ref`: its label (exact, else ignoring case
    and spacing) or its as-at date as YYYY-MM-DD."""
    reviews = current_reviews(engine, plan_id)
    text = (ref or "").strip()
    matches = [r for r in reviews if r.label == text]
    if not matches:
        folded = " ".join(text.lower().split())
        matches = [r for r in reviews if " ".join(r.label.lower().split()) == folded]
    if not matches:
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            day = None
        if day is not None:
            matches = [r for r in reviews if r.as_at == day]
    if not matches:
        raise ReviewNotFound(f"The plan has no review labelled or dated '{ref}'.")
    if len(matches) > 1:
        labels = ", ".join(f"{r.label} ({r.as_at.isoformat()})" for r in matches)
        raise TrendsError(f"'{ref}' matches more than one review ({labels}); use a unique label.")
    return matches[0].id


def default_pair(engine: Engine, plan_id: int) -> tuple[int, int]:
    """(from, to) ids of the plan's last two current reviews."""
    reviews = current_reviews(engine, plan_id)
    if len(reviews) < 2:
        have = "no reviews" if not reviews else "only one review"
        raise TrendsError(f"The plan has {have}; trends need at least two.")
    return reviews[-2].id, reviews[-1].id


def as_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return pd.Timestamp(value).date()
