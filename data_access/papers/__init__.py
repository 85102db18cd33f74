"""The meeting's papers: the board pack (tagged PDF), the slide deck (PowerPoint), the cabinet
report (Word), the actions as Excel, the tracker to send back out, and the portfolio pack.

    paper = make_paper(engine, PaperRequest(format="pdf", plan_id=3, as_of=date(2018, 1, 31)))
    paper.data, paper.filename, paper.mime

One path for the pages and `python -m data_access pack`: formats.py is the one registry of
formats (label, file, media type, builder, who may download); content.py gathers every figure
once from data_access/reads/ (no rule is applied here), then one module per format lays it out;
charts.py draws the static charts (also the SVG/PNG downloads on the pages).

Names are loaded on first use, so that `pack`'s options (data_access.papers.formats) load no
SQLAlchemy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from data_access import lazy_names

_HOMES = {
    "PaperError": "content",
    "Paper": "paper_service",
    "PaperRequest": "paper_service",
    "filename": "paper_service",
    "make_and_record": "paper_service",
    "make_paper": "paper_service",
    "preview_pages": "paper_service",
    "record_pack": "paper_service",
}

if TYPE_CHECKING:
    from data_access.papers.content import PaperError
    from data_access.papers.paper_service import (
        Paper,
        PaperRequest,
        filename,
        make_and_record,
        make_paper,
        preview_pages,
        record_pack,
    )


__getattr__ = lazy_names(__name__, _HOMES)


__all__ = [
    "Paper",
    "PaperError",
    "PaperRequest",
    "filename",
    "make_and_record",
    "make_paper",
    "preview_pages",
    "record_pack",
]
assert set(__all__) == set(_HOMES)
