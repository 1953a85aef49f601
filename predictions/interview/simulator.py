"""SIMULATED applications whose true interview probability is known, to check the pipeline, never to claim accuracy.

Each simulated applicant gets plausible InterviewInput values and a true probability
p = sigmoid(TRUE_LOGIT_INTERCEPT + a linear function of must-have coverage, match score, title match, experience gap,
channel and seniority). Two checks use it:

- `simulator_evaluate`: train the real pipeline (features, tuning, calibration) on `n_outcomes` labelled outcomes and
  measure, on a separate large simulated sample, the calibration error (ECE) against the labels and the mean
  |predicted - true p|. It shows the calibration recovers known probabilities; it says nothing about real users.
- `censoring_check`: give each application a history (answers arrive after a delay, many negatives never answer) and
  an as-of date, then compare the true rate with the censoring-aware labels and with the naive "still waiting =
  negative" labels.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import numpy as np

from predictions.interview.features import (
    APPLIED,
    CHANNELS,
    GHOSTED_AFTER_DAYS,
    INTERVIEW_FEATURE_NAMES,
    REJECTED,
    SCREENING,
    SENIORITY_LEVELS,
    InterviewInput,
    interview_features,
    outcome_labels,
)
from predictions.interview.training import (
    SEED,
    Progress,
    binary_metrics,
    classifier_fit,
    logistic_fit,
    quiet,
    reliability_bins,
)

LABEL = "SIMULATED"
HOLDOUT_ROWS = 50_000
TRUE_LOGIT_INTERCEPT = -1.6
CHANNEL_EFFECTS = {"referral": 1.3, "company_site": 0.1, "job_board": -0.4, "recruiter": 0.6, "agency": 0.0}
CHANNEL_SHARES = (0.1, 0.25, 0.45, 0.12, 0.08)


def simulate_inputs(n: int, rng: np.random.Generator) -> list[InterviewInput]:
    must = rng.beta(2.0, 2.0, n)
    nice = rng.beta(2.0, 2.0, n)
    has_nice = rng.random(n) < 0.7
    title = rng.choice([0.0, 0.5, 1.0], size=n, p=[0.3, 0.3, 0.4])
    gap = np.round(rng.normal(0.0, 3.0, n))
    has_gap = rng.random(n) < 0.8
    score = np.clip(50 * must + 15 * np.where(has_nice, nice, must) + 15 * title + 10 * (gap >= 0)
                    + rng.normal(0, 5, n), 0, 100)  # fmt: skip
    channels = rng.choice(len(CHANNELS), size=n, p=CHANNEL_SHARES)
    seniority = rng.choice(list(SENIORITY_LEVELS), size=n, p=[0.05, 0.2, 0.4, 0.25, 0.1])
    remote = rng.choice(["on_site", "hybrid", "remote"], size=n)
    return [
        InterviewInput(
            match_score=float(np.round(score[i])),
            must_have_coverage=float(must[i]),
            nice_to_have_coverage=float(nice[i]) if has_nice[i] else None,
            title_match=float(title[i]),
            experience_gap_years=float(gap[i]) if has_gap[i] else None,
            channel=CHANNELS[channels[i]],
            applied_weekday=int(rng.integers(0, 7)),
            days_saved_to_applied=float(np.round(rng.exponential(4.0))),
            seniority=str(seniority[i]),
            remote=str(remote[i]),
            employment_type="full_time" if rng.random() < 0.8 else "contract",
        )
        for i in range(n)
    ]


def _or(value: float | None, default: float) -> float:
    return default if value is None else value


def true_probability(inputs: list[InterviewInput]) -> np.ndarray:
    """The simulator's ground truth: sigmoid of a linear function of a few inputs (an unknown value counts as the
    middle)."""
    logit = np.full(len(inputs), TRUE_LOGIT_INTERCEPT)
    for i, item in enumerate(inputs):
        logit[i] += 3.0 * (_or(item.must_have_coverage, 0.5) - 0.5)
        logit[i] += 0.02 * (_or(item.match_score, 60.0) - 60.0)
        logit[i] += 0.8 * (_or(item.title_match, 0.5) - 0.5)
        logit[i] += 0.15 * float(np.clip(_or(item.experience_gap_years, 0.0), -6, 4))
        logit[i] += CHANNEL_EFFECTS[item.channel or "agency"]
        logit[i] -= 0.25 * (SENIORITY_LEVELS[item.seniority or "mid"] - 2)
    return 1.0 / (1.0 + np.exp(-logit))


def simulate_outcomes(n: int, seed: int) -> tuple[list[InterviewInput], np.ndarray, np.ndarray]:
    """n SIMULATED applications: inputs, true probabilities and 0/1 outcomes drawn from them."""
    rng = np.random.default_rng(seed)
    inputs = simulate_inputs(n, rng)
    probability = true_probability(inputs)
    return inputs, probability, (rng.random(n) < probability).astype(np.float64)


def simulator_evaluate(
    *,
    n_outcomes: int = 5000,
    seed: int = SEED,
    holdout_rows: int = HOLDOUT_ROWS,
    n_trials: int = 8,
    timeout_s: float = 60.0,
    progress: Progress = quiet,
) -> dict[str, object]:
    """Trains the real pipeline on `n_outcomes` SIMULATED outcomes and scores it on `holdout_rows` fresh SIMULATED
    applications against their labels and their known true probabilities. A pipeline check, never accuracy."""
    started = time.perf_counter()
    train_inputs, _, train_labels = simulate_outcomes(n_outcomes, seed)
    test_inputs, test_probability, test_labels = simulate_outcomes(holdout_rows, seed + 1)
    x_train, x_test = interview_features(train_inputs), interview_features(test_inputs)
    progress(f"{LABEL}: {n_outcomes:,} training outcomes, {holdout_rows:,} held-out simulated applications")
    fit = classifier_fit(
        x_train,
        train_labels,
        feature_names=INTERVIEW_FEATURE_NAMES,
        seed=seed,
        n_trials=n_trials,
        timeout_s=timeout_s,
        progress=progress,
    )
    predicted = fit.predict(x_test)
    raw = fit.predict_raw(x_test)
    linear = logistic_fit(x_train, train_labels)(x_test)
    return {
        "label": LABEL,
        "note": "Simulated data with known probabilities: a check that calibration recovers them, not accuracy.",
        "n_outcomes": n_outcomes,
        "holdout_rows": holdout_rows,
        "calibration": fit.calibrator.method,
        "ece": binary_metrics(test_labels, predicted)["ece"],
        "ece_uncalibrated": binary_metrics(test_labels, raw)["ece"],
        "mean_abs_error_vs_true_p": float(np.mean(np.abs(predicted - test_probability))),
        "mean_abs_error_vs_true_p_logistic_regression": float(np.mean(np.abs(linear - test_probability))),
        "brier": binary_metrics(test_labels, predicted)["brier"],
        "brier_true_p": binary_metrics(test_labels, test_probability)["brier"],
        "true_positive_rate": float(test_probability.mean()),
        "reliability": reliability_bins(predicted, test_labels),
        "tuning": fit.tuning,
        "censoring": censoring_check(seed=seed),
        "seconds": time.perf_counter() - started,
    }


def simulate_histories(
    n: int, *, seed: int, as_of: datetime, window_days: int = 60, answer_mean_days: float = 7.0
) -> tuple[np.ndarray, list[tuple[list[tuple[str, datetime]], datetime]]]:
    """n SIMULATED applications sent uniformly over the `window_days` before `as_of`: true probabilities and stage
    histories as of `as_of`. A positive is invited after an exponential delay; half the negatives are rejected after
    one, the other half never answer (ghosted)."""
    rng = np.random.default_rng(seed)
    probability = true_probability(simulate_inputs(n, rng))
    histories = []
    for p in probability:
        sent = as_of - timedelta(days=float(rng.uniform(0, window_days)))
        stages = [(APPLIED, sent)]
        delay = timedelta(days=float(rng.exponential(answer_mean_days)))
        if rng.random() < p:
            answer = SCREENING
        else:
            answer = REJECTED if rng.random() < 0.5 else None
        if answer is not None and sent + delay <= as_of:
            stages.append((answer, sent + delay))
        histories.append((stages, sent))
    return probability, histories


def censoring_check(*, n: int = 20_000, seed: int = SEED) -> dict[str, object]:
    """The positive rate by the censoring-aware labels and by the naive ones, beside the SIMULATED truth."""
    as_of = datetime(2025, 6, 1, tzinfo=UTC)
    probability, histories = simulate_histories(n, seed=seed, as_of=as_of)
    aware = [outcome_labels(stages=stages, applied_at=sent, as_of=as_of).interview for stages, sent in histories]
    labelled = [label for label in aware if label is not None]
    naive = [float(any(stage == SCREENING for stage, _ in stages)) for stages, _ in histories]
    return {
        "label": LABEL,
        "applications": n,
        "horizon_days": GHOSTED_AFTER_DAYS,
        "true_rate": float(probability.mean()),
        "censoring_aware_rate": float(np.mean(labelled)),
        "censoring_aware_labelled": len(labelled),
        "censored": n - len(labelled),
        "naive_rate": float(np.mean(naive)),
    }
