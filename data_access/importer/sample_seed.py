"""Load the sample plans: the committed trackers in sample_data/trackers/, read by the importer.

Seeding takes exactly the path a manager's upload takes (read, match, one transaction per file),
so the demo data is also a standing test of the importer. Each review records its file's SHA-256,
so uploading a sample tracker again is refused like any other repeat. A file already imported is
skipped, so seeding twice (or after an interrupted seed) never doubles anything. Seeding runs
under the start-up lock (data_access.storage.database.startup_lock), so processes started together on an empty
database seed it once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, func, select

from data_access.storage.database import startup_lock
from data_access.storage.plan_writer import earlier_import
from data_access.storage.schema import Plan

if TYPE_CHECKING:
    from sample_data.plans import SamplePlan

SEEDED_BY = "sample data"
TRACKERS_DIR = Path(__file__).resolve().parents[2] / "sample_data" / "trackers"


def tracker_files(plan: SamplePlan) -> list[Path]:
    """The plan's tracker files, in review date order (a workbook of sheets is one file)."""
    names = dict.fromkeys(plan.tracker_file(review) for review in sorted(plan.reviews, key=lambda r: r.as_at))
    return [TRACKERS_DIR / name for name in names]


def seed(engine: Engine, plans: Iterable[SamplePlan] | None = None) -> int:
    """Import the sample plans' trackers (default: every plan of `build_plans()`); return how many
    plans received at least one new review."""
    with startup_lock(engine):
        return _seed(engine, plans)


def _seed(engine: Engine, plans: Iterable[SamplePlan] | None) -> int:
    from data_access.importer import commit, preview, read_tracker

    if plans is None:
        from sample_data.plans import build_plans  # imported late: only needed here

        plans = build_plans()
    loaded = 0
    for plan in plans:
        imported_any = False
        for path in tracker_files(plan):
            data = path.read_bytes()
            with engine.connect() as conn:
                if earlier_import(conn, hashlib.sha256(data).hexdigest()):
                    continue
            parsed = read_tracker(data, path.name)
            pv = preview(engine, parsed, plan_name=plan.info.name)
            commit(engine, pv, plan_info=plan.info, accepted_matches="all", imported_by=SEEDED_BY)
            imported_any = True
        loaded += imported_any
    return loaded


def seed_if_empty(engine: Engine) -> int:
    """Seed only a database with no plans at all; returns the number of plans loaded (0 if not
    empty). A database with plans is only read: no lock, no waiting behind an import."""
    if _has_plans(engine):
        return 0
    with startup_lock(engine):
        return 0 if _has_plans(engine) else _seed(engine, None)


def _has_plans(engine: Engine) -> bool:
    with engine.connect() as conn:
        return bool(conn.execute(select(func.count(Plan.id))).scalar_one())
