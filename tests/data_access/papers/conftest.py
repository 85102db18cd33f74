"""The hand-checked plan of tests/data_access/reads/test_board.py (two reviews, three
recommendations, a <script> action and a formula-looking progress note), as a paper request."""

from __future__ import annotations

import pytest

from tests.data_access.reads.test_board import MEETING, populate_board


@pytest.fixture
def board(engine) -> dict:
    """ids of the populated plan; as_of: the meeting date the figures were worked out for."""
    return {**populate_board(engine), "as_of": MEETING}
