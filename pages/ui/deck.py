"""The presentation deck for the view: what each slide shows, planned to fit the screen by
data_access.domain.slide_layout from the lists the slides draw.

Each slide list (a recommendation's actions, the changes since the last review, the overdue
actions, the challenge list, the direction of travel) is built here once, as the frame and the
columns its slide tables are drawn with, so the plan measures exactly what the page draws.
"""

from __future__ import annotations

import dataclasses
import html

import pandas as pd

from data_access.domain import slide_layout
from data_access.domain.rules import STATUS_STYLE, STATUSES
from data_access.domain.slide_layout import DeckFacts, RecommendationFacts, Slide
from data_access.domain.wording import describe_filters, overdue_rule, percent_text, plural, short_text
from data_access.reads import board, direction_of_travel, movements, review_figures, review_summary
from pages.ui import url_state
from pages.ui.cached_reads import query
from pages.ui.controls import View
from pages.ui.html_tables import Column, cell_text

# --- the slide tables ---------------------------------------------------------------------------


def _widths(view: View, columns: slide_layout.Columns) -> dict[str, float]:
    return dict(slide_layout.with_partner(columns) if view.partners else columns)


def _sized(view: View, columns: slide_layout.Columns, specs: list[Column], slide: bool) -> list[Column]:
    """The columns of a table with a Partner column after Lead for joint inspections, and on a
    slide (`slide`) their fixed widths."""
    widths = _widths(view, columns)
    out = []
    for column in specs:
        width = widths[column.key] if slide else None
        out.append(dataclasses.replace(column, width=width))
        if column.key == "lead" and "partner" in widths:
            out.append(Column("partner", "Partner", width=widths["partner"] if slide else None))
    return out


def _action_link(view: View):
    return lambda r: view.link("action", action=int(r["action_id"]))


def action_columns(view: View, *, slide: bool = True) -> list[Column]:
    """A recommendation slide's table of its actions."""
    return _sized(
        view,
        slide_layout.ACTION_COLUMNS,
        [
            Column("key", "Action", link=_action_link(view)),
            Column("description", "What will be done"),
            Column("lead", "Lead"),
            Column("effective_due", "Due", kind="due"),
            Column("status", "Status", kind="status"),
            Column("progress", "Latest update"),
        ],
        slide,
    )


def overdue_columns(view: View, *, slide: bool = True) -> list[Column]:
    """The overdue and challenge slides' table."""
    return _sized(
        view,
        slide_layout.OVERDUE_COLUMNS,
        [
            Column("rec_ref", "Rec"),
            Column("key", "Action", link=_action_link(view)),
            Column("description", "What will be done"),
            Column("lead", "Lead"),
            Column("effective_due", "Due", kind="due"),
            Column("days_overdue", "Days overdue", kind="number"),
            Column("status", "Status", kind="status"),
            Column("progress", "Latest update"),
        ],
        slide,
    )


def change_columns(view: View, *, slide: bool = True) -> list[Column]:
    """The 'since the last review' table (the overview page and its slides)."""
    return _sized(
        view,
        slide_layout.CHANGE_COLUMNS,
        [
            Column("change", "Change"),
            Column("key", "Action", link=_action_link(view)),
            Column("description", "What will be done"),
            Column("lead", "Lead"),
            Column("from", "Was", kind="status"),
            Column("to", "Now", kind="status"),
        ],
        slide,
    )


def direction_columns(view: View, *, slide: bool = True) -> list[Column]:
    return _sized(
        view,
        slide_layout.DIRECTION_COLUMNS,
        [
            Column("recommendation", "Recommendation", link=lambda r: view.link("recommendations", rec=r["ref"])),
            Column("direction", "Direction"),
            Column("better", "Moved better", kind="number"),
            Column("worse", "Moved worse", kind="number"),
            Column("complete", "Complete (from → to)"),
        ],
        slide,
    )


def table(frame: pd.DataFrame, columns: list[Column], caption: str = "") -> slide_layout.Table:
    """A list as its slides draw it, for the slide plan: each cell's text as a reader sees it
    (tables.cell_text), with the slide's caption."""
    return slide_layout.Table(
        columns=tuple((c.key, c.width or 0.1) for c in columns),
        headers={c.key: c.header for c in columns},
        rows=tuple({c.key: cell_text(c, row) for c in columns} for row in frame.to_dict("records")),
        caption=caption,
    )


# --- slide captions (under the title) -----------------------------------------------------------


def overdue_caption(view: View, challenge_list: bool) -> str:
    filters = describe_filters(None, view.lead, view.statuses, view.partner)
    said = CHALLENGE_WHY if challenge_list else overdue_rule(view.as_of)
    return said + (f" Filtered to {filters}." if filters else "")


CHALLENGE_WHY = (
    "Actions whose lead reports them on track although their due date has passed — ask why the date "
    "has not been revised or the status changed."
)


def changes_caption(view: View, moves) -> str:
    return f"{view.plan_name}: {moves.from_review.label} to {moves.to_review.label}."


def direction_caption(view: View) -> str:
    return (
        f"{view.plan_name}, since the previous review. ↑ improving: more of its actions moved better than "
        "worse; ↓ worsening: the reverse; → the same (the trends page states the full rule)."
    )


def figures_text(row) -> str:
    """A recommendation's figures beside its text on its first slide (recommendations.figures draws them)."""
    return (
        f"{percent_text(row['pct_complete'])} complete ({row['complete']} of {plural(row['total'], 'action')})\n"
        f"Overdue: {row['overdue']}\nMix: {mix_text(row)}"
    )


def mix_text(row) -> str:
    """'✔ B Complete: 3 · ● G On track: 2' — a recommendation's RAG mix as words, never colour alone."""
    parts = [
        f"{STATUS_STYLE[s].symbol} {STATUS_STYLE[s].letter} {STATUS_STYLE[s].label}: {row[s]}"
        for s in STATUSES
        if row[s]
    ]
    return " · ".join(parts) or "No actions"


# --- the lists the slides draw --------------------------------------------------------------------


def filtered_actions(view: View) -> pd.DataFrame:
    """The review's actions under the lead, status and partner filters (every recommendation)."""
    actions = query(review_figures.review_actions, view.review_id, view.as_of)
    return board.filter_actions(actions, None, view.lead, view.statuses, view.partner)


def rec_actions(view: View, ref: str) -> pd.DataFrame:
    actions = filtered_actions(view)
    return actions[actions["rec_ref"] == ref].reset_index(drop=True)


CHANGE_TITLES = ("Completed", "Improved", "Slipped", "Newly overdue", "Due date moved later")


def changes(view: View, rec: str | None = None) -> pd.DataFrame | None:
    """The actions that moved since the previous review, one row per change, under the filters
    (and `rec`: the overview page's recommendation filter; slides show every recommendation), or
    None for the first review. An action in two lists (completed and due date moved) is in both."""
    if view.previous_review_id is None:
        return None
    moves = query(movements.transitions, view.previous_review_id, view.review_id)
    lists = [
        (title, [r.action if isinstance(r, movements.DueDateMove) else r for r in refs])
        for title, refs in moves.lists(*CHANGE_TITLES)
    ]
    shown = board.filter_actions(
        query(review_figures.review_actions, view.review_id, view.as_of),
        rec,
        view.lead,
        view.statuses,
        view.partner,
    )
    partner_of = dict(zip(shown["action_id"], shown["partner"], strict=True))  # the filters apply to the lists
    rows = [
        {
            "change": title,
            "action_id": r.action_id,
            "key": r.key,
            "description": r.description,
            "lead": r.lead,
            "partner": partner_of.get(r.action_id),
            "from": r.from_status,
            "to": r.to_status,
        }
        for title, refs in lists
        for r in refs
        if r.action_id in partner_of
    ]
    columns = ["change", "action_id", "key", "description", "lead", "partner", "from", "to"]
    return pd.DataFrame(rows, columns=columns)


def overdue_sort() -> str:
    """The overdue list's order, kept in the link (sort=)."""
    sort = url_state.text("sort")
    return sort if sort in board.OVERDUE_SORTS else "plan"


def overdue(view: View) -> pd.DataFrame:
    frame = query(board.overdue_actions, view.review_id, view.as_of, None, view.lead, view.statuses, view.partner)
    return board.sort_overdue(frame, overdue_sort())


def challenge(view: View) -> pd.DataFrame:
    return query(board.green_but_overdue, view.review_id, view.as_of, None, view.lead, view.partner)


def direction(view: View) -> pd.DataFrame | None:
    """Direction of travel per recommendation from the previous review to this one (None: first)."""
    if view.previous_review_id is None:
        return None
    return direction_between(view.previous_review_id, view.review_id)


def direction_between(from_id: int, to_id: int) -> pd.DataFrame:
    """Direction of travel per recommendation between two reviews: one row per recommendation, as
    the trends page and its slide show it."""
    rows = [
        {
            "ref": d.rec_ref,
            "recommendation": f"{d.rec_ref} · {short_text(d.rec_text, 60)}",
            # The same words as HTML, with the whole text as its tooltip (the trends page's table).
            "recommendation_html": (
                f'<span title="{html.escape(" ".join(str(d.rec_text or "").split()), quote=True)}">'
                f"{html.escape(f'{d.rec_ref} · {short_text(d.rec_text, 60)}')}</span>"
            ),
            "direction": f"{d.arrow} {d.direction.capitalize()}",
            "better": d.better,
            "worse": d.worse,
            "compared": d.compared,
            "added": d.added,
            "dropped": d.dropped,
            "complete": f"{_pct(d.pct_complete_from)} → {_pct(d.pct_complete_to)}",
        }
        for d in query(direction_of_travel.direction_by_recommendation, from_id, to_id)
    ]
    columns = [
        "ref",
        "recommendation",
        "recommendation_html",
        "direction",
        "better",
        "worse",
        "compared",
        "added",
        "dropped",
        "complete",
    ]
    return pd.DataFrame(rows, columns=columns)


def _pct(value: int | None) -> str:
    return "—" if value is None else percent_text(value)


# --- the deck -----------------------------------------------------------------------------------


def build(view: View) -> list[Slide]:
    """The deck for this view (data_access.domain.slide_layout.plan_deck)."""
    summary = query(board.recommendation_summary, view.review_id, view.as_of)
    a_cols = action_columns(view)
    recs = tuple(
        RecommendationFacts(
            str(row["ref"]), str(row["text"]), figures_text(row), table(rec_actions(view, str(row["ref"])), a_cols)
        )
        for _, row in summary.iterrows()
    )
    changed = changes(view)
    said, changes_table = None, None
    if changed is not None:
        said = query(review_summary.since_last_review_summary, view.plan_id, view.previous_review_id, view.review_id)
        moves = query(movements.transitions, view.previous_review_id, view.review_id)
        changes_table = table(changed, change_columns(view), changes_caption(view, moves))
    travel = direction(view)
    facts = DeckFacts(
        recommendations=recs,
        changes=changes_table,
        summary=said,
        overdue=table(overdue(view), overdue_columns(view), overdue_caption(view, False)),
        challenge=table(challenge(view), overdue_columns(view), overdue_caption(view, True)),
        direction=table(travel, direction_columns(view), direction_caption(view)) if travel is not None else None,
    )
    return slide_layout.plan_deck(facts)
