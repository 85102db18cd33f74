"""Trends page: runs without exceptions through app.py, and every figure it shows equals
data_access.reads (the trends modules) on the Testshire plan of tests/data_access/reads/test_trends.py."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from pathlib import Path

import plotly.io as pio
import pytest
import streamlit as st
from page_helpers import charts, html_text, open_page, shown
from streamlit.testing.v1 import AppTest

from data_access.domain.rules import STATUS_STYLE, STATUSES
from data_access.reads import (
    completion_forecast,
    direction_of_travel,
    movements,
    review_summary,
    stale_notes,
    status_mix,
)
from data_access.storage.database import make_engine, upgrade
from pages.ui import rag
from tests.fixtures import build_testshire

APP = str(Path(__file__).resolve().parents[2] / "app.py")
PAGE = "pages/trends.py"


@pytest.fixture
def plan(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'board.db'}"
    engine = make_engine(url)
    upgrade(engine)
    ids = build_testshire(engine)
    monkeypatch.setenv("BOARD_DATABASE_URL", url)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield ids, engine
    engine.dispose()
    st.cache_data.clear()
    st.cache_resource.clear()


def open_trends(ids, **params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["plan"] = str(ids["plan"])
    at.query_params["as_of"] = "2018-01-15"
    for key, value in params.items():
        at.query_params[key] = value
    open_page(at, PAGE)
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_status_mix_and_overdue_charts_equal_the_data(plan):
    ids, engine = plan
    at = open_trends(ids)  # the status mix tab, shown by default
    # Overdue per review by the overview's rule: as_of 15 Jan 2018 is 15 days after Q3, the review shown.
    mix = status_mix.status_mix(engine, ids["plan"], 15)
    assert not charts(at)  # HTML bars, not a Plotly chart Chromium draws on every switch (issue 27)
    [overdue_chart] = charts(open_trends(ids, section="overdue"))
    [sankey_chart] = charts(open_trends(ids, section="compare"))
    bars = next(h.proto.body for h in at.get("html") if 'class="status-bars"' in h.proto.body)
    # One row per review in date order, named with its date and its % complete.
    assert re.findall(r'<span class="sb-label">(.*?)</span>', bars) == [
        "Q1 2017/18 (30 Jun 2017) · 11% complete",
        "Q2 2017/18 (30 Sep 2017) · 11% complete",
        "Q3 2017/18 (31 Dec 2017) · 22% complete",
    ]
    rows = bars.split('<span class="sb-label">')[1:]
    for status in STATUSES:
        style = STATUS_STYLE[status]
        # Every segment's count, in words for screen readers (never colour alone), equals the data.
        said = [re.search(rf"{re.escape(style.label)}: (\d+) in", row) for row in rows]
        assert [int(m.group(1)) if m else 0 for m in said] == list(mix[status]), status
    # A segment opens that review's actions of that status, for the whole plan (no filters).
    q3 = int(mix["review_id"].iloc[-1])
    assert f"/actions?plan={ids['plan']}&amp;review={q3}" in rows[-1] and "status=complete" in rows[-1]
    assert list(overdue_chart["data"][0]["y"]) == list(mix["overdue"])
    assert list(mix["overdue_as_of"]) == [dt.date(2017, 7, 15), dt.date(2017, 10, 15), dt.date(2018, 1, 15)]
    assert "counted as at 15 January 2018, 2 weeks after it" in " ".join(shown(c.value) for c in at.caption)
    page = html_text(at)
    assert "Actions by status at each review" in page and "22%" in page
    # Each chart has the board's template (rag.use_template): its font and the RAG colourway.
    for spec in (overdue_chart, sankey_chart):
        template = spec["layout"]["template"]["layout"]
        assert template["font"]["family"] == rag.FONT and template["font"]["size"] == 16
        assert template["colorway"] == [STATUS_STYLE[s].colour for s in STATUSES]
        # Lean (issue 27): plotly_white's look for the axes and the traces drawn, nothing for the
        # two dozen other trace types or the polar, 3-D and map subplots the board never draws.
        white = pio.templates["plotly_white"].to_plotly_json()
        assert template["xaxis"] == white["layout"]["xaxis"] and template["hoverlabel"] == white["layout"]["hoverlabel"]
        assert set(spec["layout"]["template"]["data"]) <= {"bar", "scatter", "sankey"}
        assert spec["layout"]["template"]["data"]["bar"] == white["data"]["bar"]
        assert not {"polar", "scene", "geo", "colorscale"} & set(template)


def test_defaults_to_last_two_reviews_kept_in_url(plan):
    ids, engine = plan
    at = open_trends(ids, section="compare")
    assert (at.query_params["from"], at.query_params["to"]) == (str(ids["Q2"]), str(ids["Q3"]))
    assert at.selectbox(key="trends_from").value == ids["Q2"]
    assert at.selectbox(key="trends_to").value == ids["Q3"]
    summary = review_summary.since_last_review_summary(engine, ids["plan"], ids["Q2"], ids["Q3"])
    assert at.code[0].value == summary
    assert summary in [shown(m.value) for m in at.markdown]


def test_from_in_url_is_used(plan):
    ids, engine = plan
    at = open_trends(ids, **{"from": str(ids["Q1"]), "to": str(ids["Q3"]), "section": "compare"})
    assert at.selectbox(key="trends_from").value == ids["Q1"]
    assert at.code[0].value == review_summary.since_last_review_summary(engine, ids["plan"], ids["Q1"], ids["Q3"])
    assert at.code[0].value.startswith("Since Q1 2017/18 (30 June 2017):")


def test_changing_the_selector_updates_figures_and_url(plan):
    ids, engine = plan
    at = open_trends(ids, section="compare")
    at.selectbox(key="trends_from").set_value(ids["Q1"]).run()
    at.selectbox(key="trends_to").set_value(ids["Q2"]).run()
    assert not at.exception
    assert at.code[0].value == review_summary.since_last_review_summary(engine, ids["plan"], ids["Q1"], ids["Q2"])
    assert (at.query_params["from"], at.query_params["to"]) == (str(ids["Q1"]), str(ids["Q2"]))


def test_matrix_sankey_directions_lists_forecast_staleness(plan):
    ids, engine = plan
    at = open_trends(ids, section="compare")
    moves = movements.transitions(engine, ids["Q2"], ids["Q3"])
    page = html_text(at)

    # Matrix: a real table with status words in the headers.
    assert "Actions in both reviews: status at Q2 2017/18 (rows) and at Q3 2017/18 (columns)" in page
    assert '<th scope="col" class="num">✔ B Complete</th>' in page
    # Sankey values equal the data.
    [sankey_chart] = charts(at)
    sankey = sankey_chart["data"][0]
    expected = moves.sankey()
    assert sankey["link"]["value"] == expected.value and sankey["node"]["label"] == expected.node_labels

    # Direction arrows in words.
    for d in direction_of_travel.direction_by_recommendation(engine, ids["Q2"], ids["Q3"]):
        assert f"{d.arrow} {d.direction.capitalize()}" in page
    assert "↑ Improving" in page and "↓ Worsening" in page and "→ Same" in page
    # Each recommendation by its ref and its words, the whole text in a tooltip, linking to it.
    for ref in "ABCD":
        assert f'<span title="Recommendation {ref}">{ref} · Recommendation {ref}</span></a>' in page

    # Lists: each a closed expander whose table is only sent once it is opened; then it links
    # every action to the action page.
    for title, refs in [("Completed", moves.completed), ("Slipped", moves.slipped), ("Added", moves.added)]:
        assert any(e.label == f"{title} ({len(refs)})" for e in at.expander)
    assert "<caption>Slipped</caption>" not in page
    at.session_state["folded_trends_list_slipped"] = True
    at.run()
    opened = html_text(at)
    a2 = next(r for r in moves.slipped if r.key == "A2")
    assert "<caption>Slipped</caption>" in opened and "<caption>Completed</caption>" not in opened
    slipped_table = opened[opened.index("<caption>Slipped</caption>") :].split("</table>")[0]
    assert f"action={a2.action_id}" in slipped_table and f"plan={ids['plan']}" in slipped_table

    # Forecast with its method, in its own tab.
    forecast = open_trends(ids, section="forecast")
    outlook = completion_forecast.forecast(engine, ids["plan"])
    assert outlook.plan.projected_quarter in html_text(forecast) and "⚠ Later than target" in html_text(forecast)
    assert any(c.value == completion_forecast.METHOD_TEXT for c in forecast.caption)

    # Staleness per lead.
    stale = stale_notes.staleness(engine, ids["Q3"])
    assert html.escape("'No update' since Q2 2017/18, by lead") in page
    assert len(stale.per_lead) >= 2  # the rows below are checked one by one: never an empty loop
    for row in stale.per_lead.itertuples():
        cells = f'<td>{html.escape(row.lead)}</td><td class="num">{row.actions}</td>'
        cells += f'<td class="num">{row.no_update}</td>'
        assert cells in page


def test_the_boards_decisions_per_review(app):
    """Issue 25: the trends page's table of sign-offs, re-openings and date changes per review (the
    counts are worked by hand in tests/data_access/reads/test_signoff_figures.py); here the board
    plan with its two date changes, both first recorded with Q2, one not approved."""
    from tests.fixtures import record_board_date_changes

    record_board_date_changes(make_engine(app.ids["url"]), app.ids)
    at = app(PAGE, section="decisions")
    page = html_text(at)
    table = page[page.index("<caption>Sign-offs, re-openings and due date changes recorded with each review") :]
    table = table[: table.index("</table>")]
    rows = [
        [html.unescape(cell.split(">", 1)[1]) for cell in row.split("</td>")[:-1]]
        for row in table.split("<tbody>", 1)[1].split("</tr>")[:-1]
    ]
    assert [r[1:] for r in rows] == [["0", "0", "0", "0"], ["0", "0", "2", "1"]]


def test_overdue_per_review_follows_judge_baseline(app):
    """Issue 25: with judge=baseline the chart of overdue per review counts against each action's
    baseline date (tests/data_access/reads/test_review_figures.py works it by hand: Q2 has 3 overdue,
    not 2 — 2.2's approved move to 31 Dec does not count), and the page says so."""
    from data_access.domain.wording import BASELINE_JUDGED
    from tests.fixtures import record_board_date_changes

    record_board_date_changes(make_engine(app.ids["url"]), app.ids)

    def overdue_bars(at) -> list:
        [chart] = [c for c in charts(at) if "Overdue actions at each review" in json.dumps(c["layout"].get("title"))]
        return list(chart["data"][0]["y"])

    now, judged = app(PAGE, section="overdue"), app(PAGE, section="overdue", judge="baseline")
    assert overdue_bars(now) == [2, 2] and overdue_bars(judged) == [2, 3]
    captions = " ".join(shown(c.value) for c in judged.caption)
    assert BASELINE_JUDGED in captions and BASELINE_JUDGED not in " ".join(shown(c.value) for c in now.caption)


def mix_bars(at) -> bool:
    """Whether the run drew the status mix's HTML bars (rag.status_bars)."""
    return any('class="status-bars"' in h.proto.body for h in at.get("html"))


def test_one_section_at_a_time_kept_in_the_url(plan):
    """Issue 27: the page's parts are tabs and only the chosen one is drawn (a switch to Trends drew
    every chart); the tab shown is kept in the URL as section=..., a link opens it, a click on
    another tab draws that one instead, and a section the page does not have opens the first."""
    ids, engine = plan
    at = open_trends(ids)
    labels = [t.label for t in at.tabs]
    # Testshire has no measures of success, so no tab for them.
    assert labels == ["Status mix", "Overdue", "Board decisions", "Between two reviews", "Forecast"]
    assert at.query_params["section"] == "mix" and mix_bars(at) and not charts(at)
    assert "Actions by status at each review" in html_text(at)
    assert "Direction of travel, Q2 2017/18 to Q3 2017/18" not in html_text(at)
    assert not [s for s in at.selectbox if s.key in ("trends_from", "trends_to")]

    at.session_state["trends_section"] = "Between two reviews"  # what a click on the tab sets
    at.run()
    assert not at.exception
    assert at.query_params["section"] == "compare" and at.selectbox(key="trends_from").value == ids["Q2"]
    page = html_text(at)
    assert "Direction of travel, Q2 2017/18 to Q3 2017/18" in page and "Actions by status at each review" not in page
    assert not mix_bars(at)
    [sankey] = charts(at)
    assert sankey["data"][0]["type"] == "sankey"

    forecast = open_trends(ids, section="forecast")
    assert forecast.session_state["trends_section"] == "Forecast" and not charts(forecast)
    assert "Completion forecast at the rate so far" in html_text(forecast)
    unknown = open_trends(ids, section="nonsense")
    assert unknown.query_params["section"] == "mix" and mix_bars(unknown)
