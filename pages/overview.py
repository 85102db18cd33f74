"""Overview: the board's first screen — headline figures with their change since the previous
review, RAG by recommendation, and what changed since the last review. Every figure links to the
actions behind it."""

import pandas as pd
import streamlit as st

from data_access.reads import board, trends
from data_access.rules import RED, STATUS_STYLE, STATUSES, status_text
from data_access.wording import long_date, percent_text, plural, short_date
from pages.ui import database, downloads, present, rag, routing
from pages.ui.tables import Column, show_table

view = routing.page_view()
st.title(view.plan_name or "Improvement Board")
if view.review_id is None:
    st.info("This plan has no reviews yet. Upload a tracker on the Upload page.")
    st.stop()
st.caption(
    f"Review {view.review_label}, position as at {long_date(view.review_as_at)}. "
    f"Overdue counted as at {long_date(view.as_of)}. Figures are for the whole plan; the filters apply to the lists."
)

change = database.query(board.kpi_change, view.review_id, view.as_of, view.previous_review_id)
kpis = change.current
since = (
    f"since the previous review (overdue then counted as at {short_date(change.previous_as_of)})"
    if change.previous_as_of
    else "no previous review"
)


def _delta(figure: str, suffix: str = ""):
    value = change.delta(figure)
    return None if value is None else f"{value:+g}{suffix}"


# On the projector the tiles (2 x 2) sit beside the chart so both fit one 16:9 screen.
kpi_area, chart_area = st.columns([2, 3], gap="large") if view.present else (st.container(), st.container())
with kpi_area:
    tiles = [c for row in (st.columns(2), st.columns(2)) for c in row] if view.present else st.columns(4)
with tiles[0]:
    st.metric(
        "Actions",
        kpis.actions,
        _delta("actions"),
        delta_color="off",
        border=True,
        help=f"All actions in {view.review_label}; change {since}.",
    )
    st.page_link(
        "pages/actions.py",
        label="All actions",
        icon=":material/table_rows:",
        query_params={**view.query_params(), "rec": "", "status": ""},
    )
with tiles[1]:
    st.metric(
        "Complete",
        percent_text(kpis.pct_complete),
        _delta("pct_complete", " pts"),
        border=True,
        help=f"{kpis.complete} of {kpis.actions} actions complete; change in percentage points {since}.",
    )
    st.page_link(
        "pages/actions.py",
        label=plural(kpis.complete, "complete action"),
        icon=":material/task_alt:",
        query_params={**view.query_params(), "status": "complete"},
    )
with tiles[2]:
    st.metric(
        f"{STATUS_STYLE[RED].symbol} Red",
        kpis.red,
        _delta("red"),
        delta_color="inverse",
        border=True,
        help=f"Actions with status red (off track); a fall is good. Change {since}.",
    )
    st.page_link(
        "pages/actions.py",
        label=plural(kpis.red, "red action"),
        icon=":material/error:",
        query_params={**view.query_params(), "status": "red"},
    )
with tiles[3]:
    st.metric(
        "Overdue",
        kpis.overdue,
        _delta("overdue"),
        delta_color="inverse",
        border=True,
        help=f"Not complete and due before {short_date(view.as_of)}; a fall is good. Change {since}.",
    )
    st.page_link(
        "pages/overdue.py",
        label=plural(kpis.overdue, "overdue action"),
        icon=":material/schedule:",
        query_params={**view.query_params(), "rec": ""},
    )

# --- RAG by recommendation ---------------------------------------------------------------------

by_rec = database.query(board.recommendation_summary, view.review_id, view.as_of)
chart_area.subheader("RAG status by recommendation")
by_rec["label"] = "Rec " + by_rec["ref"]
font = 28 if view.present else 16
fig = rag.stacked_status_bars(by_rec, "label", font_size=font, dark=view.present and present.high_contrast())
event = chart_area.plotly_chart(
    fig,
    width="stretch",
    theme=None,
    on_select="rerun",
    selection_mode="points",
    key="rag_by_rec",
    config={"displayModeBar": False},
)
points = event.selection.points if event and event.selection else []
if points:  # a click on a bar segment opens the actions behind it
    point = points[0]
    ref = str(point.get("y", "")).removeprefix("Rec ")
    trace = fig.data[point["curve_number"]]
    status = next(s for s in STATUSES if trace.name.endswith(STATUS_STYLE[s].label))
    st.switch_page("pages/actions.py", query_params={**view.query_params(), "rec": ref, "status": status})
chart_area.caption("Click a bar segment to list its actions, or use “Show as table”.")
downloads.chart_buttons("rag_by_recommendation", by_rec, view.plan_name, key="rag_img", container=chart_area)
with chart_area.expander("Show as table"):
    table = by_rec.copy()
    for status in STATUSES:
        table[status] = table[status].astype(str)
    show_table(
        table,
        [
            Column("ref", "Recommendation", link=lambda r: view.link("actions", rec=r["ref"], status="")),
            *(
                Column(
                    s,
                    status_text(s),
                    kind="number",
                    link=lambda r, s=s: view.link("actions", rec=r["ref"], status=s) if r[s] != "0" else None,
                )
                for s in STATUSES
            ),
            Column("total", "Total", kind="number"),
            Column(
                "overdue",
                "Overdue",
                kind="number",
                link=lambda r: view.link("overdue", rec=r["ref"]) if r["overdue"] else None,
            ),
        ],
        caption=f"Actions by status and recommendation, {view.review_label}",
    )

# --- since the last review ----------------------------------------------------------------------

st.subheader("Since the last review")
if view.previous_review_id is None:
    st.info("This is the plan's first review, so there is nothing to compare with yet.")
else:
    moves = database.query(trends.transitions, view.previous_review_id, view.review_id)
    st.markdown(database.query(trends.since_last_review_summary, view.plan_id, view.previous_review_id, view.review_id))
    lists = [("Completed", moves.completed), ("Slipped", moves.slipped), ("Newly overdue", moves.newly_overdue)]
    rows = [
        {
            "change": title,
            "action_id": r.action_id,
            "key": r.key,
            "description": r.description,
            "lead": r.lead,
            "from": r.from_status,
            "to": r.to_status,
        }
        for title, refs in lists
        for r in refs
    ]
    frame = pd.DataFrame(rows, columns=["change", "action_id", "key", "description", "lead", "from", "to"])
    st.markdown(" · ".join(f"**{title}: {len(refs)}**" for title, refs in lists))
    show_table(
        frame,
        [
            Column("change", "Change"),
            Column("key", "Action", link=lambda r: view.link("action", action=int(r["action_id"]))),
            Column("description", "What will be done"),
            Column("lead", "Lead"),
            Column("from", "Was", kind="status"),
            Column("to", "Now", kind="status"),
        ],
        caption=f"Completed, slipped and newly overdue since {moves.from_review.label}",
        empty="no action completed, slipped or became overdue.",
    )
    st.caption(trends.MOVEMENT_RULES)
downloads.paper_buttons(view)
