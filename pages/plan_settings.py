"""Plan settings. Editors: the report details the cabinet report's Background states (inspection
type and dates, overall judgement, the board's name), and the board's meeting dates ("overdue as
at" starts at the next meeting after the review). Admins also: rename a plan, archive it
(hidden from the board's plan list, kept) or bring it back, or delete it after typing its name.
Editors also say which way is better for a measure of success whose file does not say
(data_access/storage/measure_directions.py).
Each is one transaction with its audit row (data_access/storage/plan_admin.py)."""

import datetime as dt

import pandas as pd
import streamlit as st

from data_access.domain import meetings, permissions
from data_access.domain.round_rules import RoundRefused
from data_access.domain.wording import plural, stored_time
from data_access.reads import board_meetings, catalogue, round_progress
from data_access.storage import measure_directions, plan_admin, update_rounds
from pages.ui import auth, cached_reads, plain, routing

view = routing.page_view(permissions.EDITOR)
engine = cached_reads.engine_or_stop()
st.title("Plan settings")
done = st.session_state.pop("plan_settings_done", None)
if done:
    st.success(plain.md(done))

plans = cached_reads.query(catalogue.list_plans, True)
if plans.empty:
    st.info("There are no plans yet. Upload a tracker to start one.")
    st.stop()
names = {int(p.id): p.name for p in plans.itertuples()}
archived = {int(p.id): p.archived_at for p in plans.itertuples() if pd.notna(p.archived_at)}
plan_ids = list(names)
plan_id = st.selectbox(
    "Plan",
    plan_ids,
    index=plan_ids.index(view.plan_id) if view.plan_id in plan_ids else 0,
    format_func=lambda i: names[i] + (" (archived)" if i in archived else ""),
    help="Archived plans are listed here, and nowhere else.",
)
name = names[plan_id]


def changed(message: str) -> None:
    """After a change: new data version (every session and replica sees it), say what was done."""
    cached_reads.data_changed()
    st.session_state["plan_settings_done"] = message
    st.rerun()


def refused(reason: plan_admin.ChangeRefused) -> None:
    st.error(plain.md(str(reason)))


with st.container(border=True):
    st.subheader("Report details")
    st.write(
        "What the cabinet report's Background says about the inspection. A detail left blank appears in the "
        "report as a highlighted '[to be completed by the report author]'."
    )
    stored = plan_admin.report_settings(engine, plan_id)
    with st.form("report_details", border=False):
        organisation = st.text_input("Council", value=stored.organisation or "", max_chars=plan_admin.MAX_DETAIL)
        inspection_type = st.text_input(
            "Inspection type",
            value=stored.inspection_type or "",
            max_chars=plan_admin.MAX_INSPECTION_TYPE,
            help="As the report should name it, for example Ofsted ILACS or JTAI.",
        )
        first, last, published = st.columns(3)
        inspection_start = first.date_input(
            "Inspection began", value=stored.inspection_start, format="DD/MM/YYYY", min_value=dt.date(2000, 1, 1)
        )
        inspection_end = last.date_input(
            "Inspection ended", value=stored.inspection_end, format="DD/MM/YYYY", min_value=dt.date(2000, 1, 1)
        )
        published_on = published.date_input(
            "Report published", value=stored.published_on, format="DD/MM/YYYY", min_value=dt.date(2000, 1, 1)
        )
        judgement = st.text_input(
            "Overall judgement",
            value=stored.judgement or "",
            max_chars=plan_admin.MAX_DETAIL,
            help="As the inspection report words it, for example Requires improvement to be good.",
        )
        board_name = st.text_input(
            "Board that monitors the plan", value=stored.board_name or "", max_chars=plan_admin.MAX_DETAIL
        )
        if st.form_submit_button("Save report details"):
            wanted = plan_admin.ReportSettings(
                organisation, inspection_type, inspection_start, inspection_end, published_on, judgement, board_name
            )
            try:
                fields = plan_admin.set_report_settings(engine, plan_id, wanted, actor=auth.current_user())
            except plan_admin.ChangeRefused as reason:
                refused(reason)
            else:
                changed("Saved: " + ", ".join(fields) + ".")

with st.container(border=True):
    st.subheader("Board meetings")
    st.write(
        "The dates the board meets, one a line, day first (14/07/2018 or 14 July 2018). 'Overdue as at' then "
        "starts at the board's next meeting on or after the review shown, in the app and in the papers; with no "
        "meeting after the review, it starts at today."
    )
    with st.form("meeting_dates", border=False):
        typed = st.text_area(
            "Meeting dates",
            value=meetings.meeting_dates_text(board_meetings.meeting_dates(engine, plan_id)),
            height=160,
        )
        if st.form_submit_button("Save meeting dates"):
            try:
                days = meetings.parse_meeting_dates(typed)
                added, removed = plan_admin.set_meeting_dates(engine, plan_id, days, actor=auth.current_user())
            except meetings.MeetingDatesError as problem:
                st.error(plain.md(f"The meeting dates were not saved. {problem}"))
            except plan_admin.ChangeRefused as reason:
                refused(reason)
            else:
                changed(f"Saved the meeting dates: {plural(added, 'date')} added, {plural(removed, 'date')} removed.")

DIRECTION_CHOICES = {"higher": "Higher is better", "lower": "Lower is better", "remove": "Remove the setting"}


def measure_directions_section() -> None:
    """Which way is better for a measure of success whose file does not say (by the measure's name):
    the upload preview and the command line's import use it instead of asking (never a guess)."""
    with st.container(border=True):
        st.subheader("Measures of success: which way is better")
        st.write(
            "For a measure whose file does not say whether higher or lower is better. The upload preview asks "
            "about such a measure and remembers the answer here; the command line's import uses these, and "
            "refuses a measure with no setting unless --better gives it."
        )
        stored = measure_directions.plan_directions(engine, plan_id)
        if stored:
            st.dataframe(
                pd.DataFrame({"Measure": list(stored), "Better": [f"{b} is better" for b in stored.values()]}),
                hide_index=True,
                width="stretch",
            )
        else:
            st.caption("No settings yet.")
        with st.form("measure_direction", border=False):
            measure = st.text_input("Measure (its name as the file writes it)", max_chars=measure_directions.MAX_NAME)
            choice = st.radio(
                "Which way is better",
                list(DIRECTION_CHOICES),
                format_func=DIRECTION_CHOICES.get,
                index=None,  # never a default: the editor says
                horizontal=True,
            )
            if st.form_submit_button("Save the direction"):
                if choice is None:
                    st.error("Choose higher or lower is better (or remove the setting), then save.")
                    return
                better = None if choice == "remove" else choice
                try:
                    said = measure_directions.set_direction(engine, plan_id, measure, better, actor=auth.current_user())
                except plan_admin.ChangeRefused as reason:
                    refused(reason)
                else:
                    changed(said)


measure_directions_section()

with st.container(border=True):
    st.subheader("Who updates each lead's actions")
    st.write(
        "In an update round, a lead updates the actions whose lead is named here with their sign-in email or one "
        "of their groups: one line per lead, 'Lead = email or group, …'. Partner agencies update their "
        "organisation's actions through their group (BOARD_ROLE_GROUPS)."
    )
    lines = permissions.lead_lines(
        round_progress.lead_identities(engine, plan_id), round_progress.plan_leads(engine, plan_id)
    )
    with st.form("lead_identities", border=False):
        typed = st.text_area("Leads and who they are", value=lines, height=160, max_chars=20000)
        if st.form_submit_button("Save who updates each lead's actions"):
            try:
                stored = update_rounds.set_lead_identities(
                    engine,
                    plan_name=name,
                    mapping=permissions.parse_lead_lines(typed),
                    person=auth.current_person(),
                )
            except (ValueError, RoundRefused) as problem:
                st.error(plain.md(str(problem)))
            else:
                changed(f"Saved who updates the actions of {plural(len(stored), 'lead')}.")

if not auth.is_admin():
    st.stop()

with st.container(border=True):
    st.subheader("Rename")
    with st.form("rename", border=False):
        new_name = st.text_input("New name", value=name, max_chars=plan_admin.MAX_NAME)
        if st.form_submit_button("Rename"):
            try:
                stored = plan_admin.rename_plan(engine, plan_id, new_name, actor=auth.current_user())
            except plan_admin.ChangeRefused as reason:
                refused(reason)
            else:
                changed(f"Renamed to '{stored}'.")

with st.container(border=True):
    st.subheader("Archive")
    if plan_id in archived:
        st.write(f"Archived on {stored_time(archived[plan_id])}: not in the board's plan list, and nothing deleted.")
        label, archive = "Bring back from the archive", False
    else:
        st.write("An archived plan leaves the board's plan list; its reviews and history are kept.")
        label, archive = "Archive this plan", True
    if st.button(label):
        try:
            plan_admin.set_archived(engine, plan_id, archive, actor=auth.current_user())
        except plan_admin.ChangeRefused as reason:
            refused(reason)
        else:
            changed(f"'{name}' is {'archived' if archive else 'back in the plan list'}.")


DELETING = "plan_settings_deleting"  # the plan whose delete dialog is open (kept open across reruns)


def stop_deleting() -> None:
    st.session_state.pop(DELETING, None)


@st.dialog("Delete this plan?", on_dismiss=stop_deleting)
def confirm_delete(plan_id: int) -> None:
    contents = plan_admin.plan_contents(engine, plan_id)
    st.warning(
        plain.md(
            f"This deletes '{contents.name}' with its {plural(contents.reviews, 'review')} and "
            f"{plural(contents.actions, 'action')}. It cannot be undone. The audit trail keeps its record."
        )
    )
    typed = st.text_input(f"Type the plan's name to confirm: {plain.md(contents.name)}")
    delete_col, cancel_col = st.columns(2)
    if cancel_col.button("Cancel", width="stretch"):
        stop_deleting()
        st.rerun()
    if delete_col.button("Delete for good", type="primary", disabled=typed.strip() != contents.name, width="stretch"):
        try:
            plan_admin.delete_plan(engine, plan_id, confirm_name=typed, actor=auth.current_user())
        except plan_admin.ChangeRefused as reason:
            refused(reason)
        else:
            stop_deleting()
            changed(f"Deleted '{contents.name}'.")


with st.container(border=True):
    st.subheader("Delete")
    st.write("Deleting removes the plan and every review of it. Archive it instead to keep its history.")
    if st.button("Delete this plan…"):
        st.session_state[DELETING] = plan_id
    if st.session_state.get(DELETING) == plan_id:
        confirm_delete(plan_id)
