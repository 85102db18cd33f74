"""Routing: the frame every run goes through, and the safe way into a page.

app.py calls `frame()` (page config, sign-in, the database, the shared controls) and then
`run(page)`. Each page starts with `view = page_view()`, or `page_view(permissions.EDITOR)` /
`page_view(permissions.ADMIN)` for a page not every signed-in person may open: the page checks the role
itself, so a typed URL is refused as surely as the menu hides the link (`menu(needs)` in app.py).

The `pages/` deep-link hazard: on a freshly started server, Streamlit's legacy auto-discovery
of the pages/ folder may run a page file directly, without app.py. `page_view()` notices (the
run was not routed through app.py) and runs app.py instead, which routes back to the same page
inside the proper frame — same navigation, controls and database set-up as any other run.
"""

from __future__ import annotations

import runpy
from contextlib import contextmanager
from pathlib import Path

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from data_access.domain import permissions
from pages.ui import auth, cached_reads, controls, deck, present
from pages.ui.controls import View
from pages.ui.plain import md

APP_PATH = Path(__file__).resolve().parents[2] / "app.py"
_ROUTED = "_routed_by_app"  # set by run() for the duration of one page run
_VIEW = "_view"  # this run's View, set by frame()
FRONT_DOOR = "front-door"  # the default page's url_path: only its identity, since it is served at /


def frame() -> View:
    """app.py: everything shared by all pages, once per run, before the page."""
    # "auto": the sidebar starts open on a wide window and closed on a phone (WCAG 1.4.10 reflow).
    st.set_page_config(page_title="Improvement Board", page_icon="📋", layout="wide", initial_sidebar_state="auto")
    who = auth.gate()  # ends the run here unless the person may use the app
    cached_reads.read_data_version()
    auth.note_sign_in(cached_reads.get_engine())
    with _as_the_entrypoint():
        st.session_state[_VIEW] = view = controls.render()
    auth.sidebar(who)
    present.apply_style(view.present)
    return view


@contextmanager
def _as_the_entrypoint():
    """Draw the shared controls as app.py's own widgets, however the run came in. A widget's
    identity includes the script drawing it. A routed run draws the frame as app.py; a run that
    enters through a page file (the pages/ deep-link path in page_view, which is also how AppTest
    runs a page) draws it inside that page, so the sidebar would be new widgets there and lose
    its values at the next switch."""
    ctx = get_script_run_ctx()
    if ctx is None:
        yield
        return
    with ctx.run_with_active_hash(ctx.pages_manager.main_script_hash):
        yield


def menu(needs: str) -> str:
    """app.py: a page's visibility in the menu for this person. A page they may not open stays
    registered but hidden, so a typed URL reaches the page's own refusal (page_view)."""
    return "visible" if permissions.can(auth.current_role(), needs) else "hidden"


def run(page) -> None:
    """app.py: run the selected page, marking the run as routed through the frame."""
    st.session_state[_ROUTED] = True
    try:
        view = st.session_state.get(_VIEW)
        notices = view.notices if view is not None else ()
        if view is not None and view.present and view.review_id is not None:
            present.controls(view, page_name(page), deck.build_for(view, page_name(page)))
        else:
            present.leave()
        for notice in notices:
            st.warning(md(notice), icon=":material/link_off:")
        page.run()
    finally:
        st.session_state.pop(_ROUTED, None)


def page_name(page) -> str:
    """The page's name in URLs and the deck ('overview' for the front door at /)."""
    return page.url_path or "overview"


def page_view(needs: str = permissions.VIEWER) -> View:
    """First line of every page: the current view, once this person's role may open the page
    (`needs`: permissions.VIEWER, EDITOR or ADMIN). See the module docstring for why a page run without
    app.py re-routes through it and stops."""
    if not st.session_state.get(_ROUTED):
        runpy.run_path(str(APP_PATH), run_name="__main__")
        st.stop()
    auth.require(needs)
    return st.session_state[_VIEW]


def front_door(target):
    """The default page, served at /: `target`'s own script, drawn in the same run. (It used to
    st.switch_page to the target, which cost every opening of / a second script run.) Hidden from
    the navigation, which lists `target` itself at its own address (/overview); it must come
    after `target` in st.navigation's list, so a link to the target's file opens that address."""
    return st.Page(target._page, title=target.title, icon=target.icon, url_path=FRONT_DOOR, default=True,
                   visibility="hidden")  # fmt: skip
