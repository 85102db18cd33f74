"""One figure, one rule: the overview's Complete tile and its change, the "since the last review"
paragraph and the trends table must say the same thing about the same reviews.

They once disagreed for 1 action of 8 (the tile rounded 12.5% down to 12%, the paragraph up to
13%); every percentage now comes from rules.percent. The figures are read off the pages and
compared with each other and with the rule, so a page that computes its own percentage fails.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from page_helpers import html_text, open_page, shown
from streamlit.testing.v1 import AppTest

from data_access.domain.rules import COMPLETE, GREEN, parse_timescale, percent
from data_access.domain.tracker_rows import PlanInfo, ReviewSnapshot, TrackerRow
from data_access.storage import plan_writer
from data_access.storage.database import write_transaction
from tests.fixtures import build_testshire
from tests.pages.test_sample_data_pages import APP

SUMMARY = re.compile(r"(\d+) of (\d+) complete \((\d+)%, (?:up from (\d+)%|down from (\d+)%|unchanged)\)")


def one_of_eight(engine) -> dict:
    """Eight actions: none complete at Q1, one at Q2 (12.5%, which people round to 13%)."""

    def rows(complete: int) -> list[TrackerRow]:
        return [
            TrackerRow(
                "1",
                "Rec 1",
                f"Action {n}",
                action_id=f"1.{n}",
                status=COMPLETE if n <= complete else GREEN,
                timescale=parse_timescale("Ongoing"),
            )  # fmt: skip
            for n in range(1, 9)
        ]

    with write_transaction(engine) as conn:
        plan_id = plan_writer.ensure_plan(conn, PlanInfo("Eight actions"))
        plan_writer.save_review(conn, plan_id, ReviewSnapshot(dt.date(2018, 6, 30), rows(0)), source="q1.xlsx")
        plan_writer.save_review(conn, plan_id, ReviewSnapshot(dt.date(2018, 9, 30), rows(1)), source="q2.xlsx")
    return {"plan": plan_id}


@pytest.fixture(params=["one of eight", "testshire"])
def plan(request, app_database):
    return app_database(one_of_eight if request.param == "one of eight" else build_testshire)


def run(page: str, plan_id: int, as_of: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["plan"] = str(plan_id)
    if as_of:
        at.query_params["as_of"] = as_of
    open_page(at, page)
    assert not at.exception, [e.value for e in at.exception]
    return at


def trends_table_percents(at: AppTest) -> list[int]:
    """The Complete column of the trends page's 'Actions by status at each review' table."""
    page = html_text(at)
    table = page[page.index("<caption>Actions by status at each review") :].split("</table>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>", 1)[1])
    return [int(re.findall(r"<td[^>]*>(\d+)%</td>", row)[0]) for row in rows]


def trends_table_overdue(at: AppTest) -> list[int]:
    """The Overdue column (the last) of the trends page's 'Actions by status at each review' table."""
    page = html_text(at)
    table = page[page.index("<caption>Actions by status at each review") :].split("</table>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>", 1)[1])
    return [int(re.findall(r'<td class="num">(\d+)</td>', row)[-1]) for row in rows]


@pytest.mark.parametrize("as_of", ["2018-01-15", "2018-10-14"])
def test_overdue_and_its_change_agree_with_trends_under_one_stated_rule(plan, as_of):
    """The overview's Overdue tile and its change, and the trends page's overdue per review, follow
    one rule (rules.overdue_lag_days), and both pages state it."""
    overview = run("pages/overview.py", plan["plan"], as_of)
    tile = next(m for m in overview.metric if m.label == "Overdue")
    now = int(tile.value)
    change = 0 if tile.delta == "no change" else int(tile.delta.replace("\u2212", "-"))
    trends_page = run("pages/trends.py", plan["plan"], as_of)
    *_, before, latest = trends_table_overdue(trends_page)
    assert (now, now - change) == (latest, before)
    stated_overview = " ".join(shown(c.value) for c in overview.caption)
    stated_trends = " ".join(shown(c.value) for c in trends_page.caption)
    lag = re.search(r"counted as at \d+ \w+ \d{4}, [^;]+ after it;|counted on that review's own date", stated_overview)
    assert lag and lag.group(0) in stated_trends, (stated_overview, stated_trends)


def test_tile_paragraph_and_trends_table_agree(plan):
    overview = run("pages/overview.py", plan["plan"])
    tile = next(m for m in overview.metric if m.label == "Complete")
    tile_pct = int(tile.value.rstrip("%"))
    tile_change = (
        0 if tile.delta == "no change" else int(re.match(r"[+-]?\d+", tile.delta.replace("\u2212", "-")).group())
    )
    paragraph = " ".join(shown(m.value) for m in overview.markdown)
    done, total, pct, up_from, down_from = SUMMARY.search(paragraph).groups()
    before = int(up_from or down_from or pct)

    trends_page = run("pages/trends.py", plan["plan"])
    *_, trends_before, trends_now = trends_table_percents(trends_page)

    assert tile_pct == int(pct) == trends_now == percent(int(done), int(total))
    assert tile_pct - tile_change == before == trends_before
