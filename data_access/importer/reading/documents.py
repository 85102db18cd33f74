"""Files that are documents, not trackers: a PDF, a Word document or a slide deck chosen in the
uploader by mistake. Named for what they are, in one sentence the page shows (the browser's own
file-type filter only gives a tooltip)."""

from __future__ import annotations

import io
import zipfile

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
UPLOAD_AS = "upload the tracker as .xlsx, .xls, .ods or .csv"


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


def document_kind(data: bytes) -> str | None:
    """'a PDF document', 'a Word document', 'a PowerPoint presentation', 'an image', or None."""
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
        if "word/document.xml" in names:
            return "a Word document"
        if "ppt/presentation.xml" in names:
            return "a PowerPoint presentation"
        return None
    if head.startswith(OLE_MAGIC):
        if _utf16("WordDocument") in data:
            return "a Word document"
        if _utf16("PowerPoint Document") in data:
            return "a PowerPoint presentation"
    return None


def not_a_tracker(data: bytes, filename: str) -> str | None:
    """'report.pdf is a PDF document; upload the tracker as .xlsx, .xls, .ods or .csv.' or None."""
    kind = document_kind(data)
    return f"{filename} is {kind}; {UPLOAD_AS}." if kind else None
