"""Board lists as real HTML tables: a <caption>, <th scope="col"> headers, RAG as chip text
(symbol, letter and word), links as <a>. Screen readers and keyboards get a proper table, and the
projector gets large, wrapped text — the canvas st.dataframe grid gives neither.

Every value from a tracker goes through html.escape: tracker text may contain '<script>' or
'=HYPERLINK(...)' and must show as inert text.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from data_access.domain.wording import due_text_of, short_date
from data_access.reads import deck_plan
from pages.ui import rag

CSS = """
<style>
.board-table { border-collapse: collapse; width: 100%; margin: 0.25rem 0 1rem 0; font-size: 1rem; }
.board-table caption { caption-side: top; text-align: left; font-weight: 600; padding: 0.25rem 0; }
.board-table th, .board-table td { border-bottom: 1px solid rgba(128,128,128,0.55); padding: 0.4em 0.6em;
  text-align: left; vertical-align: top; }
.board-table th { background: rgba(128,128,128,0.14); font-weight: 700; }
.board-table td.num, .board-table th.num { text-align: right; font-variant-numeric: tabular-nums; }
.board-table a { color: inherit; text-decoration: underline; text-underline-offset: 0.15em; }
.board-table a:focus-visible { outline: 3px solid #ffdd00; outline-offset: 1px; }
.board-table td.date { white-space: nowrap; }
.rag-chip { display: inline-block; }
/* WCAG 1.4.10 reflow: on a narrow window a wide table scrolls inside its own box, not the page. */
.board-table-scroll { overflow-x: auto; max-width: 100%; }
.board-table-scroll:focus-visible { outline: 3px solid #ffdd00; outline-offset: 2px; }
/* Slide tables: fixed column widths (data_access.domain.slide_layout plans the rows to fit the screen). */
.board-table.slide-table { table-layout: fixed; font-size: 0.85rem !important; min-width: 0 !important; }
.board-table.slide-table td, .board-table.slide-table th { padding: 0.3em 0.35em; overflow-wrap: anywhere;
  line-height: 1.35; }
.board-table.slide-table td.date { white-space: normal; }
.board-table.slide-table .rag-chip { white-space: normal !important; }
</style>
"""


@dataclass(frozen=True)
class Column:
    """How one column of a frame is shown.

    kind: 'text' (escaped, newlines kept), 'status' (a RAG chip), 'number', 'date' (DD Mon YYYY),
    'due' (the action's due date with the tracker's wording, wording.due_text, from the row's
    due_date, revised_due_date and due_raw), 'html' (already-safe HTML built by the page from
    escaped parts).
    link: builds the href for the cell from the row, a dict by column (the cell text becomes a link).
    """

    key: str
    header: str
    kind: str = "text"
    link: Callable[[dict], str | None] | None = None
    width: float | None = None  # share of the table (slide tables: data_access.domain.slide_layout)


def text(value) -> str:
    """Escaped text for HTML, newlines kept as <br>; blanks are an empty string."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return ""
    return html.escape(str(value)).replace("\n", "<br>")


def date_text(value) -> str:
    if value is None or value is pd.NaT or (not isinstance(value, dt.date) and pd.isna(value)):
        return ""
    return short_date(pd.Timestamp(value).date())


def link(href: str, label_html: str) -> str:
    """An <a> that opens in the same tab (the URL carries the whole view)."""
    return f'<a href="{html.escape(href, quote=True)}" target="_self">{label_html}</a>'


def _cell(column: Column, row: dict) -> str:
    value = row.get(column.key)
    if column.kind == "status":
        body = "" if not isinstance(value, str) else rag.chip(value)  # none: e.g. an action new this review
    elif column.kind == "date":
        body = date_text(value)
    elif column.kind == "due":
        body = text(due_text_of(row))
    elif column.kind == "number":
        body = "" if value is None or pd.isna(value) else html.escape(str(value))
    elif column.kind == "html":
        body = "" if value is None else str(value)
    else:
        body = text(value)
    if column.link and body:
        href = column.link(row)
        if href:
            body = link(href, body)
    css = ' class="num"' if column.kind == "number" else ' class="date"' if column.kind == "date" else ""
    return f"<td{css}>{body}</td>"


def cell_text(column: Column, row: dict) -> str:
    """The cell as plain text, as a reader sees it: data_access.reads.deck_plan.cell_text (what the
    slide plan measures a row by and the PowerPoint says), and an HTML cell without its tags."""
    if column.kind == "html":
        value = row.get(column.key)
        return re.sub(r"<[^>]+>", "", "" if value is None else str(value))
    return deck_plan.cell_text(column.kind, column.key, row)


def html_table(frame: pd.DataFrame, columns: list[Column], caption: str, *, empty: str = "None.") -> str:
    """The frame as an accessible HTML table string (see module docstring), in a box of its own
    that scrolls sideways on a narrow window. Columns with widths make a fixed-layout slide table."""
    if frame.empty:
        return f'<p class="board-empty"><strong>{html.escape(caption)}:</strong> {html.escape(empty)}</p>'
    num = ' class="num"'
    head = "".join(f'<th scope="col"{num if c.kind == "number" else ""}>{html.escape(c.header)}</th>' for c in columns)
    # Rows as plain dicts: DataFrame.iterrows builds a Series per row, which was most of a big
    # table's cost on every run (profiled); links and due dates read row["column"] either way.
    body = "".join("<tr>" + "".join(_cell(c, row) for c in columns) + "</tr>" for row in frame.to_dict("records"))
    slide = all(c.width for c in columns)
    cols = "".join(f'<col style="width:{c.width * 100:.1f}%">' for c in columns) if slide else ""
    colgroup = f"<colgroup>{cols}</colgroup>" if slide else ""
    css_class = "board-table slide-table" if slide else "board-table"
    # Never squeezed below about 5rem a column: narrower windows scroll the box instead (WCAG 1.4.10).
    min_width = "" if slide else f' style="min-width:{min(44, 5 * len(columns))}rem"'
    label = html.escape(caption, quote=True)
    return (
        f'<div class="board-table-scroll" role="region" tabindex="0" aria-label="{label}">'
        f'<table class="{css_class}"{min_width}><caption>{html.escape(caption)}</caption>'
        f"{colgroup}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
    )


def show_table(frame: pd.DataFrame, columns: list[Column], caption: str, *, empty: str = "None.") -> None:
    """Draw the table (st.html: no Markdown processing, sanitised, real DOM — not an iframe)."""
    st.html(CSS + html_table(frame, columns, caption, empty=empty))


def folded(label: str, key: str, draw: Callable[[], None]) -> None:
    """A closed-by-default expander that calls `draw()` inside it only while it is open: opening
    or closing it reruns the page (Streamlit's stateful expander). For long lists a reader opens
    one at a time: a page with a dozen of them otherwise sends and draws every table on every run,
    which a page switch waits for."""
    # The "folded_" prefix marks these for the browser tests, which wait for the rerun a click starts.
    box = st.expander(label, key=f"folded_{key}", on_change="rerun")
    if box.open:
        with box:
            draw()
