"""The one rule for text (data_access/domain/clean_text) on the pages: a plan whose stored name
holds control characters (stored by an older version, bypassing the importer) still shows the
Board pack page and makes its papers, and a right-to-left override in a name is isolated in the
Markdown the pages write (pages/ui/plain.py)."""

from __future__ import annotations

import io

import docx
from sqlalchemy import update

from data_access.domain.clean_text import FSI, PDF, PDI
from data_access.storage.database import make_engine, write_transaction
from data_access.storage.schema import Plan
from pages.ui.plain import chart, md, option

STORED_NAME = "Testshire\x1fILACS\x7f 2024\x0b\ufffe\u202e"


def _rename(url: str, plan_id: int, name: str) -> None:
    engine = make_engine(url)
    with write_transaction(engine) as conn:
        conn.execute(update(Plan).where(Plan.id == plan_id).values(name=name))
    engine.dispose()


def test_the_board_pack_page_shows_a_plan_whose_name_holds_control_characters(app, deferred):
    _rename(app.ids["url"], app.ids["plan"], STORED_NAME)
    at = app("pages/board-pack.py")  # the fixture fails the test on any exception box
    assert not at.exception
    assert at.get("image"), "the preview of the first pages is shown"
    shown = " ".join(m.value for m in [*at.markdown, *at.caption])
    assert "\x1f" not in shown and "\x7f" not in shown and "\ufffe" not in shown
    assert md(STORED_NAME) in shown and md(STORED_NAME).startswith(FSI + "Testshire ILACS  2024 ")
    at.radio(key="pack_format").set_value("docx").run()
    assert not at.exception
    (button,) = at.get("download_button")
    document = docx.Document(io.BytesIO(deferred.fetch(button)))
    heading = document.paragraphs[0].text
    assert heading.startswith(FSI + "Testshire ILACS  2024\n \u202e" + PDF + PDI), repr(heading)


def test_markdown_options_and_chart_text_isolate_a_bidi_override():
    assert md("evil\u202eroF") == FSI + "evil\u202eroF" + PDF + PDI
    assert option("evil\u202eroF") == FSI + "evil\u202eroF" + PDF + PDI
    assert chart("evil\u202eroF") == FSI + "evil\u202eroF" + PDF + PDI
    assert md("plain") == "plain" and md("a\x01b") == "a b"
