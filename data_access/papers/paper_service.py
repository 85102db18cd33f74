"""make_paper: the one code path from a request to a file, used by the Board pack and Portfolio
pages and by `python -m data_access pack`. Generating a paper is recorded in the audit trail."""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass

from sqlalchemy import Engine

from data_access.domain.clean_text import for_paper
from data_access.domain.clock import london_today
from data_access.domain.wording import long_date
from data_access.papers import content as gather
from data_access.papers import excel_export
from data_access.papers.content import PaperError
from data_access.storage import audit_trail
from data_access.storage.database import write_transaction

PDF, PPTX, DOCX, XLSX, TRACKER = "pdf", "pptx", "docx", "xlsx", "tracker"
FORMATS = (PDF, PPTX, DOCX, XLSX, TRACKER)
PORTFOLIO_FORMATS = (PDF, XLSX)
FORMAT_NAMES = {
    PDF: "Board pack (PDF)",
    PPTX: "Slide deck (PowerPoint)",
    DOCX: "Cabinet report (Word)",
    XLSX: "Actions (Excel)",
    TRACKER: "Tracker for the next update (Excel)",
}
MIME = {
    PDF: "application/pdf",
    PPTX: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    TRACKER: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
EXTENSION = {PDF: "pdf", PPTX: "pptx", DOCX: "docx", XLSX: "xlsx", TRACKER: "xlsx"}
STEM = {PDF: "board-pack", PPTX: "slides", DOCX: "cabinet-report", XLSX: "actions", TRACKER: "tracker"}


@dataclass(frozen=True)
class PaperRequest:
    """What to produce. plan_id None means the portfolio (every plan); the other choices default
    to the latest review, overdue as at today (London) and the review before."""

    format: str
    plan_id: int | None
    review_id: int | None = None
    as_of: dt.date | None = None
    compare_id: int | None = None


@dataclass(frozen=True)
class Paper:
    data: bytes
    filename: str
    mime: str
    plan_id: int | None
    plan_name: str | None
    review_id: int | None


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "plan"


def filename(fmt: str, plan_name: str | None, review_as_at: dt.date | None, as_of: dt.date | None = None) -> str:
    """'board-pack-rutland-2018-03-31.pdf'; the portfolio: 'portfolio-pack-<as of>.pdf'."""
    if plan_name is None:
        return f"portfolio-pack-{(as_of or london_today()).isoformat()}.{EXTENSION[fmt]}"
    return f"{STEM[fmt]}-{_slug(plan_name)}-{review_as_at.isoformat()}.{EXTENSION[fmt]}"


def _check(request: PaperRequest) -> None:
    if request.format not in FORMATS:
        raise PaperError(f"'{request.format}' is not a paper format; choose one of {', '.join(FORMATS)}.")
    if request.plan_id is None and request.format not in PORTFOLIO_FORMATS:
        raise PaperError(
            f"The portfolio (every plan) is made as {' or '.join(PORTFOLIO_FORMATS)}, not {request.format}; "
            "choose one plan for that format."
        )


# What each format shows beyond the review itself: the movements since the compared review, and
# the plan's history (status mix per review, forecast, direction of travel).
NEEDS = {
    PDF: dict(movements=True, history=False),
    PPTX: dict(movements=True, history=True),
    DOCX: dict(movements=True, history=True),
    XLSX: dict(movements=False, history=False),
    TRACKER: dict(movements=False, history=False),
}


def board_content(engine: Engine, request: PaperRequest) -> gather.BoardContent:
    return gather.board_content(
        engine, request.plan_id, request.review_id, request.as_of, request.compare_id, **NEEDS[request.format]
    )


def make_paper(engine: Engine, request: PaperRequest) -> Paper:
    """The file for `request` (raises PaperError, one sentence, for a request it cannot make)."""
    _check(request)
    if request.plan_id is None:
        portfolio = gather.portfolio_content(engine, request.as_of)
        if request.format == PDF:
            from data_access.papers import pdf_pack

            data = pdf_pack.portfolio_pdf(portfolio)
        else:
            data = portfolio_xlsx(portfolio)
        name = filename(request.format, None, None, portfolio.as_of)
        return Paper(data, name, MIME[request.format], None, None, None)

    content = board_content(engine, request)
    if request.format == PDF:
        from data_access.papers import pdf_pack

        data = pdf_pack.board_pdf(content)
    elif request.format == PPTX:
        from data_access.papers import slide_deck

        data = slide_deck.board_deck(content)
    elif request.format == DOCX:
        from data_access.papers import word_report

        data = word_report.cabinet_report(content)
    elif request.format == XLSX:
        title = (
            f"{for_paper(content.plan_name)}: actions at {for_paper(content.review.label)} (position as at "
            f"{long_date(content.review.as_at)}), overdue as at {long_date(content.as_of)}"
        )
        data = excel_export.actions_xlsx(content.actions, title)
    else:
        from data_access.papers import update_tracker

        data = update_tracker.tracker_xlsx(content)
    name = filename(request.format, content.plan_name, content.review.as_at)
    return Paper(data, name, MIME[request.format], content.plan_id, content.plan_name, content.review.id)


def preview_pages(
    engine: Engine,
    plan_id: int | None,
    review_id: int | None = None,
    as_of: dt.date | None = None,
    compare_id: int | None = None,
    pages: int = 3,
) -> list[bytes]:
    """The first pages of the PDF pack as PNG images, for a preview on the page (small arguments,
    so a page can cache it). plan_id None: the portfolio pack."""
    from data_access.papers import pdf_pack

    if plan_id is None:
        return pdf_pack.portfolio_preview(gather.portfolio_content(engine, as_of), pages)
    content = gather.board_content(engine, plan_id, review_id, as_of, compare_id, **NEEDS[PDF])
    return pdf_pack.board_preview(content, pages)


def record_pack(engine: Engine, paper: Paper, request: PaperRequest, actor: str | None) -> None:
    """One audit row for a paper generated (its own write transaction)."""
    detail = {"format": request.format, "file": paper.filename}
    if request.as_of:
        detail["as_of"] = request.as_of.isoformat()
    if request.compare_id:
        detail["compare_review_id"] = request.compare_id
    if request.plan_id is None:
        detail["portfolio"] = True
    with write_transaction(engine) as conn:
        audit_trail.record(
            conn,
            actor=actor,
            action=audit_trail.PACK,
            plan_id=paper.plan_id,
            plan_name=paper.plan_name,
            review_id=paper.review_id,
            detail=detail,
        )


def make_and_record(engine: Engine, request: PaperRequest, actor: str | None) -> Paper:
    """make_paper, then the audit row: what the page's download buttons and the CLI call."""
    paper = make_paper(engine, request)
    record_pack(engine, paper, request, actor)
    return paper


# --- the portfolio as a spreadsheet ---------------------------------------------------------


def portfolio_xlsx(portfolio: gather.PortfolioContent) -> bytes:
    """Every plan's headline figures as typed numbers, one row per plan."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    from data_access.domain.rules import STATUS_STYLE, STATUSES
    from data_access.reads import trends

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Portfolio"
    excel_export.write_inert(
        sheet.cell(1, 1), f"Portfolio: every action plan, overdue as at {long_date(portfolio.as_of)}"
    )
    sheet.cell(1, 1).font = Font(bold=True, size=14)
    headings = [
        ("Plan", 50),
        ("Latest review", 14),
        ("Position as at", 14),
        ("Actions", 9),
        ("% complete", 11),
        ("Change in % complete (pts)", 13),
        ("Red", 8),
        ("Change in red", 9),
        ("Overdue", 9),
        ("Change in overdue", 10),
        *((f"{STATUS_STYLE[s].symbol} {STATUS_STYLE[s].letter} {STATUS_STYLE[s].label}", 12) for s in STATUSES),
        ("Recommendations improving ↑", 14),
        ("Recommendations same →", 14),
        ("Recommendations worsening ↓", 14),
    ]
    fill = PatternFill("solid", fgColor="F3F2F1")
    for col, (heading, width) in enumerate(headings, start=1):
        cell = sheet.cell(3, col, heading)
        cell.font, cell.fill = Font(bold=True), fill
        sheet.column_dimensions[cell.column_letter].width = width
    for r, line in enumerate(portfolio.plans, start=4):
        h = line.headline
        values = [for_paper(line.plan_name)]
        if h is not None:
            values += [
                for_paper(line.review.label),
                line.review.as_at,
                h.actions,
                h.pct_complete,
                h.change("pct_complete"),
                h.red,
                h.change("red"),
                h.overdue,
                h.change("overdue"),
                *(h.status_counts[s] for s in STATUSES),
                *(
                    line.direction_count(d) if line.compare else None
                    for d in (trends.IMPROVING, trends.SAME, trends.WORSENING)
                ),
            ]
        for col, value in enumerate(values, start=1):
            if value is not None:
                cell = excel_export.write_inert(sheet.cell(r, col), value)
                if isinstance(value, dt.date):
                    cell.number_format = "DD/MM/YYYY"
    sheet.freeze_panes = "B4"
    sheet.auto_filter.ref = f"A3:{sheet.cell(3, len(headings)).column_letter}{3 + max(1, len(portfolio.plans))}"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
