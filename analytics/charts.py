"""Charts for the dashboards as plain geometry for server-rendered SVG: no JavaScript, no CDN.

Two shapes cover the dashboards: horizontal bars (a funnel, a count per channel, per tenant …) and lines over time
(weekly activity, daily active users, latency …), the latter also drawn as columns when there is one series. Each
function returns a dict for its template (`analytics/_bars.html`, `analytics/_lines.html`), whose viewBox CSS scales
to the page's width. Numbers inside the SVG are written with a dot ("12.5") and never through the page's number
format: German would write "12,5" and break the geometry. Labels and value texts are the caller's, already formatted
for the page's language. Every chart is meant to sit beside a table that says the same in words and numbers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from portal.outcomes_charts import COLOURS, WIDTH, BarLayout, _label_width, n


@dataclass(frozen=True)
class BarRow:
    label: str
    value: float | None  # None: not shown (too few people, no data), with `value_text` saying why
    value_text: str


def bar_chart(rows: Sequence[BarRow], *, colour: str = COLOURS[0], scale_max: float | None = None) -> dict:
    """One horizontal bar a row, scaled to the largest value (or `scale_max`, e.g. 1 for shares)."""
    layout = BarLayout(label_w=_label_width(row.label for row in rows), bar_h=24, gap=8, top=4)
    room = WIDTH - layout.label_w - 76
    top = scale_max or max((row.value or 0 for row in rows), default=0) or 1
    bars = []
    for i, row in enumerate(rows):
        width = None if row.value is None else max(room * row.value / top, 1 if row.value else 0)
        bars.append(
            {
                "label": row.label,
                "value_text": row.value_text,
                "y": n(layout.y(i)),
                "text_y": layout.text_y(i),
                "width": None if width is None else n(width),
                "text_x": n(layout.label_w + (width or 0) + 6),
            }
        )
    return layout.frame(len(rows)) | {"bars": bars, "colour": colour}


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[float | None]  # one per x label; None: a gap


PLOT = {"left": 48.0, "right": 12.0, "top": 12.0, "bottom": 30.0, "height": 200.0}


def _nice_top(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 × 10^k at or above `value` (an axis that ends on a round number)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 2.5, 5, 10) if step * power >= value)


def _whole_step(value: float) -> int:
    """The smallest 1, 2 or 5 × 10^k (k ≥ 0) at or above `value`: a tick step for counts."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    return int(next(step * power for step in (1, 2, 5, 10) if step * power >= value))


def line_chart(
    x_labels: Sequence[str],
    series: Sequence[Series],
    *,
    y_format=lambda value: f"{value:g}",
    columns: bool = False,
    label_every: int | None = None,
    whole: bool = False,
) -> dict:
    """Lines (or, with `columns`, the first series as columns) over evenly spaced x labels; at most six series.
    With `whole` (counts), every y tick is a whole number: the axis ends on four times a round step."""
    count = len(x_labels)
    highest = max((v for s in series for v in s.values if v is not None), default=0)
    top = _whole_step(highest / 4) * 4 if whole else _nice_top(highest)
    plot_w = WIDTH - PLOT["left"] - PLOT["right"]
    step = plot_w / max(count, 1)

    def x(i: int) -> float:
        return PLOT["left"] + step * (i + 0.5)

    def y(value: float) -> float:
        return PLOT["top"] + PLOT["height"] * (1 - value / top)

    drawn = []
    for s, colour in zip(series, COLOURS, strict=False):
        path, pen_down = [], False
        for i, value in enumerate(s.values):
            if value is None:
                pen_down = False
                continue
            path.append(f"{'L' if pen_down else 'M'}{n(x(i))} {n(y(value))}")
            pen_down = True
        points = [{"x": n(x(i)), "y": n(y(v))} for i, v in enumerate(s.values) if v is not None]
        drawn.append({"label": s.label, "colour": colour, "path": "".join(path), "points": points})
    bars = []
    if columns and series:
        width = max(step * 0.7, 1)
        bars = [
            {"x": n(x(i) - width / 2), "y": n(y(v)), "width": n(width), "height": n(y(0) - y(v))}
            for i, v in enumerate(series[0].values)
            if v is not None
        ]
    every = label_every or max(1, math.ceil(count / 6))
    return {
        "width": WIDTH,
        "height": int(PLOT["top"] + PLOT["height"] + PLOT["bottom"]),
        "series": [] if columns else drawn,
        "legend": drawn if len(drawn) > 1 else [],
        "columns": bars,
        "colour": COLOURS[0],
        "x_ticks": [{"x": n(x(i)), "label": label} for i, label in enumerate(x_labels) if i % every == 0],
        "y_ticks": [{"y": n(y(top * k / 4)), "label": y_format(top * k / 4)} for k in range(5)],
        "left": n(PLOT["left"]),
        "right": n(WIDTH - PLOT["right"]),
        "bottom": n(y(0)),
    }
