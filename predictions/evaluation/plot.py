"""docs/model-card-calibration.png: interval coverage per model and group against the 80 % target, and the interview
reliability diagrams (campus_placement real; the simulator labelled SIMULATED). Rendered with matplotlib's Agg
backend, so it needs no display."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from predictions.evaluation.sections import INTERVAL_BAND_PCT, INTERVAL_TARGET_PCT, Section


def calibration_plot_write(sections: Sequence[Section], path: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    figure = Figure(figsize=(13, 5.5), dpi=100, layout="constrained")
    coverage_axes, reliability_axes = figure.subplots(1, 2, width_ratios=[1.4, 1])

    rows = [row for section in sections for row in section.coverage]
    if rows:
        labels = [f"{row.model}: {row.group}\n(n={row.rows:,})" for row in rows]
        colours = ["tab:blue" if row.model == "salary" else "tab:orange" for row in rows]
        positions = range(len(rows))
        coverage_axes.bar(positions, [row.coverage_pct for row in rows], color=colours)
        coverage_axes.axhspan(*INTERVAL_BAND_PCT, color="tab:green", alpha=0.12, label="75–85 % band")
        coverage_axes.axhline(INTERVAL_TARGET_PCT, color="tab:green", linestyle="--", label="80 % target")
        coverage_axes.set_xticks(list(positions), labels, rotation=60, ha="right", fontsize=7)
        coverage_axes.set_ylim(0, 100)
        coverage_axes.legend(loc="lower right", fontsize=8)
    else:
        coverage_axes.text(0.5, 0.5, "no interval coverage in this run", ha="center", va="center")
    coverage_axes.set_ylabel("held-out rows inside [P10, P90] (%)")
    coverage_axes.set_title("Interval coverage (blue: salary, orange: time to hire)")

    curves = [curve for section in sections for curve in section.reliability]
    reliability_axes.plot([0, 1], [0, 1], color="grey", linestyle=":", label="perfect calibration")
    for curve in curves:
        style = {"linestyle": "--", "marker": "x"} if curve.simulated else {"linestyle": "-", "marker": "o"}
        reliability_axes.plot(curve.predicted, curve.observed, label=curve.label, **style)
    if not curves:
        reliability_axes.text(0.5, 0.5, "no reliability data in this run", ha="center", va="center")
    reliability_axes.set_xlim(0, 1)
    reliability_axes.set_ylim(0, 1)
    reliability_axes.set_xlabel("mean predicted interview probability (bin)")
    reliability_axes.set_ylabel("observed rate")
    reliability_axes.set_title("Interview probability: reliability diagram")
    reliability_axes.legend(loc="upper left", fontsize=8)
    figure.savefig(path, format="png")
    return path
