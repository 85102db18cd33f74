"""The browser context that tests of the session server share (tests/browser/conftest.py,
`shares_context`) is handed to the next test as the last one found it, but for its HTTP cache: no
tab, cookie or stored value of the last test survives."""

from __future__ import annotations

import pytest
from conftest import forget_the_test, shares_context
from playwright.sync_api import Error


def test_the_shared_context_forgets_a_test(request, shared_context, streamlit_server):
    assert shares_context(request)  # this test's own `page` would be a tab of the shared context
    tab = shared_context.new_page()
    tab.goto(streamlit_server.url + "/_stcore/health")
    tab.evaluate("() => { localStorage.setItem('sidebarNavState', 'expanded'); sessionStorage.setItem('x', '1'); }")
    shared_context.add_cookies([{"name": "left", "value": "over", "url": streamlit_server.url}])
    shared_context.route("**/nowhere", lambda route: route.abort())
    assert tab.evaluate("localStorage.length") == 1 and shared_context.cookies()
    with pytest.raises(Error, match="ERR_FAILED"):
        tab.goto(streamlit_server.url + "/nowhere")

    forget_the_test(shared_context, streamlit_server.url)

    assert shared_context.pages == [] and shared_context.cookies() == []
    tab = shared_context.new_page()
    try:
        tab.goto(streamlit_server.url + "/_stcore/health")
        assert tab.evaluate("[localStorage.length, sessionStorage.length]") == [0, 0]
        assert tab.goto(streamlit_server.url + "/nowhere").ok  # the route is gone (the app serves any path)
    finally:
        tab.close()


def test_a_test_with_a_server_of_its_own_gets_a_context_of_its_own(request, page, fresh_streamlit_server):
    assert not shares_context(request)
    assert page.context.pages == [page]
