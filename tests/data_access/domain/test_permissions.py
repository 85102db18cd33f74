"""The role rules (data_access/domain/permissions.py): claims, allowlists, the default role, and when the app
must refuse to serve anyone."""

from __future__ import annotations

import datetime as dt

import pytest

from data_access.domain import permissions
from data_access.domain.permissions import ADMIN, EDITOR, VIEWER

ALLOWLISTS = {"admins": ["Ada@Council.example"], "editors": ["ed@council.example", "ada@council.example"]}


def test_each_role_can_do_what_the_one_before_can():
    assert permissions.can(ADMIN, EDITOR) and permissions.can(ADMIN, VIEWER) and permissions.can(EDITOR, VIEWER)
    assert not permissions.can(VIEWER, EDITOR) and not permissions.can(EDITOR, ADMIN)
    assert not permissions.can(None, VIEWER) and not permissions.can("superuser", VIEWER)


def test_the_roles_claim_wins_and_its_highest_known_role_counts():
    claims = {"email": "ed@council.example", "roles": ["Board.Reader", "Editor", "viewer"]}
    assert permissions.decide(claims, ALLOWLISTS, VIEWER) == permissions.Decision(EDITOR, "roles claim")
    # The claim is the identity provider's word, even where an allowlist says more.
    assert permissions.decide({"email": "ada@council.example", "roles": ["viewer"]}, ALLOWLISTS, VIEWER).role == VIEWER
    # Some providers send a space-separated string.
    assert permissions.decide({"roles": "viewer admin"}, {}, VIEWER).role == ADMIN


def test_allowlists_when_the_claim_names_no_role():
    assert permissions.decide(
        {"email": "ADA@council.example", "roles": ["Other"]}, ALLOWLISTS, VIEWER
    ) == permissions.Decision(ADMIN, "allowlist")
    assert permissions.decide({"email": " ed@council.example "}, ALLOWLISTS, None).role == EDITOR
    # Entra ID without the optional email claim: the username stands in.
    assert permissions.decide({"preferred_username": "ed@council.example"}, ALLOWLISTS, None).role == EDITOR
    # An email the provider has not verified never matches an allowlist.
    assert permissions.decide({"email": "ada@council.example", "email_verified": False}, ALLOWLISTS, None).role is None


def test_unknown_people_get_the_default_role_or_are_refused():
    stranger = {"email": "someone@elsewhere.example"}
    assert permissions.decide(stranger, ALLOWLISTS, permissions.default_role(None)) == permissions.Decision(
        VIEWER, "default role"
    )
    assert permissions.decide(stranger, ALLOWLISTS, permissions.default_role("viewer")).role == VIEWER
    assert permissions.decide(stranger, ALLOWLISTS, permissions.default_role("none")).role is None
    assert permissions.decide(stranger, ALLOWLISTS, permissions.default_role(" NONE ")).role is None
    with pytest.raises(ValueError, match="BOARD_DEFAULT_ROLE must be 'viewer' or 'none', not 'admin'"):
        permissions.default_role("admin")


def test_identity_is_the_email_first():
    assert permissions.identity({"email": "a@x.example", "preferred_username": "u", "sub": "s"}) == "a@x.example"
    assert permissions.identity({"preferred_username": "u@x.example", "sub": "s"}) == "u@x.example"
    assert permissions.identity({"sub": "abc"}) == "abc"
    assert permissions.identity({}) is None


AUTH = dict.fromkeys(permissions.AUTH_KEYS, "set")


def _problem(**given):
    settings = dict(
        sign_in_configured=False,
        auth_section=AUTH,
        require_login=None,
        default_role_setting=None,
        allowlists={},
        server_address="localhost",
    )
    return permissions.configuration_problem(**{**settings, **given})


def test_local_mode_serves_only_this_computer():
    assert _problem() is None
    assert _problem(server_address="127.0.0.1") is None
    assert _problem(server_address="::1") is None
    refused = _problem(server_address="0.0.0.0")
    assert "Sign-in is not configured" in refused and "--server.address localhost" in refused
    assert "every network interface" in _problem(server_address=None)
    # With sign-in configured the address is the deployment's business.
    assert _problem(sign_in_configured=True, server_address="0.0.0.0") is None


def test_require_login_without_auth_refuses_with_what_to_add():
    refused = _problem(require_login="1")
    assert refused.startswith("BOARD_REQUIRE_LOGIN=1 is set but sign-in is not configured: add an [auth] section")
    for key in permissions.AUTH_KEYS:
        assert key in refused
    assert _problem(require_login="1", sign_in_configured=True) is None
    assert _problem(require_login="0") is None
    assert "BOARD_REQUIRE_LOGIN must be 1 or 0" in _problem(require_login="maybe")


def test_a_sign_in_lasts_a_working_day_unless_set_otherwise():
    issued = dt.datetime(2026, 12, 3, 8, 0)
    hours = permissions.sign_in_hours(None)
    assert hours == 12
    assert not permissions.sign_in_expired(issued, issued + dt.timedelta(hours=12), hours)
    assert permissions.sign_in_expired(issued, issued + dt.timedelta(hours=12, seconds=1), hours)
    assert not permissions.sign_in_expired(None, issued, hours)  # no issue time: cannot be judged
    assert permissions.sign_in_hours("0.5") == 0.5
    assert "BOARD_SIGN_IN_HOURS must be a number of hours" in _problem(sign_in_hours_setting="forever")
    assert "BOARD_SIGN_IN_HOURS" in _problem(sign_in_hours_setting="0")


def test_an_incomplete_auth_section_is_refused():
    refused = _problem(sign_in_configured=True, auth_section={"redirect_uri": "https://x/oauth2callback"})
    assert refused == (
        "The [auth] section of .streamlit/secrets.toml is missing "
        "cookie_secret, client_id, client_secret, server_metadata_url."
    )


def test_bad_settings_are_refused_in_one_sentence():
    assert "BOARD_DEFAULT_ROLE" in _problem(default_role_setting="editor")
    assert "only admins, editors, viewers" in _problem(sign_in_configured=True, allowlists={"admin": ["a@x"]})
