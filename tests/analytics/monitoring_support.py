"""What the model monitor tests share: SIMULATED salary and time-to-hire champions saved with the bins of their
training inputs, as `manage.py train` saves them (their numbers prove the plumbing, never accuracy). Import the
fixtures into a test module by name."""

from __future__ import annotations

import pytest

from predictions.drift import input_bins_build
from predictions.kinds import KINDS
from predictions.models import ModelVersion
from predictions.registry import model_promote, model_save
from predictions.salary.training import salary_training_matrix
from predictions.time_to_hire.training import time_to_hire_train, time_to_hire_training_matrix
from tests.predictions.serving_support import salary_reference, salary_run, serving_reference  # noqa: F401
from tests.predictions.time_to_hire.test_time_to_hire import BUDGET, simulated_gsa_rows


def _promoted(run, kind: str, *, input_bins: dict, mae: float) -> ModelVersion:
    metrics = dict(run.metrics)
    metrics["test"] = dict(metrics.get("test") or {}, **{KINDS[kind].metric: mae})
    version = model_save(
        kind=kind,
        artifact=run.model.artifact_dumps(),
        metrics=metrics,
        params=run.model.params,
        feature_names=run.model.feature_names,
        data_fingerprint=run.data_fingerprint,
        training_seconds=run.training_seconds,
        input_bins=input_bins,
    )
    assert model_promote(candidate=version, metric=KINDS[kind].metric).promoted
    return version


@pytest.fixture
def monitored_salary(cast, salary_run, salary_reference) -> ModelVersion:  # noqa: F811
    x = salary_training_matrix(salary_run, reference=serving_reference())
    bins = input_bins_build(x, salary_run.model.feature_names, categorical=KINDS["salary"].categorical)
    return _promoted(salary_run, "salary", input_bins=bins, mae=10_000)


@pytest.fixture(scope="module")
def time_to_hire_run():
    return time_to_hire_train(simulated_gsa_rows(), seed=5, **BUDGET)


@pytest.fixture
def monitored_time_to_hire(cast, time_to_hire_run, salary_reference) -> ModelVersion:  # noqa: F811
    x = time_to_hire_training_matrix(time_to_hire_run.split)
    bins = input_bins_build(x, time_to_hire_run.model.feature_names, categorical=KINDS["time_to_hire"].categorical)
    return _promoted(time_to_hire_run, "time_to_hire", input_bins=bins, mae=20)
