"""The upload preview's list of what changed since the previous review, action by action (status,
due date, progress note, added, removed): against the plan's stored review, against the file's own
earlier review, and nothing for a plan's first review."""

from __future__ import annotations

import csv
import io

from data_access import importer
from data_access.importer.parsed import ActionChange
from tests.data_access.importer import council_layouts as cl
from tests.fixtures import FORMULA, SCRIPT, populate_board

HEADER = ["Rec ref", "Recommendation", "Action ID", "Action", "Lead officer", "Timescale", "Revised date",
          "RAG status", "Progress update"]  # fmt: skip


def _q3_csv() -> bytes:
    """The board plan's Q3: 1.1 amber (was green), 1.2 with no note, 2.1 as it was, 2.2's revised date
    moved and a new note, 10.1 as it was, 10.2 gone, 10.3 new."""
    rows = [
        ["1", "Strengthen the front door", "1.1", "Audit thresholds", "Head of MASH", "31/07/2024", "", "amber",
         "Audit under way"],
        ["1", "Strengthen the front door", "1.2", "Train partners", "Head of MASH", "May 2024", "", "complete", ""],
        ["2", "Improve supervision", "2.1", "Supervision policy", "Principal SW", "31/03/2024", "", "complete", ""],
        ["2", "Improve supervision", "2.2", "Supervision audit", "Principal SW", "Q2 2024/25", "31/03/2025", "amber",
         "Auditor started"],
        ["10", "Care leavers' accommodation", "10.1", "Lodgings", "Head of MASH", "Aug 2024", "", "red",
         "Provider withdrew"],
        ["10", "Care leavers' accommodation", "10.3", "Commission lodgings", "Head of MASH", "30/06/2025", "", "green",
         "Tender out"],
    ]  # fmt: skip
    out = io.StringIO()
    csv.writer(out).writerows([["Position as at 31 December 2024"], HEADER, *rows])
    return out.getvalue().encode()


def test_changes_since_the_plans_stored_review(engine):
    ids = populate_board(engine)
    parsed = importer.read_tracker(_q3_csv(), "q3.csv")
    (review,) = importer.preview(engine, parsed, plan_id=ids["plan"]).reviews
    assert review.previous_review == "Q2 2024/25 (as at 30 September 2024)"
    assert review.changes == [
        ActionChange("1 / 1.1: Audit thresholds", "Status", "● G On track", "▲ A At risk"),
        ActionChange(
            "2 / 2.2: Supervision audit",
            "Due date",
            "31 Dec 2024 (revised; tracker: “Q2 2024/25”)",
            "31 Mar 2025 (revised; tracker: “Q2 2024/25”)",
        ),
        ActionChange("2 / 2.2: Supervision audit", "Progress note", "Auditor starts in November", "Auditor started"),
        ActionChange("10 / 10.3: Commission lodgings", "Added", "", "● G On track; due 30 Jun 2025"),
        ActionChange(f"10 / 10.2: {SCRIPT}", "Removed", "● G On track; due 31 Mar 2025", ""),
    ]
    assert review.without_note == 2  # 1.2 and 2.1: not updated (no change listed for them)
    assert FORMULA not in str(review.changes)  # 10.2's note is not listed: only what changed


def test_a_plans_first_review_has_no_changes_to_list(engine):
    parsed = importer.read_tracker(_q3_csv(), "q3.csv")
    (review,) = importer.preview(engine, parsed, plan_name="A new plan").reviews
    assert review.previous_review is None and review.changes == []


def test_a_files_second_review_is_compared_with_its_first(engine):
    parsed = importer.read_tracker(cl.quarterly_xlsx("pairs"), "quarters.xlsx")
    first, second = importer.preview(engine, parsed, plan_name="JTAI").reviews
    assert first.changes == []
    moved = {c.action.split(":")[0]: (c.before, c.now) for c in second.changes if c.what == "Status"}
    letters = {"B": "✔ B Complete", "G": "● G On track", "A": "▲ A At risk", "R": "✖ R Off track"}
    assert moved == {
        f"{key[0]} / {key}": (letters[q1], letters[q2]) for key, (q1, q2) in cl.QUARTERS.items() if q1 != q2
    }
    notes = [c for c in second.changes if c.what == "Progress note"]
    assert len(notes) == 14 and notes[0].before == "Q1 note A.1" and notes[0].now == "Q2 1"
    assert {c.what for c in second.changes} == {"Status", "Progress note"}  # none added, removed or re-dated
