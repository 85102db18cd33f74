"""Board pack (/board-pack): the meeting's papers for the sidebar's plan, review and "overdue as at"
date, compared with a chosen earlier review, in a chosen format — with a preview of the board
pack's first pages. Thin: data_access.papers makes every file (the same code as the command line).
"""

import streamlit as st

from data_access import papers
from data_access.domain import slide_layout
from data_access.domain.wording import judged_note, long_date, plural
from data_access.papers import formats
from data_access.reads import review_lookup
from pages.ui import auth, cached_reads, deck, downloads, present, routing
from pages.ui.html_tables import show_table
from pages.ui.plain import md

view = routing.page_view()
slide = present.current_slide()


def exception_slide() -> None:
    """Presentation mode on this page: this slide's share of the exception report."""
    rows = deck.exception_rows(view)
    st.title(slide_layout.EXCEPTIONS_TITLE, anchor=False)
    st.caption(md(deck.exception_caption(view)))
    shown = rows.iloc[slide.start : slide.stop]
    span = f", {slide.start + 1}–{slide.stop} of {len(rows)}" if len(rows) > len(shown) else ""
    show_table(
        shown,
        deck.exception_columns(),
        caption=f"{plural(len(rows), 'action')} for the board{span}",
        empty="no action is red or amber and no due date was moved without approval.",
    )


if slide is not None and slide.kind == slide_layout.EXCEPTIONS:
    exception_slide()
    st.stop()

st.title("Board pack")
if view.plan_id is None or view.review_id is None:
    st.info("There is no plan with a review yet. Upload a tracker on the Upload page.")
    st.stop()

reviews = cached_reads.query(review_lookup.current_reviews, view.plan_id)
earlier = [r for r in reviews if r.as_at < view.review_as_at]
st.caption(
    f"{md(view.plan_name)}: review {md(view.review_label)}, position as at {long_date(view.review_as_at)}; "
    f"overdue counted as at {long_date(view.as_of)}. Choose the plan, the review and the 'overdue as at' date "
    "(usually the meeting date) in the sidebar." + judged_note(view.baseline)
)

left, right = st.columns(2)
compare_options = [r.id for r in reversed(earlier)]  # the review before first
titles = {r.id: r.title for r in earlier}
if st.session_state.get("pack_compare") not in compare_options:  # first visit, or another plan or review
    st.session_state["pack_compare"] = compare_options[0] if compare_options else None
compare_id = left.selectbox(
    "Compare with",
    compare_options,
    format_func=titles.get,
    key="pack_compare",
    disabled=not compare_options,
    placeholder="Nothing: this is the plan's first review",
    help="The earlier review the changes are measured from (default: the review before).",
)
offered = formats.offered_to(auth.current_role())
fmt = right.radio(
    "Format",
    [f.key for f in offered],
    format_func=lambda key: formats.REGISTRY[key].label,
    key="pack_format",
    help=" ".join(f"{f.label}: {f.description}" for f in offered),
)
request = papers.PaperRequest(fmt, view.plan_id, view.review_id, view.as_of, compare_id, view.baseline)
downloads.paper_button(
    request,
    f"Download: {formats.REGISTRY[fmt].label}",
    papers.filename(fmt, view.plan_name, view.review_as_at),
    key="pack_download",
)
st.caption("Every paper generated is recorded in the audit trail.")
st.page_link(
    "pages/board-pack.py",
    label="Present the exception report (slides)",
    icon=":material/slideshow:",
    query_params={**view.query_params(), "present": "1"},
    help="Only the red and amber actions and the dates moved without approval, on the projector.",
)

st.subheader("Preview: the board pack's first pages")
try:
    pages = cached_reads.query(
        papers.preview_pages, view.plan_id, view.review_id, view.as_of, compare_id, 3, view.baseline
    )
except papers.PaperError as problem:
    st.error(str(problem))
    st.stop()
captions = [f"Page {n} of the board pack (preview)" for n in range(1, len(pages) + 1)]
st.image(pages, caption=captions, alt=captions, width=700)
if fmt != "pdf":
    chosen = formats.REGISTRY[fmt]
    st.caption(f"The preview is the board pack (PDF), with the same figures. {chosen.label}: {chosen.description}")
