"""The papers as one self-contained, accessible HTML file each (government guidance: publish in HTML
wherever possible): the board pack, the cabinet report and the exception report.

Laid out from the same content the PDF and the Word report use (papers.content.BoardContent), never a
second query or rule. The file holds everything it shows: its styles inline, every chart as inline
SVG (glyphs as outlines, so no font is fetched) with its title and text alternative, and the chart's
figures in a table beside it. No script, no link to anything outside the file.

Accessible by construction: `lang="en-GB"`, a <title>, headings in order (one h1, then h2 and h3),
real tables with a <caption> and <th scope> header cells, statuses as symbol, letter and word (never
colour alone), and text that reflows on a phone.

Text is data, never markup: every piece of text reaches the page through `escaped` (html.escape, after
the one rule for text, domain/clean_text.for_paper), the one door into the file. Only this module's own
tags and the charts' SVG (drawn by matplotlib, which escapes its text) go in unescaped.

Why no template engine (Jinja2 is installed with Streamlit): the pages are built by a writer with the
same verbs as the PDF's (pdf_pack.Source: heading, para, facts, table, chart), so each format's layout
reads alike; a writer whose one text door is `escaped` cannot forget to escape, while a template's
`|safe` can; and nothing new needs pinning.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from data_access.domain import measure_rules, movement_rules
from data_access.domain.clean_text import for_paper
from data_access.domain.rules import RED, STATUS_STYLE, STATUSES, UNKNOWN, status_text
from data_access.domain.wording import (
    OVERDUE_COUNTED_AT,
    change_text,
    due_text_of,
    judged_note,
    long_date,
    overdue_history_note,
    overdue_rule,
    percent_text,
    plural,
    share_text,
    short_date,
)
from data_access.papers import charts
from data_access.papers.content import (
    FOR_DECISION,
    GREEN_OVERDUE_ASK,
    MOVED_LATER_HEADER,
    BoardContent,
    Headline,
    board_title,
    compare_sentence,
    cover_facts,
    for_decision,
    moved_later_rows,
    percent_words,
    plain,
    records,
    status_key_sentence,
)
from data_access.papers.typst_text import isolated
from data_access.reads import board, deck_plan

LANGUAGE = "en-GB"


def escaped(value: object) -> str:
    """The one door for text into an HTML paper: '' for a blank, cleaned and bidi-isolated
    (clean_text.for_paper), then html.escape (quotes too, so it is safe in an attribute)."""
    return html.escape(for_paper(plain(value)), quote=True)


@dataclass(frozen=True)
class Status:
    """A table cell drawn as a status: its colour, and symbol, letter and word."""

    status: str | None


@dataclass(frozen=True)
class Placeholder:
    """A detail nobody has set (the cabinet report): drawn as a marked placeholder, never guessed."""

    words: str


STYLE = """
:root { color: #0b0c0c; background: #fff; }
body { font-family: Arial, "Helvetica Neue", Helvetica, sans-serif; line-height: 1.45; margin: 0 auto;
  max-width: 70rem; padding: 1rem 1.25rem 3rem; }
h1 { font-size: 2rem; margin: 0.5rem 0 1rem; }
h2 { font-size: 1.5rem; margin: 2.5rem 0 0.75rem; border-top: 1px solid #b1b4b6; padding-top: 1rem; }
h3 { font-size: 1.2rem; margin: 1.75rem 0 0.5rem; }
p, dd, td, th, caption { overflow-wrap: anywhere; white-space: pre-line; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; }
dl.facts dt { font-weight: bold; }
dl.facts dd { margin: 0; }
.table-wrap { overflow-x: auto; margin: 0 0 1.25rem; }
.table-wrap:focus { outline: 3px solid #ffdd00; outline-offset: 0; }
table { border-collapse: collapse; width: 100%; }
caption { text-align: left; font-weight: bold; padding: 0.3rem 0; }
th, td { border: 1px solid #b1b4b6; padding: 0.3rem 0.45rem; text-align: left; vertical-align: top; }
thead th { background: #f3f2f1; }
tbody th { font-weight: normal; }
td.status { color: #fff; font-weight: bold; white-space: nowrap; }
figure { margin: 1rem 0; }
figure svg { width: 100%; max-width: 60rem; height: auto; }
figcaption { font-weight: bold; }
.placeholder { background: #ffdd00; color: #0b0c0c; font-weight: bold; }
footer { margin-top: 3rem; font-size: 0.9rem; color: #505a5f; }
@media print { h2 { break-before: page; border-top: none; } .table-wrap { overflow: visible; } }
"""


class HtmlDocument:
    """An HTML paper being written: the same verbs as the PDF's pdf_pack.Source."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self._charts = 0
        self._levels: list[int] = []

    def heading(self, level: int, text: object) -> None:
        previous = self._levels[-1] if self._levels else 0
        if level > previous + 1 or (level == 1 and self._levels):
            raise ValueError(f"heading level {level} after {previous}: headings must not skip a level")
        self._levels.append(level)
        self.parts.append(f"<h{level}>{escaped(text)}</h{level}>")

    def para(self, *parts: object) -> None:
        """A paragraph of text parts; a Placeholder part is marked as one."""
        self.parts.append(f"<p>{''.join(_inline(p) for p in parts)}</p>")

    def facts(self, pairs: Iterable[tuple[str, object]]) -> None:
        items = "".join(f"<dt>{escaped(k)}</dt><dd>{_inline(v)}</dd>" for k, v in pairs)
        self.parts.append(f'<dl class="facts">{items}</dl>')

    def table(self, caption: str, header: Sequence[str], rows: Iterable[Sequence[object]], *, row_header=True) -> None:
        """A real table: its caption, a header row of <th scope="col">, and the first cell of each
        row a <th scope="row"> (the row's name) unless `row_header` is False."""
        head = "".join(f'<th scope="col">{escaped(h)}</th>' for h in header)
        body = []
        for row in rows:
            cells = [_cell(value, header_cell=row_header and i == 0) for i, value in enumerate(row)]
            body.append(f"<tr>{''.join(cells)}</tr>")
        self.parts.append(
            # a table wider than a phone scrolls in its own box, which a keyboard can reach and a
            # screen reader names (axe: scrollable-region-focusable)
            f'<div class="table-wrap" tabindex="0" role="region" aria-label="{escaped(caption)}">'
            f"<table><caption>{escaped(caption)}</caption>"
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
        )

    def chart(self, chart: charts.Chart) -> None:
        """The chart as inline SVG, named by its title and described by its text alternative."""
        self._charts += 1
        svg = inline_svg(chart, f"chart{self._charts}")
        self.parts.append(f"<figure>{svg}<figcaption>{escaped(chart.title)}</figcaption></figure>")

    def page_break(self) -> None:
        """Nothing: an HTML page flows (print breaks before each h2, by the style)."""

    def html(self, title: str, footer: str) -> bytes:
        one_line = " ".join(title.split())
        return (
            "<!DOCTYPE html>\n"
            f'<html lang="{LANGUAGE}">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escaped(one_line)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n"
            + "\n".join(self.parts)
            + f"\n</main>\n<footer><p>{escaped(footer)}</p></footer>\n</body>\n</html>\n"
        ).encode("utf-8")


def _inline(value: object) -> str:
    if isinstance(value, Placeholder):
        return f'<mark class="placeholder">[to be completed by the report author: {escaped(value.words)}]</mark>'
    return escaped(value)


def _cell(value: object, *, header_cell: bool) -> str:
    if isinstance(value, Status):
        if not isinstance(value.status, str):
            return "<td></td>"
        style = STATUS_STYLE.get(value.status, STATUS_STYLE[UNKNOWN])
        return f'<td class="status" style="background:{style.colour}">{escaped(status_text(value.status))}</td>'
    if header_cell:
        return f'<th scope="row">{_inline(value)}</th>'
    return f"<td>{_inline(value)}</td>"


_XML_PROLOGUE = re.compile(r"\A.*?(?=<svg\b)", re.S)
_METADATA = re.compile(r"<metadata>.*?</metadata>", re.S)
_ID_REFERENCES = re.compile(r'(\bid="|href="#|url\(#)')


def inline_svg(chart: charts.Chart, prefix: str) -> str:
    """The chart's SVG as an element of the page: no XML prologue or metadata, every id prefixed
    (two charts' glyph and clip ids would collide), sized by the page, role img named by its
    <title> and described by its <desc> (charts.Chart.svg puts the alt text there)."""
    svg = _METADATA.sub("", _XML_PROLOGUE.sub("", chart.svg()))
    svg = _ID_REFERENCES.sub(lambda m: m.group(1) + prefix + "-", svg)
    svg = re.sub(r'\A<svg([^>]*?) width="[^"]*" height="[^"]*"', r"<svg\1", svg, count=1)
    svg = svg.replace("<title>", f'<title id="{prefix}-title">', 1).replace("<desc>", f'<desc id="{prefix}-desc">', 1)
    return svg.replace("<svg", f'<svg role="img" aria-labelledby="{prefix}-title" aria-describedby="{prefix}-desc"', 1)


def produced(content: BoardContent) -> str:
    return dict(cover_facts(content))["Produced"]


def footer(content: BoardContent) -> str:
    return (
        f"{isolated(content.plan_name)} · Position as at {long_date(content.review.as_at)} · "
        f"Overdue as at {long_date(content.as_of)} · Produced {produced(content)} by Improvement Board"
    )


# --- tables every paper shares -------------------------------------------------------------------


def headline_table(doc: HtmlDocument, c: BoardContent) -> None:
    """The headline figures (Headline.figures) and the count of each status, with the change."""
    h: Headline = c.headline
    b = h.before

    def row(name: str, now: str, before: str | None, change: str) -> list[str]:
        return [name, now] + ([before or "", change] if c.compare else [])

    rows = [row(*figure) for figure in h.figures()]
    for s in STATUSES:
        delta = None if b is None else h.status_counts[s] - b.status_counts[s]
        rows.append(row(status_text(s), str(h.status_counts[s]), b and str(b.status_counts[s]), change_text(delta)))
    header = ["Figure", c.review.label] + ([c.compare.label, "Change"] if c.compare else [])
    doc.table(f"Headline figures at {c.review.title}", header, rows)


def recommendation_table(doc: HtmlDocument, by_rec: pd.DataFrame) -> None:
    header = ["Recommendation", "Overall status", *(status_text(s) for s in STATUSES), "Total", "Overdue", "Complete"]
    doc.table(
        "RAG status by recommendation (the chart's figures)",
        header,
        [
            [
                r["ref"],
                Status(r["status"]),
                *(str(int(r[s])) for s in STATUSES),
                str(int(r["total"])),
                str(int(r["overdue"])),
                percent_text(r["pct_complete"]),
            ]
            for r in records(by_rec)
        ],
    )


OVERDUE_HEADER = [
    "Action",
    "What will be done",
    "Lead",
    "Due (tracker's wording)",
    "Days overdue",
    "Status",
    "Latest update",
]


def _overdue_rows(frame: pd.DataFrame) -> list[list[object]]:
    return [
        [
            a["key"],
            a["description"],
            a["lead"],
            due_text_of(a),
            plain(a["days_overdue"]),
            Status(a["status"]),
            a["progress"],
        ]
        for a in records(frame)
    ]


def actions_table(doc: HtmlDocument, caption: str, frame: pd.DataFrame) -> None:
    doc.table(
        caption,
        ["Action", "What will be done", "Lead", "Due (tracker's wording)", "Status", "Overdue", "Latest update"],
        [
            [
                a["key"],
                a["description"],
                a["lead"],
                due_text_of(a),
                Status(a["status"]),
                "Overdue" if a["overdue"] else "",
                a["progress"],
            ]
            for a in records(frame)
        ],
    )


def status_mix_section(doc: HtmlDocument, c: BoardContent, level: int = 2) -> None:
    if c.mix.empty:
        return
    doc.heading(level, "Status over time")
    doc.chart(charts.status_mix(c.mix, c.plan_name))
    doc.table(
        "Actions by status at each review (the chart's figures)",
        ["Review", *(status_text(s) for s in STATUSES), "Total", "Complete", "Overdue", OVERDUE_COUNTED_AT],
        [
            [
                f"{r.label} ({short_date(r.as_at)})",
                *(str(int(getattr(r, s))) for s in STATUSES),
                str(int(r.actions)),
                percent_text(r.pct_complete),
                str(int(r.overdue)),
                short_date(r.overdue_as_of),
            ]
            for r in c.mix.itertuples(index=False)
        ],
    )
    doc.para(overdue_history_note(c.review.label, c.as_of))


def forecast_section(doc: HtmlDocument, c: BoardContent, level: int = 2) -> None:
    outlook = c.forecast
    if outlook is None:
        return
    doc.heading(level, "Completion forecast")
    doc.chart(charts.completion_forecast(outlook, c.plan_name))
    target = long_date(outlook.target_date) if outlook.target_date else "none set"
    doc.table(
        "Completion forecast at the rate so far (the chart's figures)",
        ["For", "Complete now", "Completed per quarter", "All complete by", f"Against target ({target})", "Note"],
        [
            [
                "Whole plan" if line.rec_id is None else f"Recommendation {line.scope}",
                f"{line.complete} of {line.total} ({percent_text(line.pct_complete)})",
                "—" if line.rate_per_quarter is None else f"{line.rate_per_quarter:.2g}",
                line.projected_quarter or "—",
                charts.forecast_flag(line, outlook.target_date),
                line.note,
            ]
            for line in (outlook.plan, *outlook.recommendations)
        ],
    )
    doc.para(outlook.method)


def for_decision_sections(doc: HtmlDocument, c: BoardContent, level: int, prefix: str = "") -> None:
    """For decision (issue 25): the complete actions awaiting sign-off, by recommendation with their
    evidence, and the due date changes awaiting approval (content.for_decision), as the PDF and
    the Word report lay them out."""
    for section in for_decision(c):
        title = f"{prefix}{section.title[0].lower()}{section.title[1:]}" if prefix else section.title
        doc.heading(level, title)
        doc.para(section.asked)
        if section.rows:
            doc.table(section.title, list(section.header), [list(row) for row in section.rows])
        else:
            doc.para(section.empty)


def measures_section(doc: HtmlDocument, c: BoardContent, level: int = 2) -> None:
    """Measures of success (issue 24), as the PDF and the Word report give them: each measure as it
    stood at the review, its status in words with the value and target, then (in the board pack)
    every period's value against its target."""
    if not c.measures:
        return
    rows = c.measure_rows
    met = int((rows["met"] == measure_rules.MET).sum())
    doc.heading(level, "Measures of success")
    doc.para(f"{measure_rules.at_target_text(met, len(rows))}, as at {long_date(c.review.as_at)}.")
    doc.table(
        f"Measures of success at {c.review.label}",
        ["Measure", "Recs", "Latest", "Target", "At target", "Change"],
        [[r[f] for f in deck_plan.MEASURE_FIELDS] for r in records(rows)],
    )
    doc.para(measure_rules.MET_RULE)
    if level > 2:
        return  # the cabinet report gives the standing only, as the Word report does
    for m in c.measures:
        if not m.points:
            continue
        better = "higher" if m.better == measure_rules.HIGHER else "lower"
        doc.heading(level + 1, f"{m.name}: {better} is better")
        doc.table(
            f"Values of {m.name}",
            ["Period ending", "Value", "Target", "At target"],
            [[short_date(h.period_end), h.value_text, h.target_text, h.word] for h in m.history],
        )


# --- the board pack ------------------------------------------------------------------------------


def board_document(content: BoardContent) -> HtmlDocument:
    """The board pack's sections, in the PDF's order (pdf_pack.board_source)."""
    c = content
    doc = HtmlDocument()
    doc.heading(1, f"Board pack: {isolated(c.plan_name)}")
    doc.facts(cover_facts(c))
    doc.para(overdue_rule(c.as_of, c.baseline))
    doc.para(status_key_sentence())

    doc.heading(2, "Headline figures")
    if c.compare:
        doc.para(compare_sentence(c))
    headline_table(doc, c)

    doc.heading(2, "RAG status by recommendation")
    doc.chart(charts.rag_by_recommendation(c.by_rec, c.plan_name))
    recommendation_table(doc, c.by_rec)
    doc.para(board.RECOMMENDATION_STATUS_RULE)

    doc.heading(2, f"Overdue actions by recommendation ({len(c.overdue)})")
    doc.para(overdue_rule(c.as_of, c.baseline))
    if c.overdue.empty:
        doc.para("No action is overdue.")
    for totals in c.overdue_by_rec.itertuples(index=False):
        rec_rows = c.overdue_of(totals.rec_ref)
        title = f"Recommendation {totals.rec_ref}: {plural(int(totals.overdue), 'overdue action')}"
        doc.heading(3, title)
        doc.para(rec_rows["rec_text"].iloc[0])
        doc.table(f"Overdue actions of recommendation {totals.rec_ref}", OVERDUE_HEADER, _overdue_rows(rec_rows))

    doc.heading(2, f"Challenge: reported {status_text('green')} but overdue ({len(c.green_overdue)})")
    doc.para(GREEN_OVERDUE_ASK)
    if c.green_overdue.empty:
        doc.para("No green action is overdue.")
    else:
        doc.table(
            "Reported on track but overdue",
            ["Rec", *OVERDUE_HEADER],
            [[r, *row] for r, row in zip(c.green_overdue["rec_ref"], _overdue_rows(c.green_overdue), strict=True)],
        )

    doc.heading(2, FOR_DECISION)
    for_decision_sections(doc, c, 3)

    doc.heading(2, "Since the last review")
    if c.compare is None or c.moves is None:
        doc.para("This is the plan's first review, so there is nothing to compare with yet.")
    else:
        doc.para(c.summary)
        for title, refs in c.moves.lists("Completed", "Slipped", "Newly overdue"):
            doc.heading(3, f"{title} ({len(refs)})")
            if not refs:
                doc.para(f"No action {title.lower()}.")
                continue
            doc.table(
                f"{title} since {c.compare.title}",
                ["Action", "Rec", "What will be done", "Lead", "Was", "Now"],
                [[r.key, r.rec_ref, r.description, r.lead, Status(r.from_status), Status(r.to_status)] for r in refs],
            )
        doc.para(movement_rules.MOVEMENT_RULES)

    status_mix_section(doc, c)
    forecast_section(doc, c)
    measures_section(doc, c)

    for rec in records(c.by_rec):
        ref = str(rec["ref"])
        doc.heading(2, f"Recommendation {ref}")
        doc.para(rec["text"])
        mix = ", ".join(f"{status_text(s)}: {int(rec[s])}" for s in STATUSES if int(rec[s]))
        doc.facts(
            [
                ("Overall status", status_text(rec["status"])),
                ("Complete", share_text(rec["pct_complete"], int(rec["complete"]), int(rec["total"]), "actions")),
                ("Overdue", str(int(rec["overdue"]))),
                ("Mix", mix or "no actions"),
            ]
        )
        actions_table(doc, f"The actions of recommendation {ref}", c.actions_of(ref))
    return doc


def board_html(content: BoardContent) -> bytes:
    return board_document(content).html(board_title(content), footer(content))


# --- the cabinet report --------------------------------------------------------------------------

# The Word report's structure and wording (word_report), laid out as HTML.
CABINET_HEADINGS = (
    "1. Purpose of the report",
    "2. Background",
    "3. Progress",
    "4. Key issues",
    "5. Implications",
    "6. Decision recommendations",
    "Appendix A: the action plan",
)
IMPLICATIONS = ("Financial", "Legal", "Risk", "Equalities")


def _or_placeholder(value, words: str, shown=str):
    return Placeholder(words) if value in (None, "") else shown(value)


def cabinet_document(content: BoardContent) -> HtmlDocument:
    from data_access.storage.plan_admin import ReportSettings

    c = content
    s = c.report or ReportSettings()
    h = c.headline
    doc = HtmlDocument()
    council = _or_placeholder(s.organisation or c.organisation, "the council")
    inspection = _or_placeholder(s.inspection_type, "the inspection (for example Ofsted ILACS or JTAI)")
    doc.heading(1, f"{isolated(c.plan_name)}: progress report to Cabinet")
    doc.para(
        f"Review {c.review.label}, position as at {long_date(c.review.as_at)}. Overdue actions are counted as at "
        f"{long_date(c.as_of)} throughout this report"
        + (f"; changes are since {c.compare.title}." if c.compare else "; this is the plan's first review.")
        + judged_note(c.baseline)
    )

    doc.heading(2, CABINET_HEADINGS[0])
    doc.para(
        "1.1 To update Cabinet on progress against the action plan agreed in response to the ",
        inspection,
        " inspection of ",
        council,
        f"'s children's services, as at the {c.review.label} review (position as at {long_date(c.review.as_at)}).",
    )
    doc.para("1.2 To set out the issues that need Cabinet's attention and to ask Cabinet to note the progress.")

    doc.heading(2, CABINET_HEADINGS[1])
    if s.inspection_start and s.inspection_end and s.inspection_start != s.inspection_end:
        when: list[object] = [f"from {long_date(s.inspection_start)} to {long_date(s.inspection_end)}"]
    elif s.inspection_start or s.inspection_end:
        when = [f"on {long_date(s.inspection_start or s.inspection_end)}"]
    else:
        when = ["on ", Placeholder("the inspection dates")]
    published = _or_placeholder(s.published_on, "the date the inspection report was published", long_date)
    doc.para(
        "2.1 ", council, "'s children's services were inspected (", inspection, ") ", *when,
        ". The inspection report was published on ", published, ".",
    )  # fmt: skip
    doc.para(
        "2.2 The overall judgement was: ",
        _or_placeholder(s.judgement, "the overall judgement, as the inspection report words it"),
        ".",
    )
    refs = c.rec_refs
    span = f" ({refs[0]} to {refs[-1]})" if len(refs) > 1 else ""
    doc.para(
        f"2.3 The inspection made {plural(len(refs), 'recommendation')}{span}. The action plan addresses them with "
        f"{plural(h.actions, 'action')} at the {c.review.label} review; the plan in full is Appendix A."
    )
    target = f" The plan is due to be complete by {long_date(c.target_date)}." if c.target_date else ""
    doc.para(
        "2.4 Progress is monitored by ",
        _or_placeholder(s.board_name, "the name of the board that monitors the plan"),
        f", which reviews the plan every quarter.{target}",
    )

    doc.heading(2, CABINET_HEADINGS[2])
    if c.summary:
        doc.para(c.summary)
    doc.heading(3, "Headline figures")
    headline_table(doc, c)
    if c.decisions is not None:
        doc.para(f"Decisions: {c.decisions.sentence()}")
    doc.heading(3, "Direction of travel by recommendation")
    if not c.directions:
        doc.para("There is no earlier review to compare with yet.")
    else:
        status_of = dict(zip(c.by_rec["ref"].astype(str), c.by_rec["status"], strict=True))
        doc.table(
            f"Direction of travel, {c.compare.label} to {c.review.label}",
            ["Recommendation", "Direction", "Moved better", "Moved worse", "Complete (then → now)", "Status now"],
            [
                [
                    d.rec_ref,
                    f"{d.arrow} {d.direction.capitalize()}",
                    str(d.better),
                    str(d.worse),
                    f"{percent_words(d.complete_from, d.total_from)} → {percent_words(d.complete_to, d.total_to)}",
                    Status(status_of.get(d.rec_ref)),
                ]
                for d in c.directions
            ],
        )
        doc.para(movement_rules.DIRECTION_RULE)
    status_mix_section(doc, c, 3)
    forecast_section(doc, c, 3)
    measures_section(doc, c, 3)

    doc.heading(2, CABINET_HEADINGS[3])
    red = c.actions[c.actions["status"] == RED]
    moved = c.moves.due_date_moved_later if c.moves is not None else []
    doc.para(
        f"{plural(len(red), 'action')} off track (red) and {plural(len(c.overdue), 'action')} overdue as at "
        f"{long_date(c.as_of)}"
        + (f"; {plural(len(moved), 'due date')} moved later since {isolated(c.compare.title)}." if c.compare else ".")
    )
    doc.heading(3, f"Off track (red) actions ({len(red)})")
    if red.empty:
        doc.para("No action is off track.")
    else:
        doc.table(
            "Off track (red) actions",
            ["Action", "Rec", "What will be done", "Lead", "Due", "Latest update"],
            [
                [a["key"], a["rec_ref"], a["description"], a["lead"], due_text_of(a), a["progress"]]
                for a in records(red)
            ],
        )
    doc.heading(3, f"Overdue actions ({len(c.overdue)})")
    doc.para(overdue_rule(c.as_of, c.baseline))
    if not c.overdue.empty:
        doc.table(
            "Overdue actions",
            ["Action", "Rec", *OVERDUE_HEADER[1:]],
            [[row[0], rec, *row[1:]] for rec, row in zip(c.overdue["rec_ref"], _overdue_rows(c.overdue), strict=True)],
        )

    if c.compare is not None:
        doc.heading(3, f"Due dates moved later since {c.compare.label} ({len(moved)})")
        if not moved:
            doc.para(f"No action's due date is later than at {c.compare.title}.")
        else:
            doc.table(f"Due dates moved later since {c.compare.title}", MOVED_LATER_HEADER, moved_later_rows(moved))

    doc.heading(2, CABINET_HEADINGS[4])
    for n, name in enumerate(IMPLICATIONS, start=1):
        doc.heading(3, f"5.{n} {name}")
        doc.para(Placeholder(f"{name.lower()} implications"))

    doc.heading(2, CABINET_HEADINGS[5])
    doc.para("That Cabinet:")
    doc.para(
        f"1. notes the progress made against the action plan at the {c.review.label} review: "
        f"{h.complete} of {h.actions} actions complete ({percent_words(h.complete, h.actions)}), "
        f"{h.red} off track (red) and {h.overdue} overdue as at {long_date(c.as_of)};"
    )
    doc.para("2. notes the key issues in section 4 and the action being taken on them;")
    doc.para("3. ", Placeholder("any further decision asked of Cabinet, or delete this line"), ".")
    for_decision_sections(doc, c, 3, prefix=f"{FOR_DECISION}: ")

    doc.heading(2, CABINET_HEADINGS[6])
    doc.para(f"The plan at the {c.review.label} review (position as at {long_date(c.review.as_at)}).")
    for rec in records(c.by_rec):
        ref = str(rec["ref"])
        doc.heading(3, f"Recommendation {ref}")
        doc.para(rec["text"])
        actions_table(doc, f"The actions of recommendation {ref}", c.actions_of(ref))
    return doc


def cabinet_html(content: BoardContent) -> bytes:
    title = f"{isolated(content.plan_name)}: progress report to Cabinet"
    return cabinet_document(content).html(title, footer(content))
