"""The presentation deck for the view: what each slide shows, planned to fit the screen by
data_access.domain.slide_layout from the lists the slides draw.

The lists, their slide tables' columns and captions, and the plan itself are in
data_access.reads.deck_plan, which the PowerPoint (data_access.papers.slide_deck) plans from too:
one source for which items go on which slide. This module reads the view's lists through the
page cache and adds the links the pages draw.
"""

from __future__ import annotations

import dataclasses
import html

import pandas as pd
import streamlit as st

from data_access.domain import slide_layout
from data_access.domain.slide_layout import Slide
from data_access.reads import (
    board,
    deck_plan,
    direction_of_travel,
    movements,
    review_figures,
    review_summary,
    signoff_figures,
)
from data_access.reads import measures as measure_reads
from data_access.reads.deck_plan import CHALLENGE_WHY, CHANGE_TITLES, mix_text
from pages.ui import cached_reads, rag, url_state
from pages.ui.cached_reads import query
from pages.ui.controls import View
from pages.ui.html_tables import Column, html_table
from pages.ui.plain import md

__all__ = ["CHALLENGE_WHY", "CHANGE_TITLES", "mix_text"]

# --- the slide tables ---------------------------------------------------------------------------


def _drawn(columns: list[deck_plan.SlideColumn], slide: bool, links: dict | None = None) -> list[Column]:
    """The page's columns for deck_plan's: with links, and on a slide (`slide`) their fixed widths."""
    links = links or {}
    return [Column(c.key, c.header, c.kind, link=links.get(c.key), width=c.width if slide else None) for c in columns]


def _action_link(view: View):
    return lambda r: view.link("action", action=int(r["action_id"]))


def action_columns(view: View, *, slide: bool = True) -> list[Column]:
    """A recommendation slide's table of its actions."""
    return _drawn(deck_plan.action_columns(bool(view.partners)), slide, {"key": _action_link(view)})


def overdue_columns(view: View, *, slide: bool = True) -> list[Column]:
    """The overdue and challenge slides' table."""
    return _drawn(deck_plan.overdue_columns(bool(view.partners)), slide, {"key": _action_link(view)})


def change_columns(view: View, *, slide: bool = True) -> list[Column]:
    """The 'since the last review' table (the overview page and its slides)."""
    return _drawn(deck_plan.change_columns(bool(view.partners)), slide, {"key": _action_link(view)})


def direction_columns(view: View, *, slide: bool = True) -> list[Column]:
    link = {"recommendation": lambda r: view.link("recommendations", rec=r["ref"])}
    return _drawn(deck_plan.direction_columns(), slide, link)


def measure_columns(view: View, *, slide: bool = True) -> list[Column]:
    """The "Measures of success" slides' table."""
    return _drawn(deck_plan.measure_columns(), slide)


# --- slide captions (under the title) -----------------------------------------------------------


def overdue_caption(view: View, challenge_list: bool) -> str:
    return deck_plan.overdue_caption(
        view.as_of, challenge_list, view.lead, view.statuses, view.partner, baseline=view.baseline
    )


def changes_caption(view: View, moves) -> str:
    return deck_plan.changes_caption(view.plan_name, moves)


def direction_caption(view: View) -> str:
    return deck_plan.direction_caption(view.plan_name)


# --- the lists the slides draw --------------------------------------------------------------------


def filtered_actions(view: View) -> pd.DataFrame:
    """The review's actions under the lead, status and partner filters (every recommendation)."""
    actions = query(review_figures.review_actions, view.review_id, view.as_of, view.baseline)
    return board.filter_actions(actions, None, view.lead, view.statuses, view.partner)


def rec_actions(view: View, ref: str) -> pd.DataFrame:
    actions = filtered_actions(view)
    return actions[actions["rec_ref"] == ref].reset_index(drop=True)


def changes(view: View, rec: str | None = None) -> pd.DataFrame | None:
    """The actions that moved since the previous review, one row per change, under the filters
    (and `rec`: the overview page's recommendation filter; slides show every recommendation), or
    None for the first review (deck_plan.change_rows)."""
    if view.previous_review_id is None:
        return None
    moves = query(movements.transitions, view.previous_review_id, view.review_id)
    shown = board.filter_actions(
        query(review_figures.review_actions, view.review_id, view.as_of, view.baseline),
        rec,
        view.lead,
        view.statuses,
        view.partner,
    )
    return deck_plan.change_rows(moves, shown)


# --- the overview page's parts, built once per data version and view (issue 27: CPU per run) ------


@cached_reads.per_data_version
def since_last_review(view: View) -> tuple[str, str]:
    """The overview page's "since the last review": the summary and the counts of each list
    (Markdown, two paragraphs), and the table of what moved (HTML, for st.html after
    html_tables.CSS), under the view's filters. Not for a first review (no previous one)."""
    moves = query(movements.transitions, view.previous_review_id, view.review_id)
    summary = query(review_summary.since_last_review_summary, view.plan_id, view.previous_review_id, view.review_id)
    rows = changes(view, view.rec)
    counts = rows["change"].value_counts()
    table = html_table(
        rows,
        change_columns(view, slide=False),
        caption=f"What moved since {moves.from_review.label}",
        empty="no action completed, improved, slipped, became overdue or had its due date moved later.",
    )
    tally = " · ".join(f"**{title}: {int(counts.get(title, 0))}**" for title in CHANGE_TITLES)
    return md(summary) + "\n\n" + tally, table


@cached_reads.per_data_version
def recommendation_bars(view: View, caption: str, note: str) -> str:
    """RAG by recommendation as HTML bars (rag.status_bars) for the view's review: each segment a
    link to the actions behind it (the All actions page for that recommendation and status)."""
    return rag.status_bars(
        query(board.recommendation_summary, view.review_id, view.as_of, view.baseline),
        lambda ref, status: view.link("actions", rec=ref, status=status),
        caption,
        note,
    )


def overdue_sort() -> str:
    """The overdue list's order, kept in the link (sort=)."""
    sort = url_state.text("sort")
    return sort if sort in board.OVERDUE_SORTS else "plan"


def overdue(view: View) -> pd.DataFrame:
    frame = query(
        board.overdue_actions, view.review_id, view.as_of, None, view.lead, view.statuses, view.partner, view.baseline
    )
    return board.sort_overdue(frame, overdue_sort())


def challenge(view: View) -> pd.DataFrame:
    return query(board.green_but_overdue, view.review_id, view.as_of, None, view.lead, view.partner, view.baseline)


def direction(view: View) -> pd.DataFrame | None:
    """Direction of travel per recommendation from the previous review to this one (None: first)."""
    if view.previous_review_id is None:
        return None
    return direction_between(view.previous_review_id, view.review_id)


def direction_between(from_id: int, to_id: int) -> pd.DataFrame:
    """Direction of travel per recommendation between two reviews (deck_plan.direction_rows), with
    the recommendation also as HTML whose tooltip is its whole text (the trends page's table)."""
    directions = query(direction_of_travel.direction_by_recommendation, from_id, to_id)
    rows = deck_plan.direction_rows(directions)
    full = {d.rec_ref: " ".join(str(d.rec_text or "").split()) for d in directions}
    rows["recommendation_html"] = [
        f'<span title="{html.escape(full[ref], quote=True)}">{html.escape(words)}</span>'
        for ref, words in zip(rows["ref"], rows["recommendation"], strict=True)
    ]
    return rows


def measures(view: View) -> pd.DataFrame | None:
    """The plan's measures of success as they stood at the review shown (deck_plan.measure_rows),
    or None when the plan has none."""
    found = query(measure_reads.plan_measures, view.plan_id)
    if not found:
        return None
    return deck_plan.measure_rows([m.as_at(view.review_as_at) for m in found])


def measures_caption(view: View, rows: pd.DataFrame) -> str:
    return deck_plan.measures_caption(view.plan_name, rows)


# --- the deck -----------------------------------------------------------------------------------


def build(view: View) -> list[Slide]:
    """The deck for this view (data_access.reads.deck_plan.plan)."""
    changed = changes(view)
    moves = said = None
    if changed is not None:
        said = query(review_summary.since_last_review_summary, view.plan_id, view.previous_review_id, view.review_id)
        moves = query(movements.transitions, view.previous_review_id, view.review_id)
    lists = deck_plan.DeckLists(
        plan_name=view.plan_name,
        as_of=view.as_of,
        by_rec=query(board.recommendation_summary, view.review_id, view.as_of, view.baseline),
        actions=filtered_actions(view),
        overdue=overdue(view),
        challenge=challenge(view),
        changes=changed,
        moves=moves,
        summary=said,
        direction=direction(view),
        partners=bool(view.partners),
        lead=view.lead,
        statuses=view.statuses,
        partner=view.partner,
        measures=measures(view),
        baseline=view.baseline,
        signoff=signoff(view),
        date_changes=date_changes(view),
    )
    return deck_plan.plan(lists)


# --- the exception report's slide set (presented from the Board pack page) --------------------------


def exception_report(view: View):
    """The view's exception report (data_access.papers.exception_report), read through the cache."""
    from data_access.papers import exception_report as exceptions

    return query(exceptions.report_for, view.plan_id, view.review_id, view.as_of)


def exception_rows(view: View) -> pd.DataFrame:
    from data_access.papers import exception_report as exceptions

    return exceptions.slide_rows(exception_report(view))


def exception_caption(view: View) -> str:
    """Under each exception slide's title: the plan, the review and the report's figures."""
    from data_access.papers import exception_report as exceptions

    return exceptions.slide_caption(exception_report(view))


def exception_columns(*, slide: bool = True) -> list[Column]:
    return _drawn(deck_plan.exception_columns(), slide)


def build_exceptions(view: View) -> list[Slide]:
    """The exception report's own slide set (deck_plan.exception_slides)."""
    from data_access.papers import exception_report as exceptions

    report = exception_report(view)
    return deck_plan.exception_slides(exceptions.slide_rows(report), exceptions.slide_caption(report))


def build_for(view: View, page: str) -> list[Slide]:
    """The slides presentation mode steps through on `page`: the exception report's set on the
    Board pack page, the meeting's deck everywhere else.

    Every slide step runs this, and planning the deck (every list laid out into slides: about four
    fifths of a step's script run for the longest sample plan, profiled with py-spy) gives the same
    slides for the same data and view. So each deck is planned once per process, data version and
    view, while other sessions wait for it (st.cache_resource, like cached_reads' queries: cleared
    with them); the slide shown (rec, part) is not part of the key, only what the deck is planned
    from."""
    deck_view = dataclasses.replace(view, rec=None, present=False, notices=())
    exceptions = page == slide_layout.EXCEPTIONS_PAGE
    return list(_planned(cached_reads.data_version(), deck_view, overdue_sort(), exceptions))


@st.cache_resource(show_spinner=False, max_entries=256, ttl=3600)
def _planned(data_version: str, view: View, sort: str, exceptions: bool) -> tuple[Slide, ...]:
    """The deck for `view` (rec, present and notices cleared) under data version `data_version`
    and the overdue order `sort` (both read by the queries and overdue(): here only the key)."""
    return tuple(build_exceptions(view) if exceptions else build(view))


def signoff(view: View) -> pd.DataFrame:
    """The review's complete actions awaiting sign-off (issue 25), as the slides list them."""
    return deck_plan.signoff_rows(query(signoff_figures.awaiting_signoff, view.review_id))


def date_changes(view: View) -> pd.DataFrame:
    """The plan's due date changes for approval, up to the review (issue 25), as the slides list them."""
    return deck_plan.date_change_rows(query(signoff_figures.changes_for_approval, view.plan_id, view.review_id))
