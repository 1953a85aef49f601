"""Celery entry points for tracking; thin wrappers around tracking.reminders. Fanned out per tenant by
tenants.tasks.tenants_dispatch."""

from __future__ import annotations

from cvplus.celery import app
from tenants.tasks import TenantOnlyTask
from tracking import reminders


@app.task(base=TenantOnlyTask, soft_time_limit=60)
def reminders_due_dispatch() -> int:
    """Queues one send per due reminder in this tenant."""
    due = reminders.reminders_due_ids()
    for reminder_id in due:
        reminder_send.delay(reminder_id)
    return len(due)


@app.task(base=TenantOnlyTask, soft_time_limit=30, acks_late=True)
def reminder_send(reminder_id: int) -> bool:
    """Sends one reminder once: bails out unless this call wins the claim."""
    if not reminders.reminder_claim(reminder_id=reminder_id):
        return False
    return reminders.reminder_deliver(reminder_id=reminder_id)


@app.task(base=TenantOnlyTask, soft_time_limit=120)
def applications_flag_likely_ghosted() -> int:
    return reminders.applications_flag_likely_ghosted()
