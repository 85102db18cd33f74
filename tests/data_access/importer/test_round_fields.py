"""The update round's fields in a tracker (issue 26): the mitigation, the ask of the board and the
organisation an action belongs to are read from their many headings, kept as written, stored on
the review's rows and returned by the reads."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from data_access import importer
from data_access.importer import commit, preview, read_tracker
from data_access.importer.reading.header_columns import field_for_header
from data_access.reads import board, review_figures
from data_access.storage import plan_writer

AS_AT = dt.date(2024, 12, 31)


@pytest.mark.parametrize(
    ("heading", "field"),
    [
        ("Mitigation", "mitigation"),
        ("Mitigating action(s)", "mitigation"),
        ("Remedial action", "mitigation"),
        ("Support needed from the board", "board_ask"),
        ("What we need from the board", "board_ask"),
        ("Ask of the board", "board_ask"),
        ("Board support required", "board_ask"),
        ("Organisation", "partner"),
        ("Agency", "partner"),
        ("Partner", "partner"),
        ("Lead agency", "partner"),
    ],
)
def test_each_wording_is_its_field(heading, field):
    assert field_for_header(heading)[0] == field


def test_the_fields_are_offered_on_the_upload_page():
    assert {"mitigation", "board_ask"} <= set(importer.FIELDS)
    assert importer.FIELD_LABELS["board_ask"] == "What we need from the board"


def _tracker(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    header = [
        "Rec ref",
        "Action ID",
        "Action",
        "Lead",
        "Organisation",
        "RAG",
        "Mitigating action(s)",
        "Ask of the board",
    ]
    csv.writer(out).writerows([header, *rows])
    return out.getvalue().encode()


ROWS = [
    ["1", "1.1", "Audit", "Head of Service", "Cleveland Police", "Red", "  Extra audits\n weekly ", "<b>Funding</b>"],
    ["1", "1.2", "Train", "Head of Service", "", "Green", "", ""],
]


def test_read_as_written_raw_text_kept():
    (review,) = read_tracker(_tracker(ROWS), "t.csv", as_at=AS_AT).reviews
    first, second = review.rows
    assert first.partner == "Cleveland Police"
    assert first.mitigation == "  Extra audits\n weekly "  # raw text, as written
    assert first.board_ask == "<b>Funding</b>"  # text is data: kept exactly, escaped where shown
    assert (second.mitigation, second.board_ask, second.partner) == (None, None, None)
    assert review.unrecognised_columns == []


def test_stored_and_returned_by_the_reads(engine):
    parsed = read_tracker(_tracker(ROWS), "t.csv", as_at=AS_AT)
    (review_id,) = commit(engine, preview(engine, parsed, plan_name="Anytown")).review_ids
    actions = review_figures.review_actions(engine, review_id, AS_AT)
    first = actions.set_index("key").loc["1.1"]
    assert first["partner"] == "Cleveland Police"
    assert first["board_ask"] == "<b>Funding</b>" and "Extra audits" in first["mitigation"]
    assert not actions["no_update"].any()
    history = board.action_history(engine, int(first["action_id"]), AS_AT)
    assert history.loc[0, "board_ask"] == "<b>Funding</b>" and not history.loc[0, "no_update"]
    overdue_columns = set(board.OVERDUE_COLUMNS)
    assert {"mitigation", "board_ask", "partner"} <= overdue_columns


def test_the_content_hash_sees_the_new_fields_and_old_content_hashes_as_before(engine):
    (review,) = read_tracker(_tracker(ROWS), "t.csv", as_at=AS_AT).reviews
    with_fields = plan_writer.content_hash(review.rows)
    for row in review.rows:
        row.mitigation = row.board_ask = None
    without = plan_writer.content_hash(review.rows)
    assert with_fields != without
    # Content without the new fields hashes exactly as before they existed (ten fields and the
    # issue-25 group only when filled), so reviews stored earlier are still recognised.
    line = plan_writer._content_line(
        "1", "Audit", None, None, None, "red", None, None, None, None, (None,) * 3, (None,) * 2
    )
    assert line == plan_writer._content_line("1", "Audit", None, None, None, "red", None, None, None, None)
    parsed = read_tracker(_tracker(ROWS), "t.csv", as_at=AS_AT)
    (review_id,) = commit(engine, preview(engine, parsed, plan_name="Anytown")).review_ids
    with engine.connect() as conn:
        assert plan_writer.stored_content_hash(conn, review_id) == with_fields
