"""The upload page: preview before anything is written, then Import (one transaction) or Cancel."""

from __future__ import annotations

from datetime import date

from data_access import importer
from data_access.reads import catalogue, review_figures
from data_access.storage.database import make_engine
from tests.data_access.importer import messy
from tests.pages.page_helpers import shown

PAGE = "pages/upload.py"


def _upload(at, name: str, data: bytes):
    at.get("file_uploader")[0].upload(name, data).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _plans(app) -> list[str]:
    return list(catalogue.list_plans(make_engine(app.ids["url"]))["name"])


def _button(at, label: str):
    return next(b for b in at.button if shown(b.label) == label)


def test_preview_then_import_into_a_new_plan(app):
    at = app(PAGE)
    at.selectbox[0].select("(a new plan)").run()  # "Import into" is the page's first selectbox
    at.text_input[0].input("Anytown ILACS 2018").run()
    tracker = messy.build_xlsx(title_rows=True, bad_rows=True, formula_text=True)
    _upload(at, "anytown.xlsx", tracker)

    assert at.header[0].value == "Preview — nothing has been saved yet"
    assert _plans(app) == ["Testshire ILACS 2024"]  # nothing written by the preview
    expected = importer.read_tracker(tracker, "anytown.xlsx").reviews[0]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Actions"] == str(len(expected.rows)) and metrics["Problems"] == str(len(expected.problems))
    assert len(expected.problems) >= 3
    problems = next(d.value for d in at.dataframe if "Problem" in d.value.columns)
    assert {"Sheet", "Row", "Column", "Problem"} <= set(problems.columns)
    assert problems["Problem"].str.contains("purple", case=False).any()  # bad status listed, not dropped

    _button(at, "Import").click().run()
    assert not at.exception
    assert "Imported 1 review from anytown.xlsx into 'Anytown ILACS 2018'" in shown(at.success[0].value)
    assert _plans(app) == ["Anytown ILACS 2018", "Testshire ILACS 2024"]
    engine = make_engine(app.ids["url"])
    plan_id = int(catalogue.list_plans(engine).set_index("name").loc["Anytown ILACS 2018", "id"])
    review_id = int(catalogue.list_reviews(engine, plan_id)["id"].iloc[-1])
    stored = review_figures.review_actions(engine, review_id, catalogue.list_reviews(engine, plan_id)["as_at"].iloc[-1])
    assert len(stored) == len(expected.rows)
    assert stored["progress"].str.startswith("=HYPERLINK").any()  # formula-looking text kept, inert


def test_same_file_twice_is_refused_naming_the_earlier_import(app):
    at = app(PAGE)
    at.selectbox[0].select("(a new plan)").run()
    at.text_input[0].input("Anytown").run()
    data = messy.build_xlsx(title_rows=True)
    _upload(at, "q1.xlsx", data)
    _button(at, "Import").click().run()
    at.selectbox[0].select("Anytown").run()
    _upload(at, "q1-copy.xlsx", data)
    assert any("q1.xlsx" in shown(e.value) for e in at.error)  # names the earlier import
    assert _button(at, "Import").disabled


def test_bad_file_gets_one_clear_sentence_and_no_traceback(app):
    at = app(PAGE)
    _upload(at, "notes.xlsx", b"this is not a spreadsheet at all")
    assert len(at.error) == 1 and "notes.xlsx" in shown(at.error[0].value)
    assert not at.exception
    assert _plans(app) == ["Testshire ILACS 2024"]


def test_cancel_clears_the_upload_and_writes_nothing(app):
    at = app(PAGE)
    at.selectbox[0].select("(a new plan)").run()
    _upload(at, "anytown.xlsx", messy.build_xlsx(title_rows=True))
    _button(at, "Cancel").click().run()
    assert not at.header  # the preview is gone
    assert _plans(app) == ["Testshire ILACS 2024"]


def test_replacing_a_review_is_explicit_and_the_old_one_can_be_restored(app):
    at = app(PAGE)
    at.selectbox[0].select("(a new plan)").run()
    at.text_input[0].input("Anytown").run()
    _upload(at, "june.xlsx", messy.build_xlsx(title_rows=True))
    _button(at, "Import").click().run()
    engine = make_engine(app.ids["url"])
    plan_id = int(catalogue.list_plans(engine).set_index("name").loc["Anytown", "id"])
    [original] = list(catalogue.list_reviews(engine, plan_id)["id"])

    at.selectbox[0].select("Anytown").run()
    _upload(at, "june-corrected.xlsx", messy.build_xlsx(title_rows=True, bad_rows=True))  # same as-at date
    assert _button(at, "Import").disabled  # replacing needs an explicit choice
    next(c for c in at.checkbox if c.label.startswith("Replace the plan's existing review")).check().run()
    _button(at, "Import").click().run()
    assert "Replace and import" in [b.label for b in at.button]  # confirmed in a dialog first
    assert len(catalogue.review_history(engine, plan_id)) == 1
    _button(at, "Replace and import").click().run()
    assert not at.exception
    [replacement] = list(catalogue.list_reviews(engine, plan_id)["id"])
    assert replacement != original

    at.get("file_uploader")[0].set_value(None).run()  # back to the empty form: the history shows
    restore = next(b for b in at.button if shown(b.label) == f"Restore review {original} (Q1 2018/19, june.xlsx)")
    restore.click().run()
    assert list(catalogue.list_reviews(engine, plan_id)["id"]) == [replacement]  # not before it is confirmed
    _button(at, "Restore").click().run()
    assert not at.exception
    assert list(catalogue.list_reviews(engine, plan_id)["id"]) == [original]
    assert len(catalogue.review_history(engine, plan_id)) == 2  # nothing deleted


def _csv(rows: list[list[str]]) -> bytes:
    import csv
    import io

    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


HEADER = ["Ref", "Recommendation", "Action ID", "Action", "Lead", "Timescale", "RAG", "Board notes *"]


def test_an_unrecognised_column_is_mapped_by_hand_and_remembered_for_the_plan(app):
    q1 = _csv(
        [
            HEADER,
            [
                "a",
                "Improve supervision",
                "1.1",
                "Audit files",
                "Head of Service",
                "March 2018",
                "Green",
                "Seen by the board in May",
            ],
        ]
    )
    at = app(PAGE)
    at.selectbox[0].select("(a new plan)").run()
    at.text_input[0].input("Anytown").run()
    at.date_input[0].set_value(date(2018, 3, 31)).run()
    _upload(at, "q4.csv", q1)
    mapper = next(s for s in at.selectbox if "Board notes" in s.label)
    assert mapper.value == "(ignore this column)"  # not recognised: listed, ignored until chosen
    mapper.select("Evidence")  # a form: the choice is sent with its submit button
    _button(at, "Apply these column choices").click().run()
    _button(at, "Import").click().run()
    assert not at.exception
    engine = make_engine(app.ids["url"])
    assert importer.remembered_mapping(engine, "Anytown") == {"board notes": "evidence"}
    plan_id = int(catalogue.list_plans(engine).set_index("name").loc["Anytown", "id"])
    review_id = int(catalogue.list_reviews(engine, plan_id)["id"].iloc[-1])
    assert review_figures.review_actions(engine, review_id, date(2018, 3, 31))["evidence"].tolist() == [
        "Seen by the board in May"
    ]

    # Next quarter, into the same plan: the remembered mapping applies without asking.
    q2 = _csv(
        [
            HEADER,
            [
                "a",
                "Improve supervision",
                "1.1",
                "Audit files",
                "Head of Service",
                "March 2018",
                "Complete",
                "Signed off in July",
            ],
        ]
    )
    at.selectbox[0].select("Anytown").run()
    at.date_input[0].set_value(date(2018, 6, 30)).run()
    _upload(at, "q1.csv", q2)
    assert next(s for s in at.selectbox if "Board notes" in s.label).value == "Evidence"


def test_actions_without_ids_are_matched_by_text_when_the_user_accepts(app):
    q1 = messy.build_xlsx(title_rows=True, drop_ids=True, as_at=date(2018, 3, 31))
    reworded = [list(r) for r in messy.ROWS]
    reworded[0][3] = "Audit 20 assessments every month"  # was "... each month"
    q2 = messy.build_xlsx(title_rows=True, drop_ids=True, as_at=date(2018, 6, 30), rows=[tuple(r) for r in reworded])
    at = app(PAGE)
    at.selectbox[0].select("(a new plan)").run()
    at.text_input[0].input("Anytown").run()
    _upload(at, "q4.xlsx", q1)
    _button(at, "Import").click().run()
    at.selectbox[0].select("Anytown").run()
    _upload(at, "q1.xlsx", q2)
    [proposal] = [c for c in at.checkbox if "is the same action as" in c.label]
    assert "every month" in proposal.label and "each month" in proposal.label and proposal.value  # ticked
    _button(at, "Import").click().run()
    assert not at.exception
    engine = make_engine(app.ids["url"])
    plan_id = int(catalogue.list_plans(engine).set_index("name").loc["Anytown", "id"])
    first, second = catalogue.list_reviews(engine, plan_id)["id"]
    keys_q1 = set(review_figures.review_actions(engine, int(first), date(2018, 6, 30))["key"])
    keys_q2 = set(review_figures.review_actions(engine, int(second), date(2018, 6, 30))["key"])
    assert keys_q1 == keys_q2  # the reworded action kept its identity: its history is one line


def test_coded_statuses_are_mapped_by_hand_and_remembered(app):
    from tests.data_access.importer import council_layouts as cl

    at = app(PAGE)
    at.selectbox[0].select("(a new plan)").run()
    at.text_input[0].input("Testshire JTAI").run()
    _upload(at, "coded.xlsx", cl.coded_xlsx("numbers", key=None))
    assert _button(at, "Import").disabled
    why = shown(at.error[-1].value)
    assert why.startswith("Import is not available yet") and "'1' (3 actions)" in why
    meaning = {"1": "✖ R Off track", "2": "▲ A At risk", "3": "● G On track", "4": "✔ B Complete"}
    for code, label in meaning.items():
        box = next(s for s in at.selectbox if shown(s.label).startswith(f"“{code}”"))
        assert box.value == "(choose what it means)"  # never guessed
        box.select(label)
    _button(at, "Apply these status meanings").click().run()
    assert not _button(at, "Import").disabled
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["Recommendations"], metrics["Actions"], metrics["Overdue"]) == ("5", "14", str(cl.JTAI_OVERDUE))
    _button(at, "Import").click().run()
    assert not at.exception and "Imported 1 review from coded.xlsx" in shown(at.success[0].value)
    engine = make_engine(app.ids["url"])
    assert importer.remembered_status_mapping(engine, "Testshire JTAI") == {
        "1": "red",
        "2": "amber",
        "3": "green",
        "4": "complete",
    }
    plan_id = int(catalogue.list_plans(engine).set_index("name").loc["Testshire JTAI", "id"])
    review_id = int(catalogue.list_reviews(engine, plan_id)["id"].iloc[-1])
    kpis = review_figures.review_kpis(engine, review_id, date(2018, 6, 30))
    assert (kpis.complete, kpis.green, kpis.amber, kpis.red, kpis.unknown) == (3, 5, 3, 3, 0)


def test_two_plans_from_one_workbook(app):
    from tests.data_access.importer import council_layouts as cl

    at = app(PAGE)
    _upload(at, "plans.xlsx", cl.two_plans_xlsx())
    names = [t for t in at.text_input if shown(t.label).startswith("Plan ")]
    assert [n.value for n in names] == ["SIF plan", "JTAI plan"]
    names[0].input("Testshire SIF 2018")
    names[1].input("Testshire JTAI 2018").run()
    assert [m.value for m in at.metric if m.label == "Actions"] == ["8", "14"]
    _button(at, "Import").click().run()
    assert not at.exception
    message = shown(at.success[0].value)
    assert "Imported 2 reviews from plans.xlsx into 'Testshire SIF 2018' and 'Testshire JTAI 2018'" in message
    engine = make_engine(app.ids["url"])
    plans = catalogue.list_plans(engine).set_index("name")
    assert (
        int(plans.loc["Testshire SIF 2018", "reviews"]) == 1 and int(plans.loc["Testshire JTAI 2018", "reviews"]) == 1
    )


def test_one_plan_of_a_workbook_of_two_can_be_left_out(app):
    from tests.data_access.importer import council_layouts as cl

    at = app(PAGE)
    _upload(at, "plans.xlsx", cl.two_plans_xlsx())
    next(c for c in at.checkbox if c.label == "Import this plan").uncheck().run()
    _button(at, "Import").click().run()
    assert "into 'JTAI plan'" in shown(at.success[0].value)
    assert "SIF plan" not in _plans(app)


def test_a_pdf_or_a_word_document_gets_a_sentence_on_the_page(app):
    at = app(PAGE)
    _upload(at, "cabinet report.pdf", messy.pdf_document())
    assert shown(at.error[0].value) == (
        "cabinet report.pdf is a PDF document; upload the tracker as .xlsx, .xls, .ods, .csv or a Word action plan "
        "(.docx)."
    )
    at.get("file_uploader")[0].set_value(None).run()
    _upload(at, "action plan.docx", messy.word_document())  # a Word document is read: this one has no table
    assert shown(at.error[0].value).startswith("action plan.docx is a Word document with no tables;")


def _next_update(app, edit) -> bytes:
    """The board plan's next-update tracker, edited by `edit(sheet, columns, row_of)` and dated 31/12/2024."""
    import io

    import openpyxl

    from data_access.papers import PaperRequest, make_paper
    from data_access.papers.update_tracker import AS_AT_ROW, HEADER_ROW

    engine = make_engine(app.ids["url"])
    book = openpyxl.load_workbook(io.BytesIO(make_paper(engine, PaperRequest("tracker", app.ids["plan"])).data))
    sheet = book.active
    columns = {c.value: c.column for c in sheet[HEADER_ROW] if c.value}

    def row_of(key: str) -> int:
        return next(
            r for r in range(HEADER_ROW + 1, sheet.max_row + 1) if sheet.cell(r, columns["Action ID"]).value == key
        )

    edit(sheet, columns, row_of)
    sheet.cell(AS_AT_ROW, 1).value = "Position as at 31 December 2024"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_preview_lists_what_changed_since_the_previous_review_before_import(app):
    from tests.fixtures import SCRIPT
    from tests.pages.page_helpers import html_text

    def edit(sheet, columns, row_of):
        sheet.cell(row_of("1.1"), columns["RAG status"]).value = "red"
        sheet.cell(row_of("2.2"), columns["New update"]).value = "Auditor started <b>today</b>"
        sheet.delete_rows(row_of("10.2"))

    at = app(PAGE)
    _upload(at, "next-update.xlsx", _next_update(app, edit))
    assert not _button(at, "Import").disabled
    tables = html_text(at)
    assert "What changed" in tables and "Previous review" in tables and "This review" in tables
    assert "<td>1 / 1.1: Audit thresholds</td><td>Status</td><td>● G On track</td><td>✖ R Off track</td>" in tables
    assert (
        "<td>Progress note</td><td>Auditor starts in November</td><td>Auditor started &lt;b&gt;today&lt;/b&gt;</td>"
        in (tables)
    )  # tracker text is data, never markup
    assert "<td>Removed</td>" in tables and SCRIPT not in tables and "&lt;script&gt;" in tables
    assert "4 actions have no progress note in this review" in " ".join(c.value for c in at.caption)
    assert (
        _plans(app) == ["Testshire ILACS 2024"]
        and len(catalogue.list_reviews(make_engine(app.ids["url"]), app.ids["plan"])) == 2
    )


def _as_a_browser_runs(at):
    """Run as a browser's request does: through app.py's frame (sidebar controls first). AppTest
    enters every run through the page file, and a run that ended in the page's st.stop() (the
    empty uploader) leaves routing's "routed through app.py" flag set, so its next runs would skip
    the frame and draw no sidebar at all; in a browser app.py always runs first."""
    from pages.ui import routing

    at.session_state[routing._ROUTED] = False
    return at


def test_after_import_the_sidebar_shows_the_new_review(app):
    at = app(PAGE)
    assert at.sidebar.selectbox(key="review").value == app.ids["q2"]
    _as_a_browser_runs(at)
    _upload(at, "next-update.xlsx", _next_update(app, lambda *_: None))
    assert at.sidebar.selectbox(key="review").value == app.ids["q2"]  # the preview writes nothing
    _button(at, "Import").click()
    _as_a_browser_runs(at).run()
    assert not at.exception
    engine = make_engine(app.ids["url"])
    new_review = int(catalogue.list_reviews(engine, app.ids["plan"])["id"].iloc[-1])
    assert new_review not in (app.ids["q1"], app.ids["q2"])
    assert "Imported 1 review from next-update.xlsx" in shown(at.success[0].value)
    assert at.sidebar.selectbox(key="review").value == new_review  # the sidebar moved to it
    assert at.query_params["review"] in (str(new_review), [str(new_review)])  # and so did the link
    _as_a_browser_runs(at).run()
    assert at.sidebar.selectbox(key="review").value == new_review  # and it stays there


def test_no_message_on_the_page_gives_a_command_line_option(app):
    import re

    at = app(PAGE)
    at.selectbox[0].select("(a new plan)").run()
    _upload(at, "undated.xlsx", messy.build_xlsx())  # no 'as at' date anywhere in the file
    assert _button(at, "Import").disabled
    texts = [shown(e.value) for kind in (at.error, at.warning, at.info, at.caption, at.markdown) for e in kind]
    texts += [b.help or "" for b in at.button]
    assert any("no 'as at' date" in t for t in texts)
    assert any("Review date (position as at)" in t for t in texts if "no 'as at' date" in t)  # what to do, here
    assert not [t for t in texts if re.search(r"(?<![\w-])--[a-z]", t)]


def _dated_only_tracker(line: str) -> bytes:
    """A tracker whose only line above the table is a review date (it does not name its plan)."""
    import io

    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(messy.build_xlsx()))
    wb.active.insert_rows(1, 2)
    wb.active["A1"] = line
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_tracker_that_does_not_name_its_plan_is_asked_about(app):
    at = app(PAGE)
    at.selectbox[0].select("(a new plan)").run()  # the new plan's name left blank: "use the tracker's title"
    _upload(at, "rutland-tracker-2018-06-30.xlsx", _dated_only_tracker("Position as at 30 June 2018"))
    asked = next(t for t in at.text_input if "does not say which plan it is" in shown(t.label))
    assert asked.value == "rutland tracker"  # the file's name without its date
    asked.input("").run()
    assert not at.header and "Give the plan's name" in at.info[-1].value  # no preview without a name
    assert not any(b.label == "Import" for b in at.button)
    asked.input("Rutland ILACS 2018").run()
    assert at.header[0].value == "Preview — nothing has been saved yet"
    assert any("plan Rutland ILACS 2018 (new plan)" in shown(m.value) for m in at.markdown)
    _button(at, "Import").click().run()
    assert not at.exception
    assert _plans(app) == ["Rutland ILACS 2018", "Testshire ILACS 2024"]
    engine = make_engine(app.ids["url"])
    plan_id = int(catalogue.list_plans(engine).set_index("name").loc["Rutland ILACS 2018", "id"])
    reviews = catalogue.list_reviews(engine, plan_id)
    assert list(reviews["as_at"]) == [date(2018, 6, 30)]  # the title line dated the review


def test_a_second_council_headed_only_by_a_date_does_not_join_the_first(app):
    at = app(PAGE)
    at.selectbox[0].select("(a new plan)").run()
    _upload(at, "tracker.xlsx", _dated_only_tracker("Position as at 30 June 2018"))
    _button(at, "Import").click().run()  # into "tracker", the suggestion
    assert _plans(app) == ["Testshire ILACS 2024", "tracker"]
    at = app(PAGE)
    at.selectbox[0].select("(a new plan)").run()
    _upload(at, "tracker.xlsx", _dated_only_tracker("Position as at 30 September 2018"))
    # The same suggestion is refused as a new plan rather than quietly added to the other one.
    assert any("already exists" in shown(e.value) for e in at.error)
    assert _button(at, "Import").disabled


def test_the_status_column_is_asked_for_and_assumptions_and_skipped_sheets_are_shown(app):
    from tests.data_access.importer import council_layouts as cl

    at = app(PAGE)
    _upload(at, "rated.xlsx", cl.rated_xlsx("high-low", "Score"))
    assert _button(at, "Import").disabled
    why = shown(at.error[-1].value)
    assert "no column recognised as the status" in why and "'Score'" in why and "--status-column" not in why
    box = next(s for s in at.selectbox if shown(s.label).startswith("Which column holds the status?"))
    assert box.options == ["Score"]
    _button(at, "Use this column as the status").click().run()
    assert not at.exception and not _button(at, "Import").disabled
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["Actions"], metrics["Overdue"]) == ("12", str(cl.RATED_OVERDUE))
    page = " ".join(shown(m.value) for m in at.markdown)
    assert "Column 'Score' on sheet 'Plan' holds the status, as chosen for this plan." in page
    assert "The status codes were read from the key in sheet 'Plan', row 3" in page

    at = app(PAGE)
    _upload(at, "with-summary.xlsx", cl.summary_between_xlsx())
    captions = " ".join(shown(c.value) for c in at.caption)
    assert "Sheet 'Summary by recommendation' was skipped: it holds counts per recommendation" in captions


def test_school_term_dates_are_asked_for_and_remembered_by_the_plan(app):
    """Issue 28 item 3: a timescale "Summer term 2018" is undated until the plan gives its term
    dates; the preview asks (never guesses), applies them and the plan remembers them."""
    from tests.data_access.importer import council_layouts as cl

    at = app(PAGE)
    at.selectbox[0].select("(a new plan)").run()
    _upload(at, "terms.xlsx", cl.terms_xlsx("31 August 2018"))
    assert any(s.value == "School term dates" for s in at.subheader)
    assert any("name the autumn and summer terms, which have no set date" in shown(w.value) for w in at.warning)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Overdue"] == "1"  # the summer term's action is undated, so not overdue
    at.text_input(key="term_summer").input("31/07")
    _button(at, "Apply these term dates").click().run()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Overdue"] == "2"
    assert at.text_input(key="term_summer").value == "31/07"
    _button(at, "Import").click().run()
    assert not at.exception
    engine = make_engine(app.ids["url"])
    assert importer.remembered_term_dates(engine, "Termshire improvement plan") == {"summer": "07-31"}


def test_a_term_date_that_is_not_a_day_is_refused_in_one_sentence(app):
    from tests.data_access.importer import council_layouts as cl

    at = app(PAGE)
    at.selectbox[0].select("(a new plan)").run()
    _upload(at, "terms.xlsx", cl.terms_xlsx())
    at.text_input(key="term_summer").input("31/13")
    _button(at, "Apply these term dates").click().run()
    assert "The summer term date is not a day of the year" in shown(at.error[-1].value)
    assert {m.label: m.value for m in at.metric}["Overdue"] == "1"
