"""All actions in the selected review, filtered by the global controls (recommendation, lead,
status): an HTML table with header cells, status as symbol + letter + word, each action linking
to its history."""

import streamlit as st

from data_access.domain.round_rules import NO_UPDATE
from data_access.domain.wording import describe_filters, long_date
from data_access.papers import excel_export
from data_access.reads import board, review_figures
from pages.ui import cached_reads, routing
from pages.ui.html_tables import Column, show_table
from pages.ui.plain import md

view = routing.page_view()
st.title("All actions", anchor=False)
if view.review_id is None:
    st.info("This plan has no reviews yet.")
    st.stop()

actions = board.filter_actions(
    cached_reads.query(review_figures.review_actions, view.review_id, view.as_of, view.baseline),
    view.rec,
    view.lead,
    view.statuses,
    view.partner,
)
filtered = describe_filters(view.rec, view.lead, view.statuses, view.partner)
st.caption(
    md(
        f"{len(actions)} actions in {view.review_label}"
        + (f" ({filtered})" if filtered else "")
        + f". Overdue as at {long_date(view.as_of)}. Change the filters in the sidebar."
    )
)
st.metric("Actions shown", len(actions))

# The rows shown, as a spreadsheet for board papers; tracker text is written inert (no formulas).
# Built on click (a callable), and on_click="ignore": a rerun on click could race the deferred file.
title = (
    f"{view.plan_name}: actions at {view.review_label}"
    + (f" ({filtered})" if filtered else "")
    + (f", overdue as at {long_date(view.as_of)}")
)
stem = f"actions-{view.review_as_at:%Y-%m-%d}"
excel_col, csv_col, _ = st.columns([1, 1, 3])
excel_col.download_button(
    "Download as Excel",
    data=lambda: excel_export.actions_xlsx(actions, title),
    file_name=f"{stem}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    icon=":material/download:",
    on_click="ignore",
)
csv_col.download_button(
    "Download as CSV",
    data=lambda: excel_export.actions_csv(actions),
    file_name=f"{stem}.csv",
    mime="text/csv",
    icon=":material/download:",
    on_click="ignore",
)

table = actions.assign(
    overdue_text=actions["overdue"].map({True: "Overdue", False: ""}),
    # An action a closed update round carried forward says so, never looking freshly updated.
    latest=[
        f"[{NO_UPDATE}] {note if isinstance(note, str) else ''}".strip() if flag else note
        for note, flag in zip(actions["progress"], actions["no_update"], strict=True)
    ],
)
partner = [Column("partner", "Partner")] if view.partners else []
show_table(
    table,
    [
        Column("key", "Action", link=lambda r: view.link("action", action=int(r["action_id"]))),
        Column("rec_ref", "Rec", link=lambda r: view.link("recommendations", rec=r["rec_ref"])),
        Column("description", "What will be done"),
        Column("lead", "Lead"),
        *partner,
        Column("effective_due", "Due", kind="due"),
        Column("status", "Status", kind="status"),
        Column("overdue_text", "Overdue"),
        Column("latest", "Latest update"),
    ],
    caption=f"Actions, {view.review_label}",
    empty="no actions match the filters.",
)
