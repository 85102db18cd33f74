"""Load the sample plans (sample_data.plans) into the database through the one writer.

Each plan is one all-or-nothing transaction. A plan that already exists (same name) is left
alone, so seeding twice never doubles a plan's reviews.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from sqlalchemy import Engine, func, select

from data_access.db import write_transaction
from data_access.models import Plan
from data_access.store import ensure_plan, find_plan, save_review

if TYPE_CHECKING:
    from sample_data.plans import SamplePlan

SEEDED_BY = "sample data"


def seed(engine: Engine, plans: Iterable[SamplePlan] | None = None) -> int:
    """Write the sample plans (default: all of `build_plans()`) and return how many plans were loaded.

    Each review's source is the tracker file that holds it (its sheet is the review's sheet), so
    the app can say where a figure came from.
    """
    if plans is None:
        from sample_data.plans import build_plans  # imported late: the builder is only needed here

        plans = build_plans()
    loaded = 0
    seeded_at = dt.datetime.now().replace(microsecond=0)
    for plan in plans:
        with write_transaction(engine) as conn:
            if find_plan(conn, plan.info.name) is not None:
                continue
            plan_id = ensure_plan(conn, plan.info)
            for review in sorted(plan.reviews, key=lambda r: r.as_at):
                save_review(conn, plan_id, review, source=plan.tracker_file(review),
                            imported_by=SEEDED_BY, imported_at=seeded_at)
        loaded += 1
    return loaded


def seed_if_empty(engine: Engine) -> int:
    """Seed only a database with no plans at all; returns the number of plans loaded (0 if not empty)."""
    with engine.connect() as conn:
        if conn.execute(select(func.count(Plan.id))).scalar_one():
            return 0
    return seed(engine)
