"""Benchmark: movements between two reviews of 50,000 actions each.

    .venv/bin/python bench/bench_trends.py [--actions 50000] [--runs 5] [--limit 1.0] [--keep PATH]

Builds a SQLite file (migrated with Alembic) holding one plan and two reviews with Core bulk
inserts (49,000 actions in both, 1,000 dropped, 1,000 added; random statuses and some due dates
moved later), then times data_access.reads.movements.transitions between the two reviews. Prints the
median of the runs and the result; exits 1 if the median is over the limit (default 1 s).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert  # noqa: E402

from data_access.domain.rules import STATUSES  # noqa: E402
from data_access.domain.tracker_rows import PlanInfo  # noqa: E402
from data_access.reads import movements  # noqa: E402
from data_access.storage.database import make_engine, upgrade, write_transaction  # noqa: E402
from data_access.storage.plan_writer import ensure_plan, ref_sort_key  # noqa: E402
from data_access.storage.schema import Action, ActionUpdate, Recommendation, Review  # noqa: E402

RECOMMENDATIONS = 50
STATUS_WEIGHTS = (0.3, 0.3, 0.2, 0.15, 0.05)  # complete, green, amber, red, unknown


def build(url: str, n_actions: int, seed: int = 7) -> tuple[int, int]:
    """Write the plan; returns the two review ids (from, to)."""
    rng = random.Random(seed)
    engine = make_engine(url)
    upgrade(engine)
    churn = n_actions // 50  # dropped after the first review, and as many added in the second
    total = n_actions + churn
    with write_transaction(engine) as conn:
        plan_id = ensure_plan(conn, PlanInfo("Benchmark plan", target_date=dt.date(2019, 3, 31)))
        conn.execute(
            insert(Recommendation),
            [
                dict(id=r + 1, plan_id=plan_id, ref=str(r + 1), sort_key=ref_sort_key(str(r + 1)), text=f"Rec {r + 1}")
                for r in range(RECOMMENDATIONS)
            ],
        )
        conn.execute(
            insert(Action),
            [
                dict(
                    id=i + 1,
                    plan_id=plan_id,
                    recommendation_id=i % RECOMMENDATIONS + 1,
                    key=f"{i % RECOMMENDATIONS + 1}.{i // RECOMMENDATIONS + 1}",
                    sort_key=f"{i % RECOMMENDATIONS + 1:06d}.{i // RECOMMENDATIONS + 1:06d}",
                    description=f"Action {i + 1}",
                    lead=f"Lead {i % 37}",
                )
                for i in range(total)
            ],
        )
        ids = []
        for as_at, label in ((dt.date(2017, 6, 30), "Q1 2017/18"), (dt.date(2017, 9, 30), "Q2 2017/18")):
            ids.append(
                conn.execute(
                    insert(Review)
                    .values(
                        plan_id=plan_id, as_at=as_at, label=label, source="bench", imported_at=dt.datetime(2017, 10, 1)
                    )
                    .returning(Review.id)
                ).scalar_one()
            )
        first, second = ids
        base = dt.date(2017, 4, 30)
        rows = []
        dues: dict[int, dt.date] = {}
        for action_id in range(1, n_actions + 1):  # the first review: actions 1..n
            dues[action_id] = base + dt.timedelta(days=rng.randrange(0, 400))
            rows.append(_update(first, action_id, rng, dues[action_id]))
        for action_id in range(churn + 1, total + 1):  # the second: 1..churn dropped, n+1.. added
            due = dues.get(action_id, base + dt.timedelta(days=rng.randrange(0, 400)))
            if rng.random() < 0.1:
                due += dt.timedelta(days=rng.randrange(1, 180))  # moved later
            rows.append(_update(second, action_id, rng, due))
        conn.execute(insert(ActionUpdate), rows)
    engine.dispose()
    return first, second


def _update(review_id: int, action_id: int, rng: random.Random, due: dt.date) -> dict:
    return dict(
        review_id=review_id,
        action_id=action_id,
        status=rng.choices(STATUSES, STATUS_WEIGHTS)[0],
        status_from_colour=False,
        due_date=due,
        due_precision="day",
        progress=f"Note {rng.randrange(3)}",
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--limit", type=float, default=1.0, help="seconds allowed for the median run")
    parser.add_argument("--keep", metavar="PATH", help="write the SQLite file here instead of a temporary folder")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(args.keep) if args.keep else Path(tmp) / "bench.db"
        path.unlink(missing_ok=True)
        url = f"sqlite:///{path}"
        started = time.perf_counter()
        from_id, to_id = build(url, args.actions)
        print(f"Built {path.name}: two reviews of {args.actions:,} actions in {time.perf_counter() - started:.1f} s")

        engine = make_engine(url)
        timings = []
        for _ in range(args.runs):
            started = time.perf_counter()
            result = movements.transitions(engine, from_id, to_id)
            timings.append(time.perf_counter() - started)
        engine.dispose()

    median = statistics.median(timings)
    print(
        f"transitions({from_id}, {to_id}): median {median:.3f} s over {args.runs} runs "
        f"({', '.join(f'{t:.3f}' for t in timings)})"
    )
    print(
        f"  matched {len(result.pairs):,}, added {len(result.added):,}, dropped {len(result.dropped):,}, "
        f"completed {len(result.completed):,}, improved {len(result.improved):,}, slipped {len(result.slipped):,}, "
        f"unchanged red {len(result.unchanged_red):,}, newly overdue {len(result.newly_overdue):,}, "
        f"due date moved later {len(result.due_date_moved_later):,}"
    )
    print(
        "  matrix (from -> to): "
        + "; ".join(f"{f}: " + ", ".join(f"{t} {n}" for t, n in row.items()) for f, row in result.matrix.items())
    )
    if median > args.limit:
        print(f"FAIL: median {median:.3f} s is over the {args.limit} s limit", file=sys.stderr)
        return 1
    print(f"OK: under the {args.limit} s limit")
    return 0


if __name__ == "__main__":
    sys.exit(main())
