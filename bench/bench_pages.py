"""Server-side run time of each board page (AppTest of app.py), on the sample data and on a
generated large database (20 plans x 8 reviews x 300 actions).

Targets: a page's first (cold: empty data caches) run under 2 s; later (warm) runs under 0.3 s
on the large database. Prints a table; exits 1 when over target.

    python bench/bench_pages.py [--runs 5] [--rebuild]

The large database is generated once into bench/results/large.db (git-ignored) and reused.
Imports are paid by one untimed warm-up run, so "cold" measures data work, not Python imports.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RESULTS = ROOT / "bench" / "results"
APP = str(ROOT / "app.py")
COLD_TARGET_S, WARM_TARGET_S = 2.0, 0.3
PAGES = [
    "pages/overview.py",
    "pages/recommendations.py",
    "pages/overdue.py",
    "pages/actions.py",
    "pages/action.py",
    "pages/trends.py",
]
LARGE = dict(plans=20, reviews=8, actions=300, recs=12)


def large_database(rebuild: bool = False) -> Path:
    """bench/results/large.db, generated when missing (or when rebuild is asked): the database
    bench_pages, bench_papers and bench_served share."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    large = RESULTS / "large.db"
    if rebuild or not large.exists():
        start = time.perf_counter()
        build_large(large)
        print(f"generated {large} in {time.perf_counter() - start:.1f} s")
    return large


def build_large(path: Path) -> None:
    """20 plans x 8 quarterly reviews x 300 actions, with statuses drifting towards complete,
    some due dates moving, and a few actions added or dropped between reviews."""
    from data_access.domain.rules import AMBER, COMPLETE, GREEN, RED, UNKNOWN, parse_timescale, quarter_end
    from data_access.domain.tracker_rows import PlanInfo, ReviewSnapshot, TrackerRow
    from data_access.storage import plan_writer
    from data_access.storage.database import make_engine, upgrade, write_transaction

    rng = random.Random(20240601)
    path.unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    leads = [f"Head of Service {i}" for i in range(25)]
    recs = LARGE["recs"]
    for p in range(LARGE["plans"]):
        actions = [
            dict(
                rec=str(1 + i % recs),
                id=f"{1 + i % recs}.{1 + i // recs}",
                lead=rng.choice(leads),
                due=dt.date(2023, 6, 30) + dt.timedelta(days=rng.randint(0, 900)),
                status=rng.choice([GREEN, AMBER, RED, UNKNOWN]),
            )
            for i in range(LARGE["actions"])
        ]
        with write_transaction(engine) as conn:
            plan_id = plan_writer.ensure_plan(
                conn, PlanInfo(name=f"Generated plan {p + 1:02d}", organisation="Benchshire")
            )
            for r in range(LARGE["reviews"]):
                as_at = quarter_end(r % 4 + 1, 2023 + r // 4)  # Q1 2023/24 onwards
                rows = []
                for a in actions:
                    if rng.random() < 0.15:
                        a["status"] = COMPLETE if rng.random() < 0.6 else rng.choice([GREEN, AMBER, RED])
                    if rng.random() < 0.05:
                        a["due"] += dt.timedelta(days=90)
                    if a["status"] != COMPLETE and rng.random() < 0.01:
                        continue  # dropped from this review
                    rows.append(
                        TrackerRow(
                            a["rec"],
                            f"Recommendation {a['rec']} of plan {p + 1}",
                            f"Action {a['id']}: do the thing",
                            action_id=a["id"],
                            lead=a["lead"],
                            status=a["status"],
                            status_raw=a["status"],
                            timescale=parse_timescale(a["due"].strftime("%d/%m/%Y")),
                            measure="A measure",
                            progress=f"Update {r} for {a['id']}",
                        )
                    )
                plan_writer.save_review(conn, plan_id, ReviewSnapshot(as_at, rows), source=f"gen-{p}-{r}.xlsx")
    engine.dispose()


def build_sample(path: Path) -> None:
    from data_access.importer.sample_seed import seed
    from data_access.storage.database import make_engine, upgrade

    path.unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    seed(engine)
    engine.dispose()


def view_of(url: str) -> dict:
    """The plan (first by name), its latest review and one of its actions, as URL parameters."""
    from data_access.reads import catalogue, review_figures
    from data_access.storage.database import make_engine

    engine = make_engine(url)
    plan_id = int(catalogue.list_plans(engine)["id"].iloc[0])
    reviews = catalogue.list_reviews(engine, plan_id)
    review_id, as_at = int(reviews["id"].iloc[-1]), reviews["as_at"].iloc[-1]
    action_id = int(review_figures.review_actions(engine, review_id, as_at)["action_id"].iloc[0])
    engine.dispose()
    return {
        "plan": str(plan_id),
        "review": str(review_id),
        "as_of": str(as_at + dt.timedelta(days=14)),
        "action": str(action_id),
    }


def time_page(page: str, params: dict, runs: int) -> tuple[float, float]:
    """(cold, warm median) seconds for one page: cold = the first run after clearing the data
    caches, warm = the median of `runs` further runs."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(page)
    start = time.perf_counter()
    at.run()
    cold = time.perf_counter() - start
    if at.exception:
        raise RuntimeError(f"{page}: {[e.value for e in at.exception]}")
    warm = []
    for _ in range(runs):
        start = time.perf_counter()
        at.run()
        warm.append(time.perf_counter() - start)
    return cold, statistics.median(warm) if warm else float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rebuild", action="store_true", help="regenerate the large database")
    args = parser.parse_args()

    large = large_database(args.rebuild)
    sample = Path(tempfile.mkdtemp()) / "sample.db"
    build_sample(sample)

    import streamlit as st

    rows, failed = [], False
    for name, path, gated in (("sample", sample, False), ("large", large, True)):
        url = f"sqlite:///{path}"
        os.environ["BOARD_DATABASE_URL"] = url
        st.cache_resource.clear()  # the engine is per database
        params = view_of(url)
        time_page(PAGES[0], params, 0)  # warm-up: Python imports, not measured
        for page in PAGES:
            cold, warm = time_page(page, params, args.runs)
            over = gated and (cold > COLD_TARGET_S or warm > WARM_TARGET_S)
            failed |= over
            rows.append((name, page, cold, warm, "OVER" if over else "ok"))

    print(
        f"\n{'database':<8} {'page':<26} {'cold s':>7} {'warm s':>7}  target cold<{COLD_TARGET_S} "
        f"warm<{WARM_TARGET_S} (large)"
    )
    for name, page, cold, warm, verdict in rows:
        print(f"{name:<8} {page:<26} {cold:7.3f} {warm:7.3f}  {verdict}")
    print("\nFAIL: over target" if failed else "\nall pages within target")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
