"""Celery entry points for analytics; thin wrappers around analytics/rollups.py and analytics/alerts/. The periodic
advance is fanned out per tenant by tenants.tasks.tenants_dispatch; the alerts' evaluation and the heartbeats run
once, in public (cvplus/settings/base.py)."""

from __future__ import annotations

from django.db import connection

from analytics.alerts.evaluation import FIRED, RESOLVED, SKIPPED, alerts_evaluate
from analytics.alerts.heartbeat import heartbeat_stamp, worker_heartbeat_name
from analytics.rollups import rollups_advance
from cvplus.celery import app
from tenants.tasks import TenantOnlyTask


@app.task(base=TenantOnlyTask, soft_time_limit=60)
def rollups_advance_task() -> int:
    """Counts this tenant's finished, uncounted events into the rollups."""
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
