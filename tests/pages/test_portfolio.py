"""Portfolio page: every plan's headline figures, RAG mix and direction in one table, and the
portfolio pack of every plan."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
from page_helpers import html_text, shown
from pypdf import PdfReader

from data_access.domain.rules import parse_timescale
from data_access.domain.tracker_rows import PlanInfo, ReviewSnapshot, TrackerRow
from data_access.storage import plan_writer
from data_access.storage.database import make_engine, write_transaction


def _second_plan(url: str) -> None:
    """A joint-inspection plan beside the ILACS plan: one review, one red overdue action."""
    engine = make_engine(url)
    row = TrackerRow("a", "Share information", "Agree a protocol", action_id="A1", lead="Police lead",
                     status="red", timescale=parse_timescale("31/05/2024"))  # fmt: skip
    with write_transaction(engine) as conn:
        plan_id = plan_writer.ensure_plan(conn, PlanInfo("Testshire JTAI 2024", inspection_type="JTAI"))
        plan_writer.save_review(conn, plan_id, ReviewSnapshot(dt.date(2024, 6, 30), [row]), source="jtai.xlsx")
    engine.dispose()


def test_every_plan_side_by_side(app, board_db):
    _second_plan(board_db["url"])
    at = app("pages/portfolio.py")
    assert at.title[0].value == "Portfolio"
    page = html_text(at)
    # The ILACS plan (tests/data_access/reads/test_board.py): 2 of 6 complete at Q2 (33%) against 1 of 5
    # at Q1 (20%): +13 points.
    assert "Testshire ILACS 2024" in page and "Testshire JTAI 2024" in page
    assert "<td>33% (+13 percentage points)</td>" in page
    assert "<td>first review</td>" in page  # the JTAI plan has nothing to compare with
    buttons = {b.proto.label: b for b in at.get("download_button")}
    assert {"Portfolio pack (PDF)", "Portfolio figures (Excel)", "Chart as SVG", "Chart as PNG"} <= set(buttons)


def test_the_portfolio_pack_covers_every_plan(app, board_db, deferred):
    _second_plan(board_db["url"])
    at = app("pages/portfolio.py")
    button = next(b for b in at.get("download_button") if b.proto.label == "Portfolio pack (PDF)")
    assert deferred.name(button) == "portfolio-pack-2024-10-14.pdf"
    reader = PdfReader(io.BytesIO(deferred.fetch(button)))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Testshire ILACS 2024" in text and "Testshire JTAI 2024" in text
    assert reader.metadata.title.startswith("Portfolio pack: 2 action plans")


def test_the_portfolio_follows_judge_baseline(app, deferred):
    """Issue 25: judge=baseline reaches the portfolio's figures and its pack: the ILACS plan has 3
    overdue at the meeting against its baselines (+1 on Q1), 2 against the current approved dates
    (tests/data_access/papers/test_baseline_papers.py works them by hand)."""
    from data_access.domain.wording import BASELINE_JUDGED
    from tests.fixtures import record_board_date_changes

    record_board_date_changes(make_engine(app.ids["url"]), app.ids)
    now, judged = app("pages/portfolio.py"), app("pages/portfolio.py", judge="baseline")
    assert "<td>2 (no change)</td>" in html_text(now) and "<td>3 (+1)</td>" not in html_text(now)
    assert "<td>3 (+1)</td>" in html_text(judged)
    assert BASELINE_JUDGED in " ".join(shown(c.value) for c in judged.caption)
    button = next(b for b in judged.get("download_button") if b.proto.label == "Portfolio figures (Excel)")
    sheet = openpyxl.load_workbook(io.BytesIO(deferred.fetch(button))).active
    assert BASELINE_JUDGED in sheet["A1"].value
