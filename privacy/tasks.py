"""Celery entry points for privacy; thin wrappers around the services. Tenant jobs carry their schema
(tenant-schemas-celery); the periodic ones are fanned out per ready tenant by tenants.tasks.tenants_dispatch."""

from __future__ import annotations

from cvplus.celery import app
from privacy.erasure import account_erase, account_erasures_overdue
from privacy.retention import retention_apply
from privacy.tenant_erasure import tenant_erase, tenant_erasures_unfinished
from tenants.tasks import TenantOnlyTask


@app.task(base=TenantOnlyTask, soft_time_limit=600, time_limit=660, acks_late=True)
def account_erase_task(request_id: int) -> bool:
    return account_erase(request_id=request_id)


@app.task(base=TenantOnlyTask, soft_time_limit=1800, time_limit=1900)
def account_erasures_overdue_run() -> int:
    """Hourly: runs, here and now, every request the queue has not run within a few hours (a lost task)."""
    return sum(account_erase(request_id=request_id) for request_id in account_erasures_overdue())


@app.task(base=TenantOnlyTask, soft_time_limit=1800, time_limit=1900)
def retention_run() -> dict[str, int]:
    """Daily: applies the tenant's retention rules (privacy/retention.py)."""
    return retention_apply()


@app.task(soft_time_limit=600, time_limit=660, acks_late=True)
def tenant_erase_task(client_id: int) -> bool:
    """Runs in public: drops an erased tenant's schema and files (privacy/tenant_erasure.py)."""
    return tenant_erase(client_id=client_id)


@app.task(soft_time_limit=1800, time_limit=1900)
def tenant_erasures_overdue_run() -> int:
    """Hourly, in public: finishes any tenant erasure whose task was lost."""
    return sum(tenant_erase(client_id=client_id) for client_id in tenant_erasures_unfinished())
