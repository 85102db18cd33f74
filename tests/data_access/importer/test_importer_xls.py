"""Legacy .xls trackers (BIFF8, Excel 97-2003), written with xlwt: values through calamine,
fills through xlrd."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import xlwt

from data_access.importer import read_tracker

HEADER = ["Ref", "Recommendation", "Action ID", "Action", "Lead Officer", "Timescale", "RAG Status", "Progress update"]
ROWS = [
    ("a", "Improve supervision", "1.1", "Audit supervision files", "Head of Service", "March 2017", "Green", "Started"),
    ("", "", "1.2", "Train managers", "Service Manager", "Q2 2017/18", "Amber", "Slipped"),
    ("b", "Strengthen IRO oversight", "2.1", "Mid-point reviews", "IRO Manager", "Ongoing", "Complete", "Done"),
]
FILLS = {"Green": "bright_green", "Amber": "light_orange", "Complete": "light_blue"}


def build_xls(*, fill_only: bool) -> bytes:
    book = xlwt.Workbook()
    sheet = book.add_sheet("Action plan")
    sheet.write(0, 0, "Testshire Council – Ofsted action plan")
    sheet.write(1, 0, "Position as at 30 June 2017")
    for col, name in enumerate(HEADER):
        sheet.write(3, col, name)
    for r, row in enumerate(ROWS, start=4):
        for col, value in enumerate(row):
            if col == 6:
                style = xlwt.easyxf(f"pattern: pattern solid, fore_colour {FILLS[value]};")
                sheet.write(r, col, "" if fill_only else value, style)
            else:
                sheet.write(r, col, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("fill_only", [False, True], ids=["text", "fill-only"])
def test_xls_tracker_is_read_like_xlsx(fill_only):
    parsed = read_tracker(build_xls(fill_only=fill_only), "legacy.xls")
    assert parsed.kind == "xls"
    [review] = parsed.reviews
    assert review.as_at == dt.date(2017, 6, 30)
    assert [(r.rec_ref, r.action_id, r.status) for r in review.rows] == [
        ("a", "1.1", "green"),
        ("a", "1.2", "amber"),
        ("b", "2.1", "complete"),
    ]  # sparse ref carried down
    assert review.rows[1].timescale.due == dt.date(2017, 9, 30)
    assert review.statuses_from_colour == (3 if fill_only else 0)
