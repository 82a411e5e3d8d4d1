"""Chart geometry for the server-rendered SVG charts (question mix, scores over time,
sparklines, stacked mix per call); templates only draw what these functions computed."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

SPIN_LABELS = ("situation", "problem", "implication", "need_payoff", "other")


@dataclass(frozen=True, slots=True)
class Bar:
    key: str
    label: str
    value: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True, slots=True)
class BarChart:
    width: int
    height: int
    baseline: float
    bars: list[Bar]
    description: str


def bar_chart(items: Sequence[tuple[str, str, int]], *, description: str) -> BarChart:
    """Vertical bars: (key, label, value) each, scaled to the largest value."""
    width, height, top, bottom, gap = 500, 200, 22, 28, 16
    n = max(len(items), 1)
    bar_w = (width - gap * (n + 1)) / n
    peak = max((v for _, _, v in items), default=0) or 1
    usable = height - top - bottom
    bars = []
    for i, (key, label, value) in enumerate(items):
        h = usable * value / peak
        x = gap + i * (bar_w + gap)
        bars.append(
            Bar(
                key,
                label,
                value,
                round(x, 1),
                round(height - bottom - h, 1),
                round(bar_w, 1),
                round(h, 1),
            )
        )
    return BarChart(width, height, height - bottom, bars, description)


@dataclass(frozen=True, slots=True)
class Point:
    x: float
    y: float
    value: int
    label: str
    href: str


@dataclass(frozen=True, slots=True)
class LineChart:
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    points: list[Point]
    path: str
    gridlines: list[tuple[int, float]]
    description: str


def line_chart(series: Sequence[tuple[str, int, str]], *, description: str) -> LineChart:
    """Scores 0-100 over sessions in time order: (label, value, link) each."""
    width, height, left, right, top, bottom = 640, 220, 36, 12, 12, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    n = len(series)
    points = []
    for i, (label, value, href) in enumerate(series):
        x = left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)
        y = top + plot_h * (1 - max(0, min(value, 100)) / 100)
        points.append(Point(round(x, 1), round(y, 1), value, label, href))
    path = " ".join(f"{'M' if i == 0 else 'L'}{p.x},{p.y}" for i, p in enumerate(points))
    grid = [(v, round(top + plot_h * (1 - v / 100), 1)) for v in (0, 25, 50, 75, 100)]
    return LineChart(width, height, left, right, top, bottom, points, path, grid, description)


@dataclass(frozen=True, slots=True)
class Sparkline:
    """A trainee's scores over time, small enough for a table cell (0-100, oldest first)."""

    width: int
    height: int
    path: str
    last: tuple[float, float] | None
    description: str


def sparkline(values: Sequence[int], *, description: str) -> Sparkline:
    width, height, pad = 120, 32, 3
    n = len(values)
    coords = [
        (
            round(pad + ((width - 2 * pad) * i / (n - 1) if n > 1 else (width - 2 * pad) / 2), 1),
            round(pad + (height - 2 * pad) * (1 - max(0, min(v, 100)) / 100), 1),
        )
        for i, v in enumerate(values)
    ]
    path = " ".join(f"{'M' if i == 0 else 'L'}{x},{y}" for i, (x, y) in enumerate(coords))
    return Sparkline(width, height, path, coords[-1] if coords else None, description)


@dataclass(frozen=True, slots=True)
class Segment:
    key: str
    y: float
    height: float
    share: int  # percent


@dataclass(frozen=True, slots=True)
class Column:
    x: float
    width: float
    label: str
    href: str
    segments: list[Segment]


@dataclass(frozen=True, slots=True)
class StackedChart:
    width: int
    height: int
    top: int
    baseline: float
    columns: list[Column]
    gridlines: list[tuple[int, float]]
    description: str


def stacked_chart(
    series: Sequence[tuple[str, Mapping[str, float], str]], *, description: str
) -> StackedChart:
    """Question mix per call, oldest first: (label, {spin label: share 0-1}, link) each,
    drawn as 100% stacked columns in the SPIN order, situation at the bottom."""
    width, height, left, right, top, bottom = 640, 220, 48, 12, 12, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(len(series), 1)
    slot = plot_w / n
    bar_w = min(slot * 0.7, 48)
    columns = []
    for i, (label, mix, href) in enumerate(series):
        total = sum(max(0.0, mix.get(k, 0.0)) for k in SPIN_LABELS) or 1.0
        y = float(top + plot_h)
        segments = []
        for key in SPIN_LABELS:
            share = max(0.0, mix.get(key, 0.0)) / total
            h = plot_h * share
            y -= h
            if h > 0:
                segments.append(Segment(key, round(y, 1), round(h, 1), round(share * 100)))
        x = left + slot * i + (slot - bar_w) / 2
        columns.append(Column(round(x, 1), round(bar_w, 1), label, href, segments))
    grid = [(v, round(top + plot_h * (1 - v / 100), 1)) for v in (0, 50, 100)]
    return StackedChart(width, height, top, top + plot_h, columns, grid, description)
