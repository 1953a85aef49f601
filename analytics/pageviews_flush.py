"""Writing the page views buffered in Redis into their tenants' events, each once (the flush half of
analytics/pageviews.py, whose docstring tells how; called by the rollups' advance, analytics.tasks, and before an
export reads a person's events). Apart from the recording half so that the advance task does not import the kick."""

from __future__ import annotations

import json
import logging
import uuid
from datetime import timedelta

import redis
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from analytics.models import PageViewBatch
from billing.redis_client import REDIS_ERRORS, redis_client, redis_down, redis_failed
from cvplus import batched_writes
from tenants.context import current_tenant
from tenants.models import Client
from tracking.models import DomainEvent

logger = logging.getLogger(__name__)

PREFIX = "analytics:pageviews"
PENDING, CLAIMED = "pending", "claimed"
# The flush's advisory lock, with the tenant's id in its low 32 bits (the prediction log's is 0x43565044).
FLUSH_LOCK = 0x43565045
BATCHES_KEPT = timedelta(days=2)  # far longer than a flush can be interrupted

_WRITE_VIEWS = """
INSERT INTO {events} (kind, occurred_at, actor_id, subject_id, payload)
SELECT %(kind)s, view.at, viewer.id, NULL, jsonb_build_object('key', view.key)
FROM jsonb_to_recordset(%(views)s::jsonb) AS view(at timestamptz, actor bigint, key text)
LEFT JOIN {users} AS viewer ON viewer.id = view.actor AND viewer.is_active
ORDER BY view.at
"""


def page_view_keys(schema: str) -> tuple[str, str]:
    """The tenant's pending and claimed lists in Redis."""
    namespace = f"{batched_writes.database_namespace(PREFIX)}{schema}:"
    return namespace + PENDING, namespace + CLAIMED


def page_views_flush(tenant: Client) -> int:
    """Writes `tenant`'s buffered page views into its events, each once; returns how many it wrote. Raises what Redis
    raises (the next advance tries again)."""
    client = redis_client()
    if client is None:
        return 0
    pending, claimed = page_view_keys(tenant.schema_name)
    if tenant.erased_at is not None:
        client.delete(pending, claimed)
        return 0
    written = 0
    with batched_writes.advisory_lock((FLUSH_LOCK << 32) | tenant.pk):
        for _ in range(2):  # a batch a killed flush left claimed, then the pending views
            entries = client.lrange(claimed, 0, -1) or _claim(client, pending, claimed)
            if not entries:
                break
            with transaction.atomic():
                written += _batch_write(tenant, entries[0].decode(), [json.loads(entry) for entry in entries[1:]])
            client.delete(claimed)
    return written


def page_views_flush_for_reading() -> bool:
    """`page_views_flush` of the current tenant before its events are read (an export); False when Redis could not be
    reached (the views of the last seconds are then missing from what is read, rather than no answer)."""
    client = redis_client()
    if client is None or not settings.ANALYTICS_PAGE_VIEWS_BUFFERED:
        return True
    if redis_down(client):
        return False
    try:
        page_views_flush(current_tenant())
    except REDIS_ERRORS as error:
        redis_failed(client, error)
        return False
    return True


def _claim(client: redis.Redis, pending: str, claimed: str) -> list[bytes]:
    """Step 1; the caller holds the lock, so no other flush renames `pending` or touches `claimed` meanwhile."""
    if not client.exists(pending):
        return []
    with client.pipeline(transaction=True) as pipe:
        pipe.rename(pending, claimed)
        pipe.lpush(claimed, f"{timezone.now():%Y%m%d%H%M%S}-{uuid.uuid4().hex}")
        pipe.lrange(claimed, 0, -1)
        return pipe.execute()[-1]


def _batch_write(tenant: Client, batch: str, views: list[dict]) -> int:
    """Step 2, in the caller's transaction: the views and the batch's record, or nothing when it is recorded."""
    from accounts.models import User

    if PageViewBatch.objects.filter(tenant=tenant, batch=batch).exists():
        return 0
    quote = connection.ops.quote_name
    schema = quote(tenant.schema_name)
    with connection.cursor() as cursor:
        cursor.execute(
            _WRITE_VIEWS.format(  # noqa: S608 - a quoted schema name and model tables
                events=f"{schema}.{quote(DomainEvent._meta.db_table)}", users=f"{schema}.{quote(User._meta.db_table)}"
            ),
            {"kind": DomainEvent.Kind.PAGE_VIEWED, "views": json.dumps(views)},
        )
    now = timezone.now()
    PageViewBatch.objects.create(tenant=tenant, batch=batch, rows=len(views), applied_at=now)
    PageViewBatch.objects.filter(applied_at__lt=now - BATCHES_KEPT).delete()
    return len(views)
