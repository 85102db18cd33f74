"""The controls every page shares (plan, review, overdue-as-at date, filters, presentation mode),
drawn in the sidebar and kept in the URL (pages/ui/url_state.py), and the View they select."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

import streamlit as st

from data_access.clock import london_today
from data_access.db import database_url, describe_url
from data_access.reads import catalogue, review_figures
from data_access.rules import STATUSES, status_text
from data_access.wording import short_date
from pages.ui import auth, url_state
from pages.ui.database import query

KEYS = ("plan", "review", "as_of", "rec", "lead", "status", "present")  # widget key = URL parameter


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
        if self.rec:
            params["rec"] = self.rec
        if self.lead:
            params["lead"] = self.lead
        if self.statuses:
            params["status"] = list(self.statuses)
        if self.present:
            params["present"] = "1"
        return params


def _as_of_from_url() -> dt.date | None:
    value = url_state.text("as_of")
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def render() -> View:
    """Draw the shared sidebar controls and return the view they select."""
    url_state.restore_kept()
    plans = query(catalogue.list_plans)
    sidebar = st.sidebar
    sidebar.markdown("### Improvement Board")
    if plans.empty:
        sidebar.info("No action plans yet. Upload a tracker to start.")
        return View(None, None, None, None, None, None, london_today(), None, None, (), False)

    plan_ids = [int(p) for p in plans["id"]]
    names = dict(zip(plan_ids, plans["name"], strict=True))
    url_plan = url_state.whole_number("plan")
    url_state.adopt(
        "plan", "plan", url_plan, valid=url_plan in plan_ids, default=plan_ids[0], still_valid=lambda v: v in plan_ids
    )
    plan_id = sidebar.selectbox(
        "Action plan",
        plan_ids,
        format_func=lambda i: names[i],
        key="plan",
        persist_state="session",
        disabled=len(plan_ids) == 1,
        help="The inspection action plan to show.",
    )

    reviews = query(catalogue.list_reviews, plan_id)
    review_ids = [int(r) for r in reviews["id"]]
    labels = {int(r.id): f"{r.label} — as at {short_date(r.as_at)}" for r in reviews.itertuples()}
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
            format_func=lambda i: labels[i],
            key="review",
            persist_state="session",
            help="A review is the plan's position at one date (usually a quarter end).",
        )
        if review_ids
        else None
    )

    url_as_of = _as_of_from_url()
    url_state.adopt(
        "as_of",
        "as_of",
        url_as_of,
        valid=url_as_of is not None,
        default=london_today(),
        still_valid=lambda v: v is not None,
    )
    as_of = sidebar.date_input(
        "Overdue as at",
        key="as_of",
        persist_state="session",
        format="DD/MM/YYYY",
        help="Actions not complete with a due date before this date count as overdue. "
        "Boards often use the meeting date.",
    )

    actions = query(review_figures.review_actions, review_id, as_of) if review_id else None
    rec_refs = list(dict.fromkeys(actions["rec_ref"])) if actions is not None else []
    leads = sorted(set(actions["lead"].dropna())) if actions is not None else []
    filtered_in_url = bool(url_state.text("rec") or url_state.text("lead") or url_state.text("status"))
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
            format_func=lambda r: "All recommendations" if r is None else f"Recommendation {r}",
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
            format_func=lambda x: "All leads" if x is None else x,
        )
        raw_statuses = url_state.raw("status") or []
        raw_statuses = [raw_statuses] if isinstance(raw_statuses, str) else raw_statuses
        url_statuses = [s for s in raw_statuses if s in STATUSES]
        url_state.adopt("status", "status", url_statuses, valid=bool(url_statuses) or raw_statuses == [""])
        statuses = st.multiselect(
            "Status", list(STATUSES), key="status", persist_state="session", format_func=status_text
        )

    url_state.adopt("present", "present", url_state.text("present") == "1", valid=True)
    present = sidebar.toggle(
        "Presentation mode", key="present", persist_state="session", help="Large text for the projector."
    )

    review_row = reviews[reviews["id"] == review_id].iloc[0] if review_id else None
    position = review_ids.index(review_id) if review_id else 0
    view = View(
        plan_id=plan_id,
        plan_name=names[plan_id],
        review_id=review_id,
        review_label=review_row["label"] if review_row is not None else None,
        review_as_at=review_row["as_at"] if review_row is not None else None,
        previous_review_id=review_ids[position - 1] if position > 0 else None,
        as_of=as_of,
        rec=rec,
        lead=lead,
        statuses=tuple(statuses),
        present=present,
        rec_refs=tuple(rec_refs),
    )
    url_state.keep(KEYS)
    url_state.publish(view.query_params(), replace=KEYS)
    if auth.is_admin():  # where the data is, password hidden: for admins only
        sidebar.caption(f"Data: {describe_url(database_url())}")
    return view
