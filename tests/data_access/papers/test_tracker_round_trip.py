"""The tracker sent back out is read back by the importer exactly: the same plan (title line), the
review's date ('Position as at …'), every action matched by its ID with no text-similarity
question, and every stored field as it was. Changed statuses import as a new review of the same
actions."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl

from data_access import importer
from data_access.papers import PaperRequest, make_paper
from data_access.papers.update_tracker import AS_AT_ROW, HEADER_ROW, NEW_UPDATE
from data_access.reads import review_figures
from tests.data_access.reads.test_board import Q2

FIELDS = ["key", "rec_ref", "rec_text", "description", "lead", "partner", "measure", "status", "status_raw",
          "due_raw", "due_date", "due_precision", "revised_due_date", "progress", "evidence"]  # fmt: skip
NEXT = dt.date(2024, 12, 31)


def _tracker(engine, plan_id, review_id=None) -> bytes:
    return make_paper(engine, PaperRequest("tracker", plan_id, review_id)).data


def _stored(engine, review_id: int):
    frame = review_figures.review_actions(engine, review_id, NEXT)
    return frame[["action_id", *FIELDS]].sort_values("key").reset_index(drop=True)


def test_the_layout_is_read_back_as_the_same_plan_and_review(engine, board):
    data = _tracker(engine, board["plan"])
    parsed = importer.read_tracker(data, "tracker.xlsx")
    assert importer.default_plan_name(parsed) == "Testshire ILACS 2024"
    (review,) = parsed.reviews
    assert (review.as_at, review.as_at_source) == (Q2, "title")
    assert review.unrecognised_columns == [NEW_UPDATE]  # the one column left for the manager
    assert not review.problems
    preview = importer.preview(engine, parsed, plan_id=board["plan"])
    (rp,) = preview.reviews
    assert (rp.proposals, rp.added, rp.dropped) == ([], [], [])  # matched by ID, no questions
    assert rp.same_date_review_id == board["q2"]


def test_re_importing_it_unchanged_is_recognised_as_the_same_review(engine, board):
    parsed = importer.read_tracker(_tracker(engine, board["plan"]), "tracker.xlsx")
    (rp,) = importer.preview(engine, parsed, plan_id=board["plan"]).reviews
    assert rp.same_content_review_id == board["q2"]


def test_every_stored_field_survives_the_round_trip(engine, board):
    parsed = importer.read_tracker(_tracker(engine, board["plan"]), "tracker.xlsx", as_at=NEXT)
    (new_id,) = importer.commit(engine, importer.preview(engine, parsed, plan_name="Testshire ILACS 2024")).review_ids
    before, after = _stored(engine, board["q2"]), _stored(engine, new_id)
    assert after.to_dict("records") == before.to_dict("records")  # same actions (ids), same content


def test_changed_statuses_import_as_a_new_review_matched_by_id(engine, board):
    book = openpyxl.load_workbook(io.BytesIO(_tracker(engine, board["plan"])))
    sheet = book.active
    headings = [c.value for c in sheet[HEADER_ROW]]
    key_col, status_col = headings.index("Action ID") + 1, headings.index("RAG status") + 1
    edits = {"1.1": "Complete", "10.1": "Amber", "2.2": "R"}
    for row in range(HEADER_ROW + 1, sheet.max_row + 1):
        key = sheet.cell(row, key_col).value
        if key in edits:
            sheet.cell(row, status_col).value = edits[key]
    sheet.cell(AS_AT_ROW, 1).value = "Position as at 31 December 2024"  # the manager dates the update
    out = io.BytesIO()
    book.save(out)

    parsed = importer.read_tracker(out.getvalue(), "tracker-q3.xlsx")
    assert parsed.reviews[0].as_at == NEXT
    (rp,) = importer.preview(engine, parsed, plan_id=board["plan"]).reviews
    assert (rp.proposals, rp.added, rp.dropped, rp.same_date_review_id) == ([], [], [], None)
    (new_id,) = importer.commit(engine, importer.preview(engine, parsed, plan_name="Testshire ILACS 2024")).review_ids
    before, after = _stored(engine, board["q2"]), _stored(engine, new_id)
    assert list(after["action_id"]) == list(before["action_id"])  # the same six actions
    changed = dict(zip(after["key"], after["status"], strict=True))
    assert {k: changed[k] for k in edits} == {"1.1": "complete", "10.1": "amber", "2.2": "red"}
    unchanged = [c for c in FIELDS if c not in ("status", "status_raw")]
    assert after[unchanged].to_dict("records") == before[unchanged].to_dict("records")


def test_a_plan_without_action_ids_round_trips_by_its_generated_ids(engine):
    """North Tyneside's trackers have no action IDs: the tracker carries the keys the app gave them."""
    from data_access.importer.sample_seed import seed
    from sample_data.plans import build_plans

    plan = next(p for p in build_plans() if p.info.name.startswith("North Tyneside"))
    seed(engine, [plan])
    from data_access.reads import catalogue

    plan_id = int(catalogue.list_plans(engine)["id"].iloc[0])
    latest = int(catalogue.list_reviews(engine, plan_id)["id"].iloc[-1])
    parsed = importer.read_tracker(_tracker(engine, plan_id), "tracker.xlsx", as_at=dt.date(2030, 3, 31))
    (rp,) = importer.preview(engine, parsed, plan_id=plan_id).reviews
    assert (rp.proposals, rp.added, rp.dropped) == ([], [], [])
    (new_id,) = importer.commit(engine, importer.preview(engine, parsed, plan_name=plan.info.name)).review_ids
    before, after = _stored(engine, latest), _stored(engine, new_id)
    assert after.to_dict("records") == before.to_dict("records")
