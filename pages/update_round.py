"""Update round (issue 26), for editors: open a round for the plan's next review (its date and a
deadline), see who has updated and who has not (by lead and by organisation), the actions not
updated since the last review, a reminder list to copy (the product sends no e-mail), and close
the round into one review (actions nobody updated are marked "no update this round"). Every step
is checked again and recorded in the audit trail by data_access/storage/update_rounds.py."""

import datetime as dt

import pandas as pd
import streamlit as st

from data_access.domain import permissions, round_rules
from data_access.domain.round_rules import RoundRefused
from data_access.domain.rules import status_text
from data_access.domain.wording import long_date, plural
from data_access.reads import round_progress
from data_access.storage import update_rounds
from pages.ui import auth, cached_reads, plain, routing

view = routing.page_view(permissions.EDITOR)
engine = cached_reads.engine_or_stop()
st.title("Update round")
done = st.session_state.pop("update_round_done", None)
if done:
    st.success(plain.md(done))
if view.plan_id is None or view.review_as_at is None:
    st.info("There are no reviews yet: a round starts from a plan's latest review.")
    st.stop()


def changed(message: str) -> None:
    cached_reads.data_changed()
    st.session_state["update_round_done"] = message
    st.rerun()


def table(rows: list[tuple], columns: list[str]) -> None:
    """A small table of names and counts (text shown as plain text, one line each)."""
    frame = pd.DataFrame([[plain.option(c) if isinstance(c, str) else c for c in r] for r in rows], columns=columns)
    st.dataframe(frame, hide_index=True, width="stretch")


info = round_progress.open_round(engine, view.plan_id)
if info is None:
    latest = round_progress.latest_round(engine, view.plan_id)
    if latest is not None:
        st.write(
            f"The last round, for the review of {long_date(latest.as_at)}, was closed by "
            f"{plain.md(latest.closed_by or 'an editor')}."
        )
    st.write(
        f"No round is open for {plain.md(view.plan_name)}. Open one for the next review: leads and partner "
        "agencies then update their own actions on My actions."
    )
    with st.form("open_round"):
        suggested = view.review_as_at + dt.timedelta(days=31)
        as_at = st.date_input("Review date", value=suggested, format="DD/MM/YYYY")
        deadline = st.date_input("Updates due by", value=as_at - dt.timedelta(days=7), format="DD/MM/YYYY")
        if st.form_submit_button("Open the round", type="primary"):
            try:
                update_rounds.open_round(
                    engine, plan_name=view.plan_name, as_at=as_at, deadline=deadline, person=auth.current_person()
                )
            except RoundRefused as refused:
                st.error(plain.md(str(refused)))
            else:
                changed(f"Opened the update round for the review of {long_date(as_at)}.")
    st.stop()

actions = round_progress.round_actions(engine, info)
status = round_progress.round_status(info, actions)
due = f"; updates due by {long_date(info.deadline)}" if info.deadline else ""
st.write(
    f"{plain.md(info.plan_name)}: round for the review of {long_date(info.as_at)}{due}. "
    f"Opened by {plain.md(info.opened_by)}."
)
first, second, third = st.columns(3)
first.metric("Actions", status.actions)
second.metric("Updated", status.updated)
third.metric("Not updated yet", status.outstanding)

st.header("Who has updated")
table(status.by_lead, ["Lead", "Updated", "Not updated"])
if status.by_organisation:
    table(status.by_organisation, ["Organisation", "Updated", "Not updated"])
if status.updaters:
    st.markdown("  \n".join(plain.md(f"{who}: {plural(n, 'action')}") for who, n in status.updaters))

st.header("Not updated since the last review")
waiting = round_progress.outstanding(actions)
if waiting:
    table(
        [(a.key, a.description, a.lead or "", a.partner or "", status_text(a.start.status)) for a in waiting],
        ["Action", "Description", "Lead", "Organisation", "Status at the last review"],
    )
else:
    st.write("Every action has an update in this round.")

st.header("Reminder list")
st.caption("Copy it into an e-mail; Improvement Board sends none.")
st.code(
    round_progress.reminder_text(info, actions, round_progress.lead_identities(engine, info.plan_id)), language=None
)

st.header("Close the round")
st.write(
    f"Closing writes the review of {long_date(info.as_at)}, exactly as an import does (earlier reviews are kept). "
    f"{plural(status.outstanding, 'action')} with no update will be marked '{round_rules.NO_UPDATE}'."
)
sure = st.checkbox("I have checked the updates: close the round", key="close_sure")
if st.button("Close the round", disabled=not sure, type="primary"):
    try:
        closed = update_rounds.close_round(engine, plan_name=info.plan_name, person=auth.current_person())
    except RoundRefused as refused:
        st.error(plain.md(str(refused)))
    else:
        changed(
            f"Closed the round into the review of {long_date(info.as_at)}: {closed.updated} updated, "
            f"{closed.not_updated} marked '{round_rules.NO_UPDATE}'."
        )
