"""The one rule for text that enters (data_access/domain/clean_text), applied as a tracker is read
(importer/reading/workbook.clean_grids): Excel's `_x000B_` soft returns, control characters,
noncharacters and line separators in cells and sheet names are replaced, and the import summary
says how many cells changed and where (sheet, row, column) on the page, in the CLI's text and in
its --json."""

from __future__ import annotations

import io
import json
import zipfile

import openpyxl
from sqlalchemy import create_engine, select

from data_access.importer import read_tracker
from data_access.importer.reading.workbook import MAX_LISTED_CELLS
from data_access.storage.schema import Action, Plan

HEADER = ["Ref", "Recommendation", "Action", "Lead", "Timescale", "RAG"]


def xlsx(rows: list[list], *, raw: dict[str, bytes] | None = None, title: str = "Plan") -> bytes:
    """A workbook; each placeholder in `raw` is replaced in the file's XML by bytes Excel itself
    writes (`_x000B_` for a soft return; XML cannot hold a raw \\x01)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(["Council improvement plan"])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    if not raw:
        return out.getvalue()
    patched = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as zin, zipfile.ZipFile(patched, "w") as zout:
        for name in zin.namelist():
            data = zin.read(name)
            for placeholder, replacement in raw.items():
                data = data.replace(placeholder.encode(), replacement)
            zout.writestr(name, data)
    return patched.getvalue()


def soft_return_tracker() -> bytes:
    return xlsx(
        [
            ["1", "Improve the front door", "Recruit SOFT staff", "Head DEL", "June 2018", "Red"],
            ["2", "Supervision", "Audit supervision", "Principal SW", "June 2018", "Green"],
        ],
        raw={"SOFT": b"more_x000B_social_x001F_", "DEL": b"of\x7fService_x000D_"},
    )


def test_excel_soft_returns_and_controls_are_cleaned_and_each_cell_is_named():
    parsed = read_tracker(soft_return_tracker(), "soft.xlsx")
    rows = parsed.reviews[0].rows
    assert rows[0].description == "Recruit more\nsocial  staff"  # _x000B_ a line break, _x001F_ a space
    assert rows[0].lead == "Head of Service\n"  # DEL a space, _x000D_ a line break
    messages = [(p.sheet, p.row, p.column, p.message) for p in parsed.problems]
    assert messages[0][:3] == (None, None, None) and messages[0][3].startswith("2 cells held characters")
    assert [m[:3] for m in messages[1:]] == [("Plan", 3, "C"), ("Plan", 3, "D")]
    assert parsed.reviews[0].rows[1].description == "Audit supervision"


def test_csv_controls_line_separators_and_noncharacters():
    text = (
        ",".join(HEADER)
        + "\r\n1,Improve,Plan\x01ahead\u2028now,Head\x1bof,June 2018,Red\r\n2,Other,Fine,Lead,June 2018,Red\r\n"
    )
    text += "3,Other,Odd \ufffe mark,Lead,June 2018,Red\r\n"
    parsed = read_tracker(text.encode("utf-8"), "controls.csv")
    rows = parsed.reviews[0].rows
    assert [r.description for r in rows] == ["Plan ahead\nnow", "Fine", "Odd   mark"]
    assert rows[0].lead == "Head of"
    assert parsed.problems[0].message.startswith("3 cells held characters no paper can hold")
    assert [(p.sheet, p.row, p.column) for p in parsed.problems[1:]] == [(None, 2, "C"), (None, 2, "D"), (None, 4, "C")]


def test_many_cells_are_counted_and_the_first_ones_listed():
    rows = [[str(n), "Rec", f"Action CTRL {n}", "Lead", "June 2018", "Red"] for n in range(1, 16)]
    parsed = read_tracker(xlsx(rows, raw={"CTRL": b"_x0001_"}), "many.xlsx")
    assert parsed.problems[0].message.startswith("15 cells held characters")
    listed = [p for p in parsed.problems if p.row is not None]
    assert len(listed) == MAX_LISTED_CELLS and listed[0].row == 3 and listed[-1].row == 2 + MAX_LISTED_CELLS
    assert parsed.problems[-1].message == f"{15 - MAX_LISTED_CELLS} more cells like these."
    assert all("\x01" not in r.description for r in parsed.reviews[0].rows)


def test_a_sheet_name_with_a_control_character_is_cleaned_and_can_still_be_chosen():
    rows = [["1", "Rec", "Action", "Lead", "June 2018", "Red"]]
    data = xlsx(rows, title="PlanDEL", raw={"PlanDEL": b"Plan\x7fQ2"})
    parsed = read_tracker(data, "sheet.xlsx")
    assert parsed.reviews[0].sheet == "Plan Q2"
    assert ("Plan Q2", None, None) in [(p.sheet, p.row, p.column) for p in parsed.problems]
    assert read_tracker(data, "sheet.xlsx", sheet="Plan\x7fQ2").reviews[0].sheet == "Plan Q2"


def test_a_clean_file_has_no_cleaning_notice():
    parsed = read_tracker(xlsx([["1", "Rec", "Tab\there", "Lead", "June 2018", "Red"]]), "clean.xlsx")
    assert parsed.problems == [] and parsed.reviews[0].rows[0].description == "Tab\there"


def test_the_cli_summary_and_json_say_how_many_cells_and_where(cli, tmp_path, sqlite_url):
    path = tmp_path / "soft.xlsx"
    path.write_bytes(soft_return_tracker())
    out = cli("import", path, "--plan", "Anytown", "--as-at", "2018-06-30", "--db", sqlite_url)
    assert out.code == 0, out.out + out.err
    assert "2 cells held characters no paper can hold" in out.out
    assert "sheet Plan, row 3, column C: This cell held control characters; they were replaced." in out.out
    engine = create_engine(sqlite_url)
    with engine.connect() as conn:
        assert "Recruit more\nsocial  staff" in set(conn.execute(select(Action.description)).scalars())
        assert set(conn.execute(select(Plan.name)).scalars()) == {"Anytown"}
    engine.dispose()

    doc = json.loads(
        cli(
            "import",
            path,
            "--plan",
            "Anytown",
            "--as-at",
            "2018-06-30",
            "--db",
            f"{sqlite_url}.2",
            "--json",
            "--dry-run",
        ).out
    )
    problems = doc["files"][0]["reviews"][0]["problems"]
    assert problems[0]["message"].startswith("2 cells held characters")
    assert [(p["sheet"], p["row"], p["column"]) for p in problems[1:3]] == [("Plan", 3, "C"), ("Plan", 3, "D")]
