"""Trackers as councils' own programs write them (issue 9): every trait alone and combined, with
exact recommendation, action and status counts and overdue — or a question / refusal that names
what to do, never a guessed figure. The fixtures and their hand-worked answers are in
council_layouts.py."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from data_access.importer import (
    ImportRefused,
    blockers,
    can_commit,
    commit,
    preview,
    read_tracker,
    remembered_status_mapping,
)
from data_access.storage import audit_trail
from data_access.storage.schema import Action, AuditEvent, Plan
from tests.data_access.importer import council_layouts as cl

JUNE = dt.date(2018, 6, 30)


def counts(review) -> dict[str, int]:
    out = dict.fromkeys(("complete", "green", "amber", "red", "unknown"), 0)
    for row in review.rows:
        out[row.status] += 1
    return out


def figures(engine, data: bytes, name: str = "tracker.xlsx", **read) -> list[tuple]:
    """(plan, as_at, recommendations, actions, status counts, overdue) per review, from the preview."""
    pv = preview(engine, read_tracker(data, name, **read))
    return [(r.plan_name, r.as_at, r.recommendations, r.actions, r.status_counts, r.overdue) for r in pv.reviews]


# ---------------------------------------------------------------------------
# 1. A Ref column of action IDs
# ---------------------------------------------------------------------------


def test_jtai_areas_with_action_ids_in_a_ref_column(engine):
    parsed = read_tracker(cl.jtai_xlsx(), "jtai.xlsx")
    (review,) = parsed.reviews
    assert [r.action_id for r in review.rows] == [a[1] for a in cl.JTAI]  # A.1 ... E.6, never A.1.1
    assert [r.rec_ref for r in review.rows] == [a[1][0] for a in cl.JTAI]
    assert review.column_map["Ref"] == "action_id"
    assert figures(engine, cl.jtai_xlsx()) == [
        ("Testshire JTAI neglect action plan", JUNE, 5, 14, cl.JTAI_COUNTS, cl.JTAI_OVERDUE)
    ]
    done = commit(engine, preview(engine, parsed))
    with engine.connect() as conn:
        keys = conn.execute(select(Action.key).where(Action.plan_id == done.plan_id).order_by(Action.id)).scalars()
        assert list(keys) == [a[1] for a in cl.JTAI]


@pytest.mark.parametrize("style", sorted(cl.ID_STYLES))
def test_other_action_id_styles_in_a_ref_column(style):
    (review,) = read_tracker(cl.id_style_xlsx(style), "ids.xlsx").reviews
    assert [(r.action_id, r.rec_ref) for r in review.rows] == cl.ID_STYLES[style]
    assert [p for p in review.problems if "'as at'" not in p.message] == []


# ---------------------------------------------------------------------------
# 2. Coded statuses and their key
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("codes", sorted(cl.CODES))
@pytest.mark.parametrize("key", ["title", "footer", "sheet", "conditional"])
def test_coded_statuses_take_their_meaning_from_the_key_in_the_file(engine, codes, key):
    parsed = read_tracker(cl.coded_xlsx(codes, key), "coded.xlsx")
    (review,) = parsed.reviews
    assert counts(review) == cl.JTAI_COUNTS
    values = cl.CODES[codes]
    meanings = {c.value: c.status for c in parsed.coded_statuses}
    expected = {values[letter]: cl.EXPECTED[letter] for letter in "RAGB" if values[letter] != "Completed"}
    assert meanings == expected  # "Completed" is complete everywhere: not a code
    assert all(c.source for c in parsed.coded_statuses)  # says where the meaning was read
    assert figures(engine, cl.coded_xlsx(codes, key)) == [
        ("Testshire JTAI neglect action plan", JUNE, 5, 14, cl.JTAI_COUNTS, cl.JTAI_OVERDUE)
    ]
    assert can_commit(preview(engine, parsed))


@pytest.mark.parametrize("codes", sorted(cl.CODES))
def test_coded_statuses_without_a_key_are_asked_never_guessed(engine, codes):
    data = cl.coded_xlsx(codes, key=None)
    parsed = read_tracker(data, "coded.xlsx")
    asked = {c.value: c.count for c in parsed.unmapped_statuses}
    values = cl.CODES[codes]
    expected = {values[letter]: cl.JTAI_COUNTS[cl.EXPECTED[letter]] for letter in "RAGB"}
    expected.pop("Completed", None)
    assert asked == expected  # the distinct values with their counts
    pv = preview(engine, parsed)
    assert not can_commit(pv)
    (reason,) = blockers(pv)
    assert "'Status codes'" in reason and "--" not in reason and all(f"'{value}'" in reason for value in asked)
    with pytest.raises(ImportRefused, match="Status codes"):
        commit(engine, pv)
    (for_the_cli,) = blockers(preview(engine, parsed, command_line=True))
    assert "--status-map" in for_the_cli
    # The user says what each value means: exact figures, and the plan remembers it.
    mapping = {values[letter]: cl.EXPECTED[letter] for letter in "RAGB"}
    answered = read_tracker(data, "coded.xlsx", status_mapping=mapping)
    assert counts(answered.reviews[0]) == cl.JTAI_COUNTS
    assert {c.source for c in answered.coded_statuses} == {"your choice"}
    done = commit(engine, preview(engine, answered, plan_name="JTAI"))
    remembered = remembered_status_mapping(engine, "JTAI")
    assert remembered == {k.lower(): v for k, v in mapping.items() if k != "Completed"} | (
        {"completed": "complete"} if "Completed" in mapping else {}
    )
    with engine.connect() as conn:
        event = conn.execute(select(AuditEvent).where(AuditEvent.action == audit_trail.STATUS_MAPPING)).one()
        assert event.plan_id == done.plan_id and "changes" in json.loads(event.detail)


def test_a_rag_column_wins_over_progress_words_and_completed_is_complete():
    (review,) = read_tracker(cl.rag_and_stage_xlsx(), "both.xlsx").reviews
    assert [r.status for r in review.rows] == ["green", "red", "complete", "amber"]
    assert review.column_map["RAG"] == "status" and review.column_map["Status"] == "stage"


def test_a_wrong_user_meaning_word_is_not_a_status():
    parsed = read_tracker(cl.coded_xlsx("numbers", None), "coded.xlsx", status_mapping={"1": "purple"})
    assert "1" in {c.value for c in parsed.unmapped_statuses}


# ---------------------------------------------------------------------------
# 3. Quarterly column pairs
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("style", ["pairs", "suffix", "months", "merged"])
def test_quarterly_column_pairs_are_one_review_per_filled_period(engine, style):
    parsed = read_tracker(cl.quarterly_xlsx(style), "quarters.xlsx")
    assert [(r.as_at, r.as_at_source) for r in parsed.reviews] == [
        (cl.Q1_END, "column heading"),
        (cl.Q2_END, "column heading"),
    ]  # Q3 and Q4 are blank: not reviews
    q1, q2 = parsed.reviews
    assert q1.rows[0].progress == "Q1 note A.1" and q2.rows[0].progress == "Q2 1"
    title = "Testshire JTAI neglect action plan 2018/19"
    assert figures(engine, cl.quarterly_xlsx(style)) == [
        (title, cl.Q1_END, 5, 14, cl.Q1_COUNTS, cl.Q1_OVERDUE),
        (title, cl.Q2_END, 5, 14, cl.Q2_COUNTS, cl.Q2_OVERDUE),
    ]
    done = commit(engine, preview(engine, parsed))
    assert len(done.review_ids) == 2
    with engine.connect() as conn:
        assert conn.execute(select(Action.id).where(Action.plan_id == done.plan_id)).all().__len__() == 14


def test_bare_quarters_without_a_year_anywhere_are_not_given_a_date():
    import io

    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(cl.quarterly_xlsx("pairs")))
    book.active["A1"] = "Testshire JTAI neglect action plan"  # no year in the title any more
    out = io.BytesIO()
    book.save(out)
    parsed = read_tracker(out.getvalue(), "quarters.xlsx")
    assert [r.as_at for r in parsed.reviews] == [None, None]
    assert "'as at'" in parsed.reviews[0].problems[0].message
    dated = read_tracker(out.getvalue(), "quarters.xlsx", as_at=dt.date(2018, 9, 30))  # the year of --as-at
    assert [r.as_at for r in dated.reviews] == [cl.Q1_END, cl.Q2_END]


# ---------------------------------------------------------------------------
# 4. Several plans in one workbook
# ---------------------------------------------------------------------------


def test_two_plans_in_one_workbook_are_two_plans(engine):
    parsed = read_tracker(cl.two_plans_xlsx(), "plans.xlsx")
    assert [(p.title, p.sheets, len(p.recommendations)) for p in parsed.plans] == [
        ("SIF plan", ("SIF plan",), 8),
        ("JTAI plan", ("JTAI plan",), 5),
    ]
    assert figures(engine, cl.two_plans_xlsx(), "plans.xlsx") == [
        ("SIF plan", JUNE, 8, 8, {"complete": 0, "green": 6, "amber": 0, "red": 2, "unknown": 0}, 0),
        ("JTAI plan", JUNE, 5, 14, cl.JTAI_COUNTS, cl.JTAI_OVERDUE),
    ]
    pv = preview(engine, parsed, plan_names=["Testshire SIF 2018", "Testshire JTAI 2018"])
    done = commit(engine, pv)
    assert done.plan_names == ["Testshire SIF 2018", "Testshire JTAI 2018"] and len(done.review_ids) == 2
    with engine.connect() as conn:
        assert conn.execute(select(Plan.name).order_by(Plan.name)).scalars().all() == [
            "Testshire JTAI 2018",
            "Testshire SIF 2018",
        ]


def test_one_plan_name_for_a_workbook_of_two_plans_is_refused(engine):
    parsed = read_tracker(cl.two_plans_xlsx(), "plans.xlsx")
    pv = preview(engine, parsed, plan_name="Testshire")
    assert not can_commit(pv) and "2 plans" in blockers(pv)[0] and "--" not in blockers(pv)[0]
    assert "--sheet" in blockers(preview(engine, parsed, plan_name="Testshire", command_line=True))[0]


def test_one_sheet_of_a_workbook_of_two_plans(engine):
    parsed = read_tracker(cl.two_plans_xlsx(), "plans.xlsx", sheet="JTAI plan")
    assert len(parsed.plans) == 1 and [r.sheet for r in parsed.reviews] == ["JTAI plan"]
    done = commit(engine, preview(engine, parsed, plan_name="Testshire JTAI"))
    assert done.plan_names == ["Testshire JTAI"]
    with pytest.raises(ImportRefused, match="no sheet called 'Nope'.*'SIF plan', 'JTAI plan'"):
        read_tracker(cl.two_plans_xlsx(), "plans.xlsx", sheet="Nope")


def test_a_plan_split_over_sheets_by_recommendation_stays_one_plan():
    import io

    import openpyxl

    book = openpyxl.Workbook()
    first = book.active
    first.title = "Recs 1-4"
    second = book.create_sheet("Recs 5-8")
    for sheet, refs in ((first, range(1, 5)), (second, range(5, 9))):
        sheet.append(["Rec No.", "Recommendation", "Action", "RAG"])
        for n in refs:
            sheet.append([str(n), f"Recommendation {n}", f"Action {n}", "Green"])
    out = io.BytesIO()
    book.save(out)
    parsed = read_tracker(out.getvalue(), "split.xlsx")
    assert len(parsed.plans) == 1 and len(parsed.reviews) == 1 and len(parsed.reviews[0].rows) == 8


# ---------------------------------------------------------------------------
# 5-6. Files as Excel saves them; a sheet's name is not evidence
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("sheet", ["JTAI plan", "Dashboard 2017-18", "Summary"])
def test_total_rows_are_not_actions_and_hidden_rows_are(engine, sheet):
    data = cl.excel_saved_xlsx(sheet=sheet)
    (review,) = read_tracker(data, "excel.xlsx").reviews
    assert len(review.rows) == 14 and review.hidden_rows == 5  # 2 hidden by hand, 3 filtered out
    assert not any("Total" in (r.description or "") or r.rec_ref == "Total" for r in review.rows)
    (rv,) = preview(engine, read_tracker(data, "excel.xlsx")).reviews
    assert (rv.recommendations, rv.actions, rv.status_counts, rv.overdue, rv.hidden_rows) == (
        5,
        14,
        cl.JTAI_COUNTS,
        cl.JTAI_OVERDUE,
        5,
    )


def test_formula_results_are_read_as_excel_cached_them():
    import zipfile
    from io import BytesIO

    data = cl.excel_saved_xlsx()
    sheet_xml = zipfile.ZipFile(BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>SUBTOTAL(3,C5:C18)</f><v>14</v>" in sheet_xml  # the fixture is what Excel writes


def test_every_trait_combined(engine):
    parsed = read_tracker(cl.combined_xlsx(), "combined.xlsx")
    assert [p.sheets for p in parsed.plans] == [("Summary",), ("Dashboard 2017-18",)]
    assert {c.value: (c.count, c.status) for c in parsed.coded_statuses} == {
        "1": (5, "red"),
        "2": (3, "amber"),
        "3": (11, "green"),
        "4": (3, "complete"),
    }
    pv = preview(engine, parsed)
    assert [
        (r.plan_name, r.recommendations, r.actions, r.status_counts, r.overdue, r.hidden_rows) for r in pv.reviews
    ] == [
        ("Testshire JTAI neglect action plan", 5, 14, cl.JTAI_COUNTS, cl.JTAI_OVERDUE, 2),
        ("Testshire SIF action plan", 8, 8, {"complete": 0, "green": 6, "amber": 0, "red": 2, "unknown": 0}, 0, 0),
    ]
    assert can_commit(pv)
    done = commit(engine, pv)
    assert len(done.plan_ids) == 2 and len(done.review_ids) == 2
