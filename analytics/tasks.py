"""Celery entry points for analytics; thin wrappers around analytics/rollups.py. The periodic advance is fanned out per
tenant by tenants.tasks.tenants_dispatch (cvplus/settings/base.py); analytics/kick.py sends one after each commit that
wrote an event."""

from __future__ import annotations

import logging

from django.core.cache import cache
from django.db import connection

from analytics.rollups import rollups_advance, rollups_pending
from billing.redis_client import REDIS_ERRORS
from cvplus.celery import app
from tenants.tasks import TenantOnlyTask

logger = logging.getLogger(__name__)

KICK_CACHE_KEY = "analytics:rollups-kick"  # set by analytics/kick.py, cleared by the advance before it reads
KICK_TTL_S = 5

# An event whose transaction finished while an older one was still running is not counted by the advance that
# follows it (analytics/rollups.py); the advance looks again shortly, a few times, and then leaves it to beat.
RETRY_DELAYS_S = (0.1, 0.2, 0.4, 0.8, 1.6)


def kick_clear() -> None:
    try:
        cache.delete(KICK_CACHE_KEY)
    except REDIS_ERRORS:
        logger.warning("Could not clear the rollups' flag; it expires in %s s", KICK_TTL_S)


@app.task(base=TenantOnlyTask, soft_time_limit=60)
def rollups_advance_task(attempt: int = 0) -> int:
    """Counts this tenant's finished, uncounted events into the rollups."""
    kick_clear()
    written = rollups_advance(connection.tenant)
    if attempt < len(RETRY_DELAYS_S) and rollups_pending(connection.tenant):
        rollups_advance_task.apply_async(
            args=(attempt + 1,), countdown=RETRY_DELAYS_S[attempt], headers={"_schema_name": connection.schema_name}
        )
    return written
