"""The meeting's slide deck (PowerPoint, 16:9), with python-pptx.

After a title slide, every slide of the app's presentation mode, in its order, with the same items
on each: the slides are planned by data_access.reads.deck_plan (slide_layout.plan_deck), as the
app's are — Overview (figures beside RAG by recommendation), Since the last review, each
recommendation with its actions, Overdue actions, Challenge: green but overdue, Status mix at each
review, Direction of travel, Measures of success; a long list continues on further slides. One rem of the app's slide is
16 pt here, so a slide that fits the projector fits the PowerPoint slide. Charts are
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

import dataclasses
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

from data_access.domain import slide_layout
from data_access.domain.clean_text import clean_text, for_paper
from data_access.domain.rules import STATUS_STYLE, STATUSES, UNKNOWN, status_text
from data_access.domain.wording import (
    BASELINE_JUDGED,
    judged_note,
    long_date,
    overdue_comparison_rule,
    plural,
    short_date,
    short_text,
)
from data_access.papers.content import BoardContent, plain, records
from data_access.papers.line_breaks import breakable
from data_access.reads import deck_plan

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)  # 16:9
MARGIN = Inches(0.5)
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
        self,
        slide,
        header: Sequence[str],
        rows: Sequence[Sequence],
        widths: Sequence[float],
        top,
        size=12,
        width=None,
        left=MARGIN,
    ):
        """rows: plain values, or ('status', status) for a RAG cell. The table's XML is written in one
        go (python-pptx's cell-by-cell API took seconds for a 300-action plan)."""
        width = width or WIDTH - 2 * MARGIN
        shape = slide.shapes.add_table(1, 1, left, top, width, Inches(0.4))
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


# One rem of the app's presentation mode (a slide 60 × 33.75 rem at 1280×720) is 16 pt here (13.333 in
# wide), so a slide planned by slide_layout to fit the projector fits the PowerPoint slide too.
REM = Inches(13.333) / 60
BODY_LEFT = int(1.5 * REM)  # present.BASE_CSS: 1.5 rem each side
BODY_WIDTH = WIDTH - 2 * BODY_LEFT
BODY_TOP = int(slide_layout.TOP_REM * REM) - Inches(0.15)
TABLE_PT, TEXT_PT, CAPTION_PT = 13, 15, 12  # 0.85, 0.95 and 0.8 rem


def _rows(frame: pd.DataFrame, columns: Sequence[deck_plan.SlideColumn]) -> list[list]:
    """A slide table's rows: each cell's text as a reader sees it (deck_plan.cell_text), a status as a RAG cell."""
    return [
        [("status", row.get(c.key)) if c.kind == "status" else deck_plan.cell_text(c.kind, c.key, row) for c in columns]
        for row in records(frame)
    ]


class _Writer:
    """Draws the slides slide_layout planned (deck_plan.plan): the same slides, in the same order
    and with the same items on each, as the app's presentation mode."""

    def __init__(self, deck: Deck, c: BoardContent, lists: deck_plan.DeckLists) -> None:
        self.deck, self.c, self.lists = deck, c, lists

    def caption(self, slide, text: str, top=BODY_TOP) -> int:
        """A caption under the title; returns the top of what comes next."""
        lines = max(1, slide_layout.cell_lines(text, slide_layout.SCREENS[0].width_rem, slide_layout.CAPTION_FONT_REM))
        height = int(lines * slide_layout.CAPTION_LINE_REM * REM)
        box = self.deck.text(slide, [for_paper(text)], top, height, size=CAPTION_PT)
        box.left, box.width = BODY_LEFT, BODY_WIDTH
        return top + height + int(slide_layout.GAP_REM * REM)

    def table(self, slide, frame: pd.DataFrame, columns, top, label: str, empty: str) -> None:
        self.deck.text(slide, [label if not frame.empty else f"{label}: {empty}"], top, Inches(0.3), size=CAPTION_PT)
        slide.shapes[-1].left, slide.shapes[-1].width = BODY_LEFT, BODY_WIDTH
        if frame.empty:
            return
        self.deck.table(
            slide,
            [c.header for c in columns],
            _rows(frame, columns),
            [c.width for c in columns],
            top + Inches(0.35),
            size=TABLE_PT,
            width=BODY_WIDTH,
            left=BODY_LEFT,
        )

    def draw(self, plan: Sequence[slide_layout.Slide]) -> None:
        kinds = {
            slide_layout.OVERVIEW: self.overview,
            slide_layout.CHANGES: self.changes,
            slide_layout.RECOMMENDATION: self.recommendation,
            slide_layout.OVERDUE: self.overdue,
            slide_layout.CHALLENGE: self.overdue,
            slide_layout.MIX: self.mix,
            slide_layout.DIRECTION: self.direction,
            slide_layout.MEASURES: self.measures,
            slide_layout.SIGNOFF: self.decision,
            slide_layout.DATE_CHANGES: self.decision,
        }
        for planned in plan:
            kinds[planned.kind](self.deck.slide(planned.title), planned)

    @staticmethod
    def _span(planned: slide_layout.Slide, total: int) -> str:
        shown = planned.stop - planned.start
        return f", {planned.start + 1}–{planned.stop} of {total}" if total > shown else ""

    def overview(self, slide, planned: slide_layout.Slide) -> None:
        c = self.c
        top = self.caption(
            slide,
            f"{c.plan_name}: review {c.review.label}, position as at {long_date(c.review.as_at)}. "
            f"Overdue counted as at {long_date(c.as_of)}." + judged_note(c.baseline),
        )
        since = f"Change since {for_paper(c.compare.label)}" if c.compare else "Change"
        self.deck.table(
            slide,
            ["Figure", c.review.label, since],
            [[name, now, change] for name, now, _, change in c.headline.figures()],
            [1.4, 1.8, 1.4],
            top,
            size=16,
            width=Inches(4.6),
            left=BODY_LEFT,
        )
        part = c.by_rec.iloc[planned.start : planned.stop]
        total = len(c.by_rec)
        if part.empty:
            return
        label = f"RAG status by recommendation ({planned.start + 1}–{planned.stop} of {total})"
        self.deck.text(slide, [label], top, Inches(0.35), size=14)
        slide.shapes[-1].left, slide.shapes[-1].width = Inches(5.4), Inches(7.5)
        self.deck.status_chart(
            slide,
            [f"Rec {r}" for r in part["ref"]],
            part,
            bar=True,
            box=(Inches(5.4), top + Inches(0.35), Inches(7.5), HEIGHT - top - Inches(0.55)),
            alt="Stacked bar chart of actions by status for each recommendation: "
            + "; ".join(f"Rec {r['ref']}: {_mix_words(r)}" for r in records(part))
            + ". The same figures are on the recommendation slides.",
        )

    def changes(self, slide, planned: slide_layout.Slide) -> None:
        c, lists = self.c, self.lists
        top = self.caption(slide, deck_plan.changes_caption(c.plan_name, lists.moves))
        if planned.start == 0:
            lines = slide_layout.cell_lines(c.summary, slide_layout.SCREENS[0].width_rem, slide_layout.TEXT_FONT_REM)
            height = int(lines * slide_layout.TEXT_LINE_REM * REM)
            box = self.deck.text(slide, [for_paper(c.summary or "")], top, height, size=TEXT_PT)
            box.left, box.width = BODY_LEFT, BODY_WIDTH
            top += height + int(slide_layout.GAP_REM * REM)
        rows = lists.changes
        self.table(
            slide,
            rows.iloc[planned.start : planned.stop],
            deck_plan.change_columns(lists.partners),
            top,
            f"What moved since {c.compare.label}{self._span(planned, len(rows))}",
            "no action completed, improved, slipped, became overdue or had its due date moved later",
        )

    def recommendation(self, slide, planned: slide_layout.Slide) -> None:
        rec = next(r for r in records(self.c.by_rec) if str(r["ref"]) == planned.rec)
        actions = self.lists.actions_of(planned.rec)
        top = BODY_TOP
        if planned.start == 0:
            head = slide_layout.recommendation_head(
                slide_layout.RecommendationFacts(planned.rec, str(rec["text"]), deck_plan.figures_text(rec), None),
                True,
            )[0]
            height = int(head * REM)
            share = 1 - slide_layout.FIGURES_SHARE
            text = self.deck.text(slide, [for_paper(rec["text"])], top, height, size=TEXT_PT)
            text.left, text.width = BODY_LEFT, int(BODY_WIDTH * (share - 0.03))
            figures = [f"Overall: {status_text(rec['status'])}", *deck_plan.figures_text(rec).split("\n")]
            side = self.deck.text(slide, figures, top, height, size=TEXT_PT)
            side.left, side.width = BODY_LEFT + int(BODY_WIDTH * share), int(BODY_WIDTH * slide_layout.FIGURES_SHARE)
        else:
            height = int(slide_layout.TEXT_LINE_REM * REM)
            box = self.deck.text(
                slide, [for_paper(short_text(rec["text"], 110)) + " (continued)"], top, height, TEXT_PT
            )
            box.left, box.width = BODY_LEFT, BODY_WIDTH
        self.table(
            slide,
            actions.iloc[planned.start : planned.stop],
            deck_plan.action_columns(self.lists.partners),
            top + height + int(slide_layout.GAP_REM * REM),
            f"Actions for recommendation {planned.rec}{self._span(planned, len(actions))}",
            "no actions",
        )

    def overdue(self, slide, planned: slide_layout.Slide) -> None:
        lists = self.lists
        overdue_list = planned.kind == slide_layout.OVERDUE
        rows = lists.overdue if overdue_list else lists.challenge
        top = self.caption(slide, deck_plan.overdue_caption(lists.as_of, not overdue_list, baseline=lists.baseline))
        label = plural(len(rows), "overdue action") if overdue_list else f"Green but overdue: {len(rows)}"
        self.table(
            slide,
            rows.iloc[planned.start : planned.stop],
            deck_plan.overdue_columns(lists.partners),
            top,
            label + self._span(planned, len(rows)),
            "none" if overdue_list else "no green action is overdue",
        )

    def mix(self, slide, planned: slide_layout.Slide) -> None:
        c = self.c
        words = " · ".join(f"{r.label} {r.overdue}" for r in c.mix.itertuples(index=False))
        rule = overdue_comparison_rule(c.as_of, c.review.as_at)
        top = self.caption(slide, f"{c.plan_name}. Overdue: {words}. {rule}")
        labels = [f"{r.label} ({short_date(r.as_at)})" for r in c.mix.itertuples(index=False)]
        self.deck.status_chart(
            slide,
            labels,
            c.mix,
            bar=False,
            box=(BODY_LEFT, top, BODY_WIDTH, HEIGHT - top - Inches(0.3)),
            alt="Stacked column chart of actions by status at each review: "
            + "; ".join(
                f"{r.label}: {r.complete} of {r.actions} complete, {r.overdue} overdue"
                for r in c.mix.itertuples(index=False)
            ),
        )

    def direction(self, slide, planned: slide_layout.Slide) -> None:
        rows = self.lists.direction
        top = self.caption(slide, deck_plan.direction_caption(self.c.plan_name))
        self.table(
            slide,
            rows.iloc[planned.start : planned.stop],
            deck_plan.direction_columns(),
            top,
            f"Direction of travel since the previous review{self._span(planned, len(rows))}",
            "no recommendations",
        )

    def measures(self, slide, planned: slide_layout.Slide) -> None:
        """Measures of success: each one's latest value, target and Met / Not met / No data in words."""
        rows = self.lists.measures
        top = self.caption(slide, deck_plan.measures_caption(self.c.plan_name, rows))
        self.table(
            slide,
            rows.iloc[planned.start : planned.stop],
            deck_plan.measure_columns(),
            top,
            f"Measures of success at {self.c.review.label}{self._span(planned, len(rows))}",
            "no measures",
        )

    def decision(self, slide, planned: slide_layout.Slide) -> None:
        """For sign-off / Date changes for approval (issue 25): the board's decisions, "for decision"."""
        signoff_list = planned.kind == slide_layout.SIGNOFF
        rows = self.lists.signoff if signoff_list else self.lists.date_changes
        caption = deck_plan.SIGNOFF_CAPTION if signoff_list else deck_plan.DATE_CHANGES_CAPTION
        top = self.caption(slide, caption)
        label = (
            f"{plural(len(rows), 'action')} awaiting sign-off"
            if signoff_list
            else f"{plural(len(rows), 'date change')} for approval"
        )
        self.table(
            slide,
            rows.iloc[planned.start : planned.stop],
            deck_plan.signoff_columns() if signoff_list else deck_plan.date_change_columns(),
            top,
            label + self._span(planned, len(rows)),
            "none",
        )


def _mix_words(row) -> str:
    return ", ".join(f"{int(row[s])} {STATUS_STYLE[s].label.lower()}" for s in STATUSES if int(row[s])) or "no actions"


def deck_lists(content: BoardContent) -> deck_plan.DeckLists:
    """The deck's lists for the papers' content: no filters, compared with the content's review."""
    c = content
    lists = deck_plan.unfiltered(
        c.plan_name,
        c.as_of,
        c.by_rec,
        c.actions,
        c.overdue,
        c.green_overdue,
        c.moves,
        c.summary,
        c.directions,
        measures=c.measures,
    )
    lists = dataclasses.replace(lists, baseline=c.baseline)
    # The board's decisions (issue 25): the same slides as presentation mode's sign-off page.
    return dataclasses.replace(
        lists, signoff=deck_plan.signoff_rows(c.for_signoff), date_changes=deck_plan.date_change_rows(c.for_approval)
    )


def board_deck(content: BoardContent) -> bytes:
    """A title slide, then every slide of the app's presentation mode (deck_plan.plan), in its order."""
    c = content
    deck = Deck()
    cover = deck.prs.slides.add_slide(deck.prs.slide_layouts[TITLE_SLIDE])
    cover.shapes.title.text = for_paper(c.plan_name)
    cover.placeholders[1].text = (
        f"Board meeting: review {for_paper(c.review.label)}, position as at {long_date(c.review.as_at)}\n"
        f"Overdue counted as at {long_date(c.as_of)}"
        + (f"; compared with {for_paper(c.compare.title)}" if c.compare else "")
        + ("\n" + BASELINE_JUDGED if c.baseline else "")
    )
    lists = deck_lists(c)
    _Writer(deck, c, lists).draw(deck_plan.plan(lists))
    return deck.save()
