"""Overview page: KPI tiles and deltas equal the queries; RAG by recommendation; since last review."""

from __future__ import annotations

import re

from page_helpers import html_text

from data_access.reads import board
from data_access.storage.database import make_engine
from tests.fixtures import MEETING


def test_overview_tiles_equal_the_queries(app):
    at = app()
    engine = make_engine(app.ids["url"])
    change = board.kpi_change(engine, app.ids["q2"], MEETING, app.ids["q1"])
    metrics = {m.label: m for m in at.metric}
    assert metrics["Actions"].value == str(change.current.actions) == "6"
    assert metrics["Actions"].delta == "+1"
    assert metrics["Complete"].value == "33%"
    assert metrics["Complete"].delta == "+13 percentage points"
    red = next(m for label, m in metrics.items() if "Red" in label)
    # No change is said in words and shown neutrally (no colour, no arrow), never a red '↑ +0'.
    assert red.value == "1" and red.delta == "no change"
    assert metrics["Overdue"].value == "2" and metrics["Overdue"].delta == "no change"
    colour, direction = metrics["Complete"].proto.MetricColor, metrics["Complete"].proto.MetricDirection
    assert (metrics["Complete"].proto.color, metrics["Complete"].proto.direction) == (
        colour.Value("GREEN"),
        direction.Value("UP"),
    )  # a rise in % complete is good
    assert metrics["Actions"].proto.color == colour.Value("GRAY")  # more actions is neither good nor bad
    for neutral in (red, metrics["Overdue"]):
        assert neutral.proto.direction == neutral.proto.MetricDirection.Value("NONE")
        assert neutral.proto.color == neutral.proto.MetricColor.Value("GRAY")
    assert at.title[0].value == "Testshire ILACS 2024"


def test_overview_chart_in_plan_order_with_counts(app):
    at = app()
    assert not at.get("plotly_chart")  # HTML bars, not a Plotly chart Chromium draws on every switch (issue 27)
    chart = next(h.proto.body for h in at.get("html") if 'class="status-bars"' in h.proto.body)
    # Rows name the recommendation's short text (escaped), not only its ref, in plan order.
    labels = re.findall(r'<span class="sb-label">(.*?)</span>', chart)
    assert labels == [
        "1 · Strengthen the front door",
        "2 · Improve supervision",
        "10 · Care leavers&#x27; accommodation",
    ]
    rows = chart.split('<span class="sb-label">')[1:]
    # Each segment: a link to its actions, its symbol, letter and count shown, its value on hover.
    complete = [re.findall(r'class="sb-text"[^>]*>✔B (\d+)<', row) for row in rows]
    assert complete == [["1"], ["1"], []]  # the counts themselves
    assert 'title="1 · Strengthen the front door: 1 Complete"' in rows[0]
    assert "status=complete" in rows[0] and "rec=1" in rows[0] and "/actions?" in rows[0]
    legend = chart[chart.index("status-bars-legend") : chart.index('<span class="sb-label">')]
    for word in ("✔ B Complete", "● G On track", "▲ A At risk", "✖ R Off track"):
        assert word in legend


def test_overview_table_and_links(app):
    at = app()
    # The chart's table is drawn only once its expander is opened (issue 27: a lighter switch).
    assert "Actions by status and recommendation" not in html_text(at)
    at.session_state["folded_overview_rag_table"] = True  # what opening "Show as table" sets
    at.run()
    page = html_text(at)
    assert "<caption>Actions by status and recommendation" in page
    assert '<th scope="col">Recommendation</th>' in page
    assert "/actions?" in page and "status=red" in page
    links = [p.proto.page for p in at.get("page_link")]
    assert any("actions" in link for link in links) and any("overdue" in link for link in links)


def test_since_last_review_lists(app):
    at = app()
    page = html_text(at)
    summary = " ".join(m.value for m in at.markdown)
    # 1.2 amber -> complete; no slips (10.1 from no status is not ranked); 1.1 and 10.1 newly overdue.
    assert (
        "**Completed: 1** · **Improved: 1** · **Slipped: 0** · **Newly overdue: 2** · **Due date moved later: 1**"
        in summary
    )
    table = page[page.index("<caption>What moved since") :]
    assert table.index("Train partners") < table.index("Audit thresholds") < table.index("Lodgings")
    assert "Since Q1 2024/25" in summary


def test_overview_first_review_has_no_deltas(app):
    at = app(review=str(app.ids["q1"]), as_of="2024-06-30")
    metrics = {m.label: m for m in at.metric}
    assert metrics["Actions"].value == "5" and not metrics["Actions"].delta
