"""preview / commit against a real migrated database (the `engine` fixture)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import func, select

from data_access.importer import (
    ImportRefused,
    blockers,
    can_commit,
    commit,
    preview,
    read_tracker,
    remembered_mapping,
)
from data_access.importer.parsed import ParsedFile
from data_access.storage import plan_writer
from data_access.storage.schema import Action, ActionUpdate, Plan, Recommendation, Review
from tests.data_access.importer import messy
from tests.data_access.importer.messy import ROWS, Traits

Q1 = dt.date(2018, 6, 30)
Q2 = dt.date(2018, 9, 30)


def counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            m.__tablename__: conn.execute(select(func.count()).select_from(m)).scalar_one()
            for m in (Plan, Recommendation, Action, Review, ActionUpdate)
        }


def imported(engine, parsed: ParsedFile, plan_name: str, **choices) -> list[int]:
    """Preview, then commit exactly that preview; the new review ids."""
    return commit(engine, preview(engine, parsed, plan_name=plan_name), **choices).review_ids


def quarter_file(as_at: dt.date, overrides: dict[str, str] | None = None, **traits) -> bytes:
    rows = []
    for row in ROWS:
        row = list(row)
        if overrides and row[2] in overrides:
            row[6] = overrides[row[2]]
        rows.append(tuple(row))
    return messy.build_xlsx(Traits(title_rows=True, as_at=as_at, rows=rows, **traits))


def test_preview_writes_nothing_and_counts(engine):
    parsed = read_tracker(quarter_file(Q1), "q1.xlsx")
    before = counts(engine)
    pv = preview(engine, parsed, plan_name="Anytown")
    assert counts(engine) == before
    assert can_commit(pv) and not pv.plan_exists and pv.duplicate is None
    (rv,) = pv.reviews
    assert rv.as_at == Q1 and rv.actions == 6 and rv.recommendations == 3
    assert rv.status_counts == {"complete": 1, "green": 2, "amber": 2, "red": 1, "unknown": 0}
    # as at 30 June 2018: 1.1 (G, due 31/03/2018) and 2.1 (R, due 31/03/2018) are overdue; 1.3 is complete
    assert rv.overdue == 2
    assert preview(engine, parsed, plan_name="Anytown", as_of=dt.date(2019, 1, 1)).reviews[0].overdue == 4
    assert rv.previous_review is None and rv.added == [] and rv.dropped == []


def test_commit_then_second_quarter_adds_review(engine):
    ids = imported(engine, read_tracker(quarter_file(Q1), "q1.xlsx"), "Anytown")
    assert len(ids) == 1
    q2 = read_tracker(quarter_file(Q2, {"1.2": "B"}), "q2.xlsx")
    pv = preview(engine, q2, plan_name="Anytown")
    assert pv.plan_exists and pv.reviews[0].previous_review.startswith("Q1 2018/19")
    assert pv.reviews[0].added == [] and pv.reviews[0].dropped == []
    imported(engine, q2, "Anytown")
    c = counts(engine)
    assert c["plan"] == 1 and c["review"] == 2 and c["action"] == 6 and c["action_update"] == 12


def test_same_file_twice_refused_naming_earlier_import(engine):
    data = quarter_file(Q1)
    imported(engine, read_tracker(data, "q1.xlsx"), "Anytown", imported_by="analyst")
    again = read_tracker(data, "copy of q1.xlsx")
    pv = preview(engine, again, plan_name="Other plan")
    assert pv.duplicate and "q1.xlsx" in pv.duplicate and "Anytown" in pv.duplicate and "analyst" in pv.duplicate
    assert not can_commit(pv)
    before = counts(engine)
    with pytest.raises(ImportRefused, match="already imported"):
        imported(engine, again, "Other plan")
    assert counts(engine) == before


def test_same_as_at_needs_explicit_replace_and_keeps_old(engine):
    (first,) = imported(engine, read_tracker(quarter_file(Q1), "q1.xlsx"), "Anytown")
    corrected = read_tracker(quarter_file(Q1, {"2.1": "A"}), "q1 corrected.xlsx")
    pv = preview(engine, corrected, plan_name="Anytown")
    assert pv.reviews[0].same_date_review_id == first
    with pytest.raises(ImportRefused, match="replace"):
        imported(engine, corrected, "Anytown")
    (second,) = imported(engine, corrected, "Anytown", replace=True)
    with engine.connect() as conn:
        assert conn.execute(select(Review.replaced_by_id).where(Review.id == first)).scalar_one() == second
        assert (
            conn.execute(
                select(func.count()).select_from(ActionUpdate).where(ActionUpdate.review_id == first)
            ).scalar_one()
            == 6
        )


def test_replace_applies_to_the_review_chosen(engine):
    (first,) = imported(engine, read_tracker(quarter_file(Q1), "q1.xlsx"), "Anytown")
    pv = preview(engine, read_tracker(quarter_file(Q1, {"1.1": "R"}), "fix.xlsx"), plan_name="Anytown")
    (rv,) = pv.reviews
    assert rv.needs_replace_choice and blockers(pv) and not blockers(pv, replace=[rv])
    (second,) = commit(engine, pv, replace=[rv.index]).review_ids
    with engine.connect() as conn:
        assert conn.execute(select(Review.replaced_by_id).where(Review.id == first)).scalar_one() == second


def test_multi_sheet_file_is_one_transaction_of_reviews(engine):
    data = messy.build_periods_xlsx([("Q4 2016-17", {}), ("Q3 2016-17", {"1.1": "R"})])
    parsed = read_tracker(data, "history.xlsx")
    pv = preview(engine, parsed, plan_name="History")
    assert [r.as_at for r in pv.reviews] == [dt.date(2016, 12, 31), dt.date(2017, 3, 31)]
    assert pv.reviews[1].previous_review and "Q3 2016-17" in pv.reviews[1].previous_review
    ids = imported(engine, parsed, "History")
    assert len(ids) == 2
    with engine.connect() as conn:
        sheets = conn.execute(select(Review.sheet).order_by(Review.as_at)).scalars().all()
    assert sheets == ["Q3 2016-17", "Q4 2016-17"]
    assert counts(engine)["action"] == 6


def test_all_or_nothing_when_a_write_fails(engine, monkeypatch):
    data = messy.build_periods_xlsx([("Q3 2016-17", {}), ("Q4 2016-17", {})])
    parsed = read_tracker(data, "history.xlsx")
    real = plan_writer.write_review
    calls = []

    def failing(conn, *args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(conn, *args, **kwargs)

    monkeypatch.setattr(plan_writer, "write_review", failing)
    with pytest.raises(RuntimeError):
        imported(engine, parsed, "History")
    assert len(calls) == 2
    assert counts(engine) == {"plan": 0, "recommendation": 0, "action": 0, "review": 0, "action_update": 0}


def test_all_or_nothing_on_database_error(engine, monkeypatch):
    from sqlalchemy.exc import OperationalError

    parsed = read_tracker(quarter_file(Q1), "q1.xlsx")
    real = plan_writer.write_review

    def failing(conn, *args, **kwargs):
        real(conn, *args, **kwargs)
        raise OperationalError("INSERT", {}, Exception("database is locked"))

    monkeypatch.setattr(plan_writer, "write_review", failing)
    with pytest.raises(ImportRefused, match="nothing was written"):
        imported(engine, parsed, "Anytown")
    assert sum(counts(engine).values()) == 0


def test_no_as_at_refused_on_commit(engine):
    parsed = read_tracker(messy.build_xlsx(), "undated.xlsx")
    pv = preview(engine, parsed, plan_name="X")
    assert not can_commit(pv)
    assert "'as at'" in pv.reviews[0].problems[0].message
    with pytest.raises(ImportRefused, match=r"no 'as at' date \(sheet 'Action plan'\); enter it in 'Review date"):
        imported(engine, parsed, "X")
    assert "--as-at 2018-06-30" in blockers(preview(engine, parsed, plan_name="X", command_line=True))[0]


def test_text_matches_proposed_and_applied_only_when_accepted(engine):
    imported(engine, read_tracker(quarter_file(Q1, drop_ids=True), "q1.xlsx"), "P")
    reworded = [list(r) for r in ROWS]
    reworded[0][3] = "Audit twenty assessments each month"  # edited wording
    reworded[5][3] = "Recruit a permanence champion"  # a genuinely new action
    q2 = messy.build_xlsx(Traits(title_rows=True, as_at=Q2, drop_ids=True, rows=[tuple(r) for r in reworded]))
    parsed = read_tracker(q2, "q2.xlsx")
    rv = preview(engine, parsed, plan_name="P").reviews[0]
    assert [(p.row_index, p.existing_description) for p in rv.proposals] == [(0, "Audit 20 assessments each month")]
    assert rv.proposals[0].action_key
    assert rv.added == ["3: Recruit a permanence champion"]
    assert rv.dropped == ["3: Track every child's plan at 4 months"]
    imported(engine, parsed, "P", accepted_matches=rv.proposals)
    c = counts(engine)
    assert c["action"] == 7  # 6 + the new one; the reworded action kept its history
    with engine.connect() as conn:
        desc = conn.execute(select(Action.description).where(Action.key == rv.proposals[0].action_key)).scalar_one()
    assert desc == "Audit twenty assessments each month"


def test_rejected_match_makes_a_new_action(engine):
    imported(engine, read_tracker(quarter_file(Q1, drop_ids=True), "q1.xlsx"), "P")
    reworded = [list(r) for r in ROWS]
    reworded[0][3] = "Audit twenty assessments each month"
    parsed = read_tracker(
        messy.build_xlsx(Traits(title_rows=True, as_at=Q2, drop_ids=True, rows=[tuple(r) for r in reworded])), "q2.xlsx"
    )
    imported(engine, parsed, "P", accepted_matches=None)
    assert counts(engine)["action"] == 7


def test_added_and_dropped_by_action_id(engine):
    imported(engine, read_tracker(quarter_file(Q1), "q1.xlsx"), "P")
    rows = [list(r) for r in ROWS[:-1]]
    rows.append(["3", ROWS[5][1], "3.2", "A new action", "DCS", "Dec 2018", "G", "", ""])
    parsed = read_tracker(messy.build_xlsx(Traits(title_rows=True, as_at=Q2, rows=[tuple(r) for r in rows])), "q2.xlsx")
    rv = preview(engine, parsed, plan_name="P").reviews[0]
    assert rv.added == ["3 / 3.2: A new action"]
    assert rv.dropped == ["3 / 3.1: Track every child's plan at 4 months"]
    assert rv.proposals == []


def test_mapping_remembered_for_the_plan(engine):
    data = messy.build_xlsx(Traits(headers="ref_as_id", title_rows=True, as_at=Q1))
    parsed = read_tracker(data, "q1.xlsx", mapping={"Outcome": "evidence"})
    imported(engine, parsed, "Mapped")
    remembered = remembered_mapping(engine, "Mapped")
    assert remembered == {"outcome": "evidence"}
    with engine.connect() as conn:
        assert json.loads(conn.execute(select(Plan.column_mapping)).scalar_one()) == {"outcome": "evidence"}
    q2 = read_tracker(
        messy.build_xlsx(Traits(headers="ref_as_id", title_rows=True, as_at=Q2)), "q2.xlsx", mapping=remembered
    )
    assert q2.reviews[0].rows[0].evidence == "90% of audits good or better"


def test_progress_callback_phases(engine):
    seen = []
    parsed = read_tracker(quarter_file(Q1), "q1.xlsx", progress=lambda phase, f: seen.append(phase))
    imported(engine, parsed, "P", progress=lambda phase, f: seen.append(phase))
    assert [p for i, p in enumerate(seen) if i == 0 or seen[i - 1] != p] == ["reading", "checking", "writing"]


def test_formula_text_stored_inert(engine):
    parsed = read_tracker(messy.build_xlsx(Traits(title_rows=True, as_at=Q1, formula_text=True)), "f.xlsx")
    imported(engine, parsed, "F")
    with engine.connect() as conn:
        stored = set(conn.execute(select(ActionUpdate.progress)).scalars())
    for text in messy.FORMULA_TEXTS:
        assert text in stored


def test_bad_rows_stored_with_unknown_status_and_no_date(engine):
    parsed = read_tracker(messy.build_xlsx(Traits(title_rows=True, as_at=Q1, bad_rows=True)), "bad.xlsx")
    imported(engine, parsed, "Bad")
    with engine.connect() as conn:
        rows = conn.execute(
            select(Action.description, ActionUpdate.status, ActionUpdate.due_date, ActionUpdate.due_raw).join(
                ActionUpdate, ActionUpdate.action_id == Action.id
            )
        ).all()
    by_text = {r.description: r for r in rows}
    assert len(rows) == len(ROWS) + 4
    assert by_text["Bad row: purple status"].status == "unknown"
    assert by_text["Bad row: impossible date"].due_date is None
    assert by_text["Bad row: impossible date"].due_raw == "31/02/2017"
    assert "Bad row: duplicate ID" in by_text


# ---------------------------------------------------------------------------
# The importer decides once (issue 8 item 2)
# ---------------------------------------------------------------------------


def test_matching_runs_once_per_review_and_never_in_commit_or_the_store(engine, monkeypatch):
    from data_access.importer.committing import matching

    calls = []
    real_match, real_identify = matching.match_review, plan_writer.identify_actions
    monkeypatch.setattr(matching, "match_review", lambda *a, **k: calls.append("match") or real_match(*a, **k))
    monkeypatch.setattr(
        plan_writer, "identify_actions", lambda *a, **k: calls.append("store") or real_identify(*a, **k)
    )
    imported(engine, read_tracker(quarter_file(Q1, drop_ids=True), "q1.xlsx"), "P")
    assert calls == ["match"]
    data = messy.build_periods_xlsx([("Q3 2016-17", {}), ("Q4 2016-17", {"1.1": "R"})], Traits(drop_ids=True))
    calls.clear()
    pv = preview(engine, read_tracker(data, "history.xlsx"), plan_name="P")
    assert calls == ["match", "match"]  # once per review of the file
    calls.clear()
    commit(engine, pv, accepted_matches="all")
    assert calls == []  # commit applies the preview's matches; the store is told, it does not match


def test_commit_returns_the_plan_and_review_ids_and_writes_the_previewed_rows(engine):
    parsed = read_tracker(quarter_file(Q1), "q1.xlsx")
    pv = preview(engine, parsed, plan_name="Anytown")
    done = commit(engine, pv)
    with engine.connect() as conn:
        plan_id = conn.execute(select(Plan.id)).scalar_one()
        stored = conn.execute(
            select(ActionUpdate.source_row, ActionUpdate.status).where(ActionUpdate.review_id == done.review_ids[0])
        ).all()
    assert done.plan_ids == [plan_id] and done.plan_id == plan_id and len(done.review_ids) == 1
    assert sorted(stored) == sorted((r.source_row, r.status) for r in pv.reviews[0].rows)
    assert "Imported 1 review from q1.xlsx into 'Anytown'" in done.message("q1.xlsx")


def test_a_preview_the_database_has_moved_on_from_is_refused(engine):
    stale = preview(engine, read_tracker(quarter_file(Q2), "q2.xlsx"), plan_name="Anytown")
    imported(engine, read_tracker(quarter_file(Q1), "q1.xlsx"), "Anytown")  # another import meanwhile
    before = counts(engine)
    with pytest.raises(ImportRefused, match="check the preview again"):
        commit(engine, stale)
    assert counts(engine) == before


def test_a_dry_run_checks_everything_a_commit_does_and_writes_nothing(engine):
    imported(engine, read_tracker(quarter_file(Q1), "q1.xlsx"), "Anytown")
    before = counts(engine)
    clash = preview(engine, read_tracker(quarter_file(Q1, {"2.1": "A"}), "fix.xlsx"), plan_name="Anytown")
    with pytest.raises(ImportRefused, match="replace"):
        commit(engine, clash, dry_run=True)
    done = commit(engine, clash, replace=True, dry_run=True)
    assert done.dry_run and done.replaced and done.message("fix.xlsx").startswith("Would import 1 review")
    assert counts(engine) == before


def test_no_audit_row_when_an_import_fails(engine, monkeypatch):
    from data_access.storage.schema import AuditEvent

    data = messy.build_periods_xlsx([("Q3 2016-17", {}), ("Q4 2016-17", {})])
    pv = preview(engine, read_tracker(data, "history.xlsx"), plan_name="History")
    real = plan_writer.write_review
    calls = []

    def failing(conn, *args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")  # after the first review and its audit row
        return real(conn, *args, **kwargs)

    monkeypatch.setattr(plan_writer, "write_review", failing)
    with pytest.raises(RuntimeError):
        commit(engine, pv, imported_by="analyst")
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(AuditEvent)).scalar_one() == 0
    monkeypatch.setattr(plan_writer, "write_review", real)
    commit(engine, pv, imported_by="analyst")
    with engine.connect() as conn:
        actions = conn.execute(select(AuditEvent.action, AuditEvent.actor)).all()
    assert actions == [("import", "analyst"), ("import", "analyst")]


def test_a_column_mapping_change_is_audited(engine):
    from data_access.storage import audit_trail
    from data_access.storage.schema import AuditEvent

    data = messy.build_xlsx(Traits(headers="ref_as_id", title_rows=True, as_at=Q1))
    imported(engine, read_tracker(data, "q1.xlsx", mapping={"Outcome": "evidence"}), "Mapped", imported_by="me")
    with engine.connect() as conn:
        (event,) = conn.execute(select(AuditEvent).where(AuditEvent.action == audit_trail.COLUMN_MAPPING)).all()
    assert event.actor == "me" and json.loads(event.detail)["changes"] == {"outcome": "evidence"}


# ---------------------------------------------------------------------------
# A workbook with a new quarter's tab (issue 13 item 5)
# ---------------------------------------------------------------------------

QUARTERS = [("Q1 2017-18", {}), ("Q2 2017-18", {"1.1": "R"}), ("Q3 2017-18", {"1.2": "B"}), ("Q4 2017-18", {})]


def test_a_new_quarter_tab_adds_one_review_and_leaves_the_stored_ones_alone(engine):
    first = commit(
        engine, preview(engine, read_tracker(messy.build_periods_xlsx(QUARTERS), "plan.xlsx"), plan_name="P")
    )
    assert len(first.review_ids) == 4
    grown = messy.build_periods_xlsx([*QUARTERS, ("Q1 2018-19", {"2.1": "G"})])
    pv = preview(engine, read_tracker(grown, "plan v2.xlsx"), plan_name="P")
    assert [r.same_content_review_id for r in pv.reviews] == [*first.review_ids, None]
    assert [r.needs_replace_choice for r in pv.reviews] == [False] * 5
    assert can_commit(pv)  # nothing to choose: the old tabs are already stored as they are
    done = commit(engine, pv)
    assert len(done.review_ids) == 1 and done.replaced == []
    assert done.added == ["Q1 2018/19 as at 30 June 2018 (sheet 'Q1 2018-19')"]
    assert len(done.left_alone) == 4
    message = done.message("plan v2.xlsx")
    assert "Added: Q1 2018/19 as at 30 June 2018" in message and "Nothing was replaced." in message
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Review)).scalar_one() == 5
        assert conn.execute(select(func.count()).where(Review.replaced_by_id.is_not(None))).scalar_one() == 0


def test_replace_applies_only_to_the_reviews_ticked(engine):
    first = commit(
        engine, preview(engine, read_tracker(messy.build_periods_xlsx(QUARTERS), "plan.xlsx"), plan_name="P")
    )
    edited = [(n, {**o, "3.1": "R"}) if n in ("Q2 2017-18", "Q3 2017-18") else (n, o) for n, o in QUARTERS]
    pv = preview(
        engine, read_tracker(messy.build_periods_xlsx([*edited, ("Q1 2018-19", {})]), "v2.xlsx"), plan_name="P"
    )
    q2, q3 = pv.reviews[1], pv.reviews[2]
    assert [r.needs_replace_choice for r in pv.reviews] == [False, True, True, False, False]
    reasons = blockers(pv, replace=[q2])
    assert len(reasons) == 1 and "Sheet 'Q3 2017-18'" in reasons[0]  # says why, naming the one left
    assert blockers(pv, replace=[q2], leave_out=[q3]) == []
    done = commit(engine, pv, replace=[q2], leave_out=[q3])
    assert done.replaced == [
        f"Q2 2017/18 as at 30 September 2017 (sheet 'Q2 2017-18'), replacing review {first.review_ids[1]}"
    ]
    assert done.added == ["Q1 2018/19 as at 30 June 2018 (sheet 'Q1 2018-19')"]
    with engine.connect() as conn:
        replaced = conn.execute(select(Review.id).where(Review.replaced_by_id.is_not(None))).scalars().all()
    assert replaced == [first.review_ids[1]]  # Q3 was not ticked: still the stored one


def test_the_same_content_in_another_file_is_recognised(engine):
    (stored,) = imported(engine, read_tracker(quarter_file(Q1), "q1.xlsx"), "Anytown")
    relaid = messy.build_xlsx(Traits(title_rows=True, as_at=Q1, headers="synonyms", start_col=3, real_dates=True))
    pv = preview(engine, read_tracker(relaid, "q1 relaid.xlsx"), plan_name="Anytown")
    assert pv.reviews[0].same_content_review_id == stored and pv.reviews[0].unchanged
    assert "nothing new" in blockers(pv)[0]
    other_date = preview(engine, read_tracker(relaid, "q1 relaid.xlsx", as_at=Q2), plan_name="Anytown")
    assert other_date.reviews[0].same_content_review_id is None and can_commit(other_date)


def test_long_values_are_accepted_by_a_dry_run_and_a_commit_on_every_backend(any_engine):
    rows = [list(r) for r in ROWS]
    rows[0][0] = "R" * 50  # a 50-character recommendation ref
    rows[0][2] = "ID-" + "9" * 79  # an 82-character action ID
    rows[0][5] = ("Subject to agreement with partners and the funding review, by the end of the year. " * 3)[:215]
    assert len(rows[0][5]) == 215 and len(rows[0][2]) == 82
    pv = preview(
        any_engine, read_tracker(messy.build_xlsx(Traits(title_rows=True, rows=rows)), "long.xlsx"), plan_name="L"
    )
    assert commit(any_engine, pv, dry_run=True).dry_run
    done = commit(any_engine, pv)
    with any_engine.connect() as conn:
        keys = set(conn.execute(select(Action.key)).scalars())
        raws = set(conn.execute(select(ActionUpdate.due_raw)).scalars())
    assert rows[0][2] in keys and rows[0][5] in raws and len(done.review_ids) == 1


def test_a_dry_run_refuses_what_the_database_would_refuse(any_engine):
    """The dry run writes and rolls back, so a value the database rejects is found before the
    real import (here a column narrowed by hand, as the schema was before migration 0002)."""
    from sqlalchemy import text

    with any_engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("ALTER TABLE action ALTER COLUMN key TYPE varchar(20)"))
        else:
            conn.execute(
                text(
                    "CREATE TRIGGER narrow_key BEFORE INSERT ON action WHEN length(NEW.key) > 20 "
                    "BEGIN SELECT RAISE(ABORT, 'value too long for type character varying(20)'); END"
                )
            )
    rows = [list(r) for r in ROWS]
    rows[0][2] = "ID-" + "9" * 79
    pv = preview(
        any_engine, read_tracker(messy.build_xlsx(Traits(title_rows=True, rows=rows)), "long.xlsx"), plan_name="L"
    )
    assert can_commit(pv)  # nothing in the preview can know
    with pytest.raises(ImportRefused, match="could not be saved.*nothing was written"):
        commit(any_engine, pv, dry_run=True)
    assert sum(counts(any_engine).values()) == 0


def test_a_review_stored_before_content_hashes_were_kept_is_recognised_too(engine):
    (stored,) = imported(engine, read_tracker(quarter_file(Q1), "q1.xlsx"), "Anytown")
    with engine.begin() as conn:
        kept = conn.execute(select(Review.content_sha256).where(Review.id == stored)).scalar_one()
        assert kept == plan_writer.stored_content_hash(conn, stored)  # the same rule, from the stored rows
        conn.execute(Review.__table__.update().values(content_sha256=None))
    pv = preview(engine, read_tracker(quarter_file(Q1), "q1 copy.xlsx"), plan_name="Anytown")
    assert pv.reviews[0].same_content_review_id == stored
