"""matching.Registry: the text index is built when a row without an ID first asks it, with the
first action of each text winning, as when every action was indexed on arrival."""

from __future__ import annotations

from data_access.domain.tracker_rows import TrackerRow
from data_access.importer.committing.matching import Known, Registry, match_review
from data_access.importer.parsed import ActionRef


def _known(action_id: int, rec: str, text: str, key: str | None = None) -> Known:
    return Known(ActionRef(action_id=action_id), key, key, rec, text)


def test_a_row_without_an_id_finds_the_first_action_with_its_recommendation_and_text():
    registry = Registry.of([_known(1, "2", "Audit  casework!"), _known(2, "2", "audit casework"), _known(3, "3", "x")])
    assert registry.identify(TrackerRow(rec_ref="2.", rec_text="", description="AUDIT casework")) == ActionRef(1)
    assert registry.identify(TrackerRow(rec_ref="3", rec_text="", description="audit casework")) is None
    registry.add(ActionRef(action_id=4), None, "3", "Audit casework")  # added after the index was built
    assert registry.identify(TrackerRow(rec_ref="3", rec_text="", description="audit casework")) == ActionRef(4)


def test_a_plans_first_review_adds_every_row_and_a_later_review_of_the_file_finds_them_by_text():
    rows = [TrackerRow(rec_ref="1", rec_text="", description=f"Action {n}") for n in range(3)]
    registry = Registry()
    first = match_review(rows, 0, registry, [])
    assert first.matches == [None, None, None] and first.added == [0, 1, 2] and first.dropped == []
    again = match_review(list(reversed(rows)), 1, registry, [])
    assert again.matches == [ActionRef(review_index=0, row_index=n) for n in (2, 1, 0)]
