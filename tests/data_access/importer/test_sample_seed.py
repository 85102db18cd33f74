"""Seeding the sample plans into a real (migrated SQLite) database."""

from __future__ import annotations

from sqlalchemy import func, select

from data_access.domain.rules import AMBER, COMPLETE, GREEN, RED, UNKNOWN, is_overdue
from data_access.importer import can_commit
from data_access.importer.sample_seed import seed, seed_if_empty
from data_access.reads import catalogue, review_figures
from data_access.storage.database import make_engine
from data_access.storage.schema import Action, Review
from sample_data.plans import build_plans


def _counts(engine):
    with engine.connect() as conn:
        return (
            conn.execute(select(func.count(Review.id))).scalar_one(),
            conn.execute(select(func.count(Action.id))).scalar_one(),
        )


def test_seed_loads_four_plans_with_four_reviews_each(engine):
    assert seed(engine) == 4
    plans = catalogue.list_plans(engine)
    assert len(plans) == 4
    assert list(plans["reviews"]) == [4, 4, 4, 4]
    # Every action of every review is one action; added actions (incl. North Tyneside's, matched by
    # text as it has no IDs) are new, the rest are the same action review after review.
    distinct = sum(
        len({(r.rec_ref, r.action_id or r.description) for rv in p.reviews for r in rv.rows}) for p in build_plans()
    )
    assert _counts(engine) == (16, distinct)


def test_seeded_trackers_are_refused_when_uploaded_again(engine):
    from data_access.importer import preview, read_tracker
    from data_access.importer.sample_seed import tracker_files

    seed(engine)
    plan = build_plans()[0]
    path = tracker_files(plan)[0]
    pv = preview(engine, read_tracker(path.read_bytes(), path.name), plan_name=plan.info.name)
    assert pv.duplicate and path.name in pv.duplicate and not can_commit(pv)


def test_seeding_twice_adds_nothing(engine):
    seed(engine)
    before = _counts(engine)
    assert seed(engine) == 0
    assert _counts(engine) == before


def test_seed_if_empty_loads_once(engine):
    assert seed_if_empty(engine) == 4
    assert seed_if_empty(engine) == 0
    assert _counts(engine)[0] == 16


def test_reviews_record_the_tracker_file_and_sheet(engine):
    seed(engine)
    plans = {p.info.name: p for p in build_plans()}
    for plan_row in catalogue.list_plans(engine).itertuples():
        plan = plans[plan_row.name]
        reviews = catalogue.list_reviews(engine, plan_row.id)
        expected = [(plan.tracker_file(r), r.as_at, len(r.rows)) for r in plan.reviews]
        got = [(r.source, r.as_at, r.actions) for r in reviews.itertuples()]
        assert got == expected
        # Sheets named by review period are recorded as such; a one-table file records its one sheet.
        for review, stored in zip(plan.reviews, reviews.itertuples(), strict=True):
            assert stored.sheet == review.sheet or (not review.sheet and stored.sheet)


def test_latest_review_kpis_match_the_builder(engine):
    seed(engine)
    plans = {p.info.name: p for p in build_plans()}
    for plan_row in catalogue.list_plans(engine).itertuples():
        latest = plans[plan_row.name].reviews[-1]
        review_id = int(catalogue.list_reviews(engine, plan_row.id)["id"].iloc[-1])
        kpis = review_figures.review_kpis(engine, review_id, latest.as_at)
        statuses = [row.status for row in latest.rows]
        assert kpis.actions == len(latest.rows)
        assert (kpis.complete, kpis.green, kpis.amber, kpis.red, kpis.unknown) == tuple(
            statuses.count(s) for s in (COMPLETE, GREEN, AMBER, RED, UNKNOWN)
        )
        assert kpis.overdue == sum(is_overdue(r.status, r.timescale.due, latest.as_at) for r in latest.rows)


def test_latest_reviews_have_overdue_actions_to_show(engine):
    seed(engine)
    total_overdue = 0
    for plan_row in catalogue.list_plans(engine).itertuples():
        review_id = int(catalogue.list_reviews(engine, plan_row.id)["id"].iloc[-1])
        total_overdue += review_figures.review_kpis(engine, review_id, plan_row.latest_as_at).overdue
    assert total_overdue > 0


def test_seed_command_upgrades_and_loads(cli, tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    first = cli("seed", "--db", url)
    assert first.code == 0, first.err
    assert "Loaded 4 sample plan(s)" in first.out
    assert "Rutland" in first.out and "4 review(s)" in first.out
    again = cli("seed", "--db", url, "--if-empty")
    assert again.code == 0, again.err
    assert "No sample plans loaded" in again.out
    engine = make_engine(url)
    try:
        assert _counts(engine)[0] == 16
    finally:
        engine.dispose()


def test_the_joint_inspection_plan_has_an_update_round_in_progress_once(engine):
    from data_access.reads import round_progress
    from data_access.storage.schema import RoundUpdate, UpdateRound
    from sample_data.plans import STOCKTON_JTAI_ROUND

    seed(engine)
    plan_id = next(
        int(p.id) for p in catalogue.list_plans(engine).itertuples() if "JTAI" in p.name
    )  # the joint-inspection plan
    info = round_progress.open_round(engine, plan_id)
    assert (info.as_at, info.deadline) == (STOCKTON_JTAI_ROUND.as_at, STOCKTON_JTAI_ROUND.deadline)
    status = round_progress.round_status(info, round_progress.round_actions(engine, info))
    # Worked by hand from sample_data: 8 of the 14 actions were complete when the round opened; of
    # the 6 others 2.2, 5.3 and 5.4 are updated, 3.1 and 3.3 outstanding; 1.2 (complete) is updated too.
    assert (status.actions, status.updated, status.outstanding) == (14, 4, 2)
    organisations = {name for name, _, _ in status.by_organisation}
    assert {
        "Cleveland Police",
        "Durham Tees Valley Community Rehabilitation Company",
        "NHS Hartlepool and Stockton-on-Tees CCG",
    } <= organisations
    assert "National Probation Service" not in organisations  # its one action (5.2) is complete
    by_key = {a.key: a for a in round_progress.round_actions(engine, info)}
    assert by_key["5.4"].now.status == RED and by_key["5.4"].now.board_ask.startswith("Support a joint funding bid")
    assert by_key["5.3"].update.updated_by == "operations@crc.example.org"
    with engine.connect() as conn:
        before = (
            conn.execute(select(func.count(UpdateRound.id))).scalar_one(),
            conn.execute(select(func.count(RoundUpdate.id))).scalar_one(),
        )
    seed(engine)  # seeding again adds no second round and no update
    with engine.connect() as conn:
        after = (
            conn.execute(select(func.count(UpdateRound.id))).scalar_one(),
            conn.execute(select(func.count(RoundUpdate.id))).scalar_one(),
        )
    assert before == after == (1, 4)
