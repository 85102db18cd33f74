"""All actions: filtered by the URL, tracker text escaped (inert <script> and formulas)."""

from __future__ import annotations

from page_helpers import html_text


def test_all_actions_and_inert_tracker_text(app):
    at = app("pages/actions.py")
    assert at.metric[0].value == "6"
    page = html_text(at)
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; Staying close" in page
    assert "<script>" not in page
    assert "=HYPERLINK(&quot;http://example.com&quot;,&quot;click&quot;)" in page
    assert '<th scope="col">Status</th>' in page


def test_status_and_lead_filters_from_the_url(app):
    at = app("pages/actions.py", status="complete")
    assert at.metric[0].value == "2"
    at = app("pages/actions.py", lead="Head of MASH")
    assert at.metric[0].value == "3"
    assert at.selectbox(key="lead").value == "Head of MASH"


def test_the_rows_shown_can_be_downloaded(app):
    at = app("pages/actions.py", status="complete")
    buttons = {b.proto.label: b for b in at.get("download_button")}
    assert set(buttons) == {"Download as Excel", "Download as CSV"}
    buttons["Download as Excel"].click().run()
    assert not at.exception
    assert at.metric[0].value == "2"  # the page still shows the same filtered rows
