"""Every environment variable the board reads: its name, its default and what it means.

The product reads the environment only through this module (`value` and the accessors below);
tests/test_settings_doc.py fails when a module reads one some other way, when a variable here is
missing from the README's settings table, or when that table names one that is not here.
Standard library only: the importer's reader process imports it before its limits apply.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Setting:
    name: str
    default: str  # as a person reads it in the README
    meaning: str


DATABASE_URL = Setting(
    "BOARD_DATABASE_URL",
    "`url` under `[connections.board]` in `.streamlit/secrets.toml`, else `data/board.db`",
    "the database (`sqlite:///…` or `postgresql://…`); `--db URL` on the command line wins over it",
)
MAX_UPLOAD_MB = Setting(
    "BOARD_MAX_UPLOAD_MB",
    "20",
    "the upload limit in MB for the page, the server (`make run` passes it on) and the command line (`--max-mb`)",
)
MAX_ROWS = Setting("BOARD_MAX_ROWS", "100000", "rows a sheet may have (`--max-rows` on the command line)")
REQUIRE_LOGIN = Setting(
    "BOARD_REQUIRE_LOGIN", "0", "`1`: refuse to start without an `[auth]` section (set it on every server)"
)
DEFAULT_ROLE = Setting(
    "BOARD_DEFAULT_ROLE", "viewer", "the role of a signed-in person no role names; `none` refuses them"
)
SIGN_IN_HOURS = Setting("BOARD_SIGN_IN_HOURS", "12", "hours a sign-in lasts before the person must sign in again")
COOKIE_SECRET = Setting(
    "BOARD_COOKIE_SECRET",
    "a random one per launch",
    "`deploy/launch.py`: the cookie secret every replica shares (`--cookie-secret` wins over it)",
)
SANDBOX_LIMITS = Setting(
    "BOARD_SANDBOX_LIMITS",
    "600,16",
    "set by the importer for its reader process: memory in MB and CPU seconds (not for people to set)",
)
IMPORTER_DEBUG = Setting(
    "IMPORTER_DEBUG", "unset", "set (the fuzz tests): a file that breaks the reader raises instead of being refused"
)
CABINET_TEMPLATE = Setting(
    "BOARD_CABINET_TEMPLATE",
    "unset (plain A4)",
    "a Word file (`.docx`/`.dotx`) on the server: the cabinet report is written in its house style "
    "([docs/papers.md](docs/papers.md))",
)
ROLE_GROUPS = Setting(
    "BOARD_ROLE_GROUPS",
    "unset",
    "`group=role[:organisation];…`: the role a sign-in provider's group gives (`police=partner:Cleveland Police;"
    "heads=lead;csc-managers=editor`); roles `viewer`, `lead`, `partner` (with its organisation), `editor`, `admin`",
)
LOCAL_GROUPS = Setting(
    "BOARD_LOCAL_GROUPS",
    "unset (local user may do everything)",
    "local mode only: groups (`police,heads`) the local user is treated as having, mapped by `BOARD_ROLE_GROUPS`, "
    "to try a lead or partner without a provider",
)
OPERATOR = Setting(
    "USER", "`command line`", "set by the system: who ran `import` on the command line, for the audit trail"
)

SETTINGS: tuple[Setting, ...] = (
    DATABASE_URL,
    MAX_UPLOAD_MB,
    MAX_ROWS,
    REQUIRE_LOGIN,
    DEFAULT_ROLE,
    SIGN_IN_HOURS,
    COOKIE_SECRET,
    SANDBOX_LIMITS,
    IMPORTER_DEBUG,
    CABINET_TEMPLATE,
    ROLE_GROUPS,
    LOCAL_GROUPS,
    OPERATOR,
)


def value(setting: Setting, environ: Mapping[str, str] | None = None) -> str | None:
    """The variable as set (None when unset); `environ` stands in for os.environ in tests."""
    return (os.environ if environ is None else environ).get(setting.name)


def importer_debug() -> bool:
    """IMPORTER_DEBUG set to anything: the importer re-raises instead of refusing politely."""
    return bool(value(IMPORTER_DEBUG))


def operator(otherwise: str) -> str:
    """Who is running the command line (USER), else `otherwise`."""
    return value(OPERATOR) or otherwise
