"""Which column is this review's progress note: 'New update' (the next-update tracker's column for
the manager) wins; beside it 'Latest update' / 'Previous update' is last review's note, recognised
and never imported; a tracker's own 'Latest update' alone is its note, as before."""

from __future__ import annotations

import csv
import datetime as dt
import io

from data_access import importer

AS_AT = dt.date(2024, 12, 31)


def _read(header: list[str], row: list[str]):
    out = io.StringIO()
    csv.writer(out).writerows(
        [["Rec ref", "Action ID", "Action", "RAG", *header], ["1", "1.1", "Audit", "Green", *row]]
    )
    (review,) = importer.read_tracker(out.getvalue().encode(), "t.csv", as_at=AS_AT).reviews
    return review


def test_new_update_is_the_note_and_latest_update_beside_it_is_the_previous_one():
    review = _read(["Latest update", "New update"], ["Last quarter's note", "This quarter's note"])
    assert [r.progress for r in review.rows] == ["This quarter's note"]
    assert review.column_map["New update"] == "progress" and review.column_map["Latest update"] == "previous_progress"
    assert review.unrecognised_columns == []


def test_a_blank_new_update_is_no_note_not_last_quarters():
    review = _read(["Previous update", "New update"], ["Last quarter's note", ""])
    assert [r.progress for r in review.rows] == [None]
    assert review.column_map["Previous update"] == "previous_progress" and review.unrecognised_columns == []


def test_latest_update_alone_is_still_the_trackers_note():
    review = _read(["Latest update"], ["Our note"])
    assert [r.progress for r in review.rows] == ["Our note"]


def test_previous_update_is_offered_as_a_meaning_on_the_upload_page():
    assert "previous_progress" in importer.FIELDS and "not imported" in importer.FIELD_LABELS["previous_progress"]
