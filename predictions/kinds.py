"""The table of the trained model kinds: for each, the held-out metric that decides a promotion, the artifact loader,
one training run on its data, the re-scoring of a champion on a candidate's held-out rows, the model-card section
and the batch predictor. Every function is imported normally, so a broken kind stops the process at start-up
(ImportError) instead of turning into "no model yet" at request time.

The only top-level module that imports the kind packages (with the entry points above them: service, training,
tasks, admin, api/, evaluation/). A kind package never imports this module: the registry gets what it needs of a kind
(its metric, its loader) as arguments.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from predictions.errors import TrainingDataMissing
from predictions.features import SALARY_CATEGORICAL_FEATURES
from predictions.interview.features import InterviewInput
from predictions.interview.model import (
    PROMOTION_METRIC as INTERVIEW_METRIC,
)
from predictions.interview.model import (
    InterviewModel,
    interview_predict,
    interview_test_brier,
    interview_train,
    interview_training_matrix,
)
from predictions.interview.outcomes import interview_outcomes_collect
from predictions.models import ModelVersion
from predictions.reference import market_reference
from predictions.salary.card import salary_metrics_table, salary_model_card, salary_run_summary
from predictions.salary.data import survey_rows_load
from predictions.salary.model import PROMOTION_METRIC as SALARY_METRIC
from predictions.salary.model import SalaryModel
from predictions.salary.serving import salary_predict_batch
from predictions.salary.training import salary_test_mae, salary_train, salary_training_matrix
from predictions.time_to_hire.card import time_to_hire_model_card
from predictions.time_to_hire.data import CATEGORICAL_FEATURES as TIME_TO_HIRE_CATEGORICAL
from predictions.time_to_hire.data import gsa_rows_load
from predictions.time_to_hire.evaluation import time_to_hire_test_mae
from predictions.time_to_hire.model import PROMOTION_METRIC as TIME_TO_HIRE_METRIC
from predictions.time_to_hire.model import TimeToHireModel
from predictions.time_to_hire.serving import time_to_hire_predict_batch
from predictions.time_to_hire.tenant import MIN_TENANT_DURATIONS, time_to_hire_tenant_run
from predictions.time_to_hire.training import time_to_hire_train, time_to_hire_training_matrix

Progress = Callable[[str], None]


class TrainedRun(NamedTuple):
    """A kind's training run (`model`, `split`, `metrics`, `data_fingerprint`, `training_seconds`) and the number of
    rows it learnt from."""

    run: Any
    rows: int


@dataclass(frozen=True)
class Kind:
    """One trained model kind. `metric` is read from `metrics["test"]` and lower is better (an MAE, a Brier score).
    `train(seed=, progress=, scope=)` loads the kind's data and trains without saving; raises TrainingDataMissing.
    `rescore(champion_artifact, run)` scores a stored model on `run`'s held-out rows. `card` is None for a kind whose
    card is rendered only by the evaluation report. `training_matrix(run)` is the feature matrix the run's model was
    fit on, binned into the version's `input_bins` with `categorical` features binned by value
    (predictions/drift.py)."""

    name: str
    metric: str
    load: Callable[[str], Any]
    train: Callable[..., TrainedRun]
    rescore: Callable[[str, Any], float]
    card: Callable[..., str] | None
    predict_batch: Callable[..., list[dict]]
    training_matrix: Callable[[Any], np.ndarray]
    categorical: tuple[str, ...] = ()


def _seeded(seed: int | None) -> dict[str, int]:
    return {} if seed is None else {"seed": seed}


def _salary_train(*, seed: int | None, progress: Progress, scope: str) -> TrainedRun:
    rows = survey_rows_load()
    if not rows:
        raise TrainingDataMissing("salary: no survey rows; run `manage.py load_reference_data` first")
    progress(f"salary: {len(rows):,} survey rows")
    run = salary_train(rows, reference=market_reference(), progress=progress, **_seeded(seed))
    progress(salary_metrics_table(run.metrics))
    progress(f"targets: {run.metrics['targets']}")
    progress(salary_run_summary(run.metrics))
    return TrainedRun(run, len(rows))


def _salary_rescore(artifact: str, run: Any) -> float:
    return salary_test_mae(artifact, run.split, reference=market_reference())


def _salary_training_matrix(run: Any) -> np.ndarray:
    return salary_training_matrix(run, reference=market_reference())


def _time_to_hire_train(*, seed: int | None, progress: Progress, scope: str) -> TrainedRun:
    if scope == ModelVersion.Scope.TENANT:
        # A tenant model learns from the tenant's own applied -> offer durations, never from the GSA rows.
        run = time_to_hire_tenant_run(progress=progress, **_seeded(seed))
        if run is None:
            raise TrainingDataMissing(
                f"time_to_hire: fewer than {MIN_TENANT_DURATIONS} applied -> offer durations in this tenant"
            )
        return TrainedRun(run, run.split.counts()["rows_usable"])
    rows = gsa_rows_load()
    if not rows:
        raise TrainingDataMissing("time_to_hire: no GSA vacancy rows")
    progress(f"time_to_hire: {len(rows):,} vacancy rows")
    return TrainedRun(time_to_hire_train(rows, progress=progress, **_seeded(seed)), len(rows))


def _time_to_hire_rescore(artifact: str, run: Any) -> float:
    return time_to_hire_test_mae(artifact, run.split)


def _interview_train(*, seed: int | None, progress: Progress, scope: str) -> TrainedRun:
    rows = interview_outcomes_collect()
    progress(f"interview: {len(rows):,} tracked outcomes")
    try:
        run = interview_train(rows, progress=progress, **_seeded(seed))
    except TrainingDataMissing as error:  # InsufficientOutcomes: below the minimum, or one class only
        raise TrainingDataMissing(f"interview: {error}") from error
    return TrainedRun(run, len(rows))


def _interview_rescore(artifact: str, run: Any) -> float:
    return interview_test_brier(artifact, run.split)


def _interview_predict_batch(
    items: Sequence[Mapping[str, Any]], *, explain: bool = True, owner_id: int | None = None
) -> list[dict]:
    return interview_predict([InterviewInput(**item) for item in items], explain=explain, owner_id=owner_id)


SALARY = Kind(
    name=ModelVersion.Kind.SALARY,
    metric=SALARY_METRIC,
    load=SalaryModel.artifact_loads,
    train=_salary_train,
    rescore=_salary_rescore,
    card=salary_model_card,
    predict_batch=salary_predict_batch,
    training_matrix=_salary_training_matrix,
    categorical=tuple(SALARY_CATEGORICAL_FEATURES),
)
TIME_TO_HIRE = Kind(
    name=ModelVersion.Kind.TIME_TO_HIRE,
    metric=TIME_TO_HIRE_METRIC,
    load=TimeToHireModel.artifact_loads,
    train=_time_to_hire_train,
    rescore=_time_to_hire_rescore,
    card=time_to_hire_model_card,
    predict_batch=time_to_hire_predict_batch,
    training_matrix=lambda run: time_to_hire_training_matrix(run.split),
    categorical=tuple(TIME_TO_HIRE_CATEGORICAL),
)
INTERVIEW = Kind(
    name=ModelVersion.Kind.INTERVIEW,
    metric=INTERVIEW_METRIC,
    load=InterviewModel.artifact_loads,
    train=_interview_train,
    rescore=_interview_rescore,
    card=None,
    predict_batch=_interview_predict_batch,
    training_matrix=lambda run: interview_training_matrix(run.split),
)
KINDS: dict[str, Kind] = {kind.name: kind for kind in (SALARY, TIME_TO_HIRE, INTERVIEW)}
