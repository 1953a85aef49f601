"""Evaluating a time-to-hire model on its split's held-out groups (vacancies, or a tenant's postings), beside the
median baselines, for each set of inputs a seeker may have. Only ever scores: nothing here is fitted on test rows.

Input cases reported (the model is one; only what it is given differs):
- `test`: everything as recorded, the application count and the posting's open window included;
- `test_without_application_count`: the count removed, everything else as recorded;
- `test_seeker_fields`: only SEEKER_FEATURES (title → family, state, posting month, open window), the rest unknown;
- `test_title_state_only`: the family, state and posting month, with neither the count nor the open window.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np

from predictions.time_to_hire.data import (
    OCCUPATION_FAMILIES,
    SEEKER_FEATURES,
    DurationRow,
    TimeToHireSplit,
    features_only,
    features_without,
    rows_fingerprint,
    time_to_hire_feature_matrix,
)
from predictions.time_to_hire.model import TimeToHireModel

TARGET_IMPROVEMENT = 0.15  # the target: MAE at least 15 % below the global median baseline
BOOTSTRAP_RESAMPLES = 1000
# metrics key -> how the recorded feature matrix is reduced to that case's inputs
INPUT_CASES: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "test": lambda x: x,
    "test_without_application_count": lambda x: features_without(x, ["application_count"]),
    "test_seeker_fields": lambda x: features_only(x, SEEKER_FEATURES),
    "test_title_state_only": lambda x: features_only(x, ["occupation_family", "state", "posting_month"]),
}


def case_name(case: str) -> str:
    """The key of an input case in "improvement_over_global_median": "with_application_count" for `test`, else the
    case without its "test_" prefix."""
    return "with_application_count" if case == "test" else case.removeprefix("test_")


def target_name(case: str) -> str:
    """The key of an input case in "targets": "mae_15pct_below_median" plus "_<case>" for every case but `test`."""
    return "mae_15pct_below_median" + ("" if case == "test" else f"_{case.removeprefix('test_')}")


def _point(actual: np.ndarray, predicted: np.ndarray) -> dict[str, float]:
    if actual.size == 0:
        return {"n": 0}
    error = np.abs(predicted - actual)
    return {"n": int(actual.size), "mae_days": float(error.mean()), "median_abs_error_days": float(np.median(error))}


def _interval(actual: np.ndarray, low: np.ndarray, mid: np.ndarray, high: np.ndarray) -> dict[str, float]:
    if actual.size == 0:
        return {"n": 0}
    inside = (actual >= low) & (actual <= high)
    return {
        **_point(actual, mid),
        "coverage_p10_p90": float(inside.mean() * 100),
        "median_width_days": float(np.median(high - low)),
    }


def _baselines(train: Sequence[DurationRow]) -> dict[str, Callable[[Sequence[DurationRow]], np.ndarray]]:
    """Global median of the training days, and the median by occupation family (global where a family is absent)."""
    overall = float(np.median([r.days for r in train]))
    by_family: dict[str | None, list[float]] = {}
    for row in train:
        by_family.setdefault(row.item.occupation_family, []).append(row.days)
    family_median = {family: float(np.median(days)) for family, days in by_family.items()}
    return {
        "global_median": lambda rows: np.full(len(rows), overall),
        "family_median": lambda rows: np.asarray([family_median.get(r.item.occupation_family, overall) for r in rows]),
    }


def _improvement_interval(
    groups: Sequence[str], model_error: np.ndarray, baseline_error: np.ndarray, *, seed: int
) -> dict[str, float]:
    """How much lower the model's MAE is than the baseline's, in %, with a 90 % interval from resampling the test
    groups (vacancies) with replacement: how far a single split's figure can be trusted."""
    codes = {group: i for i, group in enumerate(sorted(set(groups)))}
    index = np.asarray([codes[g] for g in groups])
    if len(codes) < 2:
        return {}
    model_sums = np.bincount(index, weights=model_error, minlength=len(codes))
    baseline_sums = np.bincount(index, weights=baseline_error, minlength=len(codes))
    draws = np.random.default_rng(seed).integers(0, len(codes), size=(BOOTSTRAP_RESAMPLES, len(codes)))
    improvement = 100 * (1 - model_sums[draws].sum(axis=1) / baseline_sums[draws].sum(axis=1))
    return {
        "improvement_pct": float(100 * (1 - model_error.sum() / baseline_error.sum())),
        "improvement_pct_p5": float(np.percentile(improvement, 5)),
        "improvement_pct_p95": float(np.percentile(improvement, 95)),
        "resamples": BOOTSTRAP_RESAMPLES,
    }


def _by_family(
    test: Sequence[DurationRow],
    actual: np.ndarray,
    predicted: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]],
    baselines: dict[str, np.ndarray],
    family_rows: dict[str, int],
) -> dict[str, dict[str, float]]:
    families = np.asarray([r.item.occupation_family or "unknown" for r in test])
    by_family: dict[str, dict[str, float]] = {}
    for family in [*OCCUPATION_FAMILIES, "unknown"]:
        mask = families == family
        if not mask.any():
            continue
        entry = _interval(actual[mask], *(part[mask] for part in predicted["test"]))
        for case in ("test_without_application_count", "test_seeker_fields"):
            suffix = case.removeprefix("test_")
            entry[f"mae_days_{suffix}"] = _point(actual[mask], predicted[case][1][mask])["mae_days"]
        for name, values in baselines.items():
            entry[f"baseline_{name}_mae_days"] = _point(actual[mask], values[mask])["mae_days"]
        entry["training_rows"] = family_rows.get(family, 0)
        by_family[family] = entry
    return by_family


def time_to_hire_evaluate(model: TimeToHireModel, split: TimeToHireSplit, *, seed: int) -> dict[str, object]:
    """Test metrics for each INPUT_CASES entry beside both baselines, the improvement over the global median with
    its resampled interval for each case, per family, and whether each case meets the target."""
    test = split.test
    actual = np.asarray([r.days for r in test], dtype=np.float64)
    x = time_to_hire_feature_matrix([r.item for r in test])
    predicted = {case: model.predict_days(reduce(x)) for case, reduce in INPUT_CASES.items()}
    baselines = {name: predict(test) for name, predict in _baselines(split.train).items()}
    cases = {case: _interval(actual, *predicted[case]) for case in INPUT_CASES}
    baseline_metrics = {name: _point(actual, values) for name, values in baselines.items()}
    groups = [r.group for r in test]
    global_error = np.abs(baselines["global_median"] - actual)
    ceiling = (1 - TARGET_IMPROVEMENT) * baseline_metrics["global_median"].get("mae_days", math.nan)
    return {
        "split": split.counts(),
        "dropped": dict(split.dropped),
        "test_fingerprint": rows_fingerprint(test),
        **cases,
        "baselines": baseline_metrics,
        "test_by_family": _by_family(test, actual, predicted, baselines, model.family_rows),
        "improvement_over_global_median": {
            case_name(case): _improvement_interval(groups, np.abs(predicted[case][1] - actual), global_error, seed=seed)
            for case in INPUT_CASES
        },
        "targets": {target_name(case): bool(cases[case].get("mae_days", math.inf) <= ceiling) for case in INPUT_CASES},
        "source": model.source,
        "measured_from": model.measured_from,
    }


def time_to_hire_test_mae(artifact: str, split: TimeToHireSplit) -> float:
    """A saved model's MAE (days) on this split's test rows as recorded: how a champion is re-scored for promotion."""
    model = TimeToHireModel.artifact_loads(artifact)
    _, p50, _ = model.predict_days(time_to_hire_feature_matrix([r.item for r in split.test]))
    return float(np.mean(np.abs(p50 - np.asarray([r.days for r in split.test]))))
