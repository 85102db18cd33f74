"""The presentation deck's lists, captions and slide tables, from the reads' results: presentation
mode (pages/ui/deck.py) and the PowerPoint (papers/slide_deck.py) both plan their slides here, with
data_access.domain.slide_layout.plan_deck, so both have the same slides in the same order.

Pure functions of the reads' results (review_actions, recommendation_summary, overdue_actions,
green_but_overdue, movements.transitions, direction_of_travel): no queries of their own, so the
page reads through its cache and the PowerPoint from papers.content.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from data_access.domain import measure_rules, slide_layout
from data_access.domain.rules import STATUS_STYLE, STATUSES, status_text
from data_access.domain.slide_layout import DeckFacts, RecommendationFacts, Slide
from data_access.domain.wording import (
    describe_filters,
    due_text_of,
    overdue_rule,
    percent_text,
    plural,
    short_date,
    short_text,
)
from data_access.reads import board, movements
from data_access.reads.direction_of_travel import RecommendationDirection
from data_access.reads.measures import Measure

# --- the slide tables' columns ----------------------------------------------------------------------


@dataclass(frozen=True)
class SlideColumn:
    """One column of a slide table: its field, header, how its cell reads (cell_text) and its share
    of the table's width (slide_layout's COLUMNS)."""

    key: str
    header: str
    kind: str = "text"  # text, status, number, date, due
    width: float = 0.1


def _columns(layout: slide_layout.Columns, specs: Sequence[tuple[str, str, str]], partners: bool):
    """The columns with their widths, and a Partner column after Lead for joint inspections."""
    widths = dict(slide_layout.with_partner(layout) if partners else layout)
    out = []
    for key, header, kind in specs:
        out.append(SlideColumn(key, header, kind, widths[key]))
        if key == "lead" and "partner" in widths:
            out.append(SlideColumn("partner", "Partner", "text", widths["partner"]))
    return out


def action_columns(partners: bool = False) -> list[SlideColumn]:
    """A recommendation slide's table of its actions."""
    return _columns(
        slide_layout.ACTION_COLUMNS,
        [
            ("key", "Action", "text"),
            ("description", "What will be done", "text"),
            ("lead", "Lead", "text"),
            ("effective_due", "Due", "due"),
            ("status", "Status", "status"),
            ("progress", "Latest update", "text"),
        ],
        partners,
    )


def overdue_columns(partners: bool = False) -> list[SlideColumn]:
    """The overdue and challenge slides' table."""
    return _columns(
        slide_layout.OVERDUE_COLUMNS,
        [
            ("rec_ref", "Rec", "text"),
            ("key", "Action", "text"),
            ("description", "What will be done", "text"),
            ("lead", "Lead", "text"),
            ("effective_due", "Due", "due"),
            ("days_overdue", "Days overdue", "number"),
            ("status", "Status", "status"),
            ("progress", "Latest update", "text"),
        ],
        partners,
    )


def change_columns(partners: bool = False) -> list[SlideColumn]:
    """The 'since the last review' table."""
    return _columns(
        slide_layout.CHANGE_COLUMNS,
        [
            ("change", "Change", "text"),
            ("key", "Action", "text"),
            ("description", "What will be done", "text"),
            ("lead", "Lead", "text"),
            ("from", "Was", "status"),
            ("to", "Now", "status"),
        ],
        partners,
    )


def direction_columns(partners: bool = False) -> list[SlideColumn]:
    """The direction of travel table (it has no Lead column, so never a Partner one)."""
    return _columns(
        slide_layout.DIRECTION_COLUMNS,
        [
            ("recommendation", "Recommendation", "text"),
            ("direction", "Direction", "text"),
            ("better", "Moved better", "number"),
            ("worse", "Moved worse", "number"),
            ("complete", "Complete (from → to)", "text"),
        ],
        partners,
    )


def exception_columns() -> list[SlideColumn]:
    """The exception report's slide table (papers.exception_report.slide_rows gives its rows)."""
    return _columns(
        slide_layout.EXCEPTION_COLUMNS,
        [
            ("rec_ref", "Rec", "text"),
            ("key", "Action", "text"),
            ("status", "Status", "status"),
            ("what", "What will be done (lead)", "text"),
            ("due", "Due", "text"),
            ("mitigation", "Mitigation", "text"),
            ("ask", "Ask of the board", "text"),
        ],
        False,
    )


def signoff_columns() -> list[SlideColumn]:
    """The "For sign-off" slides' table (issue 25): complete actions awaiting the board's sign-off."""
    return _columns(
        slide_layout.SIGNOFF_COLUMNS,
        [
            ("rec_ref", "Rec", "text"),
            ("key", "Action", "text"),
            ("description", "What was done", "text"),
            ("evidence", "Evidence (from the tracker)", "text"),
        ],
        False,
    )


def measure_columns() -> list[SlideColumn]:
    """The "Measures of success" slides' table: status in words with the value and target."""
    return _columns(
        slide_layout.MEASURE_COLUMNS,
        [
            ("name", "Measure", "text"),
            ("recommendations", "Rec", "text"),
            ("latest", "Latest", "text"),
            ("target", "Target", "text"),
            ("met", "At target", "text"),
            ("change", "Change", "text"),
        ],
        False,
    )


def date_change_columns() -> list[SlideColumn]:
    """The "Date changes for approval" slides' table (issue 25)."""
    return _columns(
        slide_layout.DATE_CHANGE_COLUMNS,
        [
            ("key", "Action", "text"),
            ("from_date", "Was due", "date"),
            ("to_date", "Now due", "date"),
            ("reason", "Reason given", "text"),
            ("how", "Seen", "text"),
        ],
        False,
    )


DECISION_TEXT_CHARS = 160  # a slide cell of the decision slides; the page and the pack have the whole text


def signoff_rows(awaiting: pd.DataFrame) -> pd.DataFrame:
    """signoff_figures.awaiting_signoff as the For sign-off slides list it: the action's text and its
    evidence cut to DECISION_TEXT_CHARS (wording.short_text), so one action never outgrows a slide."""
    return awaiting.assign(
        description=[short_text(v, DECISION_TEXT_CHARS) for v in awaiting["description"]],
        evidence=[short_text(v, DECISION_TEXT_CHARS) for v in awaiting["evidence"]],
    )


def date_change_rows(changes: pd.DataFrame) -> pd.DataFrame:
    """signoff_figures.changes_for_approval as its slides list it: the reason cut like signoff_rows."""
    return changes.assign(reason=[short_text(v, DECISION_TEXT_CHARS) for v in changes["reason"]])


SIGNOFF_CAPTION = (
    "Complete actions the board has not yet signed off, with the evidence their tracker gives. "
    "The board signs them off, or sends them back, on the For sign-off page."
)
DATE_CHANGES_CAPTION = (
    "Due dates moved with no approval recorded: each counts as moved without approval until the board "
    "approves it, or refuses it (the action is then judged against its previous date)."
)


def _blank(value) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or (not isinstance(value, str) and pd.isna(value))


def cell_text(kind: str, key: str, row: dict) -> str:
    """A cell as plain text, as a reader sees it (statuses as words, dates as DD Mon YYYY, due dates
    with the tracker's wording): what slide_layout measures a slide row by, and what the
    PowerPoint's cells say."""
    value = row.get(key)
    if kind == "status":
        return status_text(value) if isinstance(value, str) else ""
    if kind == "due":
        return due_text_of(row)
    if _blank(value):
        return ""
    if kind == "date":
        return short_date(pd.Timestamp(value).date())
    return str(value)


def table(frame: pd.DataFrame, columns: Sequence[SlideColumn], caption: str = "") -> slide_layout.Table:
    """A list as its slides draw it, for the slide plan: each cell's text as a reader sees it."""
    return slide_layout.Table(
        columns=tuple((c.key, c.width) for c in columns),
        headers={c.key: c.header for c in columns},
        rows=tuple({c.key: cell_text(c.kind, c.key, row) for c in columns} for row in frame.to_dict("records")),
        caption=caption,
    )


# --- slide captions (under the title) and a recommendation's figures ----------------------------------

CHALLENGE_WHY = (
    "Actions whose lead reports them on track although their due date has passed — ask why the date "
    "has not been revised or the status changed."
)


def overdue_caption(
    as_of: dt.date,
    challenge_list: bool,
    lead: str | None = None,
    statuses: tuple[str, ...] = (),
    partner: str | None = None,
    baseline: bool = False,
) -> str:
    filters = describe_filters(None, lead, statuses, partner)
    said = CHALLENGE_WHY if challenge_list else overdue_rule(as_of, baseline)
    return said + (f" Filtered to {filters}." if filters else "")


def changes_caption(plan_name: str, moves: movements.Transitions) -> str:
    return f"{plan_name}: {moves.from_review.label} to {moves.to_review.label}."


def direction_caption(plan_name: str) -> str:
    return (
        f"{plan_name}, since the previous review. ↑ improving: more of its actions moved better than "
        "worse; ↓ worsening: the reverse; → the same (the trends page states the full rule)."
    )


def figures_text(row) -> str:
    """A recommendation's figures beside its text on its first slide."""
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


# --- the lists -----------------------------------------------------------------------------------

CHANGE_TITLES = ("Completed", "Improved", "Slipped", "Newly overdue", "Due date moved later")
CHANGE_FIELDS = ["change", "action_id", "key", "description", "lead", "partner", "from", "to"]


def change_rows(moves: movements.Transitions, shown: pd.DataFrame) -> pd.DataFrame:
    """The actions that moved between the two reviews, one row per change, limited to the actions
    in `shown` (review_actions under the filters). An action in two lists is in both."""
    partner_of = dict(zip(shown["action_id"], shown["partner"], strict=True))
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
        for title, refs in moves.lists(*CHANGE_TITLES)
        for r in (x.action if isinstance(x, movements.DueDateMove) else x for x in refs)
        if r.action_id in partner_of
    ]
    return pd.DataFrame(rows, columns=CHANGE_FIELDS)


DIRECTION_FIELDS = ["ref", "recommendation", "direction", "better", "worse", "compared", "added", "dropped", "complete"]


def _pct(value: int | None) -> str:
    return "—" if value is None else percent_text(value)


def direction_rows(directions: Sequence[RecommendationDirection]) -> pd.DataFrame:
    """Direction of travel per recommendation, one row each, as the trends page and its slide show it."""
    rows = [
        {
            "ref": d.rec_ref,
            "recommendation": f"{d.rec_ref} · {short_text(d.rec_text, 60)}",
            "direction": f"{d.arrow} {d.direction.capitalize()}",
            "better": d.better,
            "worse": d.worse,
            "compared": d.compared,
            "added": d.added,
            "dropped": d.dropped,
            "complete": f"{_pct(d.pct_complete_from)} → {_pct(d.pct_complete_to)}",
        }
        for d in directions
    ]
    return pd.DataFrame(rows, columns=DIRECTION_FIELDS)


MEASURE_FIELDS = ["name", "recommendations", "latest", "target", "met", "change"]


def measure_rows(measures: Sequence[Measure]) -> pd.DataFrame:
    """One row per measure, as it stands (pass measures already cut to the review's date with
    Measure.as_at): latest value with its period, the target in force, Met / Not met / No data and
    the change since the previous period, all as words."""
    rows = []
    for m in measures:
        s = m.standing
        latest = measure_rules.number_text(s.value, m.unit)
        rows.append(
            {
                "name": m.name,
                "recommendations": ", ".join(m.recommendations),
                "latest": f"{latest} ({short_date(s.period_end)})" if s.period_end else latest,
                "target": measure_rules.number_text(s.target, m.unit) if s.target is not None else "none",
                "met": s.word,
                "change": m.change,
            }
        )
    return pd.DataFrame(rows, columns=MEASURE_FIELDS)


def measures_caption(plan_name: str, measures: pd.DataFrame) -> str:
    met = int((measures["met"] == measure_rules.MET).sum())
    return f"{plan_name}: {measure_rules.at_target_text(met, len(measures))}. {measure_rules.MET_RULE}"


def partners_of(actions: pd.DataFrame) -> tuple[str, ...]:
    """The review's partner agencies (joint inspections), as the controls offer them; () for most plans."""
    return tuple(sorted(set(actions["partner"].dropna())))


# --- the deck ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeckLists:
    """Everything a deck is planned from, for one plan, review, overdue date and filters.

    by_rec: board.recommendation_summary; actions: review_actions under the filters; overdue and
    challenge: board.overdue_actions (in the order shown) and board.green_but_overdue under the
    filters; changes: change_rows (None: no previous review); direction: direction_rows (None:
    no previous review)."""

    plan_name: str
    as_of: dt.date
    by_rec: pd.DataFrame
    actions: pd.DataFrame
    overdue: pd.DataFrame
    challenge: pd.DataFrame
    changes: pd.DataFrame | None = None
    moves: movements.Transitions | None = None
    summary: str | None = None
    direction: pd.DataFrame | None = None
    partners: bool = False
    lead: str | None = None
    statuses: tuple[str, ...] = ()
    partner: str | None = None
    measures: pd.DataFrame | None = None  # measure_rows (None: the plan has none)
    baseline: bool = False  # overdue judged against the baseline (original) due date
    # The board's decisions (issue 25): signoff_rows and date_change_rows of signoff_figures'
    # awaiting_signoff and changes_for_approval (None: no such slides).
    signoff: pd.DataFrame | None = None
    date_changes: pd.DataFrame | None = None

    def actions_of(self, ref: str) -> pd.DataFrame:
        return self.actions[self.actions["rec_ref"] == ref].reset_index(drop=True)


def deck_facts(lists: DeckLists) -> DeckFacts:
    """What slide_layout.plan_deck plans the deck from: every list as its slides draw it."""
    a_cols, o_cols = action_columns(lists.partners), overdue_columns(lists.partners)
    recs = tuple(
        RecommendationFacts(
            str(row["ref"]), str(row["text"]), figures_text(row), table(lists.actions_of(str(ref)), a_cols)
        )
        for ref, (_, row) in zip(lists.by_rec["ref"], lists.by_rec.iterrows(), strict=True)
    )
    changes_table = None
    if lists.changes is not None and lists.moves is not None:
        changes_table = table(
            lists.changes, change_columns(lists.partners), changes_caption(lists.plan_name, lists.moves)
        )
    filters = dict(lead=lists.lead, statuses=lists.statuses, partner=lists.partner, baseline=lists.baseline)
    direction = lists.direction
    return DeckFacts(
        recommendations=recs,
        changes=changes_table,
        summary=lists.summary if changes_table is not None else None,
        overdue=table(lists.overdue, o_cols, overdue_caption(lists.as_of, False, **filters)),
        challenge=table(lists.challenge, o_cols, overdue_caption(lists.as_of, True, **filters)),
        direction=table(direction, direction_columns(), direction_caption(lists.plan_name))
        if direction is not None
        else None,
        measures=measures_table(lists),
        **decision_tables(lists),
    )


def measures_table(lists: DeckLists) -> slide_layout.Table | None:
    """The measures of success as their slides draw them (None: the plan has none)."""
    if lists.measures is None or lists.measures.empty:
        return None
    return table(lists.measures, measure_columns(), measures_caption(lists.plan_name, lists.measures))


def decision_tables(lists: DeckLists) -> dict[str, slide_layout.Table | None]:
    """The sign-off and date-change slides' tables (issue 25), for DeckFacts."""
    return {
        "signoff": table(lists.signoff, signoff_columns(), SIGNOFF_CAPTION) if lists.signoff is not None else None,
        "date_changes": table(lists.date_changes, date_change_columns(), DATE_CHANGES_CAPTION)
        if lists.date_changes is not None
        else None,
    }


def plan(lists: DeckLists) -> list[Slide]:
    """The deck's slides in the meeting's running order (slide_layout.plan_deck)."""
    return slide_layout.plan_deck(deck_facts(lists))


def unfiltered(
    plan_name: str,
    as_of: dt.date,
    by_rec: pd.DataFrame,
    actions: pd.DataFrame,
    overdue: pd.DataFrame,
    challenge: pd.DataFrame,
    moves: movements.Transitions | None,
    summary: str | None,
    directions: Sequence[RecommendationDirection] | None,
    measures: Sequence[Measure] = (),
) -> DeckLists:
    """The lists of a deck with no filters (the papers'): overdue in plan order, the changes and the
    direction of travel since the compared review (None: there is none), and the measures of
    success as they stood at the review (Measure.as_at)."""
    return DeckLists(
        plan_name=plan_name,
        as_of=as_of,
        by_rec=by_rec,
        actions=actions,
        overdue=board.sort_overdue(overdue, "plan"),
        challenge=challenge,
        changes=change_rows(moves, actions) if moves is not None else None,
        moves=moves,
        summary=summary,
        direction=direction_rows(directions) if moves is not None and directions is not None else None,
        partners=bool(partners_of(actions)),
        measures=measure_rows(measures) if measures else None,
    )


def exception_slides(rows: pd.DataFrame, caption: str) -> list[Slide]:
    """The exception report's slide set (slide_layout.plan_exceptions), from its rows
    (papers.exception_report.slide_rows) and the caption under each slide's title (its figures)."""
    return slide_layout.plan_exceptions(table(rows, exception_columns(), caption))
