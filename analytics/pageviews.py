"""Page views (page.viewed events) written off the request path: a page view records no change, so the outbox rule
(an event in the transaction of its change) does not bind it, and the request pays one Redis round trip instead of an
INSERT and the DomainEvent receivers: a pipeline of the RPUSH to its tenant's pending list and the ``SET NX`` of the
rollups' kick flag (analytics/kick.py); only a view that set the flag hands the sending of an advance to the kick
thread, so a burst of views sends one. The advance of the tenant's rollups (analytics.tasks.rollups_advance_task;
beat's every 10 s too) clears the flag, writes the pending views into the tenant's events with ``page_views_flush``
(analytics/pageviews_flush.py) and counts them: a view pushed after its claim finds the flag cleared and sends the
next advance.

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

from django.conf import settings
from django.db import connection
from django.utils import timezone

from analytics.kick import kick_flag_key, rollups_advance_send
from analytics.pageviews_flush import page_view_keys
from analytics.tasks import KICK_TTL_S
from billing.redis_client import REDIS_ERRORS, redis_client, redis_down, redis_failed
from cvplus.kicks import kick_after_commit
from tracking.events import domain_event_record
from tracking.models import DomainEvent

logger = logging.getLogger(__name__)


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
            pipe.rpush(page_view_keys(schema)[0], entry)
            pipe.set(kick_flag_key(), 1, nx=True, ex=KICK_TTL_S)
            _length, flag_set = pipe.execute()
    except REDIS_ERRORS as error:
        redis_failed(client, error)
        return None
    return bool(flag_set)
