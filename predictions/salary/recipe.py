"""The served salary model's recipe: a fixed tree shape and round counts, and one way of handling pay drift into a
year the model has not seen. Both were chosen on the rolling-origin backtest (predictions.salary.training), which
re-runs this recipe on every fold; no search runs at training time, so `make run` trains in seconds.

Drift modes, compared on the backtest and recorded in the model card:
- `year_feature`: work year is a numeric feature (a tree treats an unseen later year as the latest it saw);
- `recency`: the same, with training rows weighted by 0.5 ** (years before the latest / half-life);
- `trend`: the target is detrended by the like-for-like annual growth of the training years (`log_growth_per_year`)
  and the growth is added back for a later year, at most one year ahead;
- `trend_recency`: both.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

import lightgbm as lgb
import numpy as np

from market.text import title_normalize
from predictions.features import (
    SALARY_CATEGORICAL_FEATURES,
    SALARY_FEATURE_NAMES,
    MarketReference,
    category_vocabulary_build,
    salary_feature_matrix,
)
from predictions.salary.data import SEED, SurveyRow, salaries_usd
from predictions.salary.model import BASE_PARAMS, QUANTILES, SalaryModel

DRIFT_MODES = ("year_feature", "recency", "trend", "trend_recency")
GROWTH_MIN_GROUP_ROWS = 3  # rows a title x level x country group needs in both years to measure its growth


@dataclass(frozen=True)
class SalaryRecipe:
    """Defaults: the backtest's choice (bench/salary_recipes.py prints the comparison; the model card records it)."""

    drift: str = "trend_recency"
    half_life_years: float = 1.0
    num_leaves: int = 7
    min_data_in_leaf: int = 40
    feature_fraction: float = 0.8
    lambda_l2: float = 10.0
    cat_smooth: float = 10.0
    rounds: dict[str, int] = field(default_factory=lambda: {"p10": 300, "p50": 300, "p90": 300})
    seed: int = SEED

    def __post_init__(self) -> None:
        if self.drift not in DRIFT_MODES:
            raise ValueError(f"drift: {self.drift!r} is not one of {', '.join(DRIFT_MODES)}")

    def params(self) -> dict[str, object]:
        shape = {k: getattr(self, k) for k in ("num_leaves", "min_data_in_leaf", "feature_fraction", "lambda_l2")}
        return {**BASE_PARAMS, **shape, "cat_smooth": self.cat_smooth, "seed": self.seed}

    def to_json(self) -> dict[str, object]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> SalaryRecipe:
        return cls(**data)


SERVED_RECIPE = SalaryRecipe()


def log_growth_per_year(rows: Sequence[SurveyRow]) -> float:
    """Annual growth of log salary like for like: for each pair of consecutive years, the difference of the median
    log salary of every normalised title x experience level x company country group with at least
    GROWTH_MIN_GROUP_ROWS rows in both years, averaged with weights min(rows in either year). Composition changes
    between years (more seniors, more US rows) do not count as growth. 0 when no group qualifies."""
    groups: dict[tuple, dict[int, list[float]]] = {}
    for row in rows:
        key = (title_normalize(row.job_title), row.experience_level, row.company_location)
        groups.setdefault(key, {}).setdefault(row.work_year, []).append(float(np.log(row.salary_usd)))
    years = sorted({r.work_year for r in rows})
    total, weight = 0.0, 0.0
    for before, after in zip(years, years[1:], strict=False):
        for by_year in groups.values():
            a, b = by_year.get(before, []), by_year.get(after, [])
            if min(len(a), len(b)) >= GROWTH_MIN_GROUP_ROWS:
                w = float(min(len(a), len(b)))
                total += w * (float(np.median(b)) - float(np.median(a))) / (after - before)
                weight += w
    return total / weight if weight else 0.0


def recency_weights(years: np.ndarray, latest: int, half_life_years: float) -> np.ndarray:
    return np.power(0.5, (latest - years) / half_life_years)


def recipe_fit(
    recipe: SalaryRecipe,
    rows: Sequence[SurveyRow],
    *,
    reference: MarketReference,
    quantiles: Sequence[str] = ("p10", "p50", "p90"),
) -> SalaryModel:
    """The recipe's boosters on `rows` (every row, no hold-out), with no interval margin yet (global 0) and the
    occupations the rows cover; the caller calibrates it out of time (salary.training)."""
    vocabulary = category_vocabulary_build(r.as_input() for r in rows)
    x = salary_feature_matrix([r.as_input() for r in rows], reference=reference, vocabulary=vocabulary)
    y = np.log(salaries_usd(rows))
    years = np.asarray([r.work_year for r in rows], dtype=np.float64)
    latest = int(years.max())
    growth = log_growth_per_year(rows) if recipe.drift.startswith("trend") else 0.0
    target = y - growth * (years - latest)
    weights = recency_weights(years, latest, recipe.half_life_years) if recipe.drift.endswith("recency") else None
    categorical = [SALARY_FEATURE_NAMES.index(name) for name in SALARY_CATEGORICAL_FEATURES]
    params = recipe.params()
    boosters = {}
    for name in quantiles:
        train_set = lgb.Dataset(
            x, target, weight=weights, feature_name=SALARY_FEATURE_NAMES, categorical_feature=categorical
        )
        boosters[name] = lgb.train(
            {**params, "alpha": QUANTILES[name], "metric": "quantile"}, train_set, num_boost_round=recipe.rounds[name]
        )
    covered: dict[str, int] = {}
    for row in rows:
        soc = reference.title_match(row.as_input().title).soc_code
        if soc:
            covered[soc] = covered.get(soc, 0) + 1
    return SalaryModel(
        boosters=boosters,
        vocabulary=vocabulary,
        margins={"global": 0.0},
        calibration_rows={},
        params={
            **params,
            "rounds": dict(recipe.rounds),
            "recipe": recipe.to_json(),
            "trend": {"log_growth": growth, "reference_year": latest},
            "training_years": sorted({r.work_year for r in rows}),
        },
        latest_work_year=latest,
        covered_socs=dict(sorted(covered.items())),
        min_covered_rows=1,
    )
