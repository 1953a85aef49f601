from __future__ import annotations

from django.contrib.sessions.models import Session
from django.utils import timezone

from cvplus.celery import app
from tenants.tasks import TenantOnlyTask


@app.task(base=TenantOnlyTask, soft_time_limit=60)
def sessions_clear_expired() -> int:
    """Deletes expired sessions in the tenant the task was sent to (fanned out by tenants_dispatch)."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted
