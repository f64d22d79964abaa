"""Bar charts for the health page: drawn by matplotlib at build time, inlined as SVG the page sanitizer keeps.

matplotlib's own SVG carries ids, clip paths, a `<style>` and colours in `style` attributes. The sanitizer
allows none of them, and colours fixed at build time would ignore the reader's colour scheme. So each kind
of artist is drawn in its own sentinel colour, and the SVG is rebuilt with only shapes, text and positions:
the sentinel becomes a class, which playbook.css colours with Material's variables. Text stays text
(`svg.fonttype: none`), so it takes the page's font and can be read and copied.

Drawing costs half a second to import matplotlib and ~25 ms a chart, and a build draws the same charts
every time, so each chart's SVG is kept in the build's cache folder, keyed by the chart itself.
"""

from __future__ import annotations

import hashlib
import io
import math
import textwrap
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from generator.cache import cache_folder, write_entry
from generator.chart_svg import CLASSES, HEIGHT, WIDTH, inline_svg, plain

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.typing import RcKeyType

CHARTS_VERSION = 2
"""Part of every cache key: bump it when the drawing or the conversion changes, so old entries are not used."""

FONT, SMALL = 12, 11
LINE = 14  # points between the lines of a wrapped label
LEFT, RIGHT = 56, 48  # room for the value axis's labels, and on the right for the goal's
SENTINEL = {name.removeprefix("chart-"): colour for colour, name in CLASSES.items()}
_SERIES = (SENTINEL["series-0"], SENTINEL["series-1"])
_RC: dict[RcKeyType, object] = {
    # Deterministic output: a fixed salt for matplotlib's ids, one bundled font for every measurement.
    "svg.hashsalt": "playbook-chart",
    "svg.fonttype": "none",
    "font.family": ["DejaVu Sans"],
    "font.size": FONT,
    # Content is text, never mathtext: a `$` in a cohort's name stays a `$`.
    "text.parse_math": False,
    "text.usetex": False,
    "axes.unicode_minus": False,
    "text.color": SENTINEL["text"],
    "ytick.color": SENTINEL["text"],
    "axes.edgecolor": SENTINEL["axis"],
    "grid.color": SENTINEL["grid"],
}


@dataclass(frozen=True)
class Series:
    name: str
    """Legend text, e.g. `Pairs` or `Comparison group`; plain text."""
    values: tuple[float | None, ...]
    """One per category; None draws no bar."""
    notes: tuple[str, ...] = ()
    """Optional, one per category: written where a None bar would be, e.g. `fewer than 5`."""
    labels: tuple[str, ...] = ()
    """Optional, one per category: the text over each bar, such as `4.0`, as the table beside the chart
    prints it; without it, the value with at most one decimal."""


@dataclass(frozen=True)
class Axis:
    low: float
    high: float
    suffix: str = ""
    """Appended to tick and value labels: `%` for percent."""


@dataclass(frozen=True)
class BarChart:
    label: str
    """The accessible name: what the chart shows, in words (plain text)."""
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    """One, or two as grouped bars."""
    axis: Axis
    goal: float | None = None
    """A dashed line across the chart, labelled `Goal`."""


def render_chart(chart: BarChart) -> str:
    """The chart as one line of inline SVG markup (no newlines), cached on disk by its content.

    One line, because a blank line would end the raw-HTML block it sits in on a Markdown page.
    """
    path = _cache_path(chart)
    cached = _read_cached(path) if path else None
    if cached is not None:
        return cached
    svg = inline_svg(draw_chart(chart), chart.label)
    if path:
        write_entry(path, svg)
    return svg


def format_value(value: float, suffix: str = "") -> str:
    """`87%`, `4.3`: at most one decimal, and none when it is `.0`."""
    text = f"{value:.1f}"
    if float(text) == 0:  # -0.04 is `0`, not `-0`
        text = "0.0"
    return text.removesuffix(".0") + suffix


def _cache_path(chart: BarChart) -> Path | None:
    folder = cache_folder("charts")
    if folder is None:
        return None
    key = hashlib.sha256(f"{CHARTS_VERSION}\n{chart!r}".encode("utf-8", "surrogatepass")).hexdigest()
    return folder / f"{key}.svg"


def _read_cached(path: Path) -> str | None:
    """The cached SVG, or none when the entry is missing, unreadable or not what `render_chart` writes."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeError):
        return None
    if not text.startswith("<svg ") or not text.endswith("</svg>") or "\n" in text or "\r" in text:
        return None
    return text


def draw_chart(chart: BarChart) -> str:
    """matplotlib's SVG of the chart, each artist in its sentinel colour."""
    import matplotlib  # here, not at the top: most builds find every chart in the cache
    from matplotlib.figure import Figure

    with matplotlib.rc_context(_RC), warnings.catch_warnings():
        # A glyph missing from the font only warns; the text is still written, and the browser draws it.
        warnings.simplefilter("ignore")
        figure = Figure(figsize=(WIDTH / 72, HEIGHT / 72), dpi=72)
        _lay_out(figure, chart)
        out = io.BytesIO()
        figure.savefig(out, format="svg", transparent=True,
                       metadata={"Date": None, "Creator": None, "Format": None, "Type": None})
    return out.getvalue().decode("utf-8")


def _lay_out(figure: Figure, chart: BarChart) -> None:
    count = min(len(chart.series), 2)
    slot = (WIDTH - LEFT - RIGHT) / max(len(chart.categories), 1)
    # Up to 36 months fit across 640 px only with their labels turned to read upward.
    upward_names, upward_values = slot < 48, slot / max(count, 1) < 30
    goal = _goal(chart)
    left, right = LEFT, 16 if goal is None else RIGHT
    top = 24 + (20 if count > 1 else 0) + (12 if upward_values else 0)
    bottom = 72 if upward_names else 40
    figure.subplots_adjust(left=left / WIDTH, right=1 - right / WIDTH, top=1 - top / HEIGHT, bottom=bottom / HEIGHT)
    axes = figure.add_subplot()
    axes.patch.set_visible(False)
    slot = (WIDTH - left - right) / max(len(chart.categories), 1)
    _draw_frame(axes, chart)
    _draw_bars(axes, chart, slot, upward_values)
    for index, category in enumerate(chart.categories):
        if upward_names:
            _write(axes, _lines(category, bottom - 10, FONT, 1), (index, _low(chart.axis)), (0, -6), "right", True)
        else:
            _write(axes, _lines(category, slot - 4, FONT, 2), (index, _low(chart.axis)), (0, -6), "top")
    if goal is not None:
        _draw_goal(axes, max(goal, _low(chart.axis)))
    if count > 1:
        _draw_legend(figure, chart, left)


def _draw_frame(axes: Axes, chart: BarChart) -> None:
    """The value axis, its gridlines and the baseline; no tick marks (they would be markers, drawn by reference)."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    axes.set_xlim(-0.5, max(len(chart.categories), 1) - 0.5)
    axes.set_ylim(_low(chart.axis), _high(chart))
    axes.set_xticks([])
    axes.yaxis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]))
    suffix = plain(chart.axis.suffix)
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: format_value(value, suffix)))
    axes.tick_params(length=0, pad=6)
    axes.grid(axis="y", linewidth=1)
    axes.set_axisbelow(True)
    for side in ("top", "right", "left"):
        axes.spines[side].set_visible(False)


def _draw_bars(axes: Axes, chart: BarChart, slot: float, upward: bool) -> None:
    """Grouped bars, each labelled with its value; where a bar is missing, its note at the baseline."""
    count, low, high = min(len(chart.series), 2), _low(chart.axis), _high(chart)
    width = 0.8 / max(count, 1)
    for number, series in enumerate(chart.series[:2]):
        for index, value in enumerate(series.values[:len(chart.categories)]):
            x = index + (number - (count - 1) / 2) * width
            if value is None or not math.isfinite(value):
                note = series.notes[index] if index < len(series.notes) else ""
                lines = _lines(note, 100 if upward else slot / count, SMALL, 1 if upward else 3)
                _write(axes, lines, (x, low), (0, 4), "left" if upward else "bottom", upward, SMALL, "note")
                continue
            top = min(max(value, low), high)
            axes.bar(x, top - low, width=width * 0.94, bottom=low, color=_SERIES[number], linewidth=0, clip_on=False)
            given = series.labels[index] if index < len(series.labels) else ""
            label = [plain(given) or format_value(value, plain(chart.axis.suffix))]
            _write(axes, label, (x, top), (0, 3), "left" if upward else "bottom", upward, SMALL)


def _write(axes: Axes, lines: list[str], xy: tuple[float, float], offset: tuple[float, float], side: str,
           upward: bool = False, size: float = FONT, kind: str = "text") -> None:
    """Lines of text stacked on the side `side` of the point `xy`, moved by `offset` points; `upward` turns
    them to read from bottom to top. Anchored in the middle or at an end, so that a browser font of another
    width keeps them in place."""
    for line, text in enumerate(lines):
        shift = (len(lines) - 1 - line) * LINE if side == "bottom" else -line * LINE
        ha, va = (side, "center") if upward else ("center", side)
        axes.annotate(text, xy, xytext=(offset[0], offset[1] + shift), textcoords="offset points", ha=ha, va=va,
                      fontsize=size, color=SENTINEL[kind], rotation=90 if upward else 0, rotation_mode="anchor",
                      annotation_clip=False, zorder=4)


def _draw_goal(axes: Axes, goal: float) -> None:
    """A dashed line in a casing of the page's colour, so it shows across bars of a similar colour."""
    axes.axhline(goal, color=SENTINEL["goal-halo"], linewidth=4, clip_on=False, zorder=3)
    axes.axhline(goal, color=SENTINEL["goal"], linewidth=2, linestyle=(0, (6, 4)), clip_on=False, zorder=3.1)
    axes.annotate("Goal", (1, goal), xycoords=("axes fraction", "data"), xytext=(4, 0), textcoords="offset points",
                  ha="left", va="center", annotation_clip=False)


def _draw_legend(figure: Figure, chart: BarChart, left: float) -> None:
    from matplotlib.patches import Rectangle

    # Handles and labels given outright: a name starting with `_` is then shown, not taken as "no legend".
    handles = [Rectangle((0, 0), 1, 1, color=colour, linewidth=0) for colour in _SERIES]
    labels = [(_lines(series.name, 240, FONT, 1) or [""])[0] for series in chart.series[:2]]
    figure.legend(handles, labels, loc="upper left", bbox_to_anchor=(left / WIDTH - 0.01, 1), ncols=2,
                  frameon=False, handlelength=1.2, columnspacing=1.6)


def _low(axis: Axis) -> float:
    return axis.low if math.isfinite(axis.low) else 0


def _high(chart: BarChart) -> float:
    """The top of the value axis: above its low end, and high enough for the goal line."""
    low, high, goal = _low(chart.axis), chart.axis.high, _goal(chart)
    top = high if math.isfinite(high) and high > low else low + 1
    return top if goal is None else max(top, goal)


def _goal(chart: BarChart) -> float | None:
    return chart.goal if chart.goal is not None and math.isfinite(chart.goal) else None


def _lines(text: str, room: float, size: float, most: int) -> list[str]:
    """`text` wrapped to fit `room` points, on at most `most` lines, ending in `…` where cut short.

    The width is guessed from the number of characters: the browser draws the text in the page's font,
    whose widths matplotlib does not know."""
    width = max(int(room / (size * 0.55)), 3)
    lines = textwrap.wrap(plain(text), width=width, break_long_words=False)
    if len(lines) > most:
        lines = lines[:most]
        lines[-1] += "…"
    # A word a little too long may stand out of its slot; a longer one is cut.
    return [line if len(line) <= width + 2 else line[:width] + "…" for line in lines]
