"""Scores a trained salary model on the held-out test year, beside the baselines, per region, per source and per
industry, and scores the BLS fallback on the test rows whose titles map to BLS occupations.

The surveys record no industry: a test row's industry is the one employing most of its title's BLS occupation
(market.industries), so "per industry" means "for the kinds of jobs each industry employs most"."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from predictions.features import MarketReference, region_of
from predictions.salary.data import (
    REGIONS,
    SOURCES,
    SalarySplit,
    baseline_global_median,
    baseline_group_median,
    baseline_ridge,
    data_fingerprint,
    interval_metrics,
    point_metrics,
    salaries_usd,
)
from predictions.salary.fallback import FallbackCalibration, fallback_evaluate

if TYPE_CHECKING:
    from predictions.salary.model import SalaryModel


UNMAPPED = "unmapped"  # a test title that maps to no BLS occupation, or to one no industry employs


def salary_evaluate(model: SalaryModel, split: SalarySplit, *, reference: MarketReference) -> dict[str, object]:
    """Metrics on the test year beside the baselines, overall, per region and per source, plus the fallback's."""
    from predictions.salary.model import salary_predict_rows

    test = split.test
    actual = salaries_usd(test)
    p10, p50, p90 = salary_predict_rows(model, test, reference=reference)
    baselines = {
        "global_median": baseline_global_median(split.train),
        "group_median_min1": baseline_group_median(split.train, min_rows=1),
        "group_median_min5": baseline_group_median(split.train, min_rows=5),
        "linear_ridge": baseline_ridge(split.train),
    }
    overall = {**point_metrics(actual, p50), **interval_metrics(actual, p10, p90)}
    regions = np.asarray([region_of(r.company_location, reference) for r in test])
    sources = np.asarray([r.source for r in test])
    by_region = {
        region: {**point_metrics(actual[m], p50[m]), **interval_metrics(actual[m], p10[m], p90[m])}
        for region in REGIONS
        if (m := regions == region).any()
    }
    by_source = {
        source: {**point_metrics(actual[m], p50[m]), **interval_metrics(actual[m], p10[m], p90[m])}
        for source in SOURCES
        if (m := sources == source).any()
    }
    industries = np.asarray(
        [reference.soc_industry.get(reference.title_match(r.job_title).soc_code or "", UNMAPPED) for r in test]
    )
    by_industry = {
        industry: {**point_metrics(actual[m], p50[m]), **interval_metrics(actual[m], p10[m], p90[m])}
        for industry in sorted(set(industries.tolist()))
        if (m := industries == industry).any()
    }
    baseline_metrics = {name: point_metrics(actual, predict(test)) for name, predict in baselines.items()}
    best_group = min(baseline_metrics["group_median_min1"]["mae_usd"], baseline_metrics["group_median_min5"]["mae_usd"])
    targets = {
        "mae_not_worse_than_linear": overall["mae_usd"] <= baseline_metrics["linear_ridge"]["mae_usd"],
        "mae_3pct_below_best_group_median": overall["mae_usd"] <= 0.97 * best_group,
        "coverage_75_to_85": 75.0 <= overall["coverage_p10_p90"] <= 85.0,
    }
    return {
        "split": split.counts(),
        "test_fingerprint": data_fingerprint(test),
        "test": overall,
        "test_by_region": by_region,
        "test_by_source": by_source,
        "test_by_industry": by_industry,
        "baselines": baseline_metrics,
        "targets": targets,
        "conformal": {"log_margins": model.margins, "calibration_rows": model.calibration_rows},
        "low_confidence_regions": sorted(model.low_confidence_regions()),
        "bls_fallback": fallback_evaluate(model.fallback or FallbackCalibration(), test, p50, reference=reference),
    }
