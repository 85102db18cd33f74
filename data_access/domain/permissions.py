"""Who may do what: the three roles, and the rules that give a signed-in person one.

Plain functions, no streamlit: pages/ui/auth.py reads st.user (the ID token's claims) and
st.secrets, and asks these. The command line is an operator's tool and is not restricted.

- viewer: the board pages, packs and downloads;
- editor: also upload, import, replace, restore, column and status mappings;
- admin: also plan settings (rename, archive, delete) and the audit trail.

A role comes only from claims the identity provider vouches for:
1. the ID token's `roles` claim (Microsoft Entra ID app roles; any provider that sends one);
2. else allowlists in secrets (`[roles]`: `admins`, `editors`, `viewers`), whose entries are
   - `ISSUER#SUBJECT`: the token's `iss` and its `sub` (or Entra's `oid`), which the provider
     sets and nobody can choose, e.g. "https://login.microsoftonline.com/TENANT/v2.0#OBJECT-ID";
   - an email address, matched only when the email is verified: the token says
     `email_verified: true` (Google, Okta, Keycloak, Auth0 do), or its issuer is listed in
     `[roles] verified_email_issuers` (a provider the council knows checks every address).
     Microsoft Entra ID's `email` claim is not verified (a user or another tenant can set it), so
     an Entra issuer is refused in that list: use app roles or ISSUER#OID entries for Entra.
   `preferred_username` and `upn` never grant anything: a provider may let people choose them.
3. anyone else who signs in is a viewer, or is refused when BOARD_DEFAULT_ROLE=none.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

VIEWER, EDITOR, ADMIN = "viewer", "editor", "admin"
ROLES = (VIEWER, EDITOR, ADMIN)  # each role can do everything the one before it can
ROLE_CLAIM = "roles"
ALLOWLISTS = {ADMIN: "admins", EDITOR: "editors", VIEWER: "viewers"}  # key in secrets' [roles]
VERIFIED_EMAIL_ISSUERS = "verified_email_issuers"  # [roles]: issuers whose every email is verified
# Issuers whose `email` claim is not verified (Microsoft Entra ID, v1 and v2 tokens, every cloud).
UNVERIFIED_EMAIL_ISSUERS = ("login.microsoftonline.", "sts.windows.net", "login.partner.microsoftonline.cn")
WHO = {VIEWER: "everyone who signs in", EDITOR: "editors and admins", ADMIN: "admins"}

REQUIRE_LOGIN_ENV = "BOARD_REQUIRE_LOGIN"
SIGN_IN_HOURS_ENV = "BOARD_SIGN_IN_HOURS"
SIGN_IN_HOURS = 12  # Streamlit's identity cookie lasts 30 days; roles from the token are re-read only at sign-in
DEFAULT_ROLE_ENV = "BOARD_DEFAULT_ROLE"
NO_ROLE = "none"  # BOARD_DEFAULT_ROLE=none: people with no role are refused
LOOPBACK = ("localhost", "127.0.0.1", "::1")
AUTH_KEYS = ("redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url")
ADD_AUTH = (
    "add an [auth] section to .streamlit/secrets.toml with "
    + ", ".join(AUTH_KEYS)
    + ' (README, "Deploying for a council")'
)


@dataclass(frozen=True)
class Decision:
    """The role a signed-in person gets, and where it came from (for the audit trail)."""

    role: str | None  # None: refused
    source: str  # "roles claim", "allowlist", "default role"


def can(role: str | None, needed: str) -> bool:
    """Whether `role` may do what `needed` may (admin ⊇ editor ⊇ viewer)."""
    return role in ROLES and ROLES.index(role) >= ROLES.index(needed)


def highest(names) -> str | None:
    """The highest of the roles named (any case, surrounding spaces ignored), or None."""
    found = {str(n).strip().casefold() for n in names}
    return next((r for r in reversed(ROLES) if r in found), None)


def _as_list(value) -> list:
    if value is None:
        return []
    if isinstance(value, str):
        return value.split()  # some providers send a space-separated string
    return list(value)


def _issuer(claims: Mapping) -> str:
    return str(claims.get("iss") or "").strip().rstrip("/")


def _is_true(value) -> bool:
    return value is True or (isinstance(value, str) and value.strip().casefold() == "true")


def verified_email(claims: Mapping, allowlists: Mapping | None = None) -> str | None:
    """The token's email when the provider vouches for it: `email_verified` is true, or the
    token's issuer is one the council listed as verifying every address (`[roles]
    verified_email_issuers`; never Entra's). Else None."""
    email = str(claims.get("email") or "").strip()
    if not email:
        return None
    if _is_true(claims.get("email_verified")):
        return email
    if claims.get("email_verified") is not None and not _is_true(claims.get("email_verified")):
        return None  # the provider says it is not verified: no setting overrides that
    issuer = _issuer(claims)
    trusted = {str(i).strip().rstrip("/") for i in _as_list((allowlists or {}).get(VERIFIED_EMAIL_ISSUERS))}
    if issuer and issuer in trusted and not _unverifying(issuer):
        return email
    return None


def _unverifying(issuer: str) -> bool:
    return any(mark in issuer.casefold() for mark in UNVERIFIED_EMAIL_ISSUERS)


def subjects(claims: Mapping) -> set[str]:
    """`ISSUER#SUBJECT` for the token's `sub`, and for Entra's `oid` (the object ID the Entra
    admin centre shows), each with the issuer: a subject is only unique within its issuer."""
    issuer = _issuer(claims)
    if not issuer:
        return set()
    return {f"{issuer}#{str(claims[c]).strip()}" for c in ("sub", "oid") if str(claims.get(c) or "").strip()}


def identity(claims: Mapping, allowlists: Mapping | None = None) -> str | None:
    """Who the person is, for the audit trail and the sidebar: the verified email; else the name
    the provider shows (`preferred_username`, `upn`, an unverified `email`) marked as not verified
    and followed by the subject, so two people can never look alike in the audit trail; else the
    subject. Never used to grant a role."""
    email = verified_email(claims, allowlists)
    if email:
        return email
    subject = str(claims.get("sub") or claims.get("oid") or "").strip()
    for claim in ("preferred_username", "upn", "email"):
        name = str(claims.get(claim) or "").strip()
        if name:
            return f"{name} (not verified, subject {subject})" if subject else f"{name} (not verified)"
    return subject or None


def role_from_allowlists(claims: Mapping, allowlists: Mapping) -> str | None:
    """The highest allowlist (secrets' [roles]) naming the person: by `ISSUER#SUBJECT` (or
    `ISSUER#OID`), or by a verified email (`verified_email`). `preferred_username`, `upn` and an
    unverified email never match."""
    keys = {s.casefold() for s in subjects(claims)}
    email = verified_email(claims, allowlists)
    if email:
        keys.add(email.casefold())
    if not keys:
        return None
    named = [
        role
        for role, key in ALLOWLISTS.items()
        if keys & {str(e).strip().casefold() for e in _as_list(allowlists.get(key))}
    ]
    return highest(named)


def default_role(setting: str | None) -> str | None:
    """BOARD_DEFAULT_ROLE: unset or `viewer` gives unknown people the viewer role; `none`
    refuses them. (Never more than viewer: a forgotten allowlist must not make editors.)"""
    value = (setting or VIEWER).strip().casefold()
    if value == NO_ROLE:
        return None
    if value == VIEWER:
        return VIEWER
    raise ValueError(f"{DEFAULT_ROLE_ENV} must be 'viewer' or 'none', not '{setting}'.")


def decide(claims: Mapping, allowlists: Mapping, default: str | None) -> Decision:
    """The role for a signed-in person: the roles claim, else the allowlists, else the default."""
    from_claim = highest(_as_list(claims.get(ROLE_CLAIM)))
    if from_claim:
        return Decision(from_claim, "roles claim")
    from_list = role_from_allowlists(claims, allowlists)
    if from_list:
        return Decision(from_list, "allowlist")
    return Decision(default, "default role")


def sign_in_hours(setting: str | None) -> float:
    """BOARD_SIGN_IN_HOURS: how long a sign-in lasts before the person must sign in again
    (default 12). Streamlit keeps people signed in for 30 days, and the roles claim is only read
    at sign-in: a role taken away in the identity provider must not last a month."""
    if not (setting or "").strip():
        return SIGN_IN_HOURS
    try:
        hours = float(setting)
    except ValueError:
        hours = 0
    if not 0 < hours <= 30 * 24:
        raise ValueError(f"{SIGN_IN_HOURS_ENV} must be a number of hours from 1 to 720, not '{setting}'.")
    return hours


def sign_in_expired(issued_at: dt.datetime | None, now: dt.datetime, hours: float) -> bool:
    """Whether a sign-in whose ID token was issued at `issued_at` (UTC) is too old to trust.
    Without an issue time (every OpenID provider sends one) it cannot be judged, so it stands."""
    return issued_at is not None and now - issued_at > dt.timedelta(hours=hours)


def flag(value: str | None, name: str) -> bool:
    """An on/off environment variable: 1/true/yes/on or 0/false/no/off (unset: off)."""
    text = (value or "").strip().casefold()
    if text in ("", "0", "false", "no", "off"):
        return False
    if text in ("1", "true", "yes", "on"):
        return True
    raise ValueError(f"{name} must be 1 or 0, not '{value}'.")


def allowlists_problem(allowlists) -> str | None:
    """What is wrong with secrets' [roles] section, or None."""
    if not isinstance(allowlists, Mapping):
        return "The [roles] section of .streamlit/secrets.toml must be a table of email lists."
    unknown = sorted(set(allowlists) - {*ALLOWLISTS.values(), VERIFIED_EMAIL_ISSUERS})
    if unknown:
        return (
            f"The [roles] section of .streamlit/secrets.toml has {', '.join(unknown)}; "
            f"only {', '.join(ALLOWLISTS.values())} (lists of emails or ISSUER#SUBJECT) "
            f"and {VERIFIED_EMAIL_ISSUERS} are read."
        )
    entra = [str(i) for i in _as_list(allowlists.get(VERIFIED_EMAIL_ISSUERS)) if _unverifying(str(i))]
    if entra:
        return (
            f"{VERIFIED_EMAIL_ISSUERS} in .streamlit/secrets.toml lists {entra[0]}, but Microsoft Entra ID "
            "does not verify the email claim: give Entra users app roles, or list them as ISSUER#OBJECT-ID."
        )
    return None


def configuration_problem(
    *,
    sign_in_configured: bool,
    auth_section=None,
    require_login: str | None,
    default_role_setting: str | None,
    sign_in_hours_setting: str | None = None,
    allowlists,
    server_address: str | None,
) -> str | None:
    """Why the app must not serve anyone with this configuration (one sentence), or None.

    Without sign-in the app is for one local user, so it must listen only on this computer
    (`server.address` localhost); BOARD_REQUIRE_LOGIN=1 insists on sign-in being configured."""
    try:
        required = flag(require_login, REQUIRE_LOGIN_ENV)
        default_role(default_role_setting)
        sign_in_hours(sign_in_hours_setting)
    except ValueError as exc:
        return str(exc)
    if required and not sign_in_configured:
        return f"{REQUIRE_LOGIN_ENV}=1 is set but sign-in is not configured: {ADD_AUTH}."
    if sign_in_configured:
        missing = [key for key in AUTH_KEYS if not (auth_section or {}).get(key)]
        if missing:
            return f"The [auth] section of .streamlit/secrets.toml is missing {', '.join(missing)}."
        return allowlists_problem(allowlists)
    if (server_address or "").strip().strip("[]").casefold() not in LOOPBACK:
        where = f"'{server_address}'" if server_address else "every network interface"
        return (
            f"Sign-in is not configured, so the app serves only this computer, but it is listening on {where}: "
            f"start it with --server.address localhost, or {ADD_AUTH}."
        )
    return None
