"""The browser context and tab that tests of the session server take turns in
(tests/browser/conftest.py, `shares_context`) are handed to the next test as the last one found
them, but for the HTTP cache: no cookie, stored value, route, listener or setting of the last test
survives, and a tab that cannot be cleaned is not handed on."""

from __future__ import annotations

import pytest
from conftest import forget_the_test, listeners, shares_context, tab_was_changed
from playwright.sync_api import Error


def test_a_test_gets_the_shared_tab_blank_with_the_default_viewport(request, page, shared_context, streamlit_server):
    assert shares_context(request) and page.context is shared_context and page.board_shared
    assert page.url == "about:blank" and shared_context.pages == [page]
    assert page.viewport_size == {"width": 1366, "height": 900}
    page.set_viewport_size({"width": 390, "height": 844})  # the next test gets the default again


def test_the_shared_context_forgets_a_test(shared_context, streamlit_server):
    kept, other = shared_context.new_page(), shared_context.new_page()
    try:
        kept.goto(streamlit_server.url + "/_stcore/health")
        kept.evaluate(
            "() => { localStorage.setItem('sidebarNavState', 'expanded'); sessionStorage.setItem('x', '1'); }"
        )
        shared_context.add_cookies([{"name": "left", "value": "over", "url": streamlit_server.url}])
        shared_context.route("**/nowhere", lambda route: route.abort())
        kept.route("**/elsewhere", lambda route: route.abort())
        assert kept.evaluate("localStorage.length") == 1 and shared_context.cookies()
        with pytest.raises(Error, match="ERR_FAILED"):
            other.goto(streamlit_server.url + "/nowhere")

        forget_the_test(shared_context, streamlit_server.url, keep=kept)

        assert other.is_closed() and shared_context.pages == [kept] and kept.url == "about:blank"
        assert shared_context.cookies() == []
        kept.goto(streamlit_server.url + "/_stcore/health")
        assert kept.evaluate("localStorage.length") == 0
        assert kept.goto(streamlit_server.url + "/nowhere").ok  # the routes are gone (the app serves any path)
        assert kept.goto(streamlit_server.url + "/elsewhere").ok
    finally:
        for tab in (kept, other):
            if not tab.is_closed():
                tab.close()


def test_a_tab_given_a_listener_or_a_lasting_setting_is_not_handed_on(request, page, streamlit_server):
    assert shares_context(request)
    before = listeners(page)
    assert not tab_was_changed(page, before)
    page.on("dialog", lambda dialog: dialog.dismiss())
    assert tab_was_changed(page, before)  # so the fixture closes it after this test
    page.board_changed = False
    page.set_default_timeout(1_000)
    assert page.board_changed


def test_a_test_with_a_server_of_its_own_gets_a_context_of_its_own(request, page, fresh_streamlit_server):
    assert not shares_context(request)
    assert page.context.pages == [page] and not getattr(page, "board_shared", False)
