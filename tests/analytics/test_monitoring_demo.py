# ruff: noqa: F811 - fixtures imported by name are redefined as test arguments
"""Where the monitor's references and the demo's predictions come from: a training saves the bins of the matrix its
model was fit on, the backfill recomputes them from the same data (and says when the data changed), and the demo
records, for each application, what the served models answered to its page's input as of the day it was sent.

Models and outcomes here are SIMULATED: these tests prove the plumbing, never accuracy."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from django.utils import timezone

from analytics.monitoring.demo import demo_predictions_record
from predictions import input_reference, training
from predictions.application_panel import salary_item
from predictions.drift import input_bins_build
from predictions.interview.odds import odds_result
from predictions.interview.shrinkage import OutcomeTallies, application_odds
from predictions.kinds import KINDS, TrainedRun
from predictions.models import ApplicationPrediction, ModelVersion, PredictionLog
from predictions.salary.serving import salary_predict
from predictions.time_to_hire.training import time_to_hire_training_matrix
from tests.analytics.monitoring_support import (  # noqa: F401 - fixtures
    monitored_salary,
    monitored_time_to_hire,
    salary_reference,
    salary_run,
    time_to_hire_run,
)
from tests.predictions.time_to_hire.test_time_to_hire import simulated_gsa_rows
from tests.tracking.conftest import owner  # noqa: F401 - fixture
from tests.tracking.factories import ApplicationFactory, JobPostingFactory
from tracking.models import Application, Stage

pytestmark = pytest.mark.django_db


def test_a_training_saves_the_bins_of_the_matrix_its_model_was_fit_on(cast, time_to_hire_run, monkeypatch) -> None:
    kind = replace(KINDS["time_to_hire"], train=lambda **_kwargs: TrainedRun(time_to_hire_run, 100))
    monkeypatch.setitem(training.KINDS, "time_to_hire", kind)

    summary = training.model_train("time_to_hire")

    version = ModelVersion.objects.get(pk=summary.version_id)
    expected = input_bins_build(
        time_to_hire_training_matrix(time_to_hire_run.split),
        time_to_hire_run.model.feature_names,
        categorical=kind.categorical,
    )
    assert version.input_bins == expected
    assert version.input_bins["rows"] == len(time_to_hire_run.split.train) * 4  # each row also without its optionals


def test_the_backfill_recomputes_the_bins_from_the_same_data_and_says_when_it_changed(
    cast, time_to_hire_run, monkeypatch
) -> None:
    run = time_to_hire_run
    version = ModelVersion.objects.create(
        kind="time_to_hire",
        version=1,
        artifact=run.model.artifact_dumps(),
        metrics=run.metrics,
        params=run.model.params,
        feature_names=run.model.feature_names,
        data_fingerprint=run.data_fingerprint,
    )
    at_training = input_bins_build(
        time_to_hire_training_matrix(run.split), run.model.feature_names, categorical=KINDS["time_to_hire"].categorical
    )
    monkeypatch.setattr(input_reference, "gsa_rows_load", simulated_gsa_rows)  # the data it was trained on

    rebuilt = input_reference.input_reference_backfill(version)

    assert rebuilt == at_training | {"backfilled": True, "exact": True}
    assert ModelVersion.objects.get(pk=version.pk).input_bins == rebuilt
    monkeypatch.setattr(input_reference, "gsa_rows_load", lambda: simulated_gsa_rows()[:-40])  # the data changed
    assert input_reference.input_reference_backfill(version)["exact"] is False


def _sent(owner, days_ago: int, *, screened_after_days: int | None = None) -> Application:
    sent = timezone.now() - timedelta(days=days_ago)
    posting = JobPostingFactory(owner=owner, title="Data Scientist", country="US", description="Python")
    stage = Stage.SCREENING if screened_after_days is not None else Stage.APPLIED
    application = ApplicationFactory(
        owner=owner, posting=posting, stage=stage, applied_at=sent, stage_changed_at=sent, channel="job_board"
    )
    Application.objects.filter(pk=application.pk).update(created_at=sent)
    if screened_after_days is not None:
        Application.objects.filter(pk=application.pk).update(screened_at=sent + timedelta(days=screened_after_days))
        application.events.create(to_stage=Stage.SCREENING, occurred_at=sent + timedelta(days=screened_after_days))
    return Application.objects.select_related("posting", "cv", "owner").get(pk=application.pk)


def test_the_demo_records_what_the_models_answered_as_of_each_sending(
    owner, monitored_salary, monitored_time_to_hire
) -> None:
    early = _sent(owner, 90, screened_after_days=7)  # its answer came long before the later one was sent
    later = _sent(owner, 20)

    counts = demo_predictions_record()

    assert counts == {"salary": 2, "time_to_hire": 2, "interview": 2}
    rows = {(row.application_id, row.kind): row for row in ApplicationPrediction.objects.all()}
    assert {row.source for row in rows.values()} == {"demo"}
    assert rows[(early.pk, "salary")].served_at == early.applied_at
    expected = salary_predict(**salary_item(user=owner, application=early, profile=None)[0])
    assert rows[(early.pk, "salary")].salary_p50_usd == expected["salary_p50_usd"]
    # The interview prior as it stood: nothing was known when the first was sent (the published rate for its
    # channel), and the first's yes was known when the second was.
    published = odds_result(
        application_odds(OutcomeTallies(), owner_id=owner.pk, channel="job_board"),
        channel="job_board",
        channel_sourced=True,
    )
    assert rows[(early.pk, "interview")].interview_probability == published["interview_probability"]
    assert rows[(later.pk, "interview")].interview_probability > rows[(early.pk, "interview")].interview_probability
    [salary_log] = PredictionLog.objects.filter(kind="salary", source="demo")
    assert salary_log.batch_size == 2
    assert sum(next(iter(salary_log.input_bins.values()))) == 2  # both answered by the model, both counted
    assert demo_predictions_record() == {}  # once only
