"""My actions (issue 26): in the plan's open update round, the actions this person may update (a
lead's own, a partner agency's organisation's; every action for an editor), one at a time: pick
an action, then one form (status, progress note, evidence, mitigation, what we need from the
board, a due date change request with its reason). Built for a phone: a select and one form, no
wide table. Every save is checked again on the server side (data_access/storage/update_rounds.py);
when someone else saved the action first, both updates are shown and the person chooses."""

import streamlit as st

from data_access.domain import round_rules
from data_access.domain.round_rules import FIELD_WORDS, RoundRefused, UpdateFields
from data_access.domain.rules import STATUSES, status_text
from data_access.domain.wording import long_date, plural
from data_access.reads import round_progress
from data_access.storage import update_rounds
from pages.ui import auth, cached_reads, plain, routing

view = routing.page_view()
engine = cached_reads.engine_or_stop()
st.title("My actions")
done = st.session_state.pop("my_actions_done", None)
if done:
    st.success(plain.md(done))
if view.plan_id is None:
    st.info("There are no plans yet.")
    st.stop()
info = round_progress.open_round(engine, view.plan_id)
if info is None:
    st.info(f"{plain.md(view.plan_name)} has no update round open: there is nothing to update now.")
    st.stop()

person = auth.current_person()
mine = round_progress.my_actions(engine, info, person)
due = f"; updates are due by {long_date(info.deadline)}" if info.deadline else ""
st.write(f"{plain.md(info.plan_name)}: the update round for the review of {long_date(info.as_at)}{due}.")
if not mine:
    st.info(
        "None of this plan's actions are yours to update. A lead updates the actions the plan's settings name them "
        "for; a partner agency its own organisation's actions. Ask an editor if that is wrong."
    )
    st.stop()
waiting = sum(not a.updated for a in mine)
st.write(f"{plural(len(mine), 'action')} to update, {waiting} not updated yet in this round.")

by_key = {a.key: a for a in mine}


def label(key: str) -> str:
    a = by_key[key]
    done_mark = "updated" if a.updated else "to update"
    return plain.option(f"{a.key} ({done_mark}): {a.description}")


key = st.selectbox("Action", list(by_key), format_func=label, key="my_action")
action = by_key[key]
# The version this person was shown, and what it said: the form starts from it and a save is checked
# against it, so another person's save in between is a conflict, never a silent change of the form.
seen_key = f"seen_{info.round_id}_{action.action_id}"
seen, shown_fields = st.session_state.setdefault(seen_key, (action.version, action.now))
conflict_key = f"conflict_{info.round_id}_{action.action_id}"


def saved(message: str, version: int, fields: UpdateFields) -> None:
    st.session_state[seen_key] = (version, fields)
    st.session_state.pop(conflict_key, None)
    cached_reads.data_changed()
    st.session_state["my_actions_done"] = message
    st.rerun()


def save(fields: UpdateFields, seen_version: int) -> None:
    """Record the update on top of `seen_version`; a newer update saved meanwhile is a conflict to
    compare side by side, a refusal one sentence."""
    try:
        version = update_rounds.record_update(
            engine, plan_name=info.plan_name, action_key=action.key, fields=fields, seen_version=seen_version,
            person=person,
        )  # fmt: skip
    except update_rounds.UpdateConflict as conflict:
        st.session_state[conflict_key] = (conflict.theirs, conflict.yours)
        st.rerun()
    except RoundRefused as refused:
        st.error(plain.md(str(refused)))
    else:
        saved(f"Saved your update of {action.key}.", version, fields)


def describe(fields: UpdateFields) -> list[str]:
    """An update as lines of 'Field: value', for the side-by-side comparison (plain text, escaped)."""
    lines = []
    for name in round_rules.UPDATE_FIELDS:
        value = getattr(fields, name)
        if value is None:
            continue
        shown = status_text(value) if name == "status" else (long_date(value) if name == "requested_due" else value)
        lines.append(f"**{FIELD_WORDS[name]}:** {plain.md(shown)}")
    return lines


st.subheader(plain.md(f"{action.key}: {action.description}"))
facts = [f"Lead: {action.lead or 'none named'}"]
if action.partner:
    facts.append(f"Organisation: {action.partner}")
facts.append(f"Due: {long_date(action.due) if action.due else 'no date'}")
facts.append(f"At the last review: {status_text(action.start.status)}")
st.markdown("  \n".join(plain.md(f) for f in facts))
if action.update is not None:
    st.caption(f"Updated in this round by {plain.md(action.update.updated_by)} (version {action.update.version}).")

pending = st.session_state.get(conflict_key)
if pending is not None:
    theirs, yours = pending
    st.warning(
        f"{plain.md(theirs.updated_by)} saved an update of this action while you were editing. "
        "Compare the two and choose which to keep; nothing has been lost."
    )
    left, right = st.columns(2)
    with left:
        st.markdown("**Their update (saved)**  \n" + "  \n".join(describe(theirs.fields)))
        if st.button("Keep theirs", key="keep_theirs"):
            saved("Kept their update.", theirs.version, theirs.fields)
    with right:
        st.markdown("**Your update (not saved)**  \n" + "  \n".join(describe(yours)))
        if st.button("Save mine over theirs", key="keep_mine"):
            save(yours, theirs.version)
    st.stop()

now = shown_fields
with st.form(f"update_{action.action_id}"):
    status = st.selectbox(
        "Status in this round",
        STATUSES,
        index=STATUSES.index(now.status),
        format_func=status_text,
        key=f"status_{action.action_id}",
    )
    progress = st.text_area("Progress note", value=now.progress or "", max_chars=4000)
    evidence = st.text_area("Evidence", value=now.evidence or "", max_chars=4000)
    mitigation = st.text_area(
        "Mitigation (needed when the status is At risk or Off track)", value=now.mitigation or "", max_chars=4000
    )
    board_ask = st.text_area("What we need from the board", value=now.board_ask or "", max_chars=4000)
    st.markdown("**Due date change** (goes to the board for approval)")
    requested = st.date_input("New due date", value=now.requested_due, format="DD/MM/YYYY")
    reason = st.text_input("Reason for the new date", value=now.due_change_reason or "", max_chars=2000)
    if st.form_submit_button("Save update", type="primary"):
        save(UpdateFields(status, progress, evidence, mitigation, board_ask, requested, reason or None), seen)
