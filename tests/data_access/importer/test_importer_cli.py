"""`python -m data_access import` (in-process, through the `cli` fixture): JSON shape, exit codes, no
tracebacks."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select

from data_access.storage.schema import ActionUpdate, Plan, Review
from tests.data_access.importer import messy
from tests.data_access.importer.messy import Traits

ROOT = Path(__file__).resolve().parents[3]
STATUS_KEYS = {"complete", "green", "amber", "red", "unknown"}


@pytest.fixture
def run_cli(cli):
    """`run_cli(args...)`: `python -m data_access import args...`."""
    return lambda *args: cli("import", *args)


@pytest.fixture
def run_json(run_cli):
    """`run_json(args...)` -> (exit code, the one JSON document printed)."""

    def run(*args):
        proc = run_cli(*args, "--json")
        return proc.code, json.loads(proc.out)

    return run


def check_shape(doc: dict) -> None:
    assert set(doc) == {"files"}
    for f in doc["files"]:
        assert set(f) == {
            "path",
            "error",
            "reviews",
            "skipped_sheets",
            "assumptions",
            "measures",
            "measure_problems",
            "measure_corrections",
        }
        assert isinstance(f["path"], str) and (f["error"] is None or isinstance(f["error"], str))
        for r in f["reviews"]:
            assert set(r) == {
                "plan",
                "sheet",
                "as_at",
                "recommendations",
                "actions",
                "status_counts",
                "overdue",
                "signoff",
                "date_changes",
                "problems",
            }
            assert set(r["signoff"]) == {"signed_off", "awaiting"}
            assert set(r["date_changes"]) == {"approved", "not_approved"}
            assert isinstance(r["plan"], str) and r["plan"]
            assert r["sheet"] is None or isinstance(r["sheet"], str)
            assert r["as_at"] is None or dt.date.fromisoformat(r["as_at"])
            assert all(isinstance(r[k], int) for k in ("recommendations", "actions", "overdue"))
            assert set(r["status_counts"]) == STATUS_KEYS and all(
                isinstance(v, int) for v in r["status_counts"].values()
            )
            for p in r["problems"]:
                assert set(p) == {"sheet", "row", "column", "message"}
                assert p["row"] is None or isinstance(p["row"], int)
                assert isinstance(p["message"], str)


def write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def counts(url: str) -> dict:
    eng = create_engine(url)
    with eng.connect() as conn:
        out = {
            m.__tablename__: conn.execute(select(func.count()).select_from(m)).scalar_one()
            for m in (Plan, Review, ActionUpdate)
        }
    eng.dispose()
    return out


def test_import_two_quarters_then_duplicate(run_cli, run_json, tmp_path):
    url = f"sqlite:///{tmp_path / 'board.db'}"
    q1 = write(tmp_path, "q1.xlsx", messy.build_xlsx(Traits(title_rows=True, as_at=dt.date(2018, 6, 30))))
    q2 = write(
        tmp_path, "q2.xlsx", messy.build_xlsx(Traits(title_rows=True, as_at=dt.date(2018, 9, 30), bad_rows=True))
    )
    code, doc = run_json(q1, "--plan", "Anytown", "--db", url)
    check_shape(doc)
    assert code == 0
    (f,) = doc["files"]
    assert f["error"] is None and f["path"] == q1
    (r,) = f["reviews"]
    assert r == {
        "plan": "Anytown",
        "sheet": "Action plan",
        "as_at": "2018-06-30",
        "recommendations": 3,
        "actions": 6,
        "status_counts": {"complete": 1, "green": 2, "amber": 2, "red": 1, "unknown": 0},
        "overdue": 2,
        "signoff": {"signed_off": 0, "awaiting": 1},  # the one complete action: no sign-off recorded
        "date_changes": {"approved": 0, "not_approved": 0},
        "problems": [],
    }

    code, doc = run_json(q2, "--plan", "Anytown", "--db", url, "--as-of", "2019-01-01")
    check_shape(doc)
    assert code == 0
    r = doc["files"][0]["reviews"][0]
    assert r["actions"] == 10 and r["status_counts"]["unknown"] == 2
    assert any(p["row"] and p["column"] and "31/02/2017" in p["message"] for p in r["problems"])
    assert counts(url) == {"plan": 1, "review": 2, "action_update": 16}

    code, doc = run_json(q1, "--plan", "Other", "--db", url)
    check_shape(doc)
    assert code == 2
    error = doc["files"][0]["error"]
    assert "q1.xlsx" in error and "already imported" in error and "Anytown" in error
    assert counts(url) == {"plan": 1, "review": 2, "action_update": 16}


def test_dry_run_writes_nothing(run_cli, run_json, tmp_path):
    db = tmp_path / "board.db"
    url = f"sqlite:///{db}"
    q1 = write(tmp_path, "q1.xlsx", messy.build_xlsx(Traits(title_rows=True)))
    code, doc = run_json(q1, "--db", url, "--dry-run")
    assert code == 0 and doc["files"][0]["error"] is None and doc["files"][0]["reviews"][0]["actions"] == 6
    assert not db.exists()
    run_cli("--db", url, q1)  # a real import creates it
    before = counts(url)
    q2 = write(tmp_path, "q2.xlsx", messy.build_xlsx(Traits(title_rows=True, as_at=dt.date(2018, 9, 30))))
    code, _ = run_json(q2, "--db", url, "--dry-run")
    assert code == 0 and counts(url) == before


def test_bad_files_exit_2_with_one_sentence_each(run_cli, run_json, tmp_path):
    url = f"sqlite:///{tmp_path / 'board.db'}"
    good = write(tmp_path, "good.xlsx", messy.build_xlsx(Traits(title_rows=True)))
    bad = [
        write(tmp_path, "notes.xlsx", b"just some text, not a workbook\n"),
        write(tmp_path, "cut.xlsx", messy.truncated_xlsx()),
        write(tmp_path, "locked.xlsx", messy.encrypted_xlsx()),
        write(tmp_path, "laughs.xlsx", messy.billion_laughs_xlsx()),
        write(tmp_path, "minutes.xlsx", messy.no_header_workbook()),
        write(tmp_path, "blank.xlsx", messy.empty_workbook()),
        str(tmp_path / "missing.xlsx"),
    ]
    code, doc = run_json(good, *bad, "--db", url)
    check_shape(doc)
    assert code == 2
    assert doc["files"][0]["error"] is None
    for path, f in zip(bad, doc["files"][1:], strict=True):
        name = Path(path).name
        assert f["error"] and f["error"].startswith(name), f["error"]
        assert f["error"].count(". ") == 0, f["error"]  # one sentence
    assert counts(url)["review"] == 1


def test_undated_file_needs_as_at_and_human_summary(run_cli, run_json, tmp_path):
    url = f"sqlite:///{tmp_path / 'board.db'}"
    path = write(tmp_path, "undated.csv", messy.build_csv())
    proc = run_cli(path, "--db", url, "--plan", "CSV plan")
    assert proc.code == 2
    assert "REFUSED" in proc.out and "--as-at" in proc.out
    proc = run_cli(path, "--db", url, "--as-at", "2018-06-30", "--plan", "CSV plan")
    assert proc.code == 0, proc.out + proc.err
    assert "OK" in proc.out and "6 actions" in proc.out
    eng = create_engine(url)
    with eng.connect() as conn:
        assert conn.execute(select(Plan.name)).scalar_one() == "CSV plan"
        assert conn.execute(select(Review.as_at)).scalar_one() == dt.date(2018, 6, 30)
    eng.dispose()


def test_bad_date_argument_is_a_usage_error(run_cli, run_json, tmp_path):
    proc = run_cli("x.xlsx", "--as-at", "30/06/2018")
    assert proc.code == 2 and "YYYY-MM-DD" in proc.err


def test_coded_statuses_without_a_key_are_refused_naming_the_values_and_the_option(run_cli, run_json, tmp_path):
    from tests.data_access.importer import council_layouts as cl

    url = f"sqlite:///{tmp_path / 'board.db'}"
    path = write(tmp_path, "coded.xlsx", cl.coded_xlsx("numbers", key=None))
    for dry in ((), ("--dry-run",)):
        code, doc = run_json(path, "--db", url, *dry)
        check_shape(doc)
        assert code == 2
        error = doc["files"][0]["error"]
        assert error.startswith("coded.xlsx") and "--status-map" in error
        assert all(f"'{v}'" in error for v in "1234")
    proc = run_cli(path, "--db", url)
    assert proc.code == 2 and "REFUSED" in proc.out and "--status-map" in proc.out

    code, doc = run_json(path, "--db", url, "--status-map", "1=red, 2=Amber,3=green,4=blue")
    assert code == 0, doc
    (r,) = doc["files"][0]["reviews"]
    assert (r["plan"], r["recommendations"], r["actions"], r["status_counts"], r["overdue"]) == (
        "Testshire JTAI neglect action plan",
        5,
        14,
        {**cl.JTAI_COUNTS, "unknown": 0},
        cl.JTAI_OVERDUE,
    )
    # Remembered for the plan: next quarter's file needs no option.
    import io

    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(cl.coded_xlsx("numbers", key=None)))
    book.active["A2"] = "Position as at 30 September 2018"
    out = io.BytesIO()
    book.save(out)
    again = write(tmp_path, "coded-q2.xlsx", out.getvalue())
    code, doc = run_json(again, "--db", url, "--dry-run")
    assert code == 0 and doc["files"][0]["error"] is None, doc
    assert doc["files"][0]["reviews"][0]["status_counts"] == {**cl.JTAI_COUNTS, "unknown": 0}


def test_a_bad_status_map_is_a_usage_error(run_cli):
    proc = run_cli("x.xlsx", "--status-map", "1=purple")
    assert proc.code == 2 and "STATUS one of complete, green, amber, red, unknown" in proc.err


def test_two_plans_in_one_workbook_each_review_names_its_plan(run_json, tmp_path):
    from tests.data_access.importer import council_layouts as cl

    url = f"sqlite:///{tmp_path / 'board.db'}"
    path = write(tmp_path, "plans.xlsx", cl.two_plans_xlsx())
    code, doc = run_json(path, "--db", url, "--plan", "Testshire")
    assert code == 2 and "--sheet" in doc["files"][0]["error"]
    code, doc = run_json(path, "--db", url)
    check_shape(doc)
    assert code == 0
    assert [(r["plan"], r["sheet"], r["actions"]) for r in doc["files"][0]["reviews"]] == [
        ("SIF plan", "SIF plan", 8),
        ("JTAI plan", "JTAI plan", 14),
    ]
    assert counts(url)["plan"] == 2


def test_sheet_picks_one_sheet(run_json, tmp_path):
    from tests.data_access.importer import council_layouts as cl

    url = f"sqlite:///{tmp_path / 'board.db'}"
    path = write(tmp_path, "plans.xlsx", cl.two_plans_xlsx())
    code, doc = run_json(path, "--db", url, "--plan", "Testshire JTAI", "--sheet", "JTAI plan")
    assert code == 0, doc
    assert [(r["plan"], r["sheet"]) for r in doc["files"][0]["reviews"]] == [("Testshire JTAI", "JTAI plan")]
    code, doc = run_json(path, "--db", url, "--sheet", "Nope")
    assert code == 2 and "no sheet called 'Nope'" in doc["files"][0]["error"]


def test_the_cli_reports_commits_refusal_for_a_same_date_review(run_cli, tmp_path):
    url = f"sqlite:///{tmp_path / 'board.db'}"
    q1 = write(tmp_path, "q1.xlsx", messy.build_xlsx(Traits(title_rows=True)))
    fixed = write(tmp_path, "q1-fixed.xlsx", messy.build_xlsx(Traits(title_rows=True, bad_rows=True)))
    assert run_cli(q1, "--plan", "P", "--db", url).code == 0
    proc = run_cli(fixed, "--plan", "P", "--db", url)
    assert proc.code == 2 and "already has a different review as at that date" in proc.out and "--replace" in proc.out
    proc = run_cli(fixed, "--plan", "P", "--db", url, "--replace")
    assert proc.code == 0 and "Replaced: Q1 2018/19 as at 30 June 2018" in proc.out


def test_no_status_column_exits_2_naming_the_option_then_imports_with_it(run_cli, run_json, tmp_path):
    from tests.data_access.importer import council_layouts as cl

    url = f"sqlite:///{tmp_path / 'board.db'}"
    path = write(tmp_path, "rated.xlsx", cl.rated_xlsx("high-low", "Score"))
    code, doc = run_json(path, "--db", url)
    check_shape(doc)
    assert code == 2
    error = doc["files"][0]["error"]
    assert "no column recognised as the status" in error and "'Score'" in error and "--status-column" in error
    code, doc = run_json(path, "--db", url, "--status-column", "Score")
    assert code == 0, doc
    (r,) = doc["files"][0]["reviews"]
    assert (r["actions"], r["status_counts"], r["overdue"]) == (12, cl.RATED_COUNTS, cl.RATED_OVERDUE)
    assumptions = doc["files"][0]["assumptions"]
    assert "Column 'Score' on sheet 'Plan' holds the status, as chosen for this plan." in assumptions
    assert any(a.startswith("The status codes were read from the key in sheet 'Plan', row 3") for a in assumptions)
    assert any("range or pair" in a for a in assumptions)


def test_skipped_sheets_and_assumptions_in_json_and_text(run_cli, run_json, tmp_path):
    from tests.data_access.importer import council_layouts as cl

    url = f"sqlite:///{tmp_path / 'board.db'}"
    path = write(tmp_path, "with-summary.xlsx", cl.summary_between_xlsx())
    code, doc = run_json(path, "--db", url, "--dry-run")
    assert code == 0, doc
    (f,) = doc["files"]
    assert f["skipped_sheets"] == [
        {"sheet": "Cover", "reason": "it holds notes or a key, not a tracker table"},
        {"sheet": "Summary by recommendation", "reason": "it holds counts per recommendation (a summary), not actions"},
    ]
    assert [r["plan"] for r in f["reviews"]] == ["Testshire improvement plan"]
    assert f["assumptions"][0] == (
        "Column 'Progress rating (BRAG)' on sheet 'Plan' was taken as the status (its heading is not a plain "
        "'RAG status')."
    )
    proc = run_cli(path, "--db", url, "--dry-run")
    assert proc.code == 0
    assert "skipped sheet 'Summary by recommendation'" in proc.out and "assumed (not stated in the file):" in proc.out


def test_term_dates_date_school_terms_and_the_plan_remembers_them(run_cli, run_json, tmp_path):
    """Issue 28 item 3: "Summer term 2018" has no set date, so without the plan's term dates the
    action is undated (never overdue) and says so; --term-dates gives the council's day, the plan
    remembers it, and a later review is dated by it without the option."""
    from tests.data_access.importer import council_layouts as cl

    url = f"sqlite:///{tmp_path / 'board.db'}"
    august = write(tmp_path, "terms-aug.xlsx", cl.terms_xlsx("31 August 2018"))
    code, doc = run_json(august, "--db", url, "--dry-run")
    assert code == 0, doc
    (r,) = doc["files"][0]["reviews"]
    assert r["overdue"] == 1  # 1.3 only: the summer term is undated
    assert any("school term" in p["message"] for p in r["problems"])

    code, doc = run_json(august, "--db", url, "--term-dates", "summer=31/07")
    assert code == 0, doc
    (r,) = doc["files"][0]["reviews"]
    assert r["overdue"] == 2  # 1.1 (summer term 2018 = 31 July 2018) and 1.3
    assert any("term dates" in a for a in doc["files"][0]["assumptions"])
    assert sum("school term" in p["message"] for p in r["problems"]) == 1  # the autumn term, not given

    september = write(tmp_path, "terms-sep.xlsx", cl.terms_xlsx("30 September 2018"))
    code, doc = run_json(september, "--db", url)  # no option: the plan's remembered term dates
    assert code == 0, doc
    assert doc["files"][0]["reviews"][0]["overdue"] == 2
    engine = create_engine(url)
    with engine.connect() as conn:
        stored = conn.execute(select(Plan.term_dates).where(Plan.name == "Termshire improvement plan")).scalar_one()
    engine.dispose()
    assert json.loads(stored) == {"summer": "07-31"}


@pytest.mark.parametrize("given", ["winter=31/07", "summer=31/13", "summer", "summer=29/02"])
def test_a_bad_term_date_is_a_usage_error(run_cli, tmp_path, given):
    proc = run_cli(str(tmp_path / "x.xlsx"), "--term-dates", given)
    assert proc.code == 2 and "is not TERM=DAY/MONTH" in proc.err and "Traceback" not in proc.err
