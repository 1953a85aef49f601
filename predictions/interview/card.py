"""The interview section of docs/model-card.md, rendered from real runs only (never edited by hand).

`reports` holds whichever of these exist: "campus" (predictions.interview.campus.campus_evaluate), "simulator"
(predictions.interview.simulator.simulator_evaluate), "shrinkage" (predictions.interview.calibration.shrinkage_evaluate:
the published priors and the SIMULATED calibration of prior plus shrinkage), "tracked" (one workspace: {"schema",
"counts" (interview.outcome_counts), "metrics" (a training run's metrics, or None), "model_version"}) and "outcomes"
(all workspaces: predictions.evaluation.report.interview_outcomes_status).
"""

from __future__ import annotations

from predictions.interview.features import GHOSTED_AFTER_DAYS, OFFER_HORIZON_DAYS
from predictions.interview.model import MIN_LABELLED_OUTCOMES, TEST_SHARE
from predictions.interview.shrinkage import CONCENTRATION_MIN_OUTCOMES, CONCENTRATION_MIN_SEEKERS

SHRUNK_PRIOR_SERVES = (
    "Where no classifier serves, every application gets the published prior of its channel shrunk toward the "
    "workspace's and the seeker's own outcomes, with an 80 % credible interval and its basis (see \"Interview and "
    'offer odds: published prior plus shrinkage" below): the same odds for every application a seeker sends through '
    "one channel, marked low confidence, never a reading of the application."
)
TRANSITION_NAMES = {"applied_interview": "applied → interview", "interview_offer": "interview → offer"}


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
            f"No classifier serves here: fewer than {MIN_LABELLED_OUTCOMES} labelled outcomes (or no model trained "
            f"yet, or none that beat the shrunk prior). {SHRUNK_PRIOR_SERVES}"
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
        "No workspace has enough for a classifier of its own"
        if not at_minimum
        else f"{at_minimum} workspace(s) have enough to train a classifier of their own, which serves only once it "
        "beats the shrunk prior on held-out outcomes (Brier score)"
    )
    return [
        "### Tracked outcomes (the model users see)",
        "",
        f"{report.get('tenants', 0)} workspaces hold {report.get('outcomes', 0):,} sent applications, "
        f"{report.get('labelled', 0):,} of them labelled. A workspace needs at least {minimum} labelled outcomes "
        f"to train a classifier. {status}. {SHRUNK_PRIOR_SERVES}",
    ]


def _pct(value: float, digits: int = 1) -> str:
    return f"{value * 100:.{digits}f} %"


def _sources(sources: dict[str, list[str]]) -> str:
    return "; ".join(
        f"`{key}`" + (f" ({', '.join(years)})" if years else " (undated)") for key, years in sources.items()
    )


def _priors_table(report: dict) -> list[str]:
    lines = [
        "| transition | channel | prior mean | strength (a + b) | 80 % prior interval | published figures it covers "
        "| cap (one requisition) | sources (data years) |",
        "|---|---|---:|---:|---|---|---:|---|",
    ]
    for row in report["priors"]:
        low, high = row["interval"]
        figures = ", ".join(_pct(value) for value in row["figures"]) or "n/a"
        cap = "n/a" if row["cap"] is None else f"{row['cap']:,.0f}"
        lines.append(
            f"| {TRANSITION_NAMES.get(row['transition'], row['transition'])} | {row['channel'] or 'all channels'} "
            f"| {_pct(row['mean'])} | {row['strength']:,.0f} | [{_pct(low)}, {_pct(high)}] | {figures} | {cap} "
            f"| {_sources(row['sources'])} |"
        )
    return lines


def _unsourced(report: dict) -> str:
    parts = []
    for transition, name in TRANSITION_NAMES.items():
        sourced = {row["channel"] for row in report["priors"] if row["transition"] == transition}
        missing = [channel for channel in report["channels"] if channel not in sourced]
        if missing:
            parts.append(f"{name}: {', '.join(missing)}")
    if not parts:
        return "Every channel has a sourced prior."
    return (
        f"Channels without a published figure ({'; '.join(parts)}) use the all-channel prior of their transition, and "
        "their outcomes are pooled across channels: no channel effect is invented where no source has one."
    )


def _calibration_table(calibration: dict) -> list[str]:
    names = (
        ("prior", "prior alone"),
        ("raw", "raw workspace rate"),
        ("shrunk", "prior + shrinkage"),
        ("true", "true p (floor)"),
    )
    lines = ["| SIMULATED outcomes | method | ECE (mean ± sd) | Brier score (mean ± sd) |", "|---:|---|---:|---:|"]
    for size, summary in calibration["by_size"].items():
        lines += [
            f"| {int(size):,} | {label} | {_pm(summary[name]['ece'], 4)} | {_pm(summary[name]['brier'], 4)} |"
            for name, label in names
        ]
    return lines


def _coverage_table(calibration: dict, nominal: str) -> list[str]:
    lines = [
        f"| SIMULATED outcomes | seeker × channel cells scored | {nominal} interval holds the true channel rate |",
        "|---:|---:|---:|",
    ]
    lines += [
        f"| {int(size):,} | {summary['cells']:,} | {_pct(summary['coverage'])} |"
        for size, summary in calibration["by_size"].items()
    ]
    return lines


def _shrinkage(report: dict) -> list[str]:
    calibration = report["calibration"]
    low, high = report["interval"]
    level = high - low
    nominal = f"{level * 100:.0f} %"
    sizes = ", ".join(f"{int(size):,}" for size in calibration["by_size"])
    overall = {row["transition"]: row for row in report["priors"] if not row["channel"]}
    interview_prior = overall["applied_interview"]["mean"]
    true_rates = [summary["true_rate"] for summary in calibration["by_size"].values()]
    years = sorted({year for row in report["priors"] for ys in row["sources"].values() for year in ys})
    coverages = [summary["coverage"] for summary in calibration["by_size"].values()]
    below = [size for size, summary in calibration["by_size"].items() if summary["coverage"] < level]
    coverage_note = (
        f"Below the nominal {nominal} at {', '.join(f'{int(size):,}' for size in below)} outcomes. The cells of "
        "one SIMULATED workspace share its outcomes, so they hold or miss together and this figure moves in coarse "
        "steps. A likely reason for the shortfall: the published priors are centred away from the simulator's channel "
        "rates, and a channel's prior still pulls its posterior when that channel holds only part of the workspace's "
        "outcomes; the interval states the uncertainty given the prior, not given a wrong one."
        if below
        else f"At or above the nominal {nominal} at every size."
    )
    return [
        "### Interview and offer odds: published prior plus shrinkage",
        "",
        "Where no classifier serves (a new workspace, too few outcomes, or no classifier that beats this path's Brier "
        "score on the same held-out outcomes: registry promotion `must_beat`), the odds are a published prior per "
        "stage transition and, where a source has one, per channel, shrunk toward the workspace's and the seeker's "
        "own outcomes (predictions/interview/shrinkage.py).",
        "",
        f"**Priors**, built from `{report['source_file']}` when this card was generated (the figures, sources and "
        "their quotes are in the SOURCE.md beside it). A prior is a Beta(mean × strength, (1 − mean) × strength); its "
        "mean is the mean of the transition's centre figures (a channel's: that times the channel's published "
        "relative rate), its strength the largest whose 80 % interval still covers every published figure for that "
        "transition and channel, never more than one of the source's average requisitions (the cap), and a channel's "
        "never more than the all-channel prior's.",
        "",
        *_priors_table(report),
        "",
        _unsourced(report),
        "",
        "**Shrinkage**, per seeker and transition (beta-binomial, two levels): the prior is updated with the other "
        "seekers' outcomes in the workspace (successes and trials added to a and b); that workspace posterior is then "
        "capped at a concentration estimated from how much the workspace's seekers differ (method of moments; the "
        f"prior's strength when fewer than {CONCENTRATION_MIN_SEEKERS} seekers have {CONCENTRATION_MIN_OUTCOMES} "
        "outcomes) and updated with the seeker's own outcomes. "
        f"The probability is the posterior mean with its central {nominal} credible interval; offer odds at the "
        "applied stage are P(interview) × P(offer | interview), their interval by Monte Carlo over both posteriors. "
        'Each answer states its basis ("published rates + 14 of your outcomes + 230 from others in this workspace").',
        "",
        f"**SIMULATED calibration** (predictions/interview/calibration.py, the code `bench/interview_shrinkage.py` "
        f"prints): workspaces of {sizes} SIMULATED outcomes (seekers of about "
        f"{calibration['outcomes_per_seeker']} outcomes each), each scored on {calibration['held_out']:,} held-out "
        f"SIMULATED applications of the same seekers; mean ± standard deviation over {calibration['seeds']} seeds "
        f"(seeds 1 to {calibration['seeds']}; the bench defaults to 10, fewer here to keep the command short). "
        'ECE with 10 equal-width bins. "raw workspace rate" is the workspace\'s observed rate given to every '
        'application; "true p" is the simulator\'s own probability, the floor any method can reach.',
        "",
        *_calibration_table(calibration),
        "",
        f"How often the {nominal} credible interval of a seeker's channel holds the simulator's true rate of that "
        f"channel (SIMULATED; {_pct(min(coverages))} to {_pct(max(coverages))}):",
        "",
        *_coverage_table(calibration, nominal),
        "",
        coverage_note,
        "",
        "Caveats:",
        f"- The simulator's rates are not the published ones: its true interview rate averages "
        f"{_pct(sum(true_rates) / len(true_rates))} against the published all-channel prior's "
        f'{_pct(interview_prior)}, and its channel effects are its own. "prior alone" is therefore miscalibrated '
        "here by construction; the table shows how fast the shrinkage moves away from a wrong prior, not how right "
        "the prior is for real seekers.",
        "- Only the applied → interview stage is simulated; the interview → offer prior and its shrinkage are not "
        "checked here.",
        f"- The sources are employer-side figures (applicants per requisition, interviews per offer, hires per "
        f"channel), mostly US recruiting benchmarks with data years {years[0]}–{years[-1]} where dated; some "
        "are secondary summaries or one posting. Job seekers today, outside the US or in other occupations may see "
        "other rates: the workspace's and the seeker's own outcomes take over as they arrive."
        if years
        else "- The sources are employer-side figures and undated.",
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
    renderers = (
        ("tracked", _tracked),
        ("outcomes", _outcomes),
        ("shrinkage", _shrinkage),
        ("campus", _campus),
        ("simulator", _simulator),
    )
    for key, render in renderers:
        if reports.get(key):
            lines += [*render(reports[key]), ""]
    return "\n".join(lines)
