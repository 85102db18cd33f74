"""The database for every page: one engine per server process, and cached read queries.

Queries are cached on the function's name, small arguments (ids, dates, strings — never
DataFrames) and the data version, read once per run: an import from any process (the CLI, a
scheduled job, another replica) means new cache entries on the next run, never stale figures.
A result is computed once per process and shared by every viewer of the same plan, review and
date (st.cache_resource: nothing is pickled or unpickled per run; see `_own_copy`).

The engine is a plain module-level object, not an st.cache_resource: "Clear cache" (which any
websocket client can ask for) must not throw away the connection pool and redo the start-up
work (migrate, seed) while other viewers are mid-run or an import is being written.
"""

from __future__ import annotations

import functools
import gc
import importlib
import threading
from collections import OrderedDict
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from data_access.importer.sample_seed import seed_if_empty
from data_access.reads import catalogue
from data_access.storage.database import database_url, describe_url, make_engine, set_wait_notice, upgrade
from pages.ui import auth, plain

if TYPE_CHECKING:  # pages never import SQLAlchemy (pyproject.toml's import contracts)
    from sqlalchemy import Engine

_DATA_VERSION = "_data_version"  # read once per run by read_data_version()
_engine_lock = threading.Lock()
_engine: dict[str, Engine] = {}  # at most one entry: the configured URL's engine


def get_engine() -> Engine:
    """One engine per server process: migrated to head, and seeded with the sample plans when
    empty (both done once, and serialised across processes by data_access.storage.database.startup_lock).
    A changed database URL (tests; a changed secrets.toml) gets a new engine, the old one closed."""
    url = database_url()
    engine = _engine.get(url)
    if engine is not None:
        return engine
    with _engine_lock:
        if url not in _engine:
            engine = make_engine(url)
            upgrade(engine)
            seed_if_empty(engine)
            for old in _engine.values():
                old.dispose()
            _engine.clear()
            _engine[url] = engine
        return _engine[url]


_runs_seen = 0
FREEZE_AT_RUNS = (2, 12, 40)  # after the first runs have imported the pages' modules


def _settle_heap() -> None:
    """Move what start-up and the first runs made (modules, Plotly validators, templates) out of
    the garbage collector's sight (gc.freeze), a few times early in the process's life. Every
    full collection afterwards skips those objects: profiled with Streamlit's runner.postScriptGC
    (a full collection after every run, now off in both config files), that collection was two
    thirds of the server's CPU per run. Frozen
    objects are still freed by reference counting; only cycles among them are never collected."""
    global _runs_seen
    _runs_seen += 1
    if _runs_seen in FREEZE_AT_RUNS:
        gc.collect()
        gc.freeze()


def _wait_toast(sentence: str) -> None:
    st.toast(sentence, icon=":material/hourglass_top:")


def engine_or_stop():
    """The engine, or a one-sentence error and the end of this run (never a traceback)."""
    set_wait_notice(_wait_toast)  # a write that has to wait for another says so (this run's thread)
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


@st.cache_resource(show_spinner=False, max_entries=1024, ttl=3600)
def _cached_query(module: str, name: str, data_version: str, *args):
    # One result per process, shared by every session: no pickling on a hit (st.cache_data would
    # unpickle a private copy on every run of every viewer). data_version is only part of the key.
    if not module.startswith("data_access."):
        raise ValueError(f"not a data_access function: {module}.{name}")
    fn = getattr(importlib.import_module(module), name)
    return fn(get_engine(), *args)


def _own_copy(result):
    """What a page gets from the shared cache: DataFrames as shallow copies (pandas 3 is
    copy-on-write, so a page adding or changing a column never touches the shared one), lists and
    dicts as new containers; other results (frozen dataclasses, strings) are shared read-only."""
    if isinstance(result, (pd.DataFrame, pd.Series)):
        return result.copy(deep=False)
    if isinstance(result, (list, dict)):
        return type(result)(result)
    return result


def read_data_version() -> str:
    """The frame calls this once per run: a fingerprint of the stored reviews for the cache keys."""
    _settle_heap()
    st.session_state[_DATA_VERSION] = version = catalogue.data_version(engine_or_stop())
    return version


def data_version() -> str:
    """This run's fingerprint of the stored reviews (see catalogue.data_version)."""
    return st.session_state.get(_DATA_VERSION) or catalogue.data_version(get_engine())


def query(fn, *args):
    """Call a data_access query `fn(engine, *args)`, cached on its name, small arguments and the
    data version."""
    return _own_copy(_cached_query(fn.__module__, fn.__qualname__, data_version(), *args))


def data_changed() -> None:
    """After a change made in this session (import, restore): re-read the data version and drop
    the old entries."""
    st.session_state[_DATA_VERSION] = catalogue.data_version(get_engine())
    _cached_query.clear()


def shared(maxsize: int = 512):
    """Decorator: a process-wide memo of a pure function (small hashable arguments), computed once
    per arguments while other sessions wait for that result. functools.lru_cache lets every
    session that misses compute the value itself: a room of fifty opening a freshly started server
    (or opening it right after an import) built the same Plotly figure fifty times at once. The
    least recently used results beyond `maxsize` are dropped. A computation that raises is not
    kept: the next caller (a waiting one first) computes it again."""

    def decorate(fn):
        results: OrderedDict = OrderedDict()
        computing: dict[tuple, threading.Event] = {}
        lock = threading.Lock()

        @functools.wraps(fn)
        def wrapper(*args):
            while True:
                with lock:
                    if args in results:
                        results.move_to_end(args)
                        return results[args]
                    pending = computing.get(args)
                    mine = pending is None
                    if mine:
                        pending = computing[args] = threading.Event()
                if not mine:
                    pending.wait()
                    continue  # its result, or (if it raised or was dropped) compute it ourselves
                try:
                    value = fn(*args)
                    with lock:
                        results[args] = value
                        if len(results) > maxsize:
                            results.popitem(last=False)
                    return value
                finally:
                    with lock:
                        del computing[args]
                    pending.set()

        def cache_clear() -> None:
            with lock:
                results.clear()

        wrapper.cache_clear = cache_clear
        return wrapper

    return decorate


@st.cache_resource(show_spinner=False, max_entries=512, ttl=3600)
def _per_data_version(name: str, data_version: str, _fn, *args):
    # Keyed on `name` (the function's module and name), the data version and the arguments;
    # Streamlit leaves `_fn` (leading underscore) out of the key.
    return _fn(*args)


def per_data_version(fn):
    """Decorator: what a page builds from cached queries and draws alike for every viewer of the
    same view (an HTML chart or table), built once per process for each data version and
    arguments (small values: ids, dates, the frozen View) while other sessions wait for it (the
    per-key lock of st.cache_resource), and shared: a warm run reuses the string instead of
    building it again (issue 27: the server's CPU per run). "Clear cache" and the tests' clears
    drop it, as they drop `query`'s results."""
    name = f"{fn.__module__}.{fn.__qualname__}"

    @functools.wraps(fn)
    def wrapper(*args):
        return _per_data_version(name, data_version(), fn, *args)

    return wrapper
