"""The committed Excel trackers: they match the generator and look like real council trackers."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import sys
import time
import types
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from data_access.domain.rules import DAY, UNKNOWN, parse_period_label, status_from_fill
from data_access.papers.excel_export import write_inert
from data_access.storage.database import PROJECT_ROOT
from sample_data import generate
from sample_data.generate import FIXED_TIME, TRACKERS_DIR, build_workbooks, check, workbook_bytes
from sample_data.layouts import LAYOUTS
from sample_data.plans import MEASURE_SHEETS, build_plans


@pytest.fixture(scope="module")
def plans():
    return {plan.slug: plan for plan in build_plans()}


def _sheet(plan, review):
    wb = load_workbook(TRACKERS_DIR / plan.tracker_file(review))
    return wb, wb[review.sheet] if review.sheet else wb.worksheets[0]


def _column(layout, field):
    return [f for _, f in layout.columns].index(field) + 1


def test_committed_trackers_match_a_fresh_generation():
    assert check() == []


def test_check_reports_a_changed_cell_and_a_missing_file(tmp_path):
    for path in TRACKERS_DIR.glob("*.xlsx"):
        shutil.copy(path, tmp_path / path.name)
    target = tmp_path / "stockton-sif-action-plan-2016.xlsx"
    wb = load_workbook(target)
    wb["Q3 2016-17"]["D5"] = "An edited action"
    wb.save(target)
    (tmp_path / "rutland-next-steps-action-plan-2017-06-30.xlsx").unlink()
    problems = check(tmp_path)
    assert any("stockton-sif-action-plan-2016.xlsx [Q3 2016-17] D5" in p for p in problems)
    assert any("rutland-next-steps-action-plan-2017-06-30.xlsx: missing" in p for p in problems)


def test_check_command_exits_zero_on_the_committed_files():
    done = subprocess.run(
        [sys.executable, "-m", "sample_data.generate", "--check"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr


LATER = dt.timedelta(days=366, hours=5, minutes=7, seconds=11)  # odd seconds: past the zip's 2-second steps


def _move_clock(monkeypatch) -> None:
    """Every clock a build reads, moved on by LATER: time.time (zipfile stamps each entry with it)
    and openpyxl's datetime.now (the document's created/modified properties)."""
    import openpyxl.packaging.core
    import openpyxl.writer.excel

    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + LATER.total_seconds())

    class Later(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return dt.datetime.now(tz) + LATER

    moved = types.SimpleNamespace(**{name: getattr(dt, name) for name in dir(dt) if not name.startswith("__")})
    moved.datetime = Later
    for module in (openpyxl.writer.excel, openpyxl.packaging.core):
        monkeypatch.setattr(module, "datetime", moved)


def _plain_save(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _entries(data: bytes) -> dict[str, tuple]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {info.filename: info.date_time for info in zf.infolist()}


def test_generation_is_byte_for_byte_stable(monkeypatch):
    """The same trackers whatever the time. Two builds a moment apart would prove nothing (zip entry
    times have 2-second steps, and a build takes less), so the second build runs with the clock a
    year and a day on. The test first shows its moved clock reaches what a plain openpyxl save
    stamps (zip entry times, the document's modified time), so it fails if the generator stops
    fixing either."""
    now = _plain_save(Workbook())
    books_now = {name: workbook_bytes(wb) for name, wb in build_workbooks().items()}
    _move_clock(monkeypatch)
    later = _plain_save(Workbook())
    assert set(_entries(now).values()) != set(_entries(later).values())  # the clock moved for zipfile...
    core = "docProps/core.xml"
    with zipfile.ZipFile(io.BytesIO(now)) as a, zipfile.ZipFile(io.BytesIO(later)) as b:
        assert a.read(core) != b.read(core)  # ...and for openpyxl's document properties
    books_later = {name: workbook_bytes(wb) for name, wb in build_workbooks().items()}
    assert books_now.keys() == books_later.keys() and len(books_now) == 7
    fixed = FIXED_TIME.timetuple()[:6]
    for name, data in books_now.items():
        assert data == books_later[name], name
        assert set(_entries(data).values()) == {fixed}, name
    wb = load_workbook(next(TRACKERS_DIR.glob("*.xlsx")))
    assert wb.properties.created == FIXED_TIME and wb.properties.modified == FIXED_TIME


def test_rutland_has_one_file_per_review_with_its_date_in_the_title(plans):
    rutland = plans["rutland-2017"]
    files = {rutland.tracker_file(review) for review in rutland.reviews}
    assert len(files) == 4
    for review in rutland.reviews:
        _, ws = _sheet(rutland, review)
        assert ws["A1"].value == rutland.info.name == "Rutland County Council \u2013 Ofsted Next Steps Action Plan 2017"
        assert ws["A2"].value.startswith("Position as at ")
        assert parse_period_label(ws["A2"].value) == review.as_at
        assert ws["A3"].value is None and ws["A4"].value == "Ref"


def test_other_plans_have_one_sheet_per_review_named_by_quarter(plans):
    for slug in ("north-tyneside-2017", "stockton-sif-2016", "stockton-jtai-2018"):
        plan = plans[slug]
        wb = load_workbook(TRACKERS_DIR / plan.file_name)
        measures = MEASURE_SHEETS[slug].name if slug in MEASURE_SHEETS else None
        review_sheets = [name for name in wb.sheetnames if name not in ("Key", measures)]
        assert [parse_period_label(name) for name in review_sheets] == [r.as_at for r in plan.reviews]
    assert "Key" in load_workbook(TRACKERS_DIR / plans["north-tyneside-2017"].file_name).sheetnames


def test_rutland_recommendations_are_merged_across_their_actions(plans):
    rutland = plans["rutland-2017"]
    review = rutland.reviews[0]
    _, ws = _sheet(rutland, review)
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert "A5:A7" in merged and "B5:B7" in merged  # recommendation a: actions 1.1-1.3
    assert ws["B5"].value == review.rows[0].rec_text


def test_north_tyneside_writes_the_recommendation_on_its_first_row_only(plans):
    plan = plans["north-tyneside-2017"]
    layout = LAYOUTS[plan.layout]
    review = plan.reviews[0]
    _, ws = _sheet(plan, review)
    assert not ws.merged_cells.ranges
    text_col = _column(layout, "rec_text")
    first, second = layout.first_data_row, layout.first_data_row + 1
    assert ws.cell(first, text_col).value == review.rows[0].rec_text
    assert ws.cell(second, text_col).value is None


def test_fill_only_plan_has_no_status_text_and_its_colours_mean_the_status(plans):
    plan = plans["stockton-sif-2016"]
    layout = LAYOUTS[plan.layout]
    assert layout.status_words is None
    col = _column(layout, "status")
    for review in plan.reviews:
        _, ws = _sheet(plan, review)
        for row in review.rows:
            cell = ws.cell(row.source_row, col)
            assert cell.value is None
            fill = cell.fill.fgColor.rgb if cell.fill.fill_type == "solid" else None
            assert status_from_fill(fill) == row.status


def test_fill_only_plan_has_a_key_under_the_table(plans):
    plan = plans["stockton-sif-2016"]
    review = plan.reviews[-1]
    _, ws = _sheet(plan, review)
    key_row = review.rows[-1].source_row + 2
    assert ws.cell(key_row - 1, 1).value is None
    assert ws.cell(key_row, 1).value == "Key"
    assert ws.cell(key_row + 1, 2).value.startswith("Blue")


def test_text_plans_show_status_words_with_matching_fills(plans):
    for slug in ("rutland-2017", "north-tyneside-2017", "stockton-jtai-2018"):
        plan = plans[slug]
        col = _column(LAYOUTS[plan.layout], "status")
        review = plan.reviews[1]
        _, ws = _sheet(plan, review)
        for row in review.rows:
            cell = ws.cell(row.source_row, col)
            assert cell.value == row.status_raw
            if row.status != UNKNOWN:
                assert status_from_fill(cell.fill.fgColor.rgb) == row.status


def test_day_dates_are_excel_dates_and_other_timescales_text(plans):
    seen_date = seen_text = False
    for plan in plans.values():
        col = _column(LAYOUTS[plan.layout], "timescale")
        review = plan.reviews[0]
        _, ws = _sheet(plan, review)
        for row in review.rows:
            value = ws.cell(row.source_row, col).value
            if row.timescale.precision == DAY:
                assert isinstance(value, dt.datetime) and value.date() == row.timescale.due
                seen_date = True
            else:
                assert value == row.timescale.raw
                seen_text = True
    assert seen_date and seen_text


def test_jtai_repeats_the_area_on_every_row_and_names_partners(plans):
    plan = plans["stockton-jtai-2018"]
    layout = LAYOUTS[plan.layout]
    review = plan.reviews[0]
    _, ws = _sheet(plan, review)
    for row in review.rows:
        assert ws.cell(row.source_row, _column(layout, "rec_ref")).value == row.rec_ref
        assert ws.cell(row.source_row, _column(layout, "partner")).value == row.partner


def test_write_inert_keeps_formula_like_text_as_text(tmp_path):
    wb = Workbook()
    ws = wb.active
    for row, text in enumerate(("=SUM(A1:A9)", "+44 1234", "-1", "@cmd", "plain"), start=1):
        write_inert(ws.cell(row, 1), text)
    path = tmp_path / "inert.xlsx"
    wb.save(path)
    back = load_workbook(path).active
    for row, text in enumerate(("=SUM(A1:A9)", "+44 1234", "-1", "@cmd", "plain"), start=1):
        assert back.cell(row, 1).value == text and back.cell(row, 1).data_type == "s"


def test_a_bulleted_progress_note_in_the_trackers_is_inert_text():
    wb = load_workbook(TRACKERS_DIR / "stockton-jtai-neglect-action-plan-2018.xlsx")
    bullets = [
        c for row in wb["Q4 2018-19"].iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("- ")
    ]
    assert bullets and all(c.data_type == "s" for c in bullets)


def test_main_writes_into_a_given_folder(tmp_path):
    assert generate.main(["--dir", str(tmp_path)]) == 0
    assert generate.main(["--check", "--dir", str(tmp_path)]) == 0
    assert len(list(tmp_path.glob("*.xlsx"))) == 7
