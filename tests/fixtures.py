"""Test-data builders shared by the whole suite: small plans whose answers were worked out by
hand. Test modules import these (never each other).

## The board plan (`populate_board`): "Testshire ILACS 2024"

Two reviews (Q1 30/06/2024, Q2 30/09/2024) of three recommendations (1, 2, 10); tracker text
includes a script tag and a formula, which must stay inert. MEETING is the board meeting a
fortnight after the Q2 position date. Expected figures are worked out in tests/data_access/reads/test_board.py.

## The trends plan (`build_testshire`): "Testshire"

The plan "Testshire" (target 31 March 2018) has three current reviews, imported out of order
(Q1, then Q3, then Q2), and a first import of Q2 that the second replaced:

    action  rec lead                     Q1 (30 Jun 17)  Q2 (30 Sep 17)        Q3 (31 Dec 17)
    A1      A   Head of Service          green 31/12/17  green                 complete
    A2      A   Head of Service          amber 30/09/17  amber rev. 30/11/17   red rev. 30/11/17
    A3      A   Principal Social Worker  red 31/05/17    red                   red
    B1      B   Principal Social Worker  complete 30/6   complete              amber 30/06/17
    B2      B   Head of Service          red 31/07/17    amber 31/10/17        green 31/01/18
    B.3     B   (none; no ID, by text)   green ongoing   green                 amber
    C1      C   Director                 green 31/08/17  amber                 (dropped)
    C2      C   Director                                                       red 31/10/17 (added)
    C3      C   Director                 unknown TBC     unknown               complete
    D1      D   Director                 green ongoing   green                 green

The replaced Q2 import also had Z1 (recommendation Z) and moved B2's due date to 1/8/17.
"""

from __future__ import annotations

import datetime as dt

from data_access.domain.rules import AMBER, COMPLETE, GREEN, RED, UNKNOWN, parse_timescale
from data_access.domain.tracker_rows import PlanInfo, ReviewSnapshot, TrackerRow
from data_access.reads import review_figures
from data_access.storage import plan_writer
from data_access.storage.database import write_transaction
from data_access.storage.plan_writer import ensure_plan, save_review

# ---------------------------------------------------------------------------
# The board plan
# ---------------------------------------------------------------------------

BOARD_Q1, BOARD_Q2 = dt.date(2024, 6, 30), dt.date(2024, 9, 30)
MEETING = dt.date(2024, 10, 14)  # a board meeting a fortnight after the Q2 position date
SCRIPT = "<script>alert('x')</script> Staying close"
FORMULA = '=HYPERLINK("http://example.com","click")'
RECS = {"1": "Strengthen the front door", "2": "Improve supervision", "10": "Care leavers' accommodation"}


def _board_row(ref, action_id, description, lead, status, timescale, **extra) -> TrackerRow:
    return TrackerRow(
        ref,
        RECS[ref],
        description,
        action_id=action_id,
        lead=lead,
        status=status,
        status_raw=status,
        timescale=parse_timescale(timescale),
        measure=f"Measure for {action_id}",
        **extra,
    )


def populate_board(engine) -> dict:
    """Plan 'Testshire ILACS 2024': Q1 (30/06/2024) and Q2 (30/09/2024). Returns the ids."""
    q1 = [
        _board_row("1", "1.1", "Audit thresholds", "Head of MASH", GREEN, "30/06/2024", progress="Audit booked"),
        _board_row("1", "1.2", "Train partners", "Head of MASH", AMBER, "May 2024", progress="Two sessions left"),
        _board_row("2", "2.1", "Supervision policy", "Principal SW", COMPLETE, "31/03/2024"),
        _board_row("2", "2.2", "Supervision audit", "Principal SW", RED, "Ongoing", progress="No auditor"),
        _board_row("10", "10.1", "Lodgings", None, UNKNOWN, None),
    ]
    q2 = [
        _board_row("1", "1.1", "Audit thresholds", "Head of MASH", GREEN, "31/07/2024", progress="Audit under way"),
        _board_row("1", "1.2", "Train partners", "Head of MASH", COMPLETE, "May 2024", progress="All trained"),
        _board_row("2", "2.1", "Supervision policy", "Principal SW", COMPLETE, "31/03/2024"),
        _board_row(
            "2",
            "2.2",
            "Supervision audit",
            "Principal SW",
            AMBER,
            "Q2 2024/25",
            revised_due=dt.date(2024, 12, 31),
            progress="Auditor starts in November",
        ),
        _board_row("10", "10.1", "Lodgings", "Head of MASH", RED, "Aug 2024", progress="Provider withdrew"),
        _board_row("10", "10.2", SCRIPT, None, GREEN, "31/03/2025", progress=FORMULA),
    ]
    with write_transaction(engine) as conn:
        plan_id = plan_writer.ensure_plan(conn, PlanInfo(name="Testshire ILACS 2024", organisation="Testshire"))
        q1_id = plan_writer.save_review(
            conn, plan_id, ReviewSnapshot(BOARD_Q1, q1, label="Q1 2024/25"), source="q1.xlsx"
        )
        q2_id = plan_writer.save_review(
            conn, plan_id, ReviewSnapshot(BOARD_Q2, q2, label="Q2 2024/25"), source="q2.xlsx"
        )
    actions = review_figures.review_actions(engine, q2_id, MEETING).set_index("key")["action_id"].to_dict()
    return {"plan": plan_id, "q1": q1_id, "q2": q2_id, "actions": {k: int(v) for k, v in actions.items()}}


# ---------------------------------------------------------------------------
# The trends plan
# ---------------------------------------------------------------------------

TRENDS_Q1, TRENDS_Q2, TRENDS_Q3 = dt.date(2017, 6, 30), dt.date(2017, 9, 30), dt.date(2017, 12, 31)
PLAN = "Testshire"
HOS, PSW, DIR = "Head of Service", "Principal Social Worker", "Director"


def _trend_row(rec, action_id, status, due=None, *, revised=None, progress=None, lead=None, description=None):
    return TrackerRow(
        rec_ref=rec,
        rec_text=f"Recommendation {rec}",
        description=description or f"Action {action_id}",
        action_id=action_id,
        lead=lead,
        status=status,
        timescale=parse_timescale(due),
        revised_due=revised,
        progress=progress,
    )


B3_TEXT = "Audit a sample of case files each month"


def rows_testshire_q1():
    return [
        _trend_row("A", "A1", "green", "31/12/2017", lead=HOS, progress="Planning"),
        _trend_row("A", "A2", "amber", "30/09/2017", lead=HOS, progress="Started"),
        _trend_row("A", "A3", "red", "31/05/2017", lead=PSW, progress="Delayed"),
        _trend_row("B", "B1", "complete", "30/06/2017", lead=PSW, progress="Closed"),
        _trend_row("B", "B2", "red", "31/07/2017", lead=HOS, progress="Not started"),
        _trend_row("B", None, "green", "Ongoing", description=B3_TEXT),
        _trend_row("C", "C1", "green", "31/08/2017", lead=DIR, progress="Drafting"),
        _trend_row("C", "C3", "unknown", "TBC", lead=DIR, progress="Scoping"),
        _trend_row("D", "D1", "green", "Ongoing", lead=DIR, progress="Fine"),
    ]


def rows_testshire_q2():
    return [
        _trend_row("A", "A1", "green", "31/12/2017", lead=HOS, progress="On track"),
        _trend_row("A", "A2", "amber", "30/09/2017", revised=dt.date(2017, 11, 30), lead=HOS, progress="Waiting"),
        _trend_row("A", "A3", "red", "31/05/2017", lead=PSW, progress="Delayed"),
        _trend_row("B", "B1", "complete", "30/06/2017", lead=PSW, progress="Closed"),
        _trend_row("B", "B2", "amber", "31/10/2017", lead=HOS, progress="Progressing"),
        # The tracker's own text, re-typed with different case and punctuation: still the same action.
        _trend_row("B", None, "green", "Ongoing", description="Audit a sample of case files each month."),
        _trend_row("C", "C1", "amber", "31/08/2017", lead=DIR, progress="Redrafting"),
        _trend_row("C", "C3", "unknown", "TBC", lead=DIR, progress="Scoping"),
        _trend_row("D", "D1", "green", "Ongoing", lead=DIR, progress="Fine"),
    ]


def rows_testshire_q2_replaced():
    return [
        _trend_row("A", "A1", "red", "01/06/2017", lead=HOS, progress="Wrong file"),
        _trend_row("B", "B2", "red", "01/08/2017", lead=HOS, progress="Wrong file"),
        _trend_row("Z", "Z1", "red", "01/08/2017", lead=HOS, progress="Wrong file"),
    ]


def rows_testshire_q3():
    return [
        _trend_row("A", "A1", "complete", "31/12/2017", lead=HOS, progress="Done"),
        _trend_row("A", "A2", "red", "30/09/2017", revised=dt.date(2017, 11, 30), lead=HOS, progress="  waiting "),
        _trend_row("A", "A3", "red", "31/05/2017", lead=PSW, progress="Delayed"),
        _trend_row("B", "B1", "amber", "30/06/2017", lead=PSW, progress="Reopened after audit"),
        _trend_row("B", "B2", "green", "31/01/2018", lead=HOS, progress="Nearly there"),
        _trend_row("B", None, "amber", "Ongoing", description=B3_TEXT),
        _trend_row("C", "C2", "red", "31/10/2017", lead=DIR, progress="New"),
        _trend_row("C", "C3", "complete", "TBC", lead=DIR, progress="Complete"),
        _trend_row("D", "D1", "green", "Ongoing", lead=DIR, progress="fine"),
    ]


def build_testshire(engine, *, target_date=dt.date(2018, 3, 31), name=PLAN) -> dict:
    """Write the plan above; returns {'plan': id, 'Q1': id, 'Q2': id, 'Q3': id, 'Q2 replaced': id}."""
    ids = {}
    with write_transaction(engine) as conn:
        ids["plan"] = plan_id = ensure_plan(conn, PlanInfo(name, target_date=target_date))
        ids["Q1"] = save_review(conn, plan_id, ReviewSnapshot(TRENDS_Q1, rows_testshire_q1()), source="q1.xlsx")
        ids["Q3"] = save_review(conn, plan_id, ReviewSnapshot(TRENDS_Q3, rows_testshire_q3()), source="q3.xlsx")
        ids["Q2 replaced"] = save_review(
            conn, plan_id, ReviewSnapshot(TRENDS_Q2, rows_testshire_q2_replaced()), source="q2-draft.xlsx"
        )
        ids["Q2"] = save_review(
            conn,
            plan_id,
            ReviewSnapshot(TRENDS_Q2, rows_testshire_q2()),
            source="q2.xlsx",
            replaces_review_id=ids["Q2 replaced"],
        )
    return ids


# ---------------------------------------------------------------------------
# A joint inspection plan (partner agencies)
# ---------------------------------------------------------------------------

JOINT_Q1, JOINT_Q2 = dt.date(2024, 6, 30), dt.date(2024, 9, 30)
POLICE, HEALTH, COUNCIL = "Testshire Police", "Testshire ICB", "Testshire Council"


def populate_joint(engine) -> dict:
    """Plan 'Testshire JTAI 2024': two reviews, two recommendations, an agency on every action.

    action  rec  partner  Q1 (30/06/24)        Q2 (30/09/24)
    1.1     a    Police   amber 31/07/2024     red 31/07/2024 (overdue at 14/10)
    1.2     a    Health   green 31/12/2024     green
    2.1     b    Council  red 31/05/2024       complete
    2.2     b    Police   green Ongoing        amber Ongoing
    """

    def rows(statuses: dict[str, str]) -> list[TrackerRow]:
        specs = [
            ("a", "1.1", "Share police notifications daily", "DI Safeguarding", POLICE, "31/07/2024"),
            ("a", "1.2", "Health visitor attends strategy meetings", "Designated Nurse", HEALTH, "31/12/2024"),
            ("b", "2.1", "Audit neglect assessments", "Head of Service", COUNCIL, "31/05/2024"),
            ("b", "2.2", "Joint training on neglect", "DCI Public Protection", POLICE, "Ongoing"),
        ]
        return [
            TrackerRow(
                rec,
                f"Recommendation {rec}",
                text,
                action_id=key,
                lead=lead,
                partner=partner,
                status=statuses[key],
                timescale=parse_timescale(when),
            )  # fmt: skip
            for rec, key, text, lead, partner, when in specs
        ]

    with write_transaction(engine) as conn:
        plan_id = plan_writer.ensure_plan(conn, PlanInfo(name="Testshire JTAI 2024", inspection_type="JTAI"))
        q1 = {"1.1": AMBER, "1.2": GREEN, "2.1": RED, "2.2": GREEN}
        q2 = {"1.1": RED, "1.2": GREEN, "2.1": COMPLETE, "2.2": AMBER}
        q1_id = plan_writer.save_review(
            conn, plan_id, ReviewSnapshot(JOINT_Q1, rows(q1), label="Q1 2024/25"), source="1.xlsx"
        )
        q2_id = plan_writer.save_review(
            conn, plan_id, ReviewSnapshot(JOINT_Q2, rows(q2), label="Q2 2024/25"), source="2.xlsx"
        )
    return {"plan": plan_id, "q1": q1_id, "q2": q2_id}


# ---------------------------------------------------------------------------
# A hostile tracker: every text field holds markup that must show as text
# ---------------------------------------------------------------------------


def hostile_payloads(host: str) -> dict[str, str]:
    """Markup a tracker might hold, by kind: an image that would fetch from `host` (e.g.
    'http://127.0.0.1:PORT'), a phishing link, a Streamlit colour directive, HTML tags, a bare URL
    and a Material icon. Each carries a marker word, so a test can find it rendered."""
    return {
        "image": f"![BEACONIMG]({host}/beacon-image)",
        "link": f"[SIGNIN again]({host}/signin)",
        "colour": ":red[FORGED] :blue-background[FORGEDBG]",
        "anchor": f'<a href="{host}/anchor">ANCHORLINK</a>',
        "bold": "<b>BOLDTAG</b> **BOLDMD**",
        "bare": f"see {host}/bare-url and www.example.com and someone@example.com",
        "icon": ":material/warning: ICONWORD",
        "image_html": f'<img src="{host}/img-tag">IMGTAG',
    }


def populate_hostile(engine, host: str) -> dict:
    """Plan named with markup, two reviews labelled with markup, recommendation refs, texts, action
    IDs, descriptions, leads, partners and progress notes all holding the hostile_payloads, with
    statuses that put actions on every list and slide (red, overdue, green-but-overdue, moved)."""
    p = hostile_payloads(host)
    name = f"Hostile {p['image']} {p['colour']} {p['bold']}"
    recs = [
        (f"{p['bold']}1", f"{p['link']} {p['anchor']}"),
        (":red[R2]", f"{p['colour']} {p['image_html']} {p['bare']}"),
    ]

    def rows(first: bool) -> list[TrackerRow]:
        out = []
        for i, (ref, text) in enumerate(recs):
            for j, kind in enumerate(p):
                status = [RED, GREEN, AMBER, COMPLETE][(i + j + (0 if first else 1)) % 4]
                out.append(
                    TrackerRow(
                        ref,
                        text,
                        f"{p[kind]} action {j}",
                        action_id=f"{p['colour'] if j % 2 else p['link']} {i}.{j}",
                        lead=f"{p['anchor'] if j % 2 else p['icon']} lead",
                        partner=p["image"] if j % 3 == 0 else None,
                        status=status,
                        timescale=parse_timescale("31/01/2018" if first else "March 2018"),
                        revised_due=None if first else dt.date(2018, 6, 30) if j % 2 else None,
                        progress=f"{p['bare']} {p['image']}",
                    )
                )
        return out

    with write_transaction(engine) as conn:
        plan_id = plan_writer.ensure_plan(conn, PlanInfo(name=name))
        first = plan_writer.save_review(
            conn,
            plan_id,
            ReviewSnapshot(dt.date(2017, 12, 31), rows(True), label=f"Q3 {p['colour']}"),
            source=f"{p['anchor']}.xlsx",
        )
        second = plan_writer.save_review(
            conn, plan_id, ReviewSnapshot(dt.date(2018, 3, 31), rows(False), label=f"Q4 {p['link']}"), source="q4.xlsx"
        )
    return {"plan": plan_id, "first": first, "second": second, "name": name}


def record_board_date_changes(engine, ids: dict) -> None:
    """Two due date changes on the board plan (issue 25), by hand: 1.1 moved from 30 Jun to 31 Jul
    2024 between the reviews with nobody approving it (so at MEETING it is overdue, flagged "moved
    without approval"); 2.2 moved from 30 Sep to 31 Dec 2024, approved by the board."""
    from data_access.domain import signoff_rules
    from data_access.storage import board_decisions

    with write_transaction(engine) as conn:
        board_decisions.record_date_change(
            conn, action_id=ids["actions"]["1.1"], review_id=ids["q2"], from_date=dt.date(2024, 6, 30),
            to_date=dt.date(2024, 7, 31), state=signoff_rules.NOT_APPROVED, source=signoff_rules.BETWEEN_REVIEWS,
            recorded_by="analyst",
        )  # fmt: skip
        board_decisions.record_date_change(
            conn, action_id=ids["actions"]["2.2"], review_id=ids["q2"], from_date=dt.date(2024, 9, 30),
            to_date=dt.date(2024, 12, 31), state=signoff_rules.APPROVED, source=signoff_rules.FROM_TRACKER,
            recorded_by="analyst", reason="Auditor starts in November", approved_by="Board",
        )  # fmt: skip
