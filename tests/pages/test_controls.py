"""The shared controls: URL parameters restore the view, switching page keeps them, a single plan
is chosen without asking, presentation mode steps through slides."""

from __future__ import annotations

from page_helpers import shown

from tests.fixtures import MEETING


def test_defaults_single_plan_latest_review(app):
    at = app()
    plan = at.sidebar.selectbox(key="plan")
    assert plan.value == app.ids["plan"] and plan.disabled  # the only plan: chosen, not asked
    assert at.sidebar.selectbox(key="review").value == app.ids["q2"]  # latest review
    assert at.query_params["plan"] == [str(app.ids["plan"])] or at.query_params["plan"] == str(app.ids["plan"])


def test_url_restores_review_as_of_and_filters(app):
    at = app("pages/actions.py", review=str(app.ids["q1"]), as_of="2024-06-30", rec="1", status="amber")
    assert at.sidebar.selectbox(key="review").value == app.ids["q1"]
    assert str(at.sidebar.date_input(key="as_of").value) == "2024-06-30"
    assert at.selectbox(key="rec").value == "1"
    assert at.multiselect(key="status").value == ["amber"]
    assert at.metric[0].value == "1"  # Q1: 1.2 is the only amber action of rec 1


def test_switching_page_keeps_the_controls(app):
    at = app("pages/actions.py", rec="10")
    at.switch_page("pages/overdue.py").run()
    assert not at.exception
    assert at.selectbox(key="rec").value == "10"
    assert at.metric[0].value == "1"
    assert str(at.sidebar.date_input(key="as_of").value) == MEETING.isoformat()


def test_changing_a_control_updates_the_url(app):
    at = app("pages/overdue.py")
    at.sidebar.selectbox(key="review").set_value(app.ids["q1"]).run()
    assert at.query_params["review"] in (str(app.ids["q1"]), [str(app.ids["q1"])])


def test_bad_url_values_are_ignored(app):
    at = app(review="999", as_of="31/02/2024", rec="nope", status="purple")
    assert not at.exception
    assert at.sidebar.selectbox(key="review").value == app.ids["q2"]


def test_presentation_mode_slides(app):
    at = app(present="1")
    bar = " ".join(shown(m.value) for m in at.markdown)
    # overview, since the last review, recs 1, 2, 10, overdue, green-but-overdue, for sign-off (1.2, 2.1:
    # complete, not signed off; no date change to approve), status mix, direction
    assert "Slide 1 of 10: Overview" in bar
    next_link = at.get("page_link")[0].proto
    assert next_link.label == "Next ›" and not next_link.help  # no tooltip over the slide's title
    at = app("pages/recommendations.py", present="1", rec="10")
    bar = " ".join(shown(m.value) for m in at.markdown)
    assert "Slide 5 of 10: Recommendation 10" in bar
    labels = [p.proto.label for p in at.get("page_link")]
    assert labels[:2] == ["‹ Previous", "Next ›"]
    at.button(key="present_exit").click().run()
    assert at.sidebar.toggle(key="present").value is False


def _judged(app_fixture):
    from data_access.storage.database import make_engine
    from tests.fixtures import record_board_date_changes

    record_board_date_changes(make_engine(app_fixture.ids["url"]), app_fixture.ids)


def test_judge_overdue_against_the_baseline_round_trips_through_the_url(app):
    """Issue 25: the sidebar's "Judge overdue against" is kept in the URL (judge=baseline) and
    reaches every overdue figure (tests/data_access/reads/test_review_figures.py works the counts)."""
    _judged(app)
    at = app("pages/overdue.py")
    judge = at.sidebar.radio(key="judge")
    assert judge.value == "current" and "judge" not in at.query_params  # the default is not in the URL
    assert at.metric[0].value == "2"
    judge.set_value("baseline").run()
    assert not at.exception
    assert at.query_params["judge"] in ("baseline", ["baseline"])
    assert at.metric[0].value == "3"  # 2.2 is overdue against its original 30 Sep
    assert any("baseline (original) due date" in shown(c.value) for c in at.caption)

    linked = app("pages/overdue.py", judge="baseline")  # the copied link reopens the same view
    assert linked.sidebar.radio(key="judge").value == "baseline" and linked.metric[0].value == "3"
    linked.switch_page("pages/overview.py").run()  # switching page keeps it
    assert linked.sidebar.radio(key="judge").value == "baseline"
    assert linked.query_params["judge"] in ("baseline", ["baseline"])
    overdue_tile = [m for m in linked.metric if "overdue" in m.label.lower()]
    assert overdue_tile and overdue_tile[0].value == "3"


def test_judge_overdue_reaches_recommendations(app):
    _judged(app)
    now = [p.proto.label for p in app("pages/recommendations.py").get("page_link")]
    baseline = [p.proto.label for p in app("pages/recommendations.py", judge="baseline").get("page_link")]
    # Now: rec 1 (1.1) and rec 10 (10.1) have an overdue action; against the baseline rec 2 too (2.2).
    assert now.count("1 overdue") == 2 and baseline.count("1 overdue") == 3


def test_a_bad_judge_value_is_ignored(app):
    at = app("pages/overdue.py", judge="<b>sideways</b>")
    assert at.sidebar.radio(key="judge").value == "current"
    assert at.metric[0].value == "2"
