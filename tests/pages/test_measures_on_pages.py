"""Measures of success where the board looks: each recommendation card (latest value, target, Met /
Not met / No data in words, change since the previous period, and "Actions complete; 1 of 2
measures at target"), and the overview's "Measures at target" figure with its change."""

from __future__ import annotations

import datetime as dt
import re

from page_helpers import html_text

from data_access.domain.rules import COMPLETE, RED, parse_timescale
from data_access.domain.tracker_rows import PlanInfo, ReviewSnapshot, TrackerRow
from data_access.importer.committing.measure_writing import write_measures
from data_access.importer.parsed import MeasurePoint, ParsedMeasure
from data_access.storage import plan_writer
from data_access.storage.database import write_transaction

Q1, Q2 = dt.date(2024, 6, 30), dt.date(2024, 9, 30)


def _row(ref, action_id, status) -> TrackerRow:
    text = {"1": "Strengthen the front door", "2": "Improve supervision"}[ref]
    return TrackerRow(ref, text, f"Action {action_id}", action_id=action_id, status=status, status_raw=status,
                      timescale=parse_timescale("31/03/2025"))  # fmt: skip


def _build(engine) -> dict:
    rows = [_row("1", "1.1", COMPLETE), _row("1", "1.2", COMPLETE), _row("2", "2.1", RED)]
    p = MeasurePoint
    found = [
        ParsedMeasure("Re-referrals", "%", "lower", ["1"], [p(Q1, 22.0, 20.0), p(Q2, 21.0, 20.0)]),
        ParsedMeasure("Visits in time", "%", "higher", ["1"], [p(Q1, 70.0, 80.0), p(Q2, 85.0, 80.0)]),
        ParsedMeasure("Caseload per worker", "", "lower", ["2"], [p(Q2, 17.0, 18.0)]),
    ]
    with write_transaction(engine) as conn:
        plan_id = plan_writer.ensure_plan(conn, PlanInfo(name="Measured plan"))
        q1 = plan_writer.save_review(conn, plan_id, ReviewSnapshot(Q1, rows, label="Q1 2024/25"), source="q1.xlsx")
        q2 = plan_writer.save_review(conn, plan_id, ReviewSnapshot(Q2, rows, label="Q2 2024/25"), source="q2.xlsx")
        write_measures(conn, plan_id, found, source="measures.csv", sha256=None, imported_by="test")
    return {"plan": plan_id, "q1": q1, "q2": q2}


def _tracker_with_measures() -> bytes:
    """A tracker with a 'Measures of success' sheet whose second measure does not say which way is
    better (row 3)."""
    import io

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Action plan"
    ws.append(["Position as at 30 June 2017"])
    ws.append(["Recommendation", "Action", "Lead", "Timescale", "RAG"])
    ws.append(["1. Improve visits", "1.1 Audit visits", "Head of service", "Jun-17", "Complete"])
    m = wb.create_sheet("Measures of success")
    m.append(["Indicator", "Recommendation", "Good is", "Target", "Apr-17", "May-17", "Jun-17"])
    m.append(["Visits in time", "1", "High", "80%", "78%", "82%", "n/a"])
    m.append(["Re-referrals", "1", "?", "20%", "22%", "21%", "19%"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _open(app_database, page: str, review: str | None = None, **params):
    from streamlit.testing.v1 import AppTest

    from tests.pages.conftest import APP
    from tests.pages.page_helpers import open_page

    ids = app_database(_build)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["plan"] = str(ids["plan"])
    if review:
        at.query_params["review"] = str(ids[review])
    at.query_params["as_of"] = "2024-10-14"
    for key, value in params.items():
        at.query_params[key] = value
    open_page(at, page)
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_recommendation_cards_show_measures_in_words(app_database):
    page = html_text(_open(app_database, "pages/recommendations.py"))
    first = page.split("Recommendation 1 ", 1)[1].split("Recommendation 2 ", 1)[0]
    assert "<strong>Measures of success</strong>: 1 of 2 measures at target" in first
    assert "<strong>Actions complete; 1 of 2 measures at target</strong>" in first
    assert (
        "<strong>Re-referrals</strong>: 21% (30 September 2024), target 20%: <strong>Not met</strong>; "
        "down 1 percentage point since 30 June 2024" in first
    )
    assert (
        "<strong>Visits in time</strong>: 85% (30 September 2024), target 80%: <strong>Met</strong>; "
        "up 15 percentage points since 30 June 2024" in first
    )
    second = page.split("Recommendation 2 ", 1)[1]
    assert "<strong>Caseload per worker</strong>: 17 (30 September 2024), target 18: <strong>Met</strong>" in second
    assert "Actions complete" not in second  # its action is red


def test_an_earlier_review_shows_the_measures_as_they_stood(app_database):
    ids_page = _open(app_database, "pages/recommendations.py", review="q1")
    page = html_text(ids_page)
    assert "<strong>Re-referrals</strong>: 22% (30 June 2024), target 20%: <strong>Not met</strong>" in page
    assert "<strong>Caseload per worker</strong>: no value, target none: <strong>No data</strong>" in page


def test_overview_shows_measures_at_target_with_the_change(app_database):
    at = _open(app_database, "pages/overview.py")
    shown = [m.value for m in at.markdown]
    assert "**Measures at target: 2 of 3** (+2 since the previous review)" in shown


def test_upload_preview_asks_which_way_is_better_and_imports_with_the_answer(app):
    """Row 3's 'Good is' cell says '?': the preview asks (no answer chosen for the user), Import waits
    for the answer, and the answer is used and remembered as the plan's setting."""
    from data_access.reads import catalogue, measures
    from data_access.storage.database import make_engine
    from data_access.storage.measure_directions import plan_directions
    from tests.pages.page_helpers import shown

    at = app("pages/upload.py")
    at.selectbox[0].select("(a new plan)").run()
    at.text_input[0].input("Measured upload").run()
    data = _tracker_with_measures()
    at.get("file_uploader")[0].upload("q1.xlsx", data).run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Measures of success" in [s.value for s in at.subheader]
    question = next(r for r in at.radio if "Which way is better for" in shown(r.label))
    assert shown(question.label) == "Which way is better for 'Re-referrals'? (sheet 'Measures of success', row 3)"
    assert question.value is None  # never guessed
    assert "**1 to import**" in [m.value for m in at.markdown]
    frames = [d.value for d in at.dataframe]
    assert not any("Problem" in f.columns and f["Problem"].str.contains("which way").any() for f in frames)
    import_button = next(b for b in at.button if shown(b.label) == "Import")
    assert import_button.disabled
    assert any("does not say which way is better for 'Re-referrals'" in shown(e.value) for e in at.error)

    question.set_value("lower").run()
    assert "**2 to import**" in [m.value for m in at.markdown]
    listed = next(d.value for d in at.dataframe if "Measure" in d.value.columns)
    assert list(listed["Measure"]) == ["Visits in time", "Re-referrals"] and list(listed["Better"]) == [
        "higher",
        "lower",
    ]
    next(b for b in at.button if shown(b.label) == "Import").click().run()
    assert not at.exception, [e.value for e in at.exception]
    engine = make_engine(app.ids["url"])
    plan_id = int(catalogue.list_plans(engine).set_index("name").loc["Measured upload", "id"])
    stored = {m.name: m.better for m in measures.plan_measures(engine, plan_id)}
    assert stored == {"Visits in time": "higher", "Re-referrals": "lower"}
    assert plan_directions(engine, plan_id) == {"Re-referrals": "lower"}
    engine.dispose()


def test_since_the_last_review_names_the_measure_that_crossed_its_target(app_database):
    """Visits in time went from 70% (target 80%) to 85%: now at target. Re-referrals stayed above its
    target (22%, then 21%, lower is better); Caseload had no value at Q1, so it did not cross."""
    from data_access.reads import review_summary
    from data_access.storage.database import make_engine

    ids = app_database(_build)
    summary = review_summary.since_last_review_summary(make_engine(app_database.url), ids["plan"])
    assert summary.endswith("; measure now at target: Visits in time.")


def test_trends_draws_each_measure_against_its_target_with_its_values(app_database):
    from tests.pages.page_helpers import charts, shown

    at = _open(app_database, "pages/trends.py", section="measures")  # one tab at a time (issue 27)
    assert at.session_state["trends_section"] == "Measures of success"
    assert "Measures of success against their targets" in [s.value for s in at.subheader]
    titled = {f["layout"].get("title", {}).get("text", ""): f for f in charts(at)}
    visits = titled["Visits in time (&#37;), higher is better"]
    target, value = visits["data"]
    assert target["name"] == "Target" and target["line"]["shape"] == "hv" and target["y"] == [80.0, 80.0]
    assert value["name"] == "Visits in time" and value["y"] == [70.0, 85.0]
    assert "Re-referrals (&#37;), lower is better" in titled and "Caseload per worker, lower is better" in titled
    captions = [shown(c.value) for c in at.caption]
    assert "Measures at target: 2 of 3 (each measure's latest value)." in captions
    assert (
        "Visits in time: 85% against a target of 80% (30 September 2024): Met; "
        "up 15 percentage points since 30 June 2024. Recommendations: 1." in captions
    )
    assert "Values of Visits in time" in [shown(e.label) for e in at.expander]


def test_measures_of_success_slide_says_met_in_words_with_value_and_target(app_database):
    """The last slide of the deck, on the trends page: each measure as it stood at Q2 (30 September
    2024), in plan order."""
    from tests.pages.page_helpers import shown

    at = _open(app_database, "pages/trends.py", review="q2", present="1", part="3")
    bar = " ".join(shown(m.value) for m in at.markdown)
    assert re.search(r"Slide (\d+) of \1: Measures of success", bar)  # the deck's last slide
    assert at.title[0].value == "Measures of success"
    page = html_text(at)
    assert "<caption>Measures of success at Q2 2024/25</caption>" in page
    rows = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert [r.split("</td>")[0].rsplit(">", 1)[-1] for r in rows.split("<tr")[1:]] == [
        "Re-referrals",
        "Visits in time",
        "Caseload per worker",
    ]
    assert "<td>21% (30 Sep 2024)</td><td>20%</td><td>Not met</td>" in rows
    assert "<td>85% (30 Sep 2024)</td><td>80%</td><td>Met</td>" in rows
    assert "Measures at target: 2 of 3" in " ".join(shown(c.value) for c in at.caption)


def test_measures_slide_at_the_first_review_says_no_data_in_words(app_database):
    """At Q1 Caseload had no value yet: "No data", with no value and no target, not a colour. The
    first review has no direction of travel, so the measures are the trends page's second slide."""
    at = _open(app_database, "pages/trends.py", review="q1", present="1", part="2")
    assert at.title[0].value == "Measures of success"
    assert "<td>no value</td><td>none</td><td>No data</td>" in html_text(at)


def test_portfolio_shows_measures_at_target_per_plan(app_database):
    """At Q2 (30 September 2024) Visits in time (85% against 80%) and Caseload (17 against 18, lower
    is better) are met, Re-referrals (21% against 20%) is not: 2 of 3; at Q1 none was met (+2)."""
    page = html_text(_open(app_database, "pages/portfolio.py"))
    assert '<th scope="col">Measures at target (change)</th>' in page
    assert "<td>2 of 3 (+2)</td>" in page
