"""The database for every page: one engine per server process, and cached read queries.

Queries are cached on the function's name, small arguments (ids, dates, strings — never
DataFrames) and the data version, read once per run: an import from any process (the CLI, a
scheduled job, another replica) means new cache entries on the next run, never stale figures.
"""

from __future__ import annotations

import importlib

import streamlit as st

from data_access.db import database_url, describe_url, make_engine, upgrade
from data_access.reads import catalogue
from data_access.seed import seed_if_empty
from pages.ui import auth, plain

_DATA_VERSION = "_data_version"  # read once per run by read_data_version()


@st.cache_resource(show_spinner="Opening the database…")
def get_engine():
    """One engine per server: migrated to head, and seeded with the sample plans when empty."""
    engine = make_engine(database_url())
    upgrade(engine)
    seed_if_empty(engine)
    return engine


def engine_or_stop():
    """The engine, or a one-sentence error and the end of this run (never a traceback)."""
    try:
        return get_engine()
    except Exception as exc:  # noqa: BLE001 - a user must never see a traceback
        # Where the database is (password hidden) is for admins only; nobody sees SQL or a traceback.
        if auth.is_admin():
            st.error(
                f"The database at {plain.md(describe_url(database_url()))} could not be opened: "
                f"{type(exc).__name__}. Check BOARD_DATABASE_URL or .streamlit/secrets.toml."
            )
        else:
            st.error("The board's data could not be opened. Please tell your administrator.")
        st.stop()


@st.cache_data(show_spinner=False, max_entries=1024, ttl=3600)
def _cached_query(module: str, name: str, data_version: str, *args):
    # data_version is only part of the key (no leading underscore: st.cache_data skips those).
    if not module.startswith("data_access."):
        raise ValueError(f"not a data_access function: {module}.{name}")
    fn = getattr(importlib.import_module(module), name)
    return fn(get_engine(), *args)


def read_data_version() -> str:
    """The frame calls this once per run: a fingerprint of the stored reviews for the cache keys."""
    st.session_state[_DATA_VERSION] = version = catalogue.data_version(engine_or_stop())
    return version


def data_version() -> str:
    """This run's fingerprint of the stored reviews (see catalogue.data_version)."""
    return st.session_state.get(_DATA_VERSION) or catalogue.data_version(get_engine())


def query(fn, *args):
    """Call a data_access query `fn(engine, *args)`, cached on its name, small arguments and the
    data version."""
    return _cached_query(fn.__module__, fn.__qualname__, data_version(), *args)


def data_changed() -> None:
    """After a change made in this session (import, restore): re-read the data version and drop
    the old entries."""
    st.session_state[_DATA_VERSION] = catalogue.data_version(get_engine())
    _cached_query.clear()
