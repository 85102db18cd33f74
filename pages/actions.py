"""All actions in the selected review, filtered by the global controls (recommendation, lead,
status): an HTML table with header cells, status as symbol + letter + word, each action linking
to its history."""

import streamlit as st

from data_access import board, queries
from data_access.rules import status_text
from pages.ui import shell
from pages.ui.tables import Column, show_table

view = shell.page_view()
st.title("All actions")
if view.review_id is None:
    st.info("This plan has no reviews yet.")
    st.stop()

actions = board.filter_actions(
    shell.query(queries.review_actions, view.review_id, view.as_of), view.rec, view.lead, view.statuses
)
filters = [f"recommendation {view.rec}" if view.rec else None, f"lead {view.lead}" if view.lead else None,
           "status " + ", ".join(status_text(s) for s in view.statuses) if view.statuses else None]
filtered = "; ".join(f for f in filters if f)
st.caption(
    f"{len(actions)} actions in {view.review_label}" + (f" ({filtered})" if filtered else "")
    + f". Overdue as at {view.as_of:%d %B %Y}. Change the filters in the sidebar."
)
st.metric("Actions shown", len(actions))

table = actions.assign(overdue_text=actions["overdue"].map({True: "Overdue", False: ""}))
show_table(
    table,
    [
        Column("key", "Action", link=lambda r: view.link("action", action=int(r["action_id"]))),
        Column("rec_ref", "Rec", link=lambda r: view.link("recommendations", rec=r["rec_ref"])),
        Column("description", "What will be done"),
        Column("lead", "Lead"),
        Column("effective_due", "Due", kind="date", note="due_raw"),
        Column("status", "Status", kind="status"),
        Column("overdue_text", "Overdue"),
        Column("progress", "Latest update"),
    ],
    caption=f"Actions, {view.review_label}",
    empty="no actions match the filters.",
)
