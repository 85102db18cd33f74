"""Drawing a status: never by colour alone. Every chip, bar segment and table cell carries the
status word, its letter and a symbol (from data_access.domain.rules.STATUS_STYLE).

On the overview page, RAG by recommendation is plain HTML (status_bars): each bar a row of links,
one segment per status with its symbol, letter and count, its value on hover (a title) and in
words for screen readers, drawn once per process for the values and links shown. Chromium drew the
Plotly chart it replaces on every page switch (issue 27: half of the overview's switch).

On a slide, a chart is a static image (slide_chart): the papers' matplotlib chart as SVG, drawn
once per process for the values it shows, with the figures in words as its alt text. A Plotly
chart costs Chromium a full draw on every slide step (issue 27: the slow steps were the steps
onto the chart slides, measured with bench/bench_switch.py).

Chart labels that come from a tracker (recommendation text, review labels) are escaped with
plain.chart (row_label, review_label); a chart's title is plain text."""

from __future__ import annotations

import base64
import copy
import html
import textwrap

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from data_access.domain.rules import STATUS_STYLE, STATUSES, UNKNOWN, status_text
from data_access.domain.wording import short_text
from pages.ui import cached_reads
from pages.ui.plain import attribute, chart

FONT = "Source Sans Pro, Arial, sans-serif"


def chip(status: str) -> str:
    """An inline HTML chip: coloured fill, white text (>= 4.5:1), symbol, letter and word."""
    style = STATUS_STYLE.get(status, STATUS_STYLE[UNKNOWN])
    return (
        f'<span class="rag-chip" style="background:{style.colour};color:#fff;padding:0.1em 0.5em;'
        f'border-radius:0.3em;font-weight:600;white-space:nowrap" title="{html.escape(style.meaning)}">'
        f"{html.escape(status_text(status))}</span>"
    )


def row_label(ref: str, text: str | None, width: int = 24) -> str:
    """A chart row for a recommendation: its ref and the start of its text, on at most two lines
    ('a · Ensure that senior<br>leaders have access…'), escaped for Plotly."""
    words = textwrap.wrap(f"{ref} · {short_text(text, 2 * width - 4)}", width)[:2]
    return "<br>".join(chart(line) for line in words)


# A slide's chart: its figure in inches, and how tall it may be drawn (px; the slides are planned
# around a chart of this height at 1280x720, data_access.domain.slide_layout).
SLIDE_CHART_INCHES = (6.2, 3.6)
SLIDE_CHART_MAX_PX = 430
RAG_BY_RECOMMENDATION, STATUS_MIX = "rag_by_recommendation", "status_mix"
_SLIDE_CHART_COLUMNS = {
    RAG_BY_RECOMMENDATION: ("ref", "text", *STATUSES),
    STATUS_MIX: ("label", "as_at", *STATUSES, "actions"),  # "complete" is a status
}


def slide_chart(kind: str, frame: pd.DataFrame, subject: str, *, dark: bool = False) -> str:
    """A slide's chart as HTML: an <img> of the papers' chart (data_access.papers.charts) as SVG,
    whose alt text is the chart's figures in words. `kind`: RAG_BY_RECOMMENDATION (rows of
    board.recommendation_summary) or STATUS_MIX (rows of reads.status_mix); `subject`: the plan's
    name; `dark`: white text on a transparent background, for the high-contrast presentation.
    Drawn once per process for exactly the values shown (so once per data version), while other
    sessions wait for it."""
    columns = _SLIDE_CHART_COLUMNS[kind]
    rows = tuple(tuple(_plain(v) for v in row) for row in frame[list(columns)].itertuples(index=False, name=None))
    return _slide_chart_html(kind, rows, str(subject), dark)


def _plain(value):
    """A cell as a plain Python value (numpy's integers as int), for a cache key."""
    return value.item() if hasattr(value, "item") else value


@cached_reads.shared(maxsize=256)
def _slide_chart_html(kind: str, rows: tuple, subject: str, dark: bool) -> str:
    from data_access.papers import charts  # matplotlib: imported on the first slide chart only

    frame = pd.DataFrame(list(rows), columns=list(_SLIDE_CHART_COLUMNS[kind]))
    if kind == RAG_BY_RECOMMENDATION:
        labels = [
            "\n".join(textwrap.wrap(f"{r} · {short_text(t, 40)}", 24)[:2])
            for r, t in zip(frame["ref"], frame["text"], strict=True)
        ]
        drawn = charts.rag_by_recommendation(frame, subject, labels=labels, size=SLIDE_CHART_INCHES)
    else:
        drawn = charts.status_mix(frame, subject, size=SLIDE_CHART_INCHES)
    _see_through(drawn.figure, dark)
    svg = base64.b64encode(drawn.svg().encode("utf-8")).decode("ascii")
    return (
        f'<img class="slide-chart" alt="{attribute(drawn.title)}. {attribute(drawn.alt)}" '
        f'src="data:image/svg+xml;base64,{svg}" style="display:block;width:100%;height:auto;'
        f'max-height:{SLIDE_CHART_MAX_PX}px;object-fit:contain;object-position:left top">'
    )


def _see_through(figure, dark: bool) -> None:
    """No background (the slide's shows through); on black, every text and axis line white."""
    figure.patch.set_alpha(0)
    for axes in figure.axes:
        axes.patch.set_alpha(0)
        if dark:
            axes.tick_params(colors="#ffffff")
            for spine in axes.spines.values():
                spine.set_edgecolor("#ffffff")
    if dark:
        from matplotlib.text import Text

        for text in figure.findobj(Text):
            text.set_color("#ffffff")


# Status bars (status_bars): a segment narrower than this share of the longest bar shows no count
# (too thin for "✖R 12"); its title, its words for screen readers, its pattern and the separators
# still tell it apart, as Plotly hid a count that did not fit (uniformtext).
_SHOWN_SHARE = 0.1
_PATTERN_CSS = {  # each status's pattern (STATUS_STYLE.pattern) as light stripes over its fill
    "": "",
    "|": "repeating-linear-gradient(90deg,rgba(255,255,255,.28) 0 2px,transparent 2px 9px),",
    "/": "repeating-linear-gradient(-45deg,rgba(255,255,255,.28) 0 2px,transparent 2px 9px),",
    "\\": "repeating-linear-gradient(45deg,rgba(255,255,255,.28) 0 2px,transparent 2px 9px),",
    "x": "repeating-linear-gradient(45deg,rgba(255,255,255,.22) 0 2px,transparent 2px 10px),"
    "repeating-linear-gradient(-45deg,rgba(255,255,255,.22) 0 2px,transparent 2px 10px),",
    "-": "repeating-linear-gradient(0deg,rgba(255,255,255,.28) 0 2px,transparent 2px 9px),",
}
STATUS_BARS_CSS = """<style>
.status-bars { display: grid; grid-template-columns: minmax(7rem, 18rem) minmax(0, 1fr); gap: 0.4rem 0.75rem;
  align-items: center; margin: 0.25rem 0 0.75rem 0; position: relative; }
.status-bars-legend { grid-column: 1 / -1; display: flex; flex-wrap: wrap; gap: 0.5rem; margin: 0 0 0.25rem 0; }
.sb-label { line-height: 1.3; overflow-wrap: anywhere; }
.sb-track { display: flex; align-items: center; gap: 0.4rem; min-width: 0; }
.sb-bar { display: flex; height: 2.4rem; }
.sb-seg { flex: 1 1 0; min-width: 4px; display: flex; align-items: center; overflow: hidden; white-space: nowrap;
  color: #fff !important; text-decoration: none !important; font-weight: 600; border-right: 2px solid #fff; }
.sb-seg:last-child { border-right: 0; }
.sb-seg:hover .sb-text { text-decoration: underline; }
.sb-seg:focus-visible { outline: 3px solid #ffdd00; outline-offset: 0; box-shadow: 0 0 0 5px #0b0c0c; }
.sb-text { padding: 0 0.3em; margin-left: 0.2em; border-radius: 0.2em; }
.sb-sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
.sb-total { font-variant-numeric: tabular-nums; }
.sb-note { font-size: 0.875rem; margin: 0; }
/* WCAG 1.4.10 reflow: on a narrow window each label sits above its bar. */
@media (max-width: 40rem) { .status-bars { grid-template-columns: minmax(0, 1fr); } }
</style>"""


def status_bars(frame: pd.DataFrame, href, caption: str, note: str = "") -> str:
    """Stacked status bars as HTML, one row per row of `frame` (in its order: columns ref, text and
    one count per status), for st.html. Every segment is a link (`href(ref, status)`, e.g. the
    actions behind it) showing its symbol, letter and count, with its value in a title (hover) and
    in words for screen readers; a legend of status chips above. `caption` names the chart (its
    group's accessible name); `note`, plain text, is a line below it (in the same element: one fewer
    per run). Tracker text is escaped (plain.attribute). Built once per process
    for exactly the values and links shown (a few dozen small strings and numbers, compared whole)."""
    rows = tuple(
        (
            str(ref),
            "" if text is None or (isinstance(text, float) and pd.isna(text)) else str(text),
            tuple(int(row[s]) for s in STATUSES),
            tuple(href(ref, s) if int(row[s]) else "" for s in STATUSES),
        )
        for ref, text, row in zip(frame["ref"], frame["text"], frame[list(STATUSES)].to_dict("records"), strict=True)
    )
    return _status_bars_html(rows, str(caption), str(note))


@cached_reads.shared(maxsize=256)
def _status_bars_html(rows: tuple, caption: str, note: str) -> str:
    longest = max((sum(counts) for _, _, counts, _ in rows), default=0) or 1
    present = [s for i, s in enumerate(STATUSES) if any(counts[i] for _, _, counts, _ in rows)]
    parts = [
        STATUS_BARS_CSS,
        f'<div class="status-bars" role="group" aria-label="{attribute(caption)}">',
        '<p class="status-bars-legend">' + " ".join(chip(s) for s in present) + "</p>",
    ]
    for ref, text, counts, hrefs in rows:
        label = attribute(f"{ref} · {short_text(text, 60)}" if text.strip() else ref)
        segments = []
        for status, count, href in zip(STATUSES, counts, hrefs, strict=True):
            if not count:
                continue
            style = STATUS_STYLE[status]
            value = f"{label}: {count} {html.escape(style.label)}"
            shown = f"{style.symbol}{style.letter} {count}" if count / longest >= _SHOWN_SHARE else ""
            text_html = f'<span class="sb-text" style="background:{style.colour}">{shown}</span>' if shown else ""
            segments.append(
                f'<a class="sb-seg" href="{html.escape(href, quote=True)}" target="_self" title="{value}" '
                f'style="flex-grow:{count};background:{_PATTERN_CSS.get(style.pattern, "")}{style.colour}">'
                f'{text_html}<span class="sb-sr"> {html.escape(style.label)}: {count} in {label}</span></a>'
            )
        total = sum(counts)
        parts.append(
            f'<span class="sb-label">{label}</span><span class="sb-track">'
            f'<span class="sb-bar" style="width:{total / longest * 100:.1f}%">{"".join(segments)}</span>'
            f'<span class="sb-total">{total}</span></span>'
        )
    parts.append("</div>")
    if note:
        parts.append(f'<p class="sb-note">{attribute(note)}</p>')
    return "".join(parts)


def review_label(label: str, as_at_text: str) -> str:
    """A chart column for a review: its label over its date, escaped for Plotly."""
    return f"{chart(label)}<br>{chart(as_at_text)}"


def register_template(base_font_size: int = 16, *, dark: bool = False) -> str:
    """One Plotly template for fonts and RAG colours; returns its name. `dark`: white text on a
    transparent background, for the high-contrast presentation variant."""
    return _registered_template(base_font_size, dark)


@cached_reads.shared(maxsize=64)  # built once per process, while other sessions wait for it
def _registered_template(base_font_size: int, dark: bool) -> str:
    name = f"board_{base_font_size}" + ("_dark" if dark else "")
    if name not in pio.templates:
        template = _lean(pio.templates["plotly_dark" if dark else "plotly_white"])
        template.layout.font = dict(family=FONT, size=base_font_size, color="#ffffff" if dark else "#0b0c0c")
        template.layout.paper_bgcolor = "rgba(0,0,0,0)"
        template.layout.plot_bgcolor = "rgba(0,0,0,0)"
        template.layout.colorway = [STATUS_STYLE[s].colour for s in STATUSES]
        template.layout.legend = dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0)
        template.layout.margin = dict(l=10, r=10, t=40, b=10)
        pio.templates[name] = template
    return name


# What the board's charts draw: Plotly's base template also styles two dozen other trace types and
# polar, ternary, 3-D and map subplots, which every chart carried to the browser and Plotly.js
# crawled and coerced on every draw (issue 27: Plotly was the largest share of a switch's JavaScript).
_TRACE_TYPES = ("bar", "scatter", "sankey")
_UNUSED_LAYOUT = ("polar", "ternary", "scene", "geo", "coloraxis", "colorscale")


def _lean(base: go.layout.Template) -> go.layout.Template:
    """`base` styling only the trace types and the 2-D axes the board's charts use: the same look."""
    spec = base.to_plotly_json()
    data = {k: v for k, v in spec.get("data", {}).items() if k in _TRACE_TYPES}
    layout = {k: v for k, v in spec.get("layout", {}).items() if k not in _UNUSED_LAYOUT}
    return go.layout.Template(data=data, layout=layout)


def stacked_status_bars(
    frame: pd.DataFrame,
    category: str,
    *,
    horizontal: bool = True,
    font_size: int = 16,
    title: str | None = None,
    dark: bool = False,
    height: int | None = None,
) -> go.Figure:
    """Stacked bars, one per row of `frame` (in its order), one segment per status with its count
    printed inside. Segments are separated by white lines, and each fill has >= 3:1 contrast
    against white, so adjacent segments stay distinguishable without relying on hue.

    `frame[category]` holds the bars' labels, already escaped for Plotly (row_label,
    review_label); `title` is plain text. `height` (px) fixes the chart's height, e.g. to fit a
    slide; by default it grows with the number of bars, leaving room for two-line labels.

    Building and validating a Plotly figure costs tens of milliseconds, on every run of every
    viewer. The validated figure is built once per process for exactly the values it shows (the
    category labels and the counts: a few dozen small values, compared whole, never a sampled
    hash of a DataFrame) and each caller gets its own unvalidated copy, which it may change."""
    labels = tuple(str(v) for v in frame[category])
    counts = tuple((s, tuple(int(c) for c in frame[s])) for s in STATUSES if s in frame)
    spec = _status_bars_spec(labels, counts, horizontal, font_size, title, dark, height)
    fig = go.Figure(copy.deepcopy(spec), _validate=False)  # validated when the spec was built
    _validate_from_now_on(fig)  # a page's own changes (add_trace, update_yaxes) are checked as usual
    return use_template(fig, register_template(font_size, dark=dark))


def use_template(fig: go.Figure, name: str) -> go.Figure:
    """Give `fig` a template made by register_template. Plotly validates a whole template again on
    every assignment (15-60 ms here, on every run of every viewer); this one was built from
    Plotly's own templates, so it is assigned as it is."""
    fig.layout._validate = False
    try:
        fig.layout.template = pio.templates[name]
    finally:
        fig.layout._validate = True
    return fig


def _validate_from_now_on(node) -> None:
    """Turn Plotly's validation back on through a figure built with _validate=False, so later
    changes are validated and coerced (e.g. an axis title string becomes {"text": ...})."""
    node._validate = True
    if isinstance(node, go.Figure):
        _validate_from_now_on(node.layout)
        for trace in node.data:
            _validate_from_now_on(trace)
        return
    for child in node._compound_props.values():
        if child is not None:
            _validate_from_now_on(child)
    for children in node._compound_array_props.values():
        for child in children or ():
            _validate_from_now_on(child)


@cached_reads.shared(maxsize=512)  # once per process and values, while other sessions wait for it
def _status_bars_spec(
    labels: tuple[str, ...],
    counts: tuple[tuple[str, tuple[int, ...]], ...],
    horizontal: bool,
    font_size: int,
    title: str | None,
    dark: bool,
    height: int | None = None,
) -> dict:
    """The validated figure as a plain dict, for stacked_status_bars; without its template, which
    is the bulk of it and is the same for every figure (use_template)."""
    frame = pd.DataFrame({"category": list(labels), **{s: list(c) for s, c in counts}})
    spec = _build_status_bars(frame, "category", horizontal, font_size, title, dark, height).to_dict()
    spec["layout"].pop("template", None)
    return spec


def _pattern(shape: str) -> dict:
    """A light pattern over a status's fill: sparse enough that the white count printed on the
    segment keeps its contrast."""
    return dict(shape=shape, fgcolor="#ffffff", fgopacity=0.45, size=10, solidity=0.15)


def _build_status_bars(
    frame: pd.DataFrame,
    category: str,
    horizontal: bool,
    font_size: int,
    title: str | None,
    dark: bool,
    height: int | None = None,
) -> go.Figure:
    fig = go.Figure()
    for status in STATUSES:
        if status not in frame or not frame[status].any():
            continue
        style = STATUS_STYLE[status]
        counts = frame[status].astype(int)
        labels = [f"{style.symbol}{style.letter} {c}" if c else "" for c in counts]
        common = dict(
            name=f"{style.symbol} {style.label}",
            # White lines between segments, and each status's own light pattern (none for
            # complete), so a segment too thin for its letter is told apart without colour.
            marker=dict(color=style.colour, line=dict(color="#ffffff", width=2), pattern=_pattern(style.pattern)),
            text=labels,
            textposition="inside",
            insidetextanchor="middle",
            textfont=dict(color="#ffffff", size=font_size),
            hovertemplate=f"%{{y}}: %{{x}} {style.label}<extra></extra>",
        )
        if horizontal:
            fig.add_trace(go.Bar(y=frame[category].astype(str), x=counts, orientation="h", **common))
        else:
            common["hovertemplate"] = f"%{{x}}: %{{y}} {style.label}<extra></extra>"
            fig.add_trace(go.Bar(x=frame[category].astype(str), y=counts, **common))
    fig.update_layout(
        barmode="stack",
        template=register_template(font_size, dark=dark),
        title=chart(title) if title else None,
        legend_traceorder="normal",
        # A count that does not fit its segment is hidden rather than drawn over its neighbours.
        uniformtext=dict(minsize=max(10, font_size - 4), mode="hide"),
    )
    # Whole numbers only on the count axis.
    biggest = int(frame[[s for s in STATUSES if s in frame]].sum(axis=1).max() or 1)
    step = max(1, -(-biggest // 8))
    fig.update_xaxes(dtick=step, tickformat="d", rangemode="tozero") if horizontal else fig.update_yaxes(
        dtick=step, tickformat="d", rangemode="tozero"
    )
    if horizontal:
        fig.update_yaxes(autorange="reversed", type="category", automargin=True)  # plan order, top to bottom
        # Room for two-line row labels: about three lines of text per bar, plus the legend.
        fig.update_layout(height=height or max(260, 3 * font_size * len(frame) + 6 * font_size))
    else:
        fig.update_xaxes(type="category", automargin=True)
        if height:
            fig.update_layout(height=height)
    return fig
