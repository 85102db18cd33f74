"""Overview page: KPI tiles and deltas equal the queries; RAG by recommendation; since last review."""

from __future__ import annotations

from page_helpers import charts, html_text

from data_access.db import make_engine
from data_access.reads import board
from tests.fixtures import MEETING


def test_overview_tiles_equal_the_queries(app):
    at = app()
    engine = make_engine(app.ids["url"])
    change = board.kpi_change(engine, app.ids["q2"], MEETING, app.ids["q1"])
    metrics = {m.label: m for m in at.metric}
    assert metrics["Actions"].value == str(change.current.actions) == "6"
    assert metrics["Actions"].delta == "+1"
    assert metrics["Complete"].value == "33%"
    assert metrics["Complete"].delta == "+13 pts"
    red = next(m for label, m in metrics.items() if "Red" in label)
    assert red.value == "1" and red.delta == "+0"
    assert metrics["Overdue"].value == "2" and metrics["Overdue"].delta == "+0"
    assert at.title[0].value == "Testshire ILACS 2024"


def test_overview_chart_in_plan_order_with_counts(app):
    at = app()
    bars = charts(at)[0]["data"]
    assert bars[0]["y"] == ["Rec 1", "Rec 2", "Rec 10"]
    names = [b["name"] for b in bars]
    assert names == ["✔ Complete", "● On track", "▲ At risk", "✖ Off track"]
    complete = bars[0]
    assert complete["x"] == [1, 1, 0]  # decoded from Plotly's typed array: the counts themselves
    assert complete["text"] == ["✔B 1", "✔B 1", ""]


def test_overview_table_and_links(app):
    at = app()
    page = html_text(at)
    assert '<th scope="col">Recommendation</th>' in page
    assert "/actions?" in page and "status=red" in page
    links = [p.proto.page for p in at.get("page_link")]
    assert any("actions" in link for link in links) and any("overdue" in link for link in links)


def test_since_last_review_lists(app):
    at = app()
    page = html_text(at)
    summary = " ".join(m.value for m in at.markdown)
    # 1.2 amber -> complete; no slips (10.1 from no status is not ranked); 1.1 and 10.1 newly overdue.
    assert "**Completed: 1** · **Slipped: 0** · **Newly overdue: 2**" in summary
    table = page[page.index("<caption>Completed, slipped and newly overdue") :]
    assert table.index("Train partners") < table.index("Audit thresholds") < table.index("Lodgings")
    assert "Since Q1 2024/25" in summary


def test_overview_first_review_has_no_deltas(app):
    at = app(review=str(app.ids["q1"]), as_of="2024-06-30")
    metrics = {m.label: m for m in at.metric}
    assert metrics["Actions"].value == "5" and not metrics["Actions"].delta
