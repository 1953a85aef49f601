"""Training the time-to-hire model: grouped split, grouped k-fold CV inside training, a bounded Optuna search,
early stopping, cross-conformal interval calibration, evaluation beside the median baselines.

Leakage contract: the test groups (vacancies, or postings for a tenant) are chosen before anything is fitted and are
only ever scored. Every choice (hyperparameters, number of rounds, the conformal margin) comes from k-fold CV over
the training groups, with the folds also grouped, so no vacancy is on both sides of any fold either.

Optional inputs: a seeker rarely knows how many people applied, and may not give the posting's open window, so every
training row is also shown to the model without each combination of them (the copies stay in the row's group and
fold). One model then serves every case, and the test metrics are reported for each (see time_to_hire_evaluation).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import combinations

import lightgbm as lgb
import numpy as np
import optuna
from sklearn.model_selection import GroupKFold

from predictions.time_to_hire.data import (
    CATEGORICAL_FEATURES,
    FEATURE_NAMES,
    OPTIONAL_FEATURES,
    DurationRow,
    GsaRow,
    TimeToHireSplit,
    features_without,
    gsa_rows_clean,
    rows_fingerprint,
    time_to_hire_feature_matrix,
    time_to_hire_split,
)
from predictions.time_to_hire.evaluation import time_to_hire_evaluate
from predictions.time_to_hire.model import TimeToHireModel
from predictions.tuning import conformal_margin

SEED = 20240601
TEST_SHARE = 0.2
CV_FOLDS = 5
TUNING_TRIALS = 20
TUNING_SECONDS = 60.0
MAX_ROUNDS = 2000
EARLY_STOPPING_ROUNDS = 50
INTERVAL_COVERAGE = 0.8
BASE_PARAMS: dict[str, object] = {"num_threads": 1, "verbose": -1, "deterministic": True, "force_row_wise": True}
GSA_SOURCE = "gsa_2004_2010"

Progress = Callable[[str], None]


def _quiet(_message: str) -> None:
    return None


@dataclass
class TimeToHireTrainingRun:
    model: TimeToHireModel
    split: TimeToHireSplit
    metrics: dict[str, object]
    data_fingerprint: str
    training_seconds: float


@dataclass(frozen=True)
class _Matrix:
    x: np.ndarray
    y: np.ndarray
    groups: np.ndarray


def _training_matrix(rows: Sequence[DurationRow]) -> _Matrix:
    """Each row once per subset of OPTIONAL_FEATURES removed (as recorded, without the count, without the posting
    window, without both), every copy in the row's group so no fold splits a vacancy."""
    x = time_to_hire_feature_matrix([r.item for r in rows])
    y = np.asarray([r.days for r in rows], dtype=np.float64)
    codes = {group: i for i, group in enumerate(sorted({r.group for r in rows}))}
    groups = np.asarray([codes[r.group] for r in rows])
    removed = [
        list(names) for size in range(len(OPTIONAL_FEATURES) + 1) for names in combinations(OPTIONAL_FEATURES, size)
    ]
    return _Matrix(
        np.vstack([features_without(x, names) for names in removed]),
        np.tile(y, len(removed)),
        np.tile(groups, len(removed)),
    )


def time_to_hire_training_matrix(split: TimeToHireSplit) -> np.ndarray:
    """The feature matrix the boosters were fit on (each training row also without its optional features): the
    reference of the model's input bins (predictions/drift.py)."""
    return _training_matrix(split.train).x


def _dataset(x: np.ndarray, y: np.ndarray) -> lgb.Dataset:
    categorical = [FEATURE_NAMES.index(name) for name in CATEGORICAL_FEATURES]
    return lgb.Dataset(x, y, feature_name=FEATURE_NAMES, categorical_feature=categorical, free_raw_data=False)


def _cv_rounds(params: dict[str, object], data: _Matrix, folds: list, max_rounds: int) -> tuple[int, float]:
    """Grouped k-fold CV with early stopping: (best number of rounds, mean validation loss at that round)."""
    result = lgb.cv(
        params,
        _dataset(data.x, data.y),
        num_boost_round=max_rounds,
        folds=folds,
        callbacks=[lgb.early_stopping(EARLY_STOPPING_ROUNDS, verbose=False)],
    )
    losses = next(values for key, values in result.items() if key.endswith("-mean"))
    return len(losses), float(losses[-1])


def _search_space(trial: optuna.Trial, n_rows: int) -> dict[str, object]:
    """Bounded ranges; leaf sizes scale down for small (tenant) data sets."""
    top_leaf = max(5, min(150, n_rows // 10))
    return {
        "num_leaves": trial.suggest_int("num_leaves", 4, 48),
        "min_data_in_leaf": trial.suggest_int("min_data_in_leaf", min(5, top_leaf), top_leaf),
        "learning_rate": trial.suggest_float("learning_rate", 0.02, 0.2, log=True),
        "feature_fraction": trial.suggest_float("feature_fraction", 0.6, 1.0),
        "lambda_l2": trial.suggest_float("lambda_l2", 1e-3, 10.0, log=True),
        "cat_smooth": trial.suggest_float("cat_smooth", 1.0, 50.0, log=True),
        "min_data_per_group": trial.suggest_int("min_data_per_group", min(5, top_leaf), max(5, min(100, top_leaf))),
    }


def time_to_hire_tune(
    data: _Matrix,
    folds: list,
    *,
    seed: int,
    trials: int,
    seconds: float,
    max_rounds: int,
    progress: Progress = _quiet,
) -> dict[str, object]:
    """TPE search (seeded) over the median model's shape, stopped by whichever budget ends first: `trials` or
    `seconds`. Each trial is scored by the grouped CV MAE at its early-stopped round count."""
    optuna.logging.set_verbosity(logging.WARNING)
    base = {**BASE_PARAMS, "seed": seed, "objective": "regression_l1", "metric": "l1"}
    started = time.perf_counter()

    def objective(trial: optuna.Trial) -> float:
        rounds, mae = _cv_rounds({**base, **_search_space(trial, len(data.y))}, data, folds, max_rounds)
        trial.set_user_attr("rounds", rounds)
        return mae

    def report(study: optuna.Study, trial: optuna.trial.FrozenTrial) -> None:
        progress(
            f"  trial {trial.number + 1}/{trials}: CV MAE {trial.value:.2f} days, {trial.user_attrs.get('rounds')} "
            f"rounds (best {study.best_value:.2f}) [{time.perf_counter() - started:.1f} s]"
        )

    study = optuna.create_study(direction="minimize", sampler=optuna.samplers.TPESampler(seed=seed))
    study.optimize(objective, n_trials=trials, timeout=seconds, callbacks=[report])
    best = study.best_trial
    return {
        "trials": len(study.trials),
        "trial_budget": trials,
        "time_budget_seconds": seconds,
        "seconds": round(time.perf_counter() - started, 2),
        "cv_folds": len(folds),
        "cv_mae_days": float(best.value),
        "rounds": int(best.user_attrs["rounds"]),
        "best_params": dict(best.params),
    }


def time_to_hire_fit(
    split: TimeToHireSplit,
    *,
    source: str,
    measured_from: str,
    seed: int = SEED,
    trials: int = TUNING_TRIALS,
    tuning_seconds: float = TUNING_SECONDS,
    folds: int = CV_FOLDS,
    max_rounds: int = MAX_ROUNDS,
    progress: Progress = _quiet,
) -> tuple[TimeToHireModel, dict[str, object]]:
    """Tunes and fits on the training rows only; returns the model and the tuning/calibration record."""
    data = _training_matrix(split.train)
    n_folds = max(2, min(folds, len(set(data.groups.tolist()))))
    fold_list = list(GroupKFold(n_splits=n_folds).split(data.x, data.y, data.groups))
    progress(f"tuning: up to {trials} trials / {tuning_seconds:.0f} s, {n_folds}-fold CV grouped by vacancy")
    tuning = time_to_hire_tune(
        data, fold_list, seed=seed, trials=trials, seconds=tuning_seconds, max_rounds=max_rounds, progress=progress
    )
    shape = {**BASE_PARAMS, "seed": seed, **tuning["best_params"]}
    median_params = {**shape, "objective": "regression_l1", "metric": "l1"}
    quantile_params = {
        name: {**shape, "objective": "quantile", "metric": "quantile", "alpha": alpha}
        for name, alpha in (("p10", 0.1), ("p90", 0.9))
    }
    rounds = {"p50": int(tuning["rounds"])}
    for name, params in quantile_params.items():
        rounds[name], _ = _cv_rounds(params, data, fold_list, max_rounds)
    progress(f"rounds after early stopping: {rounds}")
    # Cross-conformal: each fold's quantile models score only the fold they did not see.
    scores = np.empty(0)
    for fit_index, held_index in fold_list:
        low, high = (
            lgb.train(quantile_params[name], _dataset(data.x[fit_index], data.y[fit_index]), rounds[name]).predict(
                data.x[held_index], num_threads=1
            )
            for name in ("p10", "p90")
        )
        y_held = data.y[held_index]
        scores = np.concatenate([scores, np.maximum(low - y_held, y_held - high)])
    margin = conformal_margin(scores, INTERVAL_COVERAGE)
    progress(f"conformal margin: {margin:+.2f} days from {scores.size} out-of-fold scores")
    every_row = _dataset(data.x, data.y)
    boosters = {"p50": lgb.train(median_params, every_row, rounds["p50"])}
    boosters.update({name: lgb.train(params, every_row, rounds[name]) for name, params in quantile_params.items()})
    family_rows: dict[str, int] = {}
    for row in split.train:
        family = row.item.occupation_family or "unknown"
        family_rows[family] = family_rows.get(family, 0) + 1
    model = TimeToHireModel(
        boosters=boosters,
        margin_days=margin,
        params={"median": median_params, "rounds": rounds, "interval_coverage": INTERVAL_COVERAGE},
        family_rows=family_rows,
        source=source,
        measured_from=measured_from,
        training_rows=len(split.train),
    )
    record = {
        "tuning": tuning,
        "conformal": {
            "method": "cross-conformal CQR on out-of-fold quantile predictions",
            "margin_days": margin,
            "calibration_rows": int(scores.size),
            "coverage": INTERVAL_COVERAGE,
        },
    }
    return model, record


def time_to_hire_train_rows(
    split: TimeToHireSplit, *, source: str, measured_from: str, seed: int = SEED, progress: Progress = _quiet, **budget
) -> TimeToHireTrainingRun:
    """Fit on a ready split and evaluate on its test rows; `budget` passes trials, tuning_seconds, folds and
    max_rounds through to `time_to_hire_fit`."""
    started = time.perf_counter()
    progress(f"rows: {split.counts()}; dropped: {split.dropped}")
    model, record = time_to_hire_fit(
        split, source=source, measured_from=measured_from, seed=seed, progress=progress, **budget
    )
    training_seconds = time.perf_counter() - started
    progress("evaluating on the held-out groups")
    metrics = {
        **time_to_hire_evaluate(model, split, seed=seed),
        **record,
        "training_seconds": training_seconds,
        "seed": seed,
    }
    return TimeToHireTrainingRun(
        model=model,
        split=split,
        metrics=metrics,
        data_fingerprint=rows_fingerprint(split.train),
        training_seconds=training_seconds,
    )


def time_to_hire_train(
    rows: Sequence[GsaRow], *, seed: int = SEED, progress: Progress = _quiet, **budget
) -> TimeToHireTrainingRun:
    """The global model from GSA rows: clean (counting drops), split by vacancy, fit, evaluate."""
    usable, dropped = gsa_rows_clean(rows)
    split = time_to_hire_split(usable, seed=seed, test_share=TEST_SHARE, dropped=dropped, rows_loaded=len(rows))
    return time_to_hire_train_rows(
        split, source=GSA_SOURCE, measured_from="application_close", seed=seed, progress=progress, **budget
    )
