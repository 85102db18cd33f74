"""The board pack and the portfolio pack as a tagged PDF (PDF/UA-1), typeset by Typst.

Typst runs inside the `typst` wheel: no browser, no system library, no network (only built-in
Typst, never `@preview` packages). System fonts are ignored, so every machine sets the same pages:
DejaVu Sans (matplotlib's bundled folder) sets Latin, Greek, Cyrillic, Arabic, Hebrew and the status
symbols ✔ ● ▲ ✖ ○; what it lacks falls back to the Noto fonts of the pinned `manimgx-fonts` wheels
(FALLBACK_FONTS: Chinese, Japanese and Korean, emoji in monochrome outlines, symbols, and Typst's own
fallback finds the other scripts they hold). Only the glyphs used are embedded (subset), so a
Chinese name adds kilobytes, not the 30 MB font.

The source is generated here; every piece of tracker text goes through typst_text (string
literals, never markup). Charts are matplotlib SVG (vector) passed in as `sys.inputs`, each with
alt text. PDF/UA-1 gives real headings, table header rows marked (and repeated on every page), the
document title and the language (en-GB) in the file.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from pathlib import Path

import manimgx_fonts
import manimgx_fonts_cjk
import pandas as pd
import typst

from data_access.domain import measure_rules, movement_rules
from data_access.domain.rules import STATUS_STYLE, STATUSES, UNKNOWN, status_text
from data_access.domain.wording import (
    OVERDUE_COUNTED_AT,
    POINTS,
    change_text,
    due_text_of,
    long_date,
    overdue_history_note,
    overdue_rule,
    percent_text,
    plural,
    share_text,
    short_date,
    stored_time,
)
from data_access.papers import charts
from data_access.papers.content import (
    FOR_DECISION,
    GREEN_OVERDUE_ASK,
    BoardContent,
    Headline,
    PortfolioContent,
    board_title,
    compare_sentence,
    cover_facts,
    for_decision,
    records,
    status_key_sentence,
)
from data_access.papers.typst_text import drawn, isolated, typst_string, typst_text
from data_access.reads import board, deck_plan, movements

PREVIEW_PAGES = 3
BODY_WIDTH_CM = 26.7  # A4 landscape less the side margins
CHART_MAX_HEIGHT_CM = 13.0  # leaves room on the page for the heading, the caption and the footer
PREVIEW_PPI = 60

# The font list, in order: DejaVu Sans first (its Arabic and Hebrew read back from the PDF as the
# characters typed; Noto Sans Arabic draws some letters as a base and a separate dot), then Noto for
# what it lacks. Noto Emoji is monochrome outlines, which PDF/UA embeds like any other font.
FALLBACK_FONTS = (
    "DejaVu Sans",
    "Noto Sans Arabic",
    "Noto Sans Hebrew",
    "Noto Sans CJK SC",
    "Noto Emoji",
    "Noto Sans Symbols",
)

# Static Typst: page set-up and two helpers. No tracker text here.
PRELUDE = f"""
#set text(font: ({", ".join(f'"{name}"' for name in FALLBACK_FONTS)}), size: 9pt, lang: "en", region: "GB")
#set par(justify: false)
#set heading(numbering: none)
#show heading.where(level: 1): set text(size: 20pt)
#show heading.where(level: 2): set text(size: 14pt)
#show heading.where(level: 3): set text(size: 11pt)
#show heading: set block(above: 1.2em, below: 0.7em)
#set table(stroke: 0.5pt + rgb("#b1b4b6"), inset: (x: 4pt, y: 3pt), align: top + left)
#let status-cell(colour, words) = table.cell(fill: rgb(colour), text(fill: white, weight: "bold", words))
#let data-table(columns: auto, header: (), cells: ()) = table(
  columns: columns,
  table.header(repeat: true, ..header.map(h => table.cell(fill: rgb("#f3f2f1"), text(weight: "bold", h)))),
  ..cells,
)
"""


class Source:
    """A Typst document being written: lines of markup plus the SVG charts it embeds."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.images: dict[str, str] = {}

    def add(self, line: str) -> None:
        self.lines.append(line)

    def heading(self, level: int, text: object) -> None:
        self.add(f"#heading(level: {level}, {typst_string(drawn(text))})")

    def para(self, text: object) -> None:
        self.add(typst_text(drawn(text)))
        self.add("")

    def facts(self, pairs: Iterable[tuple[str, object]]) -> None:
        """A term list: 'Plan: …', 'Review: …'."""
        items = ", ".join(f"terms.item({typst_string(k)}, {typst_string(drawn(v))})" for k, v in pairs)
        self.add(f"#terms({items}, separator: [: ])")

    def table(self, header: Sequence[str], rows: Iterable[Sequence[str]], columns: str | None = None) -> None:
        """`rows` hold Typst expressions (cell()/status()); header is plain words."""
        cells = ", ".join(c for row in rows for c in row)
        cols = columns or str(len(header))
        head = ", ".join(typst_string(drawn(h)) for h in header)
        self.add(f"#data-table(columns: {cols}, header: ({head},), cells: ({cells},))")

    def chart(self, chart: charts.Chart) -> None:
        """The chart as vector SVG, as wide as the page allows while it fits under its heading."""
        key = f"chart{len(self.images)}"
        self.images[key] = chart.svg(text_as_paths=False)
        width_in, height_in = chart.figure.get_size_inches()
        width_cm = min(BODY_WIDTH_CM, CHART_MAX_HEIGHT_CM * width_in / height_in)
        self.add(
            f'#figure(image(bytes(sys.inputs.at("{key}")), format: "svg", width: {width_cm:.1f}cm, '
            f"alt: {typst_string(chart.alt)}), caption: {typst_string(drawn(chart.title))})"
        )

    def page_break(self) -> None:
        self.add("#pagebreak(weak: true)")

    def text(self) -> str:
        return "\n".join(self.lines)


def cell(value: object) -> str:
    """A table cell: the tracker's text, drawn (isolated, long tokens breakable)."""
    return typst_string(drawn(value))


def status(value: str | None) -> str:
    """A status cell: the status colour with white symbol, letter and word (never colour alone)."""
    if not isinstance(value, str):
        return cell("")
    style = STATUS_STYLE.get(value, STATUS_STYLE[UNKNOWN])
    return f'status-cell("{style.colour}", {typst_string(status_text(value))})'


def date_cell(row) -> str:
    """'30 Sep 2017 (tracker: “Sept 17”)': the date and the tracker's own wording (wording.due_text)."""
    return cell(due_text_of(row))


def number(value) -> str:
    return cell("" if value is None or pd.isna(value) else str(int(value)))


def font_paths() -> list[str]:
    """matplotlib's DejaVu folder and the folders of the two pinned Noto font wheels."""
    return [str(charts.FONT_DIR), *(str(Path(m.__file__).parent) for m in (manimgx_fonts, manimgx_fonts_cjk))]


@functools.cache
def fonts() -> typst.Fonts:
    """The fonts of font_paths (plus Typst's own), scanned once per process, never the system's."""
    return typst.Fonts(include_system_fonts=False, include_embedded_fonts=True, font_paths=font_paths())


def compile_pdf(source: Source, title: str, footer: str) -> bytes:
    return typst.compile(
        _document(source, title, footer).encode("utf-8"),
        font_paths=fonts(),
        sys_inputs=source.images,
        pdf_standards="ua-1",
    )


def compile_png_pages(source: Source, title: str, footer: str, pages: int = PREVIEW_PAGES) -> list[bytes]:
    """The first `pages` pages as PNG images (a preview on the page)."""
    images = typst.compile(
        _document(source, title, footer).encode("utf-8"),
        font_paths=fonts(),
        sys_inputs=source.images,
        format="png",
        ppi=PREVIEW_PPI,
    )
    images = images if isinstance(images, list) else [images]
    return images[:pages]


def _document(source: Source, title: str, footer: str) -> str:
    one_line = " ".join(title.split())
    return "\n".join(
        [
            f'#set document(title: {typst_string(one_line)}, author: "Improvement Board")',
            PRELUDE,
            '#set page(paper: "a4", flipped: true, margin: (x: 1.5cm, top: 1.4cm, bottom: 1.6cm), footer: context [',
            "  #set text(size: 8pt)",
            f'  {typst_text(drawn(footer))} #h(1fr) Page #counter(page).display("1 of 1", both: true)',
            "])",
            source.text(),
        ]
    )


# --- the board pack ------------------------------------------------------------------------


def _headline_rows(h: Headline, compare_label: str | None) -> list[list[str]]:
    def row(name: str, now: str, before: str | None, change: str) -> list[str]:
        return [cell(name), cell(now)] + ([cell(before or ""), cell(change)] if compare_label else [])

    b = h.before
    rows = [row(*figure) for figure in h.figures()]
    for s in STATUSES:
        before = b and str(b.status_counts[s])
        delta = None if b is None else h.status_counts[s] - b.status_counts[s]
        rows.append(row(status_text(s), str(h.status_counts[s]), before, change_text(delta)))
    return rows


def _rec_table(source: Source, by_rec: pd.DataFrame) -> None:
    header = ["Recommendation", "Overall status", *(status_text(s) for s in STATUSES), "Total", "Overdue", "Complete"]
    rows = [
        [
            cell(r["ref"]),
            status(r["status"]),
            *(number(r[s]) for s in STATUSES),
            number(r["total"]),
            number(r["overdue"]),
            cell(percent_text(r["pct_complete"])),
        ]
        for r in records(by_rec)
    ]
    source.table(header, rows)


OVERDUE_HEADER = [
    "Action",
    "What will be done",
    "Lead",
    "Due (tracker's wording)",
    "Days overdue",
    "Status",
    "Latest update",
]
OVERDUE_COLUMNS = "(auto, 3fr, 1.3fr, auto, auto, auto, 3fr)"


def _overdue_rows(frame: pd.DataFrame) -> list[list[str]]:
    return [
        [
            cell(r["key"]),
            cell(r["description"]),
            cell(r["lead"]),
            date_cell(r),
            number(r["days_overdue"]),
            status(r["status"]),
            cell(r["progress"]),
        ]
        for r in records(frame)
    ]


def _moves_table(source: Source, refs: list[movements.ActionRef], empty: str) -> None:
    if not refs:
        source.para(empty)
        return
    rows = [
        [cell(r.key), cell(r.rec_ref), cell(r.description), cell(r.lead), status(r.from_status), status(r.to_status)]
        for r in refs
    ]
    source.table(
        ["Action", "Rec", "What will be done", "Lead", "Was", "Now"], rows, "(auto, auto, 4fr, 1.5fr, auto, auto)"
    )


def board_source(content: BoardContent) -> Source:
    c = content
    src = Source()
    # Cover
    src.heading(1, f"Board pack: {isolated(c.plan_name)}")
    src.facts(cover_facts(c))
    src.para(overdue_rule(c.as_of, c.baseline))
    src.para(status_key_sentence())

    src.heading(2, "Headline figures")
    if c.compare:
        src.para(compare_sentence(c))
    header = ["Figure", c.review.label] + ([c.compare.label, "Change"] if c.compare else [])
    src.table(header, _headline_rows(c.headline, c.compare.label if c.compare else None))

    src.page_break()
    src.heading(2, "RAG status by recommendation")
    src.chart(charts.rag_by_recommendation(c.by_rec, c.plan_name))
    _rec_table(src, c.by_rec)
    src.para(board.RECOMMENDATION_STATUS_RULE)

    src.page_break()
    src.heading(2, f"Overdue actions by recommendation ({len(c.overdue)})")
    src.para(overdue_rule(c.as_of, c.baseline))
    if c.overdue.empty:
        src.para("No action is overdue.")
    for totals in c.overdue_by_rec.itertuples(index=False):
        rec_rows = c.overdue_of(totals.rec_ref)
        src.heading(3, f"Recommendation {isolated(totals.rec_ref)}: {plural(int(totals.overdue), 'overdue action')}")
        src.para(rec_rows["rec_text"].iloc[0])
        src.table(OVERDUE_HEADER, _overdue_rows(rec_rows), OVERDUE_COLUMNS)

    src.heading(2, f"Challenge: reported {status_text('green')} but overdue ({len(c.green_overdue)})")
    src.para(GREEN_OVERDUE_ASK)
    if c.green_overdue.empty:
        src.para("No green action is overdue.")
    else:
        src.table(
            ["Rec", *OVERDUE_HEADER],
            [
                [cell(r), *row]
                for r, row in zip(c.green_overdue["rec_ref"], _overdue_rows(c.green_overdue), strict=True)
            ],
            "(auto, " + OVERDUE_COLUMNS[1:],
        )

    _for_decision(src, c)

    src.page_break()
    src.heading(2, "Since the last review")
    if c.compare is None or c.moves is None:
        src.para("This is the plan's first review, so there is nothing to compare with yet.")
    else:
        src.para(c.summary)
        for title, refs in c.moves.lists("Completed", "Slipped", "Newly overdue"):
            src.heading(3, f"{title} ({len(refs)})")
            _moves_table(src, refs, f"No action {title.lower()}.")
        src.para(movement_rules.MOVEMENT_RULES)

    _status_over_time(src, c)
    _forecast(src, c)
    _measures(src, c)

    for rec in records(c.by_rec):
        src.page_break()
        ref = str(rec["ref"])
        src.heading(2, f"Recommendation {isolated(ref)}")
        src.para(rec["text"])
        mix = ", ".join(f"{status_text(s)}: {int(rec[s])}" for s in STATUSES if int(rec[s]))
        src.facts(
            [
                ("Overall status", status_text(rec["status"])),
                ("Complete", share_text(rec["pct_complete"], int(rec["complete"]), int(rec["total"]), "actions")),
                ("Overdue", str(int(rec["overdue"]))),
                ("Mix", mix or "no actions"),
            ]
        )
        rows = [
            [
                cell(a["key"]),
                cell(a["description"]),
                cell(a["lead"]),
                date_cell(a),
                status(a["status"]),
                cell("Overdue" if a["overdue"] else ""),
                cell(a["progress"]),
            ]
            for a in records(c.actions_of(ref))
        ]
        src.table(
            ["Action", "What will be done", "Lead", "Due (tracker's wording)", "Status", "Overdue", "Latest update"],
            rows,
            "(auto, 3fr, 1.3fr, auto, auto, auto, 3fr)",
        )
    return src


def _for_decision(src: Source, c: BoardContent) -> None:
    """For decision (issue 25): the complete actions awaiting sign-off, by recommendation with their
    evidence, and the due date changes awaiting approval (content.for_decision)."""
    src.page_break()
    src.heading(2, FOR_DECISION)
    for section in for_decision(c):
        src.heading(3, section.title)
        src.para(section.asked)
        if not section.rows:
            src.para(section.empty)
            continue
        widths = "(" + ", ".join(f"{w:g}fr" for w in section.widths) + ")"
        src.table(list(section.header), [[cell(v) for v in row] for row in section.rows], widths)


def _status_over_time(src: Source, c: BoardContent) -> None:
    """The status mix at each review (the Trends page's chart and figures): each review's overdue
    counted as long after its own date as the headline's (rules: 'Overdue: one question, one date')."""
    if c.mix.empty:
        return
    src.page_break()
    src.heading(2, "Status over time")
    src.chart(charts.status_mix(c.mix, c.plan_name))
    src.table(
        ["Review", *(status_text(s) for s in STATUSES), "Total", "Complete", "Overdue", OVERDUE_COUNTED_AT],
        [
            [
                cell(f"{r.label} ({short_date(r.as_at)})"),
                *(number(getattr(r, s)) for s in STATUSES),
                number(r.actions),
                cell(percent_text(r.pct_complete)),
                number(r.overdue),
                cell(short_date(r.overdue_as_of)),
            ]
            for r in c.mix.itertuples(index=False)
        ],
    )
    src.para(overdue_history_note(c.review.label, c.as_of))


def _forecast(src: Source, c: BoardContent) -> None:
    """The completion forecast (the Trends page's table) and its chart."""
    outlook = c.forecast
    if outlook is None:
        return
    src.page_break()
    src.heading(2, "Completion forecast")
    src.chart(charts.completion_forecast(outlook, c.plan_name))
    target = long_date(outlook.target_date) if outlook.target_date else "none set"
    src.table(
        ["For", "Complete now", "Completed per quarter", "All complete by", f"Against target ({target})", "Note"],
        [
            [
                cell("Whole plan" if line.rec_id is None else f"Recommendation {line.scope}"),
                cell(f"{line.complete} of {line.total} ({percent_text(line.pct_complete)})"),
                cell("—" if line.rate_per_quarter is None else f"{line.rate_per_quarter:.2g}"),
                cell(line.projected_quarter or "—"),
                cell(charts.forecast_flag(line, outlook.target_date)),
                cell(line.note),
            ]
            for line in (outlook.plan, *outlook.recommendations)
        ],
    )
    src.para(outlook.method)


def _measures(src: Source, c: BoardContent) -> None:
    """Measures of success (issue 24): each measure as it stood at the review, status in words with
    the value and target, then every period's value against its target."""
    if not c.measures:
        return
    rows = c.measure_rows
    met = int((rows["met"] == measure_rules.MET).sum())
    src.page_break()
    src.heading(2, "Measures of success")
    src.para(f"{measure_rules.at_target_text(met, len(rows))}, as at {long_date(c.review.as_at)}.")
    src.table(
        ["Measure", "Recs", "Latest", "Target", "At target", "Change"],
        [[cell(r[f]) for f in deck_plan.MEASURE_FIELDS] for r in records(rows)],
        "(2fr, auto, 1.2fr, auto, auto, 2fr)",
    )
    src.para(measure_rules.MET_RULE)
    for m in c.measures:
        if not m.points:
            continue
        better = "higher" if m.better == measure_rules.HIGHER else "lower"
        src.heading(3, f"{isolated(m.name)}: {better} is better")
        src.table(
            ["Period ending", "Value", "Target", "At target"],
            [
                [cell(short_date(h.period_end)), cell(h.value_text), cell(h.target_text), cell(h.word)]
                for h in m.history
            ],
        )


def board_footer(content: BoardContent) -> str:
    return (
        f"{isolated(content.plan_name)} · Position as at {long_date(content.review.as_at)} · "
        f"Overdue as at {long_date(content.as_of)}"
    )


def board_pdf(content: BoardContent) -> bytes:
    return compile_pdf(board_source(content), board_title(content), board_footer(content))


def board_preview(content: BoardContent, pages: int = PREVIEW_PAGES) -> list[bytes]:
    return compile_png_pages(board_source(content), board_title(content), board_footer(content), pages)


# --- the portfolio pack --------------------------------------------------------------------


def portfolio_rows(content: PortfolioContent) -> list[dict]:
    """One row of words per plan: the table on the Portfolio page and in the portfolio pack."""
    rows = []
    for line in content.plans:
        h = line.headline
        if h is None:
            rows.append({"plan": line.plan_name, "review": "no reviews yet"})
            continue
        directions = (
            " ".join(
                f"{movement_rules.ARROWS[d]} {line.direction_count(d)}"
                for d in (movement_rules.IMPROVING, movement_rules.SAME, movement_rules.WORSENING)
            )
            if line.compare
            else "first review"
        )
        rows.append(
            {
                "plan": line.plan_name,
                "review": f"{line.review.label} ({short_date(line.review.as_at)})",
                "actions": str(h.actions),
                "complete": percent_text(h.pct_complete)
                + (f" ({change_text(h.change('pct_complete'), POINTS)})" if h.before else ""),
                "red": str(h.red) + (f" ({change_text(h.change('red'))})" if h.before else ""),
                "overdue": str(h.overdue) + (f" ({change_text(h.change('overdue'))})" if h.before else ""),
                "mix": " · ".join(
                    f"{STATUS_STYLE[s].symbol} {STATUS_STYLE[s].letter} {h.status_counts[s]}" for s in STATUSES
                ),
                "direction": directions,
                "measures": portfolio_measures_text(line.measures),
            }
        )
    return rows


def portfolio_measures_text(figure) -> str:
    """'2 of 3 (+1)': a plan's measures of success at target at its latest review, with the change
    since the review before; 'none' when the plan has no measures."""
    if figure is None:
        return "none"
    change = f" ({change_text(figure.change)})" if figure.change is not None else ""
    return f"{figure.met} of {figure.total}{change}"


PORTFOLIO_HEADER = {
    "plan": "Plan",
    "review": "Latest review",
    "actions": "Actions",
    "complete": "Complete (change)",
    "red": "Red (change)",
    "overdue": "Overdue (change)",
    "mix": "RAG mix (✔ B, ● G, ▲ A, ✖ R, ○ ?)",
    "direction": "Recommendations ↑ improving → same ↓ worsening",
    "measures": "Measures at target (change)",
}


def portfolio_source(content: PortfolioContent) -> Source:
    src = Source()
    src.heading(1, "Portfolio pack: every action plan")
    src.facts(
        [
            ("Plans", str(len(content.plans))),
            ("Overdue as at", long_date(content.as_of)),
            ("Produced", stored_time(content.generated_at.astimezone(dt.UTC).replace(tzinfo=None))),
        ]
    )
    src.para(
        "Each plan is shown at its latest review and compared with the review before it; changes are in "
        "brackets. " + overdue_rule(content.as_of, content.baseline)
    )
    src.heading(2, "Every plan side by side")
    rows = portfolio_rows(content)
    keys = list(PORTFOLIO_HEADER)
    src.table(
        list(PORTFOLIO_HEADER.values()),
        [[cell(r.get(k, "")) for k in keys] for r in rows],
        "(3fr, 1.4fr, auto, auto, auto, auto, 2fr, 1.6fr, 1.2fr)",
    )
    src.para(movement_rules.DIRECTION_RULE)
    if content.with_reviews:
        src.chart(charts.portfolio_mix(content.with_reviews))
    for line in content.with_reviews:
        src.page_break()
        src.heading(2, line.plan_name)
        src.facts(
            [
                ("Latest review", line.review.title),
                ("Compared with", line.compare.title if line.compare else "nothing: the plan's first review"),
                *([("Inspection", line.inspection_type)] if line.inspection_type else []),
            ]
        )
        header = ["Figure", line.review.label] + ([line.compare.label, "Change"] if line.compare else [])
        src.table(header, _headline_rows(line.headline, line.compare.label if line.compare else None))
        if line.summary:
            src.para(line.summary)
        src.heading(3, "RAG status by recommendation")
        _rec_table(src, line.by_rec)
        if line.directions:
            src.heading(3, "Direction of travel by recommendation")
            src.table(
                ["Recommendation", "Direction", "Moved better", "Moved worse", "In both reviews", "Added", "Dropped"],
                [
                    [
                        cell(d.rec_ref),
                        cell(f"{d.arrow} {d.direction.capitalize()}"),
                        number(d.better),
                        number(d.worse),
                        number(d.compared),
                        number(d.added),
                        number(d.dropped),
                    ]
                    for d in line.directions
                ],
            )
    return src


def portfolio_title(content: PortfolioContent) -> str:
    return f"Portfolio pack: {plural(len(content.plans), 'action plan')}, overdue as at {long_date(content.as_of)}"


def portfolio_footer(content: PortfolioContent) -> str:
    return f"Portfolio pack · Overdue as at {long_date(content.as_of)}"


def portfolio_pdf(content: PortfolioContent) -> bytes:
    return compile_pdf(portfolio_source(content), portfolio_title(content), portfolio_footer(content))


def portfolio_preview(content: PortfolioContent, pages: int = PREVIEW_PAGES) -> list[bytes]:
    return compile_png_pages(portfolio_source(content), portfolio_title(content), portfolio_footer(content), pages)
