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

from analytics.models import ActiveWeek, DailyActiveUsers, RollupCursor, SignupCohort, UserActivity
from tenants.models import Client

# One statement, one scan of the batch: every visible event from the cursor on that is not counted ahead already
# (those of transactions at or above the new cursor are listed as counted ahead). From it: the hourly and daily counts
# per kind and category, the users active each day, and the sign-up day of users who signed up or joined. The category
# is the payload's "key", or the stage an application entered; the summed value is the payload's numeric "value".
# The people rollups (daily active users per day, each user's first and last active day, each user's active weeks)
# are counted from the ActiveDay rows this batch added (`active` returns only rows that were not there), so a person
# active twice in a day counts once, in the same transaction as the cursor.
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
            {
                "tenant": tenant.pk,
                "cursor": rollup_cursor.pk,
                "low": rollup_cursor.counted_below,
                "high": high,
                "retained_weeks": SignupCohort.RETAINED_WEEKS,
            },
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
        rollups = (tenant.event_rollups, tenant.daily_rollups, *people_rollup_rows(tenant))
        for rows in (*rollups, cursor.ahead):
            rows.all().delete()
        cursor.counted_below = 0
        return _count(tenant, cursor, _oldest_running())


def rollups_forget(tenant: Client) -> None:
    """Deletes every rollup row of the tenant and its cursor: the next advance counts its events from the start."""
    with transaction.atomic():
        for rows in (tenant.event_rollups, tenant.daily_rollups, *people_rollup_rows(tenant)):
            rows.all().delete()
        RollupCursor.objects.filter(tenant=tenant).delete()  # with its list of events counted ahead


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
