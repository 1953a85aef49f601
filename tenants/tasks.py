"""Celery entry points for tenants. Thin: they call services."""

from __future__ import annotations

from celery import shared_task
from tenant_schemas_celery.task import TenantTask

from cvplus.celery import app
from tenants.context import ready_tenant_schemas, require_tenant_schema


class TenantOnlyTask(TenantTask):
    """Base for tasks that act on one tenant's data: refuses to run in the public schema (fails closed)."""

    abstract = True

    def __call__(self, *args, **kwargs):
        require_tenant_schema()
        return super().__call__(*args, **kwargs)


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
