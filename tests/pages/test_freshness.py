"""An import made outside the app (the CLI, a scheduled job) shows on the app's next run:
cached figures are keyed on the data version, not only cleared by the upload page."""

from __future__ import annotations

import datetime as dt

from data_access.domain.rules import parse_timescale
from data_access.domain.tracker_rows import ReviewSnapshot, TrackerRow
from data_access.reads import catalogue
from data_access.storage import plan_writer
from data_access.storage.database import make_engine, write_transaction


def test_an_import_from_another_process_shows_on_the_next_run(app):
    at = app()
    engine = make_engine(app.ids["url"])
    plan_id = app.ids["plan"]
    before = list(at.sidebar.selectbox(key="review").options)
    with write_transaction(engine) as conn:  # as `python -m data_access import` would, elsewhere
        plan_writer.save_review(
            conn,
            plan_id,
            ReviewSnapshot(
                dt.date(2024, 12, 31),
                [
                    TrackerRow(
                        "1", "A recommendation", "A new action", status="red", timescale=parse_timescale("Ongoing")
                    ),
                ],
            ),
            source="q3.xlsx",
        )
    at.run()
    after = list(at.sidebar.selectbox(key="review").options)
    assert len(after) == len(before) + 1
    assert len(catalogue.list_reviews(engine, plan_id)) == len(after)
