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

**Without Redis** (development without it): PostgreSQL decides (billing/quota.py).

**With Redis down** (degraded mode, docs/architecture.md): when the question cannot be sent to Redis (no connection),
nothing was counted there, and PostgreSQL decides instead, as without Redis. Each call is counted in exactly one place,
so none is billed twice. When Redis took the question and its answer was lost (a timeout on the reply), the calls may
have been counted: `MeteringUnavailable`, answered 503 with Retry-After and never counted again elsewhere. Back on
Redis, a month counter that missed the calls PostgreSQL counted meanwhile is raised to PostgreSQL's count plus what is
pending at the next flush (`_counters_raise`).

A batch of N items consumes N calls, all or none; the rate counts requests (a batch is one).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial

import redis
from django.utils import timezone
from redis.commands.core import Script

from billing import metering_store as store
from billing.models import Licensee
from billing.quota import (
    IN_POSTGRESQL,
    IN_REDIS,
    QUOTA,
    RATE,
    RATE_WINDOW_SECONDS,
    QuotaResult,
    next_period_start,
    period_start,
    quota_consume,
    quota_refund,
    quota_remaining,
    rate_consume,
    rate_retry_after,
    seconds_to_next_month,
    usage_days,
    usage_months,
)
from billing.redis_client import (
    REDIS_ERRORS,
    RedisUnreachable,
    redis_client,
    redis_connection,
    redis_down,
    redis_failed,
    redis_release,
)

# Callers import these from here, whichever store counts.
__all__ = [
    "IN_POSTGRESQL",
    "IN_REDIS",
    "QUOTA",
    "RATE",
    "Metering",
    "MeteringUnavailable",
    "QuotaResult",
    "meter",
    "meter_refund",
    "next_period_start",
    "period_start",
    "quota_remaining",
    "seconds_to_next_month",
    "usage_days",
    "usage_flush",
    "usage_flush_for_reading",
    "usage_months",
]

logger = logging.getLogger(__name__)

METERING_RETRY_AFTER_S = 5  # what a 503 for a lost metering answer tells the caller

# The rate limiter's clock: tests replace it to stay inside one window.
clock: Callable[[], float] = time.time


class MeteringUnavailable(Exception):
    """Redis was asked and its answer was lost: the calls may or may not have been counted. The request is neither
    answered nor counted elsewhere; the caller retries after `retry_after` seconds."""

    retry_after = METERING_RETRY_AFTER_S


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


def _redis() -> redis.Redis | None:
    """A Redis client on the cache's server, or None when the cache is not Redis."""
    return redis_client()


_script = Script(None, _METER_SCRIPT.encode())  # loaded into Redis on first use (EVALSHA, then SCRIPT LOAD)


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
            return QuotaResult(False, 0, self.rate, rate_retry_after(self.tick), RATE, IN_REDIS)
        if status == QUOTA_REFUSED:
            left = max(0, self.quota - value)
            return QuotaResult(False, left, self.quota, seconds_to_next_month(self.now), QUOTA, IN_REDIS)
        left = None if self.quota is None else max(0, self.quota - value)
        return QuotaResult(True, left, self.quota, counted_in=IN_REDIS)


def _ask(licensee: Licensee, calls: int, now: datetime) -> _Ask:
    plan = licensee.plan
    quota, rate = plan.api_monthly_quota, plan.api_rate_per_minute
    namespace, pending = store.keys()
    tick = clock()
    month_key = store.month_key(namespace, licensee.pk, period_start(now.date()))
    rate_key = f"{namespace}rate:{licensee.pk}:{int(tick) // RATE_WINDOW_SECONDS}"
    args = [calls, -1 if quota is None else quota, -1 if rate is None else rate, RATE_WINDOW_SECONDS * 2]
    args.append(store.pending_field(licensee.pk, now.date()))
    return _Ask(licensee.pk, quota, rate, [month_key, rate_key, pending], args, now, tick)


def _send(client: redis.Redis, ask: _Ask) -> redis.connection.Connection:
    """Sends the script and returns the connection its answer will arrive on. `RedisUnreachable` when it could not be
    sent whole: Redis runs only complete commands, so nothing was counted."""
    link = redis_connection(client)
    try:
        link.send_command("EVALSHA", _script.sha, len(ask.keys), *ask.keys, *ask.args)
    except REDIS_ERRORS as error:
        redis_release(client, link, broken=True)
        redis_failed(client, error)
        raise RedisUnreachable(str(error)) from error
    except BaseException:
        redis_release(client, link, broken=True)
        raise
    return link


def _receive(client: redis.Redis, link: redis.connection.Connection) -> tuple[int, int] | None:
    """The script's answer, or None when Redis did not know the script (nothing was counted). `MeteringUnavailable`
    when the answer was lost: the script may have run."""
    try:
        answer = link.read_response()
    except redis.exceptions.NoScriptError:
        redis_release(client, link)
        return None
    except REDIS_ERRORS as error:
        redis_release(client, link, broken=True)
        redis_failed(client, error)
        raise MeteringUnavailable from error
    except BaseException:
        redis_release(client, link, broken=True)
        raise
    redis_release(client, link)
    status, value = answer
    return status, value


def _prepare(client: redis.Redis, work: Callable[[], object]) -> None:
    """Loads the script or seeds a month counter, before anything is counted: a failure is `RedisUnreachable`."""
    try:
        work()
    except REDIS_ERRORS as error:
        redis_failed(client, error)
        raise RedisUnreachable(str(error)) from error


def _run(client: redis.Redis, ask: _Ask, answer: tuple[int, int] | None) -> QuotaResult:
    """Asks Redis and waits for the answer, loading the script or seeding the month counter first when Redis lacks
    them. `answer` is a reply already read. `RedisUnreachable`: nothing was counted; `MeteringUnavailable`: the
    answer was lost."""
    for _attempt in range(3):
        if answer is None:
            _prepare(client, partial(client.script_load, _METER_SCRIPT))
        elif answer[0] == SEEDED:
            month = period_start(ask.now.date())
            _prepare(client, partial(store.month_counter_seed, client, store.keys()[0], ask.licensee_id, month))
        else:
            return ask.answer(*answer)
        answer = _receive(client, _send(client, ask))
    raise RedisUnreachable("the script or the month counter could not be set up")  # nothing was counted


def _precheck(licensee: Licensee, calls: int, now: datetime) -> QuotaResult | None:
    """A refusal that needs no counting: a batch larger than the whole quota."""
    if calls < 0:
        raise ValueError("calls must not be negative")
    limit = licensee.plan.api_monthly_quota
    if limit is not None and calls > limit:
        return QuotaResult(False, None, limit, seconds_to_next_month(now), QUOTA)
    return None


def _meter_in_postgresql(licensee: Licensee, calls: int, now: datetime) -> QuotaResult:
    rate = rate_consume(licensee, now=clock())
    if not rate.allowed or calls == 0:
        return rate
    return quota_consume(licensee, calls, now=now)


def meter(licensee: Licensee, calls: int, *, now: datetime | None = None) -> QuotaResult:
    """Counts one request against the rate and, when `calls` > 0, those calls against the month's quota, all or none.

    `calls` = 0 counts the request only (a request refused before any answer, such as a 400, still counts towards
    the rate). Returns the calls left this month, or why the request was refused. Raises `MeteringUnavailable` when
    Redis's answer was lost."""
    now = now or timezone.now()
    refused = _precheck(licensee, calls, now)
    if refused is not None:
        return refused
    client = _redis()
    if client is not None:
        ask = _ask(licensee, calls, now)
        try:
            return _run(client, ask, _receive(client, _send(client, ask)))
        except RedisUnreachable:
            pass  # nothing reached Redis: PostgreSQL decides
    return _meter_in_postgresql(licensee, calls, now)


# Licensees recently refused, by id, until when (clock()): their next requests are decided before any work starts.
_recently_refused: dict[int, float] = {}
RECENT_REFUSAL_MEMORY_S = 60.0


class Metering:
    """A metering decision asked of Redis and not read yet: the request's work runs while Redis answers, and
    `result()` waits for the answer before anything is returned. Nothing is answered to the caller without it.

    A licensee refused in the last minute by this process is decided up front instead (`meter`), so a caller that
    keeps hitting its rate or quota cannot make CVPlus do work it will throw away. So is a request whose question
    cannot reach Redis (PostgreSQL decides). `result()` raises `MeteringUnavailable` when Redis's answer was lost."""

    def __init__(self, licensee: Licensee, calls: int, *, now: datetime | None = None) -> None:
        now = now or timezone.now()
        self._decided: QuotaResult | None = _precheck(licensee, calls, now)
        self._lost: MeteringUnavailable | None = None
        self._link = None
        self._client = _redis()
        self._licensee, self._calls, self._now = licensee, calls, now
        if self._decided is not None:
            return
        if self._client is None or _recently_refused.get(licensee.pk, 0.0) > clock():
            self._decide(meter(licensee, calls, now=now))
            return
        self._ask = _ask(licensee, calls, now)
        try:
            self._link = _send(self._client, self._ask)
        except RedisUnreachable:
            self._decide(_meter_in_postgresql(licensee, calls, now))

    @property
    def decided(self) -> bool:
        return self._decided is not None

    def result(self) -> QuotaResult:
        if self._decided is not None:
            return self._decided
        if self._lost is not None:
            raise self._lost
        link, self._link = self._link, None
        try:
            answer = _receive(self._client, link)
            if answer is not None and answer[0] != SEEDED:
                return self._decide(self._ask.answer(*answer))
            # A missing script or month counter: nothing was counted; ask again once they are set up.
            return self._decide(_run(self._client, self._ask, answer))
        except RedisUnreachable:
            return self._decide(_meter_in_postgresql(self._licensee, self._calls, self._now))
        except MeteringUnavailable as lost:
            self._lost = lost
            raise

    def _decide(self, result: QuotaResult) -> QuotaResult:
        self._decided = result
        if result.allowed:
            _recently_refused.pop(self._licensee.pk, None)
        else:
            _recently_refused[self._licensee.pk] = clock() + min(RECENT_REFUSAL_MEMORY_S, result.retry_after or 0)
        return result


def meter_refund(licensee: Licensee, calls: int, *, now: datetime | None = None, counted_in: str | None = None) -> None:
    """Gives back calls that were counted but not answered (no model to serve them), to the store that counted them
    (`counted_in`, from the QuotaResult; Redis when it is configured and nothing is said). A Redis that cannot be
    reached keeps them counted: logged, not raised over the error that caused the refund."""
    now = now or timezone.now()
    client = _redis()
    if client is None or counted_in == IN_POSTGRESQL:
        quota_refund(licensee, calls, now=now)
        return
    namespace, pending = store.keys()
    month_key = store.month_key(namespace, licensee.pk, period_start(now.date()))
    try:
        with client.pipeline(transaction=True) as pipe:
            pipe.decrby(month_key, calls)
            pipe.hincrby(pending, store.pending_field(licensee.pk, now.date()), -calls)
            pipe.execute()
    except REDIS_ERRORS as error:
        redis_failed(client, error)
        logger.warning("%s unanswered calls of licensee %s stay counted: Redis is unreachable.", calls, licensee.pk)


def usage_flush() -> int:
    """Moves the calls pending in Redis into PostgreSQL, each batch exactly once (billing/metering_store.py); returns
    the calls moved. Raises what Redis raises: the beat's next flush tries again."""
    client = _redis()
    return 0 if client is None else store.flush(client)


def usage_flush_for_reading() -> bool:
    """`usage_flush` before usage is shown; False when Redis is unreachable: PostgreSQL's record is then shown without
    the last seconds' calls, rather than no page."""
    client = _redis()
    if client is None:
        return True
    if redis_down(client):
        return False
    try:
        store.flush(client)
    except REDIS_ERRORS as error:
        redis_failed(client, error)
        return False
    return True
