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

import importlib
from typing import TYPE_CHECKING

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


def __getattr__(name: str):
    home = _HOMES.get(name)
    if home is None:
        try:  # a submodule: papers.formats
            return importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


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
