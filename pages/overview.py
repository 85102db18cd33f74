"""Overview: the board's first screen — headline figures with their change since the previous
review, RAG by recommendation, and what changed since the last review. Every figure links to the
actions behind it. In presentation mode it draws its slides: the figures beside RAG by
recommendation (continued over further slides for a long plan), then Since the last review."""

from contextlib import nullcontext

import streamlit as st

from data_access.domain import movement_rules, slide_layout
from data_access.domain.rules import RED, STATUS_STYLE, STATUSES, status_text
from data_access.domain.wording import (
    POINTS,
    change_text,
    long_date,
    overdue_comparison_rule,
    percent_text,
    plural,
    short_date,
)
from data_access.reads import board, measures, movements, review_summary, signoff_figures
from pages.ui import cached_reads, deck, downloads, present, rag, routing
from pages.ui.html_tables import CSS, Column, folded, show_table, text
from pages.ui.plain import md

view = routing.page_view()
slide = present.current_slide()
if view.review_id is None:
    st.title(md(view.plan_name or "Improvement Board"), anchor=False)
    st.info("This plan has no reviews yet. Upload a tracker on the Upload page.")
    st.stop()

change = cached_reads.query(board.kpi_change, view.review_id, view.as_of, view.previous_review_id, view.baseline)
kpis = change.current
comparison_rule = overdue_comparison_rule(view.as_of, view.review_as_at)
since = (
    f"since the previous review (overdue then counted as at {short_date(change.previous_as_of)})"
    if change.previous_as_of
    else "no previous review"
)

# Plain words for the chart members read ('RAG', red-amber-green, is officers' shorthand).
STATUS_HEADING = "Status by recommendation"

# figure -> (unit, which way is better: +1 up, -1 down, 0 neither)
FIGURES = {"actions": ("", 0), "pct_complete": (POINTS, 1), "red": ("", -1), "overdue": ("", -1)}


def tile(figure: str, label: str, value, help_text: str) -> None:
    """A headline figure with its change: 'no change' neutral, better and worse in their colours
    (and, in high contrast, in HIGH_CONTRAST's better/worse colours via the container's key)."""
    unit, better = FIGURES[figure]
    delta = change.delta(figure)
    way = "same" if not delta or not better else "better" if delta * better > 0 else "worse"
    # The keyed container is for the high-contrast presentation's colours (pages/ui/present.py);
    # on the page it would be one more element per tile (issue 27).
    with st.container(key=f"kpi_{way}_{figure}") if view.present else nullcontext():
        st.metric(
            md(label),
            value,
            change_text(delta, unit) or None,
            delta_color={"same": "gray", "better": "green", "worse": "red"}[way],
            delta_arrow="off" if not delta else "up" if delta > 0 else "down",  # change_text writes '−', not '-'
            border=True,
            help=help_text,
        )


def tiles(area) -> None:
    """The four headline figures, each with a link to the actions behind it."""
    with area:
        cells = [c for row in (st.columns(2), st.columns(2)) for c in row] if view.present else st.columns(4)
    with cells[0]:
        tile("actions", "Actions", kpis.actions, f"All actions in {md(view.review_label)}; change {since}.")
        st.page_link(
            "pages/actions.py",
            label="All actions",
            icon=":material/table_rows:",
            query_params={**view.query_params(), "rec": "", "status": ""},
        )
    with cells[1]:
        tile(
            "pct_complete",
            "Complete",
            percent_text(kpis.pct_complete),
            f"{kpis.complete} of {kpis.actions} actions complete; change in percentage points {since}.",
        )
        st.page_link(
            "pages/actions.py",
            label=plural(kpis.complete, "complete action"),
            icon=":material/task_alt:",
            query_params={**view.query_params(), "status": "complete"},
        )
    with cells[2]:
        tile(
            "red",
            f"{STATUS_STYLE[RED].symbol} Red",
            kpis.red,
            f"Actions with status red (off track); a fall is good. Change {since}.",
        )
        st.page_link(
            "pages/actions.py",
            label=plural(kpis.red, "red action"),
            icon=":material/error:",
            query_params={**view.query_params(), "status": "red"},
        )
    with cells[3]:
        tile(
            "overdue",
            "Overdue",
            kpis.overdue,
            f"Not complete and due before {short_date(view.as_of)}; a fall is good. Change {since}. " + comparison_rule,
        )
        st.page_link(
            "pages/overdue.py",
            label=plural(kpis.overdue, "overdue action"),
            icon=":material/schedule:",
            query_params={**view.query_params(), "rec": ""},
        )


def figures_caption() -> str:
    return md(
        f"Review {view.review_label}, position as at {long_date(view.review_as_at)}. "
        f"Overdue counted as at {long_date(view.as_of)}."
    )


def measures_figure() -> None:
    """Measures of success at target as at this review (reads/measures.py), with the change since
    the previous review, in words; nothing when the plan has no measures."""
    figure = cached_reads.query(measures.at_target_figure, view.plan_id, view.review_as_at, view.previous_review_id)
    if figure is None:
        return
    moved = f" ({change_text(figure.change)} since the previous review)" if figure.change is not None else ""
    with st.container(key="measures_at_target"):
        st.markdown(f"**{figure.text}**{moved}")
        st.page_link(
            "pages/recommendations.py",
            label="Measures by recommendation",
            icon=":material/monitoring:",
            query_params={**view.query_params(), "rec": ""},
        )


# --- presentation slides ----------------------------------------------------------------------------


def overview_slide() -> None:
    """The headline figures beside RAG by recommendation (this slide's share of them)."""
    st.title(md(view.plan_name), anchor=False)
    st.caption(figures_caption())
    left, right = st.columns([2, 3], gap="medium")
    tiles(left)
    by_rec = cached_reads.query(board.recommendation_summary, view.review_id, view.as_of, view.baseline)
    part = by_rec.iloc[slide.start : slide.stop]
    right.markdown(f"**{STATUS_HEADING}** ({slide.start + 1}–{slide.stop} of {len(by_rec)})")
    # A static chart: a Plotly one cost Chromium a full draw on every step onto this slide (issue 27).
    right.html(rag.slide_chart(rag.RAG_BY_RECOMMENDATION, part, view.plan_name, dark=present.high_contrast()))


def changes_slide() -> None:
    """What moved since the previous review (this slide's rows; the paragraph on the first)."""
    st.title("Since the last review", anchor=False)
    moves = cached_reads.query(movements.transitions, view.previous_review_id, view.review_id)
    st.caption(md(deck.changes_caption(view, moves)))
    if slide.start == 0:
        summary = cached_reads.query(
            review_summary.since_last_review_summary, view.plan_id, view.previous_review_id, view.review_id
        )
        st.html(f'<p class="slide-text">{text(summary)}</p>')
    rows = deck.changes(view)
    show_table(
        rows.iloc[slide.start : slide.stop],
        deck.change_columns(view),
        caption=f"What moved since {moves.from_review.label} (rows {slide.start + 1}–{slide.stop} of {len(rows)})",
        empty="no action completed, improved, slipped, became overdue or had its due date moved later.",
    )


def rag_table(by_rec) -> None:
    """RAG by recommendation as a table (the chart's text alternative), every count a link."""
    table = by_rec.copy()
    for status in STATUSES:
        table[status] = table[status].astype(str)
    show_table(
        table,
        [
            Column("ref", "Recommendation", link=lambda r: view.link("actions", rec=r["ref"], status="")),
            *(
                Column(
                    s,
                    status_text(s),
                    kind="number",
                    link=lambda r, s=s: view.link("actions", rec=r["ref"], status=s) if r[s] != "0" else None,
                )
                for s in STATUSES
            ),
            Column("total", "Total", kind="number"),
            Column(
                "overdue",
                "Overdue",
                kind="number",
                link=lambda r: view.link("overdue", rec=r["ref"]) if r["overdue"] else None,
            ),
        ],
        caption=f"Actions by status and recommendation, {view.review_label}",
    )


# --- the page ---------------------------------------------------------------------------------------


def page() -> None:
    st.title(md(view.plan_name or "Improvement Board"), anchor=False)
    st.caption(figures_caption() + " Figures are for the whole plan; the filters apply to the lists.")
    tiles(st.container(key="kpi_tiles"))
    if change.previous is not None:
        st.caption(md(comparison_rule))
    measures_figure()
    # The board's decisions (issue 25; pages/sign_off.py): awaiting sign-off, dates moved without approval.
    decided = cached_reads.query(
        signoff_figures.overview_figures, view.plan_id, view.review_id, view.previous_review_id
    )
    for cell, (label, value, before) in zip(
        st.columns(2),
        (
            ("Awaiting sign-off", decided.awaiting, decided.previous_awaiting),
            ("Dates moved without approval", decided.not_approved, decided.previous_not_approved),
        ),
        strict=True,
    ):
        delta = None if before is None else value - before
        cell.metric(label, value, change_text(delta, "") or None, delta_color="off", border=True)
    st.page_link("pages/sign_off.py", label="For sign-off", query_params=view.query_params())  # both figures' page

    by_rec = cached_reads.query(board.recommendation_summary, view.review_id, view.as_of, view.baseline)
    st.subheader(STATUS_HEADING, anchor=False)
    # HTML bars, not a Plotly chart Chromium draws on every switch to this page (issue 27).
    st.html(
        deck.recommendation_bars(
            view,
            f"{STATUS_HEADING}, {view.review_label}: each segment opens its actions",
            "Click a bar segment to list its actions (hover for its count), or use “Show as table”.",
        )
    )
    downloads.chart_buttons("rag_by_recommendation", by_rec, view.plan_name, key="rag_img")
    # The chart's table is drawn only while its expander is open (html_tables.folded; issue 27).
    folded("Show as table", "overview_rag_table", lambda: rag_table(by_rec))

    # --- since the last review ----------------------------------------------------------------------

    st.subheader("Since the last review", anchor=False)
    if view.previous_review_id is None:
        st.info("This is the plan's first review, so there is nothing to compare with yet.")
    else:
        summary, table = deck.since_last_review(view)
        st.markdown(summary)
        st.html(CSS + table)
        st.caption(movement_rules.MOVEMENT_RULES)
    downloads.paper_buttons(view)


# Slides and page are functions, not st.stop(): a run stopped inside a page confuses AppTest's
# next switch_page (it runs the page file without app.py).
if slide is not None and slide.kind == slide_layout.OVERVIEW:
    overview_slide()
elif slide is not None and slide.kind == slide_layout.CHANGES:
    changes_slide()
else:
    page()
