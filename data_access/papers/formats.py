"""The one registry of paper formats: what each is called, its file, its media type, who may
download it and the function that builds it. The Board pack page, the download buttons on every
page and `python -m data_access pack` all read this (tests/data_access/papers/test_formats.py
checks that they agree), as Datasette's output renderers are one registry.

Importing this module loads nothing heavy (the `pack` command's options are built from it before
SQLAlchemy loads); a builder is imported only when a paper is made.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from data_access.domain.permissions import VIEWER


@dataclass(frozen=True)
class PaperFormat:
    key: str  # what the CLI's --format and a PaperRequest say: "pdf"
    label: str  # the format's name in pickers and headings: "Board pack (PDF)"
    button: str  # the shorter label of its button in a page's row of downloads
    extension: str
    media_type: str
    stem: str  # the file name's start: board-pack-<plan>-<review date>.pdf
    builder: str  # "module:function" taking papers.content.BoardContent -> bytes
    movements: bool = False  # needs the movements since the compared review
    history: bool = False  # needs the plan's history (status mix, forecast, direction of travel)
    description: str = ""  # one sentence for the pickers' help
    portfolio_builder: str | None = None  # "module:function" taking PortfolioContent, if it has one
    portfolio_label: str | None = None  # its button on the Portfolio page
    role: str = VIEWER  # who may download it (data_access.domain.permissions)
    # in the row of downloads on the Overview and Trends pages too; False: on the Board pack page
    # (and the command line) only, so the row stays one line of buttons
    in_row: bool = True

    def build(self) -> Callable:
        return _load(self.builder)

    def build_portfolio(self) -> Callable:
        if self.portfolio_builder is None:
            raise ValueError(f"{self.key} has no portfolio form")
        return _load(self.portfolio_builder)


def _load(target: str) -> Callable:
    module, function = target.split(":")
    return getattr(importlib.import_module(module), function)


XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HTML_MEDIA_TYPE = "text/html"

REGISTRY: dict[str, PaperFormat] = {}


def register(paper_format: PaperFormat) -> PaperFormat:
    if paper_format.key in REGISTRY:
        raise ValueError(f"paper format {paper_format.key!r} is registered twice")
    REGISTRY[paper_format.key] = paper_format
    return paper_format


PDF = register(
    PaperFormat(
        "pdf",
        "Board pack (PDF)",
        "Board pack (PDF)",
        "pdf",
        "application/pdf",
        "board-pack",
        "data_access.papers.pdf_pack:board_pdf",
        movements=True,
        history=True,
        description="A tagged (PDF/UA-1) A4 landscape pack.",
        portfolio_builder="data_access.papers.pdf_pack:portfolio_pdf",
        portfolio_label="Portfolio pack (PDF)",
    )
)
PPTX = register(
    PaperFormat(
        "pptx",
        "Slide deck (PowerPoint)",
        "Slides (PowerPoint)",
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "slides",
        "data_access.papers.slide_deck:board_deck",
        movements=True,
        history=True,
        description="16:9 slides with editable charts.",
    )
)
DOCX = register(
    PaperFormat(
        "docx",
        "Cabinet report (Word)",
        "Cabinet report (Word)",
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "cabinet-report",
        "data_access.papers.word_report:cabinet_report",
        movements=True,
        history=True,
        description="The cabinet quarterly report.",
    )
)
XLSX = register(
    PaperFormat(
        "xlsx",
        "Actions (Excel)",
        "Actions (Excel)",
        "xlsx",
        XLSX_MEDIA_TYPE,
        "actions",
        "data_access.papers.excel_export:board_actions_xlsx",
        description="The actions, formatted.",
        portfolio_builder="data_access.papers.excel_export:portfolio_xlsx",
        portfolio_label="Portfolio figures (Excel)",
    )
)
TRACKER = register(
    PaperFormat(
        "tracker",
        "Tracker for the next update (Excel)",
        "Tracker for the next update",
        "xlsx",
        XLSX_MEDIA_TYPE,
        "tracker",
        "data_access.papers.update_tracker:tracker_xlsx",
        description="The actions laid out for managers to fill in and upload.",
    )
)

HTML = register(
    PaperFormat(
        "html",
        "Board pack (HTML)",
        "Board pack (HTML)",
        "html",
        HTML_MEDIA_TYPE,
        "board-pack",
        "data_access.papers.html_paper:board_html",
        movements=True,
        history=True,
        description="The board pack as one accessible web page (no scripts, nothing fetched): headings, tables, "
        "charts with their figures.",
        in_row=False,
    )
)
CABINET_HTML = register(
    PaperFormat(
        "cabinet-html",
        "Cabinet report (HTML)",
        "Cabinet report (HTML)",
        "html",
        HTML_MEDIA_TYPE,
        "cabinet-report",
        "data_access.papers.html_paper:cabinet_html",
        movements=True,
        history=True,
        description="The cabinet report as one accessible web page.",
        in_row=False,
    )
)

EXCEPTIONS_PDF = register(
    PaperFormat(
        "exceptions-pdf",
        "Exception report (PDF)",
        "Exception report (PDF)",
        "pdf",
        "application/pdf",
        "exception-report",
        "data_access.papers.exception_report:exceptions_pdf",
        description="Only the red and amber actions and the dates moved without approval, by recommendation, "
        "with each one's mitigation and ask of the board; one page when it fits.",
        in_row=False,
    )
)
EXCEPTIONS_DOCX = register(
    PaperFormat(
        "exceptions-docx",
        "Exception report (Word)",
        "Exception report (Word)",
        "docx",
        DOCX.media_type,
        "exception-report",
        "data_access.papers.exception_report:exceptions_docx",
        description="The exception report as a Word document to edit before the meeting.",
        in_row=False,
    )
)
EXCEPTIONS_HTML = register(
    PaperFormat(
        "exceptions-html",
        "Exception report (HTML)",
        "Exception report (HTML)",
        "html",
        HTML_MEDIA_TYPE,
        "exception-report",
        "data_access.papers.exception_report:exceptions_html",
        description="The exception report as one accessible web page.",
        in_row=False,
    )
)

KEYS = tuple(REGISTRY)  # in the order pickers and button rows show them
PORTFOLIO_KEYS = tuple(k for k, f in REGISTRY.items() if f.portfolio_builder)


def offered_to(role: str | None) -> list[PaperFormat]:
    """The formats a person with `role` may download, in registry order."""
    from data_access.domain.permissions import can

    return [f for f in REGISTRY.values() if can(role, f.role)]


def offered_in_row(role: str | None) -> list[PaperFormat]:
    """The formats in a page's row of downloads (in_row) that a person with `role` may download."""
    return [f for f in offered_to(role) if f.in_row]


def cli_help() -> str:
    """The `pack` command's one line: every format with its key."""
    names = [f"{f.label.split(' (')[0].lower()} ({f.key})" for f in REGISTRY.values()]
    return f"write a {', '.join(names[:-1])} or {names[-1]}"
