"""Recommendations: one card per recommendation — its full text, overall status (by the stated
rule), RAG mix, % complete and overdue count — each drilling into its actions. With a
recommendation chosen (the filter, or a presentation slide) the card also lists its actions."""

import html

import streamlit as st

from data_access.reads import board, review_figures
from data_access.rules import STATUS_STYLE, STATUSES, status_text
from data_access.wording import long_date, percent_text, plural
from pages.ui import database, rag, routing
from pages.ui.tables import Column, show_table

view = routing.page_view()
if view.review_id is None:
    st.title("Recommendations")
    st.info("This plan has no reviews yet.")
    st.stop()

summary = database.query(board.recommendation_summary, view.review_id, view.as_of)
if view.rec:
    summary = summary[summary["ref"] == view.rec]
    st.title(f"Recommendation {view.rec}")
else:
    st.title("Recommendations")
st.caption(f"{view.plan_name}: review {view.review_label}, overdue as at {long_date(view.as_of)}.")
st.info(f"**Overall status rule.** {board.RECOMMENDATION_STATUS_RULE}", icon=":material/rule:")


def mix(row) -> str:
    """'✔ B 3 · ● G 2 · ▲ A 1' — the RAG mix as words, never colour alone."""
    parts = [
        f"{STATUS_STYLE[s].symbol} {STATUS_STYLE[s].letter} {STATUS_STYLE[s].label}: {row[s]}"
        for s in STATUSES
        if row[s]
    ]
    return " · ".join(parts) or "No actions"


for _, row in summary.iterrows():
    with st.container(border=True):
        head, figures = st.columns([3, 2], vertical_alignment="top")
        with head:  # st.html: tracker text is escaped and never read as Markdown
            st.html(
                f'<h3 style="margin:0 0 .4rem 0">Recommendation {html.escape(str(row["ref"]))} '
                f'{rag.chip(row["status"])}</h3><p class="rec-text" style="font-size:1.1rem;margin:0">'
                f"{html.escape(str(row['text'])).replace(chr(10), '<br>')}</p>"
            )
        figures.markdown(
            f"**{percent_text(row['pct_complete'])} complete** "
            f"({row['complete']} of {plural(row['total'], 'action')})  \n"
            f"**Overdue:** {row['overdue']}  \n"
            f"**Mix:** {mix(row)}"
        )
        links = figures.columns(2)
        links[0].page_link(
            "pages/actions.py",
            label=f"Its {row['total']} actions",
            icon=":material/table_rows:",
            query_params={**view.query_params(), "rec": row["ref"], "status": ""},
        )
        if row["overdue"]:
            links[1].page_link(
                "pages/overdue.py",
                label=f"{row['overdue']} overdue",
                icon=":material/schedule:",
                query_params={**view.query_params(), "rec": row["ref"]},
            )
        if view.rec:  # one recommendation: show its actions on the card (the presentation slide)
            actions = board.filter_actions(
                database.query(review_figures.review_actions, view.review_id, view.as_of),
                view.rec,
                view.lead,
                view.statuses,
            )
            show_table(
                actions,
                [
                    Column("key", "Action", link=lambda r: view.link("action", action=int(r["action_id"]))),
                    Column("description", "What will be done"),
                    Column("lead", "Lead"),
                    Column("effective_due", "Due", kind="date", note="due_raw"),
                    Column("status", "Status", kind="status"),
                    Column("progress", "Latest update"),
                ],
                caption=f"Actions for recommendation {view.rec}",
                empty="no actions match the filters.",
            )

if summary.empty:
    st.info("No recommendation matches the filter.")
st.caption("Statuses: " + "; ".join(f"{status_text(s)} — {STATUS_STYLE[s].meaning}" for s in STATUSES))
