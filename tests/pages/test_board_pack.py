"""Board pack page: the sidebar's plan, review and date, a chosen comparison and format; a preview
of the PDF's first pages; the download builds the paper on click and records it in the audit trail."""

from __future__ import annotations

import io
import json

import docx
from page_helpers import html_text, shown
from pypdf import PdfReader
from sqlalchemy import select

from data_access.papers import formats
from data_access.storage.database import make_engine
from data_access.storage.schema import AuditEvent


def _audit_rows(url: str) -> list:
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(select(AuditEvent).where(AuditEvent.action == "pack generated")).all()
    engine.dispose()
    return rows


def test_board_pack_page_previews_and_offers_every_format(app):
    at = app("pages/board-pack.py")
    assert at.title[0].value == "Board pack"
    assert at.selectbox(key="pack_compare").value == app.ids["q1"]  # the review before, by default
    # the registry's formats and labels (data_access.papers.formats), and these words exactly
    assert (
        list(at.radio(key="pack_format").options)
        == [f.label for f in formats.REGISTRY.values()]
        == [
            "Board pack (PDF)",
            "Slide deck (PowerPoint)",
            "Cabinet report (Word)",
            "Actions (Excel)",
            "Tracker for the next update (Excel)",
            "Board pack (HTML)",
            "Cabinet report (HTML)",
            "Exception report (PDF)",
            "Exception report (Word)",
            "Exception report (HTML)",
        ]
    )
    images = at.get("image")
    assert images, "the preview of the first pages is shown"
    assert [i.proto.imgs[0].caption for i in images][:1] == ["Page 1 of the board pack (preview)"]
    buttons = {b.proto.label: b for b in at.get("download_button")}
    assert "Download: Board pack (PDF)" in buttons


def test_choosing_a_format_changes_the_file_and_downloading_records_it(app, deferred):
    at = app("pages/board-pack.py")
    at.radio(key="pack_format").set_value("docx").run()
    (button,) = at.get("download_button")
    assert button.proto.label == "Download: Cabinet report (Word)"
    assert deferred.name(button) == "cabinet-report-testshire-ilacs-2024-2024-09-30.docx"
    assert not _audit_rows(app.ids["url"])  # nothing is made until someone clicks
    data = deferred.fetch(button)
    document = docx.Document(io.BytesIO(data))
    assert document.paragraphs[0].style.name == "Title"
    assert "Testshire ILACS 2024" in document.paragraphs[0].text
    rows = _audit_rows(app.ids["url"])
    assert [json.loads(r.detail)["format"] for r in rows] == ["docx"]
    assert rows[0].plan_id == app.ids["plan"] and rows[0].actor == "local user"


def test_overview_and_trends_offer_the_papers_and_chart_images(app, deferred):
    at = app("pages/overview.py")
    labels = [b.proto.label for b in at.get("download_button")]
    # the row holds the formats marked in_row; the others are on the Board pack page
    assert labels[2:] == [f.button for f in formats.REGISTRY.values() if f.in_row]
    assert labels == [
        "Chart as SVG",
        "Chart as PNG",
        "Board pack (PDF)",
        "Slides (PowerPoint)",
        "Cabinet report (Word)",
        "Actions (Excel)",
        "Tracker for the next update",
    ]
    svg = next(b for b in at.get("download_button") if b.proto.label == "Chart as SVG")
    data = deferred.fetch(svg).decode()
    assert data.startswith("<?xml") and "<desc>Bar chart of Testshire ILACS 2024" in data
    # Trends, one tab at a time (issue 27): status mix, overdue and movements each offer their chart.
    buttons = [
        b for part in ("mix", "overdue", "compare") for b in app("pages/trends.py", section=part).get("download_button")
    ]
    assert sum(b.proto.label == "Chart as PNG" for b in buttons) == 3
    assert all(deferred.fetch(b).startswith(b"\x89PNG") for b in buttons if b.proto.label == "Chart as PNG")
    tracker = next(b for b in buttons if b.proto.label == "Tracker for the next update")
    assert deferred.name(tracker) == "tracker-testshire-ilacs-2024-2024-09-30.xlsx"


def test_presentation_mode_has_no_download_buttons(app):
    at = app("pages/overview.py", present="1")
    assert not at.get("download_button")


def test_the_first_review_has_nothing_to_compare_with(app, deferred):
    at = app("pages/board-pack.py", review=str(app.ids["q1"]))
    compare = at.selectbox(key="pack_compare")
    assert compare.value is None and compare.proto.disabled
    assert at.get("image")
    (button,) = at.get("download_button")
    assert deferred.name(button) == "board-pack-testshire-ilacs-2024-2024-06-30.pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(deferred.fetch(button))).pages)
    assert "Compared with: nothing: this is the plan's first review" in text


def test_the_exception_report_is_a_slide_set_in_presentation_mode(app):
    """The Board pack page links to the exception report's own slides; presenting on this page steps
    through them (the meeting's deck is on the other pages): the fixture's red 10.1 and amber 2.2."""
    at = app("pages/board-pack.py")
    link = next(p.proto for p in at.get("page_link") if p.proto.label == "Present the exception report (slides)")
    assert "present=1" in link.query_string and link.page.endswith("board-pack")
    at = app("pages/board-pack.py", present="1")
    bar = " ".join(shown(m.value) for m in at.markdown)
    assert "Slide 1 of 1: Exception report" in bar
    assert at.title[0].value == "Exception report"
    table = html_text(at)
    assert "<caption>2 actions for the board</caption>" in table
    assert "Lodgings" in table and "Supervision audit" in table and "Audit thresholds" not in table  # green: not here
    assert table.count("No mitigation recorded") == 2 and "Nothing asked of the board" in table
    caption = " ".join(c.value for c in at.caption)
    assert "1 action off track (red), 1 action at risk (amber) and 0 due dates moved without approval" in shown(caption)


def test_the_pack_follows_judge_baseline(app, deferred):
    """Issue 25: with judge=baseline the papers made from the page judge overdue against each action's
    baseline date (3 overdue at the meeting, not 2: tests/data_access/papers/test_baseline_papers.py
    works them by hand) and say so; the page says it too."""
    from data_access.domain.wording import BASELINE_JUDGED
    from tests.fixtures import record_board_date_changes

    record_board_date_changes(make_engine(app.ids["url"]), app.ids)
    for judge, overdue, said in ((None, "2 actions overdue", False), ("baseline", "3 actions overdue", True)):
        at = app("pages/board-pack.py", **({"judge": judge} if judge else {}))
        assert (BASELINE_JUDGED in " ".join(shown(c.value) for c in at.caption)) is said
        at.radio(key="pack_format").set_value("docx").run()
        (button,) = at.get("download_button")
        document = docx.Document(io.BytesIO(deferred.fetch(button)))
        words = " ".join(p.text for p in document.paragraphs)
        assert overdue in words and (BASELINE_JUDGED in words) is said
    details = [json.loads(r.detail) for r in _audit_rows(app.ids["url"])]
    assert [d.get("judged_against") for d in details] == [None, "baseline"]


def test_the_paper_buttons_on_overview_and_trends_follow_judge_baseline(app, deferred):
    """The row of papers on Overview and Trends is made from the view, so judge=baseline reaches it:
    the Actions (Excel) export lists 3 overdue at the meeting, not 2 (worked by hand in
    tests/data_access/papers/test_baseline_papers.py), and its title says which date was used."""
    from openpyxl import load_workbook

    from data_access.domain.wording import BASELINE_JUDGED
    from tests.fixtures import record_board_date_changes

    record_board_date_changes(make_engine(app.ids["url"]), app.ids)
    for page in ("pages/overview.py", "pages/trends.py"):
        for judge, expected in ((None, 2), ("baseline", 3)):
            params = {"judge": judge} if judge else {}
            if page == "pages/trends.py":
                params["section"] = "compare"  # the comparison's tab holds its papers (issue 27)
            at = app(page, **params)
            button = next(b for b in at.get("download_button") if b.proto.label == "Actions (Excel)")
            rows = list(load_workbook(io.BytesIO(deferred.fetch(button))).worksheets[0].iter_rows(values_only=True))
            column = next(r for r in rows if "Overdue" in r).index("Overdue")
            assert [r[column] for r in rows].count("Yes") == expected
            assert (BASELINE_JUDGED in rows[0][0]) is (judge == "baseline")
