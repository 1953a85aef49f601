"""Salary data: survey rows, deduplication, the leak-free temporal split, point and interval metrics, and the
baselines the model is compared with.

Split contract (DESIGN.md section 4): exact duplicates (same `duplicate_key`) are collapsed to their first row BEFORE
any split, so no duplicate can straddle train and test; then train = work_year <= 2022, test = work_year == 2023.
Inside training, a seeded random share of the 2022 rows is held out as the validation slice (early stopping of the
final boosters); the hyperparameters are chosen by grouped k-fold cross-validation on the training years
(predictions.tuning). The test year is only ever scored, never used to choose anything.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass

import numpy as np

from predictions.features import REGION_CODES, SalaryInput

TRAIN_MAX_YEAR = 2022
TEST_YEAR = 2023
VALIDATION_SHARE = 0.3
INTERVAL_COVERAGE = 0.8
SEED = 20240601
REGIONS = tuple(REGION_CODES)
SOURCES = ("aijobs", "devops", "infosec")

Progress = Callable[[str], None]


def progress_quiet(_message: str) -> None:
    return None


@dataclass(frozen=True)
class SurveyRow:
    id: int
    source: str
    work_year: int
    experience_level: str
    employment_type: str
    job_title: str
    salary_usd: int
    employee_residence: str
    remote_ratio: int
    company_location: str
    company_size: str
    duplicate_key: str

    def as_input(self) -> SalaryInput:
        return SalaryInput(
            title=self.job_title,
            experience_level=self.experience_level,
            employment_type=self.employment_type,
            remote_ratio=self.remote_ratio,
            company_size=self.company_size,
            company_country=self.company_location,
            residence_country=self.employee_residence,
            work_year=self.work_year,
        )


@dataclass
class SalarySplit:
    train: list[SurveyRow]
    validation: list[SurveyRow]
    test: list[SurveyRow]
    rows_before_dedup: int
    rows_after_dedup: int

    def counts(self) -> dict[str, int]:
        return {
            "rows_raw": self.rows_before_dedup,
            "rows_deduplicated": self.rows_after_dedup,
            "train": len(self.train),
            "validation": len(self.validation),
            "test": len(self.test),
        }


def survey_rows_load() -> list[SurveyRow]:
    """Every SalarySurveyRow as plain data, ordered by id (public schema)."""
    from market.models import SalarySurveyRow

    fields = [f for f in SurveyRow.__dataclass_fields__]
    return [SurveyRow(*values) for values in SalarySurveyRow.objects.order_by("id").values_list(*fields)]


def survey_rows_deduplicate(rows: Sequence[SurveyRow]) -> list[SurveyRow]:
    """One row per duplicate_key: the one with the lowest id."""
    kept: dict[str, SurveyRow] = {}
    for row in sorted(rows, key=lambda r: r.id):
        kept.setdefault(row.duplicate_key, row)
    return sorted(kept.values(), key=lambda r: r.id)


def salary_split(
    rows: Sequence[SurveyRow],
    *,
    seed: int = SEED,
    validation_share: float = VALIDATION_SHARE,
    test_year: int = TEST_YEAR,
) -> SalarySplit:
    """Deduplicate, then split by time: train on the years before `test_year`, test on `test_year`; the validation
    slice is a seeded share of the last training year."""
    unique = survey_rows_deduplicate(rows)
    history = [r for r in unique if r.work_year < test_year]
    test = [r for r in unique if r.work_year == test_year]
    last = max((r.work_year for r in history), default=test_year - 1)
    last_year = [r for r in history if r.work_year == last]
    rng = np.random.default_rng(seed)
    held = rng.random(len(last_year)) < validation_share
    validation_ids = {r.id for r, h in zip(last_year, held, strict=True) if h}
    return SalarySplit(
        train=[r for r in history if r.id not in validation_ids],
        validation=[r for r in history if r.id in validation_ids],
        test=test,
        rows_before_dedup=len(rows),
        rows_after_dedup=len(unique),
    )


def data_fingerprint(rows: Sequence[SurveyRow]) -> str:
    """SHA-256 over the ids and values of the rows, in id order."""
    digest = hashlib.sha256()
    for row in sorted(rows, key=lambda r: r.id):
        digest.update(json.dumps(asdict(row), sort_keys=True).encode())
        digest.update(b"\n")
    return digest.hexdigest()


# ---------------------------------------------------------------------------------------------------------------------
# Metrics and baselines
# ---------------------------------------------------------------------------------------------------------------------


def point_metrics(actual_usd: np.ndarray, predicted_usd: np.ndarray) -> dict[str, float]:
    actual_usd = np.asarray(actual_usd, dtype=np.float64)
    predicted_usd = np.asarray(predicted_usd, dtype=np.float64)
    if actual_usd.size == 0:
        return {"rows": 0}
    abs_error = np.abs(predicted_usd - actual_usd)
    rel_error = abs_error / actual_usd
    return {
        "rows": int(actual_usd.size),
        "mae_usd": float(abs_error.mean()),
        "median_abs_pct_error": float(np.median(rel_error) * 100),
        "within_10pct": float((rel_error <= 0.10).mean() * 100),
        "within_20pct": float((rel_error <= 0.20).mean() * 100),
    }


def interval_metrics(actual_usd: np.ndarray, low_usd: np.ndarray, high_usd: np.ndarray) -> dict[str, float]:
    if len(actual_usd) == 0:
        return {}
    inside = (actual_usd >= low_usd) & (actual_usd <= high_usd)
    return {
        "coverage_p10_p90": float(inside.mean() * 100),
        "median_width_usd": float(np.median(high_usd - low_usd)),
    }


def salaries_usd(rows: Sequence[SurveyRow]) -> np.ndarray:
    return np.asarray([r.salary_usd for r in rows], dtype=np.float64)


def baseline_global_median(train: Sequence[SurveyRow]) -> Callable[[Sequence[SurveyRow]], np.ndarray]:
    median = float(np.median(salaries_usd(train)))
    return lambda rows: np.full(len(rows), median)


def baseline_group_median(
    train: Sequence[SurveyRow], *, min_rows: int = 1
) -> Callable[[Sequence[SurveyRow]], np.ndarray]:
    """Median by title x experience x company country, backing off to title x experience, title, experience, global
    when the group has fewer than `min_rows` training rows."""
    from market.text import title_normalize

    keys: tuple[Callable[[SurveyRow], tuple], ...] = (
        lambda r: (title_normalize(r.job_title), r.experience_level, r.company_location),
        lambda r: (title_normalize(r.job_title), r.experience_level),
        lambda r: (title_normalize(r.job_title),),
        lambda r: (r.experience_level,),
    )
    tables: list[dict[tuple, float]] = []
    for key in keys:
        groups: dict[tuple, list[int]] = {}
        for row in train:
            groups.setdefault(key(row), []).append(row.salary_usd)
        tables.append({k: float(np.median(v)) for k, v in groups.items() if len(v) >= min_rows})
    fallback = float(np.median(salaries_usd(train)))

    def predict(rows: Sequence[SurveyRow]) -> np.ndarray:
        out = np.empty(len(rows))
        for i, row in enumerate(rows):
            out[i] = next((t[k(row)] for k, t in zip(keys, tables, strict=True) if k(row) in t), fallback)
        return out

    return predict


def baseline_ridge(train: Sequence[SurveyRow], *, alpha: float = 1.0) -> Callable[[Sequence[SurveyRow]], np.ndarray]:
    """Ridge regression of log salary on one-hot title, experience, employment type, size, company country, remote
    ratio and work year (categories seen in training; unseen ones contribute nothing). Solved with numpy lstsq."""
    from market.text import title_normalize

    def tokens(row: SurveyRow) -> list[str]:
        return [
            f"title={title_normalize(row.job_title)}",
            f"exp={row.experience_level}",
            f"emp={row.employment_type}",
            f"size={row.company_size}",
            f"country={row.company_location}",
            f"remote={row.remote_ratio}",
            f"year={row.work_year}",
        ]

    vocabulary = {t: i for i, t in enumerate(sorted({t for row in train for t in tokens(row)}))}

    def design(rows: Sequence[SurveyRow]) -> np.ndarray:
        matrix = np.zeros((len(rows), len(vocabulary) + 1))
        matrix[:, -1] = 1.0
        for i, row in enumerate(rows):
            for token in tokens(row):
                if token in vocabulary:
                    matrix[i, vocabulary[token]] = 1.0
        return matrix

    x = design(train)
    y = np.log(salaries_usd(train))
    penalty = np.sqrt(alpha) * np.eye(x.shape[1])
    penalty[-1, -1] = 0.0  # the intercept is not shrunk
    weights, *_ = np.linalg.lstsq(np.vstack([x, penalty]), np.concatenate([y, np.zeros(x.shape[1])]), rcond=None)
    return lambda rows: np.exp(design(rows) @ weights)
