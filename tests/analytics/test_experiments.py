"""Experiment assignment (analytics/experiments/assignment.py) and the always-valid decision rule
(analytics/experiments/sequential.py), including its false-positive rate on simulated A/A experiments that are looked
at twenty times each."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest

from analytics.experiments.assignment import bucket, variant_for, weights_check
from analytics.experiments.sequential import Arm, look, p_value_running

HALVES = [("control", 50), ("treatment", 50)]


def test_a_person_gets_the_same_variant_every_time_and_experiments_split_people_independently() -> None:
    # Pinned: a change of the hash would move people between variants in the middle of running experiments.
    assert [variant_for("reminder-wording", user_id, HALVES) for user_id in (1, 2, 3, 4217)] == [
        "treatment",
        "control",
        "treatment",
        "control",
    ]
    assert bucket("reminder-wording", 4217) == pytest.approx(0.14564780183836987)
    assert variant_for("reminder-wording", "4217", HALVES) == variant_for("reminder-wording", 4217, HALVES)

    first = [variant_for("reminder-wording", user_id, HALVES) for user_id in range(20_000)]
    second = [variant_for("salary-challenger", user_id, HALVES) for user_id in range(20_000)]
    treated_first = [second[i] for i, variant in enumerate(first) if variant == "treatment"]
    assert abs(treated_first.count("treatment") / len(treated_first) - 0.5) < 0.02


@pytest.mark.parametrize(
    "variants", [HALVES, [("a", 20), ("b", 30), ("c", 50)], [("champion", 90), ("challenger", 10)]]
)
def test_100000_people_split_as_the_weights_say(variants) -> None:
    counts = Counter(variant_for("split-check", user_id, variants) for user_id in range(100_000))
    for name, weight in variants:
        # The binomial standard deviation of a share over 100,000 is at most 0.16 percentage points: 0.6 is ~4 sd.
        assert abs(counts[name] / 1000 - weight) < 0.6, (name, counts[name])


def test_buckets_are_uniform() -> None:
    values = sorted(bucket("uniformity", user_id) for user_id in range(10_000))
    # Kolmogorov–Smirnov distance to the uniform distribution; the 1 % critical value for n = 10,000 is 0.0163.
    distance = max(max(abs(v - i / 10_000), abs(v - (i + 1) / 10_000)) for i, v in enumerate(values))
    assert distance < 0.0163


@pytest.mark.parametrize(
    ("variants", "message"),
    [
        ([("only", 100)], "at least two variants"),
        ([("a", 50), ("a", 50)], "distinct"),
        ([("a", 60), ("b", 50)], "sum to 100"),
        ([("a", 50.5), ("b", 49.5)], "whole"),
        ([("a", -10), ("b", 110)], "whole"),
    ],
)
def test_a_malformed_definition_is_refused_naming_the_problem(variants, message) -> None:
    with pytest.raises(ValueError, match=message):
        weights_check(variants)
    with pytest.raises(ValueError, match=message):
        variant_for("bad", 1, variants)


def test_a_look_matches_the_formula_worked_by_hand() -> None:
    control, treatment = Arm(n=1000, mean=0.10, variance=0.09), Arm(n=1000, mean=0.13, variance=0.1131)
    s2 = 0.09 / 1000 + 0.1131 / 1000
    tau2 = 0.03**2
    expected_log_lambda = 0.5 * math.log(s2 / (s2 + tau2)) + tau2 * 0.03**2 / (2 * s2 * (s2 + tau2))
    half = math.sqrt(s2 * (s2 + tau2) / tau2 * (math.log((s2 + tau2) / s2) - 2 * math.log(0.05)))

    result = look(control, treatment, tau=0.03)

    assert result.difference == pytest.approx(0.03)
    assert result.p_value == pytest.approx(min(1.0, math.exp(-expected_log_lambda)))
    assert (result.low, result.high) == (pytest.approx(0.03 - half), pytest.approx(0.03 + half))
    assert look(Arm(1, 0.1, 0.0), treatment, tau=0.03) is None
    assert p_value_running(0.2, result) == min(0.2, result.p_value)


def simulated(
    *,
    experiments: int = 2000,
    per_arm: int = 5000,
    looks: int = 20,
    rate: float = 0.10,
    treatment_rate: float | None = None,
    seed: int = 14,
) -> tuple[float, float, float]:
    """Simulates experiments (control converts at `rate`, treatment at `treatment_rate`, the same when None) looked at
    `looks` times as they grow. Returns the share in which the mSPRT ever decided, the share in which a fixed-horizon
    z-test at 5 % ever did, and the share in which every mSPRT interval held the true difference."""
    treatment_rate = rate if treatment_rate is None else treatment_rate
    rng = np.random.default_rng(seed)
    a = rng.random((experiments, per_arm)) < rate
    b = rng.random((experiments, per_arm)) < treatment_rate
    tau = 0.1 * math.sqrt(rate * (1 - rate))
    checkpoints = np.linspace(per_arm / looks, per_arm, looks).astype(int)
    sums_a, sums_b = np.cumsum(a, axis=1), np.cumsum(b, axis=1)
    msprt = np.zeros(experiments, dtype=bool)
    naive = np.zeros(experiments, dtype=bool)
    covered = np.ones(experiments, dtype=bool)
    for n in checkpoints:
        mean_a, mean_b = sums_a[:, n - 1] / n, sums_b[:, n - 1] / n
        for index in range(experiments):
            control = Arm(n, mean_a[index], mean_a[index] * (1 - mean_a[index]) * n / (n - 1))
            treatment = Arm(n, mean_b[index], mean_b[index] * (1 - mean_b[index]) * n / (n - 1))
            result = look(control, treatment, tau=tau)
            if result is not None:
                msprt[index] |= result.decided
                covered[index] &= result.low <= treatment_rate - rate <= result.high
        se = np.sqrt(mean_a * (1 - mean_a) / n + mean_b * (1 - mean_b) / n)
        with np.errstate(divide="ignore", invalid="ignore"):
            z = np.abs(mean_b - mean_a) / se
        naive |= np.nan_to_num(z) > 1.959964
    return float(msprt.mean()), float(naive.mean()), float(covered.mean())


def test_on_aa_experiments_looked_at_twenty_times_the_sequential_test_keeps_its_5_percent() -> None:
    sequential, naive, covered = simulated()

    # 2,000 experiments: the rate's standard error near 5 % is 0.5 percentage points.
    assert sequential <= 0.06, f"mSPRT false-positive rate {sequential:.3f}"
    assert naive > 0.12, f"peeking z-test false-positive rate {naive:.3f}"  # why a fixed-horizon test is not used
    assert covered >= 0.94
    print(f"A/A, 2,000 experiments x 20 looks: mSPRT {sequential:.1%}, peeking z-test {naive:.1%}; ", end="")
    print(f"intervals held 0 at every look in {covered:.1%}")


def test_a_real_difference_is_found_and_every_interval_holds_it() -> None:
    found, _naive, covered = simulated(experiments=500, rate=0.10, treatment_rate=0.13, seed=15)

    assert found >= 0.8, f"power {found:.3f}"
    assert covered >= 0.94, f"coverage at every look {covered:.3f}"
    print(f"A/B 10 % vs 13 %, 500 experiments, 5,000 a side: decided in {found:.1%}; ", end="")
    print(f"intervals held 3 points in {covered:.1%}")
