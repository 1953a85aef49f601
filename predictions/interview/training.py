"""The calibrated binary classifier behind the interview and offer probabilities, shared by the tracked-outcomes
model, the campus_placement check and the simulator so all three test the same pipeline.

`classifier_fit` on a training set only (the caller keeps its test rows away):
1. a small Optuna study (seeded TPE sampler, at most `n_trials` trials and `timeout_s` seconds) chooses the tree shape
   by the mean held-out log loss over k folds (grouped by `groups` when given, e.g. by user, so one person's
   applications never sit on both sides of a fold), each booster early-stopped on its own held-out fold;
2. with the chosen shape, k-fold out-of-fold predictions are made, and the calibrator is fitted on them, so it only
   ever sees predictions for rows the booster did not train on: isotonic regression when there are at least
   `ISOTONIC_MIN_ROWS` of them, Platt scaling (a logistic fit on the log-odds) below that, where isotonic steps
   over-fit;
3. the final booster is trained on every training row for the mean early-stopped round count.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import lightgbm as lgb
import numpy as np
import optuna
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, log_loss, roc_auc_score
from sklearn.model_selection import GroupKFold, StratifiedKFold

SEED = 20240604
FOLDS = 5
N_TRIALS = 12
TIMEOUT_S = 60.0
MAX_ROUNDS = 600
EARLY_STOPPING_ROUNDS = 30
ISOTONIC_MIN_ROWS = 1000
ECE_BINS = 10
BASE_PARAMS: dict[str, object] = {
    "objective": "binary",
    "metric": "binary_logloss",
    "num_threads": 1,
    "verbose": -1,
    "deterministic": True,
    "feature_pre_filter": False,
}

Progress = Callable[[str], None]


def quiet(_message: str) -> None:
    return None


# ---------------------------------------------------------------------------------------------------------------------
# Metrics
# ---------------------------------------------------------------------------------------------------------------------
def expected_calibration_error(predicted: np.ndarray, actual: np.ndarray, *, bins: int = ECE_BINS) -> float:
    """ECE over `bins` equal-width bins of the predicted probability, each bin weighted by its share of rows."""
    predicted = np.asarray(predicted, dtype=np.float64)
    actual = np.asarray(actual, dtype=np.float64)
    index = np.minimum((predicted * bins).astype(int), bins - 1)
    total = 0.0
    for b in range(bins):
        mask = index == b
        if mask.any():
            total += mask.mean() * abs(predicted[mask].mean() - actual[mask].mean())
    return float(total)


def reliability_bins(predicted: np.ndarray, actual: np.ndarray, *, bins: int = ECE_BINS) -> list[dict[str, float]]:
    """The reliability diagram's points: per non-empty equal-width bin, the mean prediction, the observed rate and
    the row count (the bins ECE is computed over)."""
    predicted = np.asarray(predicted, dtype=np.float64)
    actual = np.asarray(actual, dtype=np.float64)
    index = np.minimum((predicted * bins).astype(int), bins - 1)
    return [
        {"predicted": float(predicted[m].mean()), "observed": float(actual[m].mean()), "n": int(m.sum())}
        for b in range(bins)
        if (m := index == b).any()
    ]


def binary_metrics(actual: np.ndarray, predicted: np.ndarray) -> dict[str, float | int | None]:
    """Brier score, AUC (None with one class), ECE and log loss of probabilities against 0/1 labels."""
    actual = np.asarray(actual, dtype=np.float64)
    predicted = np.clip(np.asarray(predicted, dtype=np.float64), 1e-6, 1 - 1e-6)
    two_classes = 0 < actual.sum() < actual.size
    return {
        "n": int(actual.size),
        "positive_rate": float(actual.mean()) if actual.size else None,
        "brier": float(brier_score_loss(actual, predicted)) if actual.size else None,
        "auc": float(roc_auc_score(actual, predicted)) if two_classes else None,
        "ece": expected_calibration_error(predicted, actual) if actual.size else None,
        "log_loss": float(log_loss(actual, predicted, labels=[0, 1])) if actual.size else None,
    }


# ---------------------------------------------------------------------------------------------------------------------
# Calibration
# ---------------------------------------------------------------------------------------------------------------------
def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


@dataclass
class Calibrator:
    """Maps a booster's raw probability to a calibrated one. Plain lists and floats, so it serialises as JSON."""

    method: str  # "isotonic" or "platt"
    x: list[float] = field(default_factory=list)  # isotonic thresholds (raw probability)
    y: list[float] = field(default_factory=list)  # isotonic values
    a: float = 1.0  # platt: sigmoid(a * logit(raw) + b)
    b: float = 0.0

    def apply(self, raw: np.ndarray) -> np.ndarray:
        raw = np.asarray(raw, dtype=np.float64)
        if self.method == "isotonic":
            return np.interp(raw, self.x, self.y)
        return 1.0 / (1.0 + np.exp(-(self.a * _logit(raw) + self.b)))

    def to_json(self) -> dict[str, object]:
        return {"method": self.method, "x": self.x, "y": self.y, "a": self.a, "b": self.b}

    @classmethod
    def from_json(cls, data: dict) -> Calibrator:
        if data.get("method") not in ("isotonic", "platt"):
            raise ValueError("calibrator: unknown method")
        calibrator = cls(data["method"], [float(v) for v in data["x"]], [float(v) for v in data["y"]])
        calibrator.a, calibrator.b = float(data["a"]), float(data["b"])
        if calibrator.method == "isotonic" and (not calibrator.x or len(calibrator.x) != len(calibrator.y)):
            raise ValueError("calibrator: isotonic thresholds and values differ in length")
        return calibrator


def calibrator_fit(raw: np.ndarray, actual: np.ndarray) -> Calibrator:
    """Isotonic with at least ISOTONIC_MIN_ROWS held-out predictions, Platt scaling below."""
    if raw.size >= ISOTONIC_MIN_ROWS:
        isotonic = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(raw, actual)
        return Calibrator(
            "isotonic", [float(v) for v in isotonic.X_thresholds_], [float(v) for v in isotonic.y_thresholds_]
        )
    platt = LogisticRegression(C=1e4, max_iter=1000).fit(_logit(raw).reshape(-1, 1), actual)
    return Calibrator("platt", a=float(platt.coef_[0, 0]), b=float(platt.intercept_[0]))


# ---------------------------------------------------------------------------------------------------------------------
# Fitting
# ---------------------------------------------------------------------------------------------------------------------
@dataclass
class ClassifierFit:
    booster: lgb.Booster
    calibrator: Calibrator
    params: dict[str, object]
    tuning: dict[str, object]
    oof_metrics: dict[str, object]

    def predict_raw(self, x: np.ndarray) -> np.ndarray:
        return self.booster.predict(x, num_threads=1)

    def predict(self, x: np.ndarray) -> np.ndarray:
        return self.calibrator.apply(self.predict_raw(x))


def _fold_indices(y: np.ndarray, groups: np.ndarray | None, folds: int, seed: int) -> list[tuple[np.ndarray, ...]]:
    if groups is not None and len(np.unique(groups)) >= folds:
        return list(GroupKFold(n_splits=folds, shuffle=True, random_state=seed).split(y, y, groups))
    smallest = int(min(np.bincount(y.astype(int), minlength=2)))
    splitter = StratifiedKFold(n_splits=max(2, min(folds, smallest)), shuffle=True, random_state=seed)
    return list(splitter.split(y, y))


def _cross_validate(
    params: dict[str, object], x: np.ndarray, y: np.ndarray, splits: list[tuple[np.ndarray, ...]], names: list[str]
) -> tuple[np.ndarray, list[int]]:
    """Out-of-fold raw probabilities and each fold's early-stopped round count."""
    oof = np.empty(y.size)
    rounds: list[int] = []
    for train_index, held_index in splits:
        train_set = lgb.Dataset(x[train_index], y[train_index], feature_name=names, free_raw_data=False)
        held_set = lgb.Dataset(x[held_index], y[held_index], reference=train_set)
        booster = lgb.train(
            params,
            train_set,
            num_boost_round=MAX_ROUNDS,
            valid_sets=[held_set],
            callbacks=[lgb.early_stopping(EARLY_STOPPING_ROUNDS, verbose=False)],
        )
        best = booster.best_iteration or booster.current_iteration()
        oof[held_index] = booster.predict(x[held_index], num_iteration=best, num_threads=1)
        rounds.append(best)
    return oof, rounds


def _suggest(trial: optuna.Trial) -> dict[str, object]:
    return {
        "num_leaves": trial.suggest_int("num_leaves", 3, 31, log=True),
        "min_data_in_leaf": trial.suggest_int("min_data_in_leaf", 5, 100, log=True),
        "learning_rate": trial.suggest_float("learning_rate", 0.02, 0.2, log=True),
        "lambda_l2": trial.suggest_float("lambda_l2", 1e-3, 10.0, log=True),
        "feature_fraction": trial.suggest_float("feature_fraction", 0.6, 1.0),
    }


def classifier_fit(
    x: np.ndarray,
    y: np.ndarray,
    *,
    feature_names: list[str],
    groups: np.ndarray | None = None,
    seed: int = SEED,
    folds: int = FOLDS,
    n_trials: int = N_TRIALS,
    timeout_s: float = TIMEOUT_S,
    progress: Progress = quiet,
) -> ClassifierFit:
    """Tunes, calibrates on out-of-fold predictions and fits the final booster (see the module docstring)."""
    y = np.asarray(y, dtype=np.float64)
    if y.size == 0 or y.min() == y.max():
        raise ValueError("labels: training needs both positive and negative outcomes")
    splits = _fold_indices(y, groups, folds, seed)
    base = {**BASE_PARAMS, "seed": seed}
    started = time.perf_counter()

    def objective(trial: optuna.Trial) -> float:
        oof, _ = _cross_validate({**base, **_suggest(trial)}, x, y, splits, feature_names)
        loss = float(log_loss(y, np.clip(oof, 1e-6, 1 - 1e-6), labels=[0, 1]))
        progress(f"  trial {trial.number}: held-out log loss {loss:.4f} {trial.params}")
        return loss

    logging.getLogger("optuna").setLevel(logging.WARNING)
    study = optuna.create_study(direction="minimize", sampler=optuna.samplers.TPESampler(seed=seed))
    study.enqueue_trial({"num_leaves": 7, "min_data_in_leaf": 20, "learning_rate": 0.05, "lambda_l2": 1.0,
                         "feature_fraction": 0.9})  # fmt: skip
    study.optimize(objective, n_trials=n_trials, timeout=timeout_s)
    params = {**base, **study.best_params}
    oof, rounds = _cross_validate(params, x, y, splits, feature_names)
    calibrator = calibrator_fit(oof, y)
    num_rounds = max(1, round(float(np.mean(rounds))))
    booster = lgb.train(params, lgb.Dataset(x, y, feature_name=feature_names), num_boost_round=num_rounds)
    progress(f"  chosen {study.best_params}, {num_rounds} rounds, {calibrator.method} calibration on {y.size} rows")
    tuning = {
        "trials": len(study.trials),
        "n_trials_budget": n_trials,
        "timeout_s_budget": timeout_s,
        "best_cv_log_loss": float(study.best_value),
        "best_params": study.best_params,
        "folds": len(splits),
        "grouped_folds": groups is not None and len(np.unique(groups)) >= folds,
        "fold_rounds": rounds,
        "seconds": time.perf_counter() - started,
    }
    oof_metrics = binary_metrics(y, calibrator.apply(oof))  # calibrated on these rows: a sanity check, not a score
    return ClassifierFit(booster, calibrator, {**params, "num_rounds": num_rounds}, tuning, oof_metrics)


def logistic_fit(x: np.ndarray, y: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    """The linear baseline: median imputation with missing-value indicators, standardisation, L2 logistic
    regression (C=1); a column with no value at all is kept as zeros. Returns a function from a feature matrix to
    probabilities."""
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    model = make_pipeline(
        SimpleImputer(strategy="median", add_indicator=True, keep_empty_features=True),
        StandardScaler(),
        LogisticRegression(max_iter=2000),
    )
    model.fit(x, y)
    return lambda rows: model.predict_proba(rows)[:, 1]
