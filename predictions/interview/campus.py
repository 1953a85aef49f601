"""The interview pipeline checked on real data: `campus_placement` (215 MBA students of one Indian college, placed
or not; data/reference/campus_placement/SOURCE.md). It is tiny and from one school, so it checks that the pipeline
(tuning, early stopping, out-of-fold calibration) behaves on real, small, noisy data; it says nothing about CVPlus
users. `salary` is dropped because it exists only for placed students (it is the label in disguise), `sl_no` because
it is a row number.

Evaluation: repeated stratified k-fold. In every outer fold the whole pipeline (its own inner folds, Optuna study and
calibration) sees only the training part; AUC and Brier are measured on the held-out part, beside a standardised,
one-hot logistic regression and the training base rate fitted on the same rows.
"""

from __future__ import annotations

import csv
import time
from pathlib import Path

import numpy as np
from django.conf import settings
from sklearn.model_selection import RepeatedStratifiedKFold

from predictions.interview.training import (
    SEED,
    Progress,
    binary_metrics,
    classifier_fit,
    logistic_fit,
    quiet,
    reliability_bins,
)

CAMPUS_CSV = Path(settings.BASE_DIR) / "data" / "reference" / "campus_placement" / "Placement_Data_Full_Class.csv"
NUMERIC_COLUMNS = ("ssc_p", "hsc_p", "degree_p", "etest_p", "mba_p")
CATEGORY_COLUMNS = ("gender", "ssc_b", "hsc_b", "hsc_s", "degree_t", "workex", "specialisation")
DROPPED_COLUMNS = ("sl_no", "salary")
LABEL = "real data (campus_placement), pipeline check"


def campus_load(path: Path = CAMPUS_CSV) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """(features, labels, feature names): the numeric columns as they are and every category one-hot, in a fixed
    order (categories sorted); label 1 = Placed."""
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    if not rows or "status" not in rows[0]:
        raise ValueError(f"{path}: not the campus_placement file (no status column)")
    categories = {column: sorted({row[column] for row in rows}) for column in CATEGORY_COLUMNS}
    names = [*NUMERIC_COLUMNS, *(f"{c}={v}" for c in CATEGORY_COLUMNS for v in categories[c])]
    x = np.asarray(
        [
            [float(row[c]) for c in NUMERIC_COLUMNS]
            + [float(row[c] == v) for c in CATEGORY_COLUMNS for v in categories[c]]
            for row in rows
        ],
        dtype=np.float64,
    )
    y = np.asarray([1.0 if row["status"] == "Placed" else 0.0 for row in rows])
    return x, y, names


def _spread(values: list[float | None]) -> dict[str, float | int]:
    array = np.asarray([v for v in values if v is not None], dtype=np.float64)
    return {"mean": float(array.mean()), "std": float(array.std(ddof=1)) if array.size > 1 else 0.0, "n": array.size}


def campus_evaluate(
    *,
    repeats: int = 5,
    folds: int = 5,
    seed: int = SEED,
    n_trials: int = 8,
    timeout_s: float = 20.0,
    progress: Progress = quiet,
) -> dict[str, object]:
    """AUC and Brier (mean ± std over the repeats × folds held-out folds) of the LightGBM + calibration pipeline, the
    logistic regression and the base rate on campus_placement, and which of the first two wins on each."""
    started = time.perf_counter()
    x, y, names = campus_load()
    splitter = RepeatedStratifiedKFold(n_splits=folds, n_repeats=repeats, random_state=seed)
    per_fold: dict[str, dict[str, list]] = {m: {"auc": [], "brier": [], "ece": []} for m in ("lightgbm", "lr", "base")}
    calibrations: list[str] = []
    pooled_predicted: list[np.ndarray] = []
    pooled_actual: list[np.ndarray] = []
    for number, (train_index, test_index) in enumerate(splitter.split(x, y)):
        fit = classifier_fit(
            x[train_index],
            y[train_index],
            feature_names=[name.replace("=", "_").replace("&", "and") for name in names],
            seed=seed + number,
            n_trials=n_trials,
            timeout_s=timeout_s,
        )
        calibrations.append(fit.calibrator.method)
        predictions = {
            "lightgbm": fit.predict(x[test_index]),
            "lr": logistic_fit(x[train_index], y[train_index])(x[test_index]),
            "base": np.full(test_index.size, y[train_index].mean()),
        }
        pooled_predicted.append(predictions["lightgbm"])
        pooled_actual.append(y[test_index])
        for model, predicted in predictions.items():
            metrics = binary_metrics(y[test_index], predicted)
            for key in ("auc", "brier", "ece"):
                per_fold[model][key].append(metrics[key])
        progress(
            f"  fold {number + 1}/{repeats * folds}: AUC LightGBM {per_fold['lightgbm']['auc'][-1]:.3f} "
            f"LR {per_fold['lr']['auc'][-1]:.3f}; Brier LightGBM {per_fold['lightgbm']['brier'][-1]:.4f} "
            f"LR {per_fold['lr']['brier'][-1]:.4f}"
        )
    summary = {model: {key: _spread(values) for key, values in metrics.items()} for model, metrics in per_fold.items()}
    lgb_brier, lr_brier = np.asarray(per_fold["lightgbm"]["brier"]), np.asarray(per_fold["lr"]["brier"])
    return {
        "label": LABEL,
        "rows": int(y.size),
        "placed": int(y.sum()),
        "features": names,
        "dropped": list(DROPPED_COLUMNS),
        "repeats": repeats,
        "folds": folds,
        "lightgbm_calibrated": summary["lightgbm"],
        "logistic_regression": summary["lr"],
        "base_rate": summary["base"],
        "calibration_methods": sorted(set(calibrations)),
        # every row once per repeat, each time predicted by a pipeline that did not see it
        "reliability": reliability_bins(np.concatenate(pooled_predicted), np.concatenate(pooled_actual)),
        "lr_better_brier_share": float(np.mean(lr_brier < lgb_brier)),
        "winner_brier": "logistic_regression" if lr_brier.mean() < lgb_brier.mean() else "lightgbm",
        "winner_auc": (
            "logistic_regression" if summary["lr"]["auc"]["mean"] > summary["lightgbm"]["auc"]["mean"] else "lightgbm"
        ),
        "seconds": time.perf_counter() - started,
    }
