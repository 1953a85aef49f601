"""The outcomes page's charts as plain geometry for server-rendered SVG (no JavaScript, no CDN).

Coordinates are in a fixed viewBox that CSS scales to the page's width (readable at 390 px), and are written here as
plain strings with a dot ("12.5"), never through the page's number format (German would write "12,5" and break the
SVG). Every chart has a table beside it on the page that says the same in words and numbers.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from portal.outcomes import Curve
from portal.outcomes_report import ALL, Report
from portal.outcomes_tables import FEWER_THAN, stage_label

WIDTH = 480
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")  # Okabe–Ito: told apart by everyone
EVERYONE_COLOUR = "#444444"
MAX_CURVES = len(COLOURS)
BELOW_COLOUR, INSIDE_COLOUR, ABOVE_COLOUR = "#E69F00", "#009E73", "#0072B2"


def n(value: float) -> str:
    return f"{value:.1f}"


@dataclass(frozen=True)
class BarLayout:
    """Horizontal bars, one a row, after a column of labels."""

    label_w: int
    bar_h: int
    gap: int
    top: int

    def y(self, row: int) -> float:
        return self.top + row * (self.bar_h + self.gap)

    def text_y(self, row: int) -> str:
        return n(self.y(row) + self.bar_h * 0.7)

    def frame(self, rows: int) -> dict:
        return {
            "width": WIDTH,
            "height": self.top * 2 + rows * (self.bar_h + self.gap),
            "label_x": self.label_w - 6,
            "bar_x": self.label_w,
            "bar_h": self.bar_h,
        }


# ---------------------------------------------------------------------------------------------------------------------
# Funnel
# ---------------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Bar:
    label: str
    value_text: str
    y: str
    text_y: str
    width: str | None  # None: suppressed, no bar
    text_x: str


def _label_width(labels) -> int:
    """Room for the longest label at 12 px ("Vorstellungsgespräche" needs more than "Interviewing"): about 7 px a
    Latin letter, 12 px a wide (CJK) character, within 100–220 px."""
    widest = max(
        (sum(12 if unicodedata.east_asian_width(c) in "WF" else 7 for c in str(label)) for label in labels), default=0
    )
    return int(min(max(widest + 12, 100), 220))


def funnel_chart(report: Report) -> dict:
    """Horizontal bars of members reaching each stage, for everyone within the filters."""
    row = report.funnel[ALL]
    stages = [(_("In the programme"), row.members)] + [(stage_label(cell.stage), cell.members) for cell in row.cells]
    layout = BarLayout(label_w=_label_width(label for label, _members in stages), bar_h=26, gap=10, top=6)
    room = WIDTH - layout.label_w - 70
    bars = []
    for i, (label, members) in enumerate(stages):
        if members is None or row.suppressed:
            bars.append(Bar(label, str(FEWER_THAN), n(layout.y(i)), layout.text_y(i), None, n(layout.label_w + 4)))
            continue
        width = max(room * members / row.members if row.members else 0, 1)
        bars.append(
            Bar(
                label,
                number_format(members, force_grouping=True),
                n(layout.y(i)),
                layout.text_y(i),
                n(width),
                n(layout.label_w + width + 6),
            )
        )
    return layout.frame(len(stages)) | {"bars": bars}


# ---------------------------------------------------------------------------------------------------------------------
# Kaplan–Meier step curves (the share with the event, rising)
# ---------------------------------------------------------------------------------------------------------------------
PLOT = {"left": 44.0, "right": 12.0, "top": 12.0, "bottom": 34.0, "height": 260.0}
TICK_STEPS = (7, 14, 30, 60, 90, 180, 365, 730)


def _x_ticks(max_day: int) -> list[int]:
    step = next((s for s in TICK_STEPS if max_day / s <= 6), TICK_STEPS[-1])
    return list(range(0, max_day + 1, step))


def _curve_paths(curve: Curve, x, y, *, with_band: bool) -> dict:
    """The step line of 1 − S, its 95 % band as a polygon (if `with_band`), and a tick at each censoring."""
    line = [f"M{x(0)} {y(0)}"]
    upper_edge, lower_edge = [(x(0), y(0))], [(x(0), y(0))]
    previous = (0.0, 0.0, 0.0)  # reached, band low, band high
    ticks = []
    for step in curve.steps:
        now = (step.reached, 1 - step.upper, 1 - step.lower)
        if step.events:
            line.append(f"H{x(step.day)}V{y(now[0])}")
        if step.events and with_band:
            upper_edge += [(x(step.day), y(previous[2])), (x(step.day), y(now[2]))]
            lower_edge += [(x(step.day), y(previous[1])), (x(step.day), y(now[1]))]
        if step.censored:
            ticks.append(f"M{x(step.day)} {n(float(y(now[0])) - 4)}v8")
        previous = now
    if curve.steps:  # on to the end of the follow-up
        line.append(f"H{x(curve.steps[-1].day)}")
    if curve.steps and with_band:
        upper_edge.append((x(curve.steps[-1].day), y(previous[2])))
        lower_edge.append((x(curve.steps[-1].day), y(previous[1])))
    band = " ".join(f"{px},{py}" for px, py in [*upper_edge, *reversed(lower_edge)]) if with_band else ""
    return {"line": "".join(line), "band": band, "ticks": "".join(ticks)}


def survival_chart(report: Report, kind: str) -> dict | None:
    """Curves for everyone and for the largest groups shown (at most MAX_CURVES), or None when there is none."""
    curves = report.interview if kind == "interview" else report.offer
    shown = [group for group in report.groups if not group.suppressed]
    if not shown:
        return None
    everyone, others = shown[0] if shown[0].key == ALL else None, [g for g in shown if g.key != ALL]
    others = sorted(others, key=lambda group: -group.members)[:MAX_CURVES]
    chosen = ([(everyone, EVERYONE_COLOUR)] if everyone else []) + list(zip(others, COLOURS, strict=False))
    max_day = max([curves[group.key].last_day or 0 for group, _colour in chosen] + [30])
    ticks = _x_ticks(max_day)
    max_day = max(max_day, ticks[-1])
    plot_w = WIDTH - PLOT["left"] - PLOT["right"]

    def x(day: float) -> str:
        return n(PLOT["left"] + plot_w * day / max_day)

    def y(share: float) -> str:
        return n(PLOT["top"] + PLOT["height"] * (1 - share))

    # One band is readable; seven overlapping are not (the tables give every group's): the first curve has one.
    series = [
        {
            "label": group.label,
            "colour": colour,
            "members": group.members,
            **_curve_paths(curves[group.key], x, y, with_band=index == 0),
        }
        for index, (group, colour) in enumerate(chosen)
    ]
    return {
        "width": WIDTH,
        "height": int(PLOT["top"] + PLOT["height"] + PLOT["bottom"]),
        "series": series,
        "x_ticks": [{"x": x(day), "label": str(day)} for day in ticks],
        "y_ticks": [{"y": y(share / 100), "label": f"{share} %"} for share in (0, 25, 50, 75, 100)],
        "left": n(PLOT["left"]),
        "right": n(WIDTH - PLOT["right"]),
        "bottom": y(0),
        "top": y(1),
        "axis_label_y": n(PLOT["top"] + PLOT["height"] + 30),
        "hidden_groups": len(shown) - len(chosen),
    }


# ---------------------------------------------------------------------------------------------------------------------
# Offers against the predicted ranges: 100 % stacked bars
# ---------------------------------------------------------------------------------------------------------------------
def salary_chart(report: Report) -> dict | None:
    """One bar per group and currency (all offers): below, inside and above the predicted range."""
    labels = {group.key: group.label for group in report.groups}
    rows = [row for row in report.salary if not row.accepted_only]
    if not rows:
        return None
    layout = BarLayout(label_w=150, bar_h=22, gap=12, top=4)
    room = WIDTH - layout.label_w - 8
    bars = []
    for i, row in enumerate(rows):
        label = _("%(group)s, %(currency)s") % {"group": labels[row.group], "currency": row.currency}
        parts = []
        if not row.suppressed and row.compared:
            start = float(layout.label_w)
            for share, colour in ((row.below, BELOW_COLOUR), (row.inside, INSIDE_COLOUR), (row.above, ABOVE_COLOUR)):
                width = room * (share or 0)
                parts.append({"x": n(start), "width": n(width), "colour": colour})
                start += width
        note = str(FEWER_THAN) if row.suppressed else ("" if row.compared else _("no predicted range"))
        bars.append({"label": label, "y": n(layout.y(i)), "text_y": layout.text_y(i), "parts": parts, "note": note})
    colours = {"below": BELOW_COLOUR, "inside": INSIDE_COLOUR, "above": ABOVE_COLOUR}
    return layout.frame(len(rows)) | {"bars": bars, "colours": colours}
