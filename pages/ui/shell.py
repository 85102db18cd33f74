"""The frame every page shares: page config, the database, cached queries, and the global
controls (plan, review, as-of date, filters, presentation mode) kept in the URL.

Pages start with `view = shell.page_view()`. That also makes the `pages/` deep-link hazard
safe: on a freshly started server Streamlit's legacy auto-discovery may run a page file
without app.py; the page then routes through app.py itself, so it gets the same navigation,
controls and database set-up as any other run.
"""

from __future__ import annotations

import datetime as dt
import importlib
import runpy
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from data_access.db import database_url, describe_url, make_engine, upgrade
from data_access.reads import catalogue, review_figures
from data_access.rules import STATUSES, status_text
from data_access.seed import seed_if_empty
from pages.ui import present

APP_PATH = Path(__file__).resolve().parents[2] / "app.py"
_ROUTED = "_routed_by_app"  # set by app.py for the duration of one page run
_DATA_VERSION = "_data_version"  # read once per run by frame(): a fingerprint of the stored reviews
URL_KEYS = ("plan", "review", "as_of", "rec", "lead", "status", "present")


# --- database -----------------------------------------------------------------------------


@st.cache_resource(show_spinner="Opening the database…")
def get_engine():
    """One engine per server: migrated to head, and seeded with the sample plans when empty."""
    engine = make_engine(database_url())
    upgrade(engine)
    seed_if_empty(engine)
    return engine


def engine_or_stop():
    try:
        return get_engine()
    except Exception as exc:  # noqa: BLE001 - a user must never see a traceback
        st.error(
            f"The database at {describe_url(database_url())} could not be opened: "
            f"{type(exc).__name__}. Check BOARD_DATABASE_URL or .streamlit/secrets.toml."
        )
        st.stop()


@st.cache_data(show_spinner=False, max_entries=1024, ttl=3600)
def _cached_query(module: str, name: str, data_version: str, *args):
    # data_version is only part of the key (no leading underscore: st.cache_data skips those):
    # a new import, from any process, means new entries.
    if not module.startswith("data_access."):
        raise ValueError(f"not a data_access function: {module}.{name}")
    fn = getattr(importlib.import_module(module), name)
    return fn(get_engine(), *args)


def data_version() -> str:
    """This run's fingerprint of the stored reviews (see catalogue.data_version)."""
    return st.session_state.get(_DATA_VERSION) or catalogue.data_version(get_engine())


def query(fn, *args):
    """Call a data_access query `fn(engine, *args)`, cached on its name, small arguments (ids,
    dates, strings — never DataFrames) and the data version read once per run."""
    return _cached_query(fn.__module__, fn.__qualname__, data_version(), *args)


def data_changed() -> None:
    """After an import in this session: re-read the data version, and drop the old entries."""
    st.session_state[_DATA_VERSION] = catalogue.data_version(get_engine())
    _cached_query.clear()


# --- who is using the app -----------------------------------------------------------------


def current_user() -> str | None:
    """The signed-in user's email, or None when login is not configured.

    st.user and st.secrets raise when no secrets file exists; this is the one place that asks.
    """
    try:
        if getattr(st.user, "is_logged_in", False):
            return st.user.get("email") or st.user.get("name")
    except Exception:  # noqa: BLE001 - no secrets.toml / no [auth] section: auth is off
        return None
    return None


# --- the view: global controls kept in the URL ------------------------------------------


@dataclass(frozen=True)
class View:
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

    def link(self, page: str, **extra) -> str:
        """A URL path + query string that reopens this view on `page` (for st.markdown links)."""
        from urllib.parse import urlencode

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


def _param(name: str) -> str | None:
    value = st.query_params.get(name)
    return value if value not in (None, "") else None


def _int_param(name: str) -> int | None:
    value = _param(name)
    return int(value) if value and value.isdigit() else None


def _adopt_url(key: str, value, valid: bool) -> None:
    """A value in the URL (a deep link) wins over this session's widget state, once.

    A parameter that is absent leaves the session's value alone (Streamlit's own navigation drops
    the query string; _write_url puts it back). A parameter present but empty (`rec=`) is an
    explicit "all", which is how presentation-mode links clear a filter.
    """
    seen = st.session_state.setdefault("_url_seen", {})
    raw = st.query_params.get_all(key) if key == "status" else st.query_params.get(key)
    present = bool(raw) if key == "status" else raw is not None
    if present and raw != seen.get(key) and valid:
        st.session_state[key] = value
    seen[key] = raw


_KEPT = "_kept_controls"


def _keep_controls_across_pages() -> None:
    """Streamlit resets widgets to their defaults when the user switches page (even these, which
    every page draws in the same frame, and even with persist_state="session"). Re-assigning each
    control's own current value before its widget is drawn makes that value win. A value the user
    has just changed differs from the kept one and is left alone."""
    kept = st.session_state.get(_KEPT, {})
    for key, value in kept.items():
        if key in st.session_state and st.session_state[key] == value:
            st.session_state[key] = value


def render_controls() -> View:
    """Draw the shared sidebar controls and return the view they select."""
    _keep_controls_across_pages()
    plans = query(catalogue.list_plans)
    sidebar = st.sidebar
    sidebar.markdown("### Improvement Board")
    if plans.empty:
        sidebar.info("No action plans yet. Upload a tracker to start.")
        return View(None, None, None, None, None, None, dt.date.today(), None, None, (), False)

    plan_ids = [int(p) for p in plans["id"]]
    names = dict(zip(plan_ids, plans["name"], strict=True))
    _adopt_url("plan", _int_param("plan"), _int_param("plan") in plan_ids)
    if st.session_state.get("plan") not in plan_ids:
        st.session_state["plan"] = plan_ids[0]
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
    labels = {int(r.id): f"{r.label} — as at {r.as_at:%d %b %Y}" for r in reviews.itertuples()}
    _adopt_url("review", _int_param("review"), _int_param("review") in review_ids)
    if review_ids and st.session_state.get("review") not in review_ids:
        st.session_state["review"] = review_ids[-1]  # default: the latest review
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

    as_of_param = _param("as_of")
    try:
        as_of_url = dt.date.fromisoformat(as_of_param) if as_of_param else None
    except ValueError:
        as_of_url = None
    _adopt_url("as_of", as_of_url, as_of_url is not None)
    st.session_state.setdefault("as_of", dt.date.today())
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
    with sidebar.expander("Filters", expanded=bool(_param("rec") or _param("lead") or _param("status"))):
        _adopt_url("rec", _param("rec"), _param("rec") in [None, *rec_refs])
        if st.session_state.get("rec") not in [None, *rec_refs]:
            st.session_state["rec"] = None
        rec = st.selectbox(
            "Recommendation",
            [None, *rec_refs],
            key="rec",
            persist_state="session",
            format_func=lambda r: "All recommendations" if r is None else f"Recommendation {r}",
        )
        _adopt_url("lead", _param("lead"), _param("lead") in [None, *leads])
        if st.session_state.get("lead") not in [None, *leads]:
            st.session_state["lead"] = None
        lead = st.selectbox(
            "Lead",
            [None, *leads],
            key="lead",
            persist_state="session",
            format_func=lambda x: "All leads" if x is None else x,
        )
        raw_statuses = st.query_params.get_all("status")
        url_statuses = [s for s in raw_statuses if s in STATUSES]
        _adopt_url("status", url_statuses, bool(url_statuses) or raw_statuses == [""])
        statuses = st.multiselect(
            "Status", list(STATUSES), key="status", persist_state="session", format_func=status_text
        )

    _adopt_url("present", _param("present") == "1", _param("present") is not None)
    present = sidebar.toggle(
        "Presentation mode", key="present", persist_state="session", help="Large text for the projector."
    )

    review_row = reviews[reviews["id"] == review_id].iloc[0] if review_id else None
    previous = review_ids[review_ids.index(review_id) - 1] if review_id and review_ids.index(review_id) > 0 else None
    view = View(
        plan_id=plan_id,
        plan_name=names[plan_id],
        review_id=review_id,
        review_label=review_row["label"] if review_row is not None else None,
        review_as_at=review_row["as_at"] if review_row is not None else None,
        previous_review_id=previous,
        as_of=as_of,
        rec=rec,
        lead=lead,
        statuses=tuple(statuses),
        present=present,
    )
    st.session_state["_rec_refs"] = rec_refs
    st.session_state[_KEPT] = {
        key: st.session_state.get(key) for key in ("plan", "review", "as_of", "rec", "lead", "status", "present")
    }
    _write_url(view)
    sidebar.caption(f"Data: {describe_url(database_url())}")
    return view


def _write_url(view: View) -> None:
    """Keep the URL in step with the controls, so a copied link opens exactly this view."""
    wanted = view.query_params()
    # Rewritten every run, even when unchanged: after an in-app link to the same page with new
    # parameters (presentation slides) the browser's address bar is only updated by a write.
    others = {k: st.query_params.get_all(k) for k in st.query_params if k not in URL_KEYS}
    st.query_params.from_dict({**wanted, **others})
    seen = st.session_state.setdefault("_url_seen", {})
    for key in URL_KEYS:
        seen[key] = st.query_params.get_all(key) if key == "status" else st.query_params.get(key)


# --- page entry -------------------------------------------------------------------------------


def configure_page() -> None:
    st.set_page_config(page_title="Improvement Board", page_icon="📋", layout="wide", initial_sidebar_state="expanded")


def run_routed(page) -> None:
    """app.py: run the selected page, marking the run as routed through the frame."""
    st.session_state[_ROUTED] = True
    try:
        view = st.session_state.get("_view")
        if view is not None and view.present and view.review_id is not None:
            present.controls(view, page.url_path or "overview", st.session_state.get("_rec_refs", []))
        page.run()
    finally:
        st.session_state.pop(_ROUTED, None)


def page_view() -> View:
    """First line of every page: the current view. If this page file was run directly by
    Streamlit's legacy `pages/` discovery (first deep link on a fresh server), run app.py
    instead — it routes back to this page inside the proper frame — and stop here."""
    if not st.session_state.get(_ROUTED):
        runpy.run_path(str(APP_PATH), run_name="__main__")
        st.stop()
    return st.session_state["_view"]


def frame() -> None:
    """app.py: everything shared by all pages, computed once per run before the page."""
    configure_page()
    st.session_state[_DATA_VERSION] = catalogue.data_version(engine_or_stop())
    st.session_state["_view"] = view = render_controls()
    present.apply_style(view.present)
