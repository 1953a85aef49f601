"""Celery entry points for predictions, routed to the `training` queue (settings: CELERY_TASK_ROUTES) so that a long
training job never delays a reminder. Thin: they call predictions.training, the path `manage.py train` uses too."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from celery.utils.log import get_task_logger
from django.db import transaction
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_context

from cvplus.celery import app
from predictions.models import ModelVersion
from tenants.tasks import TenantOnlyTask

logger = get_task_logger(__name__)
TRAINING_SOFT_TIME_LIMIT_S = 1800
TRAINING_TIME_LIMIT_S = 1900
# Task names are written out: beat's schedule and messages already queued name them, so they must not follow a move.


@app.task(
    name="predictions.tasks.model_train_task",
    bind=True,
    soft_time_limit=TRAINING_SOFT_TIME_LIMIT_S,
    time_limit=TRAINING_TIME_LIMIT_S,
    acks_late=True,
)
def model_train_task(
    self,
    kind: str,
    *,
    promote: bool = False,
    scope: str = ModelVersion.Scope.GLOBAL,
    tenant_schema: str | None = None,
) -> dict[str, Any]:
    """Trains one model and returns its TrainingSummary as a dict; progress lines go to this task's logger.

    A global model runs in the public schema; a tenant model runs inside `tenant_schema` and is saved there, next to
    the outcomes it learns from. The tenant must exist and be ready (fails closed otherwise).
    """
    from predictions.training import model_train, training_request_check
    from tenants.models import Client

    training_request_check(kind=kind, scope=scope, tenant_schema=tenant_schema)
    if scope == ModelVersion.Scope.TENANT:
        with schema_context(get_public_schema_name()):
            ready = Client.objects.filter(schema_name=tenant_schema, is_ready=True).exists()
        if not ready:
            raise ValueError(f"tenant_schema: {tenant_schema!r} is not a ready tenant")
        schema = tenant_schema
    else:
        schema = get_public_schema_name()
    logger.info("training %s (%s scope, schema %s, promote=%s)", kind, scope, schema, promote)
    with schema_context(schema):
        summary = model_train(kind, promote=promote, scope=scope, progress=logger.info)
    return summary.as_dict()


def model_train_enqueue(
    kind: str,
    *,
    promote: bool = False,
    scope: str = ModelVersion.Scope.GLOBAL,
    tenant_schema: str | None = None,
) -> None:
    """Validates the request now (so a bad one fails in the caller, naming the field) and sends the task to the
    training queue once the caller's transaction commits, tagged with the schema it runs in."""
    from predictions.training import training_request_check

    training_request_check(kind=kind, scope=scope, tenant_schema=tenant_schema)
    schema = tenant_schema if scope == ModelVersion.Scope.TENANT else get_public_schema_name()
    transaction.on_commit(
        lambda: model_train_task.apply_async(
            args=[kind],
            kwargs={"promote": promote, "scope": scope, "tenant_schema": tenant_schema},
            headers={"_schema_name": schema},
        )
    )


def champions_ensure(kinds: tuple[str, ...] = (ModelVersion.Kind.SALARY, ModelVersion.Kind.TIME_TO_HIRE)) -> list[str]:
    """Queues a training (with promotion) of every global model in `kinds` that has no champion yet, and returns the
    kinds queued. `make run` calls it through demo_setup so a fresh machine gets real models without blocking the web
    server: the worker trains them on the training queue (inline, and so before returning, without Redis). Interview
    is not here: it learns from tracked outcomes only, and without enough of them serves its documented prior."""
    from predictions.kinds import KINDS
    from predictions.registry import champion_get

    # No guard against queuing twice (say `make run` stopped and started again before the worker trained): a guard
    # that outlives a killed worker would leave a fresh machine without models, while a second training of the same
    # data is only refused at promotion (it does not beat an equal champion).
    missing = [kind for kind in kinds if champion_get(kind, load=KINDS[kind].load) is None]
    for kind in missing:
        model_train_enqueue(kind, promote=True)
    return missing


TENANT_RETRAIN_AFTER = timedelta(days=7)


@app.task(
    name="predictions.tasks.tenant_models_refresh",
    base=TenantOnlyTask,
    soft_time_limit=TRAINING_SOFT_TIME_LIMIT_S,
    time_limit=TRAINING_TIME_LIMIT_S,
    acks_late=True,
)
def tenant_models_refresh() -> dict[str, str]:
    """In one tenant (dispatched daily into each by beat): trains the tenant's own interview and time-to-hire models
    once it holds enough of its own outcomes, and again when its newest version is a week old, promoting a version
    only if it beats the tenant's champion on the same held-out rows. Below the minimum nothing is trained and
    serving keeps the documented prior (interview) or the GSA model (time to hire)."""
    from predictions.errors import TrainingDataMissing
    from predictions.training import model_train

    results: dict[str, str] = {}
    for kind in (ModelVersion.Kind.INTERVIEW, ModelVersion.Kind.TIME_TO_HIRE):
        latest = ModelVersion.objects.filter(kind=kind, scope=ModelVersion.Scope.TENANT).order_by("-trained_at").first()
        if latest is not None and latest.trained_at > timezone.now() - TENANT_RETRAIN_AFTER:
            results[kind] = f"v{latest.version} is recent"
            continue
        try:
            summary = model_train(kind, promote=True, scope=ModelVersion.Scope.TENANT, progress=logger.info)
        except TrainingDataMissing as error:
            logger.info("%s: not trained: %s", kind, error)
            results[kind] = "not enough data"
            continue
        results[kind] = f"v{summary.version} {'promoted' if summary.promoted else 'kept the champion'}"
    return results


@app.task(soft_time_limit=60)
def prediction_log_flush_task() -> int:
    """Writes the prediction log rows buffered in Redis into their tenants' schemas (predictions/logbuffer.py);
    returns the rows written. On the default queue (settings: CELERY_TASK_ROUTES)."""
    from predictions.logbuffer import prediction_log_flush

    return prediction_log_flush()
