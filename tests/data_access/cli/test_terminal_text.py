"""File names and tracker text on a terminal: control sequences and bidi overrides are shown, never
acted on (data_access.cli.terminal_text), by every command that prints them."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from data_access.cli import terminal_text
from data_access.domain.rules import GREEN, parse_timescale
from data_access.domain.tracker_rows import PlanInfo, ReviewSnapshot, TrackerRow
from data_access.storage import plan_writer
from data_access.storage.database import make_engine, upgrade, write_transaction

EVIL = "q1\x1b[2J\x1b]0;pwned\x07\r\x9b31m\u202egpj.xlsx"  # clear screen, set title, bell, CR, C1 CSI, RLO


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain.xlsx", "plain.xlsx"),
        ("a\x1b[31mred", "a\\x1b[31mred"),
        ("bell\x07", "bell\\x07"),
        ("two\nlines\r", "two\\x0alines\\x0d"),
        ("c1\x9bcsi", "c1\\x9bcsi"),
        ("rlo\u202eabc", "rlo\\u202eabc"),
        ("£ é – ✔", "£ é – ✔"),  # ordinary non-ASCII text is left alone
        (None, ""),
    ],
)
def test_safe(text, expected):
    assert terminal_text.safe(text) == expected


def test_safe_json_keeps_the_data():
    document = json.dumps({"name": "c1\x9bcsi \u202e £", "esc": "\x1b"}, ensure_ascii=False)
    out = terminal_text.safe_json(document)
    assert "\x9b" not in out and "\u202e" not in out and "\x1b" not in out
    assert json.loads(out) == {"name": "c1\x9bcsi \u202e £", "esc": "\x1b"}


def unsafe(text: str) -> bool:
    return any(ch in text for ch in ("\x1b", "\x07", "\r", "\x9b", "\u202e"))


@pytest.fixture
def evil_db(tmp_path):
    url = f"sqlite:///{tmp_path / 'board.db'}"
    engine = make_engine(url)
    upgrade(engine)
    row = TrackerRow(
        "1", "Rec \x1b[31m1", "Act\x1b[5m", action_id="1.1", status=GREEN, timescale=parse_timescale("Ongoing")
    )
    with write_transaction(engine) as conn:
        plan_id = plan_writer.ensure_plan(conn, PlanInfo("Evil plan"))
        plan_writer.save_review(
            conn, plan_id, ReviewSnapshot(dt.date(2018, 6, 30), [row], label="Q1\x1b[1m", sheet="S\x07"), source=EVIL
        )
        plan_writer.save_review(
            conn, plan_id, ReviewSnapshot(dt.date(2018, 9, 30), [row], label="Q2\u202e"), source="q2.xlsx"
        )
    engine.dispose()
    return url


def test_reviews_prints_file_names_safely(cli, evil_db):
    result = cli("reviews", "--plan", "Evil plan", "--db", evil_db)
    assert result.code == 0
    assert not unsafe(result.out), repr(result.out)
    assert "q1\\x1b[2J\\x1b]0;pwned\\x07\\x0d\\x9b31m\\u202egpj.xlsx" in result.out
    assert "[S\\x07]" in result.out and "Q1\\x1b[1m" in result.out


def test_trends_prints_labels_safely(cli, evil_db):
    result = cli("trends", "--plan", "Evil plan", "--db", evil_db)
    assert result.code == 0 and not unsafe(result.out), repr(result.out)
    assert "\\u202e" in result.out


def test_errors_name_input_safely(cli, evil_db):
    result = cli("reviews", "--plan", "No\x1b[31m such", "--db", evil_db)
    assert result.code == 2 and not unsafe(result.err) and "No\\x1b[31m such" in result.err


def test_import_prints_file_names_safely(cli, tmp_path):
    path = tmp_path / "bad\x1b[31m\u202e.xlsx"
    path.write_bytes(b"not a workbook")
    db = f"sqlite:///{tmp_path / 'import.db'}"
    text = cli("import", str(path), "--plan", "P", "--db", db)
    assert text.code == 2 and not unsafe(text.out + text.err), repr(text.out + text.err)
    assert "bad\\x1b[31m\\u202e.xlsx" in text.out + text.err
    as_json = cli("import", str(path), "--plan", "P", "--db", db, "--json")
    assert not unsafe(as_json.out)
    assert json.loads(as_json.out)["files"][0]["path"].endswith("bad\x1b[31m\u202e.xlsx")  # the data is intact
