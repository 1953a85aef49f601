"""Metering the licensee API: the per-minute rate, the monthly quota and the count of every answered call.

**With Redis (every deployment, and the tests).** One Lua script, one round trip, decides and counts atomically: it
counts the request in the licensee's current minute (refused past the plan's rate), then adds the calls to the month's
counter only if they all fit in the quota, and adds them to a *pending* hash (licensee and day → calls). Redis runs
scripts one at a time, so concurrent requests cannot overrun the quota. PostgreSQL stays the record that is billed
and shown: `usage_flush` (every few seconds on the beat, and before anything reads or reports usage) moves the pending
hash into ApiUsage and ApiUsageDay exactly once: the hash is renamed to a batch first (new calls go to a fresh hash),
the batch is applied in one transaction that also records its id in ApiUsageFlush, and only then deleted, so a crash
at any point neither loses nor doubles a batch.

A month counter that Redis does not have (the month's first call, or a Redis that lost its data) is seeded from
PostgreSQL plus the batches not yet applied, under the same advisory lock as the flush, so no flush can fall between
the two reads. What a Redis data loss can cost is the pending calls of the last few seconds: unbilled, never billed
twice. Keys are namespaced by the database's oid, so a recreated database never inherits an old counter.

**Without Redis** (development without it): the rate counts in Django's cache and the quota is one conditional upsert
on the month row (`quota_consume`), which PostgreSQL serialises by row lock.

A batch of N items consumes N calls, all or none; the rate counts requests (a batch is one).
"""

from __future__ import annotations

import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache as memoize

import redis
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone
from redis.commands.core import Script

from billing.models import ApiUsage, ApiUsageDay, ApiUsageFlush, Licensee
from tenants.context import public_schema_context

RATE_WINDOW_SECONDS = 60
QUOTA = "quota"
RATE = "rate"
FLUSH_LOCK = 0x43565042  # the advisory lock shared by the flush and the seeding of a month counter
FLUSH_RECORDS_KEPT = timedelta(days=2)

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


def period_start(day: date) -> date:
    return day.replace(day=1)


def next_period_start(now: datetime) -> datetime:
    """When the quota resets: midnight UTC on the first of the next month."""
    following = (period_start(now.date()) + timedelta(days=32)).replace(day=1)
    return datetime(following.year, following.month, 1, tzinfo=UTC)


def seconds_to_next_month(now: datetime) -> int:
    return max(1, int((next_period_start(now) - now).total_seconds()))


def _rate_retry_after(now: float) -> int:
    return max(1, RATE_WINDOW_SECONDS - int(now) % RATE_WINDOW_SECONDS)


# ---------------------------------------------------------------------------------------------------------------------
# With Redis: one script decides
# ---------------------------------------------------------------------------------------------------------------------

# KEYS: month counter, rate window, pending hash. ARGV: calls (0 = count the request against the rate only), quota
# (-1 = none), rate (-1 = none), rate window TTL, pending field. Returns {status, value}: {0, 0} the month counter
# must be seeded first (nothing was counted), {1, used} counted, {2, requests} refused by the rate, {3, used} refused
# by the quota.
_METER_SCRIPT = """
local used = redis.call('GET', KEYS[1])
if not used then return {0, 0} end
used = tonumber(used)
local calls = tonumber(ARGV[1])
if tonumber(ARGV[3]) >= 0 then
  local requests = redis.call('INCR', KEYS[2])
  if requests == 1 then redis.call('EXPIRE', KEYS[2], ARGV[4]) end
  if requests > tonumber(ARGV[3]) then return {2, requests} end
end
if calls == 0 then return {1, used} end
if tonumber(ARGV[2]) >= 0 and used + calls > tonumber(ARGV[2]) then return {3, used} end
used = redis.call('INCRBY', KEYS[1], calls)
redis.call('HINCRBY', KEYS[3], ARGV[5], calls)
return {1, used}
"""
SEEDED, COUNTED, RATE_REFUSED, QUOTA_REFUSED = 0, 1, 2, 3


def _redis():
    """A Redis client on the cache's server, or None when the cache is not Redis. One client (and connection pool)
    per process: building a client per call cost more than the script it runs."""
    cache_settings = settings.CACHES["default"]
    if not cache_settings["BACKEND"].endswith(".RedisCache"):
        return None
    location = cache_settings["LOCATION"]
    return _redis_client(location if isinstance(location, str) else location[0])


@memoize
def _redis_client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url)


_script = Script(None, _METER_SCRIPT.encode())  # loaded into Redis on first use (EVALSHA, then SCRIPT LOAD)


@memoize
def _namespace(database: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT oid FROM pg_database WHERE datname = current_database()")
        oid = cursor.fetchone()[0]
    return f"billing:meter:{oid}:"


def _keys() -> tuple[str, str]:
    """(namespace, pending hash key) for this database."""
    namespace = _namespace(connection.settings_dict["NAME"])
    return namespace, namespace + "pending"


def _month_key(namespace: str, licensee_id: int, month: date) -> str:
    return f"{namespace}month:{licensee_id}:{month:%Y-%m}"


def _pending_field(licensee_id: int, day: date) -> str:
    return f"{licensee_id}:{day.isoformat()}"


@contextmanager
def _flush_lock() -> Iterator[None]:
    """A session-level advisory lock, held across a flush's commit and the batch's deletion."""
    with public_schema_context(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [FLUSH_LOCK])
        try:
            yield
        finally:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [FLUSH_LOCK])


def _batches(client, namespace: str) -> list[str]:
    return sorted(key.decode() for key in client.scan_iter(match=f"{namespace}batch:*", count=500))


def _seed(client, namespace: str, licensee_id: int, month: date) -> None:
    """Sets the month counter, if still missing, to PostgreSQL's count plus the calls not applied to it yet."""
    with _flush_lock():
        stored = (
            ApiUsage.objects.filter(licensee_id=licensee_id, period_start=month).values_list("calls", flat=True).first()
        )
        applied = set(ApiUsageFlush.objects.values_list("batch", flat=True))
        pending = 0
        for key in [namespace + "pending", *_batches(client, namespace)]:
            if key.rsplit(":", 1)[-1] in applied:
                continue
            for field, calls in client.hgetall(key).items():
                owner, day = field.decode().split(":")
                if int(owner) == licensee_id and period_start(date.fromisoformat(day)) == month:
                    pending += int(calls)
        expires = next_period_start(datetime(month.year, month.month, 1, tzinfo=UTC)) + timedelta(days=35)
        client.set(_month_key(namespace, licensee_id, month), max(0, (stored or 0) + pending), nx=True, exat=expires)


@dataclass(frozen=True)
class _Ask:
    """One metering question for the script: its keys and arguments, and what is needed to read its answer."""

    licensee_id: int
    quota: int | None
    rate: int | None
    keys: list[str]
    args: list
    now: datetime
    tick: float

    def answer(self, status: int, value: int) -> QuotaResult:
        if status == RATE_REFUSED:
            return QuotaResult(False, 0, self.rate, _rate_retry_after(self.tick), RATE)
        if status == QUOTA_REFUSED:
            return QuotaResult(False, max(0, self.quota - value), self.quota, seconds_to_next_month(self.now), QUOTA)
        return QuotaResult(True, None if self.quota is None else max(0, self.quota - value), self.quota)


def _ask(licensee: Licensee, calls: int, now: datetime) -> _Ask:
    plan = licensee.plan
    quota, rate = plan.api_monthly_quota, plan.api_rate_per_minute
    namespace, pending = _keys()
    tick = clock()
    month_key = _month_key(namespace, licensee.pk, period_start(now.date()))
    rate_key = f"{namespace}rate:{licensee.pk}:{int(tick) // RATE_WINDOW_SECONDS}"
    args = [calls, -1 if quota is None else quota, -1 if rate is None else rate, RATE_WINDOW_SECONDS * 2]
    args.append(_pending_field(licensee.pk, now.date()))
    return _Ask(licensee.pk, quota, rate, [month_key, rate_key, pending], args, now, tick)


def _run(client, ask: _Ask) -> QuotaResult:
    """Runs the script and waits for its answer, seeding the month counter first if Redis does not have it."""
    status, value = _script(keys=ask.keys, args=ask.args, client=client)
    if status == SEEDED:
        namespace, _pending = _keys()
        _seed(client, namespace, ask.licensee_id, period_start(ask.now.date()))
        status, value = _script(keys=ask.keys, args=ask.args, client=client)
    return ask.answer(status, value)


def _precheck(licensee: Licensee, calls: int, now: datetime) -> QuotaResult | None:
    """A refusal that needs no counting: a batch larger than the whole quota."""
    if calls < 0:
        raise ValueError("calls must not be negative")
    limit = licensee.plan.api_monthly_quota
    if limit is not None and calls > limit:
        return QuotaResult(False, None, limit, seconds_to_next_month(now), QUOTA)
    return None


def meter(licensee: Licensee, calls: int, *, now: datetime | None = None) -> QuotaResult:
    """Counts one request against the rate and, when `calls` > 0, those calls against the month's quota, all or none.

    `calls` = 0 counts the request only (a request refused before any answer, such as a 400, still counts towards
    the rate). Returns the calls left this month, or why the request was refused."""
    now = now or timezone.now()
    refused = _precheck(licensee, calls, now)
    if refused is not None:
        return refused
    client = _redis()
    if client is not None:
        return _run(client, _ask(licensee, calls, now))
    rate = rate_consume(licensee)
    if not rate.allowed or calls == 0:
        return rate
    return quota_consume(licensee, calls, now=now)


# Licensees recently refused, by id, until when (clock()): their next requests are decided before any work starts.
_recently_refused: dict[int, float] = {}
RECENT_REFUSAL_MEMORY_S = 60.0


class Metering:
    """A metering decision asked of Redis and not read yet: the request's work runs while Redis answers, and
    `result()` waits for the answer before anything is returned. Nothing is answered to the caller without it.

    A licensee refused in the last minute by this process is decided up front instead (`meter`), so a caller that
    keeps hitting its rate or quota cannot make CVPlus do work it will throw away."""

    def __init__(self, licensee: Licensee, calls: int, *, now: datetime | None = None) -> None:
        now = now or timezone.now()
        self._decided: QuotaResult | None = _precheck(licensee, calls, now)
        self._connection = None
        self._client = _redis()
        self._licensee_id = licensee.pk
        if self._decided is not None:
            return
        if self._client is None or _recently_refused.get(licensee.pk, 0.0) > clock():
            self._decided = meter(licensee, calls, now=now)
            self._remember(self._decided)
            return
        self._ask = _ask(licensee, calls, now)
        pool = self._client.connection_pool
        self._connection = pool.get_connection()
        try:
            self._connection.send_command("EVALSHA", _script.sha, len(self._ask.keys), *self._ask.keys, *self._ask.args)
        except BaseException:
            self._release()
            raise

    @property
    def decided(self) -> bool:
        return self._decided is not None

    def result(self) -> QuotaResult:
        if self._decided is not None:
            return self._decided
        try:
            try:
                status, value = self._connection.read_response()
            finally:
                self._release()
        except redis.exceptions.NoScriptError:  # a Redis that has not seen the script yet: nothing was counted
            status, value = SEEDED, 0
        # A missing script or month counter: ask again synchronously (seeding the counter first if needed).
        self._decided = _run(self._client, self._ask) if status == SEEDED else self._ask.answer(status, value)
        self._remember(self._decided)
        return self._decided

    def _remember(self, result: QuotaResult) -> None:
        if result.allowed:
            _recently_refused.pop(self._licensee_id, None)
        else:
            _recently_refused[self._licensee_id] = clock() + min(RECENT_REFUSAL_MEMORY_S, result.retry_after or 0)

    def _release(self) -> None:
        if self._connection is not None:
            self._client.connection_pool.release(self._connection)
            self._connection = None


def meter_refund(licensee: Licensee, calls: int, *, now: datetime | None = None) -> None:
    """Gives back calls that were counted but not answered (no model to serve them)."""
    now = now or timezone.now()
    client = _redis()
    if client is None:
        quota_refund(licensee, calls, now=now)
        return
    namespace, pending = _keys()
    month_key = _month_key(namespace, licensee.pk, period_start(now.date()))
    with client.pipeline(transaction=True) as pipe:
        pipe.decrby(month_key, calls)
        pipe.hincrby(pending, _pending_field(licensee.pk, now.date()), -calls)
        pipe.execute()


def usage_flush() -> int:
    """Moves the pending calls into ApiUsage and ApiUsageDay, each batch exactly once; returns the calls moved.

    Calls of a licensee deleted since are dropped. A month's count never falls below what Stripe has been told."""
    client = _redis()
    if client is None:
        return 0
    namespace, pending = _keys()
    moved = 0
    with _flush_lock():
        if client.exists(pending):
            client.rename(pending, f"{namespace}batch:{time.time_ns():020d}-{uuid.uuid4().hex[:8]}")
        for key in _batches(client, namespace):
            batch = key.rsplit(":", 1)[-1]
            counts = {field.decode(): int(calls) for field, calls in client.hgetall(key).items()}
            with transaction.atomic():
                if not ApiUsageFlush.objects.filter(batch=batch).exists():
                    moved += _apply(counts)
                    ApiUsageFlush.objects.create(batch=batch, calls=sum(counts.values()))
            client.delete(key)
        ApiUsageFlush.objects.filter(applied_at__lt=timezone.now() - FLUSH_RECORDS_KEPT).delete()
    return moved


def _apply(counts: dict[str, int]) -> int:
    months: dict[tuple[int, date], int] = defaultdict(int)
    days: dict[tuple[int, date], int] = defaultdict(int)
    for field, calls in counts.items():
        owner, day = field.split(":")
        when = date.fromisoformat(day)
        months[int(owner), period_start(when)] += calls
        days[int(owner), when] += calls
    usage, per_day, licensees = ApiUsage._meta.db_table, ApiUsageDay._meta.db_table, Licensee._meta.db_table
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {usage} (licensee_id, period_start, calls, reported_calls) "  # noqa: S608 - model tables
            f"SELECT %(l)s, %(p)s, GREATEST(%(n)s, 0), 0 WHERE EXISTS (SELECT 1 FROM {licensees} WHERE id = %(l)s) "
            f"ON CONFLICT (licensee_id, period_start) DO UPDATE "
            f"SET calls = GREATEST({usage}.calls + %(n)s, {usage}.reported_calls)",
            [{"l": owner, "p": month, "n": calls} for (owner, month), calls in months.items() if calls],
        )
        cursor.executemany(
            f"INSERT INTO {per_day} (licensee_id, day, calls) "  # noqa: S608 - model tables
            f"SELECT %(l)s, %(d)s, GREATEST(%(n)s, 0) WHERE EXISTS (SELECT 1 FROM {licensees} WHERE id = %(l)s) "
            f"ON CONFLICT (licensee_id, day) DO UPDATE SET calls = GREATEST({per_day}.calls + %(n)s, 0)",
            [{"l": owner, "d": day, "n": calls} for (owner, day), calls in days.items() if calls],
        )
    return sum(counts.values())


# ---------------------------------------------------------------------------------------------------------------------
# Without Redis: the cache counts the rate, PostgreSQL the quota
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


def rate_consume(licensee: Licensee) -> QuotaResult:
    """Counts one request in the licensee's current minute in the cache; refused past the plan's rate."""
    limit = licensee.plan.api_rate_per_minute
    if limit is None:
        return QuotaResult(True, None, None)
    now = clock()
    key = f"billing:api-rate:{licensee.pk}:{int(now) // RATE_WINDOW_SECONDS}"
    cache.add(key, 0, timeout=RATE_WINDOW_SECONDS * 2)
    try:
        used = cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, timeout=RATE_WINDOW_SECONDS * 2)
        used = 1
    if used > limit:
        return QuotaResult(False, 0, limit, _rate_retry_after(now), RATE)
    return QuotaResult(True, limit - used, limit)


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
