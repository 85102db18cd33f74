"""Sign-off and due date changes (issue 25), end to end through the importer, on SQLite and
PostgreSQL (any_engine). Every expected count is worked out by hand from the trackers below."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.exc import DBAPIError

from data_access.domain import signoff_rules
from data_access.importer import commit, preview, read_tracker
from data_access.reads import signoff_figures
from data_access.storage import board_decisions
from data_access.storage.schema import AuditEvent, Plan, SignOffEvent

Q4 = dt.date(2018, 3, 31)
Q1 = dt.date(2018, 6, 30)

# Sign-off layout. Complete: 1.1 (status says signed off), 1.2 (awaiting evidence), 1.3 (Signed off
# = Y), 2.2 ("Closed", but the sign-off column says N). Signed off: 1.1, 1.3 -> 2; awaiting: 1.2,
# 2.2 -> 2. Overdue at 31 March 2018: 2.1 (due 31 Jan, green) and 2.3 (30 Nov 2017, red) -> 2.
SIGNOFF_Q4 = """Rec ref,Recommendation,Action ID,Action,Lead,Timescale,RAG status,Evidence,Signed off
1,Improve supervision,1.1,Audit supervision,Head of service,31/01/2018,Complete (signed off),Audit report Jan 2018,
1,Improve supervision,1.2,Train managers,Head of service,28/02/2018,Complete – awaiting evidence,,
1,Improve supervision,1.3,Revise policy,Head of service,31/12/2017,Complete,Policy v2 on intranet,Y
2,Reduce drift,2.1,Tracker of plans,Service manager,31/01/2018,Green,,
2,Reduce drift,2.2,Panel reviews,Service manager,31/12/2018,Closed,,N
2,Reduce drift,2.3,Case audits,Service manager,30/11/2017,Red,,
"""

# The next review. 1.1 is still complete but the column now says N: it stays signed off (a tracker
# never un-signs silently). 1.3 is amber: re-opened after sign-off (an "undone" event). 2.1 moved
# from 31 Jan to 30 Sep 2018 with no approval: one change not approved. Signed off: 1.1 -> 1;
# awaiting: 1.2, 2.2 -> 2.
SIGNOFF_Q1 = """Rec ref,Recommendation,Action ID,Action,Lead,Timescale,RAG status,Evidence,Signed off
1,Improve supervision,1.1,Audit supervision,Head of service,31/01/2018,Complete,Audit report Jan 2018,N
1,Improve supervision,1.2,Train managers,Head of service,28/02/2018,Complete,,
1,Improve supervision,1.3,Revise policy,Head of service,31/12/2017,Amber,,
2,Reduce drift,2.1,Tracker of plans,Service manager,30/09/2018,Green,,
2,Reduce drift,2.2,Panel reviews,Service manager,31/12/2018,Closed,,N
2,Reduce drift,2.3,Case audits,Service manager,30/11/2017,Red,,
"""

# Baseline and revised dates. Due dates as at 31 March 2018: 31/12/2017 (no revision: the original
# is the due date), 30/06/2018 (approved), 30/04/2018 (a reason, nobody agreed it: not approved),
# 31/03/2018 (approved), 30/06/2018. Overdue: the first only -> 1. Against the baseline: 31/12/2017,
# 31/12/2017, 31/01/2018, 28/02/2018 -> 4. Changes: approved 2, not approved 1.
DATES_Q4 = """Rec ref,Recommendation,Action,Original timescale,Revised timescale,Reason for change,Agreed by,RAG
1,Improve supervision,Audit supervision,31/12/2017,,,,Green
1,Improve supervision,Train managers,31/12/2017,30/06/2018,Trainer left,Improvement board 15/01/2018,Amber
1,Improve supervision,Revise policy,31/01/2018,30/04/2018,Consultation extended,,Amber
2,Reduce drift,Panel reviews,28/02/2018,31/03/2018,,Director of children's services,Green
2,Reduce drift,Case audits,30/06/2018,,,,Red
"""


def _import(engine, csv: str, as_at: dt.date, name: str = "tracker.csv", **choices):
    parsed = read_tracker(csv.encode("utf-8"), name, as_at=as_at)
    pv = preview(engine, parsed, plan_name="Testshire", command_line=True)
    done = commit(engine, pv, imported_by="analyst@testshire.gov.uk", **choices)
    return pv, done.review_ids


def _plan_id(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(Plan.id).where(Plan.name == "Testshire")).scalar_one()


def test_tracker_signoff_columns_and_statuses(any_engine):
    pv, (review_id,) = _import(any_engine, SIGNOFF_Q4, Q4)
    assert pv.reviews[0].overdue == 2
    assert pv.reviews[0].status_counts["complete"] == 4
    assert signoff_figures.signoff_counts(any_engine, review_id) == {"signed_off": 2, "awaiting": 2}
    by_key = {a.key: a for a in signoff_figures.complete_actions(any_engine, review_id)}
    assert by_key["1.1"].completion == signoff_rules.SIGNED
    assert by_key["2.2"].completion == signoff_rules.AWAITING
    assert by_key["1.2"].status_raw == "Complete – awaiting evidence"  # the raw text is kept
    assert by_key["1.3"].evidence == "Policy v2 on intranet"


def test_a_later_tracker_never_unsigns_silently_and_reopening_is_an_event(any_engine):
    _import(any_engine, SIGNOFF_Q4, Q4, "q4.csv")
    _, (second,) = _import(any_engine, SIGNOFF_Q1, Q1, "q1.csv")
    assert signoff_figures.signoff_counts(any_engine, second) == {"signed_off": 1, "awaiting": 2}
    with any_engine.connect() as conn:
        kinds = [r.kind for r in conn.execute(select(SignOffEvent.kind).order_by(SignOffEvent.id))]
    assert kinds == ["signed_off", "signed_off", "undone"]  # 1.1, 1.3 signed; 1.3 re-opened
    changes = signoff_figures.date_changes(any_engine, _plan_id(any_engine))
    assert [(c.action_key, c.from_date, c.to_date, c.state, c.source) for c in changes] == [
        ("2.1", dt.date(2018, 1, 31), dt.date(2018, 9, 30), "not_approved", "between_reviews")
    ]


def test_reupload_of_the_same_review_keeps_the_signoff(any_engine):
    _, (first,) = _import(any_engine, SIGNOFF_Q4, Q4, "q4.csv")
    corrected = SIGNOFF_Q4.replace("Complete (signed off)", "Complete").replace(",Y\n", ",\n")
    _, (second,) = _import(any_engine, corrected, Q4, "q4-corrected.csv", replace=True)
    assert second != first
    assert signoff_figures.signoff_counts(any_engine, second) == {"signed_off": 2, "awaiting": 2}


def test_original_and_revised_timescales(any_engine):
    pv, _ = _import(any_engine, DATES_Q4, Q4)
    review = pv.reviews[0]
    assert [r.timescale.due for r in review.rows][0] == dt.date(2017, 12, 31)  # the unrevised row has its date
    assert review.overdue == 1
    counts = signoff_figures.change_counts(any_engine, _plan_id(any_engine))
    assert counts == {"approved": 2, "not_approved": 1, "refused": 0}


def test_editor_signoff_refusal_and_date_decision(any_engine):
    _, (review_id,) = _import(any_engine, SIGNOFF_Q4, Q4)
    with pytest.raises(board_decisions.DecisionRefused, match="2.1 is not complete in the review of 31 March 2018"):
        board_decisions.sign_off(
            any_engine, plan_name="Testshire", review_as_at=Q4, action_keys=["1.2", "2.1"], evidence="Minutes",
            actor="chair@testshire.gov.uk", source=signoff_rules.FROM_APP,
        )  # fmt: skip
    assert signoff_figures.signoff_counts(any_engine, review_id) == {"signed_off": 2, "awaiting": 2}  # all or none
    board_decisions.sign_off(
        any_engine, plan_name="Testshire", review_as_at=Q4, action_keys=["1.2", "2.2"], evidence="Training log",
        actor="chair@testshire.gov.uk", source=signoff_rules.FROM_APP, meeting_date=dt.date(2018, 4, 12),
    )  # fmt: skip
    assert signoff_figures.signoff_counts(any_engine, review_id) == {"signed_off": 4, "awaiting": 0}
    board_decisions.sign_off(
        any_engine, plan_name="Testshire", review_as_at=Q4, action_keys=["2.2"], kind=signoff_rules.SENT_BACK,
        note="No evidence of impact yet", actor="chair@testshire.gov.uk", source=signoff_rules.FROM_APP,
    )  # fmt: skip
    assert signoff_figures.signoff_counts(any_engine, review_id) == {"signed_off": 3, "awaiting": 1}
    with any_engine.connect() as conn:
        audit = [r.action for r in conn.execute(select(AuditEvent.action).order_by(AuditEvent.id))]
    assert audit.count("sign-off") == 2


def test_refusing_a_change_is_a_new_row_and_rows_cannot_be_edited(any_engine):
    _import(any_engine, DATES_Q4, Q4)
    plan_id = _plan_id(any_engine)
    pending = next(c for c in signoff_figures.date_changes(any_engine, plan_id) if c.state == "not_approved")
    board_decisions.decide_date_change(any_engine, change_id=pending.change_id, state="refused", actor="chair")
    after = signoff_figures.change_counts(any_engine, plan_id)
    assert after == {"approved": 2, "not_approved": 0, "refused": 1}
    with any_engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM due_date_change")).scalar_one() == 4  # 3 + the decision
    with pytest.raises(DBAPIError), any_engine.begin() as conn:
        conn.execute(update(SignOffEvent).values(note="edited"))
        conn.execute(text("UPDATE due_date_change SET state = 'approved'"))


def test_a_refused_change_is_judged_against_its_previous_date_in_the_stored_figures(any_engine):
    from data_access.reads import review_figures

    _, (review_id,) = _import(any_engine, DATES_Q4, Q4)
    # 'Train managers' (31/12/2017 -> 30/06/2018, approved) is not overdue at 31 March 2018: 1 overdue.
    assert review_figures.review_kpis(any_engine, review_id, Q4).overdue == 1
    plan_id = _plan_id(any_engine)
    approved = next(c for c in signoff_figures.date_changes(any_engine, plan_id) if c.to_date == dt.date(2018, 6, 30))
    board_decisions.decide_date_change(any_engine, change_id=approved.change_id, state="refused", actor="chair")
    # Refused: judged against 31/12/2017 -> overdue too.
    assert review_figures.review_kpis(any_engine, review_id, Q4).overdue == 2
    actions = review_figures.review_actions(any_engine, review_id, Q4)
    assert int(actions["overdue"].sum()) == 2


def test_the_cabinet_report_states_the_boards_decisions(engine):
    import io

    import docx

    from data_access.papers.paper_service import PaperRequest, make_paper

    _, (review_id,) = _import(engine, DATES_Q4, Q4)
    summary = signoff_figures.decision_summary(engine, _plan_id(engine), review_id)
    assert summary == signoff_figures.DecisionSummary(signed_off=0, awaiting=0, approved=2, not_approved=1)
    assert signoff_rules.decisions_sentence(1, 2, 1) == "1 action signed off, 2 moved with approval, 1 without."
    data = make_paper(engine, PaperRequest("docx", _plan_id(engine), as_of=Q4)).data
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    assert "Decisions: 0 actions signed off, 2 moved with approval, 1 without." in text


def test_migration_0008_goes_down_and_up_and_matches_the_models(any_engine):
    from alembic import command
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from data_access.storage.database import alembic_config, table_names
    from data_access.storage.schema import Base

    with any_engine.connect().execution_options(write=True) as conn:
        command.downgrade(alembic_config(conn), "0007")
        conn.commit()
    assert not {"signoff_event", "due_date_change"} & set(table_names(any_engine))
    with any_engine.connect().execution_options(write=True) as conn:
        command.upgrade(alembic_config(conn), "head")
        conn.commit()
    with any_engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    _import(any_engine, SIGNOFF_Q4, Q4)  # and the upgraded schema takes decisions again
    with any_engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM signoff_event")).scalar_one() == 2
