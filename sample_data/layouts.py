"""How each sample plan's tracker looks on paper: titles, columns, how recommendations are
laid out, how RAG is shown. Pure data (no openpyxl), so the plan builder can say which Excel
row an action sits on and the generator can draw the same thing.

Real trackers differ in exactly these ways, so the importer has to cope with all of them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from data_access.domain.rules import AMBER, COMPLETE, GREEN, RED

# Column fields a layout can show (TrackerRow attribute names, plus the two recommendation ones).
FIELDS = (
    "rec_ref",
    "rec_text",
    "action_id",
    "description",
    "lead",
    "partner",
    "timescale",
    "measure",
    "status",
    "progress",
)

# Recommendation ref/text placement across that recommendation's action rows.
MERGED, FIRST_ROW, EVERY_ROW = "merged", "first_row", "every_row"

# The fills Excel's standard palette gives (what most council trackers use) ...
STANDARD_FILLS = {COMPLETE: "FF00B0F0", GREEN: "FF00B050", AMBER: "FFFFC000", RED: "FFFF0000"}
# ... and the paler 'theme' shades some councils pick instead.
PALE_FILLS = {COMPLETE: "FF8DB4E2", GREEN: "FF92D050", AMBER: "FFFFC000", RED: "FFFF0000"}


@dataclass(frozen=True)
class Layout:
    name: str
    # Rows above the header: {plan} is the plan's name (so an import of the tracker lands in the same
    # plan), {as_at} the review's date as 'd Month yyyy'.
    titles: tuple[str, ...]
    columns: tuple[tuple[str, str], ...]  # (heading as printed, field)
    rec_mode: str  # MERGED, FIRST_ROW or EVERY_ROW
    status_words: dict[str, str] | None  # status -> text in the RAG cell; None: fill colour only
    fills: dict[str, str]
    file_per_review: bool  # True: one file per review; False: one sheet per review
    key_footnote: bool = False  # a 'Key' legend under the table
    key_sheet: bool = False  # a legend sheet named 'Key'
    date_format: str = "DD/MM/YYYY"

    @property
    def header_row(self) -> int:
        return len(self.titles) + 2  # titles, one blank row, then the header

    @property
    def first_data_row(self) -> int:
        return self.header_row + 1

    def title_lines(self, plan_name: str, as_at: dt.date) -> list[str]:
        return [t.format(plan=plan_name, as_at=f"{as_at.day} {as_at:%B %Y}") for t in self.titles]


LAYOUTS: dict[str, Layout] = {
    layout.name: layout
    for layout in (
        Layout(
            name="file_per_review_merged",
            titles=("{plan}", "Position as at {as_at}"),
            columns=(
                ("Ref", "rec_ref"),
                ("Ofsted Recommendation", "rec_text"),
                ("Action ID", "action_id"),
                ("Action", "description"),
                ("Lead Officer", "lead"),
                ("Timescale", "timescale"),
                ("Measure of success", "measure"),
                ("RAG Status", "status"),
                ("Progress update", "progress"),
                ("Agreed by", "change_approved_by"),
                ("Signed off", "signoff_raw"),
            ),
            rec_mode=MERGED,
            status_words={COMPLETE: "Complete", GREEN: "Green", AMBER: "Amber", RED: "Red"},
            fills=STANDARD_FILLS,
            file_per_review=True,
        ),
        Layout(
            name="sheets_first_row_key_sheet",
            titles=(
                "{plan}",
                "Ofsted inspection of services for children in need of help and protection, "
                "children looked after and care leavers",
            ),
            columns=(
                ("No.", "rec_ref"),
                ("Recommendation", "rec_text"),
                ("Action", "description"),
                ("Responsible Officer", "lead"),
                ("Timescale", "timescale"),
                ("Measure of success", "measure"),
                ("RAG", "status"),
                ("Progress Update", "progress"),
            ),
            rec_mode=FIRST_ROW,
            status_words={COMPLETE: "B", GREEN: "G", AMBER: "A", RED: "R"},
            fills=STANDARD_FILLS,
            file_per_review=False,
            key_sheet=True,
        ),
        Layout(
            name="sheets_fill_only_key_footnote",
            titles=("{plan}", "Ofsted Single Inspection Framework \u2013 quarterly progress"),
            columns=(
                ("Rec", "rec_ref"),
                ("Ofsted Recommendation", "rec_text"),
                ("Action Ref", "action_id"),
                ("Action", "description"),
                ("Lead", "lead"),
                ("Target Date", "timescale"),
                ("Success Measure", "measure"),
                ("Status", "status"),
                ("Update / Commentary", "progress"),
            ),
            rec_mode=FIRST_ROW,
            status_words=None,
            fills=PALE_FILLS,
            file_per_review=False,
            key_footnote=True,
        ),
        Layout(
            name="sheets_partner_every_row",
            titles=("{plan}", "Joint Targeted Area Inspection (Neglect), November 2017: partners' progress"),
            columns=(
                ("Ref", "rec_ref"),
                ("Area for improvement", "rec_text"),
                ("Action ID", "action_id"),
                ("Action", "description"),
                ("Partner agency", "partner"),
                ("Lead Officer", "lead"),
                ("Timescale", "timescale"),
                ("Measure of success", "measure"),
                ("RAG Status", "status"),
                ("Progress update", "progress"),
            ),
            rec_mode=EVERY_ROW,
            status_words={COMPLETE: "Complete (Blue)", GREEN: "Green", AMBER: "Amber", RED: "Red"},
            fills=STANDARD_FILLS,
            file_per_review=False,
        ),
    )
}

# What the legend (Key sheet or footnote) says about each status.
KEY_MEANINGS = {
    COMPLETE: "Blue \u2013 action complete",
    GREEN: "Green \u2013 on track to be delivered within timescale",
    AMBER: "Amber \u2013 at risk; some slippage, remedial action in hand",
    RED: "Red \u2013 off track; timescale missed or will be missed",
}
