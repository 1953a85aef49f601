from __future__ import annotations

from accounts.services import sessions_expired_delete
from cvplus.celery import app
from tenants.tasks import TenantOnlyTask


@app.task(base=TenantOnlyTask, soft_time_limit=60)
def sessions_clear_expired() -> int:
    """Deletes expired sessions in the tenant the task was sent to (fanned out by tenants_dispatch)."""
    return sessions_expired_delete()
