"""The meeting's slide deck (PowerPoint, 16:9), with python-pptx.

The same running order as the app's presentation mode — Overview, each recommendation, Overdue —
after a title slide, plus "Since the last review" and the status mix over time. Charts are
native PowerPoint charts with their data embedded ("Edit data" works), never pictures; every
status cell carries symbol, letter and word on the status colour. Long lists continue on the
next slide rather than running off the page. Tables have fixed column widths (a:gridCol) and cells
that wrap (`wrap="square"`); a long token gets break opportunities (line_breaks.breakable) so it
wraps inside its cell rather than over the next column.
Text goes through the one rule for text (domain/clean_text): control characters become line breaks
or spaces rather than vanishing, and each tracker field is isolated (FSI ... PDI) so a bidi override
never reorders its neighbours.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from xml.sax.saxutils import escape as xml_escape

import pandas as pd
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls
from pptx.util import Inches, Pt

from data_access.domain.clean_text import clean_text, for_paper
from data_access.domain.rules import STATUS_STYLE, STATUSES, UNKNOWN, status_text
from data_access.domain.wording import due_text_of, long_date, percent_text, plural, short_date, short_text
from data_access.papers.content import BoardContent, plain, records
from data_access.papers.line_breaks import breakable

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)  # 16:9
MARGIN = Inches(0.5)
ROWS_PER_SLIDE = 7
TITLE_ONLY = 5  # layouts of the default template
TITLE_SLIDE = 0
WHITE = RGBColor(0xFF, 0xFF, 0xFF)
HEADER_FILL_HEX, INK_HEX = "F3F2F1", "0B0C0C"
TABLE_GRID_STYLE = "{5940675A-B579-460E-94D1-54222C63F5DA}"  # PowerPoint's "No Style, Table Grid"
ROW_HEIGHT = 370840  # EMU; rows grow with their text


def _run_xml(text: str, size: int, colour: str | None, bold: bool) -> str:
    fill = f'<a:solidFill><a:srgbClr val="{colour}"/></a:solidFill>' if colour else ""
    props = f'<a:rPr lang="en-GB" sz="{size * 100}" b="{1 if bold else 0}" dirty="0">{fill}</a:rPr>'
    return f"<a:r>{props}<a:t>{xml_escape(text)}</a:t></a:r>"


def _row_xml(cells, size: int) -> str:
    """One <a:tr>: cells are (text, fill hex or None, text colour hex or None, bold)."""
    out = [f'<a:tr h="{ROW_HEIGHT}">']
    for text, fill, colour, bold in cells:
        paragraphs = "".join(
            f"<a:p>{_run_xml(line, size, colour, bold) if line else ''}</a:p>"
            for line in breakable(clean_text(text)).split("\n")
        )
        shade = f'<a:solidFill><a:srgbClr val="{fill}"/></a:solidFill>' if fill else "<a:noFill/>"
        out.append(
            f'<a:tc><a:txBody><a:bodyPr wrap="square"/><a:lstStyle/>{paragraphs}</a:txBody>'
            f'<a:tcPr anchor="t">{shade}</a:tcPr></a:tc>'
        )
    out.append("</a:tr>")
    return "".join(out)


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


def _short(value, limit: int) -> str:
    return short_text(plain(value), limit)


class Deck:
    def __init__(self) -> None:
        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = WIDTH, HEIGHT

    def slide(self, title: str):
        slide = self.prs.slides.add_slide(self.prs.slide_layouts[TITLE_ONLY])
        shape = slide.shapes.title
        shape.left, shape.top, shape.width, shape.height = MARGIN, Inches(0.3), WIDTH - 2 * MARGIN, Inches(0.9)
        shape.text = clean_text(title)
        for paragraph in shape.text_frame.paragraphs:
            for run in paragraph.runs:
                run.font.size = Pt(30)
                run.font.bold = True
        return slide

    def text(self, slide, lines: Sequence[str], top, height, size: int = 16):
        box = slide.shapes.add_textbox(MARGIN, top, WIDTH - 2 * MARGIN, height)
        frame = box.text_frame
        frame.word_wrap = True
        for i, line in enumerate(lines):
            paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            paragraph.text = breakable(clean_text(line))
            paragraph.font.size = Pt(size)
        return box

    def table(
        self, slide, header: Sequence[str], rows: Sequence[Sequence], widths: Sequence[float], top, size=12, width=None
    ):
        """rows: plain values, or ('status', status) for a RAG cell. The table's XML is written in one
        go (python-pptx's cell-by-cell API took seconds for a 300-action plan)."""
        width = width or WIDTH - 2 * MARGIN
        shape = slide.shapes.add_table(1, 1, MARGIN, top, width, Inches(0.4))
        total = sum(widths)
        columns = [int(width * w / total) for w in widths]
        body = [_row_xml([(for_paper(h), HEADER_FILL_HEX, INK_HEX, True) for h in header], size)]
        for row in rows:
            cells = []
            for value in row:
                if isinstance(value, tuple) and value[0] == "status":
                    style = STATUS_STYLE.get(value[1], STATUS_STYLE[UNKNOWN])
                    if value[1]:
                        cells.append((status_text(value[1]), style.colour.lstrip("#").upper(), "FFFFFF", True))
                    else:
                        cells.append(("", None, None, False))
                else:
                    cells.append((for_paper(plain(value)), None, None, False))
            body.append(_row_xml(cells, size))
        grid = "".join(f'<a:gridCol w="{w}"/>' for w in columns)
        tbl = parse_xml(
            f'<a:tbl {nsdecls("a")}><a:tblPr firstRow="1"><a:tableStyleId>{TABLE_GRID_STYLE}</a:tableStyleId>'
            f"</a:tblPr><a:tblGrid>{grid}</a:tblGrid>{''.join(body)}</a:tbl>"
        )
        data = shape._element.graphic.graphicData
        data.replace(data.tbl, tbl)
        return shape

    def status_chart(self, slide, categories: list[str], counts: pd.DataFrame, *, bar: bool, box, alt: str):
        """A native stacked chart, one series per status in its colour, counts on the segments."""
        data = CategoryChartData(number_format="0")
        data.categories = categories
        shown = [s for s in STATUSES if int(counts[s].sum())]
        for s in shown:
            style = STATUS_STYLE[s]
            data.add_series(f"{style.symbol} {style.letter} {style.label}", [int(v) for v in counts[s]])
        kind = XL_CHART_TYPE.BAR_STACKED if bar else XL_CHART_TYPE.COLUMN_STACKED
        frame = slide.shapes.add_chart(kind, *box, data)
        frame._element.nvGraphicFramePr.cNvPr.set("descr", alt)  # alt text for screen readers
        chart = frame.chart
        chart.has_legend = True
        chart.legend.position = XL_LEGEND_POSITION.TOP
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(12)
        if bar:
            chart.category_axis.reverse_order = True  # plan order, top to bottom
        biggest = int(counts[shown].sum(axis=1).max()) if shown else 1
        chart.value_axis.major_unit = max(1, -(-biggest // 8))  # whole numbers of actions
        chart.value_axis.tick_labels.number_format = "0"
        chart.value_axis.tick_labels.number_format_is_linked = False
        chart.category_axis.tick_labels.font.size = Pt(12)
        chart.value_axis.tick_labels.font.size = Pt(11)
        chart.value_axis.has_major_gridlines = False
        plot = chart.plots[0]
        plot.gap_width = 60
        plot.overlap = 100
        for series, s in zip(plot.series, shown, strict=True):
            series.format.fill.solid()
            series.format.fill.fore_color.rgb = _rgb(STATUS_STYLE[s].colour)
            series.format.line.color.rgb = WHITE
            labels = series.data_labels
            labels.show_value = True
            style = STATUS_STYLE[s]
            # "✖R 3" on each segment (never colour alone), still computed from the data; none on a 0.
            labels.number_format = f'"{style.symbol}{style.letter} "0;;;'
            labels.number_format_is_linked = False
            labels.font.size = Pt(12)
            labels.font.color.rgb = WHITE
        return frame

    def save(self) -> bytes:
        out = io.BytesIO()
        self.prs.save(out)
        return out.getvalue()


def _chunks(frame: pd.DataFrame, size: int = ROWS_PER_SLIDE) -> list[pd.DataFrame]:
    return [frame.iloc[i : i + size] for i in range(0, len(frame), size)] or [frame]


def board_deck(content: BoardContent) -> bytes:
    c = content
    deck = Deck()
    h = c.headline

    cover = deck.prs.slides.add_slide(deck.prs.slide_layouts[TITLE_SLIDE])
    cover.shapes.title.text = for_paper(c.plan_name)
    cover.placeholders[1].text = (
        f"Board meeting: review {for_paper(c.review.label)}, position as at {long_date(c.review.as_at)}\n"
        f"Overdue counted as at {long_date(c.as_of)}"
        + (f"; compared with {for_paper(c.compare.title)}" if c.compare else "")
    )

    # Overview: the headline figures beside RAG by recommendation
    slide = deck.slide("Overview")
    since = f"Change since {for_paper(c.compare.label)}" if c.compare else "Change"
    deck.table(
        slide,
        ["Figure", c.review.label, since],
        [[name, now, change] for name, now, _, change in h.figures()],
        [1.4, 1.8, 1.4],
        Inches(1.4),
        size=16,
        width=Inches(4.6),
    )
    refs = [f"Rec {r}" for r in c.by_rec["ref"]]
    deck.status_chart(
        slide,
        refs,
        c.by_rec,
        bar=True,
        box=(Inches(5.4), Inches(1.3), Inches(7.4), Inches(5.8)),
        alt="Stacked bar chart of actions by status for each recommendation; the same figures are on the "
        "recommendation slides.",
    )

    if c.compare is not None:
        slide = deck.slide(f"Since {for_paper(c.compare.label)}")
        deck.text(slide, [for_paper(c.summary or "")], Inches(1.3), Inches(1.2), size=18)
        moved = c.moves
        deck.table(
            slide,
            ["Change", "Actions", "Which"],
            [
                [title, len(refs_), _short(", ".join(r.key for r in refs_), 120)]
                for title, refs_ in moved.lists("Completed", "Slipped", "Newly overdue", "Added", "Dropped")
            ],
            [1.4, 0.8, 6],
            Inches(2.8),
            size=14,
        )

    if len(c.mix) > 1:
        slide = deck.slide("Status mix at each review")
        labels = [f"{r.label} ({short_date(r.as_at)})" for r in c.mix.itertuples(index=False)]
        deck.status_chart(
            slide,
            labels,
            c.mix,
            bar=False,
            box=(MARGIN, Inches(1.3), WIDTH - 2 * MARGIN, Inches(5.9)),
            alt="Stacked column chart of actions by status at each review: "
            + "; ".join(f"{r.label}: {r.complete} of {r.actions} complete" for r in c.mix.itertuples(index=False)),
        )

    for rec in records(c.by_rec):
        ref = str(rec["ref"])
        actions = c.actions_of(ref)
        parts = _chunks(actions)
        for n, part in enumerate(parts, start=1):
            more = f" ({n} of {len(parts)})" if len(parts) > 1 else ""
            slide = deck.slide(f"Recommendation {for_paper(ref)}{more}")
            facts = (
                f"Overall: {status_text(rec['status'])} · {percent_text(rec['pct_complete'])} complete "
                f"({int(rec['complete'])} of {int(rec['total'])}) · {plural(int(rec['overdue']), 'overdue action')}"
            )
            deck.text(slide, [for_paper(_short(rec["text"], 330)), facts], Inches(1.2), Inches(1.3), size=15)
            deck.table(
                slide,
                ["Action", "What will be done", "Lead", "Due", "Status", "Latest update"],
                [
                    [
                        a["key"],
                        _short(a["description"], 160),
                        _short(a["lead"], 50),
                        due_text_of(a) + (" · overdue" if a["overdue"] else ""),
                        ("status", a["status"]),
                        _short(a["progress"], 160),
                    ]
                    for a in records(part)
                ],
                [0.7, 3.2, 1.4, 1.3, 1.3, 3.2],
                Inches(2.6),
                size=11,
            )

    parts = _chunks(c.overdue)
    for n, part in enumerate(parts, start=1):
        more = f" ({n} of {len(parts)})" if len(parts) > 1 else ""
        slide = deck.slide(f"Overdue actions: {len(c.overdue)}{more}")
        if c.overdue.empty:
            deck.text(slide, [f"No action is overdue as at {long_date(c.as_of)}."], Inches(1.4), Inches(1))
            continue
        deck.table(
            slide,
            ["Rec", "Action", "What will be done", "Lead", "Due", "Days overdue", "Status", "Latest update"],
            [
                [
                    a["rec_ref"],
                    a["key"],
                    _short(a["description"], 150),
                    _short(a["lead"], 50),
                    due_text_of(a),
                    int(a["days_overdue"]),
                    ("status", a["status"]),
                    _short(a["progress"], 150),
                ]
                for a in records(part)
            ],
            [0.55, 0.8, 2.8, 1.4, 1.5, 0.95, 1.35, 2.8],
            Inches(1.3),
            size=11,
        )
    return deck.save()
