"""The tracker sent back out is read back by the importer exactly: the same plan (title line), the
review's date ('Position as at …'), every action matched by its ID with no text-similarity
question, and every stored field as it was, except the progress note: the new review's note is
what the manager wrote in 'New update' (blank: not updated), never last quarter's note again.
Changed statuses import as a new review of the same actions; a manager's edits (a status, a revised
date, a note, an added row, a deleted row, two rows swapped) arrive exactly."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl

from data_access import importer
from data_access.domain.rules import STATUS_STYLE, normalise_status
from data_access.papers import PaperRequest, make_paper
from data_access.papers.update_tracker import AS_AT_ROW, HEADER_ROW, NEW_UPDATE, PREVIOUS_UPDATE
from data_access.reads import review_figures
from tests.data_access.reads.test_board import Q2

FIELDS = ["key", "rec_ref", "rec_text", "description", "lead", "partner", "measure", "status", "status_raw",
          "due_raw", "due_date", "due_precision", "revised_due_date", "progress", "evidence"]  # fmt: skip
BUT_THE_NOTE = [f for f in FIELDS if f != "progress"]
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
    assert review.unrecognised_columns == []  # every column is understood
    assert review.column_map[NEW_UPDATE] == "progress" and review.column_map[PREVIOUS_UPDATE] == "previous_progress"
    assert not review.problems
    preview = importer.preview(engine, parsed, plan_id=board["plan"])
    (rp,) = preview.reviews
    assert (rp.proposals, rp.added, rp.dropped) == ([], [], [])  # matched by ID, no questions
    assert rp.same_date_review_id == board["q2"]


def test_re_importing_it_unchanged_brings_no_notes_so_it_never_silently_replaces_the_review(engine, board):
    """Sent straight back with its date unchanged, the tracker says nothing new (no 'New update'):
    it is not this review's content (its notes would be blank), so replacing needs a choice."""
    parsed = importer.read_tracker(_tracker(engine, board["plan"]), "tracker.xlsx")
    assert [r.progress for r in parsed.reviews[0].rows] == [None] * 6
    (rp,) = importer.preview(engine, parsed, plan_id=board["plan"]).reviews
    assert rp.same_date_review_id == board["q2"] and not rp.unchanged and rp.needs_replace_choice


def test_every_stored_field_survives_the_round_trip_and_a_blank_new_update_is_no_note(engine, board):
    parsed = importer.read_tracker(_tracker(engine, board["plan"]), "tracker.xlsx", as_at=NEXT)
    (new_id,) = importer.commit(engine, importer.preview(engine, parsed, plan_name="Testshire ILACS 2024")).review_ids
    before, after = _stored(engine, board["q2"]), _stored(engine, new_id)
    assert after[["action_id", *BUT_THE_NOTE]].to_dict("records") == before[["action_id", *BUT_THE_NOTE]].to_dict(
        "records"
    )  # same actions (ids), same content
    assert after["progress"].isna().all()  # nobody wrote a new update: not last quarter's note again
    assert before["progress"].notna().sum() == 5  # ...which stays in the earlier review, as it was


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
    unchanged = [c for c in BUT_THE_NOTE if c not in ("status", "status_raw")]
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
    assert after[["action_id", *BUT_THE_NOTE]].to_dict("records") == before[["action_id", *BUT_THE_NOTE]].to_dict(
        "records"
    )


def _columns(sheet) -> dict[str, int]:
    return {c.value: c.column for c in sheet[HEADER_ROW] if c.value}


def _row_of(sheet, key: str) -> int:
    col = _columns(sheet)["Action ID"]
    return next(r for r in range(HEADER_ROW + 1, sheet.max_row + 1) if sheet.cell(r, col).value == key)


def test_the_drop_down_offers_the_words_in_the_cells_and_each_word_has_its_status_colour(engine, board):
    sheet = openpyxl.load_workbook(io.BytesIO(_tracker(engine, board["plan"]))).active
    status_col = _columns(sheet)["RAG status"]
    cells = [sheet.cell(r, status_col).value for r in range(HEADER_ROW + 1, sheet.max_row + 1)]
    (choices,) = sheet.data_validations.dataValidation
    offered = choices.formula1.strip('"').split(",")
    assert set(cells) <= set(offered)  # the cells hold the drop-down's words
    assert [normalise_status(w) for w in offered] == ["complete", "green", "amber", "red"]  # read back exactly
    assert offered == ["complete", "green", "amber", "red"]  # the plan's own words (its tracker's)
    letter = sheet.cell(HEADER_ROW, status_col).column_letter
    assert f"{letter}{HEADER_ROW + 1}" in str(choices.sqref)
    rules = {}
    for cf in sheet.conditional_formatting:
        assert letter in str(cf.sqref)
        for rule in cf.rules:
            (word,) = rule.formula
            rules[word.strip('"')] = rule.dxf.fill.fgColor.rgb[-6:]
    assert rules == {w: STATUS_STYLE[normalise_status(w)].colour.lstrip("#").upper() for w in offered}


def test_a_plan_of_colour_words_gets_colour_words_for_every_status():
    import pandas as pd

    from data_access.papers.update_tracker import status_vocabulary

    frame = pd.DataFrame({"status": ["green", "amber", "amber", "red"], "status_raw": ["Green", "Amber", "A", "RED"]})
    assert status_vocabulary(frame) == {"complete": "Blue", "green": "Green", "amber": "Amber", "red": "RED"}
    words = pd.DataFrame({"status": ["green", "complete"], "status_raw": ["On track", None]})
    assert status_vocabulary(words) == {"complete": "Complete", "green": "On track", "amber": "At risk",
                                        "red": "Off track"}  # fmt: skip


def test_a_managers_edits_arrive_exactly(engine, board):
    """The tracker edited as a manager does: one status changed, a revised date set, a new note
    written, an action added, one deleted and two rows swapped; then dated and uploaded."""
    book = openpyxl.load_workbook(io.BytesIO(_tracker(engine, board["plan"])))
    sheet = book.active
    col = _columns(sheet)
    sheet.cell(_row_of(sheet, "1.1"), col["RAG status"]).value = "red"  # from the drop-down
    sheet.cell(_row_of(sheet, "1.2"), col["Revised date"]).value = dt.date(2025, 3, 31)
    sheet.cell(_row_of(sheet, "2.2"), col[NEW_UPDATE]).value = "Audit of 40 files done"
    added = sheet.max_row + 1
    for heading, value in {"Rec ref": "10", "Recommendation": "Care leavers' accommodation", "Action ID": "10.3",
                           "Action": "Commission supported lodgings", "Lead officer": "Head of MASH",
                           "Timescale": dt.date(2025, 6, 30), "RAG status": "green",
                           NEW_UPDATE: "Tender out"}.items():  # fmt: skip
        sheet.cell(added, col[heading]).value = value
    sheet.delete_rows(_row_of(sheet, "2.1"))
    first, second = _row_of(sheet, "10.1"), _row_of(sheet, "10.2")  # swapped: order means nothing
    for c in range(1, sheet.max_column + 1):
        a, b = sheet.cell(first, c), sheet.cell(second, c)
        a.value, b.value = b.value, a.value
    sheet.cell(AS_AT_ROW, 1).value = "Position as at 31 December 2024"
    out = io.BytesIO()
    book.save(out)

    parsed = importer.read_tracker(out.getvalue(), "tracker-q3.xlsx")
    (rp,) = importer.preview(engine, parsed, plan_id=board["plan"]).reviews
    assert rp.proposals == [] and rp.added == ["10 / 10.3: Commission supported lodgings"]
    assert rp.dropped == ["2 / 2.1: Supervision policy"]
    (new_id,) = importer.commit(engine, importer.preview(engine, parsed, plan_name="Testshire ILACS 2024")).review_ids
    before = _stored(engine, board["q2"]).set_index("key")
    after = _stored(engine, new_id).set_index("key")
    assert sorted(after.index) == ["1.1", "1.2", "10.1", "10.2", "10.3", "2.2"]  # 2.1 dropped, 10.3 added
    kept = ["1.1", "1.2", "10.1", "10.2", "2.2"]
    assert after.loc[kept, "action_id"].tolist() == before.loc[kept, "action_id"].tolist()  # the same actions

    expected = before.loc[kept, BUT_THE_NOTE[1:]].copy()
    expected.loc["1.1", ["status", "status_raw"]] = ["red", "red"]
    expected.loc["1.2", "revised_due_date"] = dt.date(2025, 3, 31)
    assert after.loc[kept, BUT_THE_NOTE[1:]].to_dict("index") == expected.to_dict("index")  # nothing else moved
    assert {k: v if isinstance(v, str) else None for k, v in after["progress"].items()} == {
        "1.1": None, "1.2": None, "10.1": None, "10.2": None, "2.2": "Audit of 40 files done", "10.3": "Tender out"
    }  # fmt: skip
    new = after.loc["10.3"]
    assert (new["rec_ref"], new["description"], new["lead"], new["status"], new["due_date"]) == (
        "10", "Commission supported lodgings", "Head of MASH", "green", dt.date(2025, 6, 30)
    )  # fmt: skip
