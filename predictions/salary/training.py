"""One salary training run: split the survey rows, fit (predictions.salary.model.salary_fit), then score the held-out
test year (predictions.salary.evaluation). Above the model and its evaluation, so neither imports the other's caller."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from predictions.features import MarketReference
from predictions.salary.data import (
    SEED,
    Progress,
    SalarySplit,
    SurveyRow,
    data_fingerprint,
    progress_quiet,
    salary_split,
)
from predictions.salary.evaluation import salary_evaluate
from predictions.salary.model import TUNING_BUDGET, SalaryModel, salary_fit
from predictions.tuning import TuningBudget


@dataclass
class SalaryTrainingRun:
    model: SalaryModel
    split: SalarySplit
    metrics: dict[str, object]
    data_fingerprint: str
    training_seconds: float


def salary_train(
    rows: Sequence[SurveyRow],
    *,
    reference: MarketReference,
    seed: int = SEED,
    budget: TuningBudget = TUNING_BUDGET,
    progress: Progress = progress_quiet,
) -> SalaryTrainingRun:
    started = time.perf_counter()
    split = salary_split(rows, seed=seed)
    progress(f"rows: {split.counts()}")
    model, tuning = salary_fit(split, reference=reference, seed=seed, budget=budget, progress=progress)
    training_seconds = time.perf_counter() - started
    progress("evaluating on the test year")
    metrics = salary_evaluate(model, split, reference=reference)
    metrics["training_seconds"] = training_seconds
    metrics["tuning"] = tuning.summary()
    return SalaryTrainingRun(
        model=model,
        split=split,
        metrics=metrics,
        data_fingerprint=data_fingerprint(split.train + split.validation),
        training_seconds=training_seconds,
    )
