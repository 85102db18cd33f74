"""The role rules (data_access/domain/permissions.py): claims, allowlists, the default role, and when the app
must refuse to serve anyone."""

from __future__ import annotations

import datetime as dt
import re

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
        {"email": "ADA@council.example", "email_verified": True, "roles": ["Other"]}, ALLOWLISTS, VIEWER
    ) == permissions.Decision(ADMIN, "allowlist")
    assert (
        permissions.decide({"email": " ed@council.example ", "email_verified": "true"}, ALLOWLISTS, None).role == EDITOR
    )
    # An email the provider has not verified never matches an allowlist.
    assert permissions.decide({"email": "ada@council.example", "email_verified": False}, ALLOWLISTS, None).role is None


GOOGLE = "https://accounts.google.com"
ENTRA = "https://login.microsoftonline.com/0b1d2c3e-0000-4000-8000-00000000cafe/v2.0"


@pytest.mark.parametrize(
    "claims",
    [
        # Entra ID sends no email_verified, and its email claim is not verified: it must not count.
        {"iss": ENTRA, "sub": "x1", "oid": "o1", "email": "ada@council.example"},
        # A provider that says so.
        {"iss": GOOGLE, "sub": "1", "email": "ada@council.example", "email_verified": False},
        {"iss": GOOGLE, "sub": "1", "email": "ada@council.example", "email_verified": "false"},
        # Names a provider may let people choose never grant a role.
        {"iss": ENTRA, "sub": "x1", "preferred_username": "ada@council.example"},
        {"iss": ENTRA, "sub": "x1", "upn": "ada@council.example"},
        {"preferred_username": "ada@council.example", "email_verified": True},
        # A subject is only the person's within its issuer.
        {"iss": "https://evil.example", "sub": "ada-subject"},
        {"sub": "ada-subject"},
    ],
    ids=[
        "entra-email",
        "unverified",
        "unverified-text",
        "preferred_username",
        "upn",
        "username-only",
        "other-issuer",
        "no-issuer",
    ],  # fmt: skip
)
def test_claims_the_provider_does_not_vouch_for_grant_nothing(claims):
    allowlists = {"admins": ["ada@council.example", f"{GOOGLE}#ada-subject"]}
    assert permissions.decide(claims, allowlists, None) == permissions.Decision(None, "default role")
    assert permissions.decide(claims, allowlists, VIEWER).role == VIEWER


@pytest.mark.parametrize(
    ("claims", "allowlists"),
    [
        ({"iss": GOOGLE, "sub": "1", "email": "Ada@Council.example", "email_verified": True}, {}),
        ({"iss": GOOGLE, "sub": "ada-subject"}, {}),
        ({"iss": GOOGLE + "/", "sub": "ada-subject", "email": "x@y.example"}, {}),  # trailing slash: same issuer
        ({"iss": ENTRA, "sub": "pairwise", "oid": "ada-object-id"}, {}),  # Entra: the object ID
        ({"iss": ENTRA, "sub": "x", "roles": ["Admin"], "email": "nobody@x.example"}, {}),  # Entra app roles
        # A provider the council lists as verifying every address, which does not send email_verified.
        ({"iss": "https://idp.council.example", "sub": "9", "email": "ada@council.example"},
         {"verified_email_issuers": ["https://idp.council.example/"]}),
    ],
    ids=["verified-email", "subject", "subject-slash", "entra-oid", "entra-roles", "listed-issuer"],
)  # fmt: skip
def test_claims_the_provider_vouches_for_grant_the_listed_role(claims, allowlists):
    lists = {"admins": ["ada@council.example", f"{GOOGLE}#ada-subject", f"{ENTRA}#ada-object-id"], **allowlists}
    assert permissions.decide(claims, lists, None).role == ADMIN


def test_an_entra_issuer_cannot_be_listed_as_verifying_email():
    refused = permissions.allowlists_problem({"admins": [], "verified_email_issuers": [ENTRA]})
    assert "does not verify the email claim" in refused and ENTRA in refused
    # and even if the check were skipped, the listing is ignored for Entra tokens
    claims = {"iss": ENTRA, "sub": "x", "email": "ada@council.example"}
    assert permissions.verified_email(claims, {"verified_email_issuers": [ENTRA]}) is None
    assert permissions.allowlists_problem({"admins": [], "verified_email_issuers": [GOOGLE]}) is None


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


def test_identity_is_the_verified_email_else_a_name_marked_as_not_verified():
    assert permissions.identity({"email": "a@x.example", "email_verified": True, "sub": "s"}) == "a@x.example"
    # Entra: the username shows who it is, but says it is the provider's unverified word, with the subject.
    assert (
        permissions.identity({"preferred_username": "u@x.example", "email": "e@x.example", "sub": "s"})
        == "u@x.example (not verified, subject s)"
    )
    assert permissions.identity({"email": "e@x.example"}) == "e@x.example (not verified)"
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


# --- scoped roles (issue 26) ------------------------------------------------------------------

GROUPS = "police=partner:Cleveland Police; heads=lead;csc=editor"


def test_role_groups_parse_and_refuse_in_one_sentence():
    police, heads, csc = permissions.parse_role_groups(GROUPS)
    assert (police.group, police.role, police.organisation) == ("police", "partner", "Cleveland Police")
    assert (heads.role, csc.role) == ("lead", "editor") and permissions.parse_role_groups(None) == ()
    for bad, words in (
        ("police=partner", "needs its organisation"),
        ("heads=lead:Police", "only a partner role takes an organisation"),
        ("heads=superuser", re.escape("must be 'group=role[:organisation];…'")),
        ("justagroup", "must be"),
    ):
        with pytest.raises(ValueError, match=words):
            permissions.parse_role_groups(bad)


def test_groups_claim_gives_a_scoped_role_and_the_higher_role_wins():
    mapping = permissions.parse_role_groups(GROUPS)
    decided = permissions.decide({"groups": ["police"], "roles": ["viewer"]}, {}, VIEWER, mapping)
    assert (decided.role, decided.source, decided.organisation) == ("partner", "group mapping", "Cleveland Police")
    assert permissions.decide({"groups": ["police"], "roles": ["admin"]}, {}, VIEWER, mapping).role == ADMIN
    assert permissions.decide({"groups": ["police", "csc"]}, {}, VIEWER, mapping).role == EDITOR
    assert permissions.decide({"groups": ["other"]}, {}, VIEWER, mapping).role == VIEWER  # unmapped group
    # Scoped roles read what a viewer reads, and nothing an editor does.
    assert permissions.can("partner", VIEWER) and permissions.can("lead", VIEWER)
    assert not permissions.can("partner", EDITOR) and not permissions.can("lead", EDITOR)


def test_who_may_update_an_action():
    leads = {"Head of Service": ["jo@council.example", "heads"]}
    police = permissions.Person("pc@police.example", "partner", "Cleveland  police")
    assert permissions.may_update(police, "DI Smith", "Cleveland Police", leads)  # spacing and case ignored
    assert not permissions.may_update(police, "DI Smith", "Durham Police", leads)
    assert not permissions.may_update(police, "Head of Service", None, leads)
    jo = permissions.Person("JO@council.example", "lead")
    assert permissions.may_update(jo, "head of  service", None, leads)
    assert not permissions.may_update(jo, "Director", None, leads)
    by_group = permissions.Person("x@council.example", "viewer", groups=frozenset({"heads"}))
    assert permissions.may_update(by_group, "Head of Service", None, leads)
    assert not permissions.may_update(permissions.Person("x@council.example", "viewer"), "Head of Service", None, leads)
    assert permissions.may_update(permissions.Person("e", EDITOR), "Anyone", "Any agency", {})
    assert not permissions.may_update(permissions.Person("n", None), "Head of Service", None, leads)


def test_local_mode_tries_a_role_through_the_same_mapping():
    mapping = permissions.parse_role_groups(GROUPS)
    assert permissions.local_person("local user", None, mapping).role == ADMIN  # as before
    tried = permissions.local_person("local user", "police", mapping)
    assert (tried.role, tried.organisation) == ("partner", "Cleveland Police")
    assert permissions.local_person("local user", "nobody", mapping).role == VIEWER


def test_lead_lines_round_trip_and_refuse_a_line_without_equals():
    text = permissions.lead_lines({"Head of Service": ["jo@council.example", "heads"]}, ["Director", "Head of Service"])
    assert text == "Head of Service = jo@council.example, heads\nDirector = "
    assert permissions.parse_lead_lines(text) == {"Head of Service": ["jo@council.example", "heads"]}
    with pytest.raises(ValueError, match="Line 2"):
        permissions.parse_lead_lines("Director = d@x\njust words")
