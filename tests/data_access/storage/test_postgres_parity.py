"""The whole data path — importing the real sample trackers, then every figure the board sees —
gives the same answers on PostgreSQL as on the embedded SQLite file."""

from __future__ import annotations

import datetime as dt

import pytest

from data_access.importer.sample_seed import seed
from data_access.reads import board, catalogue, movements, review_figures, review_summary, status_mix
from data_access.storage.database import make_engine

pytestmark = pytest.mark.postgres
AS_OF = dt.date(2018, 1, 31)


def figures(engine) -> dict:
    """Everything the pages show for every plan and review, keyed by names not ids."""
    out = {}
    for plan in catalogue.list_plans(engine).itertuples():
        reviews = catalogue.list_reviews(engine, plan.id)
        ids = [int(r) for r in reviews["id"]]
        per_review = []
        for review_id in ids:
            actions = review_figures.review_actions(engine, review_id, AS_OF)
            per_review.append(
                (
                    review_figures.review_kpis(engine, review_id, AS_OF),
                    review_figures.status_by_recommendation(engine, review_id, AS_OF)
                    .drop(columns="rec_id")
                    .to_dict("list"),
                    actions.drop(columns=["action_id", "rec_id"]).astype(str).to_dict("list"),
                    board.recommendation_summary(engine, review_id, AS_OF)
                    .drop(columns="rec_id", errors="ignore")
                    .astype(str)
                    .to_dict("list"),
                )
            )
        moves = movements.transitions(engine, ids[0], ids[-1])
        out[plan.name] = {
            "reviews": reviews[["as_at", "label", "source", "sheet", "actions"]].to_dict("list"),
            "per_review": per_review,
            "matrix": moves.matrix,
            "lists": {
                name: sorted(a.key for a in getattr(moves, name))
                for name in ("completed", "improved", "slipped", "added", "dropped", "newly_overdue")
            },
            "summary": review_summary.since_last_review_summary(engine, plan.id),
            "mix": status_mix.status_mix(engine, plan.id)
            .drop(columns=["review_id", "id"], errors="ignore")
            .astype(str)
            .to_dict("list"),
        }
    return out


def test_sample_plans_give_the_same_figures_on_both_databases(engine, pg_url):
    pg_engine = make_engine(pg_url)
    try:
        assert seed(engine) == 4 and seed(pg_engine) == 4  # the importer writes to both
        on_sqlite, on_postgres = figures(engine), figures(pg_engine)
    finally:
        pg_engine.dispose()
    assert set(on_sqlite) == set(on_postgres) and len(on_sqlite) == 4
    for name in on_sqlite:
        assert on_postgres[name] == on_sqlite[name], name
