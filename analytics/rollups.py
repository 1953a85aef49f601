"""Counts of each tenant's domain events per kind, category, hour and day, the users active each day and the day each
signed up (analytics/models.py), kept current from the events.

The events (tracking.DomainEvent, in each tenant's schema) are written in the transaction of the change they record:
the outbox. ``rollups_advance`` takes a snapshot (``pg_current_snapshot``) and counts, in one transaction, the events
visible in it that were not visible in the snapshot of the advance before: those whose transaction id is at or above
that snapshot's ``xmax`` or was in its list of transactions still running (the cursor keeps both). A transaction
that was running then and commits later is counted by the first advance that sees it, once; nothing waits for it.
None is counted twice because the cursor moves in the same transaction as the counts, and a worker killed mid-batch
leaves both as they were. Ids would not do: an id is taken at the insert, and a transaction that took a lower id may
commit after one that took a higher id has been counted.

Counting only below the oldest running transaction (``pg_snapshot_xmin``), as this module first did, held every
event back behind any open transaction of the cluster, another database's included: the freshness bench's p99 under
load came from that wait.
"""

from __future__ import annotations

from dataclasses import dataclass

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
    WHERE (txid >= %(counted_below)s::text::xid8 OR txid = ANY(%(running)s::text[]::xid8[]))
      AND pg_visible_in_snapshot(txid, %(snapshot)s::pg_snapshot)
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


@dataclass(frozen=True)
class Snapshot:
    """What a snapshot says about transactions: every id below `xmax` not in `running` had finished."""

    text: str
    xmax: int
    running: list[int]


def _snapshot() -> Snapshot:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_snapshot()::text")
        text = cursor.fetchone()[0]
    _xmin, xmax, running = text.split(":")
    return Snapshot(text=text, xmax=int(xmax), running=[int(xid) for xid in running.split(",") if xid])


def _cursor_locked(tenant: Client) -> RollupCursor:
    RollupCursor.objects.get_or_create(tenant=tenant)
    return RollupCursor.objects.select_for_update().get(tenant=tenant)


def _count(tenant: Client, cursor: RollupCursor, snapshot: Snapshot) -> int:
    """Counts the events visible in `snapshot` and not counted by `cursor`, and moves the cursor to `snapshot`."""
    with connection.cursor() as db:
        db.execute(
            _COUNT_INTO_ROLLUPS.format(events=_events_table(tenant)),  # noqa: S608 - a quoted schema name
            {
                "tenant": tenant.pk,
                "counted_below": cursor.counted_below,
                "running": cursor.running,
                "snapshot": snapshot.text,
            },
        )
        written = db.fetchone()[0]
    cursor.counted_below, cursor.running, cursor.advanced_at = snapshot.xmax, snapshot.running, timezone.now()
    cursor.save(update_fields=["counted_below", "running", "advanced_at"])
    return written


def rollups_advance(tenant: Client) -> int:
    """Counts the tenant's events not counted yet whose transactions have committed; returns how many rollup rows it
    wrote. Concurrent calls for one tenant wait for each other (the cursor's row lock), and each takes its snapshot
    once it holds the lock, after the one before it committed."""
    with transaction.atomic():
        cursor = _cursor_locked(tenant)
        snapshot = _snapshot()
        if snapshot.xmax == cursor.counted_below and snapshot.running == cursor.running:
            return 0
        return _count(tenant, cursor, snapshot)


def rollups_rebuild(tenant: Client) -> int:
    """Recounts the tenant's rollups from all of its events (a command for staff, and what the tests compare with)."""
    with transaction.atomic():
        cursor = _cursor_locked(tenant)
        for rows in (tenant.event_rollups, tenant.daily_rollups, tenant.active_days, tenant.signup_cohorts):
            rows.all().delete()
        cursor.counted_below, cursor.running = 0, []
        return _count(tenant, cursor, _snapshot())


def rollups_pending(tenant: Client) -> bool:
    """Whether the tenant has committed events that the rollups have not counted yet."""
    counted = RollupCursor.objects.filter(tenant=tenant).values_list("counted_below", "running").first() or (0, [])
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT EXISTS (SELECT 1 FROM {_events_table(tenant)} "  # noqa: S608 - a quoted schema name
            "WHERE txid >= %s::text::xid8 OR txid = ANY(%s::text[]::xid8[]))",
            list(counted),
        )
        return cursor.fetchone()[0]


def rollups_forget(tenant: Client) -> None:
    """Deletes every rollup row of the tenant and its cursor: the next advance counts its events from the start."""
    with transaction.atomic():
        for rows in (tenant.event_rollups, tenant.daily_rollups, tenant.active_days, tenant.signup_cohorts):
            rows.all().delete()
        RollupCursor.objects.filter(tenant=tenant).delete()
