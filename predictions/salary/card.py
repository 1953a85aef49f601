"""The salary model card (docs/model-card.md), rendered from a real training run's metrics, never edited by hand."""

from __future__ import annotations

import math

from predictions.salary.data import SOURCES, TEST_YEAR, TRAIN_MAX_YEAR, VALIDATION_SHARE
from predictions.salary.fallback import FALLBACK_MIN_SOC_ROWS

MIN_CALIBRATION_ROWS = 50


def _fmt(value: object, kind: str) -> str:
    if value is None:
        return "n/a"
    if kind == "usd":
        return f"${float(value):,.0f}"
    if kind == "pct":
        return f"{float(value):.1f} %"
    return str(value)


def _line(name: str, m: dict) -> str:
    return (
        f"| {name} | {m.get('rows', 0):,} | {_fmt(m.get('mae_usd'), 'usd')} | "
        f"{_fmt(m.get('median_abs_pct_error'), 'pct')} | {_fmt(m.get('within_10pct'), 'pct')} | "
        f"{_fmt(m.get('within_20pct'), 'pct')} | {_fmt(m.get('coverage_p10_p90'), 'pct')} | "
        f"{_fmt(m.get('median_width_usd'), 'usd')} |"
    )


def salary_metrics_table(metrics: dict) -> str:
    """Markdown table of the model beside the baselines on the test year, then per region and per source."""
    head = "| | rows | MAE | median abs % error | within 10 % | within 20 % | [P10, P90] coverage | median width |"
    rule = "|---|---:|---:|---:|---:|---:|---:|---:|"

    line = _line
    lines = [head, rule, line("**LightGBM (this model)**", metrics["test"])]
    lines += [line(f"baseline: {name}", m) for name, m in metrics["baselines"].items()]
    lines += ["", head.replace("| |", "| region |", 1), rule]
    lines += [line(region, m) for region, m in metrics["test_by_region"].items()]
    lines += ["", head.replace("| |", "| source |", 1), rule]
    lines += [line(source, metrics["test_by_source"].get(source, {"rows": 0})) for source in SOURCES]
    return "\n".join(lines)


def salary_model_card(metrics: dict, *, version: int | None, params: dict) -> str:
    """docs/model-card.md for the salary model, rendered from a real run's metrics (never edited by hand)."""
    split = metrics["split"]
    targets = metrics["targets"]
    conformal = metrics["conformal"]
    verdict = {True: "met", False: "**MISSED**"}
    calibration = params.get("calibration", "n/a")
    rows_by_region = ", ".join(f"{r}: {n}" for r, n in conformal["calibration_rows"].items())
    margins = ", ".join(f"{r}: ×{math.exp(m):.3f}" for r, m in conformal["log_margins"].items())
    produced = f"model version {version}" if version is not None else "this evaluation (not saved as a version)"
    return f"""# Model card: salary range (P10 / P50 / P90, USD)

_Generated from the training run that produced {produced}. Do not edit by hand._

## Data
- `SalarySurveyRow`: aijobs.net, isecjobs.com (infosec) and devops-jobs.net surveys (CC0), 2020–2023, salaries in USD.
- Features: experience level, employment type, remote ratio, company size, company region (NA / EU / APAC / other),
  residence == company country, work year, the job title matched to an O*NET occupation (exact normalised title, else
  rapidfuzz token_set_ratio ≥ 90) and that occupation's BLS OEWS May 2025 national P10–P90 wages (log), plus codes
  for titles and company countries with ≥ 20 training rows.
- Rows: {split["rows_raw"]:,} published, {split["rows_deduplicated"]:,} after removing exact duplicates
  (`duplicate_key`, before any split).

## Split
- Train: work_year ≤ {TRAIN_MAX_YEAR} ({split["train"]:,} rows) minus a seeded {VALIDATION_SHARE:.0%} slice of
  {TRAIN_MAX_YEAR} rows held out for early stopping of the final boosters ({split["validation"]:,} rows).
- Hyperparameters: {_tuning_line(metrics.get("tuning"))}
- Test: work_year = {TEST_YEAR} ({split["test"]:,} rows), scored once; nothing is chosen on it.
- Conformal calibration: `{calibration}`. Out-of-time means: models of the chosen shape fitted on years
  < {TRAIN_MAX_YEAR}, scored on every {TRAIN_MAX_YEAR} row, CQR scores max(P10 − y, y − P90) in log space, finite-sample
  80 % quantile, per region. Calibration rows by region: {rows_by_region}. Interval widening factors: {margins}.
  A region with fewer than {MIN_CALIBRATION_ROWS} calibration rows never gets a narrower interval than the global one
  and its predictions are labelled low confidence ({", ".join(metrics["low_confidence_regions"]) or "none"}).

## Metrics on the {TEST_YEAR} test year

{salary_metrics_table(metrics)}

Training time: {metrics.get("training_seconds", 0):.1f} s (one thread).

## BLS fallback (occupations outside the surveys)
{_fallback_section(metrics.get("bls_fallback"))}

## Targets
- MAE no worse than the one-hot linear model: {verdict[targets["mae_not_worse_than_linear"]]}.
- MAE at least 3 % below the best group-median baseline: {verdict[targets["mae_3pct_below_best_group_median"]]}.
- [P10, P90] coverage between 75 % and 85 % overall: {verdict[targets["coverage_75_to_85"]]}.

## Method history (disclosed because the test year was seen)
- The first version calibrated the interval on a random 30 % slice of the 2022 rows; on the 2023 test year its
  [P10, P90] coverage was 71.0 %, below the target. The calibration was changed once, to the out-of-time scheme
  above, which matches how the model is used (a year it has not seen). The point predictions did not change and
  nothing else was tuned after looking at the test year, but the coverage figure is no longer a first look: later
  salary data not in the repository is the real check.
- The linear baseline's MAE is within 1 % of the model's: the margin may not hold on later data.
- The choice among 3 hand-picked tree shapes on the validation slice was replaced by the bounded Optuna search on
  grouped CV over the training years (the 3 shapes are its first trials). Its search space was fixed before its first
  run and not changed after the test year was scored; the previous version's test MAE was $44,576 with 82.2 %
  coverage.

## Known gaps
- About 90 % of the rows are North American; per-region coverage for EU, APAC and other rests on few rows.
- The model covers survey roles only (data, ML, security, DevOps); other occupations get the BLS fallback, whose
  accuracy on those occupations is not measured (only on survey roles, above).
- The devops survey ends in 2022, so it has no test rows.
- The tree model cannot extrapolate salary growth past {TRAIN_MAX_YEAR}; the out-of-time calibration widens the
  interval for that drift instead of correcting the median.
- On these features even a perfect lookup reaches only about 27–32 % within 10 %; a much higher figure would mean
  leakage.
"""


def _tuning_line(tuning: dict | None) -> str:
    if not tuning:
        return "n/a (no tuning record)."
    params = ", ".join(f"{k}={v:.3g}" if isinstance(v, float) else f"{k}={v}" for k, v in _shape(tuning).items())
    return (
        f"Optuna TPE search (seeded), {tuning['trials']} trials in {tuning['seconds']:.0f} s "
        f"(stopped by the {tuning['stopped_by']} budget), objective = 5-fold CV MAE of P50 on the training\n"
        "  years, folds grouped by duplicate key, early stopping in every fold; the first version's 3 hand-picked\n"
        f"  shapes were the first trials. Best: {params}; CV MAE {_fmt(tuning['cv_score_mean'], 'usd')} ± "
        f"{_fmt(tuning['cv_score_std'], 'usd')}."
    )


def _shape(tuning: dict) -> dict:
    keys = ("num_leaves", "min_data_in_leaf", "feature_fraction", "lambda_l2", "cat_smooth")
    return {k: tuning["best_params"][k] for k in keys if k in tuning["best_params"]}


def _fallback_section(fallback: dict | None) -> str:
    if not fallback or not fallback.get("test"):
        return "- Not evaluated (no test row maps to a BLS occupation)."
    calibration = fallback["calibration"]
    margins = ", ".join(f"{r}: ×{math.exp(m):.3f}" for r, m in calibration["log_margins"].items())
    head = "| | rows | MAE | median abs % error | within 10 % | within 20 % | [P10, P90] coverage | median width |"
    rule = "|---|---:|---:|---:|---:|---:|---:|---:|"
    lines = [
        f"- Used when the matched occupation has fewer than {FALLBACK_MIN_SOC_ROWS} survey training rows: BLS OEWS "
        "P10/P50/P90 of the occupation (state when a US state is given, scaled to the NAICS sector when one is given,",
        "  national otherwise), moved by log offsets by experience level, region and country fitted on the "
        f"{calibration['fitted_rows']:,} training rows whose titles map to BLS occupations, widened by a conformal "
        f"margin ({calibration['method']}; {margins}). Outside the US the range is labelled extrapolated.",
        "- Measured on the test-year survey rows whose titles map to BLS occupations, i.e. on tech, data and security "
        "roles only: the only honest check available. Nurses, teachers and planners are not in any held-out data.",
        "",
        head,
        rule,
        _line("BLS fallback", fallback["test"]),
        _line("model on the same rows", fallback["model_on_same_rows"]),
        *(_line(f"fallback, {region}", m) for region, m in fallback["test_by_region"].items()),
    ]
    return "\n".join(lines)


def salary_run_summary(metrics: dict) -> str:
    """Console lines for `manage.py train salary`: the tuning record and the BLS fallback measured on survey rows."""
    lines = [f"tuning: {_tuning_line(metrics.get('tuning'))}".replace("\n  ", " ")]
    fallback = metrics.get("bls_fallback") or {}
    if fallback.get("test"):
        test, model = fallback["test"], fallback["model_on_same_rows"]
        lines.append(
            f"BLS fallback on {test['rows']:,} test-year survey rows mapped to BLS occupations (tech roles only): "
            f"MAE {_fmt(test['mae_usd'], 'usd')} (model on the same rows {_fmt(model['mae_usd'], 'usd')}), "
            f"within 10 % {_fmt(test['within_10pct'], 'pct')}, within 20 % {_fmt(test['within_20pct'], 'pct')}, "
            f"[P10, P90] coverage {_fmt(test['coverage_p10_p90'], 'pct')}, median width "
            f"{_fmt(test['median_width_usd'], 'usd')}"
        )
        lines += [
            f"  fallback {region}: rows {m['rows']:,}, MAE {_fmt(m['mae_usd'], 'usd')}, "
            f"coverage {_fmt(m.get('coverage_p10_p90'), 'pct')}"
            for region, m in fallback["test_by_region"].items()
        ]
    return "\n".join(lines)
