"""Page views (page.viewed events) written off the request path: a page view records no change, so the outbox rule
(an event in the transaction of its change) does not bind it, and the request pays one Redis round trip instead of an
INSERT and the DomainEvent receivers: a pipeline of the RPUSH to its tenant's pending list and the ``SET NX`` of the
rollups' kick flag (analytics/kick.py); only a view that set the flag hands the sending of an advance to the kick
thread, so a burst of views sends one. The advance of the tenant's rollups (analytics.tasks.rollups_advance_task;
beat's every 10 s too) clears the flag, writes the pending views into the tenant's events with ``page_views_flush``
and counts them: a view pushed after its claim finds the flag cleared and sends the next advance.

**Each view is written once**, whatever dies when. Under a per-tenant advisory lock the flush
1. claims the pending list: renames it to the tenant's *claimed* key and pushes a new batch id at its head, in one
   MULTI/EXEC (atomic: requests go on pushing to a fresh pending list);
2. writes the claimed views and records the batch id (analytics.PageViewBatch) in one transaction, unless that id is
   recorded already;
3. deletes the claimed key once that transaction has committed.
A flush killed before 2 commits leaves the claimed batch for the next one; killed between 2 and 3, the next finds
the batch recorded and only deletes it. A claimed batch is always finished before the next pending list is claimed.
The fixed claimed key spares the flush a scan of Redis's keys, since it runs on every advance.

**Privacy and tenancy.** An entry holds the page's category, the viewer's id and the time, never the URL. The schema
is in the key, taken from the request's connection; the flush writes a tenant's views into that tenant's schema,
named in full. A viewer no longer active when the flush runs (an erased account is a tombstone that is not) is
written as no one, as the erasure would have done to the row.

**Without the buffer** (no Redis, as in the inline run mode; Redis down; ANALYTICS_PAGE_VIEWS_BUFFERED off) the view
is inserted at once. When Redis took the RPUSH but its answer was lost, the view is inserted as well: it may then be
counted twice, never lost.
"""

from __future__ import annotations

import json
import logging
import uuid
from datetime import timedelta

import redis
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from analytics.kick import kick_flag_key, rollups_advance_send
from analytics.models import PageViewBatch
from analytics.tasks import KICK_TTL_S
from billing.redis_client import REDIS_ERRORS, redis_client, redis_down, redis_failed
from cvplus import batched_writes
from cvplus.kicks import kick_after_commit
from tenants.context import current_tenant
from tenants.models import Client
from tracking.events import domain_event_record
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


def _keys(schema: str) -> tuple[str, str]:
    namespace = f"{batched_writes.database_namespace(PREFIX)}{schema}:"
    return namespace + PENDING, namespace + CLAIMED


def page_view_record(*, page: str, actor_id: int) -> None:
    """Records that `actor_id` viewed `page` (its category) in the current tenant schema: buffered in Redis and
    written by an advance, or inserted now (module docstring). The caller has checked the schema."""
    schema = connection.schema_name
    entry = json.dumps({"at": timezone.now().isoformat(), "actor": actor_id, "key": page}, separators=(",", ":"))
    flag_set = _push(schema, entry)
    if flag_set is None:
        domain_event_record(
            kind=DomainEvent.Kind.PAGE_VIEWED, actor_id=actor_id, subject_id=None, payload={"key": page}
        )
    elif flag_set:  # no advance was on its way
        kick_after_commit(rollups_advance_send, schema)


def _push(schema: str, entry: str) -> bool | None:
    """The push and the flag in one round trip: whether this view set the flag, or None when it was not buffered."""
    client = redis_client() if settings.ANALYTICS_PAGE_VIEWS_BUFFERED else None
    if client is None or redis_down(client):
        return None
    try:
        with client.pipeline(transaction=False) as pipe:
            pipe.rpush(_keys(schema)[0], entry)
            pipe.set(kick_flag_key(), 1, nx=True, ex=KICK_TTL_S)
            _length, flag_set = pipe.execute()
    except REDIS_ERRORS as error:
        redis_failed(client, error)
        return None
    return bool(flag_set)


def page_views_flush(tenant: Client) -> int:
    """Writes `tenant`'s buffered page views into its events, each once; returns how many it wrote. Raises what Redis
    raises (the next advance tries again)."""
    client = redis_client()
    if client is None:
        return 0
    pending, claimed = _keys(tenant.schema_name)
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
