"""What the evaluation report is made of (a section per kind, its coverage rows and reliability curves) and the
interval target it is held to: shared by the report (predictions.evaluation.report) and its plot
(predictions.evaluation.plot), so neither imports the other for them."""

from __future__ import annotations

from dataclasses import dataclass, field

INTERVAL_TARGET_PCT = 80.0
INTERVAL_BAND_PCT = (75.0, 85.0)


@dataclass(frozen=True)
class CoverageRow:
    """Share of held-out targets inside the model's [P10, P90] interval for one group of rows."""

    model: str
    group: str
    rows: int
    coverage_pct: float
    median_width: float | None
    width_unit: str  # "usd" or "days"


@dataclass(frozen=True)
class ReliabilityCurve:
    """Binned calibration: mean predicted probability against the observed rate, per bin."""

    label: str
    predicted: list[float]
    observed: list[float]
    counts: list[int]
    simulated: bool


@dataclass(frozen=True)
class IndustryRow:
    """One model's held-out figures for one industry; `note` says why there are none."""

    model: str
    industry: str
    rows: int
    mae: float | None = None
    mae_unit: str = "usd"
    coverage_pct: float | None = None
    note: str = ""


@dataclass
class Section:
    kind: str
    title: str
    markdown: str = ""
    coverage: list[CoverageRow] = field(default_factory=list)
    reliability: list[ReliabilityCurve] = field(default_factory=list)
    seed: int | None = None
    seconds: float = 0.0
    skipped: str | None = None  # why the kind was not evaluated
    industries: list[IndustryRow] = field(default_factory=list)
