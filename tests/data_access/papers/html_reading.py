"""Reading an HTML paper back as a person (or a screen reader) meets it, with the standard library's
parser: its text (character references decoded, as a browser shows them), its headings in order and
its tables as caption, header cells (with their scope) and rows. Shared by the HTML paper tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Table:
    caption: str = ""
    header: list[str] = field(default_factory=list)
    scopes: list[str | None] = field(default_factory=list)  # every <th>'s scope, header and rows
    rows: list[list[str]] = field(default_factory=list)


class PaperReader(HTMLParser):
    SKIPPED = ("style", "svg", "title", "script")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.headings: list[tuple[int, str]] = []
        self.tables: list[Table] = []
        self.tags: list[tuple[str, dict]] = []  # every start tag with its attributes
        self._skip = 0
        self._heading: int | None = None
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._in_head = False
        self._caption: list[str] | None = None
        self._heading_text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag in self.SKIPPED:
            self._skip += 1
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._heading, self._heading_text = int(tag[1]), []
        elif tag == "table":
            self.tables.append(Table())
        elif tag == "caption":
            self._caption = []
        elif tag == "thead":
            self._in_head = True
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = []
            if tag == "th":
                self.tables[-1].scopes.append(attributes.get("scope"))

    def handle_endtag(self, tag):
        if tag in self.SKIPPED:
            self._skip -= 1
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.headings.append((self._heading, "".join(self._heading_text)))
            self._heading = None
        elif tag == "caption":
            self.tables[-1].caption = "".join(self._caption)
            self._caption = None
        elif tag == "thead":
            self._in_head = False
        elif tag in ("td", "th"):
            self._row.append("".join(self._cell))
            self._cell = None
        elif tag == "tr":
            if self._in_head:
                self.tables[-1].header = self._row
            else:
                self.tables[-1].rows.append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._skip:
            return
        self.text.append(data)
        for part in (self._cell, self._caption, self._heading_text if self._heading else None):
            if part is not None:
                part.append(data)


def read(data: bytes) -> PaperReader:
    reader = PaperReader()
    reader.feed(data.decode("utf-8"))
    reader.close()
    return reader


def html_text(data: bytes) -> str:
    """The paper's visible text (no styles, no chart drawing)."""
    return "\n".join(read(data).text)


def table_captioned(reader: PaperReader, start: str) -> Table:
    return next(t for t in reader.tables if t.caption.startswith(start))
