"""Every slide fits the projector's screen: the whole deck of the longest sample plan, walked with
Next at 1280×720 and at 1024×768, each slide's height measured against the window. Long lists
continue on further slides ("Overdue actions (2 of 3)"), and the trends join the deck."""

from __future__ import annotations

import pytest
from board_helpers import SLIDE, SLIDE_EXTENT_JS, plain_title, plan_named, seed_by_visiting, settled, slide_title


def walk(page, wait_for_app, url: str, max_slides: int = 80) -> list[tuple[str, dict]]:
    """Open `url`, then press Next until the last slide: each slide's title and extent."""
    page.goto(url)
    settled(page, wait_for_app)
    seen = []
    for _ in range(max_slides):
        seen.append((slide_title(page), page.evaluate(SLIDE_EXTENT_JS)))
        following = page.locator(".st-key-slide_next a")
        if not following.count():
            return seen
        following.first.click()
        settled(page, wait_for_app)
    raise AssertionError(f"more than {max_slides} slides")


@pytest.mark.parametrize(("width", "height"), [(1280, 720), (1024, 768)])
def test_every_slide_of_the_longest_plan_fits_the_screen(page, streamlit_server, wait_for_app, width, height):
    seed_by_visiting(page, streamlit_server)
    plan = plan_named(streamlit_server.database_url, "Rutland")  # 17 recommendations, 42 actions
    page.set_viewport_size({"width": width, "height": height})
    # Overdue as at today: every action not complete is overdue, so the overdue list is at its longest.
    seen = walk(page, wait_for_app, f"{streamlit_server.url}/overview?plan={plan.plan_id}&present=1")

    too_tall = [(title, extent) for title, extent in seen if max(extent["scroll"], extent["bottom"]) > height]
    assert not too_tall, too_tall
    numbers = [SLIDE.search(title).groups() for title, _ in seen]
    assert [int(n) for n, _, _ in numbers] == list(range(1, len(seen) + 1))
    assert {int(total) for _, total, _ in numbers} == {len(seen)}
    titles = [plain_title(SLIDE.search(title).group(3)) for title, _ in seen]
    order = list(dict.fromkeys(titles))
    assert order[:2] == ["Overview", "Since the last review"]
    assert order[2 : 2 + len(plan.rec_refs)] == [f"Recommendation {r}" for r in plan.rec_refs]
    assert order[-2:] == ["Status mix at each review", "Direction of travel"]
    assert "Overdue actions" in order
    # The board's decisions (issue 25), after the overdue slides and before the trends.
    assert order[-4:-2] == ["For sign-off", "Date changes for approval"]
    # Long lists continue on numbered slides: 17 recommendations do not fit one chart.
    assert any(SLIDE.search(t).group(3) == f"Overview (2 of {titles.count('Overview')})" for t, _ in seen)


def test_every_slide_of_a_joint_plan_fits_the_narrow_screen(page, streamlit_server, wait_for_app):
    """The joint inspection's slides have a Partner column: the narrower 4:3 screen decides."""
    seed_by_visiting(page, streamlit_server)
    plan = plan_named(streamlit_server.database_url, "Stockton-on-Tees – JTAI")
    page.set_viewport_size({"width": 1024, "height": 768})
    seen = walk(page, wait_for_app, f"{streamlit_server.url}/overview?plan={plan.plan_id}&present=1")
    too_tall = [(title, extent) for title, extent in seen if max(extent["scroll"], extent["bottom"]) > 768]
    assert not too_tall, too_tall
    page.goto(f"{streamlit_server.url}/overdue?plan={plan.plan_id}&present=1")
    settled(page, wait_for_app)
    assert page.get_by_role("columnheader", name="Partner").count() == 1
