"""Which items go on which presentation slide, so that every slide fits the projector's screen.

The board projects at 1280×720 or 1024×768. Presentation mode (pages/ui/present.py) sets the root
font to max(20 px, 1.667vw), so a slide is measured in rem: 60 × 33.75 rem at 1280×720 and
51.2 × 38.4 rem at 1024×768. Slides are planned for the narrower width and the shorter height
of the two, so one plan fits both (and 1920×1080, which is 1280×720 scaled up).

A list too long for one slide continues on further slides ("Overdue actions (2 of 3)"). How
tall a table row will be is estimated from its text: the slide tables have fixed column widths
(the COLUMNS below, which the pages draw with), and each cell's text is wrapped at the number of
characters that fit its column. The estimate is deliberately generous; the browser tests measure
every slide of the sample plans at both sizes.

Pure functions of plain data (no database, no Streamlit): the deck, chunking and row heights.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

# --- the screens and the slide's type, in rem ----------------------------------------------------


@dataclass(frozen=True)
class Screen:
    """A projector's screen as the slide sees it, in rem: the width inside the page's padding
    (present.BASE_CSS: 1.5 rem each side) and the full height."""

    name: str
    width_rem: float
    height_rem: float


# 1280×720 at 21.33 px to the rem, 1024×768 at 20 px (1920×1080 is 1280×720 scaled up).
SCREENS = (Screen("1280×720", 60 - 3.0, 33.75), Screen("1024×768", 51.2 - 3.0, 38.4))

TOP_REM = 6.1 + 0.45  # the slide bar and the h1 title, and the gap after them
GAP_REM = 0.45  # between blocks (present.BASE_CSS)
CAPTION_FONT_REM = 0.8
CAPTION_LINE_REM = 1.2  # one line of a caption (generous)
TABLE_CAPTION_REM = 2.0  # a table's own caption
TABLE_MARGIN_REM = 1.3  # above and below a table (tables.CSS)
BOTTOM_REM = 0.5 + 0.8  # the page's bottom padding and a margin kept free
TABLE_FONT_REM = 1.0  # slide tables' text (present.BASE_CSS: 24 pt at 1920×1080)
LINE_REM = TABLE_FONT_REM * 1.35  # one line of table text
ROW_PAD_REM = 0.6  # a row's padding and border
CHAR_EM = 0.45  # a generous average character width of the app's sans-serif (about 0.42 em), in em
BOLD_EM = 0.5  # the same for bold header text
CELL_PAD_REM = 0.7  # left and right padding of a cell
TEXT_FONT_REM = 1.0  # paragraph text on a slide (a recommendation's text, the summary)
TEXT_LINE_REM = TEXT_FONT_REM * 1.5

# Overview: the headline tiles beside a chart of at most this many recommendations.
CHART_ROWS = 7

# --- slide tables: (field, width as a share of the table) ------------------------------------------

Columns = tuple[tuple[str, float], ...]

ACTION_COLUMNS: Columns = (
    ("key", 0.08),
    ("description", 0.33),
    ("lead", 0.17),
    ("effective_due", 0.13),
    ("status", 0.12),
    ("progress", 0.17),
)
OVERDUE_COLUMNS: Columns = (
    ("rec_ref", 0.05),
    ("key", 0.07),
    ("description", 0.29),
    ("lead", 0.15),
    ("effective_due", 0.12),
    ("days_overdue", 0.07),
    ("status", 0.11),
    ("progress", 0.14),
)
CHANGE_COLUMNS: Columns = (
    ("change", 0.12),
    ("key", 0.08),
    ("description", 0.36),
    ("lead", 0.18),
    ("from", 0.13),
    ("to", 0.13),
)
# The board's decisions (issue 25): complete actions awaiting sign-off, date changes for approval.
SIGNOFF_COLUMNS: Columns = (
    ("rec_ref", 0.07),
    ("key", 0.08),
    ("description", 0.4),
    ("evidence", 0.45),
)
DATE_CHANGE_COLUMNS: Columns = (
    ("key", 0.09),
    ("from_date", 0.14),
    ("to_date", 0.14),
    ("reason", 0.41),
    ("how", 0.22),
)
DIRECTION_COLUMNS: Columns = (
    ("recommendation", 0.42),
    ("direction", 0.16),
    ("better", 0.1),
    ("worse", 0.1),
    ("complete", 0.22),
)

EXCEPTION_COLUMNS: Columns = (
    ("rec_ref", 0.05),
    ("key", 0.06),
    ("status", 0.11),
    ("what", 0.24),
    ("due", 0.14),
    ("mitigation", 0.22),
    ("ask", 0.18),
)


# Measures of success (their own slides on the trends page): each measure's latest value against
# its target, Met / Not met / No data in words, and the change since the previous period.
MEASURE_COLUMNS: Columns = (
    ("name", 0.27),
    ("recommendations", 0.08),
    ("latest", 0.18),
    ("target", 0.1),
    ("met", 0.1),
    ("change", 0.27),
)


def with_partner(columns: Columns) -> Columns:
    """The same table with a Partner column after Lead (joint inspections), the others narrowed."""
    if not any(name == "lead" for name, _ in columns):
        return columns
    share = 0.12
    out: list[tuple[str, float]] = []
    for name, width in columns:
        out.append((name, round(width * (1 - share), 4)))
        if name == "lead":
            out.append(("partner", share))
    return tuple(out)


# --- heights --------------------------------------------------------------------------------------

Heights = tuple[float, ...]  # one height per screen in SCREENS


def cell_lines(text: object, width_rem: float, font_rem: float = TABLE_FONT_REM, char_em: float = CHAR_EM) -> int:
    """Lines a text wraps to in a box `width_rem` wide (a newline starts a new line)."""
    lines = 0
    per_line = max(4, int(width_rem / (font_rem * char_em)))
    for part in str(text or "").split("\n"):
        words = " ".join(part.split())
        lines += max(1, len(textwrap.wrap(words, per_line, break_long_words=True, break_on_hyphens=False)))
    return lines


def row_rem(row: dict[str, object], columns: Columns, screen: Screen, *, bold: bool = False) -> float:
    """Height of one table row on a slide: its tallest cell."""
    tallest = max(
        cell_lines(row.get(name), screen.width_rem * share - CELL_PAD_REM, char_em=BOLD_EM if bold else CHAR_EM)
        for name, share in columns
    )
    return tallest * LINE_REM + ROW_PAD_REM


def text_rem(text: str | None, screen: Screen, width_share: float = 1.0) -> float:
    """Height of a paragraph of slide text `width_share` of the slide wide, and the gap after it."""
    return cell_lines(text, screen.width_rem * width_share, TEXT_FONT_REM) * TEXT_LINE_REM + GAP_REM


def caption_rem(text: str | None, screen: Screen) -> float:
    """Height of a caption under the slide's title, and the gap after it."""
    if not text:
        return 0.0
    return cell_lines(text, screen.width_rem, CAPTION_FONT_REM) * CAPTION_LINE_REM + GAP_REM


@dataclass(frozen=True)
class Table:
    """A list as its slides draw it: the table's columns (field, share of the width), header
    texts, each row's cell texts, and the caption under the slide's title."""

    columns: Columns
    headers: dict[str, str]
    rows: tuple[dict[str, str], ...]
    caption: str = ""

    def row_heights(self) -> list[Heights]:
        return [tuple(row_rem(row, self.columns, screen) for screen in SCREENS) for row in self.rows]

    def budget(self, above: Heights | None = None) -> Heights:
        """Room for rows on each screen, with `above` (per screen) between the caption and the table."""
        return tuple(
            screen.height_rem
            - TOP_REM
            - caption_rem(self.caption, screen)
            - (above[i] if above else 0.0)
            - TABLE_MARGIN_REM
            - TABLE_CAPTION_REM
            - row_rem(self.headers, self.columns, screen, bold=True)
            - BOTTOM_REM
            for i, screen in enumerate(SCREENS)
        )


# --- splitting a list over slides ------------------------------------------------------------------


def _greedy(heights: Sequence[Heights], first: Heights, rest: Heights) -> list[tuple[int, int]]:
    parts: list[tuple[int, int]] = []
    start, room = 0, first
    used = [0.0] * len(first)
    for i, height in enumerate(heights):
        if i > start and any(u + h > r for u, h, r in zip(used, height, room, strict=True)):
            parts.append((start, i))
            start, room, used = i, rest, [0.0] * len(first)
        used = [u + h for u, h in zip(used, height, strict=True)]
    parts.append((start, len(heights)))
    return parts


def chunk(
    heights: Sequence[Heights | float], budget: Heights | float, first_budget: Heights | float | None = None
) -> list[tuple[int, int]]:
    """Split items of these heights (one per screen, or one for all) into consecutive slides,
    [start, stop) each: as few slides as fit `budget` on every screen (the first slide
    `first_budget`), then evened out so the last is not a stub (a first slide with less room is
    filled, and the others evened out among themselves). An item taller than a whole slide gets a
    slide of its own. No items: one empty slide."""
    if not heights:
        return [(0, 0)]
    items = [h if isinstance(h, tuple) else (float(h),) for h in heights]
    rest = budget if isinstance(budget, tuple) else (float(budget),) * len(items[0])
    first = rest if first_budget is None else first_budget
    first = first if isinstance(first, tuple) else (float(first),) * len(items[0])
    fewest = _greedy(items, first, rest)
    if len(fewest) == 1:
        return fewest
    if first != rest:  # the first slide is filled; the others are evened out among themselves
        head = fewest[0][1]
        return [fewest[0], *((head + a, head + b) for a, b in chunk(items[head:], rest))]
    # The smallest room (every screen's shrunk in proportion) that still needs no more slides.
    best, low, high = fewest, 0.3, 1.0
    for _ in range(20):
        middle = (low + high) / 2
        trial = _greedy(items, tuple(f * middle for f in first), tuple(r * middle for r in rest))
        if len(trial) <= len(fewest):
            best, high = trial, middle
        else:
            low = middle
    return best


# --- the deck ------------------------------------------------------------------------------------

OVERVIEW, CHANGES, RECOMMENDATION, OVERDUE, CHALLENGE, MIX, DIRECTION = (
    "overview",
    "changes",
    "recommendation",
    "overdue",
    "challenge",
    "mix",
    "direction",
)
MEASURES = "measures"
SIGNOFF, DATE_CHANGES = "signoff", "date_changes"  # the board's decisions (issue 25), on the sign-off page


@dataclass(frozen=True)
class Slide:
    """One slide: the page that draws it (overview, recommendations, overdue, trends), what it
    shows (`kind`), items [start, stop) of that kind's list, and its place among the page's
    slides (`part`, 1-based, per recommendation on the recommendations page) for its URL."""

    page: str
    kind: str
    title: str
    rec: str | None = None
    part: int = 1
    start: int = 0
    stop: int = 0


@dataclass(frozen=True)
class RecommendationFacts:
    ref: str
    text: str
    figures: str  # its figures beside the text (status, % complete, overdue, mix), as read
    actions: Table  # its actions as its slides list them


@dataclass(frozen=True)
class DeckFacts:
    """What the deck depends on: the review's recommendations and the lists (None: the list has
    no slide, e.g. no previous review to compare with)."""

    recommendations: tuple[RecommendationFacts, ...]
    changes: Table | None
    summary: str | None  # the "since the last review" paragraph above the changes table
    overdue: Table
    challenge: Table
    direction: Table | None
    with_trends: bool = True
    measures: Table | None = None  # the plan's measures of success (None or no rows: no slides)
    signoff: Table | None = None  # complete actions awaiting sign-off (None or no rows: no slide)
    date_changes: Table | None = None  # due date changes for approval (None or no rows: no slide)


def _titled(title: str, count: int, index: int) -> str:
    return title if count == 1 else f"{title} ({index + 1} of {count})"


FIGURES_SHARE = 0.42  # a recommendation slide: its text on the left, its figures on the right


def recommendation_head(rec: RecommendationFacts, first: bool) -> Heights:
    """Room taken above a recommendation slide's table, per screen: its full text beside its
    figures (status chip, figures, links) on the first slide, one line on the others."""
    if not first:
        return tuple(TEXT_LINE_REM + GAP_REM for _ in SCREENS)
    out = []
    for screen in SCREENS:
        words = text_rem(rec.text, screen, 1 - FIGURES_SHARE - 0.03)
        figures = 1.5 + text_rem(rec.figures, screen, FIGURES_SHARE) + 1.9  # chip; figures; links
        out.append(max(words, figures) + GAP_REM)
    return tuple(out)


def plan_deck(facts: DeckFacts) -> list[Slide]:
    """The running order of a board meeting, every slide fitting the screen: Overview (the
    headline figures beside RAG by recommendation), Since the last review, each recommendation
    with its actions, Overdue actions, green-but-overdue, the board's decisions (for sign-off, date
    changes for approval; only when there are any), then the trends (status mix at each review,
    direction of travel), then the measures of success."""
    deck: list[Slide] = []
    page_parts = 0

    def add(page: str, kind: str, title: str, parts: list[tuple[int, int]], rec: str | None = None) -> None:
        nonlocal page_parts
        for i, (start, stop) in enumerate(parts):
            page_parts += 1
            deck.append(Slide(page, kind, _titled(title, len(parts), i), rec, page_parts, start, stop))

    def table_parts(table: Table, first_above: Heights | None = None, above: Heights | None = None):
        return chunk(table.row_heights(), table.budget(above), table.budget(first_above))

    recs = facts.recommendations
    add("overview", OVERVIEW, "Overview", chunk([1.0] * len(recs), CHART_ROWS))
    if facts.changes is not None:
        intro = tuple(text_rem(facts.summary, screen) for screen in SCREENS)
        add("overview", CHANGES, "Since the last review", table_parts(facts.changes, intro))

    for rec in recs:
        page_parts = 0
        parts = table_parts(rec.actions, recommendation_head(rec, True), recommendation_head(rec, False))
        add("recommendations", RECOMMENDATION, f"Recommendation {rec.ref}", parts, rec.ref)

    page_parts = 0
    add("overdue", OVERDUE, "Overdue actions", table_parts(facts.overdue))
    if facts.challenge.rows:
        add("overdue", CHALLENGE, "Challenge: green but overdue", table_parts(facts.challenge))

    page_parts = 0
    if facts.signoff is not None and facts.signoff.rows:
        add("sign-off", SIGNOFF, "For sign-off", table_parts(facts.signoff))
    if facts.date_changes is not None and facts.date_changes.rows:
        add("sign-off", DATE_CHANGES, "Date changes for approval", table_parts(facts.date_changes))

    if facts.with_trends:
        page_parts = 0
        add("trends", MIX, "Status mix at each review", [(0, 0)])
        if facts.direction is not None:
            add("trends", DIRECTION, "Direction of travel", table_parts(facts.direction))
    if not facts.with_trends:
        page_parts = 0  # the measures' slides are the trends page's first
    measure_slides(facts, add, table_parts)
    return deck


def measure_slides(facts: DeckFacts, add, table_parts) -> None:
    """The "Measures of success" slides (on the trends page, after its other slides): the measures'
    table, continued on further slides when it does not fit."""
    if facts.measures is not None and facts.measures.rows:
        add("trends", MEASURES, "Measures of success", table_parts(facts.measures))


def position(deck: Sequence[Slide], page: str, rec: str | None, part: int) -> int | None:
    """Index of the slide `page` shows for `rec` (recommendations only) and `part`, or None."""
    for i, slide in enumerate(deck):
        if slide.page == page and (page != "recommendations" or slide.rec == rec) and slide.part == part:
            return i
    return None


def parts_of(deck: Sequence[Slide], page: str, rec: str | None) -> int:
    """How many slides `page` has (for `rec` on the recommendations page)."""
    return sum(1 for s in deck if s.page == page and (page != "recommendations" or s.rec == rec))


# --- the exception report's slide set (papers/exception_report; presented from the Board pack page) --

EXCEPTIONS = "exceptions"
EXCEPTIONS_PAGE = "board-pack"
EXCEPTIONS_TITLE = "Exception report"


def plan_exceptions(table: Table) -> list[Slide]:
    """The exception report as its own slide set: its table (the red and amber actions and the dates
    moved without approval, in plan order) over as many slides as fit every screen, the figures in
    the caption. No exceptions: one slide that says so."""
    parts = chunk(table.row_heights(), table.budget())
    return [
        Slide(EXCEPTIONS_PAGE, EXCEPTIONS, _titled(EXCEPTIONS_TITLE, len(parts), i), None, i + 1, start, stop)
        for i, (start, stop) in enumerate(parts)
    ]
