"""The status mix of every current review of a plan (one row per review), counted in SQL."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine

from data_access.domain.rules import (
    STATUSES,
    overdue_counted_at,
)
from data_access.reads import review_figures
from data_access.reads.review_lookup import current_reviews


def status_mix(engine: Engine, plan_id: int, lag_days: int = 0, baseline: bool = False) -> pd.DataFrame:
    """One row per current review in as-at order: review_id, label, as_at, actions, a count per
    status (complete, green, amber, red, unknown), pct_complete (rules.percent) and overdue —
    counted `lag_days` after that review's own as-at date (rules.overdue_lag_days: the overview's
    change in overdue follows the same rule; against each action's baseline date when `baseline`), and
    overdue_as_of, the date it was counted at."""
    rows = []
    for review in current_reviews(engine, plan_id):
        counted_at = overdue_counted_at(review.as_at, lag_days)
        kpis = review_figures.review_kpis(engine, review.id, counted_at, baseline)
        rows.append(
            dict(
                review_id=review.id,
                label=review.label,
                as_at=review.as_at,
                actions=kpis.actions,
                **{s: getattr(kpis, s) for s in STATUSES},
                pct_complete=kpis.pct_complete,
                overdue=kpis.overdue,
                overdue_as_of=counted_at,
            )
        )
    columns = ["review_id", "label", "as_at", "actions", *STATUSES, "pct_complete", "overdue", "overdue_as_of"]
    return pd.DataFrame(rows, columns=columns)
