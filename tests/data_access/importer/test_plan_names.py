"""A plan's name is evidence, never a date (issue 23 item 4): a title line that is only a review
date names the review, not the plan; a file that does not name its plan is asked about (upload
page, tests/pages/test_upload.py) or refused without --plan (command line), so two councils'
trackers headed "Position as at 30 June 2018" never become one plan."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from sqlalchemy import select

from data_access.importer import ImportRefused, commit, default_plan_name, preview, read_tracker, suggested_plan_name
from data_access.importer.reading.sheets import is_review_date
from data_access.storage.schema import Plan, Review
from tests.data_access.importer import messy


def tracker(*title_lines: str, rows=None) -> bytes:
    """messy's plain tracker with these lines above the table (and a blank row before the header)."""
    wb = openpyxl.load_workbook(io.BytesIO(messy.build_xlsx(title_rows=False, **({"rows": rows} if rows else {}))))
    ws = wb.active
    ws.insert_rows(1, len(title_lines) + 1)
    for r, line in enumerate(title_lines, start=1):
        ws.cell(r, 1, line)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


DATE_ONLY = [
    ("Position as at 30 June 2018", dt.date(2018, 6, 30)),
    ("Update – June 2018", dt.date(2018, 6, 30)),
    ("As at 31/03/2018", dt.date(2018, 3, 31)),
    ("Q2 2017/18 update", dt.date(2017, 9, 30)),
]


@pytest.mark.parametrize(("line", "as_at"), DATE_ONLY, ids=[d[0] for d in DATE_ONLY])
def test_a_title_that_is_only_a_date_names_the_review_not_the_plan(line, as_at):
    assert is_review_date(line)
    parsed = read_tracker(tracker(line), "rutland-tracker-2018-06-30.xlsx")
    assert parsed.title is None and default_plan_name(parsed) is None
    assert [r.as_at for r in parsed.reviews] == [as_at]  # its date is the review's
    assert suggested_plan_name(parsed.filename) == "rutland tracker"


@pytest.mark.parametrize(
    ("lines", "name"),
    [
        (("Rutland improvement plan", "Position as at 30 June 2018"), "Rutland improvement plan"),
        (("Position as at 30 June 2018", "Rutland improvement plan"), "Rutland improvement plan"),
        (("Rutland improvement plan – position as at 30 June 2018",), "Rutland improvement plan"),
        (("Anytown action plan (Q2 2017/18)",), "Anytown action plan"),
        (("Ofsted ILACS action plan 2018",), "Ofsted ILACS action plan 2018"),  # a year is part of a name
    ],
)
def test_a_title_names_the_plan_without_its_review_date(lines, name):
    parsed = read_tracker(tracker(*lines), "whatever-2018-06-30.xlsx")
    assert default_plan_name(parsed) == name


def test_words_that_merely_mention_dates_are_still_names():
    for name in ("Progress report", "Improvement plan", "ILACS 2018", "Children's services update"):
        assert not is_review_date(name), name


@pytest.mark.parametrize(
    ("filename", "suggested"),
    [
        ("rutland-tracker-2018-06-30.xlsx", "rutland tracker"),
        ("Anytown_action_plan_30.06.2018.xlsx", "Anytown action plan"),
        ("Anytown action plan Q2 2017-18.xlsx", "Anytown action plan"),
        ("anytown plan june 2018.xlsx", "anytown plan"),
        ("ILACS 2018 plan.xlsx", "ILACS 2018 plan"),
    ],
)
def test_the_suggested_name_is_the_file_name_without_its_date(filename, suggested):
    assert suggested_plan_name(filename) == suggested


def test_preview_refuses_a_file_that_does_not_name_its_plan(engine):
    parsed = read_tracker(tracker("Position as at 30 June 2018"), "rutland-2018-06-30.xlsx")
    pv = preview(engine, parsed)
    assert pv.refusal.startswith("rutland-2018-06-30.xlsx does not name its plan")
    assert '--plan "rutland"' in pv.refusal
    with pytest.raises(ImportRefused, match="does not name its plan"):
        commit(engine, pv)
    assert preview(engine, parsed, plan_name="Rutland ILACS 2018").refusal is None


def test_two_councils_trackers_headed_only_by_dates_never_share_a_plan(cli, tmp_path, engine):
    url = str(engine.url)
    first = tmp_path / "tracker-2018-06-30.xlsx"
    first.write_bytes(tracker("Position as at 30 June 2018"))
    second = tmp_path / "tracker-2018-09-30.xlsx"
    rows = [[*r[:3], f"{r[3]} (the other council)", *r[4:]] for r in messy.ROWS]
    second.write_bytes(tracker("Position as at 30 September 2018", rows=rows))
    for path in (first, second):
        done = cli("import", path, "--db", url)
        assert done.code == 2, done.out
        lines = done.out.strip().splitlines()
        assert lines[0].startswith(f"REFUSED  {path.name} does not name its plan") and "--plan NAME" in lines[0]
        assert lines[0].count(". ") == 0  # one sentence
    with engine.connect() as conn:
        assert conn.execute(select(Plan.name)).all() == [] and conn.execute(select(Review.id)).all() == []
    assert cli("import", first, "--db", url, "--plan", "Rutland ILACS 2018").code == 0
    assert cli("import", second, "--db", url, "--plan", "Anytown ILACS 2018").code == 0
    with engine.connect() as conn:
        assert sorted(conn.execute(select(Plan.name)).scalars()) == ["Anytown ILACS 2018", "Rutland ILACS 2018"]
