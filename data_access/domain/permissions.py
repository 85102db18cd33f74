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
# Scoped roles (issue 26): they read what a viewer reads, and in an open update round update only
# their own actions: a lead the actions whose lead the plan's lead mapping names them for, a
# partner its organisation's actions (the action's partner agency).
LEAD, PARTNER = "lead", "partner"
SCOPED_ROLES = (LEAD, PARTNER)
ALL_ROLES = (VIEWER, LEAD, PARTNER, EDITOR, ADMIN)
_RANK = {VIEWER: 0, LEAD: 1, PARTNER: 1, EDITOR: 2, ADMIN: 3}
GROUPS_CLAIM = "groups"  # the provider's group claim (Entra: group object IDs; Keycloak, Okta: names)
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
    source: str  # "roles claim", "group mapping", "allowlist", "default role"
    organisation: str | None = None  # a partner's organisation
    groups: frozenset[str] = frozenset()  # the groups the provider vouched for (leads may be mapped to a group)


@dataclass(frozen=True)
class Person:
    """Who is writing, as every write checks it on the server side: the identity (audit trail, the
    plan's lead mapping), the role, a partner's organisation and the person's groups."""

    identity: str
    role: str | None
    organisation: str | None = None
    groups: frozenset[str] = frozenset()


# ---------------------------------------------------------------------------
# Groups to roles (BOARD_ROLE_GROUPS) and the scope of leads and partners
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupRole:
    group: str
    role: str
    organisation: str | None = None


def parse_role_groups(setting: str | None, name: str = "BOARD_ROLE_GROUPS") -> tuple[GroupRole, ...]:
    """`group=role[:organisation];…` -> GroupRoles. A partner needs its organisation; no other role
    takes one. Raises ValueError (one sentence) for anything else."""
    out = []
    for part in (setting or "").split(";"):
        if not part.strip():
            continue
        group, sep, rest = part.partition("=")
        role, _, organisation = rest.partition(":")
        group, role, organisation = group.strip(), role.strip().casefold(), " ".join(organisation.split())
        if not sep or not group or role not in ALL_ROLES:
            raise ValueError(
                f"{name} must be 'group=role[:organisation];…' with a role of {', '.join(ALL_ROLES)}, "
                f"not '{part.strip()}'."
            )
        if role == PARTNER and not organisation:
            raise ValueError(f"{name}: the partner group '{group}' needs its organisation ('{group}=partner:Police').")
        if role != PARTNER and organisation:
            raise ValueError(f"{name}: only a partner role takes an organisation, not '{part.strip()}'.")
        out.append(GroupRole(group, role, organisation or None))
    return tuple(out)


def groups_of(claims: Mapping) -> frozenset[str]:
    """The groups the provider puts in the token (`groups`), as written."""
    return frozenset(str(g).strip() for g in _as_list(claims.get(GROUPS_CLAIM)) if str(g).strip())


def role_from_groups(groups, mapping: tuple[GroupRole, ...]) -> GroupRole | None:
    """The highest role the mapping gives any of these groups (the first listed among equals)."""
    held = {g.casefold() for g in groups}
    found = [m for m in mapping if m.group.casefold() in held]
    return max(found, key=lambda m: _RANK[m.role], default=None)


def _same(a: object, b: object) -> bool:
    return " ".join(str(a or "").split()).casefold() == " ".join(str(b or "").split()).casefold() and bool(
        str(a or "").strip()
    )


def named_for_lead(person: Person, lead: str | None, lead_map: Mapping[str, list[str]]) -> bool:
    """Whether the plan's lead mapping (lead as the plan names it -> identities or groups) names this
    person, by identity or by one of their groups, for the lead `lead`."""
    if not lead:
        return False
    entries = next((v for k, v in lead_map.items() if _same(k, lead)), [])
    mine = {person.identity.casefold(), *(g.casefold() for g in person.groups)}
    return any(str(e).strip().casefold() in mine for e in entries)


def leads_of(person: Person, lead_map: Mapping[str, list[str]]) -> list[str]:
    """The leads (as the plan names them) the lead mapping names this person for."""
    return [lead for lead in lead_map if named_for_lead(person, lead, lead_map)]


def may_update(person: Person, lead: str | None, partner: str | None, lead_map: Mapping[str, list[str]]) -> bool:
    """Whether the person may update an action (its lead and partner agency) in an open round:
    editors and admins any action; a partner its organisation's actions; a lead, or a viewer the
    plan's lead mapping names, the actions of the leads it names them for. Nobody else."""
    if can(person.role, EDITOR):
        return True
    if person.role == PARTNER:
        return _same(partner, person.organisation)
    if person.role in (LEAD, VIEWER):
        return named_for_lead(person, lead, lead_map)
    return False


def can(role: str | None, needed: str) -> bool:
    """Whether `role` may do what `needed` may (admin ⊇ editor ⊇ lead, partner ⊇ viewer)."""
    return role in _RANK and needed in _RANK and _RANK[role] >= _RANK[needed]


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


def decide(
    claims: Mapping, allowlists: Mapping, default: str | None, role_groups: tuple[GroupRole, ...] = ()
) -> Decision:
    """The role for a signed-in person: the higher of the roles claim and the role its groups are
    mapped to (BOARD_ROLE_GROUPS), else the allowlists, else the default."""
    groups = groups_of(claims)
    from_claim = highest(_as_list(claims.get(ROLE_CLAIM)))
    mapped = role_from_groups(groups, role_groups)
    if mapped and (not from_claim or _RANK[mapped.role] > _RANK[from_claim]):
        return Decision(mapped.role, "group mapping", mapped.organisation, groups)
    if from_claim:
        return Decision(from_claim, "roles claim", groups=groups)
    from_list = role_from_allowlists(claims, allowlists)
    if from_list:
        return Decision(from_list, "allowlist", groups=groups)
    return Decision(default, "default role", groups=groups)


def local_person(identity: str, local_groups: str | None, role_groups: tuple[GroupRole, ...]) -> Person:
    """Local mode (no sign-in): the one local user may do everything, unless BOARD_LOCAL_GROUPS names
    groups to try a role with: then they are mapped through BOARD_ROLE_GROUPS exactly as a
    provider's groups claim is (a group no mapping names leaves a viewer)."""
    groups = frozenset(g.strip() for g in (local_groups or "").split(",") if g.strip())
    if not groups:
        return Person(identity, ADMIN)
    mapped = role_from_groups(groups, role_groups)
    return Person(identity, mapped.role if mapped else VIEWER, mapped.organisation if mapped else None, groups)


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


def lead_lines(mapping: Mapping[str, list[str]], leads: list[str]) -> str:
    """The plan's lead mapping as the settings page edits it: one line per lead, `Lead = who, who`
    (every lead the plan names, blank where nobody is named yet)."""
    named = {" ".join(k.split()).casefold(): k for k in mapping}
    lines = [f"{k} = {', '.join(mapping[k])}" for k in mapping]
    lines += [f"{lead} = " for lead in leads if " ".join(lead.split()).casefold() not in named]
    return "\n".join(lines)


def parse_lead_lines(text: str) -> dict[str, list[str]]:
    """`Lead = identity or group, …` lines -> {lead: [identities or groups]}; blank lines and leads
    with nobody named are left out. A line without '=' is refused (ValueError naming the line)."""
    out: dict[str, list[str]] = {}
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        lead, sep, who = line.rpartition("=")
        if not sep or not lead.strip():
            raise ValueError(f"Line {number} ('{line.strip()}') needs the form 'Lead = email or group, …'.")
        entries = [e.strip() for e in who.split(",") if e.strip()]
        if entries:
            out.setdefault(" ".join(lead.split()), []).extend(entries)
    return out
