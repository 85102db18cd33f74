"""Trackers as councils' own programs write them (issue 9), built in code, each trait alone and
combined: action IDs in a "Ref" column (A.1, 3.2, R3.2, 1a, 2(i)); coded statuses (1-4, progress
words) with their key in a title line, a footer, a legend sheet or conditional-formatting rules,
or with no key; quarterly column pairs; several plans in one workbook; Total rows holding formula
results as Excel stores them (a formula and its cached value); hidden and filtered-out rows; sheets
named like dashboards.

The plans and their answers (every figure worked out by hand):

JTAI (areas a-e, actions A.1 ... E.6): 14 actions in 5 recommendations.

    area  actions        statuses (B/G/A/R)          due
    a     A.1 A.2        G R                          31/03/2018, June 2018
    b     B.1 B.2 B.3    B G A                        Ongoing, 31/12/2018, 31/05/2018
    c     C.1            R                            Q4 2017/18
    d     D.1 D.2        G B                          30/09/2018, 31/01/2018
    e     E.1 ... E.6    A G G B R A                  Mar 2018, Dec 2018, TBC, Jan 2018, Aug 2018, 30/04/2018

    status counts: complete 3, green 5, amber 3, red 3; overdue as at 30 June 2018 (not complete,
    due before it): A.1 (31/03), A.2? no (30/06 is not before 30/06), B.3 (31/05), C.1 (31/03),
    E.1 (31/03), E.6 (30/04) -> 5.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import openpyxl
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import PatternFill

from tests.data_access.importer.messy import EXPECTED_STATUS

AREAS = {
    "a": "The resilience of the front door",
    "b": "Information sharing between agencies",
    "c": "Assessment of neglect",
    "d": "Management oversight",
    "e": "Workforce development",
}
# (area, action id, action, status letter, timescale)
JTAI = [
    ("a", "A.1", "Review front door staffing", "G", "31/03/2018"),
    ("a", "A.2", "Business continuity plan for the hub", "R", "June 2018"),
    ("b", "B.1", "Agree an information sharing protocol", "B", "Ongoing"),
    ("b", "B.2", "Co-locate health staff", "G", "31/12/2018"),
    ("b", "B.3", "Daily police triage", "A", "31/05/2018"),
    ("c", "C.1", "Neglect screening tool in use", "R", "Q4 2017/18"),
    ("d", "D.1", "Monthly case audits", "G", "30/09/2018"),
    ("d", "D.2", "Supervision policy refreshed", "B", "31/01/2018"),
    ("e", "E.1", "Neglect training for all staff", "A", "Mar 2018"),
    ("e", "E.2", "Practice leads in every team", "G", "Dec 2018"),
    ("e", "E.3", "Learning from audits shared", "G", "TBC"),
    ("e", "E.4", "Recruit two senior practitioners", "B", "Jan 2018"),
    ("e", "E.5", "Workforce survey", "R", "Aug 2018"),
    ("e", "E.6", "Induction includes neglect", "A", "30/04/2018"),
]
JTAI_AS_AT = dt.date(2018, 6, 30)
JTAI_COUNTS = {"complete": 3, "green": 5, "amber": 3, "red": 3, "unknown": 0}
JTAI_OVERDUE = 5
HEADERS = ["Ref", "Area for improvement", "Action", "Lead", "Timescale", "RAG"]

# Other ID styles in a "Ref" column: (ID, the recommendation it belongs to)
ID_STYLES = {
    "dotted": [("3.1", "3"), ("3.2", "3"), ("4.1", "4")],
    "prefixed": [("R3.1", "R3"), ("R3.2", "R3"), ("R4.1", "R4")],
    "letter": [("1a", "1"), ("1b", "1"), ("2a", "2")],
    "roman": [("2(i)", "2"), ("2(ii)", "2"), ("3(i)", "3")],
}

CODES = {
    "numbers": {"R": "1", "A": "2", "G": "3", "B": "4"},
    "zero_based": {"R": "0", "A": "1", "G": "2", "B": "3"},
    "words": {"R": "Not started", "A": "On hold", "G": "In progress", "B": "Completed"},
}
KEY_WORDS = {"R": "Red", "A": "Amber", "G": "Green", "B": "Blue"}
FILLS = {"R": "FFFF0000", "A": "FFFFC000", "G": "FF00B050", "B": "FF0070C0"}


def _save(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def write_jtai(ws, *, start_row: int = 1, title: bool = True, statuses: dict | None = None, rows=JTAI) -> int:
    """The JTAI plan on ws; returns the header's row. statuses: letter -> what the cell says."""
    r = start_row
    if title:
        ws.cell(r, 1, "Testshire JTAI neglect action plan")
        ws.cell(r + 1, 1, f"Position as at {JTAI_AS_AT.day} {JTAI_AS_AT:%B %Y}")
        r += 3
    header = r
    for c, h in enumerate(HEADERS, start=1):
        ws.cell(r, c, h)
    for area, action_id, action, letter, due in rows:
        r += 1
        status = (statuses or {}).get(letter, letter)
        for c, value in enumerate([action_id, AREAS[area], action, "Head of Service", due, status], start=1):
            ws.cell(r, c, value)
    return header


def jtai_xlsx(**kw) -> bytes:
    wb = openpyxl.Workbook()
    wb.active.title = "JTAI plan"
    write_jtai(wb.active, **kw)
    return _save(wb)


def id_style_xlsx(style: str) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Plan as at 30 June 2018"])
    ws.append(["Ref", "Recommendation", "Action", "RAG"])
    texts = {}
    for action_id, rec in ID_STYLES[style]:
        texts.setdefault(rec, f"Recommendation {rec} text")
        ws.append([action_id, texts[rec], f"Action {action_id}", "Green"])
    return _save(wb)


# ---------------------------------------------------------------------------
# Coded statuses
# ---------------------------------------------------------------------------


def coded_xlsx(codes: str = "numbers", key: str | None = "title") -> bytes:
    """The JTAI plan with its statuses written as codes; key: where the file says what they mean
    ("title", "footer", "sheet", "conditional") or None."""
    values = CODES[codes]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "JTAI plan"
    if key == "sheet":
        legend = wb.create_sheet("Key", 0)
        legend.append(["Status", "Meaning"])
        for letter in "RAGB":
            legend.append([values[letter], KEY_WORDS[letter]])
    header = write_jtai(ws, statuses=values)
    last = header + len(JTAI)
    pairs = ", ".join(f"{values[letter]} = {KEY_WORDS[letter]}" for letter in "RAGB")
    if key == "title":
        ws.cell(3, 1, f"Key: {pairs}")
    elif key == "footer":
        ws.cell(last + 2, 1, "Key")
        for i, letter in enumerate("RAGB"):
            ws.cell(last + 3 + i, 1, values[letter])
            ws.cell(last + 3 + i, 2, KEY_WORDS[letter])
    elif key == "conditional":
        for letter in "RAGB":
            value = values[letter]
            formula = value if value.isdigit() else f'"{value}"'
            ws.conditional_formatting.add(
                f"F{header + 1}:F{last}",
                CellIsRule(operator="equal", formula=[formula], fill=PatternFill(bgColor=FILLS[letter])),
            )
    if codes != "words":  # numbers are typed as numbers, as Excel users do
        for r in range(header + 1, last + 1):
            ws.cell(r, 6).value = int(ws.cell(r, 6).value)
    return _save(wb)


def rag_and_stage_xlsx() -> bytes:
    """A RAG column and a separate progress-word column: the RAG wins; a blank RAG with
    'Completed' in the stage column is complete."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Position as at 30 June 2018"])
    ws.append(["Rec", "Recommendation", "Action", "Status", "RAG", "Timescale"])
    ws.append(["1", "Improve assessments", "Audit", "In progress", "Green", "Dec 2018"])
    ws.append(["1", "Improve assessments", "Train", "Not started", "Red", "Mar 2018"])
    ws.append(["2", "Oversight", "Policy", "Completed", None, "Jan 2018"])
    ws.append(["2", "Oversight", "Board report", "On hold", "Amber", "Sept 2018"])
    return _save(wb)


# ---------------------------------------------------------------------------
# Quarterly column pairs
# ---------------------------------------------------------------------------

# Per action (JTAI order): Q1, Q2 status letters; Q3 and Q4 are blank (future quarters).
QUARTERS = {
    "A.1": ("A", "G"),
    "A.2": ("R", "R"),
    "B.1": ("G", "B"),
    "B.2": ("G", "G"),
    "B.3": ("A", "A"),
    "C.1": ("R", "A"),
    "D.1": ("G", "G"),
    "D.2": ("A", "B"),
    "E.1": ("A", "A"),
    "E.2": ("G", "G"),
    "E.3": ("G", "G"),
    "E.4": ("G", "B"),
    "E.5": ("R", "R"),
    "E.6": ("A", "A"),
}
Q1_END, Q2_END = dt.date(2018, 6, 30), dt.date(2018, 9, 30)
# Hand counts of the letters above. Q1: green B.1 B.2 D.1 E.2 E.3 E.4; amber A.1 B.3 D.2 E.1 E.6;
# red A.2 C.1 E.5. Q2: complete B.1 D.2 E.4; green A.1 B.2 D.1 E.2 E.3; amber B.3 C.1 E.1 E.6; red A.2 E.5.
Q1_COUNTS = {"complete": 0, "green": 6, "amber": 5, "red": 3, "unknown": 0}
Q2_COUNTS = {"complete": 3, "green": 5, "amber": 4, "red": 2, "unknown": 0}
# Overdue as at each quarter's end (not complete, due before it):
#   30/06/2018: A.1 (31/03), B.3 (31/05), C.1 (31/03), D.2 (31/01, amber in Q1), E.1 (31/03), E.4 (31/01, green in Q1),
#               E.6 (30/04) -> 7
#   30/09/2018: A.1 (31/03), A.2 (30/06), B.3, C.1, E.1, E.5 (31/08), E.6 -> 7 (D.2 and E.4 complete by then)
Q1_OVERDUE, Q2_OVERDUE = 7, 7


def quarterly_xlsx(style: str = "pairs") -> bytes:
    """The JTAI plan with a status and an update column per quarter of 2018/19.

    style "pairs": 'Q1 RAG | Q1 update | Q2 RAG | ...' with the year in the title only;
    "suffix": 'RAG Q1 18/19 | Update Q1 18/19 ...'; "months": 'June 2018 RAG | June 2018 update ...';
    "merged": a row above the header with 'Q1 2018/19' merged over 'RAG | Update'."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Tracker"
    ws.cell(1, 1, "Testshire JTAI neglect action plan 2018/19")
    header_row = 4
    base = ["Ref", "Area for improvement", "Action", "Lead", "Timescale"]
    quarter_names = {
        "pairs": [("Q1 RAG", "Q1 update"), ("Q2 RAG", "Q2 update"), ("Q3 RAG", "Q3 update"), ("Q4 RAG", "Q4 update")],
        "suffix": [(f"RAG Q{q} 18/19", f"Update Q{q} 18/19") for q in range(1, 5)],
        "months": [
            ("June 2018 RAG", "June 2018 update"),
            ("Sept 2018 RAG", "Sept 2018 update"),
            ("Dec 2018 RAG", "Dec 2018 update"),
            ("March 2019 RAG", "March 2019 update"),
        ],
        "merged": [("RAG", "Update")] * 4,
    }[style]
    headings = base + [h for pair in quarter_names for h in pair]
    for c, h in enumerate(headings, start=1):
        ws.cell(header_row, c, h)
    if style == "merged":
        for q in range(4):
            col = len(base) + 1 + 2 * q
            ws.cell(header_row - 1, col, f"Q{q + 1} 2018/19")
            ws.merge_cells(start_row=header_row - 1, start_column=col, end_row=header_row - 1, end_column=col + 1)
    for i, (area, action_id, action, _, due) in enumerate(JTAI, start=1):
        r = header_row + i
        q1, q2 = QUARTERS[action_id]
        values = [action_id, AREAS[area], action, "Head of Service", due, q1, f"Q1 note {action_id}", q2, f"Q2 {i}"]
        for c, value in enumerate(values, start=1):
            ws.cell(r, c, value)
    return _save(wb)


# ---------------------------------------------------------------------------
# Several plans in one workbook
# ---------------------------------------------------------------------------

SIF = [
    (str(n), f"SIF recommendation {n}", f"{n}.1", f"SIF action {n}", "G" if n % 3 else "R", "Dec 2018")
    for n in range(1, 9)
]
# SIF as at 30 June 2018: 8 recommendations, 8 actions; red: 3 and 6 -> 2 red, 6 green; none overdue.


def two_plans_xlsx(second_sheet: str = "JTAI plan") -> bytes:
    """A SIF plan (recommendations 1-8) on one sheet and the JTAI plan (areas a-e) on another,
    under one council title."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "SIF plan"
    ws.append(["Testshire Council improvement plans"])
    ws.append(["Position as at 30 June 2018"])
    ws.append([])
    ws.append(["Rec No.", "Recommendation", "Action ID", "Action", "Lead", "Timescale", "RAG"])
    for ref, text, action_id, action, status, due in SIF:
        ws.append([ref, text, action_id, action, "Head of Service", due, status])
    jtai = wb.create_sheet(second_sheet)
    jtai.append(["Testshire Council improvement plans"])
    jtai.append(["Position as at 30 June 2018"])
    jtai.append([])
    write_jtai(jtai, start_row=4, title=False)
    return _save(wb)


# ---------------------------------------------------------------------------
# Excel's own: formula results, hidden and filtered rows, dashboard-named sheets
# ---------------------------------------------------------------------------


def with_formulas(data: bytes, formulas: dict[str, str], sheet: str = "sheet1") -> bytes:
    """Give cells a formula while keeping their cached value, as Excel and LibreOffice save them:
    <c r="D20"><f>SUBTOTAL(3,D5:D19)</f><v>14</v></c>."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            part = src.read(item.filename)
            if item.filename == f"xl/worksheets/{sheet}.xml":
                text = part.decode()
                for ref, formula in formulas.items():
                    text, n = re.subn(
                        rf'(<c r="{ref}"[^>]*>)(<v>)', lambda m, f=formula: m[1] + f"<f>{f}</f>" + m[2], text
                    )
                    assert n == 1, f"no value cell {ref} to give a formula"
                part = text.encode()
            dst.writestr(item, part)
    return out.getvalue()


def excel_saved_xlsx(*, hidden: tuple[str, ...] = ("B.2", "E.3"), filtered: bool = True, sheet: str = "JTAI plan"):
    """The JTAI plan as Excel saves it after a working session: a Total row and a Count row of
    SUBTOTAL/COUNTA results under the table, some rows hidden, an autofilter hiding others."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    header = write_jtai(ws)
    last = header + len(JTAI)
    ws.cell(last + 1, 1, "Total")
    ws.cell(last + 1, 3, len(JTAI))
    ws.cell(last + 2, 1, "Count of red")
    ws.cell(last + 2, 6, 3)
    for r in range(header + 1, last + 1):
        if ws.cell(r, 1).value in hidden:
            ws.row_dimensions[r].hidden = True
    if filtered:
        ws.auto_filter.ref = f"A{header}:F{last}"
        ws.auto_filter.add_filter_column(5, ["G", "A", "R"])  # shows all but complete: those rows are hidden
        for r in range(header + 1, last + 1):
            if ws.cell(r, 6).value == "B":
                ws.row_dimensions[r].hidden = True
    data = _save(wb)
    return with_formulas(
        data,
        {f"C{last + 1}": f"SUBTOTAL(3,C{header + 1}:C{last})", f"F{last + 2}": f'COUNTIF(F{header + 1}:F{last},"R")'},
    )


def combined_xlsx() -> bytes:
    """Every trait at once: a 'Key' legend sheet for coded statuses (numbers); a sheet called
    'Summary' holding the JTAI plan (IDs in its Ref column, a Total row, hidden and filtered rows);
    a sheet called 'Dashboard 2017-18' holding the SIF plan (recommendations 1-8) with the same codes."""
    values = CODES["numbers"]
    wb = openpyxl.Workbook()
    legend = wb.active
    legend.title = "Key"
    for letter in "RAGB":
        legend.append([values[letter], KEY_WORDS[letter]])
    jtai = wb.create_sheet("Summary")
    header = write_jtai(jtai, statuses={k: int(v) for k, v in values.items()})
    last = header + len(JTAI)
    jtai.cell(last + 1, 1, "Total")
    jtai.cell(last + 1, 3, len(JTAI))
    for r in range(header + 1, last + 1):
        if jtai.cell(r, 1).value in ("B.2", "E.3"):
            jtai.row_dimensions[r].hidden = True
    sif = wb.create_sheet("Dashboard 2017-18")
    sif.append(["Testshire SIF action plan"])
    sif.append(["Position as at 30 June 2018"])
    sif.append(["Rec No.", "Recommendation", "Action ID", "Action", "Lead", "Timescale", "RAG"])
    for ref, text, action_id, action, status, due in SIF:
        sif.append([ref, text, action_id, action, "Head of Service", due, int(values[status])])
    return with_formulas(_save(wb), {f"C{last + 1}": f"SUBTOTAL(3,C{header + 1}:C{last})"}, sheet="sheet2")


EXPECTED = EXPECTED_STATUS  # letter -> status, for tests


# ---------------------------------------------------------------------------
# Issue 28: a status column by a less usual name with a key in a title line, and a summary sheet
# ---------------------------------------------------------------------------

# (rec, action, timescale, code): 11 actions due by 31 May 2018, one due March 2019. As at 30 June
# 2018, with the key 1 = Red ... 4 = Blue: 5 complete (code 4), so 6 overdue; read as all unknown
# (no status column) every one of the 11 would count overdue.
RATED = [
    ("1", "Audit assessments monthly", "31/01/2018", "4"),
    ("1", "Train staff in analysis", "Jan/Feb 2018", "4"),
    ("1", "Publish the audit tool", "March 2018", "4"),
    ("2", "Recruit permanent managers", "Apr-May 18", "3"),
    ("2", "Reduce caseloads to 18", "April 2018", "3"),
    ("2", "Launch the academy", "by end of Q4", "2"),  # Q4 of the review's year, 2018/19: 31 March 2019
    ("3", "Review strategy meetings", "February 2018", "2"),
    ("3", "Attend every strategy meeting", "31/03/2018", "1"),
    ("3", "Audit return interviews", "Jan–Mar 2018", "1"),
    ("4", "Agree the new front door", "May 2018", "4"),
    ("4", "Train the front door team", "30/04/2018", "4"),
    ("4", "Report to the board", "Jun 2017 - Mar 2018", "3"),  # a range: due 31 March 2018
]
RATED_COUNTS = {"complete": 5, "green": 3, "amber": 2, "red": 2, "unknown": 0}
RATED_OVERDUE = 6  # as at 30 June 2018: every action not complete and due before then
RATED_KEYS = {
    "low-high": "Key: 1 = Red, 2 = Amber, 3 = Green, 4 = Blue",
    "high-low": "BRAG key: 4 = Blue … 3 = Green … 2 = Amber … 1 = Red",
}


def write_rated(ws, key: str | None = "low-high", status_heading: str = "Progress rating (BRAG)") -> None:
    ws.append(["Testshire improvement plan"])
    ws.append(["Position as at 30 June 2018"])
    ws.append([RATED_KEYS[key]] if key else [])
    ws.append([])
    ws.append(["Rec", "Action", "Lead", "Timescale", status_heading, "Progress update"])
    for rec, action, due, code in RATED:
        ws.append([rec, action, "Head of Service", due, int(code), "Update given"])


def rated_xlsx(key: str | None = "low-high", status_heading: str = "Progress rating (BRAG)") -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Plan"
    write_rated(ws, key, status_heading)
    return _save(wb)


def summary_between_xlsx() -> bytes:
    """A cover sheet, a summary of counts per recommendation (formula results, as Excel saves them),
    then the tracker."""
    wb = openpyxl.Workbook()
    cover = wb.active
    cover.title = "Cover"
    cover.append(["Testshire improvement plan"])
    cover.append(["Report to the improvement board"])
    summary = wb.create_sheet("Summary by recommendation")
    summary.append(["Summary by recommendation"])
    summary.append(["Recommendation", "Actions", "Complete", "On track", "At risk", "Off track"])
    for rec in ("1", "2", "3", "4"):
        rows = [r for r in RATED if r[0] == rec]
        by = [sum(1 for r in rows if r[3] == code) for code in "4321"]
        summary.append([rec, len(rows), *by])
    write_rated(wb.create_sheet("Plan"))
    return with_formulas(_save(wb), {"B3": "COUNTIF(Plan!A:A,A3)", "C3": "COUNTIFS(Plan!A:A,A3,Plan!E:E,4)"}, "sheet2")


def terms_xlsx(as_at: str = "31 August 2018") -> bytes:
    """A plan whose timescales name school terms (issue 28 item 3), as at `as_at`:

    action  timescale          status  due with summer term = 31/07    overdue at 31/08/2018
    1.1     Summer term 2018   red     31/07/2018                      yes (undated without)
    1.2     Autumn term 2018   green   (no date: autumn not given)     no
    1.3     31/07/2018         amber   31/07/2018                      yes
    """
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Plan"
    ws.append(["Termshire improvement plan"])
    ws.append([f"Position as at {as_at}"])
    ws.append(["Rec No", "Recommendation", "Action ID", "Action", "Lead", "Timescale", "RAG status"])
    for row in (
        ("1", "Improve attendance", "1.1", "Audit attendance", "Head of Service", "Summer term 2018", "Red"),
        ("1", "Improve attendance", "1.2", "Train school staff", "Head of Service", "Autumn term 2018", "Green"),
        ("1", "Improve attendance", "1.3", "Report to the board", "Head of Service", "31/07/2018", "Amber"),
    ):
        ws.append(list(row))
    return _save(wb)
