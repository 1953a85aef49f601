from __future__ import annotations

from accounts.lockout import attempts_expired_delete
from accounts.services import sessions_expired_delete
from cvplus.celery import app
from tenants.tasks import TenantOnlyTask


@app.task(base=TenantOnlyTask, soft_time_limit=60)
def sessions_clear_expired() -> int:
    """Deletes expired sessions in the tenant the task was sent to (fanned out by tenants_dispatch)."""
    return sessions_expired_delete()


@app.task(soft_time_limit=60)
def sign_in_attempts_expire() -> int:
    """Hourly, in public: forgets failed sign-in attempts whose lockout window has passed."""
    return attempts_expired_delete()
