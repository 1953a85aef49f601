"""The evaluation report behind `manage.py evaluate_models`: run each model's evaluation for real, then assemble
docs/model-card.md (a generated header, an interval-coverage table, each kind's own model-card section) and
docs/model-card-calibration.png (predictions/evaluation/plot.py).

Every kind is imported normally: a broken import stops the command. A kind without data (no survey rows loaded, no
GSA rows) is skipped with the reason printed and stated in the report.
"""

from __future__ import annotations

import re
import subprocess
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from market.industries import INDUSTRY_CODES
from predictions.errors import TrainingDataMissing
from predictions.evaluation.plot import calibration_plot_write
from predictions.evaluation.sections import (
    INTERVAL_BAND_PCT,
    INTERVAL_TARGET_PCT,
    CoverageRow,
    IndustryRow,
    ReliabilityCurve,
    Section,
)
from predictions.interview.calibration import shrinkage_evaluate
from predictions.interview.campus import campus_evaluate
from predictions.interview.card import interview_model_card
from predictions.interview.model import MIN_LABELLED_OUTCOMES
from predictions.interview.outcomes import interview_outcomes_collect
from predictions.interview.simulator import simulator_evaluate
from predictions.interview.training import SEED as INTERVIEW_SEED
from predictions.reference import market_reference
from predictions.salary.card import salary_model_card
from predictions.salary.data import SEED as SALARY_SEED
from predictions.salary.data import survey_rows_load
from predictions.salary.training import salary_train
from predictions.time_to_hire.card import time_to_hire_model_card
from predictions.time_to_hire.data import gsa_rows_load
from predictions.time_to_hire.repeated import time_to_hire_repeated_cv
from predictions.time_to_hire.training import SEED as TIME_TO_HIRE_SEED
from predictions.time_to_hire.training import time_to_hire_train
from tenants.context import dangerously_for_each_tenant

Progress = Callable[[str], None]
CARD_NAME = "model-card.md"
# Sections of the card written by other commands (``manage.py evaluate_matching``'s table is pasted in by hand from its
# run): a regenerated card keeps them, from the heading to the end of the file.
KEPT_SECTION_HEADINGS = ("## CV reading and matching (issue 15)",)
PLOT_NAME = "model-card-calibration.png"
COVERAGE_PCT_KEYS = ("coverage_p10_p90", "coverage_pct", "interval_coverage_pct")  # in percent
COVERAGE_SHARE_KEYS = ("interval_coverage", "coverage")  # as a share in [0, 1]
SIMULATED = "SIMULATED"
MIN_INDUSTRY_ROWS = 200  # held-out rows an industry needs before its metrics are reported
# Seeds of the SIMULATED shrinkage calibration in the card (bench/interview_shrinkage.py defaults to 10): about 11 s a
# seed for the three workspace sizes on this machine.
SHRINKAGE_SEEDS = 5


def _quiet(_message: str) -> None:
    return None


# ---------------------------------------------------------------------------------------------------------------------
# Extracting figures from each kind's metrics
# ---------------------------------------------------------------------------------------------------------------------
def _coverage_of(metrics: dict) -> float | None:
    """Interval coverage in percent, whichever of the known keys the kind reports it under."""
    for key in COVERAGE_PCT_KEYS:
        if metrics.get(key) is not None:
            return float(metrics[key])
    for key in COVERAGE_SHARE_KEYS:
        if metrics.get(key) is not None:
            return float(metrics[key]) * 100
    return None


def _width_of(metrics: dict) -> float | None:
    key = next((k for k in metrics if k.startswith("median_width") and metrics[k] is not None), None)
    return float(metrics[key]) if key else None


def coverage_rows(model: str, metrics: dict, *, width_unit: str) -> list[CoverageRow]:
    """Coverage overall (`metrics["test"]`) and for every `metrics["test_by_<group>"]` breakdown that reports it."""
    rows: list[CoverageRow] = []
    breakdowns: list[tuple[str, dict]] = [("overall", metrics.get("test") or {})]
    for key, groups in metrics.items():
        if key.startswith("test_by_") and key != "test_by_industry" and isinstance(groups, dict):
            by = key.removeprefix("test_by_")
            breakdowns += [(f"{by} {name}", values) for name, values in groups.items() if isinstance(values, dict)]
    for group, values in breakdowns:
        coverage = _coverage_of(values)
        if coverage is not None:
            count = int(values.get("rows", values.get("n", 0)) or 0)
            rows.append(CoverageRow(model, group, count, coverage, _width_of(values), width_unit))
    return rows


def industry_rows(model: str, by_industry: dict, *, mae_key: str, mae_unit: str) -> list[IndustryRow]:
    """Every industry (market.industries), with its held-out rows; metrics only from MIN_INDUSTRY_ROWS rows up."""
    rows = []
    for code in (*INDUSTRY_CODES, *sorted(set(by_industry) - set(INDUSTRY_CODES))):
        values = by_industry.get(code) or {}
        count = int(values.get("rows", values.get("n", 0)) or 0)
        if count == 0:
            rows.append(IndustryRow(model, code, 0, mae_unit=mae_unit, note="no held-out rows"))
        elif count < MIN_INDUSTRY_ROWS:
            rows.append(
                IndustryRow(model, code, count, mae_unit=mae_unit, note=f"too little data (< {MIN_INDUSTRY_ROWS})")
            )
        else:
            rows.append(IndustryRow(model, code, count, values.get(mae_key), mae_unit, _coverage_of(values)))
    return rows


def reliability_curve(report: dict, *, label: str) -> ReliabilityCurve | None:
    """Reads `report["reliability"]`: a list of bins {"predicted", "observed", "n"} (or a dict of three lists)."""
    bins = report.get("reliability")
    if not bins:
        return None
    if isinstance(bins, dict):
        predicted, observed = bins.get("predicted", []), bins.get("observed", [])
        counts = bins.get("n", bins.get("counts", [0] * len(predicted)))
    else:
        predicted = [b["predicted"] for b in bins]
        observed = [b["observed"] for b in bins]
        counts = [b.get("n", 0) for b in bins]
    simulated = SIMULATED in label or report.get("label") == SIMULATED
    return ReliabilityCurve(label, [float(p) for p in predicted], [float(o) for o in observed], list(counts), simulated)


def _seeded(seed: int | None) -> dict[str, int]:
    return {} if seed is None else {"seed": seed}


# ---------------------------------------------------------------------------------------------------------------------
# One builder per kind
# ---------------------------------------------------------------------------------------------------------------------
def salary_section_build(*, seed: int | None, progress: Progress) -> Section:
    rows = survey_rows_load()
    if not rows:
        raise TrainingDataMissing("salary: no survey rows; run `manage.py load_reference_data` first")
    progress(f"salary: training on {len(rows):,} survey rows")
    # full_report: the backtest also runs the previous champion's recipe and the drift comparison for the card.
    run = salary_train(rows, reference=market_reference(), progress=progress, full_report=True, **_seeded(seed))
    return Section(
        kind="salary",
        title="Salary range",
        markdown=salary_model_card(run.metrics, version=None, params=run.model.params),
        coverage=coverage_rows("salary", run.metrics, width_unit="usd"),
        seed=SALARY_SEED if seed is None else seed,
        industries=industry_rows(
            "salary", run.metrics.get("test_by_industry") or {}, mae_key="mae_usd", mae_unit="usd"
        ),
    )


def time_to_hire_section_build(*, seed: int | None, progress: Progress) -> Section:
    rows = gsa_rows_load()
    if not rows:
        raise TrainingDataMissing("time_to_hire: no GSA vacancy rows")
    progress(f"time_to_hire: training on {len(rows):,} GSA rows")
    run = time_to_hire_train(rows, progress=progress, **_seeded(seed))
    metrics = dict(run.metrics)
    seed = TIME_TO_HIRE_SEED if seed is None else seed
    # Beside the fixed split, over the same usable rows; nothing is chosen from it.
    usable = [*run.split.train, *run.split.test]
    progress(f"time_to_hire: repeated grouped cross-validation over {len(usable):,} usable rows")
    metrics["repeated_cv"] = time_to_hire_repeated_cv(usable, seed=seed, progress=progress)
    return Section(
        kind="time_to_hire",
        title="Time to hire",
        markdown=time_to_hire_model_card(metrics, version=None, params=run.model.params),
        coverage=coverage_rows("time to hire", run.metrics, width_unit="days"),
        seed=seed,
        # Every GSA vacancy is US federal hiring: the public sector's figures are the test set's; the other
        # industries have no rows (their predictions are extrapolated from federal hiring, and say so).
        industries=industry_rows(
            "time to hire", {"public-sector": run.metrics.get("test") or {}}, mae_key="mae_days", mae_unit="days"
        ),
    )


def interview_outcomes_status() -> dict[str, object]:
    """How many tracked outcomes the ready tenants hold, labelled (interview label known) and censored, and how many
    tenants reach the model's minimum. Counts only: nothing of a tenant's data leaves its loop."""

    def counts(_schema: str) -> tuple[int, int]:
        rows = interview_outcomes_collect()
        return len(rows), sum(1 for row in rows if row.interview_label is not None)

    per_tenant = [value for _, value in dangerously_for_each_tenant(counts)]
    minimum = MIN_LABELLED_OUTCOMES
    return {
        "tenants": len(per_tenant),
        "outcomes": sum(total for total, _ in per_tenant),
        "labelled": sum(labelled for _, labelled in per_tenant),
        "min_labelled_outcomes": minimum,
        "tenants_at_minimum": sum(1 for _, labelled in per_tenant if labelled >= minimum),
    }


def interview_section_build(*, seed: int | None, progress: Progress) -> Section:
    progress("interview: repeated cross-validation on campus_placement (real)")
    campus = campus_evaluate(**_seeded(seed))
    progress(f"interview: {SIMULATED} outcomes with known probabilities")
    simulator = simulator_evaluate(n_outcomes=5000, **_seeded(seed))
    progress(f"interview: published prior plus shrinkage on {SIMULATED} outcomes, {SHRINKAGE_SEEDS} seeds")
    shrinkage = shrinkage_evaluate(seeds=SHRINKAGE_SEEDS, progress=progress)
    outcomes = interview_outcomes_status()
    progress(
        f"interview: {outcomes['labelled']:,} labelled of {outcomes['outcomes']:,} tracked outcomes "
        f"in {outcomes['tenants']} tenants"
    )
    reports = {"campus": campus, "simulator": simulator, "shrinkage": shrinkage, "outcomes": outcomes}
    curves = [
        reliability_curve(campus, label="campus_placement (real, out-of-fold)"),
        reliability_curve(simulator, label=f"simulator ({SIMULATED})"),
    ]
    return Section(
        kind="interview",
        title="Interview probability",
        markdown=interview_model_card(reports),
        reliability=[curve for curve in curves if curve is not None],
        seed=INTERVIEW_SEED if seed is None else seed,
    )


BUILDERS: dict[str, Callable[..., Section]] = {
    "salary": salary_section_build,
    "time_to_hire": time_to_hire_section_build,
    "interview": interview_section_build,
}
TITLES = {"salary": "Salary range", "time_to_hire": "Time to hire", "interview": "Interview probability"}


def evaluation_run(*, kinds: Sequence[str], seed: int | None = None, progress: Progress = _quiet) -> list[Section]:
    """Builds each kind's section; a kind whose data is missing comes back skipped with the reason."""
    unknown = [kind for kind in kinds if kind not in BUILDERS]
    if unknown:
        raise ValueError(f"only: unknown model kind(s) {', '.join(unknown)}; choose from {', '.join(BUILDERS)}")
    sections: list[Section] = []
    for kind in kinds:
        started = time.perf_counter()
        try:
            section = BUILDERS[kind](seed=seed, progress=progress)
        except TrainingDataMissing as error:
            progress(f"{kind}: SKIPPED, {error}")
            section = Section(kind=kind, title=TITLES[kind], skipped=str(error))
        section.seconds = time.perf_counter() - started
        sections.append(section)
    return sections


# ---------------------------------------------------------------------------------------------------------------------
# Assembly
# ---------------------------------------------------------------------------------------------------------------------
def git_commit(base_dir: Path | None = None) -> str | None:
    """The short HEAD commit, marked when the working tree has uncommitted changes; None outside a git checkout."""
    cwd = base_dir or Path(settings.BASE_DIR)
    try:
        head = subprocess.run(  # noqa: S603 - fixed argv, no shell
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607 - git from PATH is the point
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(  # noqa: S603
            ["git", "status", "--porcelain", "--untracked-files=no"],  # noqa: S607
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return f"{head} (with uncommitted changes)" if dirty else head


def headings_nest(markdown: str, *, top: int = 2) -> str:
    """Shifts every ATX heading (outside fenced code) so the card's highest heading sits at level `top`: each kind's
    card nests under the report's H1 whatever level it starts at."""
    heading = re.compile(r"^(#{1,6}) ")
    levels, fenced = [], False
    for text in markdown.splitlines():
        fenced = not fenced if text.startswith("```") else fenced
        if not fenced and (match := heading.match(text)):
            levels.append(len(match.group(1)))
    shift = top - min(levels) if levels else 0
    lines, fenced = [], False
    for text in markdown.splitlines():
        fenced = not fenced if text.startswith("```") else fenced
        match = None if fenced else heading.match(text)
        if match:
            level = min(6, max(1, len(match.group(1)) + shift))
            text = "#" * level + text[len(match.group(1)) :]
        lines.append(text)
    return "\n".join(lines).strip() + "\n"


def _width(row: CoverageRow) -> str:
    if row.median_width is None:
        return "n/a"
    return f"${row.median_width:,.0f}" if row.width_unit == "usd" else f"{row.median_width:,.1f} days"


def coverage_table(sections: Sequence[Section]) -> str:
    lines = [
        "| model | rows scored | group | [P10, P90] coverage | target | median width |",
        "|---|---:|---|---:|---|---:|",
    ]
    low, high = INTERVAL_BAND_PCT
    for section in sections:
        for row in section.coverage:
            inside = "within" if low <= row.coverage_pct <= high else "**outside**"
            lines.append(
                f"| {row.model} | {row.rows:,} | {row.group} | {row.coverage_pct:.1f} % | "
                f"{INTERVAL_TARGET_PCT:.0f} % ({inside} {low:.0f}–{high:.0f} %) | {_width(row)} |"
            )
    return "\n".join(lines) if len(lines) > 2 else "_No model reported interval coverage in this run._"


def industry_table(sections: Sequence[Section]) -> str:
    lines = [
        "| model | industry | held-out rows | MAE | [P10, P90] coverage | |",
        "|---|---|---:|---:|---:|---|",
    ]
    for section in sections:
        for row in section.industries:
            if row.mae is None:
                mae = "n/a"
            else:
                mae = f"${row.mae:,.0f}" if row.mae_unit == "usd" else f"{row.mae:,.1f} days"
            coverage = "n/a" if row.coverage_pct is None else f"{row.coverage_pct:.1f} %"
            lines.append(f"| {row.model} | {row.industry} | {row.rows:,} | {mae} | {coverage} | {row.note} |")
    return "\n".join(lines) if len(lines) > 2 else "_No model reported per-industry figures in this run._"


INDUSTRY_NOTES = " ".join(
    [
        "Per industry, from the same held-out data; metrics are reported only where an industry has at least",
        f"{MIN_INDUSTRY_ROWS} held-out rows. The salary surveys record no industry, so a salary row counts for the",
        "industry employing most of its title's BLS occupation (market.industries): the surveys cover data, AI,",
        "DevOps and security jobs, so most industries have too little data for a model of their own and use the",
        "global model, with a conformal margin of its own for each industry with at least 50 calibration rows; with a",
        "posting's industry, its range is also scaled by what BLS pays the occupation in that",
        "industry's sector (not evaluated here: the held-out rows have no industry). The time-to-hire model learns",
        "from US federal vacancies only (public sector). Interview probability learns from a tenant's own outcomes,",
        "with the posting's industry as a feature; it needs at least 200 labelled outcomes in an industry before it",
        "could be evaluated there, and no tenant has them in this run. The match score is deterministic (no",
        "training data); the industry changes which skills it weighs.",
    ]
)


def model_card_render(
    sections: Sequence[Section], *, seed: int | None, generated_at: datetime, commit: str | None
) -> str:
    seeds = ", ".join(f"{s.kind} {s.seed}" for s in sections if not s.skipped and s.seed is not None) or "n/a"
    listing = "\n".join(
        f"- {s.title}: " + (f"NOT EVALUATED ({s.skipped})" if s.skipped else f"evaluated in {s.seconds:,.1f} s")
        for s in sections
    )
    parts = [
        "# CVPlus model card",
        "",
        f"_Generated by `manage.py evaluate_models` on {generated_at:%Y-%m-%d %H:%M %Z} from commit "
        f"{commit or 'unknown (not a git checkout)'}, seed {'per model: ' + seeds if seed is None else seed}. "
        "Every figure comes from the run that wrote this file, on held-out data. Do not edit by hand: rerun the "
        "command._",
        "",
        "Simulated data is labelled SIMULATED wherever it appears; it checks the pipeline and is never accuracy.",
        "",
        "## Models in this report",
        listing,
        "",
        "## Interval coverage on held-out data",
        "",
        coverage_table(sections),
        "",
        f"![Interval coverage and calibration]({PLOT_NAME})",
        "",
        "## Metrics per industry",
        "",
        INDUSTRY_NOTES,
        "",
        industry_table(sections),
        "",
    ]
    parts += [headings_nest(s.markdown) for s in sections if not s.skipped and s.markdown]
    return "\n".join(parts).rstrip() + "\n"


def card_kept_sections(old_text: str) -> str:
    """The part of an existing card from the first kept heading (``KEPT_SECTION_HEADINGS``) to its end, ending in one
    newline; "" when the card has none."""
    starts = [old_text.find(f"\n{heading}\n") for heading in KEPT_SECTION_HEADINGS]
    starts = [start for start in starts if start >= 0]
    if not starts:
        return ""
    return old_text[min(starts) + 1 :].rstrip("\n") + "\n"


def model_card_write(
    sections: Sequence[Section],
    *,
    output_dir: Path,
    seed: int | None,
    commit: str | None = None,
    generated_at: datetime | None = None,
) -> tuple[Path, Path]:
    """Writes the markdown card and its calibration PNG into `output_dir`; returns both paths."""
    output_dir.mkdir(parents=True, exist_ok=True)
    card, plot = output_dir / CARD_NAME, output_dir / PLOT_NAME
    calibration_plot_write(sections, plot)
    text = model_card_render(sections, seed=seed, generated_at=generated_at or timezone.localtime(), commit=commit)
    kept = card_kept_sections(card.read_text(encoding="utf-8")) if card.exists() else ""
    if kept:
        text = text.rstrip("\n") + "\n\n" + kept
    card.write_text(text, encoding="utf-8")
    return card, plot
