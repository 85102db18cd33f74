"""For sign-off (issue 25): the review's complete actions not yet signed off, grouped by
recommendation with their evidence, and the due date changes awaiting approval. Everyone sees
them; an editor signs off one or several (meeting date, evidence, note), sends one back with a
note, or approves or refuses a date change. Each decision is an event with an audit entry
(data_access/storage/board_decisions.py), which checks the role again."""

import streamlit as st

from data_access.domain import permissions, signoff_rules, slide_layout
from data_access.domain.wording import long_date, plural
from data_access.reads import deck_plan, signoff_figures
from data_access.storage import board_decisions
from pages.ui import auth, cached_reads, deck, downloads, plain, present, routing
from pages.ui.html_tables import Column, show_table

EVIDENCE_FILE_TYPES = ["pdf", "docx", "xlsx", "png", "jpg", "jpeg"]  # checked again, from the bytes, when stored

view = routing.page_view()
engine = cached_reads.engine_or_stop()
slide = present.current_slide()


def decision_slide() -> None:
    """Presentation mode: this slide's share of the actions for sign-off or the date changes for
    approval (deck_plan's tables; the board decides on this page, not on the slide)."""
    signoff_list = slide.kind == slide_layout.SIGNOFF
    rows = deck.signoff(view) if signoff_list else deck.date_changes(view)
    columns = deck_plan.signoff_columns() if signoff_list else deck_plan.date_change_columns()
    st.title("For sign-off" if signoff_list else "Date changes for approval", anchor=False)
    st.caption(deck_plan.SIGNOFF_CAPTION if signoff_list else deck_plan.DATE_CHANGES_CAPTION)
    shown = rows.iloc[slide.start : slide.stop]
    span = f", {slide.start + 1}–{slide.stop} of {len(rows)}" if len(rows) > len(shown) else ""
    what = ("action", "awaiting sign-off") if signoff_list else ("date change", "for approval")
    show_table(
        shown,
        [Column(c.key, c.header, c.kind, width=c.width) for c in columns],
        caption=f"{plural(len(rows), what[0])} {what[1]}{span}",
        empty="none.",
    )


def page() -> None:
    """The page: the lists, and an editor's forms."""
    st.title("For sign-off")
    done = st.session_state.pop("sign_off_done", None)
    if done:
        st.success(plain.md(done))
    if view.review_id is None:
        st.info("This plan has no reviews yet.")
        st.stop()

    role = auth.current_role()
    can_decide = permissions.can(role, permissions.EDITOR)
    complete = cached_reads.query(signoff_figures.complete_actions, view.review_id)
    kept_files = cached_reads.query(signoff_figures.evidence_files_of, tuple(a.action_id for a in complete))

    def evidence_downloads(action) -> None:
        """The evidence files kept with the action's sign-offs, each a download (names shown as data)."""
        for f in (f for f in kept_files if f.action_id == action.action_id):
            downloads.evidence_file_button(f, key=f"sign_off_file_{f.file_id}")

    awaiting = [a for a in complete if a.completion == signoff_rules.AWAITING]
    signed = [a for a in complete if a.completion == signoff_rules.SIGNED]
    st.write(
        f"{plain.md(view.plan_name)}, review of {long_date(view.review_as_at)}: "
        f"{plural(len(awaiting), 'complete action')} awaiting sign-off, {len(signed)} signed off."
    )
    if not can_decide:
        st.caption(f"Only {permissions.WHO[permissions.EDITOR]} can sign off actions or approve date changes.")

    def decided(message: str) -> None:
        cached_reads.data_changed()
        st.session_state["sign_off_done"] = message
        st.rerun()

    def label(action) -> str:
        return plain.option(f"{action.key}: {action.description}")

    st.header("Complete, awaiting sign-off")
    if not awaiting:
        st.write("No complete action is awaiting sign-off.")
    current_rec = None
    for action in awaiting:
        if action.rec_ref != current_rec:
            current_rec = action.rec_ref
            st.subheader(plain.md(f"Recommendation {action.rec_ref}: {action.rec_text}"))
        evidence = action.evidence or "no evidence recorded in the tracker"
        st.markdown(plain.md(f"{action.key}: {action.description} — evidence: {evidence}"))
        evidence_downloads(action)

    if can_decide and awaiting:
        by_key = {a.key: a for a in awaiting}
        with st.form("sign_off"):
            chosen = st.multiselect("Actions to sign off", list(by_key), format_func=lambda k: label(by_key[k]))
            meeting = st.date_input("Meeting date", value=view.review_as_at, format="DD/MM/YYYY")
            evidence = st.text_area("Evidence the board saw", max_chars=4000)
            links = st.text_input("Links to the evidence", max_chars=2000)
            note = st.text_input("Note", max_chars=2000)
            files = st.file_uploader(
                "Evidence files (optional)",
                type=EVIDENCE_FILE_TYPES,
                accept_multiple_files=True,
                help="Small files the board saw: PDF, Word, Excel, PNG or JPEG, checked like uploads.",
            )
            if st.form_submit_button("Sign off"):
                try:
                    keys = board_decisions.sign_off(
                        engine, plan_name=view.plan_name, review_as_at=view.review_as_at, action_keys=chosen,
                        actor=auth.current_user(), source=signoff_rules.FROM_APP, meeting_date=meeting,
                        evidence=evidence, links=links, note=note, role=auth.current_role(),
                        files=[(f.name, f.getvalue()) for f in files or []],
                    )  # fmt: skip
                except board_decisions.DecisionRefused as refused:
                    st.error(plain.md(str(refused)))
                else:
                    decided(f"Signed off: {', '.join(keys)}.")
        with st.form("send_back"):
            back = st.selectbox("Action to send back", list(by_key), format_func=lambda k: label(by_key[k]))
            why = st.text_input("Why it goes back", max_chars=2000)
            if st.form_submit_button("Send back"):
                try:
                    board_decisions.sign_off(
                        engine, plan_name=view.plan_name, review_as_at=view.review_as_at, action_keys=[back],
                        actor=auth.current_user(), source=signoff_rules.FROM_APP, kind=signoff_rules.SENT_BACK,
                        note=why, role=auth.current_role(),
                    )  # fmt: skip
                except board_decisions.DecisionRefused as refused:
                    st.error(plain.md(str(refused)))
                else:
                    decided(f"Sent back: {back}.")

    if signed:
        st.header("Signed off")
        for action in signed:
            st.markdown(plain.md(f"{action.key}: {action.description}"))
            evidence_downloads(action)

    st.header("Date changes for approval")
    changes = cached_reads.query(signoff_figures.date_changes, view.plan_id)
    pending = [c for c in changes if c.state == signoff_rules.NOT_APPROVED]

    def change_text(c) -> str:
        moved = f"{c.action_key}: due {long_date(c.from_date)} → {long_date(c.to_date)}"
        return moved + (f" ({c.reason})" if c.reason else "")

    if not pending:
        st.write("No due date change is waiting for approval.")
    for change in pending:
        st.markdown(plain.md(f"{change_text(change)} — not approved"))
    if can_decide and pending:
        by_id = {c.change_id: c for c in pending}
        with st.form("date_change"):
            change_id = st.selectbox(
                "Date change", list(by_id), format_func=lambda i: plain.option(change_text(by_id[i]))
            )
            decision = st.radio("Decision", ["Approve", "Refuse"], horizontal=True)
            if st.form_submit_button("Record decision"):
                state = signoff_rules.APPROVED if decision == "Approve" else signoff_rules.REFUSED
                try:
                    board_decisions.decide_date_change(
                        engine, change_id=change_id, state=state, actor=auth.current_user(), role=auth.current_role()
                    )
                except board_decisions.DecisionRefused as refused:
                    st.error(plain.md(str(refused)))
                else:
                    decided(f"{change_text(by_id[change_id])}: {signoff_rules.STATE_WORDS[state]}.")
    decided_changes = [c for c in changes if c.state != signoff_rules.NOT_APPROVED]
    if decided_changes:
        st.subheader("Decided")
        for change in decided_changes:
            who = f" by {change.approved_by}" if change.approved_by else ""
            st.markdown(plain.md(f"{change_text(change)} — {signoff_rules.STATE_WORDS[change.state]}{who}"))


# Slide and page are functions, not st.stop() after a slide (pages/trends.py says why).
if slide is not None and slide.kind in (slide_layout.SIGNOFF, slide_layout.DATE_CHANGES):
    decision_slide()
else:
    page()
