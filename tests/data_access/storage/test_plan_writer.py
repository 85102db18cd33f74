"""The one writer (store) and the read queries, on a real migrated SQLite file."""

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from data_access.domain.rules import parse_timescale
from data_access.domain.tracker_rows import PlanInfo, ReviewSnapshot, TrackerRow
from data_access.reads import catalogue, review_figures
from data_access.storage import plan_writer
from data_access.storage.database import write_transaction
from data_access.storage.schema import Action, ActionUpdate, Review

D = dt.date


def row(ref, desc, status="green", due="Ongoing", action_id=None, lead="Head of Service", **kw):
    return TrackerRow(
        ref,
        f"Recommendation {ref}",
        desc,
        action_id=action_id,
        lead=lead,
        status=status,
        timescale=parse_timescale(due),
        **kw,
    )


def save(engine, as_at, rows, plan="Plan", **kw):
    with write_transaction(engine) as conn:
        plan_id = plan_writer.ensure_plan(conn, PlanInfo(plan))
        return plan_id, plan_writer.save_review(conn, plan_id, ReviewSnapshot(as_at, rows), source="test.xlsx", **kw)


def actions_by_key(engine):
    with engine.connect() as conn:
        return {a["key"]: a for a in conn.execute(select(Action.__table__)).mappings()}


def test_ref_sort_key_is_natural_order():
    refs = ["10", "2", "1", "a)", "q", "b", "1.10", "1.2", "R3", "R12"]
    assert sorted(refs, key=plan_writer.ref_sort_key) == ["1", "1.2", "1.10", "2", "10", "a)", "b", "q", "R3", "R12"]
    assert (
        plan_writer.clean_ref("a)") == "a"
        and plan_writer.clean_ref(" 7. ") == "7"
        and plan_writer.clean_ref("(c)") == "c"
    )


def test_actions_match_across_reviews_by_id_then_text(engine):
    save(
        engine,
        D(2017, 6, 30),
        [row("a)", "Audit supervision", action_id="1.1"), row("b", "Train staff"), row("b", "Review panel")],
    )
    _, second = save(
        engine,
        D(2017, 9, 30),
        [
            row("a", "Audit supervision files monthly", action_id="1.1", status="complete"),  # same ID, new wording
            row("b", "train  STAFF"),  # no ID: same recommendation and same text (case, spacing ignored)
            row("b", "A brand new action"),
        ],
    )
    keys = actions_by_key(engine)
    assert set(keys) == {"1.1", "b.1", "b.2", "b.3"}
    assert keys["1.1"]["description"] == "Audit supervision files monthly"  # descriptive fields follow the latest
    assert not keys["b.3"]["key_from_tracker"] and keys["1.1"]["key_from_tracker"]
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(ActionUpdate)).scalar() == 6
        in_second = conn.execute(select(Action.key).join(ActionUpdate).where(ActionUpdate.review_id == second))
        assert sorted(in_second.scalars()) == ["1.1", "b.1", "b.3"]  # b.2 was dropped, b.3 added


def test_duplicate_action_ids_in_one_review_keep_both_rows(engine):
    save(engine, D(2017, 6, 30), [row("a", "First", action_id="1.1"), row("a", "Second", action_id="1.1")])
    keys = actions_by_key(engine)
    assert len(keys) == 2 and "1.1" in keys


def test_replaced_review_is_hidden_not_deleted(engine):
    plan_id, first = save(engine, D(2017, 6, 30), [row("a", "x")], sha256="a" * 64)
    _, second = save(engine, D(2017, 6, 30), [row("a", "x", status="red")], sha256="b" * 64, replaces_review_id=first)
    reviews = catalogue.list_reviews(engine, plan_id)
    assert list(reviews["id"]) == [second]
    with engine.connect() as conn:
        assert conn.execute(select(Review.replaced_by_id).where(Review.id == first)).scalar() == second
        assert plan_writer.earlier_import(conn, "a" * 64)["id"] == first


def test_same_file_and_sheet_cannot_be_stored_twice(engine):
    save(engine, D(2017, 6, 30), [row("a", "x")], sha256="c" * 64)
    with pytest.raises(IntegrityError):
        save(engine, D(2017, 9, 30), [row("a", "x")], sha256="c" * 64)
    assert len(catalogue.list_reviews(engine, 1)) == 1  # the failed write left nothing behind


def test_kpis_and_status_by_recommendation(engine):
    rows = [
        row("a", "1", "complete", "March 2017"),
        row("a", "2", "green", "March 2017"),  # overdue (green!)
        row("a", "3", "red", "Ongoing"),
        row("b", "4", "amber", "Q2 2017/18"),
        row("b", "5", "", "31/12/2017"),
        row("c", "6", "red", "30/06/2017"),  # due on the as-of date: not yet overdue
    ]
    rows[4].status = "unknown"
    plan_id, review_id = save(engine, D(2017, 6, 30), rows)
    as_of = D(2017, 6, 30)
    kpis = review_figures.review_kpis(engine, review_id, as_of)
    assert kpis == review_figures.Kpis(actions=6, complete=1, green=1, amber=1, red=2, unknown=1, overdue=1)
    assert kpis.pct_complete == 17  # 1 of 6, half up
    by_rec = review_figures.status_by_recommendation(engine, review_id, as_of)
    assert list(by_rec["ref"]) == ["a", "b", "c"]
    rec_a = by_rec.set_index("ref").loc["a"]
    assert rec_a[["complete", "green", "red", "total", "overdue"]].tolist() == [1, 1, 1, 3, 1]
    actions = review_figures.review_actions(engine, review_id, D(2017, 7, 10))
    overdue = actions[actions["overdue"]].set_index("description")
    assert sorted(overdue.index) == ["2", "6"]
    assert overdue.loc["2", "days_overdue"] == 101 and overdue.loc["6", "days_overdue"] == 10
    assert actions.set_index("description").loc["3", "due_raw"] == "Ongoing"
    plans = catalogue.list_plans(engine)
    assert plans.loc[0, "reviews"] == 1 and plans.loc[0, "latest_as_at"] == D(2017, 6, 30)


def test_a_replaced_review_can_be_restored(engine):
    plan_id, first = save(engine, D(2017, 6, 30), [row("a", "x", status="green")], sha256="d" * 64)
    _, second = save(engine, D(2017, 6, 30), [row("a", "x", status="red")], sha256="e" * 64, replaces_review_id=first)
    with write_transaction(engine) as conn:
        assert plan_writer.restore_review(conn, first) == [second]
    assert list(catalogue.list_reviews(engine, plan_id)["id"]) == [first]
    history = catalogue.review_history(engine, plan_id).set_index("id")
    assert history.loc[second, "replaced_by_id"] == first and len(history) == 2  # nothing deleted
    with write_transaction(engine) as conn, pytest.raises(ValueError):
        plan_writer.restore_review(conn, first)  # already current


def test_reviews_command_lists_and_restores(cli, engine, sqlite_url):
    plan_id, first = save(engine, D(2017, 6, 30), [row("a", "x")], plan="Anytown", sha256="f" * 64)
    _, second = save(engine, D(2017, 6, 30), [row("a", "x")], plan="Anytown", sha256="9" * 64, replaces_review_id=first)

    def reviews(*args):
        return cli("reviews", "--plan", "Anytown", "--db", sqlite_url, *args)

    listed = reviews()
    assert listed.code == 0 and f"replaced by {second}" in listed.out
    restored = reviews("--restore", str(first))
    assert restored.code == 0 and f"Restored review {first}" in restored.out and str(second) in restored.out
    assert list(catalogue.list_reviews(engine, plan_id)["id"]) == [first]
    refused = reviews("--restore", str(first))
    assert refused.code == 2 and "nothing to restore" in refused.err and "Traceback" not in refused.err


def test_data_version_changes_with_every_import_replace_and_restore(engine):
    versions = [catalogue.data_version(engine)]
    _, first = save(engine, D(2017, 6, 30), [row("a", "x")], sha256="1" * 64)
    versions.append(catalogue.data_version(engine))
    _, second = save(engine, D(2017, 6, 30), [row("a", "x")], sha256="2" * 64, replaces_review_id=first)
    versions.append(catalogue.data_version(engine))
    with write_transaction(engine) as conn:
        plan_writer.restore_review(conn, first)
    versions.append(catalogue.data_version(engine))
    assert len(set(versions)) == 4
    assert catalogue.data_version(engine) == versions[-1]  # stable while nothing changes


def test_restoring_the_first_of_a_chain_of_replacements_leaves_one_current_review(engine):
    """A replaced by B, B by C, then A restored: A is the one current review for the date (the
    old restore left A and C both current)."""
    plan_id, a = save(engine, D(2017, 6, 30), [row("a", "x", status="green")], sha256="a1" * 32)
    _, b = save(engine, D(2017, 6, 30), [row("a", "x", status="amber")], sha256="b1" * 32, replaces_review_id=a)
    _, c = save(engine, D(2017, 6, 30), [row("a", "x", status="red")], sha256="c1" * 32, replaces_review_id=b)
    with write_transaction(engine) as conn:
        assert plan_writer.restore_review(conn, a) == [c]
    assert list(catalogue.list_reviews(engine, plan_id)["id"]) == [a]
    assert len(catalogue.review_history(engine, plan_id)) == 3  # nothing deleted


def test_the_schema_refuses_two_current_reviews_for_one_date(engine):
    save(engine, D(2017, 6, 30), [row("a", "x")], sha256="d1" * 32)
    with pytest.raises(IntegrityError):
        save(engine, D(2017, 6, 30), [row("a", "y")], sha256="d2" * 32)


def test_every_action_update_column_comes_from_the_one_field_list():
    """A column added to action_update is written only once it is named in ACTION_UPDATE_FIELDS
    (one line), and every field named there is a real column."""
    columns = {c.name for c in ActionUpdate.__table__.columns} - {"id", "review_id", "action_id"}
    assert {column for column, _ in plan_writer.ACTION_UPDATE_FIELDS} == columns


def test_a_review_is_written_in_a_few_statements_whatever_its_size(any_engine):
    """Bulk, not row by row: 600 actions under 60 recommendations, then a second review that
    updates them all, each in the same handful of statements as a review of 6 rows."""
    from sqlalchemy import event

    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    def written(n, as_at):
        statements.clear()
        rows = [row(str(i // 10 + 1), f"Action {i}", action_id=f"{i // 10 + 1}.{i % 10 + 1}") for i in range(n)]
        save(any_engine, as_at, rows, plan=f"Plan {n}")
        return len(statements)

    event.listen(any_engine, "before_cursor_execute", count)
    try:
        few = written(6, D(2017, 6, 30)), written(6, D(2017, 9, 30))
        many = written(600, D(2017, 6, 30)), written(600, D(2017, 9, 30))
    finally:
        event.remove(any_engine, "before_cursor_execute", count)
    assert many == few and max(many) < 25
    with any_engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(ActionUpdate)).scalar_one() == 2 * (6 + 600)
        assert conn.execute(select(func.count()).select_from(Action)).scalar_one() == 6 + 600


def test_reserved_ids_never_clash_with_rows_written_afterwards(any_engine):
    """The ids write_review reserves for new recommendations and actions move the database's own
    counter on (PostgreSQL's sequence), so a row inserted the ordinary way gets a new id."""
    from sqlalchemy import insert

    from data_access.storage.schema import Recommendation

    plan_id, _ = save(any_engine, D(2017, 6, 30), [row("1", "Audit"), row("2", "Train")])
    with write_transaction(any_engine) as conn:
        rec_id = conn.execute(
            insert(Recommendation).values(plan_id=plan_id, ref="9", sort_key="9", text="t").returning(Recommendation.id)
        ).scalar_one()
        action_id = conn.execute(
            insert(Action)
            .values(plan_id=plan_id, recommendation_id=rec_id, key="9.1", sort_key="9.1", description="d")
            .returning(Action.id)
        ).scalar_one()
        stored = conn.execute(select(Action.id, Action.key).order_by(Action.id)).all()
    assert [key for _, key in stored] == ["1.1", "2.1", "9.1"] and action_id == stored[-1][0]
    assert len({i for i, _ in stored}) == 3
