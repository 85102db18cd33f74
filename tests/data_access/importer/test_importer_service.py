"""preview / commit against a real migrated database (the `engine` fixture)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import func, select

from data_access import store
from data_access.importer import ImportRefused, commit, preview, read_tracker, remembered_mapping
from data_access.importer.parsed import ParsedFile
from data_access.tables import Action, ActionUpdate, Plan, Recommendation, Review
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
    assert pv.can_commit and not pv.plan_exists and pv.duplicate is None
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
    assert not pv.can_commit
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
    assert rv.needs_replace_choice and pv.blockers() and not pv.blockers(replace=[rv])
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
    real = store.write_review
    calls = []

    def failing(conn, *args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(conn, *args, **kwargs)

    monkeypatch.setattr(store, "write_review", failing)
    with pytest.raises(RuntimeError):
        imported(engine, parsed, "History")
    assert len(calls) == 2
    assert counts(engine) == {"plan": 0, "recommendation": 0, "action": 0, "review": 0, "action_update": 0}


def test_all_or_nothing_on_database_error(engine, monkeypatch):
    from sqlalchemy.exc import OperationalError

    parsed = read_tracker(quarter_file(Q1), "q1.xlsx")
    real = store.write_review

    def failing(conn, *args, **kwargs):
        real(conn, *args, **kwargs)
        raise OperationalError("INSERT", {}, Exception("database is locked"))

    monkeypatch.setattr(store, "write_review", failing)
    with pytest.raises(ImportRefused, match="nothing was written"):
        imported(engine, parsed, "Anytown")
    assert sum(counts(engine).values()) == 0


def test_no_as_at_refused_on_commit(engine):
    parsed = read_tracker(messy.build_xlsx(), "undated.xlsx")
    pv = preview(engine, parsed, plan_name="X")
    assert not pv.can_commit
    assert "'as at'" in pv.reviews[0].problems[0].message
    with pytest.raises(ImportRefused, match="as-at"):
        imported(engine, parsed, "X")


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
