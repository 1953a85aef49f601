"""Celery entry points for analytics; thin wrappers around analytics/rollups.py and analytics/alerts/. The periodic
advance is fanned out per tenant by tenants.tasks.tenants_dispatch (cvplus/settings/base.py); analytics/kick.py sends
one after each commit that wrote an event. The alerts' evaluation and the training queue's heartbeat run once, in
public; the model monitor's snapshot (analytics/monitoring) is refreshed per tenant."""

from __future__ import annotations

import logging

from django.core.cache import cache
from django.db import connection
from django_tenants.utils import schema_context

from analytics.alerts.evaluation import FIRED, RESOLVED, SKIPPED, alerts_evaluate
from analytics.alerts.heartbeat import heartbeat_stamp, worker_heartbeat_name
from analytics.monitoring.snapshot import monitor_snapshot_refresh
from analytics.rollups import rollups_advance
from billing.redis_client import REDIS_ERRORS
from cvplus.celery import app
from tenants.tasks import TenantOnlyTask

logger = logging.getLogger(__name__)

KICK_CACHE_KEY = "analytics:rollups-kick"  # set by analytics/kick.py, cleared by the advance before it reads
KICK_TTL_S = 5


def kick_clear() -> None:
    try:
        cache.delete(KICK_CACHE_KEY)
    except REDIS_ERRORS:
        logger.warning("Could not clear the rollups' flag; it expires in %s s", KICK_TTL_S)


@app.task(base=TenantOnlyTask, soft_time_limit=60)
def rollups_advance_task() -> int:
    """Writes this tenant's buffered page views into its events, then counts its committed, uncounted events into the
    rollups. Sent again by the kick of any event committed after the flag is cleared here (analytics/kick.py), and
    the advance counts every event committed before its snapshot, whatever is still running: nothing waits for a
    retry. (It once retried from 0.1 s to 6.4 s when held back by an older transaction, and under load its own retries
    kept the worker busy.)"""
    from analytics.pageviews_flush import page_views_flush

    kick_clear()
    try:
        page_views_flush(connection.tenant)
    except REDIS_ERRORS:
        logger.warning("Could not write the buffered page views; the next advance tries again")
    return rollups_advance(connection.tenant)


@app.task(soft_time_limit=25, time_limit=30)
def alerts_evaluate_task() -> dict[str, int]:
    """Evaluates every alert rule and sends the e-mails of what fired or resolved (beat, every 30 s, in public)."""
    summary = alerts_evaluate()
    return {outcome: summary.count(outcome) for outcome in (FIRED, RESOLVED, SKIPPED)} | {"notified": summary.notified}


@app.task(soft_time_limit=10)
def heartbeat_task(queue: str) -> None:
    """Stamps the heartbeat of ``queue``'s workers; beat sends it to that queue (cvplus/settings/base.py)."""
    heartbeat_stamp(worker_heartbeat_name(queue))


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
