"""Writes taken off the request path: a request appends to a *pending* key in Redis; a flush moves the pending writes
into PostgreSQL in batches, each batch exactly once. First written for licensee API metering
(billing/metering_store.py); the prediction log (predictions/logbuffer.py) uses it too.

The protocol, under a PostgreSQL advisory lock held by the flush:
1. the pending key is renamed to ``<namespace>batch:<time>-<random>`` (Redis renames atomically: new writes go to a
   fresh pending key, and none is lost between the read and the rename);
2. each batch, oldest first, is applied in one transaction that also records the batch's id (``apply_once`` looks the
   id up, writes, records it); a batch already recorded is not applied again;
3. only after that transaction commits is the batch's key deleted.

A crash before 2 commits leaves the batch in Redis for the next flush; a crash between 2 and 3 leaves a batch that is
recorded, so the next flush deletes it without applying it. Nothing is lost and nothing is written twice. What a
Redis data loss costs is the writes of the last seconds, pending there.

Keys are namespaced by the database's oid (`database_namespace`): a recreated database never inherits old writes.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from functools import cache as memoize
from typing import TypeVar

import redis
from django.db import connection, transaction

from tenants.context import public_schema_context

T = TypeVar("T")

BATCH_MARK = "batch:"
RECORDS_KEPT = timedelta(days=2)  # how long a batch's id is remembered: far longer than a flush can be interrupted


@memoize
def _database_oid(database: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT oid FROM pg_database WHERE datname = current_database()")
        return int(cursor.fetchone()[0])


def database_namespace(prefix: str) -> str:
    """``<prefix>:<oid of this database>:``, the start of every key a kind of batched write uses."""
    return f"{prefix}:{_database_oid(connection.settings_dict['NAME'])}:"


@contextmanager
def advisory_lock(lock_id: int) -> Iterator[None]:
    """A session-level advisory lock (taken in public), held across a flush's commits and its batches' deletion, so
    two flushes never apply the same batch side by side."""
    with public_schema_context(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [lock_id])
        try:
            yield
        finally:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [lock_id])


def batch_id(key: str) -> str:
    """The id a batch is recorded by: the part of its key after the last colon."""
    return key.rsplit(":", 1)[-1]


def batch_keys(client: redis.Redis, namespace: str) -> list[str]:
    """The batches claimed and not deleted yet under `namespace`, oldest first."""
    return sorted(key.decode() for key in client.scan_iter(match=f"{namespace}{BATCH_MARK}*", count=500))


def batch_claim(client: redis.Redis, namespace: str, pending: str) -> None:
    """Renames the pending key to a new batch (step 1); nothing when nothing is pending."""
    if client.exists(pending):
        client.rename(pending, f"{namespace}{BATCH_MARK}{time.time_ns():020d}-{uuid.uuid4().hex[:8]}")


def batches_flush(
    client: redis.Redis,
    *,
    namespace: str,
    pending: str,
    read: Callable[[redis.Redis, str], T],
    apply_once: Callable[[str, T], object],
) -> list[tuple[str, T]]:
    """Steps 1 to 3 for one namespace; the caller holds its advisory lock. `read` returns a batch's contents from its
    key; `apply_once(batch_id, contents)` runs inside the batch's transaction and must skip a batch already recorded
    and record the one it applies. Returns (batch id, contents) of every batch handled, applied now or before."""
    batch_claim(client, namespace, pending)
    handled = []
    for key in batch_keys(client, namespace):
        contents = read(client, key)
        with transaction.atomic():
            apply_once(batch_id(key), contents)
        client.delete(key)
        handled.append((batch_id(key), contents))
    return handled
