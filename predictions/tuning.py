"""Reusable training pieces: grouped k-fold cross-validation and a bounded, seeded Optuna search.

The search is bounded twice (a trial budget AND a time budget: whichever ends first) and reproducible: the TPE
sampler is seeded, LightGBM runs deterministically on one thread, and folds are drawn from a seeded permutation of
the groups. Only training rows ever reach these functions; a held-out test set must never be passed in.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import lightgbm as lgb
import numpy as np
import optuna

Progress = Callable[[str], None]
Score = Callable[[np.ndarray, np.ndarray], float]


def _quiet(_message: str) -> None:
    return None


@dataclass(frozen=True)
class TuningBudget:
    """At most `trials` trials and, after the trial that passes it, no new trial once `seconds` have elapsed."""

    trials: int
    seconds: float

    def __post_init__(self) -> None:
        if self.trials < 1:
            raise ValueError("trials: the budget needs at least one trial")
        if self.seconds <= 0:
            raise ValueError("seconds: the time budget must be positive")


def group_kfold(groups: Sequence[str], *, n_splits: int, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """(train indices, held-out indices) per fold; every row of a group lands in the same fold, so duplicates never
    straddle a fold boundary. Groups are dealt to folds round-robin in a seeded random order."""
    unique = sorted(set(groups))
    if n_splits < 2 or len(unique) < n_splits:
        raise ValueError(f"n_splits: need 2 <= n_splits <= number of groups ({len(unique)}), got {n_splits}")
    order = np.random.default_rng(seed).permutation(len(unique))
    fold_of = {unique[i]: position % n_splits for position, i in enumerate(order)}
    assignment = np.asarray([fold_of[g] for g in groups])
    return [(np.flatnonzero(assignment != k), np.flatnonzero(assignment == k)) for k in range(n_splits)]


@dataclass(frozen=True)
class CrossValidation:
    fold_scores: tuple[float, ...]
    best_iterations: tuple[int, ...]

    @property
    def mean(self) -> float:
        return float(np.mean(self.fold_scores))

    @property
    def std(self) -> float:
        return float(np.std(self.fold_scores, ddof=1)) if len(self.fold_scores) > 1 else 0.0

    @property
    def rounds(self) -> int:
        """The mean early-stopped round count, for a refit on all the rows."""
        return max(1, round(float(np.mean(self.best_iterations))))


def lgb_cross_validate(
    params: Mapping[str, object],
    x: np.ndarray,
    y: np.ndarray,
    folds: Sequence[tuple[np.ndarray, np.ndarray]],
    *,
    score: Score,
    feature_names: Sequence[str],
    categorical: Sequence[int] = (),
    max_rounds: int = 2000,
    early_stopping_rounds: int = 100,
) -> CrossValidation:
    """One booster per fold, early-stopped on that fold's held-out rows, scored there with `score(y, predicted)`."""
    scores: list[float] = []
    iterations: list[int] = []
    for train_index, held_index in folds:
        train_set = lgb.Dataset(
            x[train_index], y[train_index], feature_name=list(feature_names), categorical_feature=list(categorical)
        )
        held_set = lgb.Dataset(x[held_index], y[held_index], reference=train_set)
        booster = lgb.train(
            dict(params),
            train_set,
            num_boost_round=max_rounds,
            valid_sets=[held_set],
            callbacks=[lgb.early_stopping(early_stopping_rounds, verbose=False)],
        )
        best = booster.best_iteration or booster.current_iteration()
        iterations.append(int(best))
        scores.append(float(score(y[held_index], booster.predict(x[held_index], num_iteration=best, num_threads=1))))
    return CrossValidation(tuple(scores), tuple(iterations))


@dataclass
class TuningResult:
    best_params: dict[str, object]
    best_cv: CrossValidation
    trials: int
    seconds: float
    stopped_by: str  # "trials" or "time"
    history: list[dict[str, object]] = field(default_factory=list)

    def summary(self) -> dict[str, object]:
        """JSON-ready record for the model's metrics."""
        return {
            "sampler": "TPE (seeded)",
            "trials": self.trials,
            "seconds": round(self.seconds, 2),
            "stopped_by": self.stopped_by,
            "best_params": self.best_params,
            "cv_score_mean": self.best_cv.mean,
            "cv_score_std": self.best_cv.std,
            "cv_fold_scores": list(self.best_cv.fold_scores),
            "cv_rounds": self.best_cv.rounds,
            "history": self.history,
        }


def optuna_search(
    *,
    space: Callable[[optuna.Trial], dict[str, object]],
    evaluate: Callable[[dict[str, object]], CrossValidation],
    budget: TuningBudget,
    seed: int,
    enqueue: Sequence[Mapping[str, object]] = (),
    progress: Progress = _quiet,
) -> TuningResult:
    """Minimises `evaluate(space(trial)).mean` with a seeded TPE sampler within `budget`. `enqueue` lists
    configurations tried first (e.g. the hand-picked defaults), so the search can only match or beat them on CV."""
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study(direction="minimize", sampler=optuna.samplers.TPESampler(seed=seed))
    for params in enqueue[: budget.trials]:
        study.enqueue_trial(dict(params))
    results: dict[int, tuple[dict[str, object], CrossValidation]] = {}

    def objective(trial: optuna.Trial) -> float:
        params = space(trial)
        cv = evaluate(params)
        results[trial.number] = (params, cv)
        progress(f"  trial {trial.number}: CV {cv.mean:,.0f} ± {cv.std:,.0f}, {cv.rounds} rounds, {trial.params}")
        return cv.mean

    started = time.perf_counter()
    study.optimize(objective, n_trials=budget.trials, timeout=budget.seconds)
    seconds = time.perf_counter() - started
    done = len(study.trials)
    best_params, best_cv = results[study.best_trial.number]
    history = [
        {"trial": number, "cv_mean": cv.mean, "cv_std": cv.std, "params": dict(study.trials[number].params)}
        for number, (_params, cv) in sorted(results.items())
    ]
    return TuningResult(
        best_params=best_params,
        best_cv=best_cv,
        trials=done,
        seconds=seconds,
        stopped_by="trials" if done >= budget.trials else "time",
        history=history,
    )


def conformal_margin(scores: np.ndarray, coverage: float) -> float:
    """Split-conformal quantile of CQR scores max(p10 - y, y - p90) at the finite-sample ceil((n+1)c)/n level, shared
    by every kind's interval calibration."""
    if scores.size == 0:
        return 0.0
    level = min(1.0, math.ceil((scores.size + 1) * coverage) / scores.size)
    return float(np.quantile(scores, level, method="higher"))
