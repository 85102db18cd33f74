"""Overdue actions by recommendation: each with lead, due date (and the tracker's own timescale
text), days overdue, status and latest update; totals per recommendation and per lead; and the
"green but overdue" challenge list."""

import streamlit as st

from data_access.reads import board
from data_access.rules import GREEN, status_text
from data_access.wording import long_date
from pages.ui import database, routing
from pages.ui.tables import Column, show_table

view = routing.page_view()
st.title("Overdue actions")
if view.review_id is None:
    st.info("This plan has no reviews yet.")
    st.stop()

overdue = database.query(board.overdue_actions, view.review_id, view.as_of, view.rec, view.lead, view.statuses)
filters = [
    f"recommendation {view.rec}" if view.rec else None,
    f"lead {view.lead}" if view.lead else None,
    ", ".join(status_text(s) for s in view.statuses) if view.statuses else None,
]
filtered = "; ".join(f for f in filters if f)
st.caption(
    f"{view.plan_name}: review {view.review_label}. Overdue means not complete and due before "
    f"{long_date(view.as_of)} (a revised date replaces the original; 'Ongoing' and undated actions are never "
    f"overdue)." + (f" Filtered to {filtered}." if filtered else "")
)

SORTS = {
    "plan": ("Plan order", ["rec_sort", "key"], [True, True]),
    "days": ("Most days overdue first", ["days_overdue", "key"], [False, True]),
    "due": ("Due date, earliest first", ["effective_due", "key"], [True, True]),
    "lead": ("Lead", ["lead", "days_overdue"], [True, False]),
}
left, right = st.columns([2, 1])
sort = left.radio(
    "Sort actions by", list(SORTS), format_func=lambda k: SORTS[k][0], horizontal=True, key="overdue_sort"
)
grouped = right.toggle("Group by recommendation", value=True, key="overdue_grouped")
_, by, ascending = SORTS[sort]
overdue = overdue.sort_values(by, ascending=ascending, na_position="last", kind="stable")

st.metric("Overdue actions", len(overdue))
COLUMNS = [
    Column("key", "Action", link=lambda r: view.link("action", action=int(r["action_id"]))),
    Column("description", "What will be done"),
    Column("lead", "Lead"),
    Column("effective_due", "Due", kind="date", note="due_raw"),
    Column("days_overdue", "Days overdue", kind="number"),
    Column("status", "Status", kind="status"),
    Column("progress", "Latest update"),
]

if overdue.empty:
    st.success("No overdue actions" + (f" for {filtered}." if filtered else "."))
elif grouped:
    totals = board.overdue_by_recommendation(overdue)
    texts = overdue.drop_duplicates("rec_ref").set_index("rec_ref")["rec_text"]
    for rec in totals.itertuples():
        st.subheader(f"Recommendation {rec.rec_ref}: {rec.overdue} overdue")
        st.caption(str(texts[rec.rec_ref])[:400])
        show_table(
            overdue[overdue["rec_ref"] == rec.rec_ref],
            COLUMNS,
            caption=f"Overdue actions for recommendation {rec.rec_ref}",
        )
else:
    show_table(overdue, [Column("rec_ref", "Rec"), *COLUMNS], caption="Overdue actions")

if not overdue.empty:
    st.subheader("Totals")
    per_rec, per_lead = st.columns(2)
    with per_rec:
        show_table(
            board.overdue_by_recommendation(overdue),
            [
                Column("rec_ref", "Recommendation", link=lambda r: view.link("overdue", rec=r["rec_ref"])),
                Column("overdue", "Overdue", kind="number"),
                Column("most_days_overdue", "Most days overdue", kind="number"),
            ],
            caption="Overdue per recommendation",
        )
    with per_lead:
        show_table(
            board.overdue_by_lead(overdue),
            [
                Column("lead", "Lead"),
                Column("overdue", "Overdue", kind="number"),
                Column("most_days_overdue", "Most days overdue", kind="number"),
            ],
            caption="Overdue per lead",
        )

st.subheader(f"Challenge: reported {status_text(GREEN)} but overdue")
challenge = database.query(board.green_but_overdue, view.review_id, view.as_of, view.rec, view.lead)
st.caption(
    "Actions whose lead reports them on track although their due date has passed — ask why the date "
    "has not been revised or the status changed."
)
show_table(
    challenge, [Column("rec_ref", "Rec"), *COLUMNS], caption="Green but overdue", empty="no green action is overdue."
)
