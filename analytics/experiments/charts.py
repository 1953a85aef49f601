"""The results page's chart as plain geometry for server-rendered SVG: each variant's rate as a dot with its
always-valid interval as a line, on one axis from 0 to a round maximum. Coordinates are written with a dot ("12.5"),
never through the page's number format. The table beside it says the same in numbers."""

from __future__ import annotations

import math

from analytics.experiments.results import Results

WIDTH = 480
LABEL_W = 110
ROW_H = 34
TOP = 14
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7")  # Okabe–Ito


def _n(value: float) -> str:
    return f"{value:.1f}"


def results_chart(results: Results) -> dict | None:
    """None when no variant has a rate to show."""
    shown = [v for v in results.variants if v.rate is not None]
    if not shown:
        return None
    top_value = max(max(v.high if v.high is not None else v.rate for v in shown), 0.01)
    step = 0.1 if top_value <= 0.5 else 0.25  # ticks at round per cents
    axis_max = min(1.0, math.ceil(top_value / step - 1e-9) * step)
    span = WIDTH - LABEL_W - 16

    def x(value: float) -> str:
        return _n(LABEL_W + span * min(max(value, 0.0), axis_max) / axis_max)

    rows = []
    for index, variant in enumerate(results.variants):
        y = TOP + index * ROW_H + ROW_H / 2
        row = {"label": variant.name, "y": _n(y), "text_y": _n(y + 4), "colour": COLOURS[index % len(COLOURS)]}
        if variant.rate is not None:
            row |= {"x": x(variant.rate), "rate": True}
            if variant.low is not None and variant.high is not None:
                row |= {"low_x": x(variant.low), "high_x": x(variant.high)}
        rows.append(row)
    height = TOP * 2 + len(results.variants) * ROW_H + 16
    ticks = [
        {"x": x(k * step), "label": f"{k * step:.0%}", "y": _n(height - 6)} for k in range(round(axis_max / step) + 1)
    ]
    return {
        "width": WIDTH,
        "height": height,
        "rows": rows,
        "ticks": ticks,
        "axis_y": _n(height - 20),
        "label_x": LABEL_W - 8,
        "plot_top": TOP,
    }
