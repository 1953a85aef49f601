"""The training path shared by `manage.py train` and the Celery task, on the real Redis broker and a real worker.

Every survey row here is SIMULATED (tests/predictions/salary/test_salary.py's seeded generator, 300 rows): these tests
prove the plumbing, and their numbers are never accuracy.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django_tenants.utils import schema_context

from cvplus.celery import app
from predictions import kinds
from predictions import reference as reference_module
from predictions.errors import TrainingRequestInvalid
from predictions.models import ModelVersion
from predictions.registry import model_cache_clear
from predictions.salary import data as salary_data
from predictions.salary.training import backtest_build
from predictions.tasks import model_train_enqueue, model_train_task
from predictions.training import model_train
from tenants.context import NotInTenantSchema
from tests.conftest import wait_until
from tests.predictions.salary.test_salary import simulated_reference, simulated_rows

TRAINING_QUEUE = settings.CELERY_TASK_ROUTES["predictions.tasks.*"]["queue"]


@pytest.fixture
def simulated_surveys(monkeypatch) -> Iterator[list[salary_data.SurveyRow]]:
    """SIMULATED survey rows and reference served in place of the database's (the worker thread sees them too)."""
    rows = simulated_rows(n=300, seed=11)
    monkeypatch.setattr(kinds, "survey_rows_load", lambda: rows)  # the name the kinds table calls
    monkeypatch.setattr(reference_module, "_cached", simulated_reference())
    model_cache_clear()
    yield rows
    model_cache_clear()


@pytest.fixture
def training_worker(celery_worker) -> object:
    """The real worker, also consuming the training queue (it starts on the default queue only)."""
    # A broadcast reply can take long on a loaded machine (the newcomer check trains the demo's models beside the
    # tests): ask again rather than fail the setup, with a generous bound overall.
    for _attempt in range(4):
        replies = app.control.add_consumer(TRAINING_QUEUE, destination=[celery_worker.hostname], reply=True, timeout=15)
        if replies:
            return celery_worker
    raise AssertionError("the worker did not answer add_consumer")


@pytest.fixture
def task_log() -> Iterator[list[str]]:
    messages: list[str] = []
    handler = logging.Handler(level=logging.INFO)
    handler.emit = lambda record: messages.append(record.getMessage())  # type: ignore[method-assign]
    task_logger = logging.getLogger("predictions.tasks")
    level = task_logger.level
    task_logger.addHandler(handler)
    task_logger.setLevel(logging.INFO)
    yield messages
    task_logger.removeHandler(handler)
    task_logger.setLevel(level)


def test_it_routes_model_training_to_the_training_queue() -> None:
    route = app.amqp.router.route({}, model_train_task.name)
    assert route["queue"].name == TRAINING_QUEUE == f"{settings.TEST_QUEUE_PREFIX}-training"


def test_it_trains_and_promotes_a_salary_model_on_a_real_worker(
    cast, training_worker, simulated_surveys, task_log
) -> None:
    backtest = backtest_build(simulated_surveys)
    try:
        with schema_context("alpha"):  # sent from a tenant's request: a global model still trains in public
            model_train_enqueue("salary", promote=True)

        def champion_saved() -> bool:
            return ModelVersion.objects.filter(kind="salary", status=ModelVersion.Status.CHAMPION).exists()

        assert wait_until(champion_saved, timeout_s=240), f"no champion; task log: {task_log}"
        version = ModelVersion.objects.get(kind="salary")
        assert (version.scope, version.scope_key, version.version) == ("global", "", 1)
        # The champion is refit on every deduplicated row, through the newest survey year.
        assert version.data_fingerprint == salary_data.data_fingerprint(backtest.rows)
        assert version.params["training_years"][-1] == max(r.work_year for r in simulated_surveys)
        assert version.metrics["split"] == backtest.counts()
        assert version.params["num_threads"] == 1
        assert f"salary: {len(simulated_surveys):,} survey rows" in task_log
        assert "promotion: promoted (no champion before)" in task_log
        with schema_context("alpha"):
            assert not ModelVersion.objects.exists()  # nothing landed in the tenant's schema
    finally:
        connection.set_schema_to_public()
        ModelVersion.objects.filter(kind="salary").delete()


@pytest.mark.django_db
def test_it_trains_through_the_command_then_refuses_an_identical_rerun_as_not_better(simulated_surveys) -> None:
    out = io.StringIO()
    call_command("train", "salary", "--promote", stdout=out)
    first = ModelVersion.objects.get(kind="salary")
    assert first.status == ModelVersion.Status.CHAMPION
    assert "promotion: promoted (no champion before)" in out.getvalue()

    progress: list[str] = []
    summary = model_train("salary", promote=True, progress=progress.append)
    second = ModelVersion.objects.get(pk=summary.version_id)
    assert (summary.version, summary.promoted) == (2, False)
    assert "does not beat champion v1" in summary.promotion_reason
    assert summary.test_metrics["mae_usd"] == first.metrics["test"]["mae_usd"]  # same seed, same rows, same model
    assert (ModelVersion.objects.get(pk=first.pk).status, second.status) == ("champion", "candidate")
    assert summary.model_card.startswith("# Model card: salary range")
    assert summary.as_dict()["version_id"] == second.pk
    assert "model_card" not in summary.as_dict()
    assert any(line.startswith("promotion: refused") for line in progress)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("request_kwargs", "field"),
    [
        ({"kind": "salry"}, "kind:"),
        ({"kind": "salary", "scope": "planet"}, "scope:"),
        ({"kind": "interview", "scope": "tenant"}, "tenant_schema:"),
        ({"kind": "salary", "scope": "tenant", "tenant_schema": "alpha"}, "scope:"),
    ],
)
def test_it_rejects_a_bad_request_naming_the_field_and_enqueues_nothing(
    request_kwargs, field, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(TrainingRequestInvalid, match=field):
        model_train_enqueue(**request_kwargs)
    assert callbacks == []


@pytest.mark.django_db
def test_it_refuses_a_tenant_model_in_the_public_schema_before_training() -> None:
    with pytest.raises(NotInTenantSchema):
        model_train("interview", scope="tenant")
    assert not ModelVersion.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_tenant_task_for_a_tenant_that_does_not_exist(cast) -> None:
    with pytest.raises(ValueError, match="tenant_schema: 'nowhere' is not a ready tenant"):
        model_train_task.apply(args=["interview"], kwargs={"scope": "tenant", "tenant_schema": "nowhere"}, throw=True)
