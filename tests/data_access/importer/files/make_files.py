"""Make the committed real-program fixtures in this folder (run by hand; never at test time).

    .venv/bin/python tests/data_access/importer/files/make_files.py   # needs Debian's libreoffice-calc-nogui

It writes one small tracker with openpyxl (source.xlsx, not committed: openpyxl stores formulas
without results), then has LibreOffice open it, recalculate, and save it as LibreOffice itself
writes each format. The saved files carry what real council files carry: formula results
(COUNTA and SUBTOTAL in a Total row), a recommendation merged down its three actions, one written
only on its first action's row, a hidden row and a row hidden by an AutoFilter.

    lo-tracker.ods   OpenDocument, as LibreOffice Calc saves it
    lo-tracker.xlsx  Excel 2007-365, as LibreOffice saves it
    lo-tracker.xls   Excel 97-2003, as LibreOffice saves it
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent
HEADER = ["Rec No.", "Recommendation", "Action ID", "Action", "Lead Officer", "Timescale", "RAG Status", "Progress"]
ROWS = [
    (
        "1",
        "Improve the quality of assessments",
        "1.1",
        "Audit 20 assessments a month",
        "Head of Service",
        "31/03/2018",
        "Green",
        "Audits in place",
    ),
    (
        None,
        None,
        "1.2",
        "Train social workers in analysis",
        "Principal Social Worker",
        "June 2018",
        "Amber",
        "Two of four sessions",
    ),
    (None, None, "1.3", "Publish practice standards", "Head of Service", "Ongoing", "Complete", "Published"),
    (
        "2",
        "Strengthen management oversight",
        "2.1",
        "Monthly supervision audits",
        "Service Manager",
        "31/05/2018",
        "Red",
        "Not started – £2,000 agreed",
    ),
    (None, None, "2.2", "Supervision training for managers", "Workforce Lead", "Q3 2018/19", "Green", "Booked"),
]


def source(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Action plan"
    ws.append(["Testshire Council – Ofsted action plan"])
    ws.append(["Position as at 30 June 2018"])
    ws.append([])
    ws.append(HEADER)  # row 4
    for row in ROWS:  # rows 5-9
        ws.append(list(row))
    ws.append(["Total actions", None, "=COUNTA(C5:C9)", "=SUBTOTAL(103,C5:C9)"])  # row 10
    ws.merge_cells("A5:A7")
    ws.merge_cells("B5:B7")
    ws.row_dimensions[6].hidden = True  # 1.2 hidden by hand
    ws.auto_filter.ref = "A4:H9"
    ws.auto_filter.add_filter_column(7, ["Audits in place", "Two of four sessions", "Published", "Not started"])
    ws.row_dimensions[9].hidden = True  # 2.2 filtered out (Excel stores a filtered-out row as hidden)
    wb.save(path)


def main() -> int:
    soffice = shutil.which("soffice")
    if not soffice:
        print("needs LibreOffice: apt-get install -y libreoffice-calc-nogui", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "lo-tracker.xlsx"
        source(src)
        for target, out_name in (
            ("ods", "lo-tracker.ods"),
            ("xlsx:Calc MS Excel 2007 XML", "lo-tracker.xlsx"),
            ("xls:MS Excel 97", "lo-tracker.xls"),
        ):
            outdir = Path(tmp) / "out"
            outdir.mkdir(exist_ok=True)
            subprocess.run(
                [
                    soffice,
                    "--headless",
                    f"-env:UserInstallation=file://{tmp}/profile",
                    "--convert-to",
                    target,
                    "--outdir",
                    str(outdir),
                    str(src),
                ],
                check=True,
                capture_output=True,
                timeout=180,
            )
            made = next(outdir.iterdir(), None)
            if made is None:
                print(f"LibreOffice wrote nothing for {target}", file=sys.stderr)
                return 1
            shutil.move(made, HERE / out_name)
            print(f"wrote {out_name} ({(HERE / out_name).stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
