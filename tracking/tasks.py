"""Celery entry points for tracking; thin wrappers around tracking.reminders, tracking.cv.reading and
tracking.io.jobs. Periodic ones are fanned out per tenant by tenants.tasks.tenants_dispatch; the others are sent with
:func:`tenants.tasks.enqueue_on_commit`."""

from __future__ import annotations

import logging

from django.db import connection

from cvplus.celery import app
from tenants.tasks import TenantOnlyTask
from tracking import deletion, reminders
from tracking.cv import reading
from tracking.io import jobs

logger = logging.getLogger(__name__)

CV_READ_SOFT_LIMIT_S, CV_READ_HARD_LIMIT_S = reading.task_time_limits()


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


@app.task(base=TenantOnlyTask, soft_time_limit=120)
def deleted_purge() -> dict[str, int]:
    """Deletes for good the postings and applications whose undo window has passed."""
    return deletion.deleted_purge()


@app.task(base=TenantOnlyTask, soft_time_limit=CV_READ_SOFT_LIMIT_S, time_limit=CV_READ_HARD_LIMIT_S, acks_late=True)
def cv_read_task(cv_id: int) -> str | None:
    """Reads one stored CV version within the read budget; a no-op unless it is still reading and unclaimed."""
    return reading.cv_read(cv_id=cv_id)


@app.task(
    base=TenantOnlyTask,
    soft_time_limit=jobs.TASK_SOFT_LIMIT_S,
    time_limit=jobs.TASK_HARD_LIMIT_S,
    acks_late=True,
)
def import_job_run(job_id: int) -> str:
    """Imports a confirmed CSV import's rows in batches for one time slice, then sends itself again to go on."""
    state = jobs.import_job_work(job_id=job_id)
    if state == jobs.MORE_TO_DO:
        import_job_run.apply_async(args=[job_id], headers={"_schema_name": connection.schema_name})
    return state
