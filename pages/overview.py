"""Overview: the board's first screen — headline figures and RAG by recommendation."""

import streamlit as st

from data_access import queries
from pages.ui import rag, shell

view = shell.page_view()
st.title(view.plan_name or "Improvement Board")
if view.review_id is None:
    st.info("This plan has no reviews yet. Upload a tracker on the Upload page.")
    st.stop()
st.caption(f"Review {view.review_label}, position as at {view.review_as_at:%d %B %Y}. "
           f"Overdue counted as at {view.as_of:%d %B %Y}.")

kpis = shell.query(queries.review_kpis, view.review_id, view.as_of)
tiles = st.columns(4)
tiles[0].metric("Actions", kpis.actions)
tiles[1].metric("Complete", f"{kpis.pct_complete:.0f}%", help=f"{kpis.complete} of {kpis.actions} actions complete")
tiles[2].metric("Red (off track)", kpis.red)
tiles[3].metric("Overdue", kpis.overdue, help="Not complete and due before the as-at date")

by_rec = shell.query(queries.status_by_recommendation, view.review_id, view.as_of)
st.subheader("RAG status by recommendation")
by_rec["label"] = "Rec " + by_rec["ref"]
st.plotly_chart(rag.stacked_status_bars(by_rec, "label"), width="stretch")
