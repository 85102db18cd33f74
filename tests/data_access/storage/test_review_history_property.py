"""One current review per plan and date, always; and no update row is ever lost.

Random sequences of imports, replacements and restores, through the importer and
plan_admin (the paths the upload page and the command line take), on SQLite and PostgreSQL.
The schema enforces the first property with a partial unique index; this checks that no
sequence of ordinary operations ever runs into it, and that history only grows.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from data_access.importer import commit, preview, read_tracker
from data_access.storage import plan_admin
from data_access.storage.schema import ActionUpdate, Review

DATES = [dt.date(2018, 6, 30), dt.date(2018, 9, 30), dt.date(2018, 12, 31)]

operation = st.one_of(
    st.tuples(st.just("import"), st.integers(0, len(DATES) - 1)),
    st.tuples(st.just("restore"), st.integers(0, 50)),
)


def tracker(plan: str, as_at: dt.date, version: int, actions: int) -> bytes:
    lines = [f"{plan} tracker,,", f"Position as at {as_at:%d/%m/%Y},,", "Rec,Action,RAG"]
    statuses = ["Green", "Amber", "Red", "Complete"]
    lines += [f"{1 + n % 2},Action {n} (version {version}),{statuses[(n + version) % 4]}" for n in range(actions)]
    return "\n".join(lines).encode()


def check(engine, plan_id: int, expected_updates: dict[int, int]) -> None:
    with engine.connect() as conn:
        current = conn.execute(
            select(Review.as_at, func.count())
            .where(Review.plan_id == plan_id, Review.replaced_by_id.is_(None))
            .group_by(Review.as_at)
        ).all()
        stored = dict(
            conn.execute(
                select(ActionUpdate.review_id, func.count())
                .join(Review)
                .where(Review.plan_id == plan_id)
                .group_by(ActionUpdate.review_id)
            ).all()
        )
    assert all(n == 1 for _, n in current), current
    assert stored == expected_updates  # every review ever imported keeps every row it had


def run_sequence(engine, operations) -> None:
    plan = f"Plan {uuid.uuid4().hex[:8]}"
    plan_id = None
    expected: dict[int, int] = {}
    for step, (kind, arg) in enumerate(operations):
        if kind == "import":
            as_at = DATES[arg]
            parsed = read_tracker(tracker(plan, as_at, step, 2 + step % 3), f"tracker-{step}.csv")
            ids = commit(
                engine, preview(engine, parsed, plan_name=plan), replace=True, imported_by="property test"
            ).review_ids
            with engine.connect() as conn:
                plan_id = conn.execute(select(Review.plan_id).where(Review.id == ids[0])).scalar_one()
            expected[ids[0]] = len(parsed.reviews[0].rows)
        elif expected:
            replaced = sorted(expected)
            review_id = replaced[arg % len(replaced)]
            with contextlib.suppress(plan_admin.ChangeRefused):  # it was current: nothing to restore
                plan_admin.restore_review(engine, review_id, actor="property test", plan_id=plan_id)
        if plan_id is not None:
            check(engine, plan_id, expected)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=st.lists(operation, min_size=1, max_size=10))
def test_random_imports_replacements_and_restores_keep_one_current_review(any_engine, operations):
    run_sequence(any_engine, operations)


@pytest.mark.parametrize("restore", ["A", "B"])
def test_replace_replace_restore(any_engine, restore):
    """The reported case: A replaced by B, B by C, then A (or B) restored."""
    run_sequence(any_engine, [("import", 0), ("import", 0), ("import", 0), ("restore", "AB".index(restore))])
