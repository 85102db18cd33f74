"""The cabinet report (Word .docx), with python-docx, in the structure of the councils' own reports
to cabinet: Purpose of the report, Background (the inspection, from the plan's report details),
Progress, Key issues, Implications (headings left for officers), Decision recommendations, and
the plan itself as Appendix A.

Where a plan's report detail is not set (plan settings), the report says so with a highlighted
"[to be completed by the report author: …]" in its place: a placeholder nobody can mistake for a
fact, never a guess.

House style: when the deployment sets BOARD_CABINET_TEMPLATE to a Word file (.docx or .dotx), the
report is written into a copy of it. The template's styles, page set-up, headers and footers (a
logo, the council's name, page numbers) are kept. Its body is kept too when it holds a paragraph
reading exactly {{report}}: the report goes in that paragraph's place (a cover sheet before it,
contact details after it). Without that paragraph the template's body is cleared (sample text,
instructions) and the report is the whole body. The report uses the styles Title, Heading 1,
Heading 2, Caption and Table Grid; a style the template does not define is taken from python-docx's
default template, so the template's own definitions always win.

Accessible as before: Word's own heading styles (the navigation pane and a table of contents pick
them up), real tables whose header row repeats on every page (`w:tblHeader`), laid out at fixed
column widths so a long token (an e-mail address, a long reference) wraps inside its cell at the
break opportunities line_breaks.breakable gives it, status cells shaded
with the status colour and carrying symbol, letter and word, charts as pictures with alt text and
their figures in a table beside them, document language English (United Kingdom).
Every tracker field goes through the one rule for text (domain/clean_text.for_paper): cleaned,
and isolated (FSI ... PDI) so a bidi override never reorders the text around it.
"""

from __future__ import annotations

import copy
import io
import zipfile
from collections.abc import Sequence
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from data_access.config import environment
from data_access.domain import measure_rules, movement_rules
from data_access.domain.clean_text import for_paper
from data_access.domain.rules import RED, STATUS_STYLE, STATUSES, UNKNOWN, status_text
from data_access.domain.wording import (
    OVERDUE_COUNTED_AT,
    due_text_of,
    judged_note,
    long_date,
    overdue_history_note,
    overdue_rule,
    plural,
    short_date,
)
from data_access.papers import charts
from data_access.papers.content import (
    FOR_DECISION,
    MOVED_LATER_HEADER,
    BoardContent,
    PaperError,
    for_decision,
    moved_later_rows,
    percent_words,
    plain,
    records,
)
from data_access.papers.line_breaks import breakable
from data_access.reads import deck_plan
from data_access.storage.plan_admin import ReportSettings

STATUS = "status"  # a cell value ("status", status) is drawn as a RAG cell
BODY_WIDTH_MM = 174  # A4 portrait less the 18 mm side margins
TEMPLATE_ENV = environment.CABINET_TEMPLATE.name
REPORT_MARKER = "{{report}}"
TO_COMPLETE = "[to be completed by the report author: {}]"
IMPLICATIONS = ("Financial", "Legal", "Risk", "Equalities")
HEADINGS = (
    "1. Purpose of the report",
    "2. Background",
    "3. Progress",
    "4. Key issues",
    "5. Implications",
    "6. Decision recommendations",
    "Appendix A: the action plan",
)


# --- the template ------------------------------------------------------------------------------


def template_path() -> Path | None:
    """The deployment's house-style template (BOARD_CABINET_TEMPLATE), or None for plain Word."""
    value = (environment.value(environment.CABINET_TEMPLATE) or "").strip()
    return Path(value) if value else None


def _as_document_bytes(data: bytes) -> bytes:
    """A .dotx is a .docx whose main part says 'template': python-docx opens only documents, so the
    content type is rewritten in memory (the file itself is never changed)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    types = source.read("[Content_Types].xml")
    if b"wordprocessingml.template.main+xml" not in types:
        return data
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            body = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                body = body.replace(b"wordprocessingml.template.main+xml", b"wordprocessingml.document.main+xml")
            target.writestr(item, body)
    return out.getvalue()


def _open_template(path: Path):
    try:
        return Document(io.BytesIO(_as_document_bytes(path.read_bytes())))
    except OSError as exc:
        raise PaperError(
            f"The cabinet report template {path} ({TEMPLATE_ENV}) cannot be read: {exc.strerror or exc}."
        ) from None
    except (zipfile.BadZipFile, KeyError, ValueError):
        raise PaperError(
            f"The cabinet report template {path} ({TEMPLATE_ENV}) is not a Word document (.docx or .dotx)."
        ) from None


def _body_children(document) -> list:
    """The body's block elements, without the final section properties."""
    return [child for child in document.element.body if child.tag != qn("w:sectPr")]


def _report_slot(document):
    """The template's {{report}} paragraph, or None."""
    for paragraph in document.paragraphs:
        if paragraph.text.strip() == REPORT_MARKER:
            return paragraph._p
    return None


_DEFAULT_STYLES = None


def _ensure_style(document, name: str) -> None:
    """Give the document `name` from python-docx's default template when it has no such style
    (Word keeps unused built-in styles such as Table Grid out of a file), with the styles it is
    based on or linked to. A style the document defines is left exactly as it is."""
    global _DEFAULT_STYLES
    if name in document.styles:
        return
    if _DEFAULT_STYLES is None:
        _DEFAULT_STYLES = Document().styles
    if name not in _DEFAULT_STYLES:
        return
    wanted = _DEFAULT_STYLES[name].element
    ids = {s.style_id for s in document.styles}
    queue = [wanted]
    while queue:
        element = queue.pop()
        style_id = element.get(qn("w:styleId"))
        if style_id in ids:
            continue
        document.styles.element.append(copy.deepcopy(element))
        ids.add(style_id)
        for ref in ("w:basedOn", "w:link", "w:next"):
            pointer = element.find(qn(ref))
            if pointer is not None:
                found = _DEFAULT_STYLES.element.get_by_id(pointer.get(qn("w:val")))
                if found is not None:
                    queue.append(found)


def _new_document():
    """(document, slot): a plain A4 document, or the deployment's template with its body cleared
    or with the {{report}} paragraph to write into (see the module docstring)."""
    path = template_path()
    if path is None:
        document = Document()
        section = document.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Mm(18))
        document.styles["Normal"].font.size = Pt(10)
        return document, None
    document = _open_template(path)
    slot = _report_slot(document)
    if slot is None:
        for child in _body_children(document):
            document.element.body.remove(child)
    for name in ("Title", "Heading 1", "Heading 2", "Caption", "Table Grid"):
        _ensure_style(document, name)
    return document, slot


def _place_at_slot(document, slot, before: list) -> None:
    """Move what the report added to the end of the body into the {{report}} paragraph's place.
    `before` holds the template's own body elements (held, so lxml keeps their proxies)."""
    kept = set(before)
    added = [child for child in _body_children(document) if child not in kept]
    for child in added:
        slot.addprevious(child)
    slot.getparent().remove(slot)


# --- building blocks ---------------------------------------------------------------------------


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


def heading(document, text: str, level: int):
    return document.add_heading(text, level=level)


def para(document, *parts):
    """A paragraph of text parts; a part that is a Missing placeholder is highlighted."""
    paragraph = document.add_paragraph()
    for part in parts:
        if isinstance(part, Missing):
            run = paragraph.add_run(TO_COMPLETE.format(part.what))
            run.bold = True
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW
        else:
            paragraph.add_run(str(part))
    return paragraph


class Missing:
    """A report detail nobody has set: written as a highlighted placeholder, never guessed."""

    def __init__(self, what: str):
        self.what = what


def _or_missing(value, what: str, words=str):
    return Missing(what) if value in (None, "") else words(value)


def table(
    document,
    header: Sequence[str],
    rows: Sequence[Sequence],
    caption: str | None = None,
    widths: Sequence[float] | None = None,
):
    """A real Word table: bold header row repeated on each page, then the rows. `widths` are the
    columns' shares of the page width (equal by default); the layout is fixed at those widths."""
    if caption:
        document.add_paragraph(for_paper(caption), style="Caption" if "Caption" in document.styles else None)
    grid = document.add_table(rows=1, cols=len(header))
    if "Table Grid" in document.styles:
        grid.style = "Table Grid"
    grid.autofit = False  # w:tblLayout fixed: Word keeps the widths below whatever the text
    head = grid.rows[0]
    _repeat_header(head)
    for cell, words in zip(head.cells, header, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(breakable(for_paper(words)))
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
                cell.text = breakable(for_paper(plain(value)))
    _fix_widths(grid, widths or [1] * len(header))
    document.add_paragraph()
    return grid


def _fix_widths(grid, shares: Sequence[float]) -> None:
    """Every column's width (w:gridCol and each cell's w:tcW, which Word reads) from its share."""
    total = sum(shares)
    widths = [Mm(BODY_WIDTH_MM * share / total) for share in shares]
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = width
    for row in grid.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width


def _picture(document, chart: charts.Chart, width_mm: float) -> None:
    document.add_picture(io.BytesIO(chart.png(dpi=150)), width=Mm(width_mm))
    inline = document.inline_shapes[-1]._inline
    inline.docPr.set("descr", chart.alt)  # alt text
    inline.docPr.set("title", chart.title)


# --- the report --------------------------------------------------------------------------------


def _inspection_words(s: ReportSettings):
    """The inspection's name as set ('Ofsted ILACS'), or a placeholder."""
    return _or_missing(s.inspection_type, "the inspection (for example Ofsted ILACS or JTAI)")


def _inspection_dates(s: ReportSettings) -> list:
    if s.inspection_start and s.inspection_end and s.inspection_start != s.inspection_end:
        return [f"from {long_date(s.inspection_start)} to {long_date(s.inspection_end)}"]
    if s.inspection_start or s.inspection_end:
        return [f"on {long_date(s.inspection_start or s.inspection_end)}"]
    return ["on ", Missing("the inspection dates")]


def _purpose(document, c: BoardContent, s: ReportSettings) -> None:
    heading(document, HEADINGS[0], 1)
    para(
        document,
        "1.1 To update Cabinet on progress against the action plan agreed in response to the ",
        _inspection_words(s),
        " inspection of ",
        _or_missing(s.organisation or c.organisation, "the council"),
        f"'s children's services, as at the {for_paper(c.review.label)} review "
        f"(position as at {long_date(c.review.as_at)}).",
    )
    para(document, "1.2 To set out the issues that need Cabinet's attention and to ask Cabinet to note the progress.")


def _background(document, c: BoardContent, s: ReportSettings) -> None:
    heading(document, HEADINGS[1], 1)
    para(
        document,
        "2.1 ",
        _or_missing(s.organisation or c.organisation, "the council"),
        "'s children's services were inspected (",
        _inspection_words(s),
        ") ",
        *_inspection_dates(s),
        ". The inspection report was published on ",
        _or_missing(s.published_on, "the date the inspection report was published", long_date),
        ".",
    )
    para(
        document,
        "2.2 The overall judgement was: ",
        _or_missing(s.judgement, "the overall judgement, as the inspection report words it"),
        ".",
    )
    refs = c.rec_refs
    span = f" ({refs[0]} to {refs[-1]})" if len(refs) > 1 else ""
    para(
        document,
        f"2.3 The inspection made {plural(len(refs), 'recommendation')}{span}. The action plan addresses them "
        f"with {plural(c.headline.actions, 'action')} at the {for_paper(c.review.label)} review; the plan in full is "
        "Appendix A.",
    )
    target = f" The plan is due to be complete by {long_date(c.target_date)}." if c.target_date else ""
    para(
        document,
        "2.4 Progress is monitored by ",
        _or_missing(s.board_name, "the name of the board that monitors the plan"),
        f", which reviews the plan every quarter.{target}",
    )


def _progress(document, c: BoardContent) -> None:
    heading(document, HEADINGS[2], 1)
    if c.summary:
        para(document, for_paper(c.summary))
    h = c.headline
    since = [for_paper(c.compare.label), "Change"] if c.compare else []

    def row(name, now, before, delta):
        return [name, now] + ([before, delta] if c.compare else [])

    heading(document, "Headline figures", 2)
    if c.compare:
        para(
            document,
            f"Change since {for_paper(c.compare.title)}; that review's overdue count is taken as at "
            f"{long_date(c.compare_as_of)}, as long after its date as {long_date(c.as_of)} is after this one's.",
        )
    table(document, ["Figure", for_paper(c.review.label), *since], [row(*figure) for figure in h.figures()])
    if c.decisions is not None:  # the board's decisions (issue 25)
        para(document, f"Decisions: {c.decisions.sentence()}")

    heading(document, "Direction of travel by recommendation", 2)
    if not c.directions:
        para(document, "There is no earlier review to compare with yet.")
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
        para(document, movement_rules.DIRECTION_RULE)

    heading(document, "Status mix at each review", 2)
    table(
        document,
        ["Review", *(status_text(s) for s in STATUSES), "Total", "Overdue", OVERDUE_COUNTED_AT],
        [
            [
                f"{for_paper(r.label)} ({short_date(r.as_at)})",
                *(str(getattr(r, s)) for s in STATUSES),
                str(r.actions),
                str(r.overdue),
                short_date(r.overdue_as_of),
            ]
            for r in c.mix.itertuples(index=False)
        ],
        caption="Actions by status at each review",
    )
    para(document, overdue_history_note(c.review.label, c.as_of))
    _picture(document, charts.status_mix(c.mix, c.plan_name), 160)

    heading(document, "Forecast", 2)
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
    para(document, outlook.method)


def _measures(document, c: BoardContent) -> None:
    """Measures of success (issue 24), under Progress: each measure as it stood at the review, its
    status in words with the value and target (never colour alone)."""
    if not c.measures:
        return
    rows = c.measure_rows
    met = int((rows["met"] == measure_rules.MET).sum())
    heading(document, "Measures of success", 2)
    para(document, f"{measure_rules.at_target_text(met, len(rows))}, as at {long_date(c.review.as_at)}.")
    table(
        document,
        ["Measure", "Recs", "Latest", "Target", "At target", "Change"],
        [[r[f] for f in deck_plan.MEASURE_FIELDS] for r in records(rows)],
        caption=f"Measures of success at {for_paper(c.review.label)}",
        widths=[2.2, 0.6, 1.4, 0.9, 0.9, 2.2],
    )
    para(document, measure_rules.MET_RULE)


def _key_issues(document, c: BoardContent) -> None:
    heading(document, HEADINGS[3], 1)
    red = c.actions[c.actions["status"] == RED]
    moved = c.moves.due_date_moved_later if c.moves is not None else []
    para(
        document,
        f"{plural(len(red), 'action')} off track (red) and {plural(len(c.overdue), 'action')} overdue as at "
        f"{long_date(c.as_of)}"
        + (f"; {plural(len(moved), 'due date')} moved later since {for_paper(c.compare.title)}." if c.compare else "."),
    )

    heading(document, f"Off track (red) actions ({len(red)})", 2)
    if red.empty:
        para(document, "No action is off track.")
    else:
        table(
            document,
            ["Rec", "Action", "What will be done", "Lead", "Due", "Latest update"],
            [
                [a["rec_ref"], a["key"], a["description"], a["lead"], due_text_of(a), a["progress"]]
                for a in records(red)
            ],
        )

    heading(document, f"Overdue actions ({len(c.overdue)})", 2)
    para(document, overdue_rule(c.as_of, c.baseline))
    if not c.overdue.empty:
        table(
            document,
            ["Rec", "Action", "What will be done", "Lead", "Due", "Days overdue", "Status", "Latest update"],
            [
                [
                    a["rec_ref"],
                    a["key"],
                    a["description"],
                    a["lead"],
                    due_text_of(a),
                    str(int(a["days_overdue"])),
                    (STATUS, a["status"]),
                    a["progress"],
                ]
                for a in records(c.overdue)
            ],
            widths=[0.8, 0.9, 2.6, 1.6, 1.5, 1, 1.2, 2.6],
        )

    if c.compare is not None:
        heading(document, f"Due dates moved later since {for_paper(c.compare.label)} ({len(moved)})", 2)
        if not moved:
            para(document, f"No action's due date is later than at {for_paper(c.compare.title)}.")
        else:
            table(document, MOVED_LATER_HEADER, moved_later_rows(moved))


def _implications(document) -> None:
    heading(document, HEADINGS[4], 1)
    for n, name in enumerate(IMPLICATIONS, start=1):
        heading(document, f"5.{n} {name}", 2)
        para(document, Missing(f"{name.lower()} implications"))


def _decisions(document, c: BoardContent) -> None:
    heading(document, HEADINGS[5], 1)
    h = c.headline
    para(document, "That Cabinet:")
    para(
        document,
        f"1. notes the progress made against the action plan at the {for_paper(c.review.label)} review: "
        f"{h.complete} of {h.actions} actions complete ({percent_words(h.complete, h.actions)}), "
        f"{h.red} off track (red) and {h.overdue} overdue as at {long_date(c.as_of)};",
    )
    para(document, "2. notes the key issues in section 4 and the action being taken on them;")
    para(document, "3. ", Missing("any further decision asked of Cabinet, or delete this line"), ".")


def _for_decision(document, c: BoardContent) -> None:
    """For decision (issue 25), in the decision recommendations: the complete actions awaiting
    sign-off, by recommendation with their evidence, and the due date changes awaiting approval."""
    for section in for_decision(c):
        heading(document, f"{FOR_DECISION}: {section.title[0].lower()}{section.title[1:]}", 2)
        para(document, section.asked)
        if section.rows:
            table(document, list(section.header), [list(row) for row in section.rows], widths=list(section.widths))
        else:
            para(document, section.empty)


def _appendix(document, c: BoardContent) -> None:
    section = document.add_section(WD_SECTION.NEW_PAGE)
    if section.page_width < section.page_height:  # the plan is wide: landscape, the template's margins kept
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    heading(document, HEADINGS[6], 1)
    para(document, f"The plan at the {for_paper(c.review.label)} review (position as at {long_date(c.review.as_at)}).")
    for rec in records(c.by_rec):
        ref = str(rec["ref"])
        heading(document, f"Recommendation {ref}", 2)
        para(document, plain(rec["text"]))
        table(
            document,
            ["Action", "What will be done", "Lead", "Due", "Status", "Overdue", "Latest update"],
            [
                [
                    a["key"],
                    a["description"],
                    a["lead"],
                    due_text_of(a),
                    (STATUS, a["status"]),
                    "Overdue" if a["overdue"] else "",
                    a["progress"],
                ]
                for a in records(c.actions_of(ref))
            ],
        )


def cabinet_report(content: BoardContent, settings: ReportSettings | None = None) -> bytes:
    """The report for `content`, with the plan's report details (`settings`, else those gathered
    with the content; None: every detail is a placeholder), in the deployment's template when
    BOARD_CABINET_TEMPLATE names one."""
    c = content
    s = settings or content.report or ReportSettings()
    document, slot = _new_document()
    before = _body_children(document)
    _set_language(document)
    title = f"{for_paper(c.plan_name)}: progress report to Cabinet"
    document.core_properties.title = title
    document.core_properties.author = "Improvement Board"
    document.core_properties.language = "en-GB"

    document.add_paragraph(title, style="Title" if "Title" in document.styles else None)
    para(
        document,
        f"Review {for_paper(c.review.label)}, position as at {long_date(c.review.as_at)}. "
        f"Overdue actions are counted as at {long_date(c.as_of)} throughout this report"
        + (f"; changes are since {for_paper(c.compare.title)}." if c.compare else "; this is the plan's first review.")
        + judged_note(c.baseline),
    )
    _purpose(document, c, s)
    _background(document, c, s)
    _progress(document, c)
    _measures(document, c)
    _key_issues(document, c)
    _implications(document)
    _decisions(document, c)
    _for_decision(document, c)
    _appendix(document, c)
    if slot is not None:
        _place_at_slot(document, slot, before)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
