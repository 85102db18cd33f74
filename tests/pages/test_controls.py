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
    # overview, since the last review, recs 1, 2, 10, overdue, green-but-overdue, status mix, direction
    assert "Slide 1 of 9: Overview" in bar
    next_link = at.get("page_link")[0].proto
    assert next_link.label == "Next ›" and not next_link.help  # no tooltip over the slide's title
    at = app("pages/recommendations.py", present="1", rec="10")
    bar = " ".join(shown(m.value) for m in at.markdown)
    assert "Slide 5 of 9: Recommendation 10" in bar
    labels = [p.proto.label for p in at.get("page_link")]
    assert labels[:2] == ["‹ Previous", "Next ›"]
    at.button(key="present_exit").click().run()
    assert at.sidebar.toggle(key="present").value is False
