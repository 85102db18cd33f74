"""Audit trail (admins): who did what, when (London time), to which plan and review; filterable,
and downloadable as Excel or CSV. Read-only: nothing in the app can change or delete a row."""

import html

import streamlit as st

from data_access.domain import permissions
from data_access.domain.clock import london_today
from data_access.domain.wording import plural
from data_access.storage import audit_trail
from pages.ui import cached_reads, routing
from pages.ui.html_tables import Column, show_table

routing.page_view(permissions.ADMIN)
engine = cached_reads.engine_or_stop()
st.title("Audit trail")
st.markdown(
    "Every import, replacement, restore, mapping change, plan setting, sign-in and pack generated, "
    "with who did it. Times are London time. Rows are never changed or deleted, not even with the plan they name."
)

ALL_PLANS = None
plans = audit_trail.plans_in_trail(engine)
by_label = {p.label: p for p in plans}
left, middle, right = st.columns(3)
plan_label = left.selectbox(
    "Plan",
    [ALL_PLANS, *by_label],
    format_func=lambda label: "All plans" if label is None else label,
    help="Deleted plans are listed too: their history stays.",
)
chosen_actions = middle.multiselect("What", list(audit_trail.ACTIONS), placeholder="Everything")
actor = right.selectbox(
    "Who", [None, *audit_trail.actors(engine)], format_func=lambda a: "Everyone" if a is None else a
)
dates = st.date_input(
    "Between", value=(), format="DD/MM/YYYY", max_value=london_today(), help="London dates, both included"
)
since = dates[0] if len(dates) > 0 else None
until = dates[1] if len(dates) > 1 else since

rows = audit_trail.trail(
    engine,
    plan=by_label.get(plan_label),
    actions=chosen_actions,
    actor=actor,
    since=since,
    until=until,
)
SHOWN = 500  # rows on the page; the downloads have them all
caption = f"{plural(len(rows), 'event')}, newest first" + (f"; the newest {SHOWN} shown" if len(rows) > SHOWN else "")
# A SHA-256 is one long word: let it wrap anywhere rather than push the table off the screen.
details = [f'<span style="overflow-wrap: anywhere">{html.escape(text)}</span>' for text in rows["summary"].head(SHOWN)]
show_table(
    rows.head(SHOWN).assign(details=details),
    [
        Column("when", "When (London)"),
        Column("actor", "Who"),
        Column("action", "What"),
        Column("plan_name", "Plan"),
        Column("review_id", "Review", kind="number"),
        Column("details", "Details", kind="html"),
    ],
    caption,
    empty="no events match these filters.",
)
title = f"Audit trail — {plan_label or 'all plans'}"
excel_col, csv_col, _ = st.columns([1, 1, 3])
excel_col.download_button(
    "Download as Excel",
    data=lambda: audit_trail.trail_xlsx(rows, title),
    file_name="audit-trail.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    on_click="ignore",
    icon=":material/download:",
)
csv_col.download_button(
    "Download as CSV",
    data=lambda: audit_trail.trail_csv(rows),
    file_name="audit-trail.csv",
    mime="text/csv",
    on_click="ignore",
    icon=":material/download:",
)
