"""The exception report: the monthly "progress and exception report" a board reads. Only what needs
the board: the red and amber actions and the due dates moved without approval, grouped by
recommendation, each with its mitigation and its ask of the board. As a PDF (Typst, like the board
pack, one page when it fits), a Word document (like the cabinet report) and an HTML page (like every
paper); its slides in presentation mode are planned by reads/deck_plan.

`exception_report(content)` picks the lines from papers.content.BoardContent and nothing else: its
figures are the overview's (red and amber from review_figures through board.kpi_change, dates moved
without approval from signoff_figures.moved_without_approval), so they always agree.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pandas as pd

from data_access.domain.rules import AMBER, RED, status_text
from data_access.domain.signoff_rules import STATE_WORDS
from data_access.domain.wording import due_text_of, long_date, plural, short_date
from data_access.papers.content import BoardContent, plain, records
from data_access.reads.signoff_figures import DateChange

NO_MITIGATION = "No mitigation recorded"
NO_ASK = "Nothing asked of the board"
NOT_IN_REVIEW = "Not in this review"  # a moved date whose action the review no longer holds
EXCEPTION_STATUSES = (RED, AMBER)


def _filled(value) -> str | None:
    text = plain(value).strip()
    return text or None


def moved_text(change: DateChange) -> str:
    """'Due date moved from 31 Jul 2024 to 31 Dec 2024, not approved (reason: “…”)'."""
    was = short_date(change.from_date) if change.from_date else "no date"
    now = short_date(change.to_date) if change.to_date else "no date"
    reason = f" (reason: “{change.reason}”)" if _filled(change.reason) else " (no reason given)"
    return f"Due date moved from {was} to {now}, {STATE_WORDS[change.state]}{reason}"


@dataclass(frozen=True)
class ExceptionLine:
    """One action the board needs to see: red, amber, or with a date moved without approval."""

    key: str
    description: str
    lead: str
    status: str | None  # None: the action is not in this review (a moved date listed all the same)
    due: str  # wording.due_text
    progress: str
    mitigation: str | None
    board_ask: str | None
    moved: tuple[DateChange, ...] = ()

    @property
    def mitigation_text(self) -> str:
        return self.mitigation or NO_MITIGATION

    @property
    def ask_text(self) -> str:
        return self.board_ask or NO_ASK

    @property
    def due_with_moves(self) -> str:
        """The due date, then each move without approval on its own line."""
        return "\n".join([self.due, *(moved_text(c) for c in self.moved)])

    @property
    def status_words(self) -> str:
        return status_text(self.status) if self.status else NOT_IN_REVIEW


@dataclass(frozen=True)
class ExceptionGroup:
    ref: str  # the recommendation's reference ('' for actions not in this review)
    text: str
    lines: tuple[ExceptionLine, ...]

    @property
    def title(self) -> str:
        return f"Recommendation {self.ref}" if self.ref else NOT_IN_REVIEW


@dataclass(frozen=True)
class ExceptionReport:
    plan_name: str
    review_label: str
    review_title: str
    position: str  # long date of the review's position
    as_of: str  # long date overdue is counted at
    red: int
    amber: int
    moved: int  # due dates moved without approval, up to this review
    groups: tuple[ExceptionGroup, ...]

    @property
    def title(self) -> str:
        return f"Exception report: {self.plan_name}, {self.review_label}"

    def figures(self) -> list[tuple[str, str]]:
        return [
            (status_text(RED), str(self.red)),
            (status_text(AMBER), str(self.amber)),
            ("Due dates moved without approval", str(self.moved)),
        ]

    def summary(self) -> str:
        if not self.groups:
            return "No action is red or amber and no due date has been moved without approval."
        return (
            f"{plural(self.red, 'action')} off track (red), {plural(self.amber, 'action')} at risk (amber) and "
            f"{plural(self.moved, 'due date')} moved without approval, in "
            f"{plural(len(self.groups), 'recommendation')}."
        )


def exception_report(content: BoardContent) -> ExceptionReport:
    """The lines of the report: every red or amber action and every action whose due date was moved
    without approval, in plan order under its recommendation."""
    c = content
    moved_by_key: dict[str, list[DateChange]] = {}
    for change in c.unapproved:
        moved_by_key.setdefault(change.action_key, []).append(change)
    rec_text = dict(zip(c.by_rec["ref"].astype(str), c.by_rec["text"], strict=True))
    groups: dict[str, list[ExceptionLine]] = {}
    seen: set[str] = set()
    for a in records(c.actions):
        key = str(a["key"])
        moved = tuple(moved_by_key.get(key, ()))
        if a["status"] not in EXCEPTION_STATUSES and not moved:
            continue
        seen.add(key)
        groups.setdefault(str(a["rec_ref"]), []).append(
            ExceptionLine(
                key,
                plain(a["description"]),
                plain(a["lead"]),
                a["status"],
                due_text_of(a),
                plain(a["progress"]),
                _filled(a.get("mitigation")),
                _filled(a.get("board_ask")),
                moved,
            )
        )
    out = [ExceptionGroup(ref, plain(rec_text.get(ref)), tuple(lines)) for ref, lines in groups.items()]
    elsewhere = [k for k in moved_by_key if k not in seen]
    if elsewhere:
        out.append(
            ExceptionGroup(
                "",
                "",
                tuple(ExceptionLine(k, "", "", None, "", "", None, None, tuple(moved_by_key[k])) for k in elsewhere),
            )
        )
    counts = c.headline.status_counts
    return ExceptionReport(
        c.plan_name,
        c.review.label,
        c.review.title,
        long_date(c.review.as_at),
        long_date(c.as_of),
        counts[RED],
        counts[AMBER],
        len(c.unapproved),
        tuple(out),
    )


# --- the slide set in presentation mode (reads/deck_plan.exception_slides plans it) --------------

SLIDE_FIELDS = ["rec_ref", "key", "status", "what", "due", "mitigation", "ask"]


def report_for(engine, plan_id: int, review_id: int, as_of) -> ExceptionReport:
    """The report for one plan at one review, overdue as at `as_of` (what the Board pack page presents)."""
    from data_access.papers.content import board_content

    return exception_report(board_content(engine, plan_id, review_id, as_of, movements=False, history=False))


def slide_rows(report: ExceptionReport) -> pd.DataFrame:
    """One row per line, in the report's order, each cell as the slide shows it (a status stays a
    status: the slide draws it with its colour, symbol, letter and word)."""
    rows = [
        {
            "rec_ref": group.ref,
            "key": line.key,
            "status": line.status,
            "what": _what(line, latest=False),
            "due": line.due_with_moves,
            "mitigation": line.mitigation_text,
            "ask": line.ask_text,
        }
        for group in report.groups
        for line in group.lines
    ]
    return pd.DataFrame(rows, columns=SLIDE_FIELDS)


def slide_caption(report: ExceptionReport) -> str:
    return f"{report.plan_name}, {report.review_title}. {report.summary()}"


HEADER = ["Action", "Status", "What will be done (lead, latest update)", "Due", "Mitigation", "Ask of the board"]
WIDTHS = (0.7, 1.1, 2.6, 1.8, 2.6, 2.2)


def _what(line: ExceptionLine, latest: bool = True) -> str:
    lead = f"\nLead: {line.lead}" if line.lead else ""
    update = f"\nLatest update: {line.progress}" if latest and line.progress else ""
    return f"{line.description}{lead}{update}"


def _intro(report: ExceptionReport) -> str:
    return (
        f"{report.review_title}: position as at {report.position}. Only the red and amber actions and the due "
        "dates moved without approval, grouped by recommendation, each with its mitigation and its ask of the "
        f"board. {report.summary()}"
    )


# --- PDF ----------------------------------------------------------------------------------------


def exceptions_pdf(content: BoardContent) -> bytes:
    """The report as a tagged PDF (pdf_pack's Typst set-up): one A4 landscape page when it fits."""
    from data_access.papers import pdf_pack
    from data_access.papers.typst_text import isolated

    report = exception_report(content)
    cell, status = pdf_pack.cell, pdf_pack.status
    src = pdf_pack.Source()
    src.heading(1, f"Exception report: {isolated(report.plan_name)}")
    src.para(_intro(report))
    src.table(
        ["Figure", report.review_label],
        [[cell(name), cell(value)] for name, value in report.figures()],
        "(auto, auto)",
    )
    columns = "(" + ", ".join(f"{w}fr" for w in WIDTHS) + ")"
    for group in report.groups:
        src.heading(2, f"{group.title}: {isolated(group.text)}" if group.text else group.title)
        src.table(
            HEADER,
            [
                [
                    cell(line.key),
                    status(line.status) if line.status else cell(NOT_IN_REVIEW),
                    cell(_what(line)),
                    cell(line.due_with_moves),
                    cell(line.mitigation_text),
                    cell(line.ask_text),
                ]
                for line in group.lines
            ],
            columns,
        )
    footer = f"{isolated(report.plan_name)} · Exception report · Position as at {report.position}"
    return pdf_pack.compile_pdf(src, f"{report.title} (position as at {report.position})", footer)


# --- Word ---------------------------------------------------------------------------------------


def exceptions_docx(content: BoardContent) -> bytes:
    """The report as a Word document (word_report's tables, headings and language), A4 landscape."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm, Pt

    from data_access.domain.clean_text import for_paper
    from data_access.papers import word_report

    report = exception_report(content)
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(15))
    document.styles["Normal"].font.size = Pt(9)
    word_report._set_language(document)
    title = f"Exception report: {for_paper(report.plan_name)}, {for_paper(report.review_label)}"
    document.core_properties.title = title
    document.core_properties.author = "Improvement Board"
    document.core_properties.language = "en-GB"
    document.add_paragraph(title, style="Title")
    word_report.para(document, _intro(report))
    word_report.table(document, ["Figure", for_paper(report.review_label)], report.figures(), widths=[3, 1])
    for group in report.groups:
        heading = f"{group.title}: {for_paper(group.text)}" if group.text else group.title
        word_report.heading(document, heading, 1)
        word_report.table(
            document,
            HEADER,
            [
                [
                    line.key,
                    (word_report.STATUS, line.status) if line.status else NOT_IN_REVIEW,
                    _what(line),
                    line.due_with_moves,
                    line.mitigation_text,
                    line.ask_text,
                ]
                for line in group.lines
            ],
            widths=list(WIDTHS),
        )
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- HTML ---------------------------------------------------------------------------------------


def exceptions_html(content: BoardContent) -> bytes:
    """The report as one accessible HTML page (html_paper)."""
    from data_access.papers import html_paper
    from data_access.papers.typst_text import isolated

    report = exception_report(content)
    doc = html_paper.HtmlDocument()
    doc.heading(1, f"Exception report: {isolated(report.plan_name)}")
    doc.para(_intro(report))
    doc.table(f"The exceptions at {report.review_title}", ["Figure", report.review_label], report.figures())
    for group in report.groups:
        doc.heading(2, f"{group.title}: {isolated(group.text)}" if group.text else group.title)
        doc.table(
            f"{group.title}: the actions the board needs to see",
            HEADER,
            [
                [
                    line.key,
                    html_paper.Status(line.status) if line.status else NOT_IN_REVIEW,
                    _what(line),
                    line.due_with_moves,
                    line.mitigation_text,
                    line.ask_text,
                ]
                for line in group.lines
            ],
        )
    return doc.html(f"{isolated(report.title)} (position as at {report.position})", html_paper.footer(content))
