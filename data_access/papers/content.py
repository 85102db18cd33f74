"""Every figure a paper shows, gathered once from data_access.reads for one (plan, review, overdue
as at, compared with) — or for every plan (the portfolio). The formats (PDF, slides, Word, Excel,
tracker) only lay these out; none of them queries the database or applies a rule itself.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import Engine

from data_access.domain.clean_text import clean_text, needs_cleaning
from data_access.domain.clock import london_now
from data_access.domain.rules import STATUS_STYLE, STATUSES, overdue_lag_days, percent, status_text
from data_access.domain.wording import (
    POINTS,
    change_text,
    long_date,
    percent_text,
    share_text,
    short_date,
    stored_time,
)
from data_access.papers.typst_text import isolated
from data_access.reads import (
    board,
    catalogue,
    completion_forecast,
    deck_plan,
    direction_of_travel,
    review_figures,
    review_lookup,
    review_summary,
    status_mix,
)
from data_access.reads.measures import AtTarget, Measure, at_target_figure, plan_measures
from data_access.reads.movements import Transitions, transitions
from data_access.reads.signoff_figures import (
    DateChange,
    DecisionSummary,
    awaiting_signoff,
    changes_for_approval,
    decision_summary,
    moved_without_approval,
)
from data_access.storage.plan_admin import ReportSettings, report_settings


class PaperError(ValueError):
    """A request that cannot be made into a paper; the message is one sentence for a person."""


@dataclass(frozen=True)
class Headline:
    """A review's headline figures, with the compared review's (None when there is none)."""

    actions: int
    complete: int
    pct_complete: int  # rules.percent
    red: int
    overdue: int
    status_counts: dict[str, int]
    before: Headline | None = None

    def change(self, figure: str) -> int | None:
        """This figure minus the compared review's; percentage points for pct_complete."""
        return None if self.before is None else getattr(self, figure) - getattr(self.before, figure)

    def figures(self) -> list[tuple[str, str, str | None, str]]:
        """The headline table every paper shows, as text: (figure, now, before, change); `before`
        is None when there is nothing to compare with."""
        b = self.before
        return [
            ("Actions", str(self.actions), b and str(b.actions), change_text(self.change("actions"))),
            (
                "Complete",
                share_text(self.pct_complete, self.complete, self.actions),
                b and share_text(b.pct_complete, b.complete, b.actions),
                change_text(self.change("pct_complete"), POINTS),
            ),
            (
                f"{STATUS_STYLE['red'].symbol} Red (off track)",
                str(self.red),
                b and str(b.red),
                change_text(self.change("red")),
            ),
            ("Overdue", str(self.overdue), b and str(b.overdue), change_text(self.change("overdue"))),
        ]


def _headline(kpis: review_figures.Kpis, before: Headline | None = None) -> Headline:
    counts = {s: int(getattr(kpis, s)) for s in STATUSES}
    return Headline(
        kpis.actions, kpis.complete, percent(kpis.complete, kpis.actions), kpis.red, kpis.overdue, counts, before
    )


@dataclass
class BoardContent:
    """One plan at one review: everything the board pack, deck, cabinet report and tracker show."""

    plan_id: int
    plan_name: str
    organisation: str | None
    target_date: dt.date | None
    review: review_lookup.ReviewRef
    compare: review_lookup.ReviewRef | None  # the earlier review compared with (None: the plan's first)
    as_of: dt.date  # overdue counted as at (the meeting date)
    compare_as_of: dt.date | None  # the compared review's overdue counted as at (board.comparison_as_of)
    headline: Headline
    by_rec: pd.DataFrame  # board.recommendation_summary
    actions: pd.DataFrame  # review_figures.review_actions
    overdue: pd.DataFrame  # board.overdue_actions
    overdue_by_rec: pd.DataFrame  # board.overdue_by_recommendation
    green_overdue: pd.DataFrame  # board.green_but_overdue
    summary: str | None  # review_summary.since_last_review_summary
    moves: Transitions | None
    directions: list[direction_of_travel.RecommendationDirection]
    # status_mix.status_mix, overdue counted as long after each review's date as as_of is after this
    # review's (rules: 'Overdue: one question, one date'): this review's row is the headline figure
    mix: pd.DataFrame
    forecast: completion_forecast.Forecast | None
    generated_at: dt.datetime  # London time
    report: ReportSettings | None = None  # the plan's report details (plan settings), for the cabinet report
    decisions: DecisionSummary | None = None  # sign-off and date changes (issue 25)
    # due dates moved without approval up to this review (signoff_figures.moved_without_approval):
    # the overview's figure, listed (the exception report)
    unapproved: list[DateChange] = field(default_factory=list)
    # The plan's measures of success as they stood at the review's date (issue 24): see measure_rows.
    measures: list[Measure] = field(default_factory=list)
    # For decision (issue 25): signoff_figures.awaiting_signoff and changes_for_approval
    for_signoff: pd.DataFrame = field(default_factory=pd.DataFrame)
    for_approval: pd.DataFrame = field(default_factory=pd.DataFrame)
    # Overdue judged against each action's baseline (original) due date (the sidebar's "Judge overdue
    # against", judge=baseline): every figure and list above follows it, and the papers say so.
    baseline: bool = False

    @property
    def measure_rows(self) -> pd.DataFrame:
        """One row per measure as the papers list it (deck_plan.measure_rows): latest value, target,
        Met / Not met / No data and the change, in words."""
        return deck_plan.measure_rows(self.measures)

    @property
    def rec_refs(self) -> list[str]:
        return [str(r) for r in self.by_rec["ref"]]

    def actions_of(self, ref: str) -> pd.DataFrame:
        return self.actions[self.actions["rec_ref"] == ref]

    def overdue_of(self, ref: str) -> pd.DataFrame:
        return self.overdue[self.overdue["rec_ref"] == ref]

    def decision_sections(self) -> list[DecisionSection]:
        """The pack's "for decision" sections (for_decision, issue 25)."""
        return for_decision(self)


def _review_choice(
    engine: Engine, plan_id: int, plan_name: str, review_id: int | None
) -> list[review_lookup.ReviewRef]:
    reviews = review_lookup.current_reviews(engine, plan_id)
    if not reviews:
        raise PaperError(f"Plan '{plan_name}' has no reviews yet, so there is nothing to put in a paper.")
    if review_id is not None and review_id not in {r.id for r in reviews}:
        raise PaperError(f"Plan '{plan_name}' has no current review with id {review_id}.")
    return reviews


def cover_facts(content: BoardContent) -> list[tuple[str, str]]:
    """The board pack's cover, in order (the PDF's and the HTML file's): what was judged, when."""
    c = content
    return [
        ("Plan", c.plan_name),
        *([("Organisation", c.organisation)] if c.organisation else []),
        ("Review", c.review.label),
        ("Position as at", long_date(c.review.as_at)),
        ("Overdue as at", long_date(c.as_of)),
        ("Compared with", c.compare.title if c.compare else "nothing: this is the plan's first review"),
        *([("Plan target date", long_date(c.target_date))] if c.target_date else []),
        ("Produced", stored_time(c.generated_at.astimezone(dt.UTC).replace(tzinfo=None))),
    ]


def board_title(content: BoardContent) -> str:
    """The board pack's document title, the same in the PDF and the HTML file."""
    c = content
    return (
        f"Board pack: {isolated(c.plan_name)}, {isolated(c.review.label)} (position as at {long_date(c.review.as_at)})"
    )


def status_key_sentence() -> str:
    """The board pack's key to the statuses, under its cover facts (PDF and HTML)."""
    return (
        "Statuses are shown as a symbol, a letter and a word: "
        + "; ".join(f"{status_text(s)} ({STATUS_STYLE[s].meaning})" for s in STATUSES)
        + "."
    )


def compare_sentence(content: BoardContent) -> str:
    """What the headline figures' change is against (only when there is a compared review)."""
    c = content
    return (
        f"Change since {isolated(c.compare.title)}; that review's overdue count is taken as at "
        f"{long_date(c.compare_as_of)}, as long after its date as {long_date(c.as_of)} is after this one's."
    )


MOVED_LATER_HEADER = ["Rec", "Action", "What will be done", "Lead", "Was due", "Now due", "Days later"]


def moved_later_rows(moved) -> list[list[str]]:
    """The cabinet report's due dates moved later (movements' due_date_moved_later), one row each
    under MOVED_LATER_HEADER: the same table in Word and HTML."""
    return [
        [
            m.action.rec_ref,
            m.action.key,
            m.action.description,
            m.action.lead,
            short_date(m.action.from_due),
            short_date(m.action.to_due),
            str(m.days_later),
        ]
        for m in moved
    ]


GREEN_OVERDUE_ASK = (
    "Actions whose lead reports them on track although their due date has passed: ask why the date has "
    "not been revised or the status changed."
)


def board_content(
    engine: Engine,
    plan_id: int,
    review_id: int | None = None,
    as_of: dt.date | None = None,
    compare_id: int | None = None,
    *,
    movements: bool = True,
    history: bool = True,
    baseline: bool = False,
) -> BoardContent:
    """The figures for one plan: review (default: the latest), overdue as at `as_of` (default:
    today in London), compared with `compare_id` (default: the review before); overdue judged
    against each action's baseline (original) due date when `baseline`, else the current approved
    one. A format that does not show them can skip the movements since the compared review
    (`moves`, `summary`) or the plan's history (`mix`, `forecast`, `directions`): they are left empty."""
    plans = catalogue.list_plans(engine)
    found = plans[plans["id"] == plan_id]
    if found.empty:
        raise PaperError(f"There is no plan with id {plan_id}.")
    plan = records(found)[0]
    reviews = _review_choice(engine, plan_id, plan["name"], review_id)
    ids = [r.id for r in reviews]
    review = reviews[ids.index(review_id)] if review_id is not None else reviews[-1]
    position = ids.index(review.id)
    if compare_id is None:
        compare = reviews[position - 1] if position > 0 else None
    else:
        if compare_id not in ids:
            raise PaperError(f"Plan '{plan['name']}' has no current review with id {compare_id} to compare with.")
        compare = reviews[ids.index(compare_id)]
        if ids.index(compare.id) >= position:
            raise PaperError(
                f"The review to compare with ({compare.title}) must be earlier than the review reported "
                f"({review.title})."
            )
    as_of = as_of or london_now().date()

    change = board.kpi_change(engine, review.id, as_of, compare.id if compare else None, baseline)
    before = _headline(change.previous) if change.previous else None
    overdue = board.overdue_actions(engine, review.id, as_of, baseline=baseline)
    moves = summary = None
    directions: list[direction_of_travel.RecommendationDirection] = []
    if compare is not None and movements:
        moves = transitions(engine, compare.id, review.id)
        summary = review_summary.since_last_review_summary(engine, plan_id, compare.id, review.id)
    if compare is not None and history:
        directions = direction_of_travel.direction_by_recommendation(engine, compare.id, review.id)
    return cleaned(
        BoardContent(
            plan_id=plan_id,
            plan_name=plan["name"],
            organisation=plan.get("organisation") if isinstance(plan.get("organisation"), str) else None,
            target_date=plan.get("target_date") if isinstance(plan.get("target_date"), dt.date) else None,
            review=review,
            compare=compare,
            as_of=as_of,
            compare_as_of=change.previous_as_of,
            headline=_headline(change.current, before),
            by_rec=board.recommendation_summary(engine, review.id, as_of, baseline),
            actions=review_figures.review_actions(engine, review.id, as_of, baseline),
            overdue=overdue,
            overdue_by_rec=board.overdue_by_recommendation(overdue),
            green_overdue=board.green_but_overdue(engine, review.id, as_of, baseline=baseline),
            summary=summary,
            moves=moves,
            directions=directions,
            mix=status_mix.status_mix(engine, plan_id, overdue_lag_days(as_of, review.as_at), baseline)
            if history
            else pd.DataFrame(),
            forecast=completion_forecast.forecast(engine, plan_id) if history else None,
            generated_at=london_now(),
            report=report_settings(engine, plan_id),
            decisions=decision_summary(engine, plan_id, review.id),
            unapproved=moved_without_approval(engine, plan_id, review.id),
            measures=measures_at(engine, plan_id, review.as_at),
            for_signoff=awaiting_signoff(engine, review.id),
            for_approval=changes_for_approval(engine, plan_id, review.id),
            baseline=baseline,
        )
    )


def measures_at(engine: Engine, plan_id: int, as_at: dt.date) -> list[Measure]:
    """The plan's measures of success with only the periods ending by `as_at` (a review's date)."""
    return [m.as_at(as_at) for m in plan_measures(engine, plan_id)]


# --- the portfolio: every plan side by side ---------------------------------------------------


@dataclass(frozen=True)
class PlanLine:
    """One plan in the portfolio: its latest review, headline figures and direction of travel."""

    plan_id: int
    plan_name: str
    inspection_type: str | None
    review: review_lookup.ReviewRef | None  # None: no reviews yet
    compare: review_lookup.ReviewRef | None
    headline: Headline | None
    directions: list[direction_of_travel.RecommendationDirection]
    by_rec: pd.DataFrame | None
    summary: str | None
    # Measures of success at target at the latest review's date, and at the compared review's (issue 24):
    measures: AtTarget | None = None  # None: the plan has no measures

    def direction_count(self, direction: str) -> int:
        return sum(d.direction == direction for d in self.directions)


@dataclass
class PortfolioContent:
    as_of: dt.date
    plans: list[PlanLine]
    generated_at: dt.datetime
    baseline: bool = False  # overdue judged against each action's baseline (original) due date

    @property
    def with_reviews(self) -> list[PlanLine]:
        return [p for p in self.plans if p.review is not None]


def plan_line(
    engine: Engine, plan_id: int, plan_name: str, inspection_type: str | None, as_of: dt.date, baseline: bool = False
) -> PlanLine:
    """A plan's latest review against the one before, overdue as at `as_of` (against each action's
    baseline date when `baseline`)."""
    reviews = review_lookup.current_reviews(engine, plan_id)
    if not reviews:
        return PlanLine(plan_id, plan_name, inspection_type, None, None, None, [], None, None)
    review = reviews[-1]
    compare = reviews[-2] if len(reviews) > 1 else None
    change = board.kpi_change(engine, review.id, as_of, compare.id if compare else None, baseline)
    before = _headline(change.previous) if change.previous else None
    directions = direction_of_travel.direction_by_recommendation(engine, compare.id, review.id) if compare else []
    summary = review_summary.since_last_review_summary(engine, plan_id, compare.id, review.id) if compare else None
    by_rec = board.recommendation_summary(engine, review.id, as_of, baseline)
    return PlanLine(
        plan_id,
        plan_name,
        inspection_type,
        review,
        compare,
        _headline(change.current, before),
        directions,
        by_rec,
        summary,
        measures_at_target(engine, plan_id, review, compare),
    )


def measures_at_target(
    engine: Engine, plan_id: int, review: review_lookup.ReviewRef, compare: review_lookup.ReviewRef | None
) -> AtTarget | None:
    """The plan's measures at target as they stood at `review`'s date, and at `compare`'s (None:
    the plan has no measures)."""
    return at_target_figure(engine, plan_id, review.as_at, compare.id if compare else None)


def portfolio_content(engine: Engine, as_of: dt.date | None = None, baseline: bool = False) -> PortfolioContent:
    """Every plan (by name) at its latest review, overdue as at `as_of` (default: today in London),
    judged against each action's baseline (original) due date when `baseline`."""
    as_of = as_of or london_now().date()
    plans = catalogue.list_plans(engine)
    if plans.empty:
        raise PaperError("There are no action plans yet, so there is no portfolio to report.")
    lines = [
        plan_line(
            engine,
            int(p.id),
            p.name,
            p.inspection_type if isinstance(p.inspection_type, str) else None,
            as_of,
            baseline,
        )
        for p in plans.itertuples(index=False)
    ]
    return cleaned(PortfolioContent(as_of, lines, london_now(), baseline))


# --- the papers' boundary: one rule for text (domain/clean_text) ------------------------------


def cleaned(value):
    """`value` with every string in it cleaned by domain.clean_text: strings, DataFrame columns,
    dataclasses, named tuples, lists, tuples and dicts, recursively; anything unchanged is the same
    object. Text stored by an older version, or written by another path, still makes every paper."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, pd.DataFrame):
        return _cleaned_frame(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for f in dataclasses.fields(value):
            if f.init:
                old = getattr(value, f.name)
                new = cleaned(old)
                if new is not old:
                    changes[f.name] = new
        return dataclasses.replace(value, **changes) if changes else value
    if isinstance(value, (list, tuple)):
        items = [cleaned(v) for v in value]
        if all(new is old for new, old in zip(items, value, strict=True)):
            return value
        if hasattr(value, "_fields"):  # a NamedTuple
            return type(value)(*items)
        return type(value)(items)
    if isinstance(value, dict):
        pairs = [(cleaned(k), cleaned(v)) for k, v in value.items()]
        if all(k is k0 and v is v0 for (k, v), (k0, v0) in zip(pairs, value.items(), strict=True)):
            return value
        return dict(pairs)
    return value


def _cleaned_frame(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame
    for column in frame.columns:
        if frame[column].dtype.kind not in "OSU" and not isinstance(frame[column].dtype, pd.StringDtype):
            continue
        values = frame[column].tolist()
        if not any(isinstance(v, str) and needs_cleaning(v) for v in values):
            continue
        if out is frame:
            out = frame.copy()
        out[column] = pd.Series(
            [clean_text(v) if isinstance(v, str) else v for v in values], index=frame.index, dtype=frame[column].dtype
        )
    return out


# --- wording shared by the formats ------------------------------------------------------------


def records(frame: pd.DataFrame) -> list[dict]:
    """The frame's rows as dicts, column by column (pandas' to_dict fetches Arrow-backed cells one at
    a time: a second for a 300-action plan's slides)."""
    columns = {c: frame[c].tolist() for c in frame.columns}
    return [dict(zip(columns, values, strict=True)) for values in zip(*columns.values(), strict=True)]


def plain(value) -> str:
    """A cell's text: blanks (None, NaN, NA) are ''."""
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value)


def percent_words(part: int, whole: int) -> str:
    """'42%' by rules.percent, or '—' when there is nothing to count."""
    return percent_text(percent(part, whole)) if whole else "—"


# --- for decision: the board's decisions as every paper lists them (issue 25) ----------------------

FOR_DECISION = "For decision"
NO_EVIDENCE = "none recorded in the tracker"


@dataclass(frozen=True)
class DecisionSection:
    """One "for decision" list as a paper lays it out: its title (with its count), what the board is
    asked, the header, each column's share of the width, and the rows as plain text (the whole text:
    the slides cut it, the papers do not)."""

    title: str
    asked: str
    header: tuple[str, ...]
    widths: tuple[float, ...]
    rows: tuple[tuple[str, ...], ...]
    empty: str


def _section(title: str, asked: str, frame: pd.DataFrame, columns, empty: str) -> DecisionSection:
    rows = []
    for row in records(frame):
        if "evidence" in row and not plain(row["evidence"]).strip():
            row = {**row, "evidence": NO_EVIDENCE}
        rows.append(tuple(deck_plan.cell_text(c.kind, c.key, row) for c in columns))
    return DecisionSection(
        f"{title} ({len(rows)})",
        asked,
        tuple(c.header for c in columns),
        tuple(c.width for c in columns),
        tuple(rows),
        empty,
    )


def for_decision(content: BoardContent) -> list[DecisionSection]:
    """The complete actions awaiting sign-off, grouped by recommendation (in plan order) with their
    evidence, then the due date changes awaiting approval (not approved): the pack's "for decision"
    sections, the same in the PDF, the Word report and the Excel workbook (and as slides)."""
    return [
        _section(
            "Complete actions awaiting sign-off",
            deck_plan.SIGNOFF_CAPTION,
            content.for_signoff,
            deck_plan.signoff_columns(),
            "No complete action is awaiting sign-off.",
        ),
        _section(
            "Date changes for approval",
            deck_plan.DATE_CHANGES_CAPTION,
            content.for_approval,
            deck_plan.date_change_columns(),
            "No due date change is waiting for approval.",
        ),
    ]
