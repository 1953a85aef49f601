"""API licensing services: keys (issued once, stored hashed, revocable), the monthly quota and the per-minute rate.

Keys look like ``cvp_live_ab12cd34_<43 random characters>``: the first 17 characters are the key's `prefix`, stored in
clear so a key can be found and recognised, and the whole secret is stored only as its SHA-256. A leaked database
therefore holds no usable key; a lost key is revoked and a new one issued.

The quota is enforced by one SQL statement on the licensee's month row (an upsert whose update is conditional on the
calls fitting), so concurrent requests cannot overrun it: PostgreSQL locks the row and re-checks the condition on the
latest version. A batch of N items consumes N calls, all or none. The rate limit counts requests (a batch is one) in a
fixed one-minute window in the cache (Redis), so it is shared by every web process.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import string
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from billing.models import ApiKey, ApiUsage, ApiUsageDay, Licensee
from tenants.context import public_schema_context

KEY_PREFIX = "cvp_live_"
PREFIX_RANDOM_LENGTH = 8
PREFIX_LENGTH = len(KEY_PREFIX) + PREFIX_RANDOM_LENGTH
_PREFIX_ALPHABET = string.ascii_lowercase + string.digits
LAST_USED_RESOLUTION = timedelta(minutes=1)  # last_used_at is written at most once a minute per key
RATE_WINDOW_SECONDS = 60

QUOTA = "quota"
RATE = "rate"

# The rate limiter's clock: tests replace it to stay inside one window.
clock: Callable[[], float] = time.time


@dataclass(frozen=True)
class QuotaResult:
    """`allowed` is False when the calls did not fit; then `reason` is QUOTA or RATE and `retry_after` the seconds
    until the limit resets. `limit` and `remaining` are None when the plan sets no such limit."""

    allowed: bool
    remaining: int | None
    limit: int | None
    retry_after: int | None = None
    reason: str | None = None


_public = public_schema_context


def key_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def api_key_issue(*, licensee: Licensee, name: str = "") -> tuple[ApiKey, str]:
    """A new key for the licensee and its secret. The secret is returned only here: show it once, never store it."""
    with _public():
        while True:
            prefix = KEY_PREFIX + "".join(secrets.choice(_PREFIX_ALPHABET) for _ in range(PREFIX_RANDOM_LENGTH))
            if not ApiKey.objects.filter(prefix=prefix).exists():
                break
        secret = f"{prefix}_{secrets.token_urlsafe(32)}"
        key = ApiKey.objects.create(licensee=licensee, prefix=prefix, key_hash=key_hash(secret), name=name)
    return key, secret


def api_key_revoke(*, key: ApiKey) -> ApiKey:
    """Revokes the key from now on (idempotent: a revoked key keeps its first revocation time)."""
    with _public():
        ApiKey.objects.filter(pk=key.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
        key.refresh_from_db(fields=["revoked_at"])
    api_key_cache_clear()  # an update() sends no signal: this process stops accepting the key at once
    return key


KEY_CACHE_TTL_S = 30.0
_key_cache: dict[str, tuple[float, ApiKey | None]] = {}


def _key_by_prefix(prefix: str) -> ApiKey | None:
    """The key with its licensee and plan, kept in process for KEY_CACHE_TTL_S seconds: the three-table lookup cost
    more than the rest of the metering together. A save of a key, licensee or plan clears the cache in the process
    that made it (billing.apps); a revocation reaches the other processes within the TTL."""
    now = time.monotonic()
    hit = _key_cache.get(prefix)
    if hit is not None and hit[0] > now:
        return hit[1]
    key = ApiKey.objects.select_related("licensee__plan").filter(prefix=prefix).first()
    _key_cache[prefix] = (now + KEY_CACHE_TTL_S, key)
    return key


def api_key_cache_clear(**_signal_kwargs: object) -> None:
    _key_cache.clear()


def api_key_authenticate(raw: str) -> ApiKey | None:
    """The live key whose secret is `raw`, with its licensee and plan; None for an unknown, malformed or revoked key.

    The hashes are compared in constant time. An inactive licensee's key still authenticates: the caller answers
    403 rather than 401 for it."""
    if not raw or not raw.startswith(KEY_PREFIX) or len(raw) <= PREFIX_LENGTH:
        return None
    with _public():
        key = _key_by_prefix(raw[:PREFIX_LENGTH])
        if key is None or not hmac.compare_digest(key.key_hash, key_hash(raw)) or key.revoked_at is not None:
            return None
        now = timezone.now()
        if key.last_used_at is None or now - key.last_used_at >= LAST_USED_RESOLUTION:
            ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
            key.last_used_at = now
    return key


def period_start(day: date) -> date:
    return day.replace(day=1)


def next_period_start(now: datetime) -> datetime:
    """When the quota resets: midnight UTC on the first of the next month."""
    following = (period_start(now.date()) + timedelta(days=32)).replace(day=1)
    return datetime(following.year, following.month, 1, tzinfo=UTC)


def seconds_to_next_month(now: datetime) -> int:
    return max(1, int((next_period_start(now) - now).total_seconds()))


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
    with _public(), connection.cursor() as cursor:
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
    """Gives back calls that were counted but not answered (no model to serve them). Never below what Stripe has
    already been told."""
    now = now or timezone.now()
    with _public(), transaction.atomic(), connection.cursor() as cursor:
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


def _window_incr(key: str) -> int:
    """INCR and EXPIRE in one Redis round trip (a pipeline) when the cache is Redis; the cache API otherwise."""
    client_of = getattr(getattr(cache, "_cache", None), "get_client", None)  # Django's RedisCache
    if client_of is None:  # a cache without Redis behind it (development without Redis)
        cache.add(key, 0, timeout=RATE_WINDOW_SECONDS * 2)
        try:
            return cache.incr(key)
        except ValueError:  # the key expired between add and incr
            cache.set(key, 1, timeout=RATE_WINDOW_SECONDS * 2)
            return 1
    full_key = cache.make_key(key)
    pipe = client_of(full_key, write=True).pipeline()
    pipe.incr(full_key)
    pipe.expire(full_key, RATE_WINDOW_SECONDS * 2)
    return int(pipe.execute()[0])


def rate_consume(licensee: Licensee) -> QuotaResult:
    """Counts one request in the licensee's current minute; refused past the plan's rate, until the minute ends."""
    limit = licensee.plan.api_rate_per_minute
    if limit is None:
        return QuotaResult(True, None, None)
    now = clock()
    window = int(now) // RATE_WINDOW_SECONDS
    key = f"billing:api-rate:{licensee.pk}:{window}"
    used = _window_incr(key)
    if used > limit:
        retry_after = max(1, RATE_WINDOW_SECONDS - int(now) % RATE_WINDOW_SECONDS)
        return QuotaResult(False, 0, limit, retry_after, RATE)
    return QuotaResult(True, limit - used, limit)


def usage_months(licensee: Licensee, *, months: int = 12) -> list[ApiUsage]:
    with _public():
        return list(ApiUsage.objects.filter(licensee=licensee).order_by("-period_start")[:months])


def usage_days(licensee: Licensee, *, days: int = 31) -> list[ApiUsageDay]:
    with _public():
        return list(ApiUsageDay.objects.filter(licensee=licensee).order_by("-day")[:days])


def quota_remaining(licensee: Licensee, *, now: datetime | None = None) -> int | None:
    """Calls left this month, or None when the plan is unlimited."""
    limit = licensee.plan.api_monthly_quota
    if limit is None:
        return None
    month = period_start((now or timezone.now()).date())
    with _public():
        used = ApiUsage.objects.filter(licensee=licensee, period_start=month).values_list("calls", flat=True).first()
    return max(0, limit - (used or 0))
