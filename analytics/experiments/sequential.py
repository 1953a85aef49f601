"""The decision rule of an A/B experiment, valid however often people look: the mixture sequential probability ratio
test (mSPRT) of Johari, Koomen, Pekelis and Walsh, "Always Valid Inference: Continuous Monitoring of A/B Tests"
(Operations Research, 2022), in its normal form for the difference of two means (a rate is the mean of 0/1 outcomes).

Why this one: a results page is looked at every day, and a fixed-horizon z-test checked at each look declares a
difference between identical variants far more often than its 5 % (tests/analytics/test_experiments.py measures
both). The mSPRT's p-value and confidence interval are "always valid": the chance that the p-value ever falls below
alpha under no difference is at most alpha, at whatever times it is read, and the interval covers the true difference
at all times with probability 1 − alpha. The price is width: early intervals are wider than fixed-horizon ones.

With d the difference of the two means and s² its estimated variance (var_a / n_a + var_b / n_b), and a normal
mixing distribution N(0, tau²) over the true difference, the likelihood ratio is

    Λ = sqrt(s² / (s² + tau²)) · exp(tau² d² / (2 s² (s² + tau²)))

the always-valid p-value is the running minimum of min(1, 1/Λ), and the always-valid interval is

    d ± sqrt(s² (s² + tau²) / tau² · (log((s² + tau²) / s²) − 2 log alpha)).

tau is the size of difference the test is tuned to find soonest; it is set from the metric's own scale (a share of
its standard deviation), never from the data being tested.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

ALPHA = 0.05


@dataclass(frozen=True)
class Arm:
    """One variant's observations of the metric: how many, their mean and their (sample) variance."""

    n: int
    mean: float
    variance: float


@dataclass(frozen=True)
class Look:
    difference: float  # treatment mean − control mean
    p_value: float  # always valid, for this look alone (take the running minimum over looks: `p_value_running`)
    low: float
    high: float
    decided: bool  # p_value <= alpha: the difference is not zero


def look(control: Arm, treatment: Arm, *, tau: float, alpha: float = ALPHA) -> Look | None:
    """The mSPRT at one look, or None while an arm has fewer than two observations or no variance."""
    if control.n < 2 or treatment.n < 2 or tau <= 0:
        return None
    s2 = control.variance / control.n + treatment.variance / treatment.n
    if s2 <= 0:
        return None
    d = treatment.mean - control.mean
    t2 = tau * tau
    log_lambda = 0.5 * math.log(s2 / (s2 + t2)) + t2 * d * d / (2 * s2 * (s2 + t2))
    p_value = 1.0 if log_lambda <= 0 else min(1.0, math.exp(-log_lambda))
    half = _half_width(s2, t2, alpha)
    return Look(d, p_value, d - half, d + half, p_value <= alpha)


def interval(arm: Arm, *, tau: float, alpha: float = ALPHA) -> tuple[float, float] | None:
    """The always-valid confidence interval of one arm's mean (the same mixture test, for one mean, with s² its
    estimated variance var / n), or None while the arm has fewer than two observations or no variance."""
    if arm.n < 2 or tau <= 0 or arm.variance <= 0:
        return None
    half = _half_width(arm.variance / arm.n, tau * tau, alpha)
    return arm.mean - half, arm.mean + half


def _half_width(s2: float, t2: float, alpha: float) -> float:
    return math.sqrt(s2 * (s2 + t2) / t2 * (math.log((s2 + t2) / s2) - 2 * math.log(alpha)))


def p_value_running(previous: float | None, current: Look | None) -> float:
    """The always-valid p-value after this look: the smallest so far (1 before the first)."""
    now = 1.0 if current is None else current.p_value
    return now if previous is None else min(previous, now)
