"""Counting an event within a second: after the transaction that wrote a domain event commits, the kick thread
(cvplus/kicks.py) makes sure an advance (analytics.tasks.rollups_advance_task) is on its way to that tenant.

The same flag scheme as the webhook outbox (portal/webhook_outbox.py): ``SET NX`` on a per-schema flag, one advance
sent only by the kick that set it, and the advance clears the flag before it reads. An event committed before the
clear is seen by that advance's read; one whose kick comes after the clear sets the flag again and sends another. A
lost advance holds the flag for ``KICK_TTL_S`` at most, and beat advances every tenant every 10 s whatever happens.
A page view buffered in Redis sets the flag in its push's pipeline and sends the advance from the kick thread only if
it set it (analytics/pageviews.py); the advance writes the views before it reads.
"""

from __future__ import annotations

import logging

from django.core.cache import cache
from django.db import connection
from django_tenants.utils import schema_context
from kombu.exceptions import OperationalError

from analytics.tasks import KICK_CACHE_KEY, KICK_TTL_S, rollups_advance_task
from billing.redis_client import REDIS_ERRORS
from cvplus.kicks import kick_after_commit

logger = logging.getLogger(__name__)


def rollups_kick(schema: str | None = None) -> None:
    """Once the current transaction commits, makes sure an advance of `schema`'s rollups (the connection's schema by
    default) is on its way. For events written without the ORM's signal (raw SQL, bulk inserts)."""
    kick_after_commit(_kick, schema or connection.schema_name)


def _kick(schema: str) -> None:
    with schema_context(schema):
        try:
            kicked = cache.add(KICK_CACHE_KEY, 1, KICK_TTL_S)
        except REDIS_ERRORS:
            logger.warning("Could not set the rollups' flag; beat counts the events within 10 s")
            return
    if kicked:
        rollups_advance_send(schema)


def kick_flag_key() -> str:
    """The current schema's flag as the cache names it in Redis, for a caller that sets it in a pipeline of its own
    (analytics/pageviews.py); ``cache.add`` and ``cache.delete`` of ``KICK_CACHE_KEY`` see the same key."""
    return cache.make_and_validate_key(KICK_CACHE_KEY)


def rollups_advance_send(schema: str) -> None:
    """Sends one advance of `schema`'s rollups; for the kick thread, once the caller has set the flag."""
    try:
        rollups_advance_task.apply_async(headers={"_schema_name": schema})
    except OperationalError:
        logger.warning("Could not send the rollups' advance to the broker; beat counts the events within 10 s")


def domain_event_saved(sender: type, instance: object, created: bool, raw: bool = False, **_: object) -> None:
    """post_save receiver for tracking.DomainEvent (analytics/apps.py)."""
    if created and not raw and connection.schema_name != "public":
        rollups_kick()
