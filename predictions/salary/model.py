"""The salary range model: LightGBM quantile models with conformal intervals, tuned by grouped k-fold CV, with a
calibrated BLS fallback for occupations outside the surveys; training, evaluation on the held-out year, re-scoring.

Data, split and baselines live in predictions.salary.data, the fallback in predictions.salary.fallback, the test-year
evaluation in predictions.salary.evaluation, one training run (fit, then evaluate) in predictions.salary.training,
serving in predictions.salary.serving and the model card in predictions.salary.card.

Choosing: hyperparameters by a bounded Optuna search whose objective is the 5-fold CV MAE (folds grouped by
duplicate key) on the training years only; final boosters early-stopped on the seeded 2022 validation slice; the
interval calibrated out of time. The 2023 test year is scored once and never chooses anything.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import lightgbm as lgb
import numpy as np
import optuna

from predictions.features import (
    SALARY_CATEGORICAL_FEATURES,
    SALARY_FEATURE_NAMES,
    CategoryVocabulary,
    MarketReference,
    category_vocabulary_build,
    region_of,
    salary_feature_matrix,
)
from predictions.salary.data import (
    INTERVAL_COVERAGE,
    REGIONS,
    SEED,
    Progress,
    SalarySplit,
    SurveyRow,
    progress_quiet,
    salaries_usd,
)
from predictions.salary.fallback import FALLBACK_MIN_SOC_ROWS, FallbackCalibration, fallback_calibrate
from predictions.tuning import (
    TuningBudget,
    TuningResult,
    conformal_margin,
    group_kfold,
    lgb_cross_validate,
    optuna_search,
)

MIN_CALIBRATION_ROWS = 50
INDUSTRY_MARGIN_PREFIX = "industry:"  # margins["industry:healthcare"]: an industry with its own conformal margin


def row_industries(rows: Sequence[SurveyRow], reference: MarketReference) -> list[str | None]:
    """A survey row's industry: the one employing most of its title's BLS occupation (the surveys record none)."""
    return [reference.soc_industry.get(reference.title_match(r.job_title).soc_code or "") for r in rows]


QUANTILES = {"p10": 0.1, "p50": 0.5, "p90": 0.9}
PROMOTION_METRIC = "mae_usd"  # metrics["test"][...] a challenger must beat (lower is better)
BASE_PARAMS: dict[str, object] = {
    "objective": "quantile",
    "num_threads": 1,
    "verbose": -1,
    "seed": SEED,
    "deterministic": True,
    "learning_rate": 0.05,
    "feature_fraction": 0.9,
    "bagging_fraction": 0.9,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "cat_smooth": 20.0,
    "min_data_per_group": 50,
}
# The hand-picked shapes of the first version: enqueued as the first trials, so the search only replaces them when it
# beats them on cross-validation.
PARAM_GRID: tuple[dict[str, object], ...] = (
    {"num_leaves": 7, "min_data_in_leaf": 80},
    {"num_leaves": 15, "min_data_in_leaf": 40},
    {"num_leaves": 31, "min_data_in_leaf": 20},
)
MAX_ROUNDS = 2000
EARLY_STOPPING_ROUNDS = 100
CV_FOLDS = 5
TUNING_BUDGET = TuningBudget(trials=20, seconds=150.0)


def salary_search_space(trial: optuna.Trial) -> dict[str, object]:
    """A deliberately regularised space (small trees, many rows per leaf, strong shrinkage of rare categories): the
    model is judged on later years it has not seen, so shapes that only fit the training years are kept out."""
    return {
        "num_leaves": trial.suggest_int("num_leaves", 4, 31, log=True),
        "min_data_in_leaf": trial.suggest_int("min_data_in_leaf", 20, 160, log=True),
        "feature_fraction": trial.suggest_float("feature_fraction", 0.6, 1.0),
        "lambda_l2": trial.suggest_float("lambda_l2", 0.1, 30.0, log=True),
        "cat_smooth": trial.suggest_float("cat_smooth", 5.0, 60.0, log=True),
    }


@dataclass
class SalaryModel:
    """Three quantile boosters on log(salary_usd) plus the conformal margins (log space) per region, the occupations
    the surveys cover, and the BLS fallback calibration for the others."""

    boosters: dict[str, lgb.Booster]
    vocabulary: CategoryVocabulary
    margins: dict[str, float]
    calibration_rows: dict[str, int]
    params: dict[str, object]
    latest_work_year: int
    feature_names: list[str] = field(default_factory=lambda: list(SALARY_FEATURE_NAMES))
    covered_socs: dict[str, int] = field(default_factory=dict)  # SOC -> training rows
    fallback: FallbackCalibration | None = None
    # Routing (salary.training): an occupation with fewer than `min_covered_rows` survey rows is outside the surveys;
    # `fallback_socs` are covered occupations where the backtest showed the BLS fallback beating the model. Artifacts
    # saved before the backtest existed load with the old rule (20 rows, no list).
    min_covered_rows: int = FALLBACK_MIN_SOC_ROWS
    fallback_socs: tuple[str, ...] = ()

    def low_confidence_regions(self) -> set[str]:
        return {region for region in REGIONS if self.calibration_rows.get(region, 0) < MIN_CALIBRATION_ROWS}

    def soc_is_covered(self, soc: str | None) -> bool:
        """Whether the surveys hold at least `min_covered_rows` training rows of this occupation."""
        return self.covered_socs.get(soc or "", 0) >= self.min_covered_rows

    def routes_to_fallback(self, soc: str | None, title: str) -> bool:
        """Whether the BLS fallback answers this occupation (when BLS has its wages): never without a fallback or an
        occupation; always for one the surveys do not cover; for a covered one only where the backtest measured the
        fallback beating the model. Old artifacts: uncovered and not a frequent survey title."""
        if self.fallback is None or not soc:
            return False
        if "recipe" not in self.params:
            return not self.soc_is_covered(soc) and math.isnan(self.vocabulary.title_index(title))
        return not self.soc_is_covered(soc) or soc in self.fallback_socs

    def trend_shift(self, features: np.ndarray) -> np.ndarray | float:
        """The trend term (log space) of a recipe that detrended its target: growth per year times the years past
        the training's latest, at most one (the backtest measures one year ahead, no further)."""
        trend = self.params.get("trend") or {}
        growth = float(trend.get("log_growth", 0.0))
        if not growth or features.shape[0] == 0:
            return 0.0
        years = features[:, self.feature_names.index("work_year")]
        years = np.where(np.isnan(years), self.latest_work_year, years)
        ahead = np.minimum(years - float(trend["reference_year"]), self.latest_work_year + 1 - trend["reference_year"])
        return growth * ahead

    def predict_log(
        self, features: np.ndarray, regions: Sequence[str], industries: Sequence[str | None] | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(p10, p50, p90) in log USD, conformally widened per region and never crossing. A row whose industry has
        its own margin (enough calibration rows) gets the wider of its region's and its industry's."""
        shift = self.trend_shift(features)
        p10, p50, p90 = (self.boosters[name].predict(features, num_threads=1) + shift for name in ("p10", "p50", "p90"))
        margin = np.asarray([self.margins.get(region, self.margins["global"]) for region in regions])
        if industries is not None:  # a margin can be negative (a narrower interval): no margin is not 0
            own = [self.margins.get(f"{INDUSTRY_MARGIN_PREFIX}{code}") if code else None for code in industries]
            margin = np.asarray([m if o is None else max(m, o) for m, o in zip(margin, own, strict=True)])
        low = np.minimum(p10, p50) - margin
        high = np.maximum(p90, p50) + margin
        return np.minimum(low, p50), p50, np.maximum(high, p50)

    def artifact_dumps(self) -> str:
        return json.dumps(
            {
                "format": "cvplus-salary-v1",
                "models": {name: booster.model_to_string() for name, booster in self.boosters.items()},
                "vocabulary": self.vocabulary.to_json(),
                "conformal": {"log_margins": self.margins, "calibration_rows": self.calibration_rows},
                "feature_names": self.feature_names,
                "params": self.params,
                "latest_work_year": self.latest_work_year,
                "covered_socs": self.covered_socs,
                "fallback": self.fallback.to_json() if self.fallback is not None else None,
                "min_covered_rows": self.min_covered_rows,
                "fallback_socs": list(self.fallback_socs),
            }
        )

    @classmethod
    def artifact_loads(cls, text: str) -> SalaryModel:
        """Parses an artifact; versions saved before the BLS fallback existed load with no fallback."""
        data = json.loads(text)
        if data.get("format") != "cvplus-salary-v1":
            raise ValueError("not a salary model artifact")
        fallback = data.get("fallback")
        return cls(
            boosters={name: lgb.Booster(model_str=model) for name, model in data["models"].items()},
            vocabulary=CategoryVocabulary.from_json(data["vocabulary"]),
            margins=data["conformal"]["log_margins"],
            calibration_rows=data["conformal"]["calibration_rows"],
            params=data["params"],
            latest_work_year=data["latest_work_year"],
            feature_names=data["feature_names"],
            covered_socs=data.get("covered_socs", {}),
            fallback=FallbackCalibration.from_json(fallback) if fallback else None,
            min_covered_rows=data.get("min_covered_rows", FALLBACK_MIN_SOC_ROWS),
            fallback_socs=tuple(data.get("fallback_socs", ())),
        )


def _train_booster(
    params: dict[str, object], alpha: float, x: np.ndarray, y: np.ndarray, x_val: np.ndarray, y_val: np.ndarray
) -> lgb.Booster:
    categorical = [SALARY_FEATURE_NAMES.index(name) for name in SALARY_CATEGORICAL_FEATURES]
    train_set = lgb.Dataset(x, y, feature_name=SALARY_FEATURE_NAMES, categorical_feature=categorical)
    valid_set = lgb.Dataset(x_val, y_val, reference=train_set)
    rounds = MAX_ROUNDS if len(y_val) else 300
    callbacks = [lgb.early_stopping(EARLY_STOPPING_ROUNDS, verbose=False)] if len(y_val) else []
    return lgb.train(
        {**params, "alpha": alpha, "metric": "quantile"},
        train_set,
        num_boost_round=rounds,
        valid_sets=[valid_set] if len(y_val) else [],
        callbacks=callbacks,
    )


def _usd_mae(y_log: np.ndarray, predicted_log: np.ndarray) -> float:
    return float(np.mean(np.abs(np.exp(predicted_log) - np.exp(y_log))))


def salary_tune(
    rows: Sequence[SurveyRow],
    x: np.ndarray,
    *,
    seed: int = SEED,
    budget: TuningBudget = TUNING_BUDGET,
    folds: int = CV_FOLDS,
    progress: Progress = progress_quiet,
) -> TuningResult:
    """Bounded Optuna search of the P50 booster's shape on grouped k-fold CV over training rows only (`rows` and
    their feature matrix `x`); each fold is early-stopped on its own held-out rows. Returns full LightGBM params."""
    y = np.log(salaries_usd(rows))
    splits = group_kfold([r.duplicate_key for r in rows], n_splits=folds, seed=seed)
    categorical = [SALARY_FEATURE_NAMES.index(name) for name in SALARY_CATEGORICAL_FEATURES]
    base = {**BASE_PARAMS, "seed": seed, "alpha": 0.5, "metric": "quantile"}

    def evaluate(shape: dict[str, object]):
        return lgb_cross_validate(
            {**base, **shape},
            x,
            y,
            splits,
            score=_usd_mae,
            feature_names=SALARY_FEATURE_NAMES,
            categorical=categorical,
            max_rounds=MAX_ROUNDS,
            early_stopping_rounds=EARLY_STOPPING_ROUNDS,
        )

    defaults = [
        {**{k: BASE_PARAMS[k] for k in ("feature_fraction", "lambda_l2", "cat_smooth")}, **g} for g in PARAM_GRID
    ]
    result = optuna_search(
        space=salary_search_space, evaluate=evaluate, budget=budget, seed=seed, enqueue=defaults, progress=progress
    )
    result.best_params = {**BASE_PARAMS, "seed": seed, **result.best_params}
    return result


def salary_fit(
    split: SalarySplit,
    *,
    reference: MarketReference,
    seed: int = SEED,
    budget: TuningBudget = TUNING_BUDGET,
    progress: Progress = progress_quiet,
) -> tuple[SalaryModel, TuningResult]:
    """Tunes on CV over the training years, fits P10/P50/P90 (early-stopped on the validation slice), calibrates the
    interval out of time, and calibrates the BLS fallback on the same training rows."""
    vocabulary = category_vocabulary_build(r.as_input() for r in split.train)
    history = split.train + split.validation

    def matrix(rows: Sequence[SurveyRow]) -> np.ndarray:
        return salary_feature_matrix([r.as_input() for r in rows], reference=reference, vocabulary=vocabulary)

    x, y = matrix(split.train), np.log(salaries_usd(split.train))
    x_val, y_val = matrix(split.validation), np.log(salaries_usd(split.validation))
    progress(f"  tuning: {CV_FOLDS}-fold CV grouped by duplicate key on {len(history)} training rows, {budget}")
    tuning = salary_tune(history, matrix(history), seed=seed, budget=budget, progress=progress)
    params = tuning.best_params
    progress(f"  best: CV MAE {tuning.best_cv.mean:,.0f} ± {tuning.best_cv.std:,.0f} after {tuning.trials} trials")
    boosters = {}
    for name in ("p50", "p10", "p90"):
        progress(f"  fitting {name}")
        boosters[name] = _train_booster(params, QUANTILES[name], x, y, x_val, y_val)
    for booster in boosters.values():
        if booster.best_iteration:
            booster.model_from_string(booster.model_to_string(num_iteration=booster.best_iteration))
    covered: dict[str, int] = {}
    for row in history:
        soc = reference.title_match(row.job_title).soc_code
        if soc:
            covered[soc] = covered.get(soc, 0) + 1
    model = SalaryModel(
        boosters=boosters,
        vocabulary=vocabulary,
        margins={"global": 0.0},
        calibration_rows={},
        params={**params, "rounds": {n: b.current_iteration() for n, b in boosters.items()}},
        latest_work_year=max(r.work_year for r in split.train),
        covered_socs=dict(sorted(covered.items())),
    )
    last_year = max(r.work_year for r in history)
    earlier = [r for r in split.train if r.work_year < last_year]
    calibration_rows = [r for r in history if r.work_year == last_year]
    if len(earlier) >= MIN_CALIBRATION_ROWS and len(calibration_rows) >= MIN_CALIBRATION_ROWS:
        # Out-of-time calibration: the model is used on a year it has not seen, so its interval is calibrated on
        # the same situation one year earlier (models fitted on years before the last training year, with the
        # chosen shape and round counts, scored on every row of that year). Salary drift between years is then part
        # of the margin.
        progress(f"  out-of-time calibration: fit on {len(earlier)} rows, calibrate on {len(calibration_rows)}")
        x_early, y_early = matrix(earlier), np.log(salaries_usd(earlier))
        empty = np.empty((0, x.shape[1]))
        shadow = {
            name: _train_booster(
                {**params, "num_iterations": boosters[name].current_iteration()},
                QUANTILES[name],
                x_early,
                y_early,
                empty,
                np.empty(0),
            )
            for name in ("p10", "p50", "p90")
        }
        calibrator = SalaryModel(shadow, vocabulary, {"global": 0.0}, {}, params, model.latest_work_year)
        x_cal, y_cal = matrix(calibration_rows), np.log(salaries_usd(calibration_rows))
        margins, counts = _calibrate(calibrator, calibration_rows, x_cal, y_cal, reference=reference)
        model.params["calibration"] = "out_of_time"
    else:
        progress("  holdout calibration on the validation slice (too few earlier-year rows for out-of-time)")
        margins, counts = _calibrate(model, split.validation, x_val, y_val, reference=reference)
        model.params["calibration"] = "validation_slice"
    model.margins, model.calibration_rows = margins, counts
    progress("  calibrating the BLS fallback on training rows that map to BLS occupations")
    model.fallback = fallback_calibrate(history, reference=reference)
    return model, tuning


def _calibrate(
    model: SalaryModel, rows: Sequence[SurveyRow], x: np.ndarray, y: np.ndarray, *, reference: MarketReference
) -> tuple[dict[str, float], dict[str, int]]:
    """Conformal margins (log space) of `model` scored on `rows`: global, and per region. A region with fewer than
    MIN_CALIBRATION_ROWS calibration rows never gets a narrower interval than the global one (and predictions for it
    are flagged low confidence)."""
    regions = np.asarray([region_of(r.company_location, reference) for r in rows])
    raw = SalaryModel(model.boosters, model.vocabulary, {"global": 0.0}, {}, model.params, model.latest_work_year)
    p10, _, p90 = raw.predict_log(x, list(regions)) if len(rows) else (np.empty(0),) * 3
    scores = np.maximum(p10 - y, y - p90)
    global_margin = conformal_margin(scores, INTERVAL_COVERAGE)
    margins = {"global": global_margin}
    counts: dict[str, int] = {}
    for region in REGIONS:
        region_scores = scores[regions == region]
        counts[region] = int(region_scores.size)
        own = conformal_margin(region_scores, INTERVAL_COVERAGE)
        margins[region] = own if region_scores.size >= MIN_CALIBRATION_ROWS else max(own, global_margin)
    # Per-industry calibration where an industry has enough calibration rows; the others keep their region's.
    industries = np.asarray([code or "" for code in row_industries(rows, reference)])
    for code in sorted(set(industries.tolist()) - {""}):
        industry_scores = scores[industries == code]
        if industry_scores.size >= MIN_CALIBRATION_ROWS:
            margins[f"{INDUSTRY_MARGIN_PREFIX}{code}"] = conformal_margin(industry_scores, INTERVAL_COVERAGE)
            counts[f"{INDUSTRY_MARGIN_PREFIX}{code}"] = int(industry_scores.size)
    return margins, counts


def salary_predict_rows(
    model: SalaryModel, rows: Sequence[SurveyRow], *, reference: MarketReference
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(p10, p50, p90) in USD for survey rows."""
    x = salary_feature_matrix([r.as_input() for r in rows], reference=reference, vocabulary=model.vocabulary)
    regions = [region_of(r.company_location, reference) for r in rows]
    parts = model.predict_log(x, regions, row_industries(rows, reference))
    return tuple(np.exp(part) for part in parts)  # type: ignore[return-value]
