"""Counts of each tenant's domain events per kind, category, hour and day, the users active each day and the day each
signed up (analytics/models.py), kept current from the events.

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

# One statement, one scan of the batch: the hourly and daily counts per kind and category, the users active each day,
# and the sign-up day of users who signed up or joined. The category is the payload's "key", or the stage an
# application entered; the summed value is the payload's numeric "value".
_COUNT_INTO_ROLLUPS = """
WITH batch AS MATERIALIZED (
    SELECT kind,
           CASE kind WHEN 'application.stage_changed' THEN COALESCE(payload->>'to', '')
                     WHEN 'application.created' THEN COALESCE(payload->>'stage', '')
                     ELSE LEFT(COALESCE(payload->>'key', ''), 40) END AS key,
           CASE WHEN jsonb_typeof(payload->'value') = 'number' THEN (payload->>'value')::float8 ELSE 0 END AS value,
           occurred_at AT TIME ZONE 'UTC' AS at_utc,
           actor_id
    FROM {events}
    WHERE txid >= %(low)s::text::xid8 AND txid < %(high)s::text::xid8
), hourly AS (
    INSERT INTO public.analytics_eventrollup AS r (tenant_id, kind, key, hour, count, total)
    SELECT %(tenant)s, kind, key, date_trunc('hour', at_utc) AT TIME ZONE 'UTC', COUNT(*), SUM(value)
    FROM batch GROUP BY 2, 3, 4
    ON CONFLICT (tenant_id, kind, key, hour) DO UPDATE
        SET count = r.count + EXCLUDED.count, total = r.total + EXCLUDED.total
    RETURNING 1
), daily AS (
    INSERT INTO public.analytics_dailyrollup AS r (tenant_id, kind, key, day, count, total)
    SELECT %(tenant)s, kind, key, at_utc::date, COUNT(*), SUM(value)
    FROM batch GROUP BY 2, 3, 4
    ON CONFLICT (tenant_id, kind, key, day) DO UPDATE
        SET count = r.count + EXCLUDED.count, total = r.total + EXCLUDED.total
    RETURNING 1
), active AS (
    INSERT INTO public.analytics_activeday (tenant_id, user_id, day)
    SELECT DISTINCT %(tenant)s, actor_id, at_utc::date FROM batch WHERE actor_id IS NOT NULL
    ON CONFLICT DO NOTHING
    RETURNING 1
), signups AS (
    INSERT INTO public.analytics_signupcohort AS r (tenant_id, user_id, day)
    SELECT %(tenant)s, actor_id, MIN(at_utc::date) FROM batch
    WHERE kind IN ('user.signed_up', 'member.joined') AND actor_id IS NOT NULL GROUP BY actor_id
    ON CONFLICT (tenant_id, user_id) DO UPDATE SET day = LEAST(r.day, EXCLUDED.day)
    RETURNING 1
)
SELECT (SELECT COUNT(*) FROM hourly) + (SELECT COUNT(*) FROM daily) + (SELECT COUNT(*) FROM active)
     + (SELECT COUNT(*) FROM signups)
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
        return cursor.fetchone()[0]


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
        for rows in (tenant.event_rollups, tenant.daily_rollups, tenant.active_days, tenant.signup_cohorts):
            rows.all().delete()
        high = _oldest_running()
        written = _count(tenant, 0, high)
        cursor.counted_below, cursor.advanced_at = high, timezone.now()
        cursor.save(update_fields=["counted_below", "advanced_at"])
    return written


def rollups_pending(tenant: Client) -> bool:
    """Whether the tenant has events written (committed or not) that the rollups have not counted yet."""
    counted_below = RollupCursor.objects.filter(tenant=tenant).values_list("counted_below", flat=True).first() or 0
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT EXISTS (SELECT 1 FROM {_events_table(tenant)} WHERE txid >= %s::text::xid8)",  # noqa: S608
            [counted_below],
        )
        return cursor.fetchone()[0]
