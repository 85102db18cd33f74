"""Issue 28 items 1, 2, 3 and 7: no figure without a status column, summary sheets are not plans,
ranges in timescales, and the assumptions every import summary ends with. Hand-worked figures are
in council_layouts.py (RATED: 12 actions as at 30 June 2018, 5 complete, 6 overdue)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from data_access.importer import blockers, commit, preview, read_tracker
from data_access.storage.schema import Plan
from tests.data_access.importer import council_layouts as cl

JUNE = dt.date(2018, 6, 30)


def figures(engine, parsed):
    return [
        (r.as_at, r.recommendations, r.actions, r.status_counts, r.overdue) for r in preview(engine, parsed).reviews
    ]


@pytest.mark.parametrize("key", sorted(cl.RATED_KEYS))
def test_a_progress_rating_column_with_a_key_in_a_title_line_either_way_round(engine, key):
    parsed = read_tracker(cl.rated_xlsx(key), "rated.xlsx")
    (review,) = parsed.reviews
    assert review.column_map["Progress rating (BRAG)"] == "status"
    assert figures(engine, parsed) == [(JUNE, 4, 12, cl.RATED_COUNTS, cl.RATED_OVERDUE)]  # 6, not 11
    (line,) = [a for a in parsed.assumptions if a.startswith("The status codes were read from the key")]
    assert "sheet 'Plan', row 3" in line
    assert all(pair in line for pair in ("1 = red", "2 = amber", "3 = green", "4 = complete"))


@pytest.mark.parametrize(
    "heading",
    ["Progress rating", "BRAG rating", "Rating", "RAG status (this quarter)", "Current RAG", "Overall status"],
)
def test_less_usual_status_headings_are_recognised(engine, heading):
    parsed = read_tracker(cl.rated_xlsx("high-low", heading), "rated.xlsx")
    assert parsed.reviews[0].column_map[heading] == "status"
    assert figures(engine, parsed)[0][3:] == (cl.RATED_COUNTS, cl.RATED_OVERDUE)


def test_no_status_column_is_refused_naming_the_candidates_until_one_is_chosen(engine):
    data = cl.rated_xlsx("low-high", "Score")
    parsed = read_tracker(data, "rated.xlsx")
    pv = preview(engine, parsed)
    (reason,) = [b for b in blockers(pv) if "status" in b]
    assert "no column recognised as the status" in reason and "'Score'" in reason
    assert "Which column holds the status?" in reason
    cli = preview(engine, parsed, command_line=True)
    assert '--status-column "Score"' in " ".join(blockers(cli))
    with pytest.raises(Exception, match="status"):
        commit(engine, pv)

    chosen = read_tracker(data, "rated.xlsx", mapping={"Score": "status"})
    assert figures(engine, chosen) == [(JUNE, 4, 12, cl.RATED_COUNTS, cl.RATED_OVERDUE)]
    assert "Column 'Score' on sheet 'Plan' holds the status, as chosen for this plan." in chosen.assumptions
    pv = preview(engine, chosen)
    assert blockers(pv) == []
    done = commit(engine, pv)
    from data_access.importer import remembered_mapping

    assert remembered_mapping(engine, done.plan_names[0]) == {"score": "status"}


def test_a_summary_sheet_between_cover_and_tracker_is_skipped_never_a_plan(engine):
    parsed = read_tracker(cl.summary_between_xlsx(), "with-summary.xlsx")
    assert len(parsed.plans) == 1 and len(parsed.reviews) == 1
    assert parsed.plans[0].sheets == ("Plan",)
    skipped = {s.sheet: s.reason for s in parsed.skipped_sheets}
    assert skipped["Summary by recommendation"] == "it holds counts per recommendation (a summary), not actions"
    assert "Cover" in skipped
    assert (
        "Sheet 'Summary by recommendation' was skipped: it holds counts per recommendation (a summary), not actions."
        in parsed.assumptions
    )
    pv = preview(engine, parsed)
    assert [s.sheet for s in pv.skipped_sheets] == ["Cover", "Summary by recommendation"]
    commit(engine, pv)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Plan)).scalar_one() == 1
        assert conn.execute(select(Plan.name)).scalar_one() == "Testshire improvement plan"


def test_ranges_and_a_bare_quarter_are_listed_as_assumptions():
    parsed = read_tracker(cl.rated_xlsx(), "rated.xlsx")
    dues = {r.description: r.timescale for r in parsed.reviews[0].rows}
    assert dues["Train staff in analysis"].due == dt.date(2018, 2, 28)
    assert dues["Report to the board"].due == dt.date(2018, 3, 31)
    assert dues["Launch the academy"].due == dt.date(2019, 3, 31)  # Q4 of the review's year 2018/19
    assert dues["Launch the academy"].raw == "by end of Q4"
    assert (
        "4 timescales on sheet 'Plan' given as a range or pair (such as 'Jan/Feb 2018') were dated at the end of "
        "the range." in parsed.assumptions
    )
    assert any("'by end of Q4'" in a and "financial year 2018/19" in a for a in parsed.assumptions)


def test_ongoing_and_recurring_timescales_are_said_once_never_overdue(engine):
    """'Ongoing' stays undated (never overdue, by the rules) and the summary says so once per
    review, rather than a problem on every such row."""
    import io

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Plan"
    ws.append(["Ongoingshire plan"])
    ws.append(["Position as at 30 June 2018"])
    ws.append(["Rec No", "Recommendation", "Action ID", "Action", "Timescale", "RAG status"])
    ws.append(["1", "Audit", "1.1", "Monthly audit", "Ongoing", "Red"])
    ws.append(["1", "Audit", "1.2", "Quarterly report", "Quarterly", "Amber"])
    ws.append(["1", "Audit", "1.3", "Train staff", "31/05/2018", "Green"])
    out = io.BytesIO()
    wb.save(out)
    parsed = read_tracker(out.getvalue(), "ongoing.xlsx")
    (said,) = [a for a in parsed.assumptions if "ongoing or recurring" in a]
    assert said == (
        "2 actions on sheet 'Plan' with an ongoing or recurring timescale (such as 'Ongoing') have no due date "
        "and are never counted overdue."
    )
    (review,) = preview(engine, parsed).reviews
    assert review.overdue == 1  # 1.3 only
