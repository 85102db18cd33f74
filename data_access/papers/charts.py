"""Static charts for the papers and for "download this chart": matplotlib, drawn without a browser,
as vector SVG (PDF pack) or PNG (Word, and the page downloads). The same figures as the app's
Plotly charts, from the same reads, and never colour alone: every segment is labelled with the
status symbol and letter, the legend gives symbol and word, and every chart has alt text.

Tracker text is data here too: mathtext is switched off, so a '$' in a plan name stays a '$'.
"""

from __future__ import annotations

import functools
import io
import threading
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

import matplotlib
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path as MplPath

from data_access.domain.clean_text import clean_text
from data_access.domain.rules import STATUS_STYLE, STATUSES
from data_access.domain.wording import plural, short_date, short_text

# matplotlib's rcParams are global: charts drawn at once by two sessions of the app take turns.
_DRAWING = threading.RLock()
FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"  # DejaVu Sans: has ✔ ● ▲ ✖ ○
INK = "#0b0c0c"
NEUTRAL = "#505a5f"
STYLE = {
    "font.family": "DejaVu Sans",
    "font.size": 11,
    "text.parse_math": False,  # tracker text is never LaTeX
    "svg.fonttype": "path",  # glyphs as outlines: the same on every machine and in every viewer
    "svg.hashsalt": "improvement-board",  # stable ids, so the same figures give the same file
    "axes.edgecolor": NEUTRAL,
    "axes.labelcolor": INK,
    "xtick.color": INK,
    "ytick.color": INK,
    "text.color": INK,
}


@dataclass(frozen=True)
class Chart:
    """A drawn chart: `name` is a file stem, `alt` the text alternative (the figures in words)."""

    name: str
    title: str
    alt: str
    figure: Figure

    def svg(self, text_as_paths: bool = True) -> str:
        """The chart as SVG text, with its title and alt text as the SVG's <title> and <desc>.
        Text is drawn as outlines (the same in every viewer) unless `text_as_paths` is False: the
        PDF pack sets chart text in its own embedded DejaVu Sans, which is also quicker."""
        with _DRAWING, matplotlib.rc_context({**STYLE, "svg.fonttype": "path" if text_as_paths else "none"}):
            out = io.StringIO()
            self.figure.savefig(out, format="svg", metadata={"Date": None})
        # The one rule for text (domain/clean_text): a control character in a label, which XML
        # cannot hold, becomes a space or line break here rather than an unreadable SVG.
        text = clean_text(out.getvalue())
        at = text.index(">", text.index("<svg")) + 1
        label = f"<title>{xml_escape(clean_text(self.title))}</title><desc>{xml_escape(clean_text(self.alt))}</desc>"
        return text[:at] + label + text[at:]

    def png(self, dpi: int = 150) -> bytes:
        """The chart as PNG, its title and alt text in the file's text chunks."""
        with _DRAWING, matplotlib.rc_context(STYLE):
            out = io.BytesIO()
            metadata = {"Software": None, "Title": clean_text(self.title), "Description": clean_text(self.alt)}
            self.figure.savefig(out, format="png", dpi=dpi, metadata=metadata)
        return out.getvalue()


def _styled(draw):
    """Draw inside the house style: text takes its font (and no mathtext) when it is created."""

    @functools.wraps(draw)
    def wrapper(*args, **kwargs):
        with _DRAWING, matplotlib.rc_context(STYLE):
            return draw(*args, **kwargs)

    return wrapper


def _figure(width: float, height: float) -> Figure:
    """A figure with one axes. Margins are set by _fit, from the labels' lengths: matplotlib's
    constrained layout measures every text and doubled the time to draw a chart."""
    figure = Figure(figsize=(width, height))
    figure.add_subplot()
    return figure


def _fit(figure: Figure, labels: list[str], *, horizontal: bool, legend_rows: int = 1) -> None:
    """Room for the category labels (left of horizontal bars, under columns), the legend above and
    the axis title below. Label width is estimated at 0.62 em a character (DejaVu Sans)."""
    width, height = figure.get_size_inches()
    em = STYLE["font.size"] / 72  # inches
    lines = [line for label in labels for line in str(label).split("\n")] or [""]
    longest = max(len(line) for line in lines) * 0.62 * em
    rows = max(str(label).count("\n") + 1 for label in labels) if labels else 1
    left = (0.25 + (longest if horizontal else 0.5)) / width
    bottom = (0.55 + (0 if horizontal else rows * 1.4 * em)) / height
    top = 1 - ((0.45 + 0.25 * (legend_rows - 1) if legend_rows else 0.15) / height)
    figure.subplots_adjust(left=min(left, 0.5), right=0.98, bottom=min(bottom, 0.45), top=max(top, 0.55))


def _status_label(status: str, count: int) -> str:
    style = STATUS_STYLE[status]
    return f"{style.symbol}{style.letter} {count}"


def _segment_style(style) -> dict:
    """A status's bar segment: its fill, white separators, and its pattern (hatched in white, as
    on the app's charts), so a segment too thin for its letter is told apart without colour."""
    pattern = dict(hatch=style.pattern * 2, hatchcolor=(1, 1, 1, 0.4)) if style.pattern else {}
    return dict(color=style.colour, edgecolor="white", linewidth=1.5, **pattern)


def _stacked(
    figure: Figure, categories: list[str], counts: pd.DataFrame, *, horizontal: bool, min_label: float
) -> list[str]:
    """Draw stacked status bars on the figure's axes; returns the statuses drawn (for the legend)."""
    ax = figure.axes[0]
    position = list(range(len(categories)))
    base = [0] * len(categories)
    drawn = []
    biggest = max(1, int(counts[list(STATUSES)].sum(axis=1).max() or 1))
    for status in STATUSES:
        values = [int(v) for v in counts[status]]
        if not any(values):
            continue
        style = STATUS_STYLE[status]
        drawn.append(status)
        label = f"{style.symbol} {style.letter} {style.label}"
        if horizontal:
            bars = ax.barh(position, values, left=base, **_segment_style(style))
        else:
            bars = ax.bar(position, values, bottom=base, **_segment_style(style))
        bars.set_label(label)
        for bar, value in zip(bars, values, strict=True):
            if value and value / biggest >= min_label:
                x = bar.get_x() + bar.get_width() / 2
                y = bar.get_y() + bar.get_height() / 2
                ax.text(x, y, _status_label(status, value), ha="center", va="center", color="white", fontsize=9)
        base = [b + v for b, v in zip(base, values, strict=True)]
    if horizontal:
        ax.set_yticks(position, categories)
        ax.invert_yaxis()  # plan order, top to bottom
        ax.set_xlabel("Actions")
        ax.xaxis.get_major_locator().set_params(integer=True)
    else:
        ax.set_xticks(position, categories)
        ax.set_ylabel("Actions")
        ax.yaxis.get_major_locator().set_params(integer=True)
    ax.spines[["top", "right"]].set_visible(False)
    legend_rows = 0
    if drawn:
        # One row when the entries fit the width (0.62 em a character at 9 pt, and the swatch), else two.
        labels = [f"{STATUS_STYLE[s].symbol} {STATUS_STYLE[s].letter} {STATUS_STYLE[s].label}" for s in drawn]
        needed = sum(len(label) * 0.62 * 9 / 72 + 0.55 for label in labels)
        legend_rows = 1 if needed <= figure.get_size_inches()[0] - 0.2 else 2
        per_row = -(-len(drawn) // legend_rows)
        figure.legend(loc="upper left", bbox_to_anchor=(0.01, 0.995), ncols=per_row, frameon=False, fontsize=9)
    _fit(figure, categories, horizontal=horizontal, legend_rows=legend_rows)
    return drawn


def _mix_words(row, statuses=STATUSES) -> str:
    parts = [f"{int(row[s])} {STATUS_STYLE[s].label.lower()}" for s in statuses if int(row[s])]
    return ", ".join(parts) or "no actions"


@_styled
def rag_by_recommendation(
    by_rec: pd.DataFrame, subject: str, *, labels: list[str] | None = None, size: tuple[float, float] | None = None
) -> Chart:
    """Stacked bars of actions by status per recommendation (board.recommendation_summary).
    `labels`: the bars' labels (default 'Rec a'); `size`: the figure's (width, height) in inches
    (a slide's, pages/ui/rag.slide_chart)."""
    refs = [f"Rec {r}" for r in by_rec["ref"]]
    figure = _figure(*(size or (9.5, max(2.2, 0.34 * len(refs) + 1.2))))
    _stacked(figure, labels or refs, by_rec, horizontal=True, min_label=0.04)
    alt = f"Bar chart of {subject}'s actions by status for each recommendation. " + "; ".join(
        f"{ref}: {_mix_words(row)}" for ref, (_, row) in zip(refs, by_rec.iterrows(), strict=True)
    )
    return Chart("rag-by-recommendation", "RAG status by recommendation", alt + ".", figure)


@_styled
def status_mix(mix: pd.DataFrame, subject: str, *, size: tuple[float, float] | None = None) -> Chart:
    """Stacked columns of actions by status at each review, % complete above (reads.status_mix).
    `size`: the figure's (width, height) in inches (a slide's, pages/ui/rag.slide_chart)."""
    labels = [f"{r.label}\n{short_date(r.as_at)}" for r in mix.itertuples(index=False)]
    figure = _figure(*(size or (9.5, 3.8)))
    _stacked(figure, labels, mix, horizontal=False, min_label=0.06)
    ax = figure.axes[0]
    tops = [int(n) for n in mix["actions"]]
    for x, (top, pct) in enumerate(zip(tops, mix["complete"] / mix["actions"].where(mix["actions"] > 0), strict=True)):
        words = "" if pd.isna(pct) else f"{int(mix['complete'].iloc[x])} of {top} complete"
        ax.annotate(words, (x, top), textcoords="offset points", xytext=(0, 4), ha="center", fontsize=9)
    ax.set_ylim(0, max([1, *tops]) * 1.18)
    alt = f"Column chart of {subject}'s actions by status at each review. " + "; ".join(
        f"{r.label} ({short_date(r.as_at)}): {_mix_words(r._asdict())}" for r in mix.itertuples(index=False)
    )
    return Chart("status-mix-per-review", "Status mix at each review", alt + ".", figure)


@_styled
def overdue_per_review(mix: pd.DataFrame, subject: str) -> Chart:
    """Overdue actions at each review's own date (reads.status_mix)."""
    labels = [f"{r.label}\n{short_date(r.as_at)}" for r in mix.itertuples(index=False)]
    figure = _figure(9.5, 3.0)
    ax = figure.axes[0]
    values = [int(v) for v in mix["overdue"]]
    ax.plot(range(len(values)), values, color=INK, marker="D", linewidth=2)
    for x, value in enumerate(values):
        ax.annotate(str(value), (x, value), textcoords="offset points", xytext=(0, 6), ha="center", fontsize=9)
    ax.set_xticks(range(len(labels)), labels)
    _fit(figure, labels, horizontal=False, legend_rows=0)
    ax.set_ylabel("Overdue actions")
    ax.set_ylim(0, max([1, *values]) * 1.3)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.spines[["top", "right"]].set_visible(False)
    alt = f"Line chart of {subject}'s overdue actions, each counted as at its review's own date: " + "; ".join(
        f"{r.label}: {int(r.overdue)}" for r in mix.itertuples(index=False)
    )
    return Chart("overdue-per-review", "Overdue actions at each review's date", alt + ".", figure)


@_styled
def movements(moves, subject: str) -> Chart:
    """Where each status went between two reviews (reads.movements.Transitions): an alluvial drawing, the
    static counterpart of the Trends page's Sankey; bands are labelled with their counts."""
    sankey = moves.sankey()
    left = [i for i, side in enumerate(sankey.node_side) if side == "from"]
    right = [i for i, side in enumerate(sankey.node_side) if side == "to"]
    out_total = dict.fromkeys(left, 0)
    in_total = dict.fromkeys(right, 0)
    for s, t, v in zip(sankey.source, sankey.target, sankey.value, strict=True):
        out_total[s] += v
        in_total[t] += v
    total = max(1, sum(sankey.value))
    gap = total * 0.04
    figure = _figure(9.5, 5.0)
    ax = figure.axes[0]
    ax.set_axis_off()
    figure.subplots_adjust(left=0.01, right=0.99, top=0.98, bottom=0.02)

    def colour(node: int) -> str:
        status = sankey.node_status[node]
        return STATUS_STYLE[status].colour if status in STATUS_STYLE else NEUTRAL

    def stack(nodes, totals):
        spans, y = {}, 0.0
        for n in nodes:
            if totals[n]:
                spans[n] = [y, y]  # [start, filled so far]
                y += totals[n] + gap
        return spans

    lspan, rspan = stack(left, out_total), stack(right, in_total)
    width = 0.06
    for spans, totals, x, align in ((lspan, out_total, 0.0, "right"), (rspan, in_total, 1.0, "left")):
        for n, (start, _) in spans.items():
            ax.add_patch(Rectangle((x - width / 2, start), width, totals[n], color=colour(n)))
            tx = x - width if align == "right" else x + width
            ax.text(tx, start + totals[n] / 2, f"{sankey.node_labels[n]}: {totals[n]}", ha=align, va="center")
    for s, t, v in zip(sankey.source, sankey.target, sankey.value, strict=True):
        y0, y1 = lspan[s][1], rspan[t][1]
        lspan[s][1] += v
        rspan[t][1] += v
        x0, x1 = width / 2, 1 - width / 2
        mid = (x0 + x1) / 2
        vertices = [(x0, y0), (mid, y0), (mid, y1), (x1, y1), (x1, y1 + v), (mid, y1 + v), (mid, y0 + v), (x0, y0 + v)]
        codes = [MplPath.MOVETO, *[MplPath.CURVE4] * 3, MplPath.LINETO, *[MplPath.CURVE4] * 3]
        ax.add_patch(
            PathPatch(MplPath(vertices + [(x0, y0)], codes + [MplPath.CLOSEPOLY]), color=colour(s), alpha=0.35)
        )
    ax.set_xlim(-0.75, 1.75)
    ax.set_ylim(total + gap * (len(left) + 1), -gap)
    flows = "; ".join(
        f"{sankey.node_labels[s]} to {sankey.node_labels[t]}: {v}"
        for s, t, v in zip(sankey.source, sankey.target, sankey.value, strict=True)
    )
    alt = (
        f"Flow chart of {subject}'s actions from {moves.from_review.label} to {moves.to_review.label}: "
        f"{flows or 'no actions'}."
    )
    return Chart("status-movements", "Where each status went", alt, figure)


@_styled
def portfolio_mix(lines, subject: str = "each plan") -> Chart:
    """Stacked bars of actions by status per plan, at each plan's latest review."""
    shown = [line for line in lines if line.headline is not None]
    counts = pd.DataFrame([line.headline.status_counts for line in shown], columns=list(STATUSES)).fillna(0)
    names = [short_text(line.plan_name, 48) for line in shown]
    figure = _figure(10, max(2.2, 0.42 * len(names) + 1.3))
    if shown:
        _stacked(figure, names, counts, horizontal=True, min_label=0.04)
    alt = f"Bar chart of actions by status for {subject}, at each plan's latest review. " + "; ".join(
        f"{line.plan_name}: {_mix_words(line.headline.status_counts)} ({plural(line.headline.actions, 'action')})"
        for line in shown
    )
    return Chart("portfolio-status-mix", "Status mix by plan", alt + ".", figure)


def forecast_flag(line, target_date) -> str:
    """A forecast line against the plan's target date, in words (the Trends page's flag)."""
    if line.late is None:
        return "No target date" if target_date is None else "—"
    return "⚠ Later than target" if line.late else "✔ By the target"


@_styled
def completion_forecast(outlook, subject: str) -> Chart:
    """Actions complete now and still to do, for the whole plan and each recommendation, with the
    quarter all would be complete at the rate so far (reads.completion_forecast.Forecast)."""
    lines = [outlook.plan, *outlook.recommendations]
    names = ["Whole plan" if line.rec_id is None else f"Rec {line.scope}" for line in lines]
    figure = _figure(9.5, max(2.2, 0.34 * len(names) + 1.2))
    ax = figure.axes[0]
    done = STATUS_STYLE["complete"]
    position = list(range(len(lines)))
    complete = [line.complete for line in lines]
    remaining = [max(0, line.remaining) for line in lines]
    ax.barh(position, complete, **_segment_style(done), label=f"{done.symbol} {done.letter} {done.label}")
    ax.barh(position, remaining, left=complete, color="#dddddd", edgecolor="white", linewidth=1.5, label="To do")
    biggest = max([1, *(c + r for c, r in zip(complete, remaining, strict=True))])
    for y, line in enumerate(lines):
        if line.complete and line.complete / biggest >= 0.06:
            ax.text(line.complete / 2, y, _status_label("complete", line.complete), ha="center", va="center",
                    color="white", fontsize=9)  # fmt: skip
        words = f"{line.projected_quarter or '—'} · {forecast_flag(line, outlook.target_date)}"
        ax.text(line.total + biggest * 0.01, y, words, ha="left", va="center", fontsize=9)
    ax.set_yticks(position, names)
    ax.invert_yaxis()
    ax.set_xlim(0, biggest * 1.45)
    ax.set_xlabel("Actions")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.spines[["top", "right"]].set_visible(False)
    figure.legend(loc="upper left", bbox_to_anchor=(0.01, 0.995), ncols=2, frameon=False, fontsize=9)
    _fit(figure, names, horizontal=True)
    alt = f"Bar chart of {subject}'s actions complete and to do, with the quarter all would be complete. " + "; ".join(
        f"{name}: {line.complete} of {line.total} complete, all complete by {line.projected_quarter or 'no quarter'}"
        f" ({forecast_flag(line, outlook.target_date).lstrip('⚠✔ ').lower()})"
        for name, line in zip(names, lines, strict=True)
    )
    return Chart("completion-forecast", "Completion forecast at the rate so far", alt + ".", figure)
