"""The model monitor's charts as plain geometry for server-rendered SVG (the style of portal/outcomes_charts.py): a
fixed viewBox that CSS scales to the page's width (readable at 390 px), coordinates written with a dot, never
through the page's number format. Each chart has a table beside it that says the same in numbers.
"""

from __future__ import annotations

from collections.abc import Sequence

from analytics.monitoring.psi import LARGE, MODERATE

WIDTH = 480
BAND_COLOURS = {"stable": "#009E73", "moderate": "#E69F00", "large": "#D55E00"}  # Okabe–Ito
CURVE_COLOUR, IDEAL_COLOUR = "#0072B2", "#999999"


def n(value: float) -> str:
    return f"{value:.1f}"


def reliability_chart(points: Sequence[dict]) -> dict | None:
    """Predicted probability (x) against the observed share (y), the diagonal of a perfect calibration, one dot per
    bin of predictions with an area that grows with its n. None without points."""
    if not points:
        return None
    left, top, size = 44.0, 10.0, 260.0

    def x(p: float) -> str:
        return n(left + size * p)

    def y(p: float) -> str:
        return n(top + size * (1 - p))

    largest = max(point["n"] for point in points)
    dots = [
        {
            "x": x(point["predicted"]),
            "y": y(point["observed"]),
            "r": n(3 + 7 * (point["n"] / largest) ** 0.5),
        }
        for point in points
    ]
    ticks = [{"at": x(v / 100), "y_at": y(v / 100), "label": f"{v} %"} for v in (0, 25, 50, 75, 100)]
    return {
        "width": int(left + size + 28),  # room for the last tick's label, centred on the right edge
        "height": int(top + size + 40),
        "diagonal": f"M{x(0)} {y(0)}L{x(1)} {y(1)}",
        "line": "M" + "L".join(f"{dot['x']} {dot['y']}" for dot in dots),
        "dots": dots,
        "ticks": ticks,
        "left": n(left),
        "right": x(1),
        "top": y(1),
        "bottom": y(0),
        "label_y": n(top + size + 32),
        "colours": {"curve": CURVE_COLOUR, "ideal": IDEAL_COLOUR},
    }


def psi_chart(features: Sequence) -> dict | None:
    """One horizontal bar per feature (its PSI, coloured by band), with the 0.1 and 0.25 marks; the scale reaches
    at least 0.5 so that small values read as small. None without features."""
    if not features:
        return None
    label_w, bar_h, gap, top = 190, 16, 6, 18
    room = WIDTH - label_w - 56
    scale = max(0.5, max(feature.psi for feature in features))

    def x(value: float) -> str:
        return n(label_w + room * min(value, scale) / scale)

    bars = [
        {
            "label": feature.name,
            "y": n(top + i * (bar_h + gap)),
            "text_y": n(top + i * (bar_h + gap) + bar_h * 0.75),
            "width": n(max(room * min(feature.psi, scale) / scale, 1)),
            "value_x": n(float(x(feature.psi)) + 4),
            "value": f"{feature.psi:.3f}",
            "colour": BAND_COLOURS[feature.band],
        }
        for i, feature in enumerate(features)
    ]
    height = top + len(features) * (bar_h + gap) + 4
    marks = [{"x": x(MODERATE), "label": f"{MODERATE}"}, {"x": x(LARGE), "label": f"{LARGE}"}]
    if float(marks[1]["x"]) - float(marks[0]["x"]) < 24:  # a wide scale puts them together: one label for both
        marks[0]["label"] = ""
    return {
        "width": WIDTH,
        "height": int(height),
        "bar_x": label_w,
        "label_x": label_w - 6,
        "bar_h": bar_h,
        "bars": bars,
        "marks": marks,
        "mark_bottom": n(height),
        "colours": BAND_COLOURS,
    }
