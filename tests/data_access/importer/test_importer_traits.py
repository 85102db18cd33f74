"""Each messy trait alone, then combined: the importer must recover the same plan every time."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from data_access.importer import ImportRefused, read_tracker
from tests.data_access.importer import messy
from tests.data_access.importer.messy import EXPECTED_STATUS, ROWS, Traits


def parse(data: bytes, name: str = "tracker.xlsx", **kw):
    return read_tracker(data, name, **kw)


def issues(review):
    """Problems other than 'no as-at date' (most fixtures have no title row)."""
    return [p for p in review.problems if "'as at'" not in p.message]


def only_review(parsed):
    assert len(parsed.reviews) == 1, [r.sheet for r in parsed.reviews]
    return parsed.reviews[0]


def assert_base_plan(review, *, ids: bool = True):
    got = [(r.rec_ref, r.rec_text, r.description) for r in review.rows]
    assert got == [(row[0], row[1], row[3]) for row in ROWS]
    assert [r.status for r in review.rows] == [EXPECTED_STATUS[row[6]] for row in ROWS]
    if ids:
        assert [r.action_id for r in review.rows] == [row[2] for row in ROWS]
    assert [r.timescale.due for r in review.rows] == [
        dt.date(2018, 3, 31),
        dt.date(2018, 6, 30),
        dt.date(2018, 6, 30),
        dt.date(2018, 3, 31),
        None,
        dt.date(2018, 9, 30),
    ]
    assert [r.lead for r in review.rows][:2] == ["Head of Service CP", "Principal Social Worker"]


def test_plain_table():
    review = only_review(parse(messy.build_xlsx()))
    assert_base_plan(review)
    assert issues(review) == []
    assert review.header_row == 1
    assert review.rows[0].source_row == 2
    assert review.rows[0].progress == "Audits in place since January"
    assert review.rows[0].measure == "90% of audits good or better"
    assert review.unrecognised_columns == []


@pytest.mark.parametrize("headers", ["synonyms", "ref_as_id"])
def test_header_synonyms(headers):
    review = only_review(parse(messy.build_xlsx(headers=headers)))
    assert_base_plan(review)
    assert set(review.column_map.values()) >= {
        "rec_ref",
        "rec_text",
        "action_id",
        "action",
        "lead",
        "due",
        "status",
        "progress",
        "measure",
    }


def test_title_rows_give_title_and_as_at():
    parsed = parse(messy.build_xlsx(title_rows=True, start_col=3))
    review = only_review(parsed)
    assert_base_plan(review)
    assert parsed.title == "Anytown Council Children's Services Improvement Plan"
    assert review.as_at == dt.date(2018, 6, 30) and review.as_at_source == "title"
    assert review.header_row == 5
    assert issues(review) == []


def test_given_as_at_used_when_file_has_none():
    review = only_review(parse(messy.build_xlsx(), as_at=dt.date(2018, 9, 30)))
    assert review.as_at == dt.date(2018, 9, 30) and review.as_at_source == "given"


def test_no_as_at_is_a_problem_not_a_crash():
    review = only_review(parse(messy.build_xlsx()))
    assert review.as_at is None
    # listed when previewed; read_tracker itself still returns the rows
    assert review.rows


@pytest.mark.parametrize("trait", ["merged_recs", "sparse_recs", "rec_header_rows", "blank_spacers"])
def test_recommendations_carried_down(trait):
    review = only_review(parse(messy.build_xlsx(**{trait: True})))
    assert_base_plan(review)
    assert issues(review) == []


@pytest.mark.parametrize("kind", ["rgb", "indexed", "theme"])
def test_fill_only_rag(kind):
    review = only_review(parse(messy.build_xlsx(fill_only=kind)))
    assert_base_plan(review)
    assert review.statuses_from_colour == len(ROWS)
    assert all(r.status_from_colour for r in review.rows)
    assert issues(review) == []


def test_conditional_format_rag_is_reported():
    review = only_review(parse(messy.build_xlsx(conditional_rag=True)))
    assert {r.status for r in review.rows} == {"unknown"}
    assert review.conditional_format_warning and "conditional formatting" in review.conditional_format_warning
    assert any("conditional formatting" in p.message for p in review.problems)


def test_legend_footer_and_sheet_are_not_data():
    parsed = parse(messy.build_xlsx(legend_footer=True, legend_sheet=True))
    review = only_review(parsed)
    assert_base_plan(review)
    assert review.sheet == "Action plan"
    assert issues(review) == [] and parsed.problems == []


def test_real_date_cells():
    review = only_review(parse(messy.build_xlsx(real_dates=True)))
    assert_base_plan(review)
    assert review.rows[0].timescale.precision == "day"


def test_without_action_ids():
    review = only_review(parse(messy.build_xlsx(drop_ids=True)))
    assert_base_plan(review, ids=False)
    assert all(r.action_id is None for r in review.rows)


def test_bad_rows_are_imported_and_listed():
    review = only_review(parse(messy.build_xlsx(bad_rows=True)))
    assert len(review.rows) == len(ROWS) + 4
    by_text = {r.description: r for r in review.rows}
    assert by_text["Bad row: purple status"].status == "unknown"
    assert by_text["Bad row: purple status"].status_raw == "purple"
    assert by_text["Bad row: N/A status"].status == "unknown"
    impossible = by_text["Bad row: impossible date"]
    assert impossible.timescale.due is None and impossible.timescale.raw == "31/02/2017"
    messages = [p.message for p in review.problems]
    assert any("'purple'" in m for m in messages)
    assert any("'N/A'" in m for m in messages)
    assert any("31/02/2017" in m for m in messages)
    assert any("used twice" in m for m in messages)
    for p in issues(review):
        assert p.sheet == "Action plan" and p.row and p.column
    status_problem = next(p for p in review.problems if "'purple'" in p.message)
    assert status_problem.column == "G (RAG Status)"
    assert status_problem.row == by_text["Bad row: purple status"].source_row


def test_formula_and_html_text_kept_exactly():
    review = only_review(parse(messy.build_xlsx(formula_text=True)))
    progress = {r.progress for r in review.rows}
    for text in messy.FORMULA_TEXTS:
        assert text in progress


def test_all_traits_combined():
    traits = Traits(
        headers="synonyms",
        title_rows=True,
        start_col=2,
        blank_spacers=True,
        merged_recs=True,
        fill_only="theme",
        legend_footer=True,
        legend_sheet=True,
        formula_text=False,
        real_dates=True,
    )
    parsed = parse(messy.build_xlsx(traits))
    review = only_review(parsed)
    assert_base_plan(review)
    assert review.as_at == dt.date(2018, 6, 30)
    assert review.statuses_from_colour == len(ROWS)


PAIRS = list(
    itertools.combinations(
        ["title_rows", "blank_spacers", "merged_recs", "sparse_recs", "legend_footer", "legend_sheet", "real_dates"], 2
    )
)


@pytest.mark.parametrize("a,b", PAIRS)
def test_trait_pairs(a, b):
    review = only_review(parse(messy.build_xlsx(**{a: True, b: True})))
    assert_base_plan(review)
    assert issues(review) == []


@pytest.mark.parametrize("fill", ["rgb", "indexed", "theme"])
@pytest.mark.parametrize("layout", ["merged_recs", "sparse_recs", "rec_header_rows"])
def test_fill_with_layouts(fill, layout):
    review = only_review(parse(messy.build_xlsx(fill_only=fill, title_rows=True, **{layout: True})))
    assert_base_plan(review)
    assert review.statuses_from_colour == len(ROWS)


# ---------------------------------------------------------------------------
# Reviews per sheet
# ---------------------------------------------------------------------------


def test_sheets_per_review_period_in_date_order():
    data = messy.build_periods_xlsx(
        [("Q1 2017-18", {}), ("Q3 2016-17", {"1.1": "R", "1.3": "A"}), ("Q4 2016-17", {"1.3": "A"})]
    )
    parsed = parse(data)
    assert [r.sheet for r in parsed.reviews] == ["Q3 2016-17", "Q4 2016-17", "Q1 2017-18"]
    assert [r.as_at for r in parsed.reviews] == [dt.date(2016, 12, 31), dt.date(2017, 3, 31), dt.date(2017, 6, 30)]
    assert all(r.as_at_source == "sheet name" for r in parsed.reviews)
    assert parsed.reviews[0].rows[0].status == "red"
    assert parsed.reviews[2].rows[0].status == "green"


def test_single_period_sheet_gives_as_at():
    review = only_review(parse(messy.build_xlsx(sheet="June 2018 update")))
    assert review.as_at == dt.date(2018, 6, 30) and review.as_at_source == "sheet name"


# ---------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("encoding,bom", [("utf-8", False), ("utf-8", True), ("cp1252", False)])
def test_csv_encodings(encoding, bom):
    review = only_review(parse(messy.build_csv(encoding, bom=bom), "tracker.csv"))
    assert [r.rec_ref for r in review.rows] == [row[0] for row in ROWS]
    assert review.rows[0].description == "Audit 20 assessments, each month, costing £200"
    assert review.rows[1].progress == "Two of four sessions delivered.\nNext session: July – all teams"
    assert review.rows[0].timescale.due == dt.date(2018, 3, 31)


def test_csv_title_rows_and_semicolons():
    review = only_review(parse(messy.build_csv(title_rows=True, delimiter=";"), "tracker.csv"))
    assert len(review.rows) == len(ROWS)
    assert review.as_at == dt.date(2018, 6, 30)
    assert review.rows[0].source_row == 4


# ---------------------------------------------------------------------------
# Mapping
# ---------------------------------------------------------------------------


def test_manual_mapping_overrides_recognition():
    data = messy.build_xlsx(headers="ref_as_id")
    review = only_review(parse(data, mapping={"Outcome": "evidence", "Comments": "ignore"}))
    assert review.column_map["Outcome"] == "evidence"
    assert review.rows[0].evidence == "90% of audits good or better"
    assert review.rows[0].measure is None and review.rows[0].progress is None
    assert "Comments" not in review.unrecognised_columns


def test_unknown_mapping_field_refused():
    with pytest.raises(ImportRefused, match="unknown field"):
        parse(messy.build_xlsx(), mapping={"RAG Status": "colour"})


def test_unrecognised_columns_listed():
    import io

    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(messy.build_xlsx()))
    wb.active["J1"] = "Budget (£k)"
    wb.active["J2"] = 12
    out = io.BytesIO()
    wb.save(out)
    review = only_review(parse(out.getvalue()))
    assert review.unrecognised_columns == ["Budget (£k)"]


@pytest.mark.parametrize("fill", ["rgb", "indexed", "theme"])
def test_fill_fast_path_agrees_with_openpyxl(fill, monkeypatch):
    from data_access.importer.reading import workbook as read

    data = messy.build_xlsx(fill_only=fill, merged_recs=True, title_rows=True)
    fast = only_review(parse(data))
    monkeypatch.setattr(read, "_fast_xlsx_fills", lambda *a: None)
    monkeypatch.setattr(read, "_fast_xlsx_conditional_ranges", lambda *a: None)
    slow = only_review(parse(data))
    assert [r.status for r in fast.rows] == [r.status for r in slow.rows] == [EXPECTED_STATUS[r[6]] for r in ROWS]
    cf = only_review(parse(messy.build_xlsx(conditional_rag=True)))
    assert cf.conditional_format_warning


def _sheet(rows: list[list], merges: tuple[str, ...] = ()) -> bytes:
    import io

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "JTAI plan"
    for row in rows:
        ws.append(row)
    for ref in merges:
        ws.merge_cells(ref)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_partner_revised_date_and_section_headings():
    data = _sheet(
        [
            ["JTAI action plan", None, None, None, None, None, None],
            ["Ref", "Action", "Partner agency", "Lead", "Timescale", "Revised timescale", "RAG"],
            ["Recommendation 1: Improve information sharing at the front door", None, None, None, None, None, None],
            ["1.1", "Agree a sharing protocol", "Police", "DCI Safeguarding", "Mar 2018", "June 2018", "Amber"],
            ["1.2", "Co-locate health staff", "CCG", "Designated Nurse", "Q1 2018/19", "30/02/2018", "Green"],
            ["Theme: workforce", None, None, None, None, None, None],
            ["2.1", "Joint training", "All partners", "LSCB Manager", "Ongoing", None, "G"],
        ],
        merges=("A3:G3", "A6:G6"),
    )
    review = only_review(parse(data))
    assert [(r.rec_ref, r.action_id) for r in review.rows] == [("1", "1.1"), ("1", "1.2"), ("2", "2.1")]
    assert review.rows[0].rec_text == "Improve information sharing at the front door"
    assert review.rows[0].partner == "Police"
    assert review.rows[0].revised_due == dt.date(2018, 6, 30)
    assert review.rows[1].revised_due is None
    assert any("30/02/2018" in p.message and p.column == "F (Revised timescale)" for p in review.problems)
    assert review.rows[2].theme == "Theme: workforce"
    assert review.column_map["Ref"] == "action_id"


def test_status_words_and_blank_status_rows():
    data = _sheet(
        [
            ["Recommendation", "Action", "Status"],
            ["Improve supervision", "Audit supervision", "Complete"],
            [None, "Report monthly", "Amber - at risk"],
            [None, "Train managers", None],
        ]
    )
    review = only_review(parse(data))
    assert [r.status for r in review.rows] == ["complete", "amber", "unknown"]
    assert [r.rec_ref for r in review.rows] == ["1", "1", "1"]
    assert any(p.row == 4 and "blank" in p.message for p in review.problems)
