"""Presentation mode for the projector (URL parameter present=1), and the app's own CSS.

- Hides the sidebar and Streamlit's chrome, and sets the base font to max(20 px, 1.667vw); body
  text (paragraphs and slide tables) is 1 rem: 24 pt at 1920×1080, 16 pt at 1280×720, 15 pt at
  1024×768 (measured: tests/browser/test_slide_text.py). Every slide fits the screen at 1280×720 and 1024×768:
  data_access.domain.slide_layout plans which items go on which slide (pages/ui/deck.py feeds it), and a
  long list continues on further slides ("Overdue actions (2 of 3)").
- The deck: Overview (headline figures beside RAG by recommendation), Since the last review,
  each recommendation with its actions, Overdue actions, green-but-overdue, the trends
  (status mix at each review, direction of travel), and the measures of success (each measure's
  latest value, target and Met / Not met / No data in words). Each slide is a real page and URL
  (/recommendations?rec=b&part=2), so Previous/Next are page links that carry the whole view in
  their query string; an empty `rec=` clears the recommendation filter.
- A presenter's clicker works: → PageDown and space step forward, ← PageUp back (KEYS_JS).
- Optional auto-advance (a fragment re-run on a timer) and a high-contrast variant (URL parameter
  contrast=high): white on black, every colour in HIGH_CONTRAST checked against the background
  (tests/pages/test_rag_contrast.py computes them, as for the status palette).
"""

from __future__ import annotations

import time

import streamlit as st

from data_access.domain import slide_layout
from data_access.domain.rules import STATUS_STYLE, STATUSES, status_text
from data_access.domain.slide_layout import Slide
from pages.ui import url_state
from pages.ui.plain import md

PAGE_FILES = {
    "overview": "pages/overview.py",
    "recommendations": "pages/recommendations.py",
    "overdue": "pages/overdue.py",
    "trends": "pages/trends.py",
    "board-pack": "pages/board-pack.py",  # the exception report's own slide set (deck.build_for)
    "sign-off": "pages/sign_off.py",
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
_SLIDE = "_slide"  # this run's Slide, or None (set by controls())

# --- CSS for every run ----------------------------------------------------------------------------

# Status filter chips carry the status's own colour (and its word, from the option's label);
# page-link labels wrap instead of being cut off ("32 complete action…"); on a phone the headline
# figures come first (pages/overview.py draws them in the container keyed kpi_tiles).
APP_CSS = (
    "<style>\n"
    + "\n".join(
        f'[data-testid="stMultiSelect"] [data-tag]:has(> span[title="{status_text(s)}"]) '
        f"{{ background-color: {STATUS_STYLE[s].colour} !important; color: #ffffff !important; }}"
        for s in STATUSES
    )
    + """
[data-testid="stMultiSelect"] [data-tag] button { color: #ffffff !important; }
[data-testid="stPageLink-NavLink"] span, [data-testid="stPageLink-NavLink"] p,
[data-testid="stPageLink-NavLink"] [data-testid="stMarkdownContainer"] {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
  max-width: none !important; }
[data-testid="stPageLink-NavLink"] { height: auto !important; min-height: 2rem; }
/* A phone (390×844): the Overview's headline figures on the first screen. The plan's title is
   smaller, and the four figures sit two by two instead of one under another. */
@media (max-width: 640px) {
  .stApp h1 { font-size: 1.35rem !important; line-height: 1.25 !important; padding: 0.25rem 0 0.25rem 0 !important; }
  .st-key-kpi_tiles [data-testid="stHorizontalBlock"] { flex-wrap: wrap !important; gap: 0.5rem !important; }
  .st-key-kpi_tiles [data-testid="stColumn"] { flex: 1 1 calc(50% - 0.5rem) !important;
    min-width: calc(50% - 0.5rem) !important; width: calc(50% - 0.5rem) !important; }
  .st-key-kpi_tiles [data-testid="stMetricValue"] { font-size: 1.8rem !important; }
}
</style>"""
)

# --- presentation CSS -------------------------------------------------------------------------------

BASE_CSS = """
<style>
html { font-size: clamp(20px, 1.667vw, 40px) !important; }
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
header[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
[data-testid="stStatusWidget"], footer { display: none !important; }
[data-testid="stMainBlockContainer"], .block-container { padding: 0.4rem 1.5rem 0.5rem 1.5rem !important;
  max-width: 100% !important; }
[data-testid="stMain"] [data-testid="stVerticalBlock"] { gap: 0.45rem !important; }
[data-testid="stMetricValue"] { font-size: 2.1rem !important; }
.stApp h1 { font-size: 1.6rem !important; padding: 0.1rem 0 0.2rem 0 !important; line-height: 1.25 !important; }
.stApp h2, .stApp h3 { font-size: 1.15rem !important; padding: 0.15rem 0 !important; }
[data-testid="stMetricLabel"] p { font-size: 0.95rem !important; font-weight: 600; }
.stMarkdown p, .stMarkdown li { font-size: 1rem !important; line-height: 1.45; }
[data-testid="stCaptionContainer"] p { font-size: 0.8rem !important; }
.slide-text { font-size: 1rem; line-height: 1.5; margin: 0; }
.stApp .board-table.slide-table { font-size: 1rem !important; }
.st-key-slide_bar { font-size: 0.8rem; }
.st-key-slide_bar p, .st-key-slide_bar button,
.st-key-slide_bar [data-baseweb="select"] { font-size: 0.8rem !important; }
.st-key-slide_bar button { min-height: 2rem !important; padding: 0.1rem 0.6rem !important; }
.st-key-slide_bar [data-baseweb="select"] > div { min-height: 2rem !important; }
</style>
"""

# High contrast on black. Each colour is checked against the background: text at least 4.5:1,
# non-text (icons, borders, focus rings) at least 3:1 (tests/pages/test_rag_contrast.py).
HIGH_CONTRAST = {
    "background": "#000000",
    "text": "#ffffff",
    "link": "#ffdd00",
    "focus": "#ffdd00",
    "border": "#ffffff",
    "icon": "#ffffff",  # help icons, delta arrows
    "better": "#7ee2a8",  # a change for the better (text and arrow)
    "worse": "#ff9e9e",  # a change for the worse
    "same": "#ffffff",  # no change
    "table_head": "#1a1a1a",  # header cells' fill, under white text
}
TEXT_PAIRS = [("text", "background"), ("link", "background"), ("better", "background"), ("worse", "background"),
              ("same", "background"), ("text", "table_head")]  # fmt: skip
NON_TEXT_PAIRS = [("icon", "background"), ("border", "background"), ("focus", "background")]

_C = HIGH_CONTRAST
DARK_CSS = f"""
<style>
.stApp, [data-testid="stAppViewContainer"], [data-testid="stMain"] {{ background: {_C["background"]} !important; }}
.stApp, .stApp p, .stApp li, .stApp h1, .stApp h2, .stApp h3, .stApp h4, .stApp label, .stApp span,
.stApp caption, .stApp td, .stApp th, [data-testid="stMetricValue"], [data-testid="stMetricLabel"],
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] * {{ color: {_C["text"]} !important; }}
.stApp a, .stApp a span, .stApp a p {{ color: {_C["link"]} !important; }}
.stApp :focus-visible {{ outline: 3px solid {_C["focus"]} !important; outline-offset: 2px; }}
.board-table th {{ background: {_C["table_head"]} !important; }}
.board-table th, .board-table td {{ border-bottom-color: {_C["border"]} !important; }}
.stApp .rag-chip {{ color: #ffffff !important; outline: 2px solid {_C["border"]}; }}
[data-testid="stBaseButton-secondary"], [data-testid="stPageLink-NavLink"] {{ background: {_C["background"]} !important;
  border: 2px solid {_C["border"]} !important; color: {_C["text"]} !important; }}
[data-testid="stExpander"] details, [data-testid="stVerticalBlockBorderWrapper"],
[data-testid="stMetric"] {{ border-color: {_C["border"]} !important; }}
[data-testid="stTooltipIcon"], [data-testid="stTooltipIcon"] *, [data-testid="stTooltipHoverTarget"] svg
  {{ color: {_C["icon"]} !important; stroke: {_C["icon"]} !important; }}
[data-testid="stMetricDelta"] {{ background: transparent !important; border: 2px solid currentColor !important;
  color: {_C["same"]} !important; }}
[data-testid="stMetricDelta"] p, [data-testid="stMetricDelta"] svg {{ color: inherit !important; fill: currentColor; }}
[class*="st-key-kpi_better"] [data-testid="stMetricDelta"] {{ color: {_C["better"]} !important; }}
[class*="st-key-kpi_worse"] [data-testid="stMetricDelta"] {{ color: {_C["worse"]} !important; }}
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] * {{ opacity: 1 !important; }}
[data-testid="stSelectbox"] [role="group"] {{ background: {_C["background"]} !important;
  border: 2px solid {_C["border"]} !important; }}
[data-testid="stSelectbox"] input {{ color: {_C["text"]} !important; -webkit-text-fill-color: {_C["text"]}; }}
[data-testid="stSelectbox"] svg {{ color: {_C["icon"]} !important; }}
</style>
"""

# The clicker: a presenter's remote sends → / ← or PageDown / PageUp (some send space). Keys a
# focused control uses itself (a select, a text box, a radio) are left to it. A button uses only
# space and Enter: after someone presses "High contrast" (focus stays on the button) the arrows
# and page keys still step the slides, and space goes to the slides again once the button has
# been used (it gives its focus back).
KEYS_JS = """
<script>
(() => {
  if (window.__boardSlideKeys) { return; }
  window.__boardSlideKeys = true;
  document.addEventListener('keydown', (event) => {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) { return; }
    const forward = ['ArrowRight', 'PageDown', ' ', 'Spacebar'].includes(event.key);
    const back = ['ArrowLeft', 'PageUp'].includes(event.key);
    if (!forward && !back) { return; }
    const own = 'input, textarea, select, [contenteditable], [role="combobox"], [role="listbox"],'
      + ' [role="option"], [role="slider"], [role="tab"], [role="radio"], [role="switch"]';
    const target = event.target && event.target.closest ? event.target : null;
    if (target && target.closest(own)) { return; }
    if (target && target.closest('button') && !target.closest('.st-key-slide_bar')) { return; }
    if (target && target.closest('button') && (event.key === ' ' || event.key === 'Spacebar')) { return; }
    const link = document.querySelector(forward ? '.st-key-slide_next a' : '.st-key-slide_previous a');
    if (!link) { return; }
    event.preventDefault();
    link.click();
  });
  // A slide-bar button gives the focus back to the slide once pressed, so the clicker's space works.
  document.addEventListener('click', (event) => {
    const button = event.target && event.target.closest ? event.target.closest('.st-key-slide_bar button') : null;
    if (button) { setTimeout(() => button.blur(), 0); }
  }, true);
})();
</script>
"""


def high_contrast() -> bool:
    """Dark high-contrast variant, kept in the URL as contrast=high (and in the session)."""
    if url_state.text("contrast") == "high":
        st.session_state[CONTRAST_KEY] = True
    return bool(st.session_state.get(CONTRAST_KEY, False))


def apply_style(present: bool) -> None:
    """The app's CSS, and presentation CSS when presenting (frame, once per run)."""
    st.html(APP_CSS + (BASE_CSS + (DARK_CSS if high_contrast() else "") if present else ""))


def current_slide() -> Slide | None:
    """The slide this run draws (presentation mode on a slide's page), else None."""
    return st.session_state.get(_SLIDE)


def slide_params(view, slide: Slide) -> dict:
    params = dict(view.query_params())
    params["rec"] = slide.rec or ""  # empty clears the recommendation filter (see url_state.adopt)
    params["present"] = "1"
    params["part"] = str(slide.part)
    if high_contrast():
        params["contrast"] = "high"
    return params


def _toggle_contrast() -> None:
    st.session_state[CONTRAST_KEY] = not st.session_state.get(CONTRAST_KEY, False)


def _exit() -> None:
    st.session_state["present"] = False
    st.session_state[CONTRAST_KEY] = False


def _find(deck: list[Slide], page: str, rec: str | None) -> tuple[int | None, str | None]:
    """The slide for this page, rec and the link's part; a part the page does not have shows its
    nearest part, with a notice."""
    if page not in PAGE_FILES or (page == "recommendations" and not rec):
        return None, None
    rec = rec if page == "recommendations" else None
    parts = slide_layout.parts_of(deck, page, rec)
    if not parts:
        return None, None
    raw = url_state.text("part")
    wanted = url_state.whole_number("part") or 1
    part = min(max(wanted, 1), parts)
    notice = None
    if raw is not None and url_state.is_new("part") and (url_state.whole_number("part") != part):
        notice = f"This page has {parts} slide{'s' if parts != 1 else ''}; showing slide part {part}."
    return slide_layout.position(deck, page, rec, part), notice


def controls(view, page: str, deck: list[Slide]) -> None:
    """The slide bar: Previous, 'n of N: title', Next, auto-advance, contrast, exit; the clicker
    keys; and this run's slide (current_slide())."""
    here, notice = _find(deck, page, view.rec)
    url_state.publish({"part": str(deck[here].part) if here is not None else None})
    st.session_state[_SLIDE] = deck[here] if here is not None else None
    index = here if here is not None else -1
    previous = deck[index - 1] if index > 0 else None
    following = deck[index + 1] if index + 1 < len(deck) else None

    with st.container(key="slide_bar"):
        bar = st.columns([1.3, 3.3, 1.1, 2.3, 1.5, 0.9], vertical_alignment="center")
        if previous:
            with bar[0].container(key="slide_previous"):
                st.page_link(PAGE_FILES[previous.page], label="‹ Previous", query_params=slide_params(view, previous))
        where = f"Slide {index + 1} of {len(deck)}: {deck[index].title}" if here is not None else "Not a slide"
        bar[1].markdown(f"**{md(where)}**")
        if following:
            with bar[2].container(key="slide_next"):
                st.page_link(PAGE_FILES[following.page], label="Next ›", query_params=slide_params(view, following))
        seconds = bar[3].selectbox(
            "Auto-advance",
            list(AUTO_CHOICES),
            format_func=AUTO_CHOICES.get,
            key="present_auto",
            label_visibility="collapsed",
        )
        dark = high_contrast()
        bar[4].button("Light" if dark else "High contrast", on_click=_toggle_contrast, key="present_contrast_btn")
        bar[5].button("Exit", on_click=_exit, key="present_exit")
        st.html(KEYS_JS, unsafe_allow_javascript=True)
    url_state.publish({"contrast": "high" if dark else None})
    if notice:
        st.info(notice, icon=":material/slideshow:")

    st.session_state["_slide_shown_at"] = time.monotonic()
    if seconds and following is None and here is not None:
        following = deck[0]  # auto-advance loops back to the overview
    if seconds and following is not None:
        _auto_advance(seconds, PAGE_FILES[following.page], slide_params(view, following))


def leave() -> None:
    """Not presenting: no slide, and no slide part left in the URL."""
    st.session_state[_SLIDE] = None
    url_state.publish({"part": None})


def _auto_advance(seconds: int, page_file: str, params: dict) -> None:
    @st.fragment(run_every=seconds)
    def tick() -> None:
        shown = st.session_state.get("_slide_shown_at", time.monotonic())
        if time.monotonic() - shown >= seconds - 0.5:  # the first run is part of the page run itself
            st.switch_page(page_file, query_params=params)

    tick()
