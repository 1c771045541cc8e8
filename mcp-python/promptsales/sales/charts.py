"""Charts beside the sales answers: `trends` as a line chart, `breakdown` as a bar chart, both PNG.

A chart is drawn from the answer's JSON (the dict the Redis cache holds), never from another query, so it
is a pure function of its answer: a cached chart always matches its cached answer, and an answer served
from Redis can get its chart without touching PostgreSQL. The values on the axes are read back from the
drawn artists and kept in the PNG as text metadata (key `PLOTTED_KEY`: kind, metric, labels, values), so a
reader or a test can check the picture against the structured answer without reading pixels.

Drawn with matplotlib's Agg backend (no display; chosen here, not through MPLBACKEND) at a fixed 800 x 450
pixels, readable at chat size. Bad input never raises: no points, or every value null, gives `Chart(png=None,
note="nothing to draw: ...")`; one point, all zeros and long names give a readable chart.
"""

from __future__ import annotations

import base64
import calendar
import io
import json
import math
import textwrap
import threading
from dataclasses import dataclass
from datetime import date

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator, PercentFormatter
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from promptsales.sales.models import GRAINS, METRICS

# No display anywhere this runs: Agg, chosen here rather than through MPLBACKEND in each environment.
matplotlib.use("Agg")

WIDTH, HEIGHT, DPI = 800, 450, 100
PLOTTED_KEY = "promptsales:plotted"
# Bumped when the drawing changes, so a chart cached by older code is not served after a deploy.
STYLE_VERSION = 2
MAX_BARS = 30
LABEL_CHARS = 26  # longest bar label before it is cut with an ellipsis
MAX_TICK_LABELS = 9  # month labels on the time axis; more would touch at 800 pixels
TITLE_LINE_CHARS = 95
TITLE_LINES = 3
# zlib level 1: a chart of flat colours compresses almost as well as at the default 6, in half the time
# (the PNG encoder was a third of the rendering cost). RGB, not RGBA: the figure is opaque, and a quarter
# less to filter and compress. Not a palette: a trend has ~570 distinct colours (anti-aliased text and
# lines), Pillow's fast quantizer shifts even the flat ones (the bar colour) and its exact ones cost more
# than they save.
PNG_OPTIONS = {"compress_level": 1}
LINE_COLOUR, BAR_COLOUR, MUTED = "#1f6fb2", "#2f8f6f", "#6b6b6b"
BAR_WIDTH = 0.7  # in row positions (one per row)
# The value axis reaches this fraction past the furthest value (matplotlib's default margin).
VALUE_MARGIN = 0.05

# Matplotlib's text and font caches are shared by every figure: one chart at a time.
_draw_lock = threading.Lock()


@dataclass(frozen=True)
class Chart:
    """A rendered chart (png) or the one line saying why there is none (note)."""

    png: bytes | None
    note: str

    def as_cached(self) -> dict:
        """The form the cache holds: the PNG in base64, which is also what MCP image content carries."""
        return {"png": base64.b64encode(self.png).decode() if self.png else None, "note": self.note}


def nothing(reason: str) -> Chart:
    return Chart(None, f"nothing to draw: {reason}")


def trend_chart(answer: dict) -> Chart:
    """A line of the trend's monthly values; hollow markers for months the period cuts."""
    metric, points = answer["metric"], answer.get("points") or []
    if not points:
        return nothing(f"the trend of {metric} has no points in this scope (its `basis` says why)")
    values = [p["value"] for p in points]
    if all(v is None for v in values):
        return nothing(f"every month's {metric} is null in this scope (a ratio without its denominator)")
    months = [date.fromisoformat(str(p["month"])[:10]) for p in points]
    partial = [p["days"] < calendar.monthrange(m.year, m.month)[1] for p, m in zip(points, months)]
    title = _title(f"{_label(metric)} per month", answer.get("scope") or "", metric)
    xs = list(range(len(points)))
    ys = [math.nan if v is None else v for v in values]
    with _draw_lock:
        ax = _canvas("line", title)
        (line,) = ax.plot(xs, ys, color=LINE_COLOUR, linewidth=2.2, zorder=2)
        full = [(x, y) for x, y, cut in zip(xs, ys, partial) if not cut]
        cut = [(x, y) for x, y, cut in zip(xs, ys, partial) if cut]
        if full:
            ax.plot(*zip(*full), "o", color=LINE_COLOUR, markersize=6, zorder=3)
        if cut:
            ax.plot(
                *zip(*cut),
                "o",
                markerfacecolor="white",
                markeredgecolor=LINE_COLOUR,
                markersize=7,
                zorder=3,
                label="month cut by the period (fewer days)",
            )
            # Above the plot, right-aligned: never over a point, and no search for the emptiest corner.
            ax.legend(
                loc="lower right", bbox_to_anchor=(1, 1.0), fontsize=9, frameon=False, borderaxespad=0.2
            )
        step = max(1, math.ceil(len(xs) / MAX_TICK_LABELS))
        ax.set_xticks(xs[::step], [m.strftime("%Y-%m") for m in months[::step]])
        ax.set_xlim(-0.5, len(xs) - 0.5)
        _value_axis(ax, "y", metric, [y for y in ys if not math.isnan(y)], bars=False)
        _label_points(ax, xs, ys)
        plotted = [None if math.isnan(y) else float(y) for y in line.get_ydata()]
        return Chart(
            _png(
                ax,
                {
                    "kind": "line",
                    "metric": metric,
                    "labels": [m.isoformat() for m in months],
                    "values": plotted,
                },
            ),
            title,
        )


def breakdown_chart(answer: dict, metric: str = "revenue") -> Chart:
    """Bars of one metric per row: horizontal per channel or market (names stay readable), vertical per month."""
    rows = answer.get("rows") or []
    dimension = answer["dimension"]
    if not rows:
        return nothing(f"the breakdown by {dimension} has no rows in this scope (its `basis` says why)")
    values = [row.get(metric) for row in rows[:MAX_BARS]]
    if all(v is None for v in values):
        why = (
            f"PromptCrm's figures (grain {GRAINS['crm']}) carry no {dimension}"
            if METRICS[metric].source == "crm" and dimension != "month"
            else "every row lacks it (a ratio without its denominator, or filters PromptCrm cannot split)"
        )
        return nothing(f"{metric} has no value per {dimension} in this answer: {why}")
    keys = [str(row["key"]) for row in rows[:MAX_BARS]]
    shown = f"; the first {MAX_BARS} of {len(rows)} rows" if len(rows) > MAX_BARS else ""
    title = _title(f"{_label(metric)} by {dimension}", (answer.get("scope") or "") + shown, metric)
    positions = [i for i, v in enumerate(values) if v is not None]
    heights = [values[i] for i in positions]
    vertical = dimension == "month"
    with _draw_lock:
        ax = _canvas("columns" if vertical else "bars", title)
        bars = _bars(ax, positions, heights, vertical)
        if vertical:
            step = max(1, math.ceil(len(keys) / MAX_TICK_LABELS))
            ax.set_xticks(range(len(keys))[::step], [k[:7] for k in keys[::step]])
            ax.set_xlim(-0.6, len(keys) - 0.4)
            _value_axis(ax, "y", metric, heights)
        else:
            ax.set_yticks(
                range(len(keys)),
                [_middle_cut(k, LABEL_CHARS) for k in keys],
                fontsize=9 if len(keys) <= 15 else 7,
            )
            ax.set_ylim(len(keys) - 0.4, -0.6)  # the answer's first row on top
            _value_axis(ax, "x", metric, heights)
            if len(keys) <= 15:
                formatter = ax.xaxis.get_major_formatter()
                for position, value in zip(positions, heights):
                    ax.annotate(
                        formatter(value, 0),
                        (max(value, 0), position),
                        textcoords="offset points",
                        xytext=(4, 0),
                        va="center",
                        fontsize=8,
                        color="#333333",
                    )
        for i, value in enumerate(values):
            if value is None:  # a row without this figure: say so where its bar would be
                ax.annotate(
                    "n/a",
                    (i, 0) if vertical else (0, i),
                    fontsize=8,
                    color=MUTED,
                    ha="center" if vertical else "left",
                    va="bottom" if vertical else "center",
                )
        plotted = _bar_values(bars, vertical)
        return Chart(
            _png(
                ax,
                {
                    "kind": "bar",
                    "metric": metric,
                    "labels": keys,
                    "values": [plotted.get(i) for i in range(len(keys))],
                },
            ),
            title,
        )


def plotted_values(png: bytes) -> dict:
    """What a chart plotted, read back from its PNG metadata."""
    with Image.open(io.BytesIO(png)) as image:
        return json.loads(image.text[PLOTTED_KEY])


# -- drawing helpers ------------------------------------------------------------------------------------------
# One figure per kind of chart, built once and redrawn: matplotlib's ticks and axes cost more to create than
# to draw (half the rendering time when a figure was made per chart). Each kind's margins: bars leave room
# for the names on the left.
_LAYOUT = {"line": (0.11, 0.1), "columns": (0.11, 0.1), "bars": (0.26, 0.09)}
_canvases: dict[str, tuple[Figure, object, object]] = {}


def _canvas(kind: str, title: str):
    """The axes of `kind`'s figure, emptied of the previous chart, under `title`."""
    if kind not in _canvases:
        fig = Figure(figsize=(WIDTH / DPI, HEIGHT / DPI), dpi=DPI, facecolor="white")
        FigureCanvasAgg(fig)  # drawn straight to Agg's pixel buffer, no savefig round trip
        left, bottom = _LAYOUT[kind]
        ax = fig.add_axes((left, bottom, 0.93 - left, 0.7))
        heading = fig.text(0.02, 0.975, "", ha="left", va="top", fontsize=10.5, linespacing=1.35)
        ax.grid(True, color="#e4e4e4", linewidth=0.8)
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        ax.tick_params(labelsize=9)
        _canvases[kind] = (fig, ax, heading)
    fig, ax, heading = _canvases[kind]
    for container in list(ax.containers):
        container.remove()
    for artist in [*ax.lines, *ax.patches, *ax.texts, *ax.collections]:
        artist.remove()
    if ax.get_legend() is not None:
        ax.get_legend().remove()
    heading.set_text(title)
    # Title lines push the plot down, so a long scope never runs into it.
    top = 1 - (0.07 + 0.05 * (title.count("\n") + 1))
    left, bottom = _LAYOUT[kind]
    ax.set_position((left, bottom, 0.93 - left, top - bottom))
    return ax


def _bars(ax, positions: list[int], values: list[float], vertical: bool) -> PolyCollection:
    """The bars as one collection of rectangles from 0 to each value: `ax.bar` adds a patch per bar and works
    out the data limits patch by patch (a third of a 22-column chart's cost); the value axis's limits are
    set from the values instead (`_value_axis`)."""
    half = BAR_WIDTH / 2
    boxes = [
        [(p - half, 0), (p - half, v), (p + half, v), (p + half, 0)]
        if vertical
        else [(0, p - half), (v, p - half), (v, p + half), (0, p + half)]
        for p, v in zip(positions, values)
    ]
    bars = PolyCollection(boxes, facecolors=BAR_COLOUR, edgecolors="none", linewidths=0, zorder=2)
    ax.add_collection(bars, autolim=False)
    return bars


def _bar_values(bars: PolyCollection, vertical: bool) -> dict[int, float]:
    """Each drawn bar's value, read back from its rectangle: position -> the end away from 0."""
    plotted = {}
    for path in bars.get_paths():
        along, value = (
            (path.vertices[:, 0], path.vertices[:, 1])
            if vertical
            else (path.vertices[:, 1], path.vertices[:, 0])
        )
        low, high = float(value.min()), float(value.max())
        plotted[round(float(along.mean()))] = low if high == 0 else high
    return plotted


def _title(what: str, scope: str, metric: str) -> str:
    """'Revenue per month (money)' over the scope's words, wrapped and cut so it always fits its lines."""
    head = f"{what} ({_unit(metric)})"
    wrapped = textwrap.wrap(scope, TITLE_LINE_CHARS) or [""]
    if len(wrapped) > TITLE_LINES - 1:
        wrapped = wrapped[: TITLE_LINES - 1]
        wrapped[-1] = _shorten(wrapped[-1] + " …", TITLE_LINE_CHARS)
    return "\n".join([head, *(w for w in wrapped if w)])


def _label(metric: str) -> str:
    return metric.replace("_", " ").capitalize()


def _unit(metric: str) -> str:
    info = METRICS[metric]
    return "percent" if info.ratio else info.unit.split(",")[0]


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _middle_cut(text: str, limit: int) -> str:
    """Long names cut in the middle: names that share a long start stay told apart by their ends."""
    if len(text) <= limit:
        return text
    head = (limit - 1) // 2
    return f"{text[:head].rstrip()}…{text[-(limit - 1 - head) :].lstrip()}"


def _format(metric: str, value: float) -> str:
    if METRICS[metric].ratio:
        return f"{100 * value:.1f} %"
    if abs(value) >= 1_000_000:
        return f"{value / 1_000_000:.2f} M"
    if abs(value) >= 10_000:
        return f"{value / 1_000:.1f} k"
    return f"{value:,.2f}".rstrip("0").rstrip(".") if value != int(value) else f"{value:,.0f}"


def _value_axis(ax, which: str, metric: str, values: list[float], bars: bool = True) -> None:
    """Ticks on the value axis; an all-zero series gets a visible 0..1 range and says it is all zero."""
    axis = ax.yaxis if which == "y" else ax.xaxis
    axis.set_major_locator(MaxNLocator(6))
    if METRICS[metric].ratio:
        small = max(map(abs, values), default=0) < 0.1
        axis.set_major_formatter(PercentFormatter(xmax=1, decimals=1 if small else 0))
    else:
        axis.set_major_formatter(FuncFormatter(lambda v, _: _format(metric, v)))
    set_limits = ax.set_ylim if which == "y" else ax.set_xlim
    if all(v == 0 for v in values):
        set_limits(0, 1)
        axis.set_ticks([0])
        ax.text(
            0.5,
            0.5,
            f"every {metric} value here is 0",
            transform=ax.transAxes,
            ha="center",
            va="center",
            fontsize=11,
            color=MUTED,
        )
        return
    # From the values, not ax.relim(): relim walks every artist's extent. Bars start at 0, so 0 is an edge
    # without a margin; a line gets the margin on both sides.
    low, high = min(values, default=0), max(values, default=0)
    if bars:
        low, high = min(low, 0), max(high, 0)
    pad = (high - low) * VALUE_MARGIN or abs(high) * VALUE_MARGIN or 0.5  # one value: 5 % of it
    set_limits(low if bars and low == 0 else low - pad, high if bars and high == 0 else high + pad)


def _label_points(ax, xs: list[int], ys: list[float]) -> None:
    """The value of every point when there are few, else of the highest and the last."""
    valued = [(x, y) for x, y in zip(xs, ys) if not math.isnan(y)]
    if len(valued) > 12:
        valued = list(dict.fromkeys([max(valued, key=lambda p: p[1]), valued[-1]]))
    formatter = ax.yaxis.get_major_formatter()  # the value axis's own format (money, k, M, percent)
    for x, y in valued:
        ax.annotate(
            formatter(y, 0),
            (x, y),
            textcoords="offset points",
            xytext=(0, 7),
            ha="center",
            fontsize=8,
            color="#333333",
        )


def _png(ax, plotted: dict) -> bytes:
    canvas = ax.figure.canvas
    canvas.draw()
    pixels = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    image = pixels.convert("RGB")
    info = PngInfo()
    info.add_text("Software", "promptsales sales charts")
    info.add_text(PLOTTED_KEY, json.dumps(plotted))
    buffer = io.BytesIO()
    image.save(buffer, format="png", pnginfo=info, **PNG_OPTIONS)
    return buffer.getvalue()
