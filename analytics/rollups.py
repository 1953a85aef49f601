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

from analytics.models import ActiveWeek, DailyActiveUsers, RollupCursor, SignupCohort, UserActivity
from tenants.models import Client

# One statement, one scan of the batch (the events visible in this advance's snapshot and not in the last one's): the
# hourly and daily counts per kind and category, the users active each day, and the sign-up day of users who signed
# up or joined. The category is the payload's "key", or the stage an application entered; the summed value is the
# payload's numeric "value". The people rollups (daily active users per day, each user's first and last active day,
# each user's active weeks) are counted from the ActiveDay rows this batch added (`active` returns only rows that were
# not there), so a person active twice in a day counts once, in the same transaction as the cursor.
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
    RETURNING user_id, day
), active_users AS (
    INSERT INTO public.analytics_dailyactiveusers AS r (tenant_id, day, users)
    SELECT %(tenant)s, day, COUNT(*) FROM active GROUP BY day
    ON CONFLICT (tenant_id, day) DO UPDATE SET users = r.users + EXCLUDED.users
    RETURNING 1
), user_days AS (
    INSERT INTO public.analytics_useractivity AS r (tenant_id, user_id, first_day, last_day)
    SELECT %(tenant)s, user_id, MIN(day), MAX(day) FROM active GROUP BY user_id
    ON CONFLICT (tenant_id, user_id) DO UPDATE
        SET first_day = LEAST(r.first_day, EXCLUDED.first_day), last_day = GREATEST(r.last_day, EXCLUDED.last_day)
    RETURNING 1
), batch_weeks AS (
    SELECT DISTINCT actor_id AS user_id, at_utc::date - (EXTRACT(ISODOW FROM at_utc)::int - 1) AS week
    FROM batch WHERE actor_id IS NOT NULL
), weeks AS (
    INSERT INTO public.analytics_activeweek (tenant_id, user_id, week)
    SELECT %(tenant)s, user_id, week FROM batch_weeks
    ON CONFLICT DO NOTHING
    RETURNING 1
), signed AS (
    SELECT actor_id AS user_id, MIN(at_utc::date) AS day FROM batch
    WHERE kind IN ('user.signed_up', 'member.joined') AND actor_id IS NOT NULL GROUP BY actor_id
), cohort AS (
    -- Everyone whose sign-up day or active weeks the batch touches, with their sign-up day after it (LEAST skips
    -- NULL); people active but never signed up have no cohort.
    SELECT t.user_id, LEAST(s.day, c.day) AS day,
           LEAST(s.day, c.day) - (EXTRACT(ISODOW FROM LEAST(s.day, c.day))::int - 1) AS week
    FROM (SELECT user_id FROM signed UNION SELECT user_id FROM batch_weeks) AS t
    LEFT JOIN signed s ON s.user_id = t.user_id
    LEFT JOIN public.analytics_signupcohort c ON c.tenant_id = %(tenant)s AND c.user_id = t.user_id
    WHERE s.day IS NOT NULL OR c.day IS NOT NULL
), cohort_weeks AS (
    SELECT w.user_id, w.week FROM public.analytics_activeweek w
    WHERE w.tenant_id = %(tenant)s AND w.user_id IN (SELECT user_id FROM cohort)
    UNION
    SELECT user_id, week FROM batch_weeks
), signups AS (
    -- Each touched person's sign-up day and weeks +1 … +8 recomputed whole from their weeks before the batch and in
    -- it: exact whether the sign-up or the activity is counted first, and when an earlier sign-up moves the cohort.
    INSERT INTO public.analytics_signupcohort AS r (tenant_id, user_id, day, retained_weeks)
    SELECT %(tenant)s, c.user_id, c.day,
           COALESCE(bit_or(1 << ((w.week - c.week) / 7 - 1))
                    FILTER (WHERE w.week >= c.week + 7 AND w.week < c.week + 7 * (%(retained_weeks)s + 1)), 0)
    FROM cohort c LEFT JOIN cohort_weeks w ON w.user_id = c.user_id
    GROUP BY c.user_id, c.day, c.week
    ON CONFLICT (tenant_id, user_id) DO UPDATE SET day = EXCLUDED.day, retained_weeks = EXCLUDED.retained_weeks
    WHERE (r.day, r.retained_weeks) IS DISTINCT FROM (EXCLUDED.day, EXCLUDED.retained_weeks)
    RETURNING 1
)
SELECT (SELECT COUNT(*) FROM hourly) + (SELECT COUNT(*) FROM daily) + (SELECT COUNT(*) FROM active)
     + (SELECT COUNT(*) FROM active_users) + (SELECT COUNT(*) FROM user_days) + (SELECT COUNT(*) FROM weeks)
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
                "retained_weeks": SignupCohort.RETAINED_WEEKS,
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
        for rows in (tenant.event_rollups, tenant.daily_rollups, *people_rollup_rows(tenant)):
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
        for rows in (tenant.event_rollups, tenant.daily_rollups, *people_rollup_rows(tenant)):
            rows.all().delete()
        RollupCursor.objects.filter(tenant=tenant).delete()


def people_rollup_rows(tenant: Client) -> tuple:
    """The rollups that name a person by their user id (the rest are counts of events)."""
    return (
        tenant.active_days,
        tenant.signup_cohorts,
        tenant.daily_active_users,
        tenant.user_activities,
        tenant.active_weeks,
    )


# A user's active days go with them: each day they were active loses one daily active user (what a recount from their
# anonymised events would give), then their rows in every people rollup are deleted.
_USER_FORGET = """
WITH gone AS (
    DELETE FROM public.analytics_activeday WHERE tenant_id = %(tenant)s AND user_id = %(user)s RETURNING day
)
UPDATE public.analytics_dailyactiveusers d SET users = d.users - 1
FROM gone WHERE d.tenant_id = %(tenant)s AND d.day = gone.day
"""


def rollups_people_forget(*, tenant: Client, user_id: int | None = None) -> int:
    """Forgets a person (`user_id`, when their account is erased) or every person of the tenant (`user_id` None, when
    the tenant is erased) from the rollups that name people by id: active days, sign-up cohorts, daily active users,
    user activity and active weeks. Counts of events (EventRollup, DailyRollup) stay: they name nobody. Waits for an
    advance of the tenant that is counting (the cursor's lock), so a batch read before the erasure cannot write the
    person back after it. Returns how many rows went."""
    with transaction.atomic():
        _cursor_locked(tenant)
        if user_id is None:
            return sum(rows.all().delete()[0] for rows in people_rollup_rows(tenant))
        with connection.cursor() as cursor:
            cursor.execute(_USER_FORGET, {"tenant": tenant.pk, "user": user_id})
            days = cursor.rowcount
        tenant.daily_active_users.filter(users=0).delete()
        people = (tenant.signup_cohorts, tenant.user_activities, tenant.active_weeks)
        return days + sum(rows.filter(user_id=user_id).delete()[0] for rows in people)


# The people rollups recounted from ActiveDay rows alone (the bench's simulated fill, tests that script active days,
# and the migration that added these tables, which holds its own copy of these statements).
_PEOPLE_FROM_ACTIVE_DAYS = (
    """INSERT INTO public.analytics_dailyactiveusers (tenant_id, day, users)
    SELECT tenant_id, day, COUNT(*) FROM public.analytics_activeday WHERE tenant_id = ANY(%(tenants)s) GROUP BY 1, 2""",
    """INSERT INTO public.analytics_useractivity (tenant_id, user_id, first_day, last_day)
    SELECT tenant_id, user_id, MIN(day), MAX(day) FROM public.analytics_activeday WHERE tenant_id = ANY(%(tenants)s)
    GROUP BY 1, 2""",
    """INSERT INTO public.analytics_activeweek (tenant_id, user_id, week)
    SELECT DISTINCT tenant_id, user_id, day - (EXTRACT(ISODOW FROM day)::int - 1) FROM public.analytics_activeday
    WHERE tenant_id = ANY(%(tenants)s)""",
    """UPDATE public.analytics_signupcohort s SET retained_weeks = COALESCE((
        SELECT bit_or(1 << ((w.week - c.week) / 7 - 1)) FROM public.analytics_activeweek w
        WHERE w.tenant_id = s.tenant_id AND w.user_id = s.user_id
          AND w.week >= c.week + 7 AND w.week < c.week + 7 * (%(retained_weeks)s + 1)
    ), 0)
    FROM (SELECT id, day - (EXTRACT(ISODOW FROM day)::int - 1) AS week FROM public.analytics_signupcohort) AS c
    WHERE c.id = s.id AND s.tenant_id = ANY(%(tenants)s)""",
)


def people_rollups_recount(*, tenant_ids: list[int]) -> None:
    """Replaces the tenants' daily active users, user activity, active weeks and their cohorts' retained weeks with a
    recount of their ActiveDay rows: for rollups written by other means than counting events (the bench's simulated
    fill, scripted tests)."""
    with transaction.atomic(), connection.cursor() as cursor:
        for model in (DailyActiveUsers, UserActivity, ActiveWeek):
            model.objects.filter(tenant_id__in=tenant_ids).delete()
        for statement in _PEOPLE_FROM_ACTIVE_DAYS:
            cursor.execute(statement, {"tenants": tenant_ids, "retained_weeks": SignupCohort.RETAINED_WEEKS})
