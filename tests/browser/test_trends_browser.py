"""Trends in a real browser: its parts are tabs kept in the URL, and choosing the two reviews updates the
matrix and the lists behind it."""

from __future__ import annotations

from board_helpers import query_of, settled
from playwright.sync_api import expect

from data_access.domain.rules import STATUSES
from data_access.reads import movements
from data_access.storage.database import make_engine


def lists_line(moves: movements.Transitions) -> str:
    """The page's one-line count of every list, computed from the data layer."""
    return " · ".join(f"{title} {len(refs)}" for title, refs in moves.lists())


def matrix_total(moves: movements.Transitions) -> int:
    return sum(moves.matrix[f][t] for f in STATUSES for t in STATUSES)


def test_changing_the_reviews_updates_matrix_and_lists(page, streamlit_server, plan, wait_for_app):
    engine = make_engine(streamlit_server.database_url)
    first, third, last = plan.review_ids[0], plan.review_ids[-2], plan.review_ids[-1]
    default_moves = movements.transitions(engine, third, last)
    wide_moves = movements.transitions(engine, first, last)
    assert lists_line(default_moves) != lists_line(wide_moves)  # the fixture can tell them apart

    page.goto(f"{streamlit_server.url}/trends?plan={plan.plan_id}")
    settled(page, wait_for_app)
    main = page.get_by_test_id("stMain")
    # One part of the page at a time (issue 27): the status mix first; the comparison is a tab away,
    # and the tab shown is kept in the URL.
    assert query_of(page.url)["section"] == ["mix"]
    expect(main.get_by_role("tab", name="Status mix")).to_have_attribute("aria-selected", "true")
    expect(main.get_by_text(lists_line(default_moves), exact=False)).to_have_count(0)
    main.get_by_role("tab", name="Between two reviews").click()
    settled(page, wait_for_app)
    assert query_of(page.url)["section"] == ["compare"]
    expect(main.get_by_text(lists_line(default_moves), exact=False)).to_be_visible()
    expect(main.get_by_role("heading", name=f"From {plan.review_labels[-2]}", exact=False)).to_be_visible()
    assert query_of(page.url)["from"] == [str(third)] and query_of(page.url)["to"] == [str(last)]

    chooser = main.get_by_role("combobox", name="Compare from")
    chooser.click()
    chooser.fill(plan.review_labels[0])  # the selectbox is searchable
    page.get_by_role("option", name=plan.review_labels[0], exact=False).first.click()
    settled(page, wait_for_app)
    expect(main.get_by_text(lists_line(wide_moves), exact=False)).to_be_visible()
    expect(main.get_by_role("heading", name=f"From {plan.review_labels[0]}", exact=False)).to_be_visible()
    assert query_of(page.url)["from"] == [str(first)]
    # The matrix is a real table: its Total column adds up to the actions in both reviews.
    matrix = main.locator("table").filter(has_text="Actions in both reviews").first
    totals = [int(t) for t in matrix.locator("tbody tr td:last-child").all_inner_texts()]
    assert sum(totals) == matrix_total(wide_moves)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    engine.dispose()
