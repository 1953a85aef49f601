"""BLS fallback for occupations the salary surveys do not cover (a nurse, a teacher, a logistics planner).

The answer is the BLS OEWS P10/P50/P90 of the matched occupation (state-level when a US state is given and present,
scaled to the NAICS sector when one is given, national otherwise), moved by a log-space offset and widened by a
conformal margin. Both are calibrated on survey training rows whose titles map to BLS occupations: offset = shrunk
median/mean of log(salary) − log(BLS P50) by experience level, then region, then country (fitted on the training
years); margin = the 80 % split-conformal quantile of max(low − y, y − high) per region, measured out of time (offsets
fitted on years < the calibration year, scored on that year). That is the only check available, and it is measured on
tech roles: how well it transfers to nurses or teachers is not measured. Outside the US it is an extrapolation.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field

import numpy as np

from predictions.features import MarketReference, region_of
from predictions.salary.data import (
    INTERVAL_COVERAGE,
    REGIONS,
    SurveyRow,
    interval_metrics,
    point_metrics,
    salaries_usd,
)
from predictions.tuning import conformal_margin

FALLBACK_MIN_SOC_ROWS = 20  # an occupation with fewer survey training rows is outside the survey's coverage
MIN_CALIBRATION_ROWS = 50
SHRINK_ROWS = 20.0  # a region or country offset counts as this many rows of "no offset"
PERCENTILE_INDEX = {"p10": 0, "p50": 2, "p90": 4}  # positions in the BLS (p10, p25, p50, p75, p90) tuples

# USPS abbreviation -> FIPS state code, for the areas BLS publishes (50 states, DC, PR, GU, VI).
US_STATE_FIPS: dict[str, str] = dict(
    zip(
        "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC "
        "ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR GU VI".split(),
        "01 02 04 05 06 08 09 10 11 12 13 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32 33 34 35 36 37 "
        "38 39 40 41 42 44 45 46 47 48 49 50 51 53 54 55 56 72 66 78".split(),
        strict=True,
    )
)


@dataclass
class FallbackCalibration:
    """Log-space offsets from the BLS median and conformal margins, all learnt from survey training rows."""

    global_offset: float = 0.0
    level_offsets: dict[str, float] = field(default_factory=dict)
    region_offsets: dict[str, float] = field(default_factory=dict)
    country_offsets: dict[str, float] = field(default_factory=dict)
    margins: dict[str, float] = field(default_factory=lambda: {"global": 0.0})
    calibration_rows: dict[str, int] = field(default_factory=dict)
    fitted_rows: int = 0
    method: str = "uncalibrated"

    def offset(self, level: str, country: str, region: str) -> tuple[float, float]:
        """(experience offset, location offset) in log space."""
        experience = self.level_offsets.get(level, self.global_offset)
        location = self.region_offsets.get(region, 0.0) + self.country_offsets.get(country.upper(), 0.0)
        return experience, location

    def to_json(self) -> dict[str, object]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> FallbackCalibration:
        return cls(**data)  # type: ignore[arg-type]


@dataclass(frozen=True)
class BlsWages:
    """log P10, P50, P90 of one occupation, and where they come from."""

    log_p10: float
    log_p50: float
    log_p90: float
    area: str  # "national" or "state"
    state_fips: str | None
    industry_code: str | None


def state_fips(state: str | None, reference: MarketReference) -> str | None:
    """FIPS code of a US state given as USPS code ("CA"), FIPS code ("06") or name ("California"); None if unknown."""
    key = (state or "").strip()
    if not key:
        return None
    if key.upper() in US_STATE_FIPS:
        return US_STATE_FIPS[key.upper()]
    if key in US_STATE_FIPS.values():
        return key
    return reference.bls_state_names.get(key.lower())


def industry_code(industry: str | None, reference: MarketReference) -> str | None:
    """The BLS OEWS sector code ("62--63") of one of the industries ("healthcare": its first sector) or of a
    NAICS sector given as "62", "62--63" or a 2-6 digit NAICS code."""
    key = (industry or "").strip()
    if not key:
        return None
    if key in reference.industry_sectors:
        return reference.industry_sectors[key]
    if key in reference.bls_sector_codes.values():
        return key
    return reference.bls_sector_codes.get(key[:2]) if key[:2].isdigit() else None


def industry_ratios(reference: MarketReference, soc: str | None, industry: str | None) -> tuple[float, ...] | None:
    """How much the industry's BLS sector pays the occupation against its national cross-industry wages, as
    (P10, P50, P90) ratios; None without an industry, or when BLS lacks either side of any percentile."""
    sector_code = industry_code(industry, reference)
    national = reference.bls_national.get(soc or "")
    sector = reference.bls_sector.get((sector_code, soc)) if sector_code else None
    if national is None or sector is None:
        return None
    indices = list(PERCENTILE_INDEX.values())
    if not all(national[i] and sector[i] for i in indices):
        return None
    return tuple(sector[i] / national[i] for i in indices)


def bls_wages(
    reference: MarketReference, soc: str | None, *, state: str | None = None, industry: str | None = None
) -> BlsWages | None:
    """The occupation's P10/P50/P90 (state, else national), scaled by sector/national per percentile when a sector
    has wages for it. None when BLS has no complete national P10/P50/P90 for the occupation."""
    national = reference.bls_national.get(soc or "")
    if national is None or any(national[i] is None for i in PERCENTILE_INDEX.values()):
        return None
    base, area = national, "national"
    state_wages = reference.bls_state.get((state, soc)) if state else None
    if state_wages is not None and all(state_wages[i] for i in PERCENTILE_INDEX.values()):
        base, area = state_wages, "state"
    logs = [math.log(base[i]) for i in PERCENTILE_INDEX.values()]
    sector = reference.bls_sector.get((industry, soc)) if industry else None
    used_industry = None
    if sector is not None and all(sector[i] for i in PERCENTILE_INDEX.values()):
        logs = [
            v + math.log(sector[i]) - math.log(national[i])
            for v, i in zip(logs, PERCENTILE_INDEX.values(), strict=True)
        ]
        used_industry = industry
    return BlsWages(*logs, area=area, state_fips=state if area == "state" else None, industry_code=used_industry)


def survey_rows_with_wages(rows: Sequence[SurveyRow], reference: MarketReference) -> tuple[list[SurveyRow], np.ndarray]:
    """The rows whose titles map to a BLS occupation with national P10/P50/P90, and their (n, 3) log wages."""
    kept: list[SurveyRow] = []
    wages: list[tuple[float, float, float]] = []
    for row in rows:
        found = bls_wages(reference, reference.title_match(row.job_title).soc_code)
        if found is not None:
            kept.append(row)
            wages.append((found.log_p10, found.log_p50, found.log_p90))
    return kept, np.asarray(wages, dtype=np.float64).reshape(-1, 3)


def _shrunk_means(keys: Sequence[str], residuals: np.ndarray) -> dict[str, float]:
    out: dict[str, float] = {}
    for key in sorted(set(keys)):
        values = residuals[np.asarray(keys) == key]
        out[key] = float(values.sum() / (values.size + SHRINK_ROWS))
    return out


def _offsets_fit(rows: Sequence[SurveyRow], log_p50: np.ndarray, reference: MarketReference) -> FallbackCalibration:
    residual = np.log(salaries_usd(rows)) - log_p50
    global_offset = float(np.median(residual))
    levels = [r.experience_level for r in rows]
    level_offsets = {level: float(np.median(residual[np.asarray(levels) == level])) for level in sorted(set(levels))}
    residual = residual - np.asarray([level_offsets[level] for level in levels])
    regions = [region_of(r.company_location, reference) for r in rows]
    region_offsets = _shrunk_means(regions, residual)
    residual = residual - np.asarray([region_offsets[region] for region in regions])
    country_offsets = _shrunk_means([r.company_location.upper() for r in rows], residual)
    return FallbackCalibration(
        global_offset=global_offset,
        level_offsets=level_offsets,
        region_offsets=region_offsets,
        country_offsets=country_offsets,
        fitted_rows=len(rows),
    )


def fallback_predict_log(
    calibration: FallbackCalibration,
    wages: np.ndarray,
    levels: Sequence[str],
    countries: Sequence[str],
    regions: Sequence[str],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(low, mid, high) in log USD for rows of (log P10, log P50, log P90) wages; ordered, never crossing."""
    offsets = np.asarray(
        [sum(calibration.offset(lv, c, rg)) for lv, c, rg in zip(levels, countries, regions, strict=True)]
    ).reshape(-1)
    margin = np.asarray([calibration.margins.get(rg, calibration.margins["global"]) for rg in regions]).reshape(-1)
    mid = wages[:, 1] + offsets
    low = np.minimum(wages[:, 0] + offsets - margin, mid)
    high = np.maximum(wages[:, 2] + offsets + margin, mid)
    return low, mid, high


def _margins(
    calibration: FallbackCalibration, rows: Sequence[SurveyRow], wages: np.ndarray, reference: MarketReference
) -> tuple[dict[str, float], dict[str, int]]:
    raw = FallbackCalibration(**{**calibration.to_json(), "margins": {"global": 0.0}})  # type: ignore[arg-type]
    regions = [region_of(r.company_location, reference) for r in rows]
    low, _, high = fallback_predict_log(
        raw, wages, [r.experience_level for r in rows], [r.company_location for r in rows], regions
    )
    y = np.log(salaries_usd(rows))
    scores = np.maximum(low - y, y - high)
    global_margin = conformal_margin(scores, INTERVAL_COVERAGE)
    margins, counts = {"global": global_margin}, {}
    for region in REGIONS:
        own = scores[np.asarray(regions) == region]
        counts[region] = int(own.size)
        margin = conformal_margin(own, INTERVAL_COVERAGE)
        margins[region] = margin if own.size >= MIN_CALIBRATION_ROWS else max(margin, global_margin)
    return margins, counts


def fallback_calibrate(rows: Sequence[SurveyRow], *, reference: MarketReference) -> FallbackCalibration:
    """Offsets fitted on all the given training rows that map to BLS occupations; margins measured out of time
    (offsets fitted on the years before the rows' latest, scored on the latest), or in sample when too few earlier
    rows."""
    mapped, wages = survey_rows_with_wages(rows, reference)
    if not mapped:
        return FallbackCalibration()
    years = np.asarray([r.work_year for r in mapped])
    final = _offsets_fit(mapped, wages[:, 1], reference)
    latest = int(years.max())
    earlier, last = years < latest, years == latest
    if earlier.sum() >= MIN_CALIBRATION_ROWS and last.sum() >= MIN_CALIBRATION_ROWS:
        shadow = _offsets_fit([r for r, e in zip(mapped, earlier, strict=True) if e], wages[earlier, 1], reference)
        final.margins, final.calibration_rows = _margins(
            shadow, [r for r, e in zip(mapped, last, strict=True) if e], wages[last], reference
        )
        final.method = "out_of_time"
    else:
        final.margins, final.calibration_rows = _margins(final, mapped, wages, reference)
        final.method = "in_sample"
    return final


def fallback_evaluate(
    calibration: FallbackCalibration,
    test: Sequence[SurveyRow],
    model_p50_usd: np.ndarray,
    *,
    reference: MarketReference,
) -> dict[str, object]:
    """The fallback scored on the held-out survey rows whose titles map to BLS occupations (tech roles only: the only
    honest check available), beside the model's P50 on the same rows. `model_p50_usd` is aligned with `test`."""
    position = {r.id: i for i, r in enumerate(test)}
    mapped, wages = survey_rows_with_wages(test, reference)
    if not mapped:
        return {"rows": 0, "note": "no test row maps to a BLS occupation"}
    regions = [region_of(r.company_location, reference) for r in mapped]
    low, mid, high = (
        np.exp(v)
        for v in fallback_predict_log(
            calibration, wages, [r.experience_level for r in mapped], [r.company_location for r in mapped], regions
        )
    )
    actual = salaries_usd(mapped)
    model_mid = np.asarray([model_p50_usd[position[r.id]] for r in mapped])
    by_region = {
        region: {**point_metrics(actual[m], mid[m]), **interval_metrics(actual[m], low[m], high[m])}
        for region in REGIONS
        if (m := np.asarray(regions) == region).any()
    }
    return {
        "measured_on": "survey test-year rows whose titles map to BLS occupations (tech, data and security roles)",
        "test": {**point_metrics(actual, mid), **interval_metrics(actual, low, high)},
        "model_on_same_rows": point_metrics(actual, model_mid),
        "test_by_region": by_region,
        "calibration": {
            "method": calibration.method,
            "fitted_rows": calibration.fitted_rows,
            "calibration_rows": calibration.calibration_rows,
            "log_margins": calibration.margins,
            "level_offsets": calibration.level_offsets,
        },
    }
