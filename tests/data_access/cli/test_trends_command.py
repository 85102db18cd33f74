"""`python -m data_access trends` on the Testshire plan of tests/fixtures.py (in-process, through
the `cli` fixture)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from data_access.domain.rules import STATUSES
from data_access.domain.tracker_rows import PlanInfo, ReviewSnapshot, TrackerRow
from data_access.storage.database import write_transaction
from data_access.storage.plan_writer import ensure_plan, save_review
from tests.fixtures import build_testshire

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def db(engine, sqlite_url):
    build_testshire(engine)
    with write_transaction(engine) as conn:
        pid = ensure_plan(conn, PlanInfo("Lonely"))
        save_review(
            conn,
            pid,
            ReviewSnapshot(dt.date(2017, 6, 30), [TrackerRow("A", "Rec A", "Only action", "A1")]),
            source="only.xlsx",
        )
    engine.dispose()
    return sqlite_url


def _zero_matrix():
    return {f: dict.fromkeys(STATUSES, 0) for f in STATUSES}


def test_json_shape_and_default_last_two_reviews(cli, db):
    proc = cli("trends", "--plan", "Testshire", "--db", db, "--json")
    assert proc.code == 0, proc.err
    doc = json.loads(proc.out)
    assert list(doc) == ["plan", "reviews", "transitions"]
    assert doc["plan"] == "Testshire"
    assert doc["reviews"] == [
        {
            "label": "Q1 2017/18",
            "as_at": "2017-06-30",
            "overdue": 1,
            "status_counts": {"complete": 1, "green": 4, "amber": 1, "red": 2, "unknown": 1},
        },
        {
            "label": "Q2 2017/18",
            "as_at": "2017-09-30",
            "overdue": 2,
            "status_counts": {"complete": 1, "green": 3, "amber": 3, "red": 1, "unknown": 1},
        },
        {
            "label": "Q3 2017/18",
            "as_at": "2017-12-31",
            "overdue": 4,
            "status_counts": {"complete": 2, "green": 2, "amber": 2, "red": 3, "unknown": 0},
        },
    ]
    for review in doc["reviews"]:
        assert list(review) == ["label", "as_at", "status_counts", "overdue"]
        assert list(review["status_counts"]) == list(STATUSES)
    matrix = _zero_matrix()
    for f, t in [
        ("green", "complete"),
        ("amber", "red"),
        ("red", "red"),
        ("complete", "amber"),
        ("amber", "green"),
        ("green", "amber"),
        ("unknown", "complete"),
        ("green", "green"),
    ]:
        matrix[f][t] = 1
    assert doc["transitions"] == {
        "from": "Q2 2017/18",
        "to": "Q3 2017/18",
        "matrix": matrix,
        "added": ["C2"],
        "dropped": ["C1"],
        "slipped": ["A2", "B1", "B.3"],
        "completed": ["A1", "C3"],
    }
    assert list(doc["transitions"]) == ["from", "to", "matrix", "added", "dropped", "slipped", "completed"]
    for row in doc["transitions"]["matrix"].values():
        assert list(row) == list(STATUSES)


def test_from_by_label_to_by_date(cli, db):
    proc = cli("trends", "--plan", "Testshire", "--db", db, "--json", "--from", "Q1 2017/18", "--to", "2017-12-31")
    assert proc.code == 0, proc.err
    t = json.loads(proc.out)["transitions"]
    assert (t["from"], t["to"]) == ("Q1 2017/18", "Q3 2017/18")
    assert t["matrix"]["red"]["green"] == 1  # B2 red at Q1, green at Q3
    assert t["slipped"] == ["A2", "B1", "B.3"] and t["completed"] == ["A1", "C3"]


def test_to_alone_compares_with_the_review_before(cli, db):
    proc = cli("trends", "--plan", "Testshire", "--db", db, "--json", "--to", "2017-09-30")
    assert proc.code == 0, proc.err
    t = json.loads(proc.out)["transitions"]
    assert (t["from"], t["to"]) == ("Q1 2017/18", "Q2 2017/18")
    assert t["slipped"] == ["C1"] and t["completed"] == [] and t["added"] == [] and t["dropped"] == []


def test_readable_output_has_summary_and_matrix(cli, db):
    proc = cli("trends", "--plan", "Testshire", "--db", db)
    assert proc.code == 0, proc.err
    assert "Since Q2 2017/18 (30 September 2017): 2 actions completed" in proc.out
    assert "Off track" in proc.out and "Complete" in proc.out


@pytest.mark.parametrize(
    "args, needle",
    [
        (["--plan", "Nowhere"], "no plan called 'Nowhere'"),
        (["--plan", "Testshire", "--from", "Q4 2019/20"], "no review labelled or dated 'Q4 2019/20'"),
        (["--plan", "Testshire", "--to", "2017-01-01"], "no review labelled or dated '2017-01-01'"),
        (["--plan", "Lonely"], "only one review"),
        (["--plan", "Testshire", "--from", "Q3 2017/18", "--to", "Q1 2017/18"], "later than"),
    ],
)
def test_errors_are_one_sentence_exit_2(cli, db, args, needle):
    proc = cli("trends", *args, "--db", db, "--json")
    assert proc.code == 2
    assert proc.out == ""
    lines = proc.err.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0]
    assert "Traceback" not in proc.err


def test_upgrades_a_fresh_database_first(cli, tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    proc = cli("trends", "--plan", "Anything", "--db", url)
    assert proc.code == 2 and "no plan called 'Anything'" in proc.err
