"""Celery entry points for analytics; thin wrappers around analytics/rollups.py and the model monitor
(analytics/monitoring). The periodic ones are fanned out per tenant by tenants.tasks.tenants_dispatch
(cvplus/settings/base.py)."""

from __future__ import annotations

from django.db import connection
from django_tenants.utils import schema_context

from analytics.monitoring.snapshot import monitor_snapshot_refresh
from analytics.rollups import rollups_advance
from cvplus.celery import app
from tenants.tasks import TenantOnlyTask


@app.task(base=TenantOnlyTask, soft_time_limit=60)
def rollups_advance_task() -> int:
    """Counts this tenant's finished, uncounted events into the rollups."""
    return rollups_advance(connection.tenant)


@app.task(base=TenantOnlyTask, soft_time_limit=240, time_limit=300)
def model_monitor_refresh_task() -> float:
    """Refreshes this tenant's model monitor snapshot; returns how long it took (ms)."""
    return monitor_snapshot_refresh().compute_ms


@app.task(soft_time_limit=1200, time_limit=1300)
def demo_predictions_record_task(schemas: list[str]) -> dict[str, dict[str, int]]:
    """The demo's recorded predictions in each named demo tenant (analytics/monitoring/demo.py), then its snapshot.
    On the training queue (settings: CELERY_TASK_ROUTES), behind the champions' trainings demo_setup queued first."""
    from analytics.monitoring.demo import demo_predictions_record
    from predictions.logbuffer import prediction_log_flush_for_reading

    recorded = {}
    for schema in schemas:
        with schema_context(schema):
            recorded[schema] = demo_predictions_record()
        prediction_log_flush_for_reading(schema=schema)  # the demo's batches, so the snapshot counts them now
        with schema_context(schema):
            monitor_snapshot_refresh()
    return recorded
