"""Presentation mode for the projector (URL parameter present=1).

- Hides the sidebar and Streamlit's chrome, and raises the base font so body text is about
  24 pt on a 1920-pixel-wide projector (it scales with the window width, never below 20 px).
- Steps through the slides Overview -> each recommendation -> Overdue. Each slide is a real page
  and URL (/overview, /recommendations?rec=b, /overdue), so Previous/Next are page links that
  carry the whole view in their query string; an empty `rec=` clears the recommendation filter.
- Optional auto-advance (a fragment re-run on a timer) and a high-contrast dark variant
  (URL parameter contrast=high), drawn with CSS on top of the light/dark themes in
  .streamlit/config.toml.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import streamlit as st

from pages.ui import url_state

PAGE_FILES = {
    "overview": "pages/overview.py",
    "recommendations": "pages/recommendations.py",
    "overdue": "pages/overdue.py",
}
AUTO_CHOICES = {
    0: "Auto-advance off",
    10: "Advance every 10 s",
    20: "Advance every 20 s",
    40: "Advance every 40 s",
    60: "Advance every minute",
    120: "Advance every 2 min",
}
CONTRAST_KEY = "present_contrast"

BASE_CSS = """
<style>
html { font-size: clamp(20px, 1.667vw, 40px) !important; }
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
header[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
[data-testid="stStatusWidget"], footer { display: none !important; }
[data-testid="stMainBlockContainer"], .block-container { padding: 1rem 2rem 2rem 2rem !important;
  max-width: 100% !important; }
[data-testid="stMetricValue"] { font-size: 2.6rem !important; }
.stApp h1 { font-size: 1.9rem !important; padding-top: 0.25rem !important; }
.stApp h2, .stApp h3 { font-size: 1.35rem !important; }
[data-testid="stMetricLabel"] p { font-size: 1.05rem !important; font-weight: 600; }
.stMarkdown p, .stMarkdown li, .board-table { font-size: 1rem !important; line-height: 1.4; }
</style>
"""

# High contrast on black: white text (21:1), yellow focus and links, no greys below 7:1.
DARK_CSS = """
<style>
.stApp, [data-testid="stAppViewContainer"], [data-testid="stMain"] { background: #000000 !important; }
.stApp, .stApp p, .stApp li, .stApp h1, .stApp h2, .stApp h3, .stApp h4, .stApp label, .stApp span,
.stApp caption, .stApp td, .stApp th, [data-testid="stMetricValue"], [data-testid="stMetricLabel"],
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] * { color: #ffffff !important; }
.stApp a, .stApp a span { color: #ffdd00 !important; }
.board-table th { background: #1a1a1a !important; }
.board-table th, .board-table td { border-bottom-color: #bfbfbf !important; }
.stApp .rag-chip { color: #ffffff !important; outline: 2px solid #ffffff; }
[data-testid="stBaseButton-secondary"], [data-testid="stPageLink-NavLink"] { background: #000 !important;
  border: 2px solid #ffffff !important; color: #ffffff !important; }
[data-testid="stExpander"] details { border-color: #ffffff !important; }
</style>
"""


@dataclass(frozen=True)
class Slide:
    page: str  # url path: overview | recommendations | overdue
    rec: str | None
    title: str


def slides(rec_refs: list[str]) -> list[Slide]:
    """The running order of a board meeting: Overview, each recommendation in plan order, Overdue."""
    return [
        Slide("overview", None, "Overview"),
        *(Slide("recommendations", ref, f"Recommendation {ref}") for ref in rec_refs),
        Slide("overdue", None, "Overdue actions"),
    ]


def position(deck: list[Slide], page: str, rec: str | None) -> int | None:
    """Index of the slide showing `page` (with `rec` for a recommendation), or None."""
    for i, slide in enumerate(deck):
        if slide.page == page and (page != "recommendations" or slide.rec == rec):
            return i
    return None


def high_contrast() -> bool:
    """Dark high-contrast variant, kept in the URL as contrast=high (and in the session)."""
    if url_state.text("contrast") == "high":
        st.session_state[CONTRAST_KEY] = True
    return bool(st.session_state.get(CONTRAST_KEY, False))


def apply_style(present: bool) -> None:
    """Presentation CSS (frame, once per run)."""
    if present:
        st.html(BASE_CSS + (DARK_CSS if high_contrast() else ""))


def slide_params(view, slide: Slide) -> dict:
    params = dict(view.query_params())
    params["rec"] = slide.rec or ""  # empty clears the recommendation filter (see url_state.adopt)
    params["present"] = "1"
    if high_contrast():
        params["contrast"] = "high"
    return params


def _toggle_contrast() -> None:
    st.session_state[CONTRAST_KEY] = not st.session_state.get(CONTRAST_KEY, False)


def _exit() -> None:
    st.session_state["present"] = False
    st.session_state[CONTRAST_KEY] = False


def controls(view, page: str, rec_refs: list[str]) -> None:
    """The slide bar: Previous, 'n of N: title', Next, auto-advance, contrast, exit."""
    deck = slides(rec_refs)
    here = position(deck, page, view.rec)
    index = here if here is not None else -1
    previous = deck[index - 1] if index > 0 else None
    following = deck[index + 1] if index + 1 < len(deck) else None

    bar = st.columns([1.3, 3, 1.3, 1.8, 1.6, 1.0], vertical_alignment="center")
    if previous:
        bar[0].page_link(
            PAGE_FILES[previous.page],
            label="‹ Previous",
            query_params=slide_params(view, previous),
            help=f"Back to {previous.title}",
        )
    where = f"Slide {index + 1} of {len(deck)}: {deck[index].title}" if here is not None else "Not a slide"
    bar[1].markdown(f"**{where}**")
    if following:
        bar[2].page_link(
            PAGE_FILES[following.page],
            label="Next ›",
            query_params=slide_params(view, following),
            help=f"On to {following.title}",
        )
    seconds = bar[3].selectbox(
        "Auto-advance",
        list(AUTO_CHOICES),
        format_func=AUTO_CHOICES.get,
        key="present_auto",
        label_visibility="collapsed",
    )
    dark = high_contrast()
    bar[4].button(
        "Light" if dark else "High contrast",
        on_click=_toggle_contrast,
        key="present_contrast_btn",
        help="Switch between the light theme and high-contrast white-on-black.",
    )
    bar[5].button("Exit", on_click=_exit, key="present_exit", help="Leave presentation mode")
    url_state.publish({"contrast": "high" if dark else None})

    st.session_state["_slide_shown_at"] = time.monotonic()
    if seconds and following is None and here is not None:
        following = deck[0]  # auto-advance loops back to the overview
    if seconds and following is not None:
        _auto_advance(seconds, PAGE_FILES[following.page], slide_params(view, following))


def _auto_advance(seconds: int, page_file: str, params: dict) -> None:
    @st.fragment(run_every=seconds)
    def tick() -> None:
        shown = st.session_state.get("_slide_shown_at", time.monotonic())
        if time.monotonic() - shown >= seconds - 0.5:  # the first run is part of the page run itself
            st.switch_page(page_file, query_params=params)

    tick()
