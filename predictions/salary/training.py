"""Rolling-origin backtest of the salary model, and the training run that serves a model refit through the newest
survey year.

Folds: the survey rows are deduplicated (one row per `duplicate_key`) BEFORE anything is split, then for each of the
last BACKTEST_FOLDS survey years Y found in the data, the fold trains on years < Y and tests on Y.

Out-of-time chain: a model fitted on years < Y learns two things about itself from year Y, which it has not seen:
its conformal interval margins, and the occupations where the BLS fallback beat it (on at least
FALLBACK_COMPARE_MIN_ROWS rows). The model of the fold testing on Y takes both from the model fitted on years before
the previous year, checked on the previous year; the served model, refit on every year, takes both from the fold that
tests on the newest year. The backtest therefore scores exactly the procedure that is served, one year back.

Compared on the same folds: the candidate recipe (predictions.salary.recipe), the grouped median with back-off, the
one-hot ridge and the previous champion's recipe (the tuned path of predictions.salary.salary_fit). Promotion
compares a candidate and the champion by their mean MAE over the folds (registry.model_promote with
`test_fingerprint` = the backtest's fingerprint and `champion_rescore` = `salary_test_mae`).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from predictions.features import MarketReference, region_of, salary_feature_matrix
from predictions.salary.card import salary_backtest_table
from predictions.salary.data import (
    SEED,
    Progress,
    SurveyRow,
    data_fingerprint,
    point_metrics,
    progress_quiet,
    salaries_usd,
    salary_split,
    survey_rows_deduplicate,
)
from predictions.salary.evaluation import (
    baseline_scores,
    row_soc,
    served_predict_rows,
    served_scores,
    year_targets,
)
from predictions.salary.fallback import FallbackCalibration, bls_wages, fallback_calibrate, fallback_predict_log
from predictions.salary.model import (
    TUNING_BUDGET,
    SalaryModel,
    _calibrate,
    salary_fit,
)
from predictions.salary.recipe import DRIFT_MODES, SERVED_RECIPE, SalaryRecipe, recipe_fit
from predictions.tuning import TuningBudget

BACKTEST_FOLDS = 2
FALLBACK_COMPARE_MIN_ROWS = 50
# "Measurably better": the fallback's mean absolute error is lower than the model's by more than this many standard
# errors of the paired difference. A bare "lower" let a $24 win on 144 rows route 847 rows of the next year to a
# fallback that was then $1,700 worse (first backtest run, disclosed in the model card).
FALLBACK_WIN_STANDARD_ERRORS = 2.0
CANDIDATE = "candidate"
PREVIOUS = "previous_champion"


@dataclass(frozen=True)
class BacktestFold:
    year: int
    train: list[SurveyRow]
    test: list[SurveyRow]


@dataclass
class Backtest:
    rows: list[SurveyRow]  # deduplicated, every year
    folds: list[BacktestFold]
    rows_before_dedup: int

    @property
    def newest_year(self) -> int:
        return max(r.work_year for r in self.rows)

    def fingerprint(self) -> str:
        """Identifies the folds: the same rows and test years give the same fingerprint."""
        years = json.dumps([fold.year for fold in self.folds])
        return hashlib.sha256(f"{years}:{data_fingerprint(self.rows)}".encode()).hexdigest()

    def counts(self) -> dict[str, object]:
        return {
            "rows_raw": self.rows_before_dedup,
            "rows_deduplicated": len(self.rows),
            "rows_by_year": {str(y): sum(1 for r in self.rows if r.work_year == y) for y in self.years()},
            "folds": {str(f.year): {"train": len(f.train), "test": len(f.test)} for f in self.folds},
        }

    def years(self) -> list[int]:
        return sorted({r.work_year for r in self.rows})


def backtest_build(rows: Sequence[SurveyRow], *, folds: int = BACKTEST_FOLDS) -> Backtest:
    """Deduplicate the whole set, then one fold per test year: the last `folds` survey years that have an earlier
    year to train on."""
    unique = survey_rows_deduplicate(rows)
    years = sorted({r.work_year for r in unique})
    test_years = years[1:][-folds:]
    return Backtest(
        rows=unique,
        folds=[
            BacktestFold(year, [r for r in unique if r.work_year < year], [r for r in unique if r.work_year == year])
            for year in test_years
        ],
        rows_before_dedup=len(rows),
    )


@dataclass
class OutOfTimeCheck:
    """What a model fitted on years < `year` measured about itself on `year`."""

    year: int
    margins: dict[str, float]
    counts: dict[str, int]
    fallback_socs: tuple[str, ...]
    comparison: dict[str, dict[str, float]]  # SOC -> rows, model MAE, fallback MAE (SOCs with enough rows)


def out_of_time_check(
    model: SalaryModel, fallback: FallbackCalibration, rows: Sequence[SurveyRow], *, reference: MarketReference
) -> OutOfTimeCheck:
    """Conformal margins of `model` on `rows` (a year it has not seen), and the occupations with at least
    FALLBACK_COMPARE_MIN_ROWS rows where the BLS fallback's P50 has a lower MAE there by more than
    FALLBACK_WIN_STANDARD_ERRORS standard errors of the paired difference."""
    x = salary_feature_matrix([r.as_input() for r in rows], reference=reference, vocabulary=model.vocabulary)
    y = np.log(salaries_usd(rows))
    margins, counts = _calibrate(model, rows, x, y, reference=reference)
    model_p50 = np.exp(model.boosters["p50"].predict(x, num_threads=1) + model.trend_shift(x))
    by_soc: dict[str, list[int]] = {}
    wages: dict[str, tuple[float, float, float]] = {}
    for i, row in enumerate(rows):
        soc = row_soc(row, reference)
        found = bls_wages(reference, soc) if soc else None
        if found is not None:
            by_soc.setdefault(soc, []).append(i)
            wages[soc] = (found.log_p10, found.log_p50, found.log_p90)
    comparison: dict[str, dict[str, float]] = {}
    for soc, index in sorted(by_soc.items()):
        if len(index) < FALLBACK_COMPARE_MIN_ROWS:
            continue
        chosen = [rows[i] for i in index]
        _, mid, _ = fallback_predict_log(
            fallback,
            np.asarray([wages[soc]] * len(index)),
            [r.experience_level for r in chosen],
            [r.company_location for r in chosen],
            [region_of(r.company_location, reference) for r in chosen],
        )
        actual = salaries_usd(chosen)
        gain = np.abs(model_p50[index] - actual) - np.abs(np.exp(mid) - actual)  # > 0 where the fallback is closer
        comparison[soc] = {
            "rows": len(index),
            "model_mae_usd": float(np.mean(np.abs(model_p50[index] - actual))),
            "fallback_mae_usd": float(np.mean(np.abs(np.exp(mid) - actual))),
            "gain_standard_errors": float(gain.mean() / (gain.std(ddof=1) / np.sqrt(gain.size) or np.inf)),
        }
    wins = tuple(soc for soc, c in comparison.items() if c["gain_standard_errors"] > FALLBACK_WIN_STANDARD_ERRORS)
    return OutOfTimeCheck(rows[0].work_year if rows else 0, margins, counts, wins, comparison)


def _calibrated(model: SalaryModel, fallback: FallbackCalibration, check: OutOfTimeCheck | None) -> SalaryModel:
    model.fallback = fallback
    if check is None:  # no earlier year to check on: no widening, and the interval is labelled low confidence
        model.params["calibration"] = "none"
        return model
    model.margins, model.calibration_rows = check.margins, check.counts
    model.fallback_socs = check.fallback_socs
    model.params["calibration"] = f"out_of_time:{check.year}"
    return model


@dataclass
class FoldScore:
    year: int
    scores: dict[str, object]
    predictions: tuple[np.ndarray, ...]  # p10, p50, p90 (USD), method, the model's own p50


@dataclass
class CandidateRun:
    folds: list[FoldScore]
    served: SalaryModel | None
    checks: dict[int, OutOfTimeCheck]


def candidate_backtest(
    recipe: SalaryRecipe,
    backtest: Backtest,
    *,
    reference: MarketReference,
    refit: bool = True,
    progress: Progress = progress_quiet,
) -> CandidateRun:
    """The recipe on every fold, calibrated by the out-of-time chain, then (with `refit`) the served model: refit on
    every year, calibrated by the fold that tests on the newest year."""
    years = backtest.years()
    fitted: dict[int, tuple[SalaryModel, FallbackCalibration] | None] = {}
    checks: dict[int, OutOfTimeCheck] = {}

    def fit_before(year: int) -> tuple[SalaryModel, FallbackCalibration] | None:
        if year not in fitted:
            train = [r for r in backtest.rows if r.work_year < year]
            if not train:
                fitted[year] = None
            else:
                progress(f"  fitting on {len(train):,} rows of years < {year}")
                fitted[year] = (
                    recipe_fit(recipe, train, reference=reference),
                    fallback_calibrate(train, reference=reference),
                )
                model, fallback = fitted[year]
                held = [r for r in backtest.rows if r.work_year == year]
                checks[year] = out_of_time_check(model, fallback, held, reference=reference)
        return fitted[year]

    def previous(year: int) -> int | None:
        return max((y for y in years if y < year), default=None)

    scores = []
    for fold in backtest.folds:
        model, fallback = fit_before(fold.year)  # a fold always has training years
        earlier = previous(fold.year)
        check = checks.get(earlier) if earlier is not None and fit_before(earlier) is not None else None
        calibrated = _calibrated(model, fallback, check)
        predictions = served_predict_rows(calibrated, fold.test, reference=reference)
        scores.append(FoldScore(fold.year, served_scores(fold.test, *predictions, reference=reference), predictions))
    served = None
    if refit:
        progress(f"  refitting on all {len(backtest.rows):,} rows, years {years[0]}-{years[-1]}")
        model = recipe_fit(recipe, backtest.rows, reference=reference)
        fit_before(backtest.newest_year)
        served = _calibrated(
            model, fallback_calibrate(backtest.rows, reference=reference), checks.get(backtest.newest_year)
        )
    return CandidateRun(scores, served, checks)


def previous_champion_backtest(
    backtest: Backtest,
    *,
    reference: MarketReference,
    seed: int = SEED,
    budget: TuningBudget = TUNING_BUDGET,
    progress: Progress = progress_quiet,
) -> list[FoldScore]:
    """The previous champion's recipe on every fold: Optuna-tuned shape on grouped CV, boosters early-stopped on a
    slice of the last training year, out-of-time calibration on that year, the old fallback routing."""
    scores = []
    for fold in backtest.folds:
        progress(f"  previous champion's recipe: fold {fold.year}")
        split = salary_split(backtest.rows, seed=seed, test_year=fold.year)
        model, _ = salary_fit(split, reference=reference, seed=seed, budget=budget)
        predictions = served_predict_rows(model, fold.test, reference=reference)
        scores.append(FoldScore(fold.year, served_scores(fold.test, *predictions, reference=reference), predictions))
    return scores


def drift_comparison(
    recipe: SalaryRecipe, backtest: Backtest, *, reference: MarketReference
) -> dict[str, dict[str, dict[str, float]]]:
    """P50 point metrics of the recipe under every drift mode on every fold (and their mean)."""
    out: dict[str, dict[str, dict[str, float]]] = {}
    for mode in DRIFT_MODES:
        variant = replace(recipe, drift=mode)
        per_year = {}
        for fold in backtest.folds:
            model = recipe_fit(variant, fold.train, reference=reference, quantiles=("p50",))
            x = salary_feature_matrix(
                [r.as_input() for r in fold.test], reference=reference, vocabulary=model.vocabulary
            )
            p50 = np.exp(model.boosters["p50"].predict(x, num_threads=1) + model.trend_shift(x))
            per_year[str(fold.year)] = point_metrics(salaries_usd(fold.test), p50)
        out[mode] = {**per_year, "mean": _mean(list(per_year.values()))}
    return out


def _mean(metrics: Sequence[dict]) -> dict[str, float]:
    keys = [k for k in metrics[0] if k not in ("rows",) and isinstance(metrics[0][k], int | float)]
    mean = {k: float(np.mean([m[k] for m in metrics if k in m])) for k in keys}
    return {"rows": int(sum(m.get("rows", 0) for m in metrics)), **mean}


def _flat(scores: dict) -> dict:
    return {k: v for k, v in scores.items() if not isinstance(v, dict)}


def _pooled(folds: Sequence[BacktestFold], scores: Sequence[FoldScore], reference: MarketReference) -> dict:
    rows = [r for fold in folds for r in fold.test]
    parts = [np.concatenate([s.predictions[i] for s in scores]) for i in range(5)]
    return served_scores(rows, *parts, reference=reference)


def backtest_report(
    backtest: Backtest,
    candidate: CandidateRun,
    *,
    reference: MarketReference,
    previous: Sequence[FoldScore] | None = None,
) -> dict[str, object]:
    """JSON-ready figures: per year and mean for every method, the targets per year, the per-method (model /
    BLS fallback) split, the served model's calibration and routing."""
    years: dict[str, dict] = {}
    for fold, score in zip(backtest.folds, candidate.folds, strict=True):
        baselines = baseline_scores(fold.train, fold.test)
        entry = {
            "train_rows": len(fold.train),
            "test_rows": len(fold.test),
            CANDIDATE: score.scores,
            **baselines,
            "targets": year_targets(score.scores, baselines),
        }
        if previous is not None:
            entry[PREVIOUS] = next(p.scores for p in previous if p.year == fold.year)
        years[str(fold.year)] = entry
    names = [CANDIDATE, "group_median_min1", "group_median_min5", "linear_ridge"]
    names += [PREVIOUS] if previous is not None else []
    mean = {name: _mean([_flat(entry[name]) for entry in years.values()]) for name in names}
    return {"years": years, "mean": mean}


@dataclass
class SalaryTrainingRun:
    model: SalaryModel
    split: Backtest
    metrics: dict[str, object]
    data_fingerprint: str
    training_seconds: float


def salary_train(
    rows: Sequence[SurveyRow],
    *,
    reference: MarketReference,
    seed: int = SEED,
    budget: TuningBudget = TUNING_BUDGET,
    recipe: SalaryRecipe = SERVED_RECIPE,
    full_report: bool = False,
    progress: Progress = progress_quiet,
) -> SalaryTrainingRun:
    """Backtests the recipe, then refits it on every year through the newest. `full_report` (evaluate_models) also
    backtests the previous champion's recipe and compares the drift modes; training for serving skips both."""
    recipe = replace(recipe, seed=seed)
    started = time.perf_counter()
    backtest = backtest_build(rows)
    progress(f"rows: {backtest.counts()}")
    candidate = candidate_backtest(recipe, backtest, reference=reference, progress=progress)
    training_seconds = time.perf_counter() - started
    previous = None
    metrics: dict[str, object] = {}
    if full_report:
        previous = previous_champion_backtest(
            backtest, reference=reference, seed=seed, budget=budget, progress=progress
        )
        progress("  comparing drift modes on the backtest")
        metrics["drift_comparison"] = drift_comparison(recipe, backtest, reference=reference)
    report = backtest_report(backtest, candidate, reference=reference, previous=previous)
    pooled = _pooled(backtest.folds, candidate.folds, reference)
    served = candidate.served
    metrics.update(
        {
            "split": backtest.counts(),
            "backtest": report,
            "test": {**report["mean"][CANDIDATE], "rows": pooled["rows"], "basis": "mean over backtest years"},
            "test_fingerprint": backtest.fingerprint(),
            "test_by_region": pooled["by_region"],
            "test_by_source": pooled["by_source"],
            "test_by_industry": pooled["by_industry"],
            "targets": {year: entry["targets"] for year, entry in report["years"].items()},
            "routing": _routing(candidate, backtest),
            "conformal": {"log_margins": served.margins, "calibration_rows": served.calibration_rows},
            "low_confidence_regions": sorted(served.low_confidence_regions()),
            "recipe": recipe.to_json(),
            "training_years": served.params["training_years"],
            "training_seconds": training_seconds,
        }
    )
    if full_report:  # `manage.py train` prints the table itself (predictions.training)
        progress(salary_backtest_table(metrics))
    return SalaryTrainingRun(
        model=served,
        split=backtest,
        metrics=metrics,
        data_fingerprint=data_fingerprint(backtest.rows),
        training_seconds=training_seconds,
    )


def salary_training_matrix(run: SalaryTrainingRun, *, reference: MarketReference) -> np.ndarray:
    """The feature matrix the served boosters were fit on: every deduplicated survey row, encoded with the served
    model's vocabulary (the reference of its input bins, predictions/drift.py)."""
    rows = run.split.rows
    return salary_feature_matrix([r.as_input() for r in rows], reference=reference, vocabulary=run.model.vocabulary)


def _routing(candidate: CandidateRun, backtest: Backtest) -> dict[str, object]:
    served = candidate.served
    newest = candidate.checks.get(backtest.newest_year)
    return {
        "by_year": {str(s.year): s.scores["by_method"] for s in candidate.folds},
        "served_fallback_socs": list(served.fallback_socs),
        "served_compared_socs": newest.comparison if newest else {},
        "min_covered_rows": served.min_covered_rows,
        "compare_min_rows": FALLBACK_COMPARE_MIN_ROWS,
    }


def salary_test_mae(artifact: str, split: Backtest, *, reference: MarketReference) -> float:
    """A saved model's recipe re-run on this backtest: its mean MAE (USD) over the folds, for comparing a champion
    with a candidate backtested on other rows. A model saved before the backtest existed is re-run with the previous
    champion's (tuned) recipe."""
    params = json.loads(artifact)["params"]
    if "recipe" in params:
        run = candidate_backtest(SalaryRecipe.from_json(params["recipe"]), split, reference=reference, refit=False)
        folds = run.folds
    else:
        folds = previous_champion_backtest(split, reference=reference, seed=int(params.get("seed", SEED)))
    return float(np.mean([fold.scores["mae_usd"] for fold in folds]))
