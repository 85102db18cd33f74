"""Files that are documents, not trackers: a PDF, an old binary Word document (.doc) or a slide deck
chosen in the uploader by mistake. Named for what they are, in one sentence the page shows (the
browser's own file-type filter only gives a tooltip). A Word .docx is read (word_tables.py): many
councils write the action plan itself as a table in Word."""

from __future__ import annotations

import io
import zipfile

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
UPLOAD_AS = "upload the tracker as .xlsx, .xls, .ods, .csv or a Word action plan (.docx)"
OLD_WORD = (
    "an old-format Word document (.doc), which cannot be read; open it in Word and save it as .docx "
    "(Word Document), then upload that"
)


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


def document_kind(data: bytes) -> str | None:
    """'a PDF document', OLD_WORD, 'a PowerPoint presentation', 'an image', or None (a .docx is None:
    it is read like a workbook)."""
    head = data[:8]
    if data.lstrip()[:5] == b"%PDF-":
        return "a PDF document"
    if head.startswith(b"\x89PNG") or head.startswith(b"\xff\xd8\xff") or head[:4] in (b"GIF8", b"II*\x00", b"MM\x00*"):
        return "an image"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                names = set(zf.namelist())
        except Exception:
            return None
        if "ppt/presentation.xml" in names:
            return "a PowerPoint presentation"
        return None
    if head.startswith(OLE_MAGIC):
        if _utf16("WordDocument") in data:
            return OLD_WORD
        if _utf16("PowerPoint Document") in data:
            return "a PowerPoint presentation"
    return None


def not_a_tracker(data: bytes, filename: str) -> str | None:
    """'report.pdf is a PDF document; upload the tracker as .xlsx, … .' or None."""
    kind = document_kind(data)
    if kind == OLD_WORD:
        return f"{filename} is {kind}."
    return f"{filename} is {kind}; {UPLOAD_AS}." if kind else None
