"""The time-to-hire section of docs/model-card.md, rendered only from a real run's metrics record."""

from __future__ import annotations

from predictions.time_to_hire.data import MAX_DAYS
from predictions.time_to_hire.evaluation import TARGET_IMPROVEMENT, case_name, target_name
from predictions.time_to_hire.training import CV_FOLDS, EARLY_STOPPING_ROUNDS, TEST_SHARE


def _days(value: object) -> str:
    return "n/a" if value is None else f"{float(value):.1f}"


def _pct(value: object) -> str:
    return "n/a" if value is None else f"{float(value):.1f} %"


CASE_LABELS = {
    "test": "every input as recorded (application count and posting window included)",
    "test_without_application_count": "application count unknown",
    "test_seeker_fields": "seeker fields only (title, state, posting month, posting window)",
    "test_title_state_only": "title, state and posting month only (no count, no window)",
}


def time_to_hire_metrics_table(metrics: dict) -> str:
    """Markdown: the model for each set of inputs (CASE_LABELS) beside the baselines, then per occupation family."""
    head = "| | rows | MAE (days) | median abs error (days) | [P10, P90] coverage | median width (days) |"
    rule = "|---|---:|---:|---:|---:|---:|"

    def line(name: str, m: dict) -> str:
        return (
            f"| {name} | {m.get('n', 0):,} | {_days(m.get('mae_days'))} | {_days(m.get('median_abs_error_days'))} | "
            f"{_pct(m.get('coverage_p10_p90'))} | {_days(m.get('median_width_days'))} |"
        )

    lines = [
        head,
        rule,
        *(line(f"**LightGBM, {label}**", metrics[case]) for case, label in CASE_LABELS.items() if case in metrics),
    ]
    lines += [line(f"baseline: {name.replace('_', ' ')}", m) for name, m in metrics["baselines"].items()]
    family_head = (
        "| occupation family | training rows | test rows | MAE | MAE without count | MAE seeker fields | "
        "global median MAE | family median MAE | coverage | median width |"
    )
    lines += ["", family_head, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for family, m in metrics["test_by_family"].items():
        lines.append(
            f"| {family.replace('_', ' ')} | {m.get('training_rows', 0):,} | {m.get('n', 0):,} | "
            f"{_days(m.get('mae_days'))} | {_days(m.get('mae_days_without_application_count'))} | "
            f"{_days(m.get('mae_days_seeker_fields'))} | "
            f"{_days(m.get('baseline_global_median_mae_days'))} | {_days(m.get('baseline_family_median_mae_days'))} | "
            f"{_pct(m.get('coverage_p10_p90'))} | {_days(m.get('median_width_days'))} |"
        )
    return "\n".join(lines)


def _mean_std(spread: dict, unit: str = "") -> str:
    if not spread or spread.get("mean") is None:
        return "n/a"
    return f"{spread['mean']:.1f}{unit} ± {spread['std']:.1f}{unit}"


def time_to_hire_repeated_cv_section(repeated: dict) -> str:
    """Markdown: the repeated grouped CV (predictions/time_to_hire/repeated.py), reported beside the fixed split."""
    n_folds = repeated["repeats"] * repeated["folds"]
    target = repeated["target_improvement_pct"]
    lines = [
        "| inputs | MAE (days), mean ± std | below global median, mean ± std (min to max) | folds reaching "
        f"{target:.0f} % | [P10, P90] coverage, mean ± std | median width (days), mean ± std |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for case, label in CASE_LABELS.items():
        m = repeated["cases"].get(case)
        if m is None:
            continue
        gain = m["improvement_pct"]
        lines.append(
            f"| **LightGBM, {label}** | {_mean_std(m['mae_days'])} | {_mean_std(gain, ' %')} "
            f"({gain['min']:.1f} % to {gain['max']:.1f} %) | {m['folds_reaching_target']} of {n_folds} "
            f"({m['share_reaching_target']:.0%}) | {_mean_std(m['coverage_p10_p90'], ' %')} | "
            f"{_mean_std(m['median_width_days'])} |"
        )
    for name, m in repeated["baselines"].items():
        lines.append(f"| baseline: {name.replace('_', ' ')} | {_mean_std(m['mae_days'])} | | | | |")
    verdicts = "\n".join(
        f"- {label}: {'met' if m['target_met_on_average'] else '**NOT met**'} on average "
        f"({m['improvement_pct']['mean']:.1f} % below; {m['folds_reaching_target']} of {n_folds} folds reach it)."
        for case, label in CASE_LABELS.items()
        if (m := repeated["cases"].get(case)) is not None
    )
    return f"""### Repeated grouped cross-validation (more reliable than one split)

{repeated["repeats"]} repeats × {repeated["folds"]} folds over all {repeated["groups"]:,} usable vacancies
({repeated["rows"]:,} rows), each repeat a different seeded shuffle (seed {repeated["seed"]} + repeat), folds grouped by
vacancy. In every outer fold the WHOLE pipeline (Optuna search with a fixed budget of {repeated["trials"]} trials,
{repeated["inner_folds"]}-fold inner CV grouped by vacancy, early stopping, the cross-conformal margin) and both
baselines are fitted on the outer training vacancies only and scored on the held-out ones. The search budget is
smaller than the model above (to keep the evaluation within about two minutes), so these are the figures of a less
tuned pipeline. Reported beside the fixed split, not instead of it; nothing was chosen from it. The folds share
training vacancies, so the std is the spread of fold results, not a standard error. Time: {repeated["seconds"]:.0f} s
(one thread).

{chr(10).join(lines)}

Target (MAE at least {target:.0f} % below the global median), judged on the mean over the {n_folds} outer folds:
{verdicts}
"""


def time_to_hire_model_card(metrics: dict, *, version: int | None, params: dict) -> str:
    """A markdown section for docs/model-card.md: data, split, metrics beside the baselines, per family, gaps."""
    split = metrics["split"]
    dropped = metrics["dropped"]
    tuning = metrics["tuning"]
    conformal = metrics["conformal"]
    targets = metrics["targets"]
    baseline = metrics["baselines"]["global_median"]["mae_days"]
    verdict = {True: "met", False: "**MISSED**"}

    def improvement(key: str) -> str:
        return f"{(1 - metrics[key]['mae_days'] / baseline) * 100:.1f} %"

    def spread(key: str) -> str:
        band = metrics.get("improvement_over_global_median", {}).get(key) or {}
        if not band:
            return "n/a"
        return f"{band['improvement_pct_p5']:.1f} % to {band['improvement_pct_p95']:.1f} %"

    produced = f"model version {version}" if version is not None else "this evaluation (not saved as a version)"
    dropped_text = ", ".join(f"{n:,} {reason.replace('_', ' ')}" for reason, n in dropped.items())
    rounds = params.get("rounds", {})
    budget = f"{tuning['trial_budget']} trials / {tuning['time_budget_seconds']:.0f} s"
    target_lines = "\n".join(
        f"- {label}: {verdict[targets[target_name(case)]]} ({improvement(case)} below; resampled 90 % interval "
        f"{spread(case_name(case))})."
        for case, label in CASE_LABELS.items()
        if case in metrics and target_name(case) in targets
    )
    return f"""## Time to hire (days to offer, P10 / P50 / P90)

_Generated from the training run that produced {produced}. Do not edit by hand._

### Data
- U.S. GSA vacancy timelines 2004–2010 (`data/reference/gsa_time_to_hire`, public domain, provenance inferred): one
  federal agency, process-driven hiring. Use as a prior, not as private-sector truth.
- Target: days from the announcement's closing date (CLOSE_DATE) to the tentative offer (POS_OFFERED). A seeker sees
  the closing date and a federal employer cannot choose anyone before it, so this is the wait the seeker lives through;
  for someone who applied earlier it is a lower bound on applied → offer.
- Rows: {split["rows_loaded"]:,} loaded, {split["rows_usable"]:,} usable. Dropped: {dropped_text}
  (offers more than {MAX_DAYS} days after the close count as data errors).
- Features a seeker can supply: occupation family (OPM series group → 12 coarse families; at serving the job title
  → O*NET-SOC code → the same families by an APPROXIMATE hand-made crosswalk), US state of the duty location, the
  month the vacancy opened, the days the posting is open (CLOSE_DATE − OPEN_DATE: both dates are on a posting) and
  the number of applicants when known. The count and the open window are optional: every training row is also shown
  without each combination of them, so one model serves every case.
- Feature selection by grouped 5-fold CV on the training vacancies only (the test vacancies were scored once, after
  the choice). Kept: the open window. Not kept: the weekday of the close (a gain within the fold-to-fold spread).
  Excluded whatever CV said, because a seeker cannot supply them or they are measured after the close: HIRE_COUNT
  (the number of hires the announcement produced, an outcome), the year (every serving date is past the data, so a
  trend cannot be extrapolated), the GSA region/office and the full OPM series (no posting outside GSA has them, and
  no crosswalk maps a free-text title to a series), and every date after the close (certificate, selection, offer,
  entry on duty).

### Split and training
- Split by vacancy: a seeded {TEST_SHARE:.0%} of vacancies ({split["test_groups"]:,}, {split["test"]:,} rows) is the
  test set; no vacancy has rows on both sides. Training: {split["train_groups"]:,} vacancies, {split["train"]:,} rows.
- Optuna TPE search (seed {metrics.get("seed")}), budget {budget}:
  {tuning["trials"]} trials in {tuning["seconds"]:.1f} s, each scored by {CV_FOLDS}-fold CV grouped by vacancy with
  early stopping ({EARLY_STOPPING_ROUNDS} rounds). Best CV MAE {tuning["cv_mae_days"]:.2f} days; best parameters
  `{tuning["best_params"]}`; rounds {rounds}.
- P50: L1 objective (a median); P10 / P90: quantile objectives, widened by a cross-conformal margin of
  {conformal["margin_days"]:+.2f} days (CQR scores of out-of-fold quantile predictions,
  {conformal["calibration_rows"]:,} scores, {conformal["coverage"]:.0%} target coverage).

### Metrics on the held-out vacancies

{time_to_hire_metrics_table(metrics)}

Training time: {metrics.get("training_seconds", 0):.1f} s (one thread).

### Targets
MAE at least {TARGET_IMPROVEMENT:.0%} below the global median baseline, for each set of inputs:
{target_lines}

{time_to_hire_repeated_cv_section(metrics["repeated_cv"]) if "repeated_cv" in metrics else ""}
### Known gaps
- One federal agency, 2004–2010; private-sector hiring may be faster or slower. Answers outside the US and for
  titles that match no occupation are labelled low confidence.
- The number of applicants, which a seeker rarely knows, carries much of the signal: MAE
  {_days(metrics["test"]["mae_days"])} days with it, {_days(metrics["test_without_application_count"]["mae_days"])}
  without, against {_days(metrics["baselines"]["family_median"]["mae_days"])} for the family median.
- The test set is {split["test_groups"]:,} vacancies; the resampled intervals above show how far a single split's
  figure can be trusted: it is not a precise estimate.
- Families with few rows (see the table) rest on a handful of vacancies; their per-family figures are noise.
- A caller that does not send `posting_open_days` gets the "title, state and posting month only" row above.
- A tenant's own model (applied → offer durations) is trained only when the tenant has enough of them, and is
  evaluated the same way on its own held-out postings.
"""
