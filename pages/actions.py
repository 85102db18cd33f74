"""All actions in the selected review: a filterable table, status shown as word + colour."""

import streamlit as st

from data_access import queries
from pages.ui import rag, shell

view = shell.page_view()
st.title("All actions")
if view.review_id is None:
    st.info("This plan has no reviews yet.")
    st.stop()

actions = shell.query(queries.review_actions, view.review_id, view.as_of)
if view.rec:
    actions = actions[actions["rec_ref"] == view.rec]
if view.lead:
    actions = actions[actions["lead"] == view.lead]
if view.statuses:
    actions = actions[actions["status"].isin(view.statuses)]
st.caption(f"{len(actions)} actions in {view.review_label}. Overdue as at {view.as_of:%d %B %Y}.")

table = actions.assign(status=rag.status_column(actions["status"]))[
    ["key", "rec_ref", "description", "lead", "due_raw", "status", "overdue", "progress"]
]
st.dataframe(
    table, hide_index=True, width="stretch",
    column_config={
        "key": "Action", "rec_ref": "Rec", "description": st.column_config.TextColumn("Action", width="large"),
        "lead": "Lead", "due_raw": "Timescale", "status": "Status", "overdue": "Overdue",
        "progress": st.column_config.TextColumn("Progress update", width="large"),
    },
)
