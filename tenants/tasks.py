"""Celery entry points for tenants. Thin: they call services."""

from __future__ import annotations

import logging

from celery import Task, shared_task
from django.db import connection, transaction
from kombu.exceptions import OperationalError
from tenant_schemas_celery.task import TenantTask

from cvplus.celery import app
from tenants.context import ready_tenant_schemas, require_tenant_schema

logger = logging.getLogger(__name__)


class TenantOnlyTask(TenantTask):
    """Base for tasks that act on one tenant's data: refuses to run in the public schema (fails closed)."""

    abstract = True

    def __call__(self, *args, **kwargs):
        require_tenant_schema()
        return super().__call__(*args, **kwargs)


def enqueue_on_commit(task: Task, *args: object) -> None:
    """Sends ``task(*args)`` once the current transaction commits, into the current tenant's schema (named now, not
    when the transaction ends). A broker that cannot be reached is logged, not raised: the caller's rows are already
    committed, and whatever waits for the work sends it again when it looks (e.g. tracking.cv.services.cv_reading_check,
    tracking.io.queueing.import_job_check)."""
    schema = connection.schema_name

    def send() -> None:
        try:
            task.apply_async(args=args, headers={"_schema_name": schema})
        except OperationalError:
            logger.warning("Could not send %s%r to the broker; it is sent again when polled", task.name, args)

    transaction.on_commit(send)


@app.task(bind=True, soft_time_limit=120, time_limit=180, acks_late=True)
def tenant_provision_task(self, client_id: int) -> str:
    from tenants.provisioning import tenant_provision

    return tenant_provision(client_id=client_id).schema_name


@shared_task(soft_time_limit=30)
def tenants_dispatch(task_name: str) -> list[str]:
    """The one periodic dispatcher: sends ``task_name`` once into each ready tenant's schema.

    Runs in public. Each sent task carries its tenant in its headers (tenant-schemas-celery reads ``_schema_name``).
    """
    task = app.tasks[task_name]
    schemas = ready_tenant_schemas()
    for schema in schemas:
        task.apply_async(headers={"_schema_name": schema})
    return schemas
