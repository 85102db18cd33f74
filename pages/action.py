"""Action history (/action?action=<id>&plan=..): the action's full text, lead and measure of
success, and its history across every review as a timeline — status, due date (and when it
moved), progress note."""

import streamlit as st

from data_access.domain import signoff_rules
from data_access.domain.round_rules import NO_UPDATE
from data_access.domain.wording import due_text, overdue_now_text, plural
from data_access.reads import board, link_check, signoff_figures
from pages.ui import cached_reads, downloads, rag, routing, url_state
from pages.ui.html_tables import date_text, text
from pages.ui.plain import md

view = routing.page_view()
# The action is kept in the URL (?action=<id>) like every other part of the view; Streamlit's own
# navigation drops the query string, so the last action opened in this session is kept too.
url_id = url_state.whole_number("action")
raw_id = url_state.text("action") if url_state.is_new("action") else None
url_state.adopt("action", "action_shown", url_id, valid=url_id is not None)
action_id = st.session_state.get("action_shown")
detail = cached_reads.query(board.action_detail, action_id, view.plan_id) if action_id is not None else None
if raw_id is not None and (url_id is None or detail is None or url_id != action_id):
    detail = None  # the link named an action that is not there: say so, never show another one
notice = link_check.action_notice(raw_id, detail is not None, view.plan_name)
if detail is not None:
    url_state.publish({"action": str(action_id)})

if detail is None:
    st.title("Action history", anchor=False)
    if notice:
        st.warning(md(notice), icon=":material/link_off:")
    st.info("Choose an action from a list (Overdue actions, All actions or a recommendation) to see its history.")
    st.page_link(
        "pages/actions.py", label="All actions", icon=":material/table_rows:", query_params=view.query_params()
    )
    st.stop()

st.title(md(f"Action {detail.key}"), anchor=False)
st.html(
    f'<p style="font-size:1.25rem;margin:0 0 .5rem 0">{text(detail.description)}</p>'
    f"<dl class='action-facts' style='display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem'>"
    f"<dt><strong>Recommendation</strong></dt><dd style='margin:0'>{text(detail.rec_ref)}: {text(detail.rec_text)}</dd>"
    f"<dt><strong>Lead</strong></dt><dd style='margin:0'>{text(detail.lead) or 'No lead named'}</dd>"
    + (f"<dt><strong>Partner</strong></dt><dd style='margin:0'>{text(detail.partner)}</dd>" if detail.partner else "")
    + f"<dt><strong>Measure of success</strong></dt><dd style='margin:0'>{text(detail.measure) or 'None given'}</dd>"
    "</dl>"
)
st.page_link(
    "pages/recommendations.py",
    label=md(f"Recommendation {detail.rec_ref}"),
    icon=":material/arrow_back:",
    query_params={**view.query_params(), "rec": detail.rec_ref},
)

history = cached_reads.query(board.action_history, action_id, view.as_of, view.baseline)


st.subheader(f"History across {plural(len(history), 'review')}", anchor=False)
if not history.empty:
    st.markdown(md(overdue_now_text(history.iloc[-1], view.as_of, view.baseline)))
items = []
for row in history.itertuples():
    due = text("Due: " + due_text(row.due_date, row.revised_due_date, row.due_raw))
    moved = ""
    if row.due_moved:
        moved = (
            f" <strong>— moved from {date_text(row.previous_due)}</strong>"
            if row.previous_due
            else " <strong>— first dated in this review</strong>"
        )
    overdue = " <strong>Overdue at this review.</strong>" if row.overdue_then else ""
    items.append(
        f"<li style='margin-bottom:1rem'><h4 style='margin:0'>{text(row.label)} "
        f"<span style='font-weight:400'>(as at {date_text(row.as_at)})</span></h4>"
        f"<div>{rag.chip(row.status)}{overdue}</div>"
        f"<div>{due}{moved}</div>"
        f"<div>Progress: {text(row.progress) or '<em>No update given</em>'}</div>"
        + (f"<div>Mitigation: {text(row.mitigation)}</div>" if row.mitigation else "")
        + (f"<div>What we need from the board: {text(row.board_ask)}</div>" if row.board_ask else "")
        + (
            f"<div><strong>{text(NO_UPDATE.capitalize())}</strong>: carried forward from the previous review</div>"
            if row.no_update
            else ""
        )
        + "</li>"
    )
st.html(
    "<ol class='timeline' style='list-style:none;padding-left:1rem;border-left:4px solid #505a5f'>"
    + "".join(items)
    + "</ol>"
    if items
    else "<p>This action is not in any current review.</p>"
)

# The board's decisions on this action (issue 25): every sign-off event and date change, never overwritten.
decided = cached_reads.query(signoff_figures.action_decisions, action_id)
kept_files = cached_reads.query(signoff_figures.evidence_files, action_id)


def evidence_downloads(event_id: int) -> None:
    """The evidence files kept with one sign-off, each a download (its name shown as data)."""
    for f in (f for f in kept_files if f.signoff_event_id == event_id):
        downloads.evidence_file_button(f, key=f"evidence_file_{f.file_id}")


if decided:
    st.subheader("The board's decisions", anchor=False)
    for d in decided:
        if d.what == "date change":
            line = f"Due date {date_text(d.from_date)} → {date_text(d.to_date)}: {signoff_rules.STATE_WORDS[d.state]}"
        else:
            line = {"signed_off": "Signed off", "sent_back": "Sent back", "undone": "Sign-off undone"}[d.what]
            line += f" (meeting of {date_text(d.meeting_date)})" if d.meeting_date else ""
        line += f", recorded by {d.recorded_by} ({signoff_rules.SOURCE_WORDS.get(d.source, d.source)})"
        line += f"; evidence: {d.evidence}" if d.evidence else ""
        line += f"; {d.note}" if d.note else ""
        st.markdown("- " + md(line))
        if d.what != "date change":
            evidence_downloads(d.order)
