"""The interview section of docs/model-card.md, rendered from real runs only (never edited by hand).

`reports` holds whichever of these exist: "campus" (predictions.interview.campus.campus_evaluate), "simulator"
(predictions.interview.simulator.simulator_evaluate), "tracked" (one workspace: {"schema", "counts"
(interview.outcome_counts), "metrics" (a training run's metrics, or None), "model_version"}) and "outcomes" (all
workspaces: predictions.evaluation.report.interview_outcomes_status).
"""

from __future__ import annotations

from predictions.interview.features import GHOSTED_AFTER_DAYS, OFFER_HORIZON_DAYS
from predictions.interview.model import MIN_LABELLED_OUTCOMES, TEST_SHARE


def _pm(spread: dict, digits: int = 3) -> str:
    return f"{spread['mean']:.{digits}f} ± {spread['std']:.{digits}f}"


def _num(value: object, digits: int = 3) -> str:
    return "n/a" if value is None else f"{float(value):.{digits}f}"


def _campus(report: dict) -> list[str]:
    rows = [
        ("LightGBM + calibration (this pipeline)", report["lightgbm_calibrated"]),
        ("logistic regression (standardised, one-hot)", report["logistic_regression"]),
        ("base rate of the training folds", report["base_rate"]),
    ]
    winner = report["winner_brier"]
    verdict = (
        "Logistic regression wins here (lower mean Brier score"
        + (" and higher mean AUC" if report["winner_auc"] == "logistic_regression" else "")
        + f"; it is better on {report['lr_better_brier_share']:.0%} of the folds). On 215 rows with a few strong "
        "linear signals this is expected; the tree model earns its place only on larger tracked data."
        if winner == "logistic_regression"
        else f"The LightGBM pipeline has the lower mean Brier score (better on "
        f"{1 - report['lr_better_brier_share']:.0%} of the folds); the spread shows how little 215 rows can separate."
    )
    return [
        "### Real data: campus_placement (pipeline check)",
        "",
        f"{report['rows']} MBA students of one college, {report['placed']} placed; `salary` (known only for placed "
        f"students) and `sl_no` dropped. {report['repeats']}× repeated stratified {report['folds']}-fold "
        "cross-validation; in each outer fold the whole pipeline (its inner folds, Optuna study and "
        f"{'/'.join(report['calibration_methods'])} calibration) saw only the training part. Mean ± standard "
        f"deviation over the {report['repeats'] * report['folds']} held-out folds:",
        "",
        "| model | AUC | Brier score | ECE |",
        "|---|---:|---:|---:|",
        *(f"| {name} | {_pm(m['auc'])} | {_pm(m['brier'], 4)} | {_pm(m['ece'])} |" for name, m in rows),
        "",
        verdict,
        f"This is one school's placements: a check that the pipeline works on real, small, noisy data, not a measure "
        f"of how well CVPlus predicts interviews. ({report['seconds']:.0f} s, one thread.)",
    ]


def _simulator(report: dict) -> list[str]:
    censoring = report["censoring"]
    return [
        "### SIMULATED data: pipeline check only, not accuracy",
        "",
        f"SIMULATED applicants with a known true probability (sigmoid of a linear function of must-have coverage, "
        f"match score, title match, experience gap, channel and seniority). Trained on {report['n_outcomes']:,} "
        f"SIMULATED outcomes, scored on {report['holdout_rows']:,} fresh SIMULATED applications:",
        "",
        f"- SIMULATED calibration error (ECE, 10 equal-width bins): {_num(report['ece'], 4)} after "
        f"{report['calibration']} calibration ({_num(report['ece_uncalibrated'], 4)} before); target < 0.03: "
        f"{'met' if report['ece'] < 0.03 else '**MISSED**'}.",
        f"- SIMULATED mean |predicted − true probability|: {_num(report['mean_abs_error_vs_true_p'], 4)} "
        f"(logistic regression, which matches the simulator's linear form: "
        f"{_num(report['mean_abs_error_vs_true_p_logistic_regression'], 4)}).",
        f"- SIMULATED censoring check ({censoring['applications']:,} applications sent over 60 days, answers after "
        f"a delay, half the rejections silent): true rate {censoring['true_rate']:.3f}; censoring-aware labels "
        f'{censoring["censoring_aware_rate"]:.3f} ({censoring["censored"]:,} censored); naive "waiting = '
        f'negative" labels {censoring["naive_rate"]:.3f} (under-estimates).',
        "",
        "These numbers show that calibration recovers known probabilities; they are never a claim about real users.",
    ]


def _tracked(report: dict) -> list[str]:
    counts = report.get("counts") or {}
    metrics = report.get("metrics")
    labelled = counts.get("labelled", 0)
    lines = [
        "### Tracked outcomes (the model users see)",
        "",
        f"Workspace `{report.get('schema', '?')}`: {counts.get('applications', 0)} sent applications, {labelled} "
        f"labelled ({counts.get('positives', 0)} reached screening or beyond, {counts.get('negatives', 0)} did not), "
        f"{counts.get('censored', 0)} censored.",
    ]
    if metrics is None:
        lines.append(
            f"The prior is in use: fewer than {MIN_LABELLED_OUTCOMES} labelled outcomes (or no model trained yet). "
            "Every application gets the workspace's Beta(1, 1)-smoothed observed rate with a 90 % interval and "
            "`insufficient_data: true` (0.5 with [0.05, 0.95] when nothing is labelled): a prior, not a prediction."
        )
        return lines
    test, baselines = metrics["test"], metrics["baselines"]
    lines += [
        f"Model version {report.get('model_version', '?')}: split by time (latest {TEST_SHARE:.0%} as test, "
        f"{metrics['split']['test']} outcomes from {metrics['split']['cutoff'][:10]}), {metrics['split']['cv']}, "
        f"{metrics['calibration']} calibration.",
        "",
        "| model | AUC | Brier score | ECE |",
        "|---|---:|---:|---:|",
        f"| LightGBM + calibration | {_num(test['auc'])} | {_num(test['brier'], 4)} | {_num(test['ece'])} |",
        *(
            f"| {name.replace('_', ' ')} | {_num(m['auc'])} | {_num(m['brier'], 4)} | {_num(m['ece'])} |"
            for name, m in baselines.items()
        ),
    ]
    return lines


def _outcomes(report: dict) -> list[str]:
    minimum = report.get("min_labelled_outcomes") or MIN_LABELLED_OUTCOMES
    at_minimum = report.get("tenants_at_minimum", 0)
    status = (
        "The prior is in use everywhere"
        if not at_minimum
        else f"{at_minimum} workspace(s) have enough for a model of their own; the others get the prior"
    )
    return [
        "### Tracked outcomes (the model users see)",
        "",
        f"{report.get('tenants', 0)} workspaces hold {report.get('outcomes', 0):,} sent applications, "
        f"{report.get('labelled', 0):,} of them labelled. A workspace needs at least {minimum} labelled outcomes. "
        f"{status}: the Beta(1, 1)-smoothed observed rate of its workspace with a 90 % interval and "
        "`insufficient_data: true` (0.5 with [0.05, 0.95] when nothing is labelled), which is a prior, not a "
        "prediction.",
    ]


def interview_model_card(reports: dict) -> str:
    """Markdown for the interview / offer probability section, from the reports of real runs."""
    lines = [
        "## Interview and offer probability",
        "",
        f"Labels: an application sent at least {GHOSTED_AFTER_DAYS} days ago is positive if it ever reached "
        "screening, interviewing, offer or accepted, negative if it was rejected, marked ghosted or had no move for "
        f"{GHOSTED_AFTER_DAYS} days; one withdrawn before any answer is censored (the employer never answered), and "
        "so is every younger application, whatever it shows so far (keeping only the young ones that already "
        f"answered would over-count positives). Offer labels wait {OFFER_HORIZON_DAYS} days and censor processes "
        "that still move.",
        "",
    ]
    renderers = (("tracked", _tracked), ("outcomes", _outcomes), ("campus", _campus), ("simulator", _simulator))
    for key, render in renderers:
        if reports.get(key):
            lines += [*render(reports[key]), ""]
    return "\n".join(lines)
