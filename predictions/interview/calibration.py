"""How the interview odds' prior-plus-shrinkage path (predictions.interview.shrinkage) calibrates as outcomes arrive, on
SIMULATED outcomes whose true rates are known, and which published figures its priors rest on. One implementation
for bench/interview_shrinkage.py and the model card (predictions.evaluation.report → predictions.interview.card).

For each workspace size (20, 200 and 2,000 labelled outcomes) and each seed, predictions.interview.simulator draws the
workspace's applications (seekers of about 20 outcomes each) and a held-out sample of the same seekers' later
applications. Three ways of giving an application its interview probability are scored on the held-out labels, ECE
(10 equal-width bins, predictions.interview.training.expected_calibration_error) and Brier:
- prior alone: the published prior of the application's channel;
- raw workspace rate: the share of the workspace's outcomes that reached screening (one rate for every application);
- prior + shrinkage: the published prior shrunk toward the workspace's and the seeker's outcomes in that channel.
"true p" is the simulator's own probability: the floor any method can reach. Also measured: how often the shrunk 80 %
interval holds the simulator's true rate of the channel (seekers do not differ in the simulator).

SIMULATED data: it checks that the path calibrates as outcomes arrive, not how accurate it is for real seekers.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence

import numpy as np

from market.base_rates import BASE_RATES_CSV, CAP, CHANNELS, TRANSITIONS, PublishedRate, published_rates_load
from predictions.interview.features import OutcomeLabels
from predictions.interview.outcomes import OutcomeRow
from predictions.interview.shrinkage import (
    INTERVAL,
    MIN_STRENGTH,
    BetaPrior,
    application_odds,
    beta_interval,
    outcome_tallies,
    prior_for,
    priors_build,
)
from predictions.interview.simulator import simulate_outcomes
from predictions.interview.training import Progress, expected_calibration_error, quiet

LABEL = "SIMULATED"
SIZES = (20, 200, 2000)
OUTCOMES_PER_SEEKER = 20
HELD_OUT = 20_000
METHODS = ("prior", "raw", "shrunk", "true")  # prior alone, raw workspace rate, prior + shrinkage, true p (floor)
HELD_OUT_SEED_OFFSET = 100_000


def calibration_run(size: int, seed: int, held_out: int, priors: Mapping[tuple[str, str], BetaPrior]) -> dict:
    """One SIMULATED workspace of `size` outcomes and `held_out` later applications of its seekers: ECE and Brier of
    each method on the held-out labels, and the share of seeker × channel cells whose 80 % interval holds the
    channel's true rate."""
    seekers = max(1, size // OUTCOMES_PER_SEEKER)
    train_inputs, _, train_labels = simulate_outcomes(size, seed)
    test_inputs, test_probability, test_labels = simulate_outcomes(held_out, seed + HELD_OUT_SEED_OFFSET)
    rng = np.random.default_rng(seed)
    train_owners = np.arange(size) % seekers
    test_owners = rng.integers(0, seekers, held_out)
    train = [
        OutcomeRow(i, int(train_owners[i]), None, OutcomeLabels(int(label), None, "", ""), item)
        for i, (item, label) in enumerate(zip(train_inputs, train_labels, strict=True))
    ]
    tallies = outcome_tallies(train)
    channels = [item.channel for item in test_inputs]
    odds = {}
    for owner, channel in set(zip(test_owners.tolist(), channels, strict=True)):
        odds[owner, channel] = application_odds(tallies, owner_id=owner, channel=channel, priors=priors).interview
    shrunk = np.asarray([odds[o, c].probability for o, c in zip(test_owners.tolist(), channels, strict=True)])
    prior = np.asarray([prior_for("applied_interview", c, priors).mean for c in channels])
    raw = np.full(held_out, train_labels.mean())
    covered = []
    for (_owner, channel), estimate in odds.items():
        true_rate = float(test_probability[[c == channel for c in channels]].mean())
        covered.append(estimate.interval[0] <= true_rate <= estimate.interval[1])
    result = {"coverage": float(np.mean(covered)), "cells": len(covered), "true_rate": float(test_probability.mean())}
    for name, predicted in zip(METHODS, (prior, raw, shrunk, test_probability), strict=True):
        result[f"{name}_ece"] = expected_calibration_error(predicted, test_labels)
        result[f"{name}_brier"] = float(np.mean((predicted - test_labels) ** 2))
    return result


def _spread(values: Sequence[float]) -> dict[str, float]:
    array = np.asarray(values, dtype=np.float64)
    return {"mean": float(array.mean()), "std": float(array.std())}


def calibration_summary(runs: Sequence[dict]) -> dict:
    """Mean and (population) standard deviation over seeds of each method's ECE and Brier, and the mean coverage."""
    summary = {
        name: {metric: _spread([run[f"{name}_{metric}"] for run in runs]) for metric in ("ece", "brier")}
        for name in METHODS
    }
    summary["coverage"] = float(np.mean([run["coverage"] for run in runs]))
    summary["cells"] = int(sum(run["cells"] for run in runs))
    summary["true_rate"] = float(np.mean([run["true_rate"] for run in runs]))
    return summary


def calibration_simulate(
    *,
    seeds: int,
    held_out: int = HELD_OUT,
    sizes: Sequence[int] = SIZES,
    priors: Mapping[tuple[str, str], BetaPrior] | None = None,
    progress: Progress = quiet,
) -> dict:
    """calibration_summary per workspace size over seeds 1..`seeds` (the bench's and the model card's runs)."""
    priors = priors if priors is not None else priors_build(published_rates_load())
    started = time.perf_counter()
    by_size = {}
    for size in sizes:
        progress(f"interview shrinkage: {LABEL} workspace of {size:,} outcomes, {seeds} seed(s)")
        by_size[size] = calibration_summary(
            [calibration_run(size, seed, held_out, priors) for seed in range(1, seeds + 1)]
        )
    return {
        "label": LABEL,
        "seeds": seeds,
        "held_out": held_out,
        "outcomes_per_seeker": OUTCOMES_PER_SEEKER,
        "by_size": by_size,
        "seconds": time.perf_counter() - started,
    }


def priors_describe(rates: Sequence[PublishedRate]) -> list[dict]:
    """Every prior built from `rates` (predictions.interview.shrinkage.priors_build) with what it rests on: mean,
    strength, 80 % interval, the published figures its interval covers, its cap and the sources and years of the rows
    of its transition and channel."""
    rows = []
    for (transition, channel), prior in priors_build(rates).items():
        used = [
            r
            for r in rates
            if r.transition == transition and (r.channel == channel or (r.role == CAP and not r.channel))
        ]
        sources: dict[str, set[str]] = {}
        for rate in used:
            sources.setdefault(rate.source_key, set()).add(rate.data_year)
        cap = min((r.value for r in used if r.role == CAP), default=None)
        rows.append(
            {
                "transition": transition,
                "channel": channel,
                "mean": prior.mean,
                "strength": prior.strength,
                "interval": beta_interval(prior.a, prior.b),
                "figures": sorted(prior.figures),
                "cap": cap,
                "sources": {key: sorted(year for year in years if year) for key, years in sorted(sources.items())},
            }
        )
    order = {transition: i for i, transition in enumerate(TRANSITIONS)}
    return sorted(rows, key=lambda row: (order[row["transition"]], row["channel"] != "", row["channel"]))


def shrinkage_evaluate(*, seeds: int, held_out: int = HELD_OUT, progress: Progress = quiet) -> dict:
    """The model card's report of the prior-plus-shrinkage path: its priors read from base_rates.csv and the
    SIMULATED calibration at 20 / 200 / 2,000 outcomes."""
    rates = published_rates_load()
    priors = priors_build(rates)
    return {
        "priors": priors_describe(rates),
        "source_file": str(BASE_RATES_CSV.relative_to(BASE_RATES_CSV.parents[3])),
        "channels": CHANNELS,
        "interval": INTERVAL,
        "min_strength": MIN_STRENGTH,
        "calibration": calibration_simulate(seeds=seeds, held_out=held_out, priors=priors, progress=progress),
    }
