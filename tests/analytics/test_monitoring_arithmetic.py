"""The model monitor's arithmetic on known numbers: the population stability index against a hand computation, the
input bins training and serving share, Brier, ECE and coverage on scripted outcomes, latency percentiles."""

from __future__ import annotations

import math

import numpy as np
import pytest

from analytics.monitoring import accuracy, latency
from analytics.monitoring.psi import EPSILON, psi, psi_band, psi_by_feature
from predictions.drift import bin_counts, bin_labels, counts_add, input_bins_build, inputs_observe, inputs_observed


def test_it_computes_psi_as_the_hand_computation() -> None:
    reference = [50, 30, 20]  # shares 0.5, 0.3, 0.2
    live = [20, 30, 50]  # shares 0.2, 0.3, 0.5
    by_hand = (0.2 - 0.5) * math.log(0.2 / 0.5) + 0.0 + (0.5 - 0.2) * math.log(0.5 / 0.2)

    assert psi(reference, live) == pytest.approx(by_hand, abs=1e-12)
    assert psi(reference, live) == pytest.approx(0.5498, abs=1e-4)
    assert psi(reference, [5, 3, 2]) == pytest.approx(0.0, abs=1e-12)  # same shares, any size


def test_it_floors_an_empty_bin_at_epsilon() -> None:
    reference = [100, 0]
    live = [90, 10]  # the reference never saw the second bin
    by_hand = (0.9 - 1.0) * math.log(0.9 / 1.0) + (0.1 - EPSILON) * math.log(0.1 / EPSILON)

    assert psi(reference, live) == pytest.approx(by_hand, abs=1e-12)
    assert math.isfinite(psi([0, 100], [100, 0]))


def test_it_refuses_bins_that_do_not_line_up() -> None:
    with pytest.raises(ValueError, match="reference bins"):
        psi([1, 2, 3], [1, 2])
    with pytest.raises(ValueError, match="no counts"):
        psi([1, 2], [0, 0])


def test_it_reads_the_usual_bands() -> None:
    assert [psi_band(v) for v in (0.05, 0.1, 0.2, 0.26)] == ["stable", "stable", "moderate", "large"]


def test_training_bins_are_deciles_values_and_a_missing_bin() -> None:
    rng = np.random.default_rng(7)
    numeric = rng.normal(size=1000)
    numeric[:50] = np.nan
    flag = (rng.random(1000) < 0.3).astype(float)
    x = np.column_stack([numeric, flag])

    bins = input_bins_build(x, ["score", "flag"])

    score, flagged = bins["features"]
    assert bins["rows"] == 1000
    assert score["type"] == "numeric"
    assert len(score["edges"]) == 9
    assert len(score["counts"]) == 11  # ten deciles and "missing"
    assert score["counts"][-1] == 50
    assert all(90 <= c <= 100 for c in score["counts"][:-1])  # 950 values over ten deciles
    assert flagged["type"] == "values"
    assert flagged["values"] == [0.0, 1.0]
    assert flagged["counts"] == [int((flag == 0).sum()), int((flag == 1).sum()), 0, 0]  # 0, 1, other, missing
    assert bin_labels(flagged) == ["= 0", "= 1", "other", "missing"]


def test_serving_counts_fall_in_the_training_bins() -> None:
    x = np.column_stack([np.arange(100, dtype=float), np.repeat([1.0, 2.0], 50)])
    bins = input_bins_build(x, ["n", "code"], categorical=["code"])
    live = np.asarray([[0.0, 1.0], [99.0, 2.0], [500.0, 3.0], [np.nan, np.nan]])

    counts = bin_counts(bins, live)

    assert sum(counts["n"]) == 4
    assert counts["n"][0] == 1
    assert counts["n"][-2] == 2
    assert counts["n"][-1] == 1
    assert counts["code"] == [1, 1, 1, 1]  # 1, 2, "other" (3 was never seen), missing
    # The training data against itself: no drift.
    assert psi_by_feature(bins, bin_counts(bins, x)) == {"n": pytest.approx(0.0), "code": pytest.approx(0.0)}


def test_one_input_at_a_time_falls_in_the_same_bins_as_a_batch() -> None:
    rng = np.random.default_rng(11)
    training = np.column_stack([rng.normal(size=500), rng.integers(0, 5, 500).astype(float)])
    bins = input_bins_build(training, ["score", "code"], categorical=["code"])
    live = np.column_stack([rng.normal(0.5, 2, 300), rng.integers(0, 8, 300).astype(float)])  # codes 5-7 unseen
    live[::17] = np.nan

    one_at_a_time: dict[str, list[int]] = {}
    for row in live:
        counts_add(one_at_a_time, bin_counts(bins, row.reshape(1, -1)))

    assert one_at_a_time == bin_counts(bins, live)
    assert bin_counts(bins, live[:1]) == bin_counts(bins, np.vstack([live[:1]]))


def test_a_request_counts_inputs_only_inside_its_collector() -> None:
    class Version:
        pk, scope = 7, "global"
        input_bins = input_bins_build(np.arange(20, dtype=float).reshape(-1, 1), ["n"])

    inputs_observe(Version, np.zeros((3, 1)))  # no collector open: nothing to count into, nothing raised
    with inputs_observed() as observed:
        inputs_observe(Version, np.zeros((3, 1)))
        inputs_observe(Version, np.full((2, 1), 19.0))

    assert observed[(7, "global")].rows == 5
    assert observed[(7, "global")].counts["n"][0] == 3
    assert observed[(7, "global")].counts["n"][-2] == 2


def test_it_scores_scripted_interview_outcomes() -> None:
    pairs = [(0.05, 0)] * 8 + [(0.05, 1)] * 2 + [(0.75, 1)] * 6 + [(0.75, 0)] * 4
    parts = accuracy.reliability_parts(pairs)

    brier_by_hand = (8 * 0.05**2 + 2 * 0.95**2 + 6 * 0.25**2 + 4 * 0.75**2) / 20
    ece_by_hand = 10 / 20 * abs(0.05 - 0.2) + 10 / 20 * abs(0.75 - 0.6)
    assert accuracy.brier(parts) == pytest.approx(brier_by_hand)
    assert accuracy.ece(parts) == pytest.approx(ece_by_hand)
    assert accuracy.reliability_points(parts) == [
        {"low": 0.0, "high": 0.1, "predicted": pytest.approx(0.05), "observed": 0.2, "n": 10},
        {"low": 0.7, "high": 0.8, "predicted": pytest.approx(0.75), "observed": 0.6, "n": 10},
    ]
    # Two tenants' parts add up to the parts of their outcomes together.
    half = accuracy.reliability_parts(pairs[:10])
    assert accuracy.parts_add(half, accuracy.reliability_parts(pairs[10:])) == parts


def test_it_counts_a_range_with_both_ends_inside() -> None:
    counts = accuracy.range_counts([(10, 20, 10), (10, 20, 20), (10, 20, 9.99), (10, 20, 21), (10, 20, 15)])
    assert counts == [5, 1, 3, 1]
    assert accuracy.coverage(counts) == pytest.approx(0.6)
    assert accuracy.coverage([0, 0, 0, 0]) is None


def test_latency_percentiles_are_within_a_bucket_of_the_exact_value() -> None:
    values = np.random.default_rng(3).lognormal(mean=3, sigma=1, size=5000)
    counts: dict[str, int] = {}
    for value in values:
        latency.counts_add(counts, {str(latency.latency_bucket(value)): 1})

    for q in (0.5, 0.99):
        exact = float(np.quantile(values, q, method="inverted_cdf"))
        assert latency.percentile(counts, q) == pytest.approx(exact, rel=0.065)
    assert latency.percentile({}, 0.5) is None
