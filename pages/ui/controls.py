"""The controls every page shares (plan, review, overdue-as-at date, filters, presentation mode),
drawn in the sidebar and kept in the URL (pages/ui/url_state.py), and the View they select.

A link that cannot be honoured as it stands (an unknown plan or review, a review of another plan,
an 'overdue as at' that is not a date or falls before the review's date) opens the nearest
sensible view, and the View carries one short notice saying so (data_access.reads.link_check)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

import streamlit as st

from data_access.domain.clock import london_today
from data_access.domain.rules import STATUSES, status_text
from data_access.domain.wording import short_date
from data_access.reads import board_meetings, catalogue, link_check, review_figures
from data_access.storage.database import database_url, describe_url
from pages.ui import auth, url_state
from pages.ui.cached_reads import query
from pages.ui.plain import option

KEYS = ("plan", "review", "as_of", "judge", "rec", "lead", "status", "partner", "present")  # widget key = URL parameter

# "Judge overdue against": the current approved date (the default, not in the URL) or the baseline.
CURRENT, BASELINE = "current", "baseline"
JUDGE_CHOICES = {
    CURRENT: "current approved date",
    BASELINE: "baseline (original) date",
}


@dataclass(frozen=True)
class View:
    """What the controls select: the plan, its review, the overdue date and the filters."""

    plan_id: int | None
    plan_name: str | None
    review_id: int | None
    review_label: str | None
    review_as_at: dt.date | None
    previous_review_id: int | None
    as_of: dt.date
    rec: str | None
    lead: str | None
    statuses: tuple[str, ...]
    present: bool
    rec_refs: tuple[str, ...] = ()  # the review's recommendations, in plan order
    partner: str | None = None
    partners: tuple[str, ...] = ()  # the review's partner agencies (joint inspections); () for most plans
    notices: tuple[str, ...] = ()  # links that could not be honoured as they stand (tracker text inside)
    baseline: bool = False  # overdue judged against the baseline (original) due date (judge=baseline)

    def link(self, page: str, **extra) -> str:
        """A URL path + query string that reopens this view on `page` (for HTML links)."""
        params = dict(self.query_params().items())
        params.update({k: v for k, v in extra.items() if v is not None})
        query_string = urlencode(params, doseq=True)
        return f"/{page}" + (f"?{query_string}" if query_string else "")

    def query_params(self) -> dict[str, str | list[str]]:
        params: dict[str, str | list[str]] = {}
        if self.plan_id is not None:
            params["plan"] = str(self.plan_id)
        if self.review_id is not None:
            params["review"] = str(self.review_id)
        params["as_of"] = self.as_of.isoformat()
        if self.baseline:
            params["judge"] = BASELINE
        if self.rec:
            params["rec"] = self.rec
        if self.lead:
            params["lead"] = self.lead
        if self.statuses:
            params["status"] = list(self.statuses)
        if self.partner:
            params["partner"] = self.partner
        if self.present:
            params["present"] = "1"
        return params


def _plan_choice(plan_ids: list[int]) -> None:
    """Before the plan widget: a link naming a review but no (stored) plan opens that review's plan."""
    if url_state.whole_number("plan") in plan_ids or not url_state.is_new("review"):
        return
    review_id = url_state.whole_number("review")
    owner = query(catalogue.review_owner, review_id) if review_id is not None else None
    if owner is not None and not owner.replaced and owner.plan_id in plan_ids:
        st.session_state["plan"] = owner.plan_id


def _as_of_choice(review_as_at: dt.date | None, notices: list[str]) -> dt.date | None:
    """Before the date widget: the link's date (or a notice and the nearest sensible date), and a
    session date before a newly chosen review's own date moved up to it."""
    today = london_today()
    floor = review_as_at or dt.date.min
    if url_state.is_new("as_of"):
        url_as_of, notice = link_check.parse_as_of(url_state.text("as_of"), review_as_at, today)
        if notice:
            notices.append(notice)
        if url_as_of is not None:
            return url_as_of
    current = st.session_state.get("as_of")
    if isinstance(current, dt.date) and not (floor <= current <= link_check.LATEST_AS_OF):
        moved, notice = link_check.parse_as_of(current.isoformat(), review_as_at, today, where="")
        if notice:
            notices.append(notice)
        return moved
    return None


def render() -> View:
    """Draw the shared sidebar controls and return the view they select."""
    plans = query(catalogue.list_plans)
    sidebar = st.sidebar
    sidebar.markdown("### Improvement Board")
    if plans.empty:
        sidebar.info("No action plans yet. Upload a tracker to start.")
        return View(None, None, None, None, None, None, london_today(), None, None, (), False)

    notices: list[str] = []
    plan_ids = [int(p) for p in plans["id"]]
    names = dict(zip(plan_ids, plans["name"], strict=True))
    url_plan = url_state.whole_number("plan")
    plan_link_is_new = url_state.is_new("plan")
    review_link_is_new = url_state.is_new("review")
    _plan_choice(plan_ids)
    url_state.adopt(
        "plan",
        "plan",
        url_plan,
        valid=url_plan in plan_ids,
        default=plan_ids[0],
        still_valid=lambda v: v in plan_ids,
    )
    plan_id = sidebar.selectbox(
        "Action plan",
        plan_ids,
        format_func=lambda i: option(names[i]),
        key="plan",
        persist_state="session",
        disabled=len(plan_ids) == 1,
        help="The inspection action plan to show.",
    )
    if plan_link_is_new:
        notice = link_check.plan_notice(url_state.text("plan"), url_plan in plan_ids, names[plan_id])
        notices += [notice] if notice else []

    reviews = query(catalogue.list_reviews, plan_id)
    review_ids = [int(r) for r in reviews["id"]]
    # Each review's label and date by id: a boolean mask over the frame was 7 % of a warm served run
    # (profiled, issue 27).
    by_id = {int(r.id): (r.label, r.as_at) for r in reviews.itertuples()}
    labels = {i: f"{label} — as at {short_date(as_at)}" for i, (label, as_at) in by_id.items()}
    url_review = url_state.whole_number("review")
    url_state.adopt(
        "review",
        "review",
        url_review,
        valid=url_review in review_ids,
        default=review_ids[-1] if review_ids else None,
        still_valid=lambda v: v in review_ids,
    )
    review_id = (
        sidebar.selectbox(
            "Review",
            review_ids,
            format_func=lambda i: option(labels[i]),
            key="review",
            persist_state="session",
            help="A review is the plan's position at one date (usually a quarter end).",
        )
        if review_ids
        else None
    )
    review_row = dict(zip(("label", "as_at"), by_id[review_id], strict=True)) if review_id else None
    if review_link_is_new and url_state.text("review") is not None:
        owner = query(catalogue.review_owner, url_review) if url_review is not None else None
        shown = review_row["label"] if review_row is not None else None
        notice = link_check.review_notice(url_state.text("review"), owner, plan_id, names[plan_id], shown)
        notices += [notice] if notice else []

    review_as_at = review_row["as_at"] if review_row is not None else None
    if review_as_at is not None and not isinstance(review_as_at, dt.date):
        review_as_at = review_as_at.date()
    chosen_as_of = _as_of_choice(review_as_at, notices)
    if chosen_as_of is not None:
        st.session_state["as_of"] = chosen_as_of
    url_state.adopt(
        "as_of",
        "as_of",
        None,
        valid=False,  # the link's date was read (and checked) by _as_of_choice
        # The plan's next board meeting on or after the review, else today (one rule: reads.board_meetings).
        default=query(board_meetings.default_as_of, plan_id, review_as_at, london_today()),
        still_valid=lambda v: isinstance(v, dt.date),
    )
    as_of = sidebar.date_input(
        "Overdue as at",
        key="as_of",
        persist_state="session",
        format="DD/MM/YYYY",
        min_value=review_as_at,
        max_value=link_check.LATEST_AS_OF,
        help="Actions not complete with a due date before this date count as overdue. "
        "It starts at the board's next meeting after the review (recorded in Plan settings), else today. "
        "It cannot be before the review's own date.",
    )

    url_judge = url_state.text("judge")
    url_state.adopt("judge", "judge", url_judge or CURRENT, valid=url_judge in (None, *JUDGE_CHOICES), default=CURRENT,
                    still_valid=lambda v: v in JUDGE_CHOICES)  # fmt: skip
    judge = sidebar.radio(
        "Judge overdue against",
        list(JUDGE_CHOICES),
        format_func=JUDGE_CHOICES.__getitem__,
        key="judge",
        persist_state="session",
        help="The current approved date: a revised date replaces the original unless the board refused it. "
        "The baseline: the original date, before any change (the board's check on how far dates have slipped).",
    )
    baseline = judge == BASELINE

    actions = query(review_figures.review_actions, review_id, as_of, baseline) if review_id else None
    rec_refs = list(dict.fromkeys(actions["rec_ref"])) if actions is not None else []
    leads = sorted(set(actions["lead"].dropna())) if actions is not None else []
    partners = sorted(set(actions["partner"].dropna())) if actions is not None else []
    filtered_in_url = any(url_state.text(p) for p in ("rec", "lead", "status", "partner"))
    with sidebar.expander("Filters", expanded=filtered_in_url):
        url_rec = url_state.text("rec")
        url_state.adopt(
            "rec", "rec", url_rec, valid=url_rec in [None, *rec_refs], still_valid=lambda v: v in [None, *rec_refs]
        )
        rec = st.selectbox(
            "Recommendation",
            [None, *rec_refs],
            key="rec",
            persist_state="session",
            format_func=lambda r: "All recommendations" if r is None else option(f"Recommendation {r}"),
        )
        url_lead = url_state.text("lead")
        url_state.adopt(
            "lead", "lead", url_lead, valid=url_lead in [None, *leads], still_valid=lambda v: v in [None, *leads]
        )
        lead = st.selectbox(
            "Lead",
            [None, *leads],
            key="lead",
            persist_state="session",
            format_func=lambda x: "All leads" if x is None else option(x),
        )
        raw_statuses = url_state.raw("status") or []
        raw_statuses = [raw_statuses] if isinstance(raw_statuses, str) else raw_statuses
        url_statuses = [s for s in raw_statuses if s in STATUSES]
        url_state.adopt("status", "status", url_statuses, valid=bool(url_statuses) or raw_statuses == [""])
        statuses = st.multiselect(
            "Status", list(STATUSES), key="status", persist_state="session", format_func=status_text
        )
        url_partner = url_state.text("partner")
        url_state.adopt(
            "partner",
            "partner",
            url_partner,
            valid=url_partner in [None, *partners],
            still_valid=lambda v: v in [None, *partners],
        )
        partner = (
            st.selectbox(
                "Partner agency",
                [None, *partners],
                key="partner",
                persist_state="session",
                format_func=lambda x: "All partner agencies" if x is None else option(x),
                help="Joint inspections: the agency responsible for the action.",
            )
            if partners
            else None
        )

    url_state.adopt("present", "present", url_state.text("present") == "1", valid=True)
    present = sidebar.toggle(
        "Presentation mode", key="present", persist_state="session", help="Large text for the projector."
    )

    position = review_ids.index(review_id) if review_id else 0
    view = View(
        plan_id=plan_id,
        plan_name=names[plan_id],
        review_id=review_id,
        review_label=review_row["label"] if review_row is not None else None,
        review_as_at=review_as_at,
        previous_review_id=review_ids[position - 1] if position > 0 else None,
        as_of=as_of,
        rec=rec,
        lead=lead,
        statuses=tuple(statuses),
        present=present,
        rec_refs=tuple(rec_refs),
        partner=partner,
        partners=tuple(partners),
        notices=tuple(notices),
        baseline=baseline,
    )
    url_state.publish(view.query_params(), replace=KEYS)
    if auth.is_admin():  # where the data is, password hidden: for admins only
        sidebar.caption(f"Data: {describe_url(database_url())}")
    return view
