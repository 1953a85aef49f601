"""Celery entry points for analytics; thin wrappers around analytics/rollups.py. The periodic advance is fanned out per
tenant by tenants.tasks.tenants_dispatch (cvplus/settings/base.py)."""

from __future__ import annotations

from django.db import connection

from analytics.rollups import rollups_advance
from cvplus.celery import app
from tenants.tasks import TenantOnlyTask


@app.task(base=TenantOnlyTask, soft_time_limit=60)
def rollups_advance_task() -> int:
    """Counts this tenant's finished, uncounted events into the rollups."""
    return rollups_advance(connection.tenant)
