"""Counts of each tenant's domain events per kind and hour (analytics.EventRollup), kept current from the events.

The events (tracking.DomainEvent, in each tenant's schema) are written in the transaction of the change they record:
the outbox. ``rollups_advance`` counts, in one transaction, the events whose writing transaction is below the oldest
transaction still running (``pg_snapshot_xmin``): all of those have finished, so none can still appear, and none is
counted twice because the cursor moves in the same transaction as the counts. A worker killed mid-batch leaves both
as they were. Ids would not do: an id is taken at the insert, and a transaction that took a lower id may commit after
one that took a higher id has been counted.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.utils import timezone

from analytics.models import RollupCursor
from tenants.models import Client

_COUNT_INTO_ROLLUPS = """
INSERT INTO public.analytics_eventrollup (tenant_id, kind, hour, count)
SELECT %(tenant)s, kind, date_trunc('hour', occurred_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', COUNT(*)
FROM {events}
WHERE txid >= %(low)s::text::xid8 AND txid < %(high)s::text::xid8
GROUP BY 2, 3
ON CONFLICT (tenant_id, kind, hour) DO UPDATE SET count = public.analytics_eventrollup.count + EXCLUDED.count
"""


def _events_table(tenant: Client) -> str:
    return f"{connection.ops.quote_name(tenant.schema_name)}.tracking_domainevent"


def _oldest_running() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")
        return cursor.fetchone()[0]


def _cursor_locked(tenant: Client) -> RollupCursor:
    RollupCursor.objects.get_or_create(tenant=tenant)
    return RollupCursor.objects.select_for_update().get(tenant=tenant)


def _count(tenant: Client, low: int, high: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            _COUNT_INTO_ROLLUPS.format(events=_events_table(tenant)),  # noqa: S608 - a quoted schema name
            {"tenant": tenant.pk, "low": low, "high": high},
        )
        return cursor.rowcount


def rollups_advance(tenant: Client) -> int:
    """Counts the tenant's events not counted yet whose transactions have finished; returns how many rollup rows it
    wrote. Concurrent calls for one tenant wait for each other (the cursor's row lock)."""
    with transaction.atomic():
        cursor = _cursor_locked(tenant)
        high = _oldest_running()
        if high <= cursor.counted_below:
            return 0
        written = _count(tenant, cursor.counted_below, high)
        cursor.counted_below, cursor.advanced_at = high, timezone.now()
        cursor.save(update_fields=["counted_below", "advanced_at"])
    return written


def rollups_rebuild(tenant: Client) -> int:
    """Recounts the tenant's rollups from all of its events (a command for staff, and what the tests compare with)."""
    with transaction.atomic():
        cursor = _cursor_locked(tenant)
        tenant.event_rollups.all().delete()
        high = _oldest_running()
        written = _count(tenant, 0, high)
        cursor.counted_below, cursor.advanced_at = high, timezone.now()
        cursor.save(update_fields=["counted_below", "advanced_at"])
    return written
