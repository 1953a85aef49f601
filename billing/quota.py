"""The licensee API's quota and rate without Redis, and what every path shares: the answer (`QuotaResult`), the
month a call belongs to, and reading usage. The Redis path and the choice between the two: billing/metering.py.

Without Redis (development without it, or a Redis that cannot be reached) the quota is one conditional upsert on the
month row (`quota_consume`), which PostgreSQL serialises by row lock, and the rate counts in Django's cache, or in
this process when the cache's Redis is down too (the plan's rate then holds per web process).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from billing.models import ApiUsage, ApiUsageDay, Licensee
from billing.redis_client import REDIS_ERRORS, redis_client, redis_down, redis_failed
from tenants.context import public_schema_context

RATE_WINDOW_SECONDS = 60
QUOTA = "quota"
RATE = "rate"
IN_REDIS = "redis"
IN_POSTGRESQL = "postgresql"


@dataclass(frozen=True)
class QuotaResult:
    """`allowed` is False when the calls did not fit; then `reason` is QUOTA or RATE and `retry_after` the seconds
    until the limit resets. `limit` and `remaining` are None when the plan sets no such limit. `counted_in` says
    which store counted the calls (IN_REDIS or IN_POSTGRESQL): a refund goes back to the same one."""

    allowed: bool
    remaining: int | None
    limit: int | None
    retry_after: int | None = None
    reason: str | None = None
    counted_in: str = IN_POSTGRESQL


def period_start(day: date) -> date:
    return day.replace(day=1)


def next_period_start(now: datetime) -> datetime:
    """When the quota resets: midnight UTC on the first of the next month."""
    following = (period_start(now.date()) + timedelta(days=32)).replace(day=1)
    return datetime(following.year, following.month, 1, tzinfo=UTC)


def seconds_to_next_month(now: datetime) -> int:
    return max(1, int((next_period_start(now) - now).total_seconds()))


def rate_retry_after(now: float) -> int:
    return max(1, RATE_WINDOW_SECONDS - int(now) % RATE_WINDOW_SECONDS)


# ---------------------------------------------------------------------------------------------------------------------
# PostgreSQL counts the quota
# ---------------------------------------------------------------------------------------------------------------------


def quota_consume(licensee: Licensee, calls: int = 1, *, now: datetime | None = None) -> QuotaResult:
    """Counts `calls` against the licensee's month (UTC) if they all fit in the plan's monthly quota; else nothing.

    One statement decides: ``INSERT ... ON CONFLICT DO UPDATE SET calls = calls + n WHERE calls + n <= quota
    RETURNING calls``. Returns the calls left after this request."""
    if calls < 1:
        raise ValueError("calls must be positive")
    now = now or timezone.now()
    month = period_start(now.date())
    limit = licensee.plan.api_monthly_quota
    if limit is not None and calls > limit:
        return QuotaResult(False, None, limit, seconds_to_next_month(now), QUOTA)
    usage_table = ApiUsage._meta.db_table
    day_table = ApiUsageDay._meta.db_table
    condition = f" WHERE {usage_table}.calls + EXCLUDED.calls <= %s" if limit is not None else ""
    # One statement, one round trip, atomic on its own: the month's upsert decides, and the day's bucket is counted
    # only when the month's row took the calls (the data-modifying CTE's RETURNING row exists).
    sql = (
        f"WITH month AS (INSERT INTO {usage_table} (licensee_id, period_start, calls, reported_calls) "  # noqa: S608 - table names from the models
        f"VALUES (%s, %s, %s, 0) ON CONFLICT (licensee_id, period_start) DO UPDATE "
        f"SET calls = {usage_table}.calls + EXCLUDED.calls{condition} RETURNING calls), "
        f"day AS (INSERT INTO {day_table} (licensee_id, day, calls) "
        "SELECT %s, %s, %s WHERE EXISTS (SELECT 1 FROM month) "
        f"ON CONFLICT (licensee_id, day) DO UPDATE SET calls = {day_table}.calls + EXCLUDED.calls) "
        "SELECT calls FROM month"
    )
    params = [licensee.pk, month, calls] + ([limit] if limit is not None else []) + [licensee.pk, now.date(), calls]
    with public_schema_context(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
        if row is None:
            cursor.execute(
                f"SELECT calls FROM {usage_table} WHERE licensee_id = %s AND period_start = %s",  # noqa: S608
                [licensee.pk, month],
            )
            used = cursor.fetchone()[0]
            return QuotaResult(False, max(0, limit - used), limit, seconds_to_next_month(now), QUOTA)
    return QuotaResult(True, None if limit is None else limit - row[0], limit)


def quota_refund(licensee: Licensee, calls: int, *, now: datetime | None = None) -> None:
    """Gives back calls counted by `quota_consume`. Never below what Stripe has already been told."""
    now = now or timezone.now()
    with public_schema_context(), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {ApiUsage._meta.db_table} SET calls = GREATEST(calls - %s, reported_calls) "  # noqa: S608
            "WHERE licensee_id = %s AND period_start = %s",
            [calls, licensee.pk, period_start(now.date())],
        )
        cursor.execute(
            f"UPDATE {ApiUsageDay._meta.db_table} SET calls = GREATEST(calls - %s, 0) "  # noqa: S608
            "WHERE licensee_id = %s AND day = %s",
            [calls, licensee.pk, now.date()],
        )


# ---------------------------------------------------------------------------------------------------------------------
# The cache, or this process, counts the rate
# ---------------------------------------------------------------------------------------------------------------------

_windows_in_process: dict[tuple[int, int], int] = {}
_windows_lock = threading.Lock()


def rate_consume(licensee: Licensee, *, now: float) -> QuotaResult:
    """Counts one request in the licensee's minute (`now` on the metering clock); refused past the plan's rate."""
    limit = licensee.plan.api_rate_per_minute
    if limit is None:
        return QuotaResult(True, None, None)
    window = int(now) // RATE_WINDOW_SECONDS
    used = _rate_count_in_cache(licensee.pk, window)
    if used is None:
        used = _rate_count_in_process(licensee.pk, window)
    if used > limit:
        return QuotaResult(False, 0, limit, rate_retry_after(now), RATE)
    return QuotaResult(True, limit - used, limit)


def _rate_count_in_cache(licensee_id: int, window: int) -> int | None:
    """The request's number in its window, or None when the cache's Redis is down."""
    client = redis_client()
    if client is not None and redis_down(client):
        return None
    key = f"billing:api-rate:{licensee_id}:{window}"
    try:
        cache.add(key, 0, timeout=RATE_WINDOW_SECONDS * 2)
        try:
            return cache.incr(key)
        except ValueError:  # the key expired between add and incr
            cache.set(key, 1, timeout=RATE_WINDOW_SECONDS * 2)
            return 1
    except REDIS_ERRORS as error:
        if client is not None:
            redis_failed(client, error)
        return None


def _rate_count_in_process(licensee_id: int, window: int) -> int:
    with _windows_lock:
        for stale in [key for key in _windows_in_process if key[1] < window - 1]:
            del _windows_in_process[stale]
        used = _windows_in_process.get((licensee_id, window), 0) + 1
        _windows_in_process[licensee_id, window] = used
    return used


# ---------------------------------------------------------------------------------------------------------------------
# Reading usage (after a flush, so it includes the last seconds)
# ---------------------------------------------------------------------------------------------------------------------


def usage_months(licensee: Licensee, *, months: int = 12) -> list[ApiUsage]:
    with public_schema_context():
        return list(ApiUsage.objects.filter(licensee=licensee).order_by("-period_start")[:months])


def usage_days(licensee: Licensee, *, days: int = 31) -> list[ApiUsageDay]:
    with public_schema_context():
        return list(ApiUsageDay.objects.filter(licensee=licensee).order_by("-day")[:days])


def quota_remaining(licensee: Licensee, *, now: datetime | None = None) -> int | None:
    """Calls left this month, or None when the plan is unlimited."""
    limit = licensee.plan.api_monthly_quota
    if limit is None:
        return None
    month = period_start((now or timezone.now()).date())
    with public_schema_context():
        used = ApiUsage.objects.filter(licensee=licensee, period_start=month).values_list("calls", flat=True).first()
    return max(0, limit - (used or 0))
