"""Counts of each tenant's domain events per kind, category, hour and day, the users active each day and the day each
signed up (analytics/models.py), kept current from the events.

The events (tracking.DomainEvent, in each tenant's schema) are written in the transaction of the change they record:
the outbox. Ids cannot say what is counted: an id is taken at the insert, and a transaction that took a lower id may
commit after one that took a higher id has been counted. So ``rollups_advance`` counts, in one transaction, every
committed event not counted yet, and says which are counted by transaction ids: the cursor moves to the oldest
transaction still running (``pg_snapshot_xmin``), below which every transaction has finished, and the events counted
from transactions above it (committed while an older one still ran) are listed in CountedAhead until the cursor passes
them. The oldest running transaction is the whole cluster's, so a long one anywhere (a backup, a report) would hold a
plain cursor back and stop the dashboards; with the list, it delays nothing. The counts, the cursor and the list change
in the same transaction: a worker killed mid-batch leaves all three as they were, and nothing is counted twice.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.utils import timezone

from analytics.models import RollupCursor
from tenants.models import Client

# One statement, one scan of the batch: every visible event from the cursor on that is not counted ahead already
# (those of transactions at or above the new cursor are listed as counted ahead). From it: the hourly and daily counts
# per kind and category, the users active each day, and the sign-up day of users who signed up or joined. The category
# is the payload's "key", or the stage an application entered; the summed value is the payload's numeric "value".
_COUNT_INTO_ROLLUPS = """
WITH batch AS MATERIALIZED (
    SELECT e.id, e.txid::text::bigint AS txid, kind,
           CASE kind WHEN 'application.stage_changed' THEN COALESCE(payload->>'to', '')
                     WHEN 'application.created' THEN COALESCE(payload->>'stage', '')
                     ELSE LEFT(COALESCE(payload->>'key', ''), 40) END AS key,
           CASE WHEN jsonb_typeof(payload->'value') = 'number' THEN (payload->>'value')::float8 ELSE 0 END AS value,
           occurred_at AT TIME ZONE 'UTC' AS at_utc,
           actor_id
    FROM {events} e
    WHERE e.txid >= %(low)s::text::xid8
      AND NOT EXISTS (SELECT 1 FROM public.analytics_countedahead a
                      WHERE a.cursor_id = %(cursor)s AND a.event_id = e.id)
), ahead AS (
    INSERT INTO public.analytics_countedahead (cursor_id, event_id, txid)
    SELECT %(cursor)s, id, txid FROM batch WHERE txid >= %(high)s
    RETURNING 1
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
     + (SELECT COUNT(*) FROM signups) + 0 * (SELECT COUNT(*) FROM ahead)
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


def _count(tenant: Client, rollup_cursor: RollupCursor, high: int) -> int:
    """Counts what is not counted yet and moves the cursor to ``high`` (the caller holds its row lock)."""
    with connection.cursor() as cursor:
        cursor.execute(
            _COUNT_INTO_ROLLUPS.format(events=_events_table(tenant)),  # noqa: S608 - a quoted schema name
            {"tenant": tenant.pk, "cursor": rollup_cursor.pk, "low": rollup_cursor.counted_below, "high": high},
        )
        written = cursor.fetchone()[0]
    rollup_cursor.ahead.filter(txid__lt=high).delete()  # outside every later batch now
    rollup_cursor.counted_below, rollup_cursor.advanced_at = high, timezone.now()
    rollup_cursor.save(update_fields=["counted_below", "advanced_at"])
    return written


def rollups_advance(tenant: Client) -> int:
    """Counts the tenant's events not counted yet whose transactions have finished; returns how many rollup rows it
    wrote. Concurrent calls for one tenant wait for each other (the cursor's row lock)."""
    with transaction.atomic():
        cursor = _cursor_locked(tenant)
        return _count(tenant, cursor, max(_oldest_running(), cursor.counted_below))


def rollups_rebuild(tenant: Client) -> int:
    """Recounts the tenant's rollups from all of its events (a command for staff, and what the tests compare with)."""
    with transaction.atomic():
        cursor = _cursor_locked(tenant)
        rollups = (tenant.event_rollups, tenant.daily_rollups, tenant.active_days, tenant.signup_cohorts)
        for rows in (*rollups, cursor.ahead):
            rows.all().delete()
        cursor.counted_below = 0
        return _count(tenant, cursor, _oldest_running())


def rollups_forget(tenant: Client) -> None:
    """Deletes every rollup row of the tenant and its cursor: the next advance counts its events from the start."""
    with transaction.atomic():
        for rows in (tenant.event_rollups, tenant.daily_rollups, tenant.active_days, tenant.signup_cohorts):
            rows.all().delete()
        RollupCursor.objects.filter(tenant=tenant).delete()  # with its list of events counted ahead


def rollups_pending(tenant: Client) -> bool:
    """Whether the tenant has committed events that the rollups have not counted yet."""
    rollup_cursor = RollupCursor.objects.filter(tenant=tenant).values_list("pk", "counted_below").first() or (0, 0)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT EXISTS (SELECT 1 FROM {_events_table(tenant)} e WHERE e.txid >= %s::text::xid8
                AND NOT EXISTS (SELECT 1 FROM public.analytics_countedahead a
                                WHERE a.cursor_id = %s AND a.event_id = e.id))""",  # noqa: S608 - a quoted schema
            [rollup_cursor[1], rollup_cursor[0]],
        )
        return cursor.fetchone()[0]
