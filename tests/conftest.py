"""Shared fixtures: a real, migrated database per test (SQLite file; PostgreSQL via `any_engine`)."""

from __future__ import annotations

import pytest

from data_access.db import make_engine, upgrade


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'board.db'}"


@pytest.fixture
def engine(sqlite_url):
    """A migrated SQLite file in the test's own folder."""
    eng = make_engine(sqlite_url)
    upgrade(eng)
    yield eng
    eng.dispose()
