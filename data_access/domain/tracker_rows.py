"""In-memory shape of a plan and its reviews, before they are stored.

The importer produces these from a tracker; the sample-data builder produces them from code;
`data_access.storage.plan_writer.save_review` is the one writer that turns them into rows.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache

from data_access.domain.rules import UNKNOWN, Timescale, parse_timescale


@dataclass
class PlanInfo:
    name: str
    organisation: str | None = None
    inspection_type: str | None = None  # SIF, JTAI, ILACS...
    inspection_start: dt.date | None = None
    inspection_end: dt.date | None = None
    published_on: dt.date | None = None
    target_date: dt.date | None = None


@dataclass
class TrackerRow:
    """One action as one review states it."""

    rec_ref: str
    rec_text: str
    description: str
    action_id: str | None = None  # the tracker's own action ID, e.g. "1.2" or "A1.2"
    lead: str | None = None
    partner: str | None = None
    measure: str | None = None
    theme: str | None = None
    status: str = UNKNOWN
    status_raw: str | None = None
    status_from_colour: bool = False
    timescale: Timescale = field(default_factory=lambda: parse_timescale(None))
    revised_due: dt.date | None = None
    progress: str | None = None
    evidence: str | None = None
    signoff_raw: str | None = None  # "Signed off", "Closed (Y/N)", "Date closed by board" as written
    change_reason: str | None = None  # "Reason for change"
    change_approved_by: str | None = None  # "Agreed by", "Approved by", "Change agreed at board"
    mitigation: str | None = None  # what is done about a red or amber status ("Mitigation")
    board_ask: str | None = None  # what is needed from the board ("Support needed from the board")
    no_update: bool = False  # carried forward by a closed update round: nobody updated it
    source_row: int | None = None  # Excel row number as the user sees it


@dataclass
class ReviewSnapshot:
    as_at: dt.date
    rows: list[TrackerRow]
    label: str | None = None  # default: the UK financial quarter of as_at, "Q2 2017/18"
    sheet: str = ""


# How refs and action text are compared, by the importer and the store alike (here, not in store.py,
# so reading a tracker never loads the database libraries).


_REF_PARTS = re.compile(r"\d+|[A-Za-z]+")
_REF_WRAPPING = re.compile(r"^[\s(\[]+|[\s).\]:]+$")
_NOT_COMPARED = re.compile(r"[^a-z0-9 ]+")


def ref_sort_key(ref: str) -> str:
    """Natural order for refs as printed: 'a)' < 'b' < 'q'; '2' < '10'; '1.2' < '1.10'."""
    parts = _REF_PARTS.findall(ref or "")
    return ".".join(p.zfill(6) if p.isdigit() else p.lower() for p in parts)[:80] or "~"


@lru_cache(maxsize=16384)  # an import asks for each row's ref several times; a plan has few refs
def clean_ref(ref: str) -> str:
    """'a)' -> 'a', ' 7. ' -> '7', 'Rec 3' -> 'Rec 3' (only wrapping punctuation goes)."""
    return _REF_WRAPPING.sub("", str(ref)).strip() or str(ref).strip()


def normalise_text(text: str) -> str:
    """Text as compared when matching actions: lower case, punctuation and extra spaces gone."""
    return " ".join(_NOT_COMPARED.sub(" ", (text or "").lower()).split())
