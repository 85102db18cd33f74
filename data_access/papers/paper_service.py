"""make_paper: the one code path from a request to a file, used by the Board pack and Portfolio
pages and by `python -m data_access pack`. Generating a paper is recorded in the audit trail."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import Engine

from data_access.domain.clock import london_today
from data_access.papers import content as gather
from data_access.papers import formats
from data_access.papers.content import PaperError
from data_access.storage import audit_trail
from data_access.storage.database import write_transaction


@dataclass(frozen=True)
class PaperRequest:
    """What to produce. plan_id None means the portfolio (every plan); the other choices default
    to the latest review, overdue as at today (London) and the review before."""

    format: str
    plan_id: int | None
    review_id: int | None = None
    as_of: dt.date | None = None
    compare_id: int | None = None
    baseline: bool = False  # overdue judged against each action's baseline (original) due date


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
        return f"portfolio-pack-{(as_of or london_today()).isoformat()}.{formats.REGISTRY[fmt].extension}"
    paper_format = formats.REGISTRY[fmt]
    return f"{paper_format.stem}-{_slug(plan_name)}-{review_as_at.isoformat()}.{paper_format.extension}"


def _check(request: PaperRequest) -> None:
    if request.format not in formats.REGISTRY:
        raise PaperError(f"'{request.format}' is not a paper format; choose one of {', '.join(formats.KEYS)}.")
    if request.plan_id is None and request.format not in formats.PORTFOLIO_KEYS:
        raise PaperError(
            f"The portfolio (every plan) is made as {' or '.join(formats.PORTFOLIO_KEYS)}, not {request.format}; "
            "choose one plan for that format."
        )


def board_content(engine: Engine, request: PaperRequest) -> gather.BoardContent:
    return gather.board_content(
        engine,
        request.plan_id,
        request.review_id,
        request.as_of,
        request.compare_id,
        baseline=request.baseline,
        **_needs(request.format),
    )


def _needs(fmt: str) -> dict:
    """What the format shows beyond the review itself (formats.PaperFormat.movements, .history)."""
    paper_format = formats.REGISTRY[fmt]
    return dict(movements=paper_format.movements, history=paper_format.history)


def make_paper(engine: Engine, request: PaperRequest) -> Paper:
    """The file for `request` (raises PaperError, one sentence, for a request it cannot make)."""
    _check(request)
    paper_format = formats.REGISTRY[request.format]
    if request.plan_id is None:
        portfolio = gather.portfolio_content(engine, request.as_of, request.baseline)
        data = paper_format.build_portfolio()(portfolio)
        name = filename(request.format, None, None, portfolio.as_of)
        return Paper(data, name, paper_format.media_type, None, None, None)

    content = board_content(engine, request)
    data = paper_format.build()(content)
    name = filename(request.format, content.plan_name, content.review.as_at)
    return Paper(data, name, paper_format.media_type, content.plan_id, content.plan_name, content.review.id)


def preview_pages(
    engine: Engine,
    plan_id: int | None,
    review_id: int | None = None,
    as_of: dt.date | None = None,
    compare_id: int | None = None,
    pages: int = 3,
    baseline: bool = False,
) -> list[bytes]:
    """The first pages of the PDF pack as PNG images, for a preview on the page (small arguments,
    so a page can cache it). plan_id None: the portfolio pack."""
    from data_access.papers import pdf_pack

    if plan_id is None:
        return pdf_pack.portfolio_preview(gather.portfolio_content(engine, as_of, baseline), pages)
    content = gather.board_content(
        engine, plan_id, review_id, as_of, compare_id, baseline=baseline, **_needs(formats.PDF.key)
    )
    return pdf_pack.board_preview(content, pages)


def record_pack(engine: Engine, paper: Paper, request: PaperRequest, actor: str | None) -> None:
    """One audit row for a paper generated (its own write transaction)."""
    detail = {"format": request.format, "file": paper.filename}
    if request.as_of:
        detail["as_of"] = request.as_of.isoformat()
    if request.compare_id:
        detail["compare_review_id"] = request.compare_id
    if request.baseline:
        detail["judged_against"] = "baseline"
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
