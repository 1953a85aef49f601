"""Where metered calls live in Redis and how they reach PostgreSQL, for billing/metering.py: the keys, the flush that
records each batch of pending calls exactly once, the seeding of a month counter Redis does not have, and the raising
of a counter that missed calls PostgreSQL counted while Redis was unreachable. Every function takes the client."""

from __future__ import annotations

import logging
from collections import defaultdict
from contextlib import AbstractContextManager
from datetime import UTC, date, datetime, timedelta

import redis
from django.db import connection
from django.utils import timezone
from redis.commands.core import Script

from billing.models import ApiUsage, ApiUsageDay, ApiUsageFlush, Licensee
from billing.quota import next_period_start, period_start
from cvplus import batched_writes
from cvplus.batched_writes import advisory_lock, batch_id, batch_keys

logger = logging.getLogger(__name__)

FLUSH_LOCK = 0x43565042  # the advisory lock shared by the flush and the seeding of a month counter
FLUSH_RECORDS_KEPT = batched_writes.RECORDS_KEPT


def keys() -> tuple[str, str]:
    """(namespace, pending hash key) for this database."""
    namespace = batched_writes.database_namespace("billing:meter")
    return namespace, namespace + "pending"


def month_key(namespace: str, licensee_id: int, month: date) -> str:
    return f"{namespace}month:{licensee_id}:{month:%Y-%m}"


def pending_field(licensee_id: int, day: date) -> str:
    return f"{licensee_id}:{day.isoformat()}"


def flush_lock() -> AbstractContextManager[None]:
    """The advisory lock held across a flush's commit and the batch's deletion, and by a month counter's seeding."""
    return advisory_lock(FLUSH_LOCK)


def batches(client, namespace: str) -> list[str]:
    return batch_keys(client, namespace)


def month_counter_seed(client, namespace: str, licensee_id: int, month: date) -> None:
    """Sets the month counter, if still missing, to PostgreSQL's count plus the calls not applied to it yet."""
    with flush_lock():
        stored = (
            ApiUsage.objects.filter(licensee_id=licensee_id, period_start=month).values_list("calls", flat=True).first()
        )
        applied = set(ApiUsageFlush.objects.values_list("batch", flat=True))
        pending = 0
        for key in [namespace + "pending", *batches(client, namespace)]:
            if batch_id(key) in applied:
                continue
            for field, calls in client.hgetall(key).items():
                owner, day = field.decode().split(":")
                if int(owner) == licensee_id and period_start(date.fromisoformat(day)) == month:
                    pending += int(calls)
        expires = next_period_start(datetime(month.year, month.month, 1, tzinfo=UTC)) + timedelta(days=35)
        client.set(month_key(namespace, licensee_id, month), max(0, (stored or 0) + pending), nx=True, exat=expires)


def flush(client: redis.Redis) -> int:
    """Moves the pending calls into ApiUsage and ApiUsageDay, each batch exactly once; returns the calls moved.

    Calls of a licensee deleted since are dropped. A month's count never falls below what Stripe has been told. A
    month counter in Redis that is below what PostgreSQL recorded plus what is pending is raised to it."""
    namespace, pending = keys()
    moved = 0

    def apply_once(batch: str, counts: dict[str, int]) -> None:
        nonlocal moved
        if not ApiUsageFlush.objects.filter(batch=batch).exists():
            moved += _apply(counts)
            ApiUsageFlush.objects.create(batch=batch, calls=sum(counts.values()))

    with flush_lock():
        handled = batched_writes.batches_flush(
            client, namespace=namespace, pending=pending, read=_counts_read, apply_once=apply_once
        )
        months: set[tuple[int, date]] = set()
        for _batch, counts in handled:
            months.update(_months_of(counts))
        _counters_raise(client, namespace, pending, months)
        ApiUsageFlush.objects.filter(applied_at__lt=timezone.now() - FLUSH_RECORDS_KEPT).delete()
    return moved


def _counts_read(client: redis.Redis, key: str) -> dict[str, int]:
    return {field.decode(): int(calls) for field, calls in client.hgetall(key).items()}


# KEYS: month counter, pending hash. ARGV: the month's calls recorded in PostgreSQL, then this licensee's pending
# fields in that month. Raises the counter to recorded + pending when it is lower (calls PostgreSQL counted while Redis
# was unreachable); returns the calls added. The script and the metering script change the counter and the pending
# hash together, so their difference is stable while this runs.
_RAISE_SCRIPT = """
local used = redis.call('GET', KEYS[1])
if not used then return 0 end
local floor = tonumber(ARGV[1])
for i = 2, #ARGV do floor = floor + tonumber(redis.call('HGET', KEYS[2], ARGV[i]) or 0) end
local missing = floor - tonumber(used)
if missing <= 0 then return 0 end
redis.call('INCRBY', KEYS[1], missing)
return missing
"""
_raise_script = Script(None, _RAISE_SCRIPT.encode())


def _months_of(counts: dict[str, int]) -> set[tuple[int, date]]:
    return {(int(owner), period_start(date.fromisoformat(day))) for owner, day in (f.split(":") for f in counts)}


def _counters_raise(client: redis.Redis, namespace: str, pending: str, months: set[tuple[int, date]]) -> None:
    """Run under the flush lock, after the batches are applied: only the fresh pending hash is not in PostgreSQL."""
    if not months:
        return
    recorded = ApiUsage.objects.filter(
        licensee_id__in={owner for owner, _month in months}, period_start__in={month for _owner, month in months}
    ).values_list("licensee_id", "period_start", "calls")
    today = timezone.now().date()
    with client.pipeline(transaction=False) as pipe:
        for owner, month, calls in recorded:
            if (owner, month) not in months:
                continue
            days = {day for day in (today, today - timedelta(days=1)) if period_start(day) == month}
            fields = [pending_field(owner, day) for day in sorted(days)]
            _raise_script(keys=[month_key(namespace, owner, month), pending], args=[calls, *fields], client=pipe)
        raised = sum(pipe.execute())
    if raised:
        logger.info("Month counters raised by %s calls that PostgreSQL counted while Redis was unreachable.", raised)


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
