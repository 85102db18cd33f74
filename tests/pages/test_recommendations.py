"""Recommendations page: a card per recommendation with the derived status, % complete, overdue."""

from __future__ import annotations

from page_helpers import html_text, shown

from data_access.domain.rules import status_text
from data_access.reads import board
from data_access.storage.database import make_engine
from tests.fixtures import MEETING, RECS


def test_a_card_per_recommendation_with_derived_status(app):
    at = app("pages/recommendations.py")
    summary = board.recommendation_summary(make_engine(app.ids["url"]), app.ids["q2"], MEETING)
    page = html_text(at)
    for row in summary.itertuples():
        assert f"Recommendation {row.ref} " in page
        assert RECS[row.ref].replace("'", "&#x27;") in page
    # rec 1 red (green action overdue), rec 2 amber, rec 10 red — as the query says.
    headings = [part.split("</h3>")[0] for part in page.split("<h3")[1:]]
    assert [h.split("</span>")[0].rsplit(">", 1)[1] for h in headings] == [status_text(s) for s in summary["status"]]
    assert list(summary["status"]) == ["red", "amber", "red"]
    assert (
        "<strong>50% complete</strong> (1 of 2 actions)" in page
        and "<strong>0% complete</strong> (0 of 2 actions)" in page
    )
    assert any(board.RECOMMENDATION_STATUS_RULE in i.value for i in at.info)


def test_drill_links_carry_the_view(app):
    at = app("pages/recommendations.py")
    links = at.get("page_link")
    labels = [p.proto.label for p in links]
    assert labels.count("Its 2 actions") == 3 and "1 overdue" in labels
    assert all("actions" in p.proto.page or "overdue" in p.proto.page for p in links)


def test_one_recommendation_lists_its_actions(app):
    at = app("pages/recommendations.py", rec="2")
    assert shown(at.title[0].value) == "Recommendation 2"
    page = html_text(at)
    assert "Actions for recommendation 2" in page
    assert "Supervision audit" in page and "Audit thresholds" not in page
