"""The prediction log, written off the request path: a request appends its PredictionLog rows to its tenant's pending
list in Redis (one RPUSH); `prediction_log_flush` (every 10 s on the beat, and before a person's data is exported)
writes them into that tenant's schema in batches, each exactly once (cvplus/batched_writes.py, the protocol licensee
API metering uses: a crash at any point neither loses nor doubles a row).

**Tenancy fails closed.** The schema is part of the Redis key, taken from the request's connection after
`require_tenant_schema()`; rows carry no schema of their own. The flush writes a schema's rows with SQL naming that
schema (never through the search path, which ends in public, where the table also exists), only for a ready tenant
of that name; a key naming anything else is never written anywhere (an erased tenant's rows are dropped, a tenant
not ready yet keeps them waiting). A user deleted before the flush is logged as no user, as deleting them would have
done to the row.

**Redis down or not configured** (or PREDICTION_LOG_BUFFERED off): the rows are inserted at once, as before. When
Redis took the RPUSH but its reply was lost, the rows are inserted too: a row may then be logged twice, never lost.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime

import redis
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from analytics.kick import rollups_kick
from billing.redis_client import REDIS_ERRORS, redis_client, redis_down, redis_failed
from cvplus import batched_writes
from predictions.models import PredictionLog, PredictionLogFlush
from tracking.models import DomainEvent

logger = logging.getLogger(__name__)

PREFIX = "predictions:log"
FLUSH_LOCK = 0x43565043  # the flush's advisory lock (metering's is 0x43565042)
PENDING = "pending"
_COLUMNS = [field.column for field in PredictionLog._meta.concrete_fields if not field.primary_key]


def _namespace(schema: str) -> str:
    return f"{batched_writes.database_namespace(PREFIX)}{schema}:"


def _row_values(row: PredictionLog, created_at: datetime) -> dict:
    values = {field.column: getattr(row, field.attname) for field in PredictionLog._meta.concrete_fields}
    values.pop(PredictionLog._meta.pk.column)
    values["created_at"] = created_at.isoformat()
    return values


def prediction_log_write(rows: list[PredictionLog]) -> None:
    """Logs `rows` (unsaved) for the current tenant schema: buffered in Redis, or inserted now (module docstring).
    The caller has checked that this is a tenant schema."""
    client = redis_client() if settings.PREDICTION_LOG_BUFFERED else None
    if client is None or redis_down(client):
        _rows_insert_now(rows)
        return
    now = timezone.now()
    payload = [json.dumps(_row_values(row, now), separators=(",", ":")) for row in rows]
    try:
        client.rpush(_namespace(connection.schema_name) + PENDING, *payload)
    except REDIS_ERRORS as error:
        redis_failed(client, error)
        _rows_insert_now(rows)


def _rows_insert_now(rows: list[PredictionLog]) -> None:
    """Without the buffer: the rows and their analytics events, in one transaction."""
    with transaction.atomic():
        PredictionLog.objects.bulk_create(rows)
        DomainEvent.objects.bulk_create(
            DomainEvent(
                kind=kind, occurred_at=occurred_at, actor_id=actor_id, subject_id=None, payload=json.loads(payload)
            )
            for kind, occurred_at, actor_id, payload in (
                _served_event(_row_values(row, row.created_at), {row.user_id}) for row in rows
            )
        )
        rollups_kick()


# ---------------------------------------------------------------------------------------------------------------------
# The flush (Celery beat, in public)
# ---------------------------------------------------------------------------------------------------------------------


def prediction_log_flush(*, schema: str | None = None) -> int:
    """Writes the rows pending in Redis into their tenants' schemas (only `schema`'s when given); returns the rows
    written. Raises what Redis raises: the beat's next flush tries again."""
    client = redis_client()
    if client is None:
        return 0
    base = batched_writes.database_namespace(PREFIX)
    written = 0
    with batched_writes.advisory_lock(FLUSH_LOCK):
        schemas = {schema} if schema else _schemas_pending(client, base)
        for name in sorted(schemas):
            written += _schema_flush(client, name)
    return written


def prediction_log_flush_for_reading(*, schema: str) -> bool:
    """`prediction_log_flush` of one schema before its log is read (an export); False when Redis is unreachable
    (the rows of the last seconds are then missing from what is read, rather than no answer)."""
    client = redis_client()
    if client is None or not settings.PREDICTION_LOG_BUFFERED:
        return True
    if redis_down(client):
        return False
    try:
        prediction_log_flush(schema=schema)
    except REDIS_ERRORS as error:
        redis_failed(client, error)
        return False
    return True


def _schemas_pending(client: redis.Redis, base: str) -> set[str]:
    return {key.decode()[len(base) :].split(":", 1)[0] for key in client.scan_iter(match=f"{base}*", count=500)}


def _schema_flush(client: redis.Redis, schema: str) -> int:
    from django_tenants.utils import get_public_schema_name

    from tenants.models import Client

    namespace = _namespace(schema)
    tenant = Client.objects.filter(schema_name=schema).exclude(schema_name=get_public_schema_name()).first()
    if tenant is None or tenant.erased_at is not None:
        keys = [namespace + PENDING, *batched_writes.batch_keys(client, namespace)]
        dropped = sum(client.llen(key) for key in keys)
        client.delete(*keys)
        logger.warning("Dropped %s prediction log rows for %r: no such tenant (or erased).", dropped, schema)
        return 0
    if not tenant.is_ready:
        return 0  # kept in Redis until the schema is ready
    written = 0

    def apply_once(batch: str, rows: list[dict]) -> None:
        nonlocal written
        written += _batch_write(schema, batch, rows)

    batched_writes.batches_flush(
        client, namespace=namespace, pending=namespace + PENDING, read=_rows_read, apply_once=apply_once
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {_table(schema, PredictionLogFlush)} WHERE applied_at < %s",  # noqa: S608 - model table
            [timezone.now() - batched_writes.RECORDS_KEPT],
        )
    return written


def _rows_read(client: redis.Redis, key: str) -> list[dict]:
    return [json.loads(item) for item in client.lrange(key, 0, -1)]


def _table(schema: str, model: type) -> str:
    """The model's table in `schema`, named in full: never resolved through the search path."""
    quote = connection.ops.quote_name
    return f"{quote(schema)}.{quote(model._meta.db_table)}"


def _batch_write(schema: str, batch: str, rows: list[dict]) -> int:
    """In the batch's transaction: the rows and the batch's record, or nothing when the batch is recorded already."""
    from accounts.models import User

    flushes = _table(schema, PredictionLogFlush)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {flushes} WHERE batch = %s", [batch])  # noqa: S608 - model table
        if cursor.fetchone() is not None:
            return 0
        user_ids = sorted({row["user_id"] for row in rows if row.get("user_id") is not None})
        cursor.execute(
            f"SELECT id FROM {_table(schema, User)} WHERE id = ANY(%s)",  # noqa: S608 - model table
            [user_ids],
        )
        users = {user_id for (user_id,) in cursor.fetchall()}
        columns = ", ".join(connection.ops.quote_name(column) for column in _COLUMNS)
        cursor.executemany(
            f"INSERT INTO {_table(schema, PredictionLog)} ({columns}) "  # noqa: S608 - model table and columns
            f"VALUES ({', '.join(['%s'] * len(_COLUMNS))})",
            [_insert_values(row, users) for row in rows],
        )
        cursor.executemany(
            f"INSERT INTO {_table(schema, DomainEvent)} (kind, occurred_at, actor_id, payload) "  # noqa: S608
            "VALUES (%s, %s, %s, %s::jsonb)",
            [_served_event(row, users) for row in rows],
        )
        cursor.execute(
            f"INSERT INTO {flushes} (batch, rows, applied_at) VALUES (%s, %s, %s)",  # noqa: S608 - model table
            [batch, len(rows), timezone.now()],
        )
    rollups_kick(schema)
    return len(rows)


def _served_event(row: dict, users: set[int]) -> list:
    """The analytics event of one log row, written with it (the outbox): the model kind is its category and the
    latency its value; ids and categories only."""
    payload = {
        "key": row["kind"],
        "value": row["latency_ms"],
        "items": row.get("batch_size") or 1,
        "version": row.get("model_version"),
        "source": row.get("source") or "",
    }
    actor = row.get("user_id") if row.get("user_id") in users else None
    return [DomainEvent.Kind.PREDICTION_SERVED, datetime.fromisoformat(row["created_at"]), actor, json.dumps(payload)]


def _insert_values(row: dict, users: set[int]) -> list:
    values = dict(row, created_at=datetime.fromisoformat(row["created_at"]))
    if values.get("user_id") not in users:
        values["user_id"] = None
    return [values.get(column) for column in _COLUMNS]
