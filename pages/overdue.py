"""Overdue actions by recommendation: each with lead, due date (and the tracker's own timescale
text), days overdue, status and latest update; totals per recommendation and per lead; and the
"green but overdue" challenge list. The sort and the grouping are kept in the link (sort=, group=).
In presentation mode: the overdue list, then the challenge list, over as many slides as they need."""

import streamlit as st

from data_access.domain import slide_layout
from data_access.domain.rules import GREEN, status_text
from data_access.domain.wording import describe_filters, overdue_rule, plural, short_text
from data_access.reads import board
from pages.ui import cached_reads, deck, present, routing, url_state
from pages.ui.html_tables import Column, show_table
from pages.ui.plain import md

view = routing.page_view()
slide = present.current_slide()
if view.review_id is None:
    st.title("Overdue actions", anchor=False)
    st.info("This plan has no reviews yet.")
    st.stop()

CHALLENGE_TITLE = f"Challenge: reported {status_text(GREEN)} but overdue"

# --- presentation slides ----------------------------------------------------------------------------


def overdue_slide() -> None:
    """This slide's share of the overdue list or the challenge list."""
    overdue_list = slide.kind == slide_layout.OVERDUE
    rows = deck.overdue(view) if overdue_list else deck.challenge(view)
    st.title("Overdue actions" if overdue_list else CHALLENGE_TITLE, anchor=False)
    st.caption(md(deck.overdue_caption(view, not overdue_list)))
    shown = rows.iloc[slide.start : slide.stop]
    span = f", {slide.start + 1}–{slide.stop} of {len(rows)}" if len(rows) > len(shown) else ""
    show_table(
        shown,
        deck.overdue_columns(view),
        caption=f"{plural(len(rows), 'overdue action')}{span}"
        if overdue_list
        else f"Green but overdue: {len(rows)}{span}",
        empty="no overdue actions." if overdue_list else "no green action is overdue.",
    )


# --- the page ---------------------------------------------------------------------------------------


def page() -> None:
    st.title("Overdue actions", anchor=False)
    filters = describe_filters(view.rec, view.lead, view.statuses, view.partner)
    st.caption(md(f"{view.plan_name}: review {view.review_label}. {overdue_rule(view.as_of, view.baseline)}"))
    if filters:
        st.caption(md(f"Filtered to {filters}."))

    # The sort and grouping are part of the view: kept in the link like the sidebar's controls.
    url_sort = url_state.text("sort")
    url_state.adopt("sort", "overdue_sort", url_sort, valid=url_sort in board.OVERDUE_SORTS, default="plan",
                    still_valid=lambda v: v in board.OVERDUE_SORTS)  # fmt: skip
    url_state.adopt("group", "overdue_grouped", url_state.text("group") != "none", valid=True, default=True,
                    still_valid=lambda v: isinstance(v, bool))  # fmt: skip
    left, right = st.columns([2, 1])
    sort = left.radio(
        "Sort actions by",
        list(board.OVERDUE_SORTS),
        format_func=lambda k: board.OVERDUE_SORTS[k][0],
        horizontal=True,
        key="overdue_sort",
    )
    grouped = right.toggle("Group by recommendation", key="overdue_grouped")
    url_state.publish({"sort": None if sort == "plan" else sort, "group": None if grouped else "none"})

    overdue = board.sort_overdue(
        cached_reads.query(
            board.overdue_actions,
            view.review_id,
            view.as_of,
            view.rec,
            view.lead,
            view.statuses,
            view.partner,
            view.baseline,
        ),
        sort,
    )
    st.metric("Overdue actions", len(overdue))
    columns = deck.overdue_columns(view, slide=False)[1:]  # the page groups by recommendation instead

    if overdue.empty:
        st.success("No overdue actions" + (md(f" for {filters}.") if filters else "."))
    elif grouped:
        totals = board.overdue_by_recommendation(overdue)
        texts = overdue.drop_duplicates("rec_ref").set_index("rec_ref")["rec_text"]
        for rec in totals.itertuples():
            st.subheader(md(f"Recommendation {rec.rec_ref}: {rec.overdue} overdue"), anchor=False)
            st.caption(md(short_text(texts[rec.rec_ref], 400)))
            show_table(
                overdue[overdue["rec_ref"] == rec.rec_ref],
                columns,
                caption=f"Overdue actions for recommendation {rec.rec_ref}",
            )
    else:
        show_table(overdue, deck.overdue_columns(view, slide=False), caption="Overdue actions")

    if not overdue.empty:
        st.subheader("Totals", anchor=False)
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

    st.subheader(CHALLENGE_TITLE, anchor=False)
    challenge = cached_reads.query(
        board.green_but_overdue, view.review_id, view.as_of, view.rec, view.lead, view.partner, view.baseline
    )
    st.caption(deck.CHALLENGE_WHY)
    show_table(
        challenge,
        deck.overdue_columns(view, slide=False),
        caption="Green but overdue",
        empty="no green action is overdue.",
    )


if slide is not None and slide.kind in (slide_layout.OVERDUE, slide_layout.CHALLENGE):
    overdue_slide()
else:
    page()
