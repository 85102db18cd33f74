"""Trends (/trends?section=<part>&from=<review id>&to=<review id>), one part at a time in tabs:
status mix and overdue per review over time, each measure of success over time against its target
(with its values as a table), the board's decisions per review, the comparison of two reviews
(the "since" summary, direction of travel per recommendation, the movements: matrix, Sankey and
the actions behind every cell; progress notes not updated) and the completion forecast.
Thin: every figure comes from data_access.reads (review_lookup, status_mix, movements,
review_summary, completion_forecast, stale_notes, measures). In presentation mode it draws the
status mix, direction of travel and "Measures of success" slides."""

from __future__ import annotations

import dataclasses

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from data_access.domain import measure_rules, movement_rules, slide_layout
from data_access.domain.rules import STATUS_STYLE, STATUSES, hex_to_rgb, overdue_lag_days, status_text
from data_access.domain.wording import (
    OVERDUE_COUNTED_AT,
    judged_note,
    long_date,
    overdue_comparison_rule,
    percent_text,
    short_date,
)
from data_access.reads import (
    completion_forecast,
    measures,
    movements,
    review_lookup,
    review_summary,
    signoff_figures,
    stale_notes,
    status_mix,
)
from pages.ui import cached_reads, deck, downloads, present, rag, routing, url_state
from pages.ui.html_tables import Column, folded, show_table
from pages.ui.plain import chart, md, option

view = routing.page_view()
slide = present.current_slide()
st.title("Trends" if slide is None else slide.title, anchor=False)
if view.plan_id is None:
    st.info("No action plans yet. Upload a tracker on the Upload page.")
    st.stop()

FONT = 26 if view.present else 16
DARK = view.present and present.high_contrast()
INK = "#ffffff" if DARK else "#0b0c0c"
TEMPLATE = rag.register_template(FONT, dark=DARK)
CHART_CONFIG = {"displayModeBar": False}

reviews = cached_reads.query(review_lookup.current_reviews, view.plan_id)
if not reviews:
    st.info("This plan has no reviews yet. Upload a tracker on the Upload page.")
    st.stop()


def _short(review: review_lookup.ReviewRef) -> str:
    return f"{review.label} ({short_date(review.as_at)})"


# The sidebar's recommendation, lead and partner filters apply to the lists, not the totals.
partner_ids = set(deck.filtered_actions(view)["action_id"]) if view.partner and view.review_id else None


def _keep(ref: movements.ActionRef) -> bool:
    return (
        (not view.rec or ref.rec_ref == view.rec)
        and (not view.lead or ref.lead == view.lead)
        and (partner_ids is None or ref.action_id in partner_ids)
    )


def _action_link(row: pd.Series) -> str:
    return view.link("action", action=int(row["action_id"]))


def _refs_frame(refs: list[movements.ActionRef]) -> pd.DataFrame:
    rows = [r._asdict() for r in refs if _keep(r)]
    return pd.DataFrame(rows, columns=list(movements.ActionRef._fields))


ACTION_COLUMNS = [
    Column("key", "Action", link=_action_link),
    Column("rec_ref", "Rec"),
    Column("description", "What will be done"),
    Column("lead", "Lead"),
    Column("from_status", "Was", kind="status"),
    Column("to_status", "Now", kind="status"),
    Column("to_due", "Due", kind="date"),
]

# --- status mix and overdue per review ---------------------------------------------------------

# One rule with the overview's change in overdue (rules.overdue_lag_days): each review's overdue is
# counted as many days after its own date as the sidebar's 'Overdue as at' is after the review shown.
lag = overdue_lag_days(view.as_of, view.review_as_at) if view.review_as_at else 0
mix = cached_reads.query(status_mix.status_mix, view.plan_id, lag, view.baseline)
comparison_rule = overdue_comparison_rule(view.as_of, view.review_as_at or view.as_of) + judged_note(view.baseline)
labels = {r.id: rag.review_label(r.label, short_date(r.as_at)) for r in reviews}
mix["review"] = [labels[int(i)] for i in mix["review_id"]]
overdue_words = " · ".join(f"{row.label} {row.overdue}" for row in mix.itertuples())
# A slide's caption (the page's own headings are in its sections, below).
if slide is not None and slide.kind == slide_layout.DIRECTION:
    st.caption(md(deck.direction_caption(view)))
elif slide is not None and slide.kind == slide_layout.MEASURES:
    st.caption(md(deck.measures_caption(view, deck.measures(view))))
elif slide is not None:
    st.caption(md(f"{view.plan_name}. Overdue: {overdue_words}. {comparison_rule}"))


def direction_slide() -> None:
    """This slide's share of the direction of travel since the previous review."""
    travel = deck.direction(view)
    shown = travel.iloc[slide.start : slide.stop]
    span = f", {slide.start + 1}–{slide.stop} of {len(travel)}" if len(travel) > len(shown) else ""
    show_table(shown, deck.direction_columns(view), caption=f"Direction of travel since the previous review{span}")


def measures_slide() -> None:
    """This slide's share of the measures of success: each one's latest value, its target and Met /
    Not met / No data in words (never colour alone)."""
    rows = deck.measures(view)
    shown = rows.iloc[slide.start : slide.stop]
    span = f", {slide.start + 1}–{slide.stop} of {len(rows)}" if len(rows) > len(shown) else ""
    show_table(shown, deck.measure_columns(view), caption=f"Measures of success at {view.review_label}{span}")


def mix_slide() -> None:
    """The status mix slide: the chart beside its figures. A segment too thin for its count on a
    projector (Plotly hides it rather than overprint its neighbours) still has its count here."""
    chart_side, table_side = st.columns([3, 2], vertical_alignment="center")
    with chart_side:
        st.html(rag.slide_chart(rag.STATUS_MIX, mix, view.plan_name, dark=DARK))  # static (issue 27)
    with table_side:
        figures = mix.copy()
        figures["review"] = [r.label for r in reviews]
        show_table(
            figures,
            [
                Column("review", "Review", width=0.3),
                *(
                    Column(s, f"{STATUS_STYLE[s].symbol} {STATUS_STYLE[s].letter}", kind="number", width=0.11)
                    for s in STATUSES
                ),
                Column("actions", "Total", kind="number", width=0.15),
            ],
            caption="Actions by status: "
            + ", ".join(f"{STATUS_STYLE[s].symbol} {STATUS_STYLE[s].letter} {STATUS_STYLE[s].label}" for s in STATUSES),
        )


def status_mix_section() -> None:
    """The status mix chart and the table of status, % complete and overdue at each review."""
    st.subheader("Status mix at each review", anchor=False)
    st.caption("Each review as it stood on its own date, with its % complete. " + md(comparison_rule))
    # HTML bars (rag.status_bars, as the overview's): a Plotly chart here was half of a switch to
    # Trends in Chromium (issue 27). Each segment opens that review's actions of that status; the
    # figures are the whole plan's, so the link carries no recommendation, lead or partner filter.
    whole_plan = dataclasses.replace(view, rec=None, lead=None, partner=None, statuses=())
    # A review's row names it with its date (unique among a plan's current reviews).
    names = [f"{row.label} ({short_date(row.as_at)})" for row in mix.itertuples()]
    review_of = dict(zip(names, mix["review_id"].astype(int), strict=True))
    rows = pd.DataFrame(
        {
            "ref": names,
            "text": [f"{percent_text(p)} complete" for p in mix["pct_complete"]],
            **{s: mix[s].tolist() for s in STATUSES},
        }
    )
    st.html(
        rag.status_bars(
            rows,
            lambda label, status: whole_plan.link("actions", review=review_of[label], status=status),
            f"Status mix at each review, {view.plan_name}: each segment opens its actions",
            "Click a bar segment to list that review's actions of that status (hover for its count).",
        )
    )
    downloads.chart_buttons("status_mix", mix, view.plan_name, key="mix_img")
    per_review_table(
        mix.assign(pct=mix["pct_complete"].map(percent_text)),
        [
            *(Column(s, status_text(s), kind="number") for s in STATUSES),
            Column("actions", "Total", kind="number"),
            Column("pct", "Complete", kind="number"),
        ],
        "Actions by status at each review",
    )


def per_review_table(frame: pd.DataFrame, columns: list[Column], caption: str) -> None:
    """A table of one row per review (`frame`: a row per review, as status_mix gives): the review,
    `columns`, then overdue and the date it was counted at."""
    show_table(
        frame.assign(review=[_short(r) for r in reviews]),
        [
            Column("review", "Review"),
            *columns,
            Column("overdue", "Overdue", kind="number"),
            Column("overdue_as_of", OVERDUE_COUNTED_AT, kind="date"),
        ],
        caption=caption,
    )


def overdue_section() -> None:
    """Overdue at each review, counted by the overview's rule (its figures are also in the status
    mix's table)."""
    st.subheader("Overdue actions at each review", anchor=False)
    st.caption(md(comparison_rule))
    overdue_fig = go.Figure(
        go.Scatter(
            # One-line labels (the date is in the hover and the table): two-line ones collide on a phone.
            x=[chart(r.label) for r in reviews],
            y=mix["overdue"],
            customdata=[chart(f"counted as at {short_date(d)}") for d in mix["overdue_as_of"]],
            mode="lines+markers+text",
            text=mix["overdue"].astype(str),
            textposition="top center",
            line=dict(color=INK, width=3),
            marker=dict(size=FONT // 2, symbol="diamond"),
            hovertemplate="%{x}: %{y} overdue, %{customdata}<extra></extra>",
            name="Overdue",
        )
    )
    rag.use_template(overdue_fig, TEMPLATE)
    overdue_fig.update_layout(title="Overdue actions at each review", height=340, showlegend=False)
    overdue_fig.update_xaxes(type="category", automargin=True)
    overdue_fig.update_yaxes(rangemode="tozero", tickformat="d", range=[0, max(1, int(mix["overdue"].max())) * 1.3])
    st.plotly_chart(overdue_fig, width="stretch", theme=None, key="trend_overdue", config=CHART_CONFIG)
    downloads.chart_buttons("overdue_per_review", mix, view.plan_name, key="od_img")
    per_review_table(mix, [], "Overdue actions at each review")


def decisions_section() -> None:
    """The board's decisions at each review (issue 25): sign-offs, re-openings, date changes."""
    st.subheader("The board's decisions at each review", anchor=False)
    per_review = cached_reads.query(signoff_figures.decisions_per_review, view.plan_id)
    per_review["review"] = [_short(r) for r in reviews]
    show_table(
        per_review,
        [
            Column("review", "Review"),
            Column("signed_off", "Actions signed off", kind="number"),
            Column("reopened", "Re-opened after sign-off", kind="number"),
            Column("date_changes", "Due date changes", kind="number"),
            Column("not_approved", "Of which not approved", kind="number"),
        ],
        caption="Sign-offs, re-openings and due date changes recorded with each review",
    )
    st.caption(
        "Signed off: by the tracker, the app or the command line. Re-opened: a signed-off action that a "
        "later tracker no longer says is complete. Due date changes: first recorded with the review "
        "(from the tracker, or a due date moved later since the previous review); not approved as they stand now."
    )


def compared_reviews() -> tuple[int, int] | None:
    """The two reviews to compare, chosen above the comparison and kept in the URL as from / to
    (None when the same review is chosen twice)."""
    ids = [r.id for r in reviews]
    by_id = {r.id: r for r in reviews}
    for name, default in (("from", ids[-2]), ("to", ids[-1])):
        chosen = url_state.whole_number(name)
        url_state.adopt(
            name, f"trends_{name}", chosen, valid=chosen in ids, default=default, still_valid=lambda v: v in ids
        )

    left, right = st.columns(2)
    from_id = left.selectbox(
        "Compare from",
        ids,
        format_func=lambda i: option(_short(by_id[i])),
        key="trends_from",
        help="The earlier review (default: the one before the latest).",
    )
    to_id = right.selectbox(
        "Compare to",
        ids,
        format_func=lambda i: option(_short(by_id[i])),
        key="trends_to",
        help="The later review (default: the latest).",
    )
    url_state.publish({"from": str(from_id), "to": str(to_id)})
    if from_id == to_id:
        st.warning("Choose two different reviews to compare.")
        return None
    if ids.index(from_id) > ids.index(to_id):
        st.info("The 'from' review is later than the 'to' review, so they are compared the other way round.")
        from_id, to_id = to_id, from_id
    return from_id, to_id


def comparison_section(from_id: int, to_id: int) -> movements.Transitions:
    """The heading of the comparison, its papers and the "since the last review" paragraph."""
    moves = cached_reads.query(movements.transitions, from_id, to_id)
    summary = cached_reads.query(review_summary.since_last_review_summary, view.plan_id, from_id, to_id)

    st.subheader(md(f"From {_short(moves.from_review)} to {_short(moves.to_review)}"), anchor=False)
    downloads.paper_buttons(view, to_id, from_id, key="trend_papers")
    st.markdown(md(summary))
    st.caption("Copy for the board report:")
    st.code(summary, language=None, wrap_lines=True)
    return moves


def direction_section(moves: movements.Transitions) -> None:
    st.subheader("Direction of travel by recommendation", anchor=False)
    direction_rows = deck.direction_between(moves.from_review.id, moves.to_review.id)
    show_table(
        direction_rows,
        [
            Column(
                "recommendation_html",
                "Recommendation",
                kind="html",
                link=lambda r: view.link("recommendations", rec=r["ref"]),
            ),
            Column("direction", "Direction"),
            Column("better", "Moved better", kind="number"),
            Column("worse", "Moved worse", kind="number"),
            Column("compared", "In both reviews", kind="number"),
            Column("added", "Added", kind="number"),
            Column("dropped", "Dropped", kind="number"),
            Column("complete", "Complete (from → to)"),
        ],
        caption=f"Direction of travel, {moves.from_review.label} to {moves.to_review.label}",
    )
    st.caption(movement_rules.DIRECTION_RULE)


def _filtered() -> str:
    return " (filtered by the sidebar)" if view.rec or view.lead or view.partner else ""


def movements_section(moves: movements.Transitions) -> None:
    """The matrix of statuses, the Sankey and the lists of actions that moved."""
    st.subheader("Status movements", anchor=False)
    matrix = pd.DataFrame(
        [
            {
                "from": status_text(f),
                **{t: moves.matrix[f][t] for t in STATUSES},
                "total": sum(moves.matrix[f].values()),
            }
            for f in STATUSES
        ]
    )
    show_table(
        matrix,
        [
            Column("from", f"{moves.from_review.label} ↓ / {moves.to_review.label} →"),
            *(Column(t, status_text(t), kind="number") for t in STATUSES),
            Column("total", "Total", kind="number"),
        ],
        caption=f"Actions in both reviews: status at {moves.from_review.label} (rows) and at "
        f"{moves.to_review.label} (columns)",
    )
    st.caption(
        md(
            f"Not in the table: {len(moves.added)} added since {moves.from_review.label}, "
            f"{len(moves.dropped)} dropped by {moves.to_review.label}."
        )
    )

    sankey_chart(moves)
    movement_lists(moves)


def sankey_chart(moves: movements.Transitions) -> None:
    """Where each status went, as a Sankey (node names give the status), with its image buttons."""
    sankey = moves.sankey()
    NEUTRAL = "#505a5f"

    def _node_colour(status: str) -> str:
        return STATUS_STYLE[status].colour if status in STATUS_STYLE else NEUTRAL

    def _translucent(hex_colour: str) -> str:
        r, g, b = hex_to_rgb(hex_colour)
        return f"rgba({r},{g},{b},0.35)"

    sankey_fig = go.Figure(
        go.Sankey(
            arrangement="snap",
            node=dict(
                label=[chart(label) for label in sankey.node_labels],
                color=[_node_colour(s) for s in sankey.node_status],
                pad=18,
                line=dict(color="#ffffff", width=1),
            ),
            link=dict(
                source=sankey.source,
                target=sankey.target,
                value=sankey.value,
                color=[_translucent(_node_colour(sankey.node_status[s])) for s in sankey.source],
                hovertemplate="%{source.label} → %{target.label}: %{value}<extra></extra>",  # labels escaped
            ),
        )
    )
    rag.use_template(sankey_fig, TEMPLATE)
    sankey_fig.update_layout(
        title="Where each status went (node names give the status)",
        height=460,
        font=dict(size=FONT, color=INK),
    )
    st.plotly_chart(sankey_fig, width="stretch", theme=None, key="trend_sankey", config=CHART_CONFIG)
    downloads.chart_buttons("movements", moves, view.plan_name, key="moves_img")


def movement_lists(moves: movements.Transitions) -> None:
    """The lists of actions that moved (completed, slipped, ...), each folded, and the matrix's cells."""
    filters = _filtered()
    st.markdown("**Lists**" + filters + ": " + " · ".join(f"{title} {len(refs)}" for title, refs in moves.lists()))

    def _show_moved_later() -> None:
        moved = pd.DataFrame(
            [
                {
                    **m.action._asdict(),
                    "days_later": m.days_later,
                    "times": m.times_moved_later,
                    "total_days": m.total_days_later,
                }
                for m in moves.due_date_moved_later
                if _keep(m.action)
            ],
            columns=[*movements.ActionRef._fields, "days_later", "times", "total_days"],
        )
        show_table(
            moved,
            [
                Column("key", "Action", link=_action_link),
                Column("description", "What will be done"),
                Column("lead", "Lead"),
                Column("from_due", "Was due", kind="date"),
                Column("to_due", "Now due", kind="date"),
                Column("days_later", "Days later", kind="number"),
                Column("times", f"Times moved later up to {moves.to_review.label}", kind="number"),
                Column("total_days", "Total days moved", kind="number"),
            ],
            caption=f"Due date moved later{filters}",
            empty="none.",
        )

    def _show_matrix_cells() -> None:
        for f in STATUSES:
            for t in STATUSES:
                if moves.matrix[f][t]:
                    show_table(
                        _refs_frame(moves.cell(f, t)),
                        ACTION_COLUMNS,
                        caption=f"{STATUS_STYLE[f].label} → {STATUS_STYLE[t].label} ({moves.matrix[f][t]})",
                        empty="none match the sidebar filters.",
                    )

    def _show_list(title: str, refs) -> None:
        show_table(_refs_frame(refs), ACTION_COLUMNS, caption=f"{title}{filters}", empty="none.")

    for title, refs in moves.lists():
        if title == "Due date moved later":  # DueDateMove records, with the days moved
            folded(f"{title} ({len(refs)})", "trends_list_moved_later", _show_moved_later)
        else:
            key = f"trends_list_{title.lower().replace(' ', '_')}"
            folded(f"{title} ({len(refs)})", key, lambda title=title, refs=refs: _show_list(title, refs))
    folded("Actions behind each cell of the matrix", "trends_matrix_cells", _show_matrix_cells)
    st.caption(movement_rules.MOVEMENT_RULES)


def forecast_section() -> None:
    st.subheader("Forecast", anchor=False)
    outlook = cached_reads.query(completion_forecast.forecast, view.plan_id)

    def _flag(line: completion_forecast.ForecastLine) -> str:
        if line.late is None:
            return "No target date" if outlook.target_date is None else "—"
        return "⚠ Later than target" if line.late else "✔ By the target"

    forecast_rows = pd.DataFrame(
        [
            {
                "scope": "Whole plan" if line.rec_id is None else f"Recommendation {line.scope}",
                "ref": line.scope if line.rec_id is not None else None,
                "complete": f"{line.complete} of {line.total} ({percent_text(line.pct_complete)})",
                "rate": "—" if line.rate_per_quarter is None else f"{line.rate_per_quarter:.2g}",
                "projected": line.projected_quarter or "—",
                "flag": _flag(line),
                "note": line.note,
            }
            for line in (outlook.plan, *outlook.recommendations)
        ]
    )
    target = f"{long_date(outlook.target_date)}" if outlook.target_date else "none set"
    show_table(
        forecast_rows,
        [
            Column("scope", "For", link=lambda r: view.link("recommendations", rec=r["ref"]) if r["ref"] else None),
            Column("complete", "Complete now"),
            Column("rate", "Completed per quarter", kind="number"),
            Column("projected", "All complete by"),
            Column("flag", f"Against target ({target})"),
            Column("note", "Note"),
        ],
        caption="Completion forecast at the rate so far",
    )
    st.caption(outlook.method)


def stale_notes_section(moves: movements.Transitions) -> None:
    st.subheader(md(f"Progress notes not updated at {moves.to_review.label}"), anchor=False)
    stale = cached_reads.query(stale_notes.staleness, moves.to_review.id)
    if stale.previous_review is None:
        st.info("This is the plan's first review, so there is no earlier note to compare with.")
    else:
        show_table(
            stale.per_lead.assign(pct=stale.per_lead["pct_no_update"].map(percent_text)),
            [
                Column("lead", "Lead"),
                Column("actions", "Actions", kind="number"),
                Column("no_update", "No update", kind="number"),
                Column("pct", "Share", kind="number"),
            ],
            caption=f"'No update' since {stale.previous_review.label}, by lead",
        )
        folded(
            f"Actions with no update ({len(stale.no_update)})",
            "trends_no_update",
            lambda: show_table(
                _refs_frame([a.action for a in stale.no_update]),
                [
                    Column("key", "Action", link=_action_link),
                    Column("description", "What will be done"),
                    Column("lead", "Lead"),
                    Column("to_status", "Status", kind="status"),
                ],
                caption=f"No update since {stale.previous_review.label}{_filtered()}",
                empty="none.",
            ),
        )
        st.caption(stale_notes.STALENESS_RULE)


# --- measures of success over time --------------------------------------------------------------

MEASURE_VALUE_COLOUR = "#1d70b8"  # GOV.UK blue: the value line; the target is a dashed step in ink


def measure_chart(m: measures.Measure) -> go.Figure:
    """One indicator over time: its values as a line with markers, its target (the target in force
    each period, so incremental targets show as steps) as a dashed step line."""
    history = m.history
    days = [h.period_end for h in history]
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=days,
            y=[h.target for h in history],
            mode="lines",
            line=dict(color=INK, width=2, dash="dash", shape="hv"),
            name="Target",
            customdata=[chart(h.target_text) for h in history],
            hovertemplate="%{x|%d %b %Y}: target %{customdata}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=days,
            y=[h.value for h in history],
            mode="lines+markers",
            line=dict(color=INK if DARK else MEASURE_VALUE_COLOUR, width=3),
            marker=dict(size=FONT // 2),
            name=chart(m.name),
            customdata=[chart(f"{h.value_text}: {h.word}") for h in history],
            hovertemplate="%{x|%d %b %Y}: %{customdata}<extra></extra>",
        )
    )
    rag.use_template(fig, TEMPLATE)
    better = "higher" if m.better == measure_rules.HIGHER else "lower"
    unit = f" ({m.unit})" if m.unit else ""
    fig.update_layout(
        title=chart(f"{m.name}{unit}, {better} is better"),
        height=320,
        legend=dict(orientation="h", yanchor="bottom", y=-0.35),
    )
    fig.update_yaxes(title=chart(m.unit) if m.unit else None)
    return fig


def measure_table(m: measures.Measure) -> None:
    """The chart's values as a table: its text alternative."""
    frame = pd.DataFrame(
        [
            {"period_end": h.period_end, "value": h.value_text, "target": h.target_text, "met": h.word}
            for h in m.history
        ],
        columns=["period_end", "value", "target", "met"],
    )
    show_table(
        frame,
        [
            Column("period_end", "Period ending", kind="date"),
            Column("value", "Value", kind="number"),
            Column("target", "Target", kind="number"),
            Column("met", "At target"),
        ],
        caption=f"{m.name}: each period's value against its target",
    )


def shown_measures() -> list[measures.Measure]:
    """The plan's measures of success (the sidebar's recommendation filter applies)."""
    return [
        m
        for m in cached_reads.query(measures.plan_measures, view.plan_id)
        if not view.rec or view.rec in m.recommendations
    ]


def measures_section(found: list[measures.Measure]) -> None:
    """Each measure of success over time against its target, with its standing in words and its
    values as a table."""
    st.subheader("Measures of success against their targets", anchor=False)
    met, total = measure_rules.at_target(m.standing for m in found)
    st.caption(md(f"{measure_rules.at_target_text(met, total)} (each measure's latest value)."))
    for i, m in enumerate(found):
        recs = ", ".join(m.recommendations)
        st.plotly_chart(measure_chart(m), width="stretch", theme=None, key=f"trend_measure_{i}", config=CHART_CONFIG)
        st.caption(md(f"{m.summary}; {m.change}." + (f" Recommendations: {recs}." if recs else "")))
        folded(md(f"Values of {m.name}"), f"trends_measure_{i}", lambda m=m: measure_table(m))


# The page's parts, one shown at a time in tabs (issue 27): drawn all at once, a switch to Trends
# made Chromium draw up to eight Plotly charts and every table (26x an empty app's rerun). The tab
# shown is kept in the URL (section=...); only its content runs and is sent.
SECTIONS = {
    "mix": "Status mix",
    "overdue": "Overdue",
    "measures": "Measures of success",
    "decisions": "Board decisions",
    "compare": "Between two reviews",
    "forecast": "Forecast",
}


def between_reviews() -> None:
    """The comparison of two reviews: what moved, its papers, the direction of travel, the
    movements and the progress notes not updated."""
    if len(reviews) < 2:
        st.info("Trends between reviews need at least two reviews; this plan has one so far.")
        return
    pair = compared_reviews()
    if pair is None:
        return
    moves = comparison_section(*pair)
    direction_section(moves)
    movements_section(moves)
    stale_notes_section(moves)


def page() -> None:
    """The whole page: one tab per section, only the chosen one drawn."""
    found = shown_measures()
    sections = {k: v for k, v in SECTIONS.items() if k != "measures" or found}
    labels = list(sections.values())
    asked = url_state.text("section")
    url_state.adopt(
        "section",
        "trends_section",
        sections.get(asked or ""),
        valid=asked in sections,
        default=labels[0],
        still_valid=lambda v: v in labels,
    )
    tabs = dict(zip(sections, st.tabs(labels, key="trends_section", on_change="rerun"), strict=True))
    chosen = next((k for k, tab in tabs.items() if tab.open), "mix")
    url_state.publish({"section": chosen})
    draw = {
        "mix": status_mix_section,
        "overdue": overdue_section,
        "measures": lambda: measures_section(found),
        "decisions": decisions_section,
        "compare": between_reviews,
        "forecast": forecast_section,
    }[chosen]
    with tabs[chosen]:
        draw()


# Slides and page are functions, not st.stop() after a slide: a run stopped inside a page
# confuses AppTest's next switch_page.
if slide is not None and slide.kind == slide_layout.MIX:
    mix_slide()
elif slide is not None and slide.kind == slide_layout.DIRECTION:
    direction_slide()
elif slide is not None and slide.kind == slide_layout.MEASURES:
    measures_slide()
else:
    page()
