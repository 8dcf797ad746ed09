"""Geometry for the dashboard's server-side SVG charts (no JavaScript, no inline styles).

Each function returns plain numbers in SVG user units; the templates under
``templates/moderation/charts/`` draw them with presentation attributes
(x, y, width, height) and CSS classes (colours live in static/css/callin.css).
"""

import math
from dataclasses import dataclass, field

from .dashboard import format_duration

WIDTH = 720


def nice_scale(largest, ticks=4):
    """A round top for a count axis from 0, and its ticks: 7 -> (8, [0, 2, 4, 6, 8])."""
    if largest <= 0:
        return 1, [0, 1]
    raw = largest / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    step = max(1, next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw))
    top = step * math.ceil(largest / step)
    count = round(top / step)
    return top, [_num(step * i) for i in range(count + 1)]


def _num(value):
    return int(value) if float(value).is_integer() else round(value, 2)


def _r(value):
    return round(value, 1)


@dataclass
class Rect:
    x: float
    y: float
    width: float
    height: float
    value: object
    css: str
    label: str = ""


@dataclass
class Tick:
    value: object
    y: float = 0
    x: float = 0
    label: str = ""


@dataclass
class ColumnChart:
    width: int
    height: int
    left: float
    right: float
    baseline: float
    bars: list = field(default_factory=list)
    y_ticks: list = field(default_factory=list)
    x_labels: list = field(default_factory=list)

    @property
    def tick_x(self):
        return self.left - 6


def columns(points, series, height=220, width=WIDTH, label_every=5):
    """Grouped columns: ``points`` is a list of (x label, {series key: value}).

    ``series`` is a list of (key, css class, name); one column per series per point.
    """
    left, right, top, bottom = 36, width - 24, 10, height - 26
    top_value, ticks = nice_scale(max((v for _, vs in points for v in vs.values()), default=0))
    plot_h = bottom - top
    group = (right - left) / max(len(points), 1)
    bar_w = group * 0.8 / max(len(series), 1)
    chart = ColumnChart(width, height, left, right, bottom)
    for tick in ticks:
        chart.y_ticks.append(Tick(tick, y=_r(bottom - plot_h * tick / top_value), label=str(tick)))
    for i, (label, values) in enumerate(points):
        x0 = left + group * i + group * 0.1
        for j, (key, css, name) in enumerate(series):
            value = values.get(key, 0)
            h = plot_h * value / top_value
            chart.bars.append(
                Rect(_r(x0 + bar_w * j), _r(bottom - h), _r(bar_w), _r(h), value, css, name)
            )
        if i % label_every == 0 or i == len(points) - 1:
            chart.x_labels.append(Tick(label, x=_r(left + group * (i + 0.5)), label=str(label)))
    return chart


@dataclass
class BarChart:
    width: int
    height: int
    label_width: float
    rows: list = field(default_factory=list)

    @property
    def label_x(self):
        return self.label_width - 8


@dataclass
class BarRow:
    label: str
    value_label: str
    y: float
    text_y: float
    bar: Rect
    value_x: float


def bars(rows, width=WIDTH, label_width=220, row_height=26):
    """Horizontal bars: ``rows`` is a list of (label, value, value label, css class)."""
    value_room = 90
    scale_w = width - label_width - value_room
    largest = max((value for _, value, _, _ in rows), default=0) or 1
    chart = BarChart(width, row_height * len(rows) + 4, label_width)
    for i, (label, value, value_label, css) in enumerate(rows):
        y = 2 + row_height * i
        w = scale_w * value / largest
        bar = Rect(label_width, _r(y + 4), _r(w), row_height - 8, value, css, label)
        chart.rows.append(
            BarRow(label, value_label, y, _r(y + row_height / 2 + 4), bar, _r(label_width + w + 6))
        )
    return chart


@dataclass
class ShareBar:
    width: int
    height: int
    segments: list = field(default_factory=list)


def share(parts, width=WIDTH, height=34):
    """One bar split into ``parts``, a list of (label, value, css class), across its width."""
    total = sum(value for _, value, _ in parts)
    chart = ShareBar(width, height)
    x = 0.0
    for label, value, css in parts:
        w = width * value / total if total else 0
        chart.segments.append(Rect(_r(x), 0, _r(w), height, value, css, label))
        x += w
    return chart


def dashboard_charts(numbers):
    """The dashboard's charts from ``moderation.dashboard.summary()``."""
    activity = columns(
        [
            (f"{d.day:%b} {d.day.day}", {"flags": d.flags, "cases": d.cases})
            for d in numbers["activity"]
        ],
        [("flags", "bar-flags", "Flags"), ("cases", "bar-cases", "Cases opened")],
    )
    outcomes = bars(
        [(s.label, s.count, str(s.count), f"bar-outcome bar-{s.key}") for s in numbers["outcomes"]]
    )
    timings = bars(
        [
            (
                t.label,
                t.median.total_seconds() if t.median else 0,
                format_duration(t.median),
                "bar-time",
            )
            for t in numbers["timings"]
        ]
    )
    answers = numbers["answers"]
    answer_share = share(
        [
            ("Answered", answers.answered, "bar-answered"),
            ("Not answered", answers.unanswered, "bar-unanswered"),
        ]
    )
    spaces = bars(
        [
            (_truncate(s.title, 28), s.open_cases, str(s.open_cases), "bar-space")
            for s in numbers["spaces"]
        ]
    )
    nudges = None
    if numbers.get("nudges") is not None:
        nudges = bars(
            [(n.label, n.count, str(n.count), f"bar-nudge bar-{n.key}") for n in numbers["nudges"]]
        )
    return {
        "nudges": nudges,
        "activity": activity,
        "outcomes": outcomes,
        "timings": timings,
        "answers": answer_share,
        "spaces": spaces,
    }


def _truncate(text, length):
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"
