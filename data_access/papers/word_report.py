"""The cabinet quarterly report (Word .docx), with python-docx.

Made to be pasted into a council's own report template: Word's own heading styles (Heading 1, 2)
so the navigation pane and a table of contents pick them up, and real tables (style "Table Grid")
whose header row repeats on every page (`w:tblHeader`). Status cells are shaded with the status
colour (`w:shd`) and carry symbol, letter and word. The chart is a picture with alt text; its
figures are also in the table beside it. The document language is English (United Kingdom).
Every tracker field goes through the one rule for text (domain/clean_text.for_paper): cleaned,
and isolated (FSI ... PDI) so a bidi override never reorders the text around it.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from data_access.domain.clean_text import for_paper
from data_access.domain.rules import STATUS_STYLE, STATUSES, UNKNOWN, status_text
from data_access.domain.wording import long_date, short_date
from data_access.papers import charts
from data_access.papers.content import BoardContent, due_words, percent_words, plain, records
from data_access.reads import trends

STATUS = "status"  # a cell value ("status", status) is drawn as a RAG cell


def _set_language(document, tag: str = "en-GB") -> None:
    rpr = document.styles["Normal"].element.get_or_add_rPr()
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), tag)


def _shade(cell, hex_colour: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), hex_colour.lstrip("#").upper())
    tc_pr.append(shading)


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    tr_pr.append(flag)


def table(document, header: Sequence[str], rows: Sequence[Sequence], caption: str | None = None):
    """A real Word table: bold header row repeated on each page, then the rows."""
    if caption:
        document.add_paragraph(for_paper(caption), style="Caption")
    grid = document.add_table(rows=1, cols=len(header))
    grid.style = "Table Grid"
    head = grid.rows[0]
    _repeat_header(head)
    for cell, words in zip(head.cells, header, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(for_paper(words))
        run.bold = True
        _shade(cell, "#F3F2F1")
    for values in rows:
        cells = grid.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            if isinstance(value, tuple) and value[0] == STATUS:
                status = value[1]
                if not status:
                    continue
                style = STATUS_STYLE.get(status, STATUS_STYLE[UNKNOWN])
                run = cell.paragraphs[0].add_run(status_text(status))
                run.bold = True
                run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
                _shade(cell, style.colour)
            else:
                cell.text = for_paper(plain(value))
    document.add_paragraph()
    return grid


def _picture(document, chart: charts.Chart, width_mm: float) -> None:
    document.add_picture(io.BytesIO(chart.png(dpi=150)), width=Mm(width_mm))
    inline = document.inline_shapes[-1]._inline
    inline.docPr.set("descr", chart.alt)  # alt text
    inline.docPr.set("title", chart.title)


def cabinet_report(content: BoardContent) -> bytes:
    c = content
    document = Document()
    _set_language(document)
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(18))
    document.styles["Normal"].font.size = Pt(10)
    title = f"{for_paper(c.plan_name)}: quarterly report to cabinet"
    document.core_properties.title = title
    document.core_properties.author = "Improvement Board"
    document.core_properties.language = "en-GB"

    document.add_heading(title, level=1)
    document.add_paragraph(
        f"Review {for_paper(c.review.label)}, position as at {long_date(c.review.as_at)}. Overdue actions are "
        f"counted as at {long_date(c.as_of)}"
        + (f"; changes are since {for_paper(c.compare.title)}." if c.compare else "; this is the plan's first review.")
    )

    document.add_heading("Summary", level=2)
    if c.summary:
        document.add_paragraph(for_paper(c.summary))
    h = c.headline
    since = [c.compare.label, "Change"] if c.compare else []

    def row(name, now, before, delta):
        return [name, now] + ([before, delta] if c.compare else [])

    table(
        document,
        ["Figure", c.review.label, *since],
        [row(*figure) for figure in h.figures()],
        caption="Headline figures",
    )

    document.add_heading("Direction of travel by recommendation", level=2)
    if not c.directions:
        document.add_paragraph("There is no earlier review to compare with yet.")
    else:
        status_of = dict(zip(c.by_rec["ref"].astype(str), c.by_rec["status"], strict=True))
        table(
            document,
            ["Recommendation", "Direction", "Moved better", "Moved worse", "Complete (then → now)", "Status now"],
            [
                [
                    d.rec_ref,
                    f"{d.arrow} {d.direction.capitalize()}",
                    str(d.better),
                    str(d.worse),
                    f"{percent_words(d.complete_from, d.total_from)} → {percent_words(d.complete_to, d.total_to)}",
                    (STATUS, status_of.get(d.rec_ref)),
                ]
                for d in c.directions
            ],
            caption=f"Direction of travel, {for_paper(c.compare.label)} to {for_paper(c.review.label)}",
        )
        document.add_paragraph(trends.DIRECTION_RULE)

    document.add_heading("Status mix at each review", level=2)
    table(
        document,
        ["Review", *(status_text(s) for s in STATUSES), "Total", "Overdue at its date"],
        [
            [
                f"{for_paper(r.label)} ({short_date(r.as_at)})",
                *(str(getattr(r, s)) for s in STATUSES),
                str(r.actions),
                str(r.overdue),
            ]
            for r in c.mix.itertuples(index=False)
        ],
        caption="Actions by status at each review (overdue counted as at each review's own date)",
    )
    _picture(document, charts.status_mix(c.mix, c.plan_name), 170)

    document.add_heading("Forecast", level=2)
    outlook = c.forecast
    target = long_date(outlook.target_date) if outlook.target_date else "none set"
    table(
        document,
        ["For", "Complete now", "Completed per quarter", "All complete by", f"Against target ({target})", "Note"],
        [
            [
                "Whole plan" if line.rec_id is None else f"Recommendation {line.scope}",
                f"{line.complete} of {line.total}",
                "—" if line.rate_per_quarter is None else f"{line.rate_per_quarter:.2g}",
                line.projected_quarter or "—",
                "—" if line.late is None else ("Later than target" if line.late else "By the target"),
                line.note,
            ]
            for line in (outlook.plan, *outlook.recommendations)
        ],
        caption="Completion forecast at the rate so far",
    )
    document.add_paragraph(outlook.method)

    document.add_heading(f"Overdue actions ({len(c.overdue)})", level=2)
    if c.overdue.empty:
        document.add_paragraph(f"No action is overdue as at {long_date(c.as_of)}.")
    else:
        table(
            document,
            ["Rec", "Action", "What will be done", "Lead", "Due", "Days overdue", "Status", "Latest update"],
            [
                [
                    a["rec_ref"],
                    a["key"],
                    a["description"],
                    a["lead"],
                    due_words(a),
                    str(int(a["days_overdue"])),
                    (STATUS, a["status"]),
                    a["progress"],
                ]
                for a in records(c.overdue)
            ],
            caption=f"Overdue actions as at {long_date(c.as_of)}",
        )
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
