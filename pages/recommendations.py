"""Recommendations: one card per recommendation — its full text, overall status (by the stated
rule), RAG mix, % complete and overdue count — each drilling into its actions. With a
recommendation chosen (the filter, or a presentation slide) the card also lists its actions.

The Lead, Status and Partner filters choose the recommendations that have a matching action and
the actions listed; each card's figures are always for the whole recommendation, as it says."""

import streamlit as st

from data_access.domain import measure_rules, slide_layout
from data_access.domain.rules import STATUS_STYLE, STATUSES, status_text
from data_access.domain.wording import describe_filters, long_date, percent_text, plural, short_text
from data_access.reads import board, measures
from pages.ui import cached_reads, deck, present, rag, routing
from pages.ui.html_tables import show_table, text
from pages.ui.plain import md

view = routing.page_view()
slide = present.current_slide()
if view.review_id is None:
    st.title("Recommendations", anchor=False)
    st.info("This plan has no reviews yet.")
    st.stop()

summary = cached_reads.query(board.recommendation_summary, view.review_id, view.as_of, view.baseline)
matching = board.matching_per_recommendation(deck.filtered_actions(view))
filters = describe_filters(None, view.lead, view.statuses, view.partner)
# Measures of success as they stood at this review's date, by recommendation (reads/measures.py).
rec_measures = measures.by_recommendation(
    [m.as_at(view.review_as_at) for m in cached_reads.query(measures.plan_measures, view.plan_id)]
)


def figures(area, row) -> None:
    """A recommendation's figures and links (whole recommendation, whatever the filters)."""
    area.html(
        f'<div class="slide-text">{rag.chip(row["status"])}</div>'
        f'<p class="slide-text"><strong>{percent_text(row["pct_complete"])} complete</strong> '
        f"({row['complete']} of {plural(row['total'], 'action')})<br><strong>Overdue:</strong> {row['overdue']}"
        f"<br><strong>Mix:</strong> {deck.mix_text(row)}</p>"
    )
    links = area.columns(2)
    links[0].page_link(
        "pages/actions.py",
        label=f"Its {row['total']} actions",
        icon=":material/table_rows:",
        query_params={**view.query_params(), "rec": row["ref"], "status": ""},
    )
    if row["overdue"]:
        links[1].page_link(
            "pages/overdue.py",
            label=f"{row['overdue']} overdue",
            icon=":material/schedule:",
            query_params={**view.query_params(), "rec": row["ref"]},
        )


def measures_block(area, row) -> None:
    """A recommendation's measures of success beside its actions: latest value, target, Met / Not
    met / No data in words, the change since the previous period; and the board's finding when every
    action is complete but not every measure is at target."""
    found = rec_measures.get(str(row["ref"]), [])
    if not found:
        return
    met = sum(1 for m in found if m.standing.met)
    items = []
    for m in found:
        s = m.standing
        target = measure_rules.number_text(s.target, m.unit) if s.target is not None else "none"
        when = f" ({long_date(s.period_end)})" if s.period_end else ""
        items.append(
            f"<li><strong>{text(m.name)}</strong>: {text(measure_rules.number_text(s.value, m.unit))}{when}, "
            f"target {text(target)}: <strong>{s.word}</strong>; {text(m.change)}</li>"
        )
    finding = measure_rules.complete_but_not_met(int(row["total"]), int(row["complete"]), met, len(found))
    area.html(
        f'<div class="rec-measures"><p style="margin:.4rem 0 .2rem 0"><strong>Measures of success</strong>: '
        f"{met} of {plural(len(found), 'measure')} at target</p>"
        + (f'<p style="margin:0 0 .2rem 0"><strong>{text(finding)}</strong></p>' if finding else "")
        + f'<ul style="margin:0">{"".join(items)}</ul></div>'
    )


# --- presentation slide: one recommendation and (some of) its actions -------------------------------


def recommendation_slide() -> None:
    """One recommendation and this slide's share of its actions."""
    row = summary[summary["ref"] == slide.rec].iloc[0]
    st.title(md(f"Recommendation {row['ref']}"), anchor=False)
    actions = deck.rec_actions(view, slide.rec)
    if slide.start == 0:
        head, side = st.columns([0.58, 0.42], gap="medium")
        head.html(f'<p class="slide-text rec-text">{text(row["text"])}</p>')
        figures(side, row)
    else:
        st.html(f'<p class="slide-text">{text(short_text(row["text"], 110))} (continued)</p>')
    show_table(
        actions.iloc[slide.start : slide.stop],
        deck.action_columns(view),
        caption=f"Actions for recommendation {row['ref']}"
        + (f" ({filters})" if filters else "")
        + (f", {slide.start + 1}–{slide.stop} of {len(actions)}" if len(actions) > slide.stop - slide.start else ""),
        empty="no actions match the filters.",
    )


# --- the page ---------------------------------------------------------------------------------------


def page() -> None:
    cards = summary
    if view.rec:
        cards = cards[cards["ref"] == view.rec]
        st.title(md(f"Recommendation {view.rec}"), anchor=False)
    else:
        st.title("Recommendations", anchor=False)
    st.caption(md(f"{view.plan_name}: review {view.review_label}, overdue as at {long_date(view.as_of)}."))
    st.info(f"**Overall status rule.** {board.RECOMMENDATION_STATUS_RULE}", icon=":material/rule:")
    if filters:
        cards = cards[cards["ref"].isin(list(matching))]
        st.info(
            md(
                f"Filtered to {filters}: showing the {plural(len(cards), 'recommendation')} with at least one "
                "matching action. Each card's figures are for the whole recommendation."
            ),
            icon=":material/filter_alt:",
        )

    for _, row in cards.iterrows():
        with st.container(border=True):
            head, side = st.columns([3, 2], vertical_alignment="top")
            with head:  # st.html: tracker text is escaped and never read as Markdown
                st.html(
                    f'<h3 style="margin:0 0 .4rem 0">Recommendation {text(row["ref"])} '
                    f'{rag.chip(row["status"])}</h3><p class="rec-text" style="font-size:1.1rem;margin:0">'
                    f"{text(row['text'])}</p>"
                )
            figures(side, row)
            measures_block(st.container(), row)
            if filters:
                side.caption(f"{matching.get(str(row['ref']), 0)} of its {row['total']} actions match the filters.")
            if view.rec:  # one recommendation: show its actions on the card
                actions = deck.rec_actions(view, view.rec)
                show_table(
                    actions,
                    deck.action_columns(view, slide=False),
                    caption=f"Actions for recommendation {view.rec}" + (f" ({filters})" if filters else ""),
                    empty="no actions match the filters.",
                )

    if cards.empty:
        st.info("No recommendation matches the filters.")
    st.caption("Statuses: " + "; ".join(f"{status_text(s)} — {STATUS_STYLE[s].meaning}" for s in STATUSES))


if slide is not None and slide.kind == slide_layout.RECOMMENDATION:
    recommendation_slide()
else:
    page()
