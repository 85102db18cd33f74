"""The meeting's papers: the board pack (tagged PDF), the slide deck (PowerPoint), the cabinet
report (Word), the actions as Excel, the tracker to send back out, and the portfolio pack.

    paper = make_paper(engine, PaperRequest(format="pdf", plan_id=3, as_of=date(2018, 1, 31)))
    paper.data, paper.filename, paper.mime

One path for the pages and `python -m data_access pack`: content.py gathers every figure once
from data_access/reads/ (no rule is applied here), then one module per format lays it out;
charts.py draws the static charts (also the SVG/PNG downloads on the pages).
"""

from data_access.papers.content import PaperError
from data_access.papers.paper_service import (
    FORMAT_NAMES,
    FORMATS,
    MIME,
    PORTFOLIO_FORMATS,
    Paper,
    PaperRequest,
    filename,
    make_and_record,
    make_paper,
    preview_pages,
    record_pack,
)

__all__ = [
    "FORMATS",
    "FORMAT_NAMES",
    "MIME",
    "PORTFOLIO_FORMATS",
    "Paper",
    "PaperError",
    "PaperRequest",
    "filename",
    "make_and_record",
    "make_paper",
    "preview_pages",
    "record_pack",
]
