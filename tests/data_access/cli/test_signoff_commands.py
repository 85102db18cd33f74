"""`import --dry-run --json` sign-off and date-change fields, `signoff` and `dates` (issue 25).
Expected counts are worked by hand in tests/data_access/storage/test_board_decisions.py."""

from __future__ import annotations

import json

from tests.data_access.storage.test_board_decisions import DATES_Q4, SIGNOFF_Q1, SIGNOFF_Q4


def _write(tmp_path, name, csv):
    path = tmp_path / name
    path.write_text(csv, encoding="utf-8")
    return path


def test_dry_run_json_counts_signoff_and_date_changes(cli, tmp_path, sqlite_url):
    q4 = _write(tmp_path, "q4.csv", SIGNOFF_Q4)
    out = cli("import", q4, "--plan", "Testshire", "--as-at", "2018-03-31", "--db", sqlite_url, "--dry-run", "--json")
    assert out.code == 0, out.err
    (review,) = json.loads(out.out)["files"][0]["reviews"]
    assert review["signoff"] == {"signed_off": 2, "awaiting": 2}
    assert review["date_changes"] == {"approved": 0, "not_approved": 0}
    assert review["overdue"] == 2
    dates = _write(tmp_path, "dates.csv", DATES_Q4)
    out = cli("import", dates, "--plan", "Dates", "--as-at", "2018-03-31", "--db", sqlite_url, "--dry-run", "--json")
    (review,) = json.loads(out.out)["files"][0]["reviews"]
    assert review["date_changes"] == {"approved": 2, "not_approved": 1}
    assert review["overdue"] == 1  # the unrevised row is dated by its original timescale


def test_dry_run_counts_dates_moved_since_the_stored_review(cli, tmp_path, sqlite_url):
    q4 = _write(tmp_path, "q4.csv", SIGNOFF_Q4)
    assert cli("import", q4, "--plan", "Testshire", "--as-at", "2018-03-31", "--db", sqlite_url).code == 0
    q1 = _write(tmp_path, "q1.csv", SIGNOFF_Q1)
    out = cli("import", q1, "--plan", "Testshire", "--as-at", "2018-06-30", "--db", sqlite_url, "--dry-run", "--json")
    (review,) = json.loads(out.out)["files"][0]["reviews"]
    # 2.1 moved from 31 Jan to 30 Sep 2018 with no approval; 1.1 signed off in the stored review.
    assert review["date_changes"] == {"approved": 0, "not_approved": 1}
    assert review["signoff"] == {"signed_off": 1, "awaiting": 2}


def test_signoff_command_and_refusal(cli, tmp_path, sqlite_url):
    q4 = _write(tmp_path, "q4.csv", SIGNOFF_Q4)
    assert cli("import", q4, "--plan", "Testshire", "--as-at", "2018-03-31", "--db", sqlite_url).code == 0
    refused = cli(
        "signoff", "--plan", "Testshire", "--review", "2018-03-31", "--actions", "1.2,2.3", "--evidence", "Minutes",
        "--db", sqlite_url,
    )  # fmt: skip
    assert refused.code == 2
    assert "2.3 is not complete in the review of 31 March 2018, so it cannot be signed off." in refused.err
    done = cli(
        "signoff", "--plan", "Testshire", "--review", "2018-03-31", "--actions", "1.2", "--evidence", "Training log",
        "--db", sqlite_url,
    )  # fmt: skip
    assert done.code == 0 and "Signed off 1.2" in done.out
    audit = cli("audit", "--db", sqlite_url)
    assert "sign-off" in audit.out and "1.2 signed off" in audit.out


def test_dates_command_lists_every_change_with_its_approval(cli, tmp_path, sqlite_url):
    dates = _write(tmp_path, "dates.csv", DATES_Q4)
    assert cli("import", dates, "--plan", "Dates", "--as-at", "2018-03-31", "--db", sqlite_url).code == 0
    out = cli("dates", "--plan", "Dates", "--json", "--db", sqlite_url)
    assert out.code == 0, out.err
    changes = json.loads(out.out)["changes"]
    assert [(c["from"], c["to"], c["state"], c["approved_by"]) for c in changes] == [
        ("2017-12-31", "2018-06-30", "approved", "Improvement board 15/01/2018"),
        ("2018-01-31", "2018-04-30", "not_approved", None),
        ("2018-02-28", "2018-03-31", "approved", "Director of children's services"),
    ]
    text = cli("dates", "--plan", "Dates", "--db", sqlite_url).out
    assert "2018-01-31 -> 2018-04-30  not approved (Consultation extended)" in text
