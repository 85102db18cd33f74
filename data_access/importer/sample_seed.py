"""Load the sample plans: the committed trackers in sample_data/trackers/, read by the importer.

Seeding takes exactly the path a manager's upload takes (read, match, one transaction per file),
so the demo data is also a standing test of the importer. Each review records its file's SHA-256,
so uploading a sample tracker again is refused like any other repeat. A file already imported is
skipped, so seeding twice (or after an interrupted seed) never doubles anything. Then the sample
update round (sample_data.plans.SAMPLE_ROUNDS: a round in progress on the joint-inspection plan,
with partners' and leads' updates) goes in through storage/update_rounds.py, as the app writes
it, once: a plan that has had a round is left alone. Seeding runs
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
        _seed_round(engine, plan)
    return loaded


def _seed_round(engine: Engine, plan: SamplePlan) -> None:
    """The plan's sample update round, when it has one and the plan has never had a round."""
    from data_access.domain import permissions
    from data_access.domain.round_rules import UpdateFields
    from data_access.storage import update_rounds
    from data_access.storage.schema import UpdateRound
    from sample_data.plans import SAMPLE_ROUNDS

    spec = next((r for r in SAMPLE_ROUNDS if r.slug == plan.slug), None)
    if spec is None:
        return
    with engine.connect() as conn:
        plan_id = conn.execute(select(Plan.id).where(Plan.name == plan.info.name)).scalar_one_or_none()
        if plan_id is None or conn.execute(select(UpdateRound.id).where(UpdateRound.plan_id == plan_id)).first():
            return
    editor = permissions.Person(spec.opened_by, permissions.EDITOR)
    update_rounds.set_lead_identities(engine, plan_name=plan.info.name, mapping=spec.leads, person=editor)
    update_rounds.open_round(engine, plan_name=plan.info.name, as_at=spec.as_at, deadline=spec.deadline, person=editor)
    for u in spec.updates:
        update_rounds.record_update(
            engine,
            plan_name=plan.info.name,
            action_key=u.action_id,
            fields=UpdateFields(
                u.status, u.progress, None, u.mitigation, u.board_ask, u.requested_due, u.due_change_reason
            ),
            seen_version=0,
            person=permissions.Person(u.by, u.role, u.organisation),
        )


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
