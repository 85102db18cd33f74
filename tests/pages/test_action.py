"""Action history: full text, lead, measure, and a timeline showing the due date moving."""

from __future__ import annotations

from page_helpers import html_text, shown


def test_history_timeline(app):
    at = app("pages/action.py", action=str(app.ids["actions"]["1.1"]))
    assert shown(at.title[0].value) == "Action 1.1"
    page = html_text(at)
    assert "Head of MASH" in page and "Measure for 1.1" in page
    assert page.index("Q1 2024/25") < page.index("Q2 2024/25")
    assert "moved from 30 Jun 2024" in page
    assert "Audit booked" in page and "Audit under way" in page


def test_escaped_and_unknown_action(app):
    at = app("pages/action.py", action=str(app.ids["actions"]["10.2"]))
    page = html_text(at)
    assert "&lt;script&gt;" in page and "<script>" not in page
    at = app("pages/action.py", action="999999")
    assert at.title[0].value == "Action history"
    assert at.info


def test_evidence_files_are_downloads_named_as_data(app, monkeypatch):
    """Issue 25: a file kept with 1.2's sign-off is a download on its history; its name (markup in
    it) is shown as text, and the download gives the stored bytes."""
    from page_helpers import DeferredDownloads

    from data_access.domain import signoff_rules
    from data_access.storage import board_decisions
    from data_access.storage.database import make_engine
    from pages.ui.plain import md
    from tests.fixtures import BOARD_Q2

    pdf = b"%PDF-1.7\n%%EOF\n"
    board_decisions.sign_off(
        make_engine(app.ids["url"]), plan_name="Testshire ILACS 2024", review_as_at=BOARD_Q2, action_keys=["1.2"],
        actor="chair", source=signoff_rules.FROM_APP, evidence="Register", role="editor",
        files=[("**minutes** <img src=x onerror=alert(1)>.pdf", pdf)],
    )  # fmt: skip
    downloads = DeferredDownloads(monkeypatch)
    at = app("pages/action.py", action=str(app.ids["actions"]["1.2"]))
    (button,) = [b for b in at.get("download_button") if "Evidence file" in b.proto.label]
    name = "**minutes** <img src=x onerror=alert(1)>.pdf"
    assert button.proto.label == md(f"Evidence file: {name} (1 KB)")  # escaped: no bold, no image
    assert "\\*\\*minutes\\*\\*" in button.proto.label
    assert downloads.name(button) == name
    assert downloads.fetch(button) == pdf


def test_overdue_now_follows_judge_baseline(app):
    """Issue 25: the action history's "overdue now" judged as the sidebar says. 2.2 moved (approved)
    from 30 Sep to 31 Dec 2024: not overdue at the meeting (14 Oct) against its current approved date,
    overdue against its baseline (tests/data_access/reads/test_review_figures.py works it by hand)."""
    from data_access.storage.database import make_engine
    from tests.fixtures import record_board_date_changes

    record_board_date_changes(make_engine(app.ids["url"]), app.ids)
    action = str(app.ids["actions"]["2.2"])
    now = " ".join(shown(m.value) for m in app("pages/action.py", action=action).markdown)
    judged = " ".join(shown(m.value) for m in app("pages/action.py", action=action, judge="baseline").markdown)
    assert "Not overdue as at 14 October 2024, judged against its current approved due date, 31 December 2024." in now
    assert (
        "Overdue as at 14 October 2024, judged against its baseline (original) due date, 30 September 2024." in judged
    )
