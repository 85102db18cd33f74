"""Sign-in and roles in the app (AppTest with a signed-in user): every page checks the role
itself, so a typed URL is refused as surely as the menu hides the link; local mode without
[auth]; the refusals; who sees the database location."""

from __future__ import annotations

import ast
import time
from pathlib import Path

import pytest
import streamlit as st
from sqlalchemy import select
from streamlit import config as st_config
from streamlit.testing.v1 import AppTest

from data_access.reads import catalogue
from data_access.storage import audit_trail, plan_admin
from data_access.storage.database import make_engine
from data_access.storage.schema import Review
from pages.ui import auth
from tests.data_access.importer import messy
from tests.pages.page_helpers import AUTH, ISSUER, SIGNED_IN_AT, VERIFIED, html_text, shown

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
ALLOWLISTS = {"editors": ["listed.editor@council.example"]}
VIEWER = {**VERIFIED, "sub": "vera", "email": "vera@council.example", "roles": ["viewer"]}
EDITOR = {**VERIFIED, "sub": "ed", "email": "ed@council.example", "roles": ["editor"]}
ADMIN = {**VERIFIED, "sub": "ada", "email": "ada@council.example", "roles": ["admin"]}


@pytest.fixture
def signed_in(app):
    """A factory: signed_in(user, page=None, secrets=...) -> an AppTest of the whole app with sign-in
    configured and `user` as st.user (None: sign-in not configured, local mode)."""

    def make(user: dict | None, page: str | None = None, secrets: dict | None = None) -> AppTest:
        if user is None:
            return app(page)
        return app(page, user=user, secrets=secrets or {"auth": AUTH, "roles": ALLOWLISTS})

    make.ids = app.ids
    return make


def _text(at: AppTest) -> str:
    parts = [e.value for kind in ("markdown", "caption", "error", "title", "success") for e in at.get(kind)]
    return "\n".join(str(p) for p in parts) + html_text(at)


def _button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def test_without_auth_the_app_is_local_mode_for_one_user(signed_in):
    at = signed_in(None, "pages/upload.py")
    assert "Local mode: no sign-in" in [c.value for c in at.sidebar.caption]
    assert at.get("file_uploader")  # the one local user may do everything, as before sign-in
    assert any(c.value.startswith("Data: sqlite:///") for c in at.sidebar.caption)
    assert auth.current_user() == audit_trail.LOCAL_USER


def test_current_user_outside_a_run_is_the_local_user(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # no .streamlit/secrets.toml here: st.secrets would raise
    assert auth.current_user() == audit_trail.LOCAL_USER


def test_nobody_signed_in_sees_only_the_sign_in_screen(signed_in):
    at = signed_in({"is_logged_in": False})
    assert [b.label for b in at.button] == ["Sign in"]
    assert not at.metric and not at.sidebar.selectbox  # no board figures, no plan list
    assert "Testshire" not in _text(at)


def test_a_viewer_cannot_reach_upload_by_url(signed_in):
    at = signed_in(VIEWER, "pages/upload.py")
    assert not at.get("file_uploader")
    assert "This page is for editors and admins" in at.error[0].value
    assert "vera@council.example with the viewer role" in shown(at.error[0].value)
    for page, who in (("pages/audit.py", "admins"), ("pages/plan_settings.py", "editors and admins")):
        at.switch_page(page).run()
        assert f"This page is for {who}" in at.error[0].value and not html_text(at) and not at.text_input


def test_a_viewer_sees_the_board_but_not_where_the_data_is(signed_in):
    at = signed_in(VIEWER)
    assert {m.label for m in at.metric} >= {"Actions", "Complete"}
    captions = [c.value for c in at.sidebar.caption]
    assert not any(c.startswith("Data:") for c in captions)
    assert any("Signed in as" in c and "viewer" in c for c in captions)


def test_the_menu_hides_only_what_the_role_cannot_open():
    """app.py's menu (routing.menu(ROLE)) and each page's own check (page_view(roles.ROLE)) name
    the same role for every page."""
    declared_in_menu = {}
    for call in ast.walk(ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))):
        if isinstance(call, ast.Call) and getattr(call.func, "attr", None) == "Page":
            script = call.args[0].value
            menu = next((k.value for k in call.keywords if k.arg == "visibility"), None)
            role = menu.args[0].id.lower() if isinstance(menu, ast.Call) else "viewer"
            declared_in_menu[script] = role
    assert declared_in_menu["pages/upload.py"] == "editor" and declared_in_menu["pages/audit.py"] == "admin"
    for script, role in declared_in_menu.items():
        source = ast.parse((ROOT / script).read_text(encoding="utf-8"))
        calls = [c for c in ast.walk(source) if isinstance(c, ast.Call) and getattr(c.func, "attr", "") == "page_view"]
        assert len(calls) == 1, script
        needed = calls[0].args[0].attr.lower() if calls[0].args else "viewer"
        assert needed == role, (script, needed, role)


def test_an_editor_can_import_and_is_its_author(signed_in):
    at = signed_in(EDITOR, "pages/upload.py")
    at.selectbox[0].select("(a new plan)").run()
    at.text_input[0].input("Anytown").run()
    at.get("file_uploader")[0].upload("anytown.xlsx", messy.build_xlsx(title_rows=True)).run()
    _button(at, "Import").click().run()
    assert not at.exception and "Imported 1 review" in at.success[0].value
    engine = make_engine(signed_in.ids["url"])
    with engine.connect() as conn:
        assert conn.execute(select(Review.imported_by).order_by(Review.id.desc())).first()[0] == "ed@council.example"
    rows = audit_trail.trail(engine)
    assert list(rows["action"]) == [audit_trail.IMPORT, audit_trail.SIGN_IN]
    assert set(rows["actor"]) == {"ed@council.example"}
    # but not the admin pages
    at.switch_page("pages/audit.py").run()
    assert "This page is for admins" in at.error[0].value


def test_an_allowlisted_editor_without_a_roles_claim(signed_in):
    at = signed_in({**VERIFIED, "sub": "le", "email": "Listed.Editor@council.example"}, "pages/upload.py")
    assert at.get("file_uploader")


def test_an_unverified_email_or_a_username_equal_to_an_admins_is_not_admin(signed_in):
    """Entra ID sends no email_verified and lets the email claim be set; preferred_username is a
    name a provider may let people choose. Neither may make anyone the allow-listed admin."""
    secrets = {"auth": AUTH, "roles": {"admins": ["ada@council.example"]}}
    for claims in (
        {"is_logged_in": True, "iss": ISSUER, "sub": "mallory", "email": "ada@council.example", "iat": SIGNED_IN_AT},
        {**VERIFIED, "sub": "mallory", "email": "ada@council.example", "email_verified": False},
        {
            **VERIFIED,
            "sub": "mallory",
            "email": "mallory@elsewhere.example",
            "preferred_username": "ada@council.example",
        },
    ):
        at = signed_in(claims, "pages/audit.py", secrets=secrets)  # the audit trail is for admins only
        assert "This page is for admins" in at.error[0].value, claims
        assert "viewer role" in at.error[0].value
        assert not at.title or at.title[0].value != "Audit trail"
    # The real admin, whose provider vouches for the address, is.
    at = signed_in({**VERIFIED, "sub": "ada", "email": "ada@council.example"}, "pages/audit.py", secrets=secrets)
    assert not at.error and at.title[0].value == "Audit trail"


def test_an_admin_sees_the_audit_trail_and_can_download_it(signed_in):
    signed_in(EDITOR)  # a sign-in by someone else, recorded
    at = signed_in(ADMIN, "pages/audit.py")
    assert at.title[0].value == "Audit trail"
    table = html_text(at)
    assert "2 events, newest first" in table
    assert table.index("ada@council.example") < table.index("ed@council.example")  # newest first
    assert table.count("<td>sign-in</td>") == 2
    assert [b.label for b in at.get("download_button")] == ["Download as Excel", "Download as CSV"]
    next(s for s in at.selectbox if s.label == "Who").select("ed@council.example").run()
    table = html_text(at)
    assert "1 event, newest first" in table and "ada@council.example" not in table
    assert any(c.value.startswith("Data: sqlite:///") for c in at.sidebar.caption)  # admins see where the data is


def test_an_admin_renames_archives_and_deletes_a_plan(signed_in):
    at = signed_in(ADMIN, "pages/plan_settings.py")
    engine = make_engine(signed_in.ids["url"])
    next(t for t in at.text_input if t.label == "New name").input("Testshire ILACS 2024 (old)")  # in a form:
    _button(at, "Rename").click().run()  # sent with its submit button
    assert not at.exception and "Renamed to" in at.success[0].value
    assert list(catalogue.list_plans(engine)["name"]) == ["Testshire ILACS 2024 (old)"]

    _button(at, "Archive this plan").click().run()
    assert catalogue.list_plans(engine).empty  # gone from the board's list...
    assert len(catalogue.list_plans(engine, include_archived=True)) == 1  # ...and kept

    _button(at, "Delete this plan…").click().run()
    confirm = next(t for t in at.text_input if t.label.startswith("Type the plan's name"))
    assert _button(at, "Delete for good").disabled
    confirm.input("Testshire ILACS 2024 (old)").run()
    _button(at, "Delete for good").click().run()
    assert not at.exception
    assert catalogue.list_plans(engine, include_archived=True).empty
    actions = list(audit_trail.trail(engine)["action"])
    assert actions[:3] == [audit_trail.PLAN_DELETED, audit_trail.PLAN_SETTINGS, audit_trail.PLAN_SETTINGS]


def test_an_editor_sets_the_report_details_but_cannot_rename_archive_or_delete(signed_in):
    at = signed_in(EDITOR, "pages/plan_settings.py")
    assert not at.exception
    assert {b.label for b in at.button} & {"Archive this plan", "Delete this plan…"} == set()
    assert not any(t.label == "New name" for t in at.text_input)
    next(t for t in at.text_input if t.label == "Overall judgement").input("Good")
    next(t for t in at.text_input if t.label == "Board that monitors the plan").input("Testshire Improvement Board")
    _button(at, "Save report details").click().run()
    assert not at.exception and shown(at.success[0].value) == "Saved: overall judgement, board."
    settings = plan_admin.report_settings(make_engine(signed_in.ids["url"]), signed_in.ids["plan"])
    assert (settings.judgement, settings.board_name) == ("Good", "Testshire Improvement Board")
    (row,) = audit_trail.trail(make_engine(signed_in.ids["url"]), actions=[audit_trail.PLAN_SETTINGS]).itertuples()
    assert row.actor == "ed@council.example" and "overall judgement blank → 'Good'" in row.summary


def test_signing_out_returns_to_the_sign_in_screen(signed_in):
    at = signed_in(VIEWER)
    _button(at, "Sign out").click().run()
    assert at.user == {"is_logged_in": False}
    at.run()
    assert [b.label for b in at.button] == ["Sign in"]


def test_unknown_people_are_viewers_or_refused(signed_in, monkeypatch):
    stranger = {**VERIFIED, "sub": "someone", "email": "someone@elsewhere.example"}
    at = signed_in(stranger, "pages/upload.py")
    assert "viewer role" in at.error[0].value
    monkeypatch.setenv("BOARD_DEFAULT_ROLE", "none")
    at = signed_in(stranger)
    assert at.title[0].value == "No access"
    assert "you have no role in Improvement Board" in at.error[0].value
    assert not at.metric and [b.label for b in at.button] == ["Sign out"]
    # The first visit signed in as a viewer; the refused one is not a sign-in.
    assert list(audit_trail.trail(make_engine(signed_in.ids["url"]))["summary"]) == [
        "signed in as viewer (default role)"
    ]


def test_require_login_without_auth_refuses_to_start(signed_in, monkeypatch):
    monkeypatch.setenv("BOARD_REQUIRE_LOGIN", "1")
    at = signed_in(None)
    assert at.title[0].value == "Improvement Board is not available"
    sentence = shown(at.error[0].value)
    assert sentence.startswith("BOARD_REQUIRE_LOGIN=1 is set but sign-in is not configured: add an [auth] section")
    assert not at.metric and not at.sidebar.selectbox


def test_database_errors_show_the_location_to_admins_only(signed_in, monkeypatch):
    monkeypatch.setenv("BOARD_DATABASE_URL", "postgresql://board:s3cret-pw@127.0.0.1:9/board")
    at = signed_in(VIEWER)
    assert at.error[0].value == "The board's data could not be opened. Please tell your administrator."
    st.cache_resource.clear()
    at = signed_in(ADMIN)
    said = shown(at.error[0].value)
    assert "127.0.0.1:9/board" in said and "s3cret-pw" not in said and "***" in said


def test_sign_in_is_recorded_once_per_token_across_sessions(signed_in):
    signed_in(EDITOR)
    signed_in(EDITOR)  # another tab with the same identity cookie
    signed_in({**EDITOR, "iat": EDITOR["iat"] + 300})  # signed in again later
    rows = audit_trail.trail(make_engine(signed_in.ids["url"]))
    assert list(rows["action"]) == [audit_trail.SIGN_IN, audit_trail.SIGN_IN]


def test_an_old_sign_in_must_be_renewed(signed_in, monkeypatch):
    """Streamlit keeps people signed in for 30 days and the roles claim is read at sign-in only:
    after BOARD_SIGN_IN_HOURS (default 12) the app asks them to sign in again."""
    yesterday = {**ADMIN, "iat": int(time.time()) - 13 * 3600}
    at = signed_in(yesterday)
    assert "please sign in again" in at.info[0].value
    assert [b.label for b in at.button] == ["Sign in"] and not at.metric
    monkeypatch.setenv("BOARD_SIGN_IN_HOURS", "24")
    at = signed_in(yesterday)
    assert {m.label for m in at.metric} >= {"Actions"}


def test_a_new_plan_cannot_take_an_archived_plans_name(signed_in):
    """Otherwise the upload would go into the archived plan, out of sight."""
    engine = make_engine(signed_in.ids["url"])
    plan_id = int(catalogue.list_plans(engine)["id"].iloc[0])
    plan_admin.set_archived(engine, plan_id, True, actor="ada@council.example")
    at = signed_in(EDITOR, "pages/upload.py")
    at.selectbox[0].select("(a new plan)").run()
    at.text_input[0].input("Testshire ILACS 2024").run()
    at.get("file_uploader")[0].upload("t.xlsx", messy.build_xlsx(title_rows=True)).run()
    assert any("An archived plan is called 'Testshire ILACS 2024'" in shown(e.value) for e in at.error)
    assert all(b.disabled for b in at.button if b.label == "Import")  # the preview's refusal, said beside it


def test_the_servers_set_up_is_for_admins_only(signed_in):
    """The upload page's warning about the server's upload limit is for whoever runs the app."""
    before = st_config.get_option("server.maxUploadSize")
    st_config.set_option("server.maxUploadSize", 200)
    try:
        editor_sees = [w.value for w in signed_in(EDITOR, "pages/upload.py").warning]
        admin_sees = [w.value for w in signed_in(ADMIN, "pages/upload.py").warning]
    finally:
        st_config.set_option("server.maxUploadSize", before)
    assert not any("accepts uploads" in w for w in editor_sees)
    assert any("accepts uploads of up to 200 MB" in w for w in admin_sees)
