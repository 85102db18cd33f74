"""The For sign-off page (issue 25): an editor signs off and decides date changes, a viewer sees
them and cannot act. The board plan's Q2 review has two complete actions (1.2, 2.1), neither
signed off (tests/fixtures.py populate_board)."""

from __future__ import annotations

import datetime as dt

import pytest

from data_access.domain import signoff_rules
from data_access.reads import signoff_figures
from data_access.storage import audit_trail, board_decisions
from data_access.storage.database import make_engine, write_transaction
from tests.pages.page_helpers import SECRETS, VERIFIED, shown

VIEWER = {**VERIFIED, "sub": "vera", "email": "vera@council.example", "roles": ["viewer"]}
EDITOR = {**VERIFIED, "sub": "ed", "email": "ed@council.example", "roles": ["editor"]}
PAGE = "pages/sign_off.py"
Q4_DATE = dt.date(2018, 3, 31)


@pytest.fixture
def with_change(app):
    """The board plan with one due date change not approved: 2.2 from 30 Sep to 31 Dec 2024."""
    engine = make_engine(app.ids["url"])
    with write_transaction(engine) as conn:
        board_decisions.record_date_change(
            conn, action_id=app.ids["actions"]["2.2"], from_date=dt.date(2024, 9, 30), to_date=dt.date(2024, 12, 31),
            state=signoff_rules.NOT_APPROVED, source=signoff_rules.BETWEEN_REVIEWS, recorded_by="analyst",
            reason="Auditor starts in November",
        )  # fmt: skip
    return engine


def _text(at) -> str:
    return "\n".join(
        shown(str(e.value)) for kind in ("markdown", "caption", "header", "subheader") for e in at.get(kind)
    )


def test_an_editor_signs_off_with_evidence(app, with_change):
    at = app(PAGE, user=EDITOR, secrets=SECRETS)
    assert "1.2: Train partners" in _text(at) and "2.1: Supervision policy" in _text(at)
    (chosen,) = [m for m in at.multiselect if m.label == "Actions to sign off"]
    chosen.set_value(["1.2"])
    next(t for t in at.text_area if t.label == "Evidence the board saw").input("Training register, all 40 staff")
    next(b for b in at.button if b.label == "Sign off").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Signed off: 1.2." in shown(at.success[0].value)
    assert signoff_figures.signoff_counts(with_change, app.ids["q2"]) == {"signed_off": 1, "awaiting": 1}
    (row,) = audit_trail.trail(with_change, actions=[audit_trail.SIGN_OFF]).itertuples()
    assert row.actor == "ed@council.example" and "1.2 signed off" in row.summary


def test_an_editor_refuses_a_date_change(app, with_change):
    at = app(PAGE, user=EDITOR, secrets=SECRETS)
    assert "2.2: due 30 September 2024 → 31 December 2024" in _text(at)
    next(r for r in at.radio if r.label == "Decision").set_value("Refuse")
    next(b for b in at.button if b.label == "Record decision").click().run()
    assert not at.exception
    (change,) = signoff_figures.date_changes(with_change, app.ids["plan"])
    assert change.state == signoff_rules.REFUSED


def test_a_viewer_sees_but_cannot_act(app, with_change):
    at = app(PAGE, user=VIEWER, secrets=SECRETS)
    assert not at.exception
    assert "1.2: Train partners" in _text(at) and "not approved" in _text(at)
    assert "Only editors and admins can sign off actions" in _text(at)
    assert {b.label for b in at.button} & {"Sign off", "Send back", "Record decision"} == set()
    with pytest.raises(board_decisions.DecisionRefused, match="Only editors and admins"):
        board_decisions.sign_off(
            with_change, plan_name="Testshire ILACS 2024", review_as_at=dt.date(2024, 9, 30), action_keys=["1.2"],
            evidence="x", actor="vera@council.example", source=signoff_rules.FROM_APP, role="viewer",
        )  # fmt: skip


def test_the_overview_shows_the_decision_figures(app, with_change):
    # Q2: 1.2 and 2.1 complete, not signed off -> 2 awaiting; Q1: 2.1 complete -> 1 (change +1).
    # One change not approved, recorded without a review -> 1 now and at Q1 (no change).
    at = app("pages/overview.py")
    metrics = {m.label: (m.value, m.proto.delta) for m in at.metric}
    assert metrics["Awaiting sign-off"] == ("2", "+1")
    assert metrics["Dates moved without approval"] == ("1", "no change")


def test_the_action_history_shows_the_decisions(app, with_change):
    board_decisions.sign_off(
        with_change, plan_name="Testshire ILACS 2024", review_as_at=dt.date(2024, 9, 30), action_keys=["1.2"],
        evidence="Training register", actor="ed@council.example", source=signoff_rules.FROM_APP,
    )  # fmt: skip
    at = app("pages/action.py", action=str(app.ids["actions"]["1.2"]))
    assert (
        "Signed off (meeting of 30 Sep 2024), recorded by ed@council.example (in the app); evidence: Training register"
        in (_text(at))
    )
    at = app("pages/action.py", action=str(app.ids["actions"]["2.2"]))
    assert "Due date 30 Sep 2024 → 31 Dec 2024: not approved, recorded by analyst (moved between reviews)" in _text(at)


def test_the_upload_preview_counts_signoff_and_date_changes(app):
    from tests.data_access.storage.test_board_decisions import DATES_Q4

    at = app("pages/upload.py")
    at.selectbox[0].select("(a new plan)").run()
    at.text_input[0].input("Dates plan").run()
    at.get("file_uploader")[0].upload("dates-2018-03-31.csv", DATES_Q4.encode("utf-8")).run()
    review_date = next(d for d in at.date_input if "date" in d.label.lower())  # the CSV has no date: give it
    review_date.set_value(Q4_DATE).run()
    assert not at.exception
    captions = [shown(c.value) for c in at.caption]
    assert (
        "Sign-off: 0 signed off, 0 complete and awaiting sign-off. Due date changes: 2 approved, 1 not approved."
        in (captions)
    ), captions


def test_presentation_mode_has_the_decision_slides(app):
    """Issue 25: the deck gains "For sign-off" (1.2 and 2.1 complete, not signed off) and "Date
    changes for approval" (1.1 moved later unapproved; 2.2's move was approved) on this page."""
    from tests.fixtures import record_board_date_changes

    record_board_date_changes(make_engine(app.ids["url"]), app.ids)
    at = app(PAGE, present="1")
    assert [t.value for t in at.title] == ["For sign-off"]
    assert "Slide" in _text(at) and "For sign-off" in _text(at)
    page = "\n".join(h.proto.body for h in at.get("html"))
    assert "<caption>2 actions awaiting sign-off</caption>" in page
    assert ">1.2<" in page and ">2.1<" in page and "Evidence (from the tracker)" in page
    at = app(PAGE, present="1", part="2")
    assert [t.value for t in at.title] == ["Date changes for approval"]
    page = "\n".join(h.proto.body for h in at.get("html"))
    assert "<caption>1 date change for approval</caption>" in page
    assert ">1.1<" in page and "30 Jun 2024" in page and "31 Jul 2024" in page and ">2.2<" not in page


def test_the_sign_off_page_offers_the_evidence_files(app, with_change, deferred):
    """The evidence files kept with a sign-off download from For sign-off too, each named as data
    (a name that looks like Markdown or HTML is shown as typed); only that action's files, by action."""
    pdf = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
    name = "**minutes** <img src=x onerror=alert(1)>.pdf"
    board_decisions.sign_off(
        with_change, plan_name="Testshire ILACS 2024", review_as_at=dt.date(2024, 9, 30), action_keys=["1.2"],
        evidence="Training register", actor="ed@council.example", source=signoff_rules.FROM_APP,
        files=[(name, pdf)],
    )  # fmt: skip
    for user in (VIEWER, EDITOR):
        at = app(PAGE, user=user, secrets=SECRETS)
        assert not at.exception
        (button,) = [b for b in at.get("download_button") if "Evidence file" in b.proto.label]
        assert shown(button.proto.label) == f"Evidence file: {name} (1 KB)"
        assert deferred.fetch(button) == pdf
