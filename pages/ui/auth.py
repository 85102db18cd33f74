"""Who is using the app, and what they may do: the one place that reads st.user and st.secrets.

Sign-in is configured by an `[auth]` section in .streamlit/secrets.toml (any OpenID Connect
provider; `st.login`). Then every page needs a signed-in person with a role
(data_access/domain/permissions.py decides it). Without `[auth]` the app is for one local user on this
computer ("Local mode: no sign-in"), who may do everything, as before sign-in existed.

routing.frame() calls `gate()` first on every run; routing.page_view(needs) calls `require()`.
st.user and st.secrets raise when no secrets file exists: every access here is guarded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import streamlit as st

from data_access.config import environment
from data_access.domain import permissions
from data_access.domain.clock import utc_now
from data_access.storage import audit_trail
from data_access.storage.database import DatabaseBusy
from pages.ui.plain import md

_ACCESS = "_access"  # this run's Access, set by gate()
_SIGN_IN_RECORDED = "_sign_in_recorded"
LOCAL_MODE = "Local mode: no sign-in"


@dataclass(frozen=True)
class Access:
    """Who this session is and what they may do."""

    signed_in: bool  # False: local mode (no sign-in configured)
    user: str  # the verified email (else the provider's name, marked not verified) when signed in, else LOCAL_USER
    role: str | None
    source: str  # where the role came from: "roles claim", "group mapping", "allowlist", "default role", "local mode"
    issued_at: dt.datetime | None = None  # when the provider issued the ID token (UTC)
    organisation: str | None = None  # a partner's organisation (BOARD_ROLE_GROUPS)
    groups: frozenset[str] = frozenset()  # the provider's groups claim (leads may be mapped by group)

    def person(self) -> permissions.Person:
        """Who is writing, as every write in data_access checks it."""
        return permissions.Person(self.user, self.role, self.organisation, self.groups)


def _secret_section(name: str):
    try:
        return st.secrets.get(name)
    except Exception:  # noqa: BLE001 - no secrets.toml (or an unreadable one): not configured
        return None


def sign_in_configured() -> bool:
    """Whether .streamlit/secrets.toml has an [auth] section."""
    return bool(_secret_section("auth"))


def _allowlists() -> dict:
    section = _secret_section("roles")
    return section.to_dict() if hasattr(section, "to_dict") else (section or {})


def _claims() -> dict:
    try:
        return st.user.to_dict()
    except Exception:  # noqa: BLE001 - st.user without an [auth] section
        return {}


def _issued_at(claims: dict) -> dt.datetime | None:
    try:
        return dt.datetime.fromtimestamp(int(claims["iat"]), dt.UTC).replace(tzinfo=None)
    except (KeyError, TypeError, ValueError, OverflowError):
        return None


def _role_groups() -> tuple[permissions.GroupRole, ...]:
    """BOARD_ROLE_GROUPS parsed (configuration_problem has refused a bad one before any page runs)."""
    try:
        return permissions.parse_role_groups(environment.value(environment.ROLE_GROUPS))
    except ValueError:
        return ()


def configuration_problem() -> str | None:
    """A sentence saying why the app refuses to serve anyone, or None (data_access/domain/permissions.py)."""
    try:
        permissions.parse_role_groups(environment.value(environment.ROLE_GROUPS))
    except ValueError as exc:
        return str(exc)
    return permissions.configuration_problem(
        sign_in_configured=sign_in_configured(),
        auth_section=_secret_section("auth"),
        require_login=environment.value(environment.REQUIRE_LOGIN),
        default_role_setting=environment.value(environment.DEFAULT_ROLE),
        sign_in_hours_setting=environment.value(environment.SIGN_IN_HOURS),
        allowlists=_allowlists(),
        server_address=st.get_option("server.address"),
    )


def access() -> Access | None:
    """This session's access, worked out now: None when sign-in is configured and nobody is
    signed in yet."""
    if not sign_in_configured():
        # One local user who may do everything; BOARD_LOCAL_GROUPS tries a lead or partner instead.
        local = permissions.local_person(
            audit_trail.LOCAL_USER, environment.value(environment.LOCAL_GROUPS), _role_groups()
        )
        return Access(False, local.identity, local.role, "local mode", None, local.organisation, local.groups)
    claims = _claims()
    if not claims.get("is_logged_in"):
        return None
    allowlists = _allowlists()
    decision = permissions.decide(
        claims, allowlists, permissions.default_role(environment.value(environment.DEFAULT_ROLE)), _role_groups()
    )
    who = permissions.identity(claims, allowlists) or "unknown"
    return Access(True, who, decision.role, decision.source, _issued_at(claims), decision.organisation, decision.groups)


def current() -> Access | None:
    """This run's access (set by gate()), or worked out now outside the frame."""
    return st.session_state.get(_ACCESS) or access()


def current_user() -> str:
    """The signed-in person's email, or audit_trail.LOCAL_USER without sign-in: the actor of every
    change made from the app."""
    try:
        now = current()
    except Exception:  # noqa: BLE001 - outside a Streamlit run (no session state)
        now = None
    return now.user if now else audit_trail.LOCAL_USER


def current_role() -> str | None:
    now = current()
    return now.role if now else None


def current_person() -> permissions.Person:
    """This session's person (identity, role, a partner's organisation, groups), for the writes."""
    now = current()
    return now.person() if now else permissions.Person(audit_trail.LOCAL_USER, None)


def is_admin() -> bool:
    """Whether this person may see admin-only things (the database location, server limits)."""
    return permissions.can(current_role(), permissions.ADMIN)


# ---------------------------------------------------------------------------
# The gate: every run, before anything else is drawn
# ---------------------------------------------------------------------------


def gate() -> Access:
    """routing.frame(): stop this run unless the configuration is safe and the person is signed
    in with a role. Returns their access."""
    st.session_state.pop(_ACCESS, None)
    problem = configuration_problem()
    if problem:
        _only_page(lambda: _refusal("Improvement Board is not available", problem))
    who = access()
    if who is None:
        _only_page(_sign_in_screen, title="Sign in")
    hours = permissions.sign_in_hours(environment.value(environment.SIGN_IN_HOURS))
    if who.signed_in and permissions.sign_in_expired(who.issued_at, utc_now(), hours):
        _only_page(lambda: _sign_in_screen(f"Your sign-in has lasted more than {hours:g} hours: please sign in again."))
    if who.role is None:
        _only_page(
            lambda: _refusal(
                "No access",
                f"You are signed in as {who.user}, but you have no role in Improvement Board. "
                "Ask your administrator to give you one.",
                sign_out=True,
            )
        )
    st.session_state[_ACCESS] = who
    return who


def _only_page(draw, title: str = "Improvement Board") -> None:
    """Show one page in place of the app and end the run. It is the only page in the navigation,
    so no other page's link or content is reachable (and typed URLs land here)."""
    st.navigation([st.Page(draw, title=title, icon=":material/lock:", default=True)], position="hidden").run()
    st.stop()


def _sign_in_screen(reason: str | None = None) -> None:
    st.title("Improvement Board")
    if reason:
        st.info(reason)
    st.markdown("Sign in with your organisation's account to see the improvement board.")
    if st.button("Sign in", type="primary", icon=":material/login:"):
        st.login()


def _refusal(title: str, sentence: str, sign_out: bool = False) -> None:
    st.title(title)
    st.error(md(sentence))
    if sign_out:
        st.button("Sign out", icon=":material/logout:", key="sign_out", on_click=st.logout)


def require(needed: str) -> None:
    """routing.page_view(): stop the page unless this person's role may open it."""
    who = current()
    if who is not None and permissions.can(who.role, needed):
        return
    st.title("Not available to you")
    held = f"the {who.role} role" if who and who.role else "no role"
    st.error(f"This page is for {permissions.WHO[needed]}. You are signed in as {md(current_user())} with {held}.")
    st.stop()


def note_sign_in(engine) -> None:
    """Once per session: the sign-in goes in the audit trail (once per ID token, however many
    tabs or sessions it opens)."""
    who = st.session_state.get(_ACCESS)
    if who is None or not who.signed_in or st.session_state.get(_SIGN_IN_RECORDED) == who.user:
        return
    try:
        audit_trail.record_sign_in(engine, actor=who.user, role=who.role, source=who.source, issued_at=who.issued_at)
    except DatabaseBusy:
        return  # another change holds the database: recorded on this session's next run instead
    st.session_state[_SIGN_IN_RECORDED] = who.user


def _of(who: Access) -> str:
    """' for <organisation>' (escaped) for a partner, else ''."""
    return f" for {md(who.organisation)}" if who.organisation else ""


def sidebar(who: Access) -> None:
    """Who is signed in, and the way out; or that this is local mode."""
    if not who.signed_in:
        tried = f" (trying the {who.role} role{_of(who)})" if who.groups else ""
        st.sidebar.caption(LOCAL_MODE + tried)
        return
    st.sidebar.caption(f"Signed in as {md(who.user)} ({who.role}{_of(who)})")
    # A callback, so the sign-out happens even when this run is cut short by a rerun.
    st.sidebar.button("Sign out", icon=":material/logout:", key="sign_out", on_click=st.logout)
