"""What each tenant's models served, per UTC day, counted from its prediction log into analytics.ModelServingDay.

The log (predictions.PredictionLog, in the tenant's schema) carries the id of the transaction that wrote each row
(`txid`, predictions migration 0004). `serving_days_advance` counts, in one transaction with the tenant's cursor
locked, the rows whose transaction is below the oldest transaction still running: those have all finished, so none
can appear later, and the cursor moves with the counts, so a worker killed mid-way counts nothing twice and loses
nothing (the scheme of analytics/rollups.py). A run reads only the rows logged since the last one; reading a day of
a busy tenant's log at once (bin counts are JSON) takes seconds, which a page could not wait for.

Per (day, kind, model): requests, items (a batch counts its items), a latency histogram of single-item requests
(analytics/monitoring/latency.py: a batch's latency is not a request's) and the input bin counts (predictions/drift.py)
of the items the model answered with its own features.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date

from django.db import connection, transaction
from django.utils import timezone

from analytics.models import ModelServingCursor, ModelServingDay
from analytics.monitoring.latency import BUCKET_SQL
from analytics.monitoring.latency import counts_add as latency_add
from predictions.drift import counts_add as bins_add
from tenants.models import Client

_WINDOW = "txid >= %(low)s::text::xid8 AND txid < %(high)s::text::xid8"
_GROUP = "(created_at AT TIME ZONE 'UTC')::date, kind, scope, model_version_id, model_version, model_label"
_VOLUME_SQL = f"SELECT {_GROUP}, COUNT(*), SUM(batch_size) FROM {{log}} WHERE {_WINDOW} GROUP BY {_GROUP}"  # noqa: S608
_LATENCY_SQL = (
    f"SELECT {_GROUP}, {BUCKET_SQL.format(column='latency_ms')}, COUNT(*) FROM {{log}} "  # noqa: S608
    f"WHERE {_WINDOW} AND batch_size = 1 GROUP BY {_GROUP}, 7"
)
_BINS_SQL = f"SELECT {_GROUP}, input_bins FROM {{log}} WHERE {_WINDOW} AND input_bins IS NOT NULL"  # noqa: S608


def version_key(*, scope: str, model_version_id: int | None, model_label: str) -> str:
    """How a model is told apart in the monitor: "global:12" (scope and version id), "prior:shrunk-prior-1",
    ":match-1" (a label where no ModelVersion row exists). A version id alone is not enough: a tenant's own
    versions are numbered in its schema, apart from the global ones."""
    scope = scope or ("global" if model_version_id is not None else "")
    return f"{scope}:{model_version_id}" if model_version_id is not None else f"{scope}:{model_label}"


@dataclass
class _Day:
    requests: int = 0
    items: int = 0
    latency_counts: dict[str, int] = field(default_factory=dict)
    input_bins: dict[str, list[int]] = field(default_factory=dict)
    observed: int = 0
    identity: dict = field(default_factory=dict)


def _log_table(tenant: Client) -> str:
    return f"{connection.ops.quote_name(tenant.schema_name)}.predictions_predictionlog"


def _oldest_running() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")
        return cursor.fetchone()[0]


def _read(tenant: Client, low: int, high: int) -> dict[tuple[date, str, str], _Day]:
    found: dict[tuple[date, str, str], _Day] = {}
    params = {"low": low, "high": high}
    table = _log_table(tenant)

    def day_of(row: tuple) -> _Day:
        day, kind, scope, version_id, version, label = row[:6]
        key = (day, kind, version_key(scope=scope, model_version_id=version_id, model_label=label))
        if key not in found:
            identity = {"scope": scope, "model_version_id": version_id, "model_version": version, "model_label": label}
            found[key] = _Day(identity=identity)
        return found[key]

    with connection.cursor() as cursor:
        # A run reads minutes of rows: compiling the plan (JIT, which the JSON functions' row estimates set off)
        # took 1.5 s where the query takes milliseconds. Local to the caller's transaction.
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(_VOLUME_SQL.format(log=table), params)
        for row in cursor.fetchall():
            entry = day_of(row)
            entry.requests += row[6]
            entry.items += row[7]
        cursor.execute(_LATENCY_SQL.format(log=table), params)
        for row in cursor.fetchall():
            latency_add(day_of(row).latency_counts, {str(row[6]): row[7]})
        cursor.execute(_BINS_SQL.format(log=table), params)
        for row in cursor.fetchall():
            counts = row[6] if isinstance(row[6], dict) else json.loads(row[6])
            bins_add(day_of(row).input_bins, counts)
    for entry in found.values():
        # Every input counted has every feature of its version: any feature's total is the number of inputs.
        entry.observed = sum(next(iter(entry.input_bins.values()), []))
    return found


def _merge(tenant: Client, counted: dict[tuple[date, str, str], _Day]) -> int:
    if not counted:
        return 0
    days = {day for day, _kind, _key in counted}
    existing = {
        (row.day, row.kind, row.version_key): row
        for row in ModelServingDay.objects.select_for_update().filter(tenant=tenant, day__in=days)
    }
    for key, entry in counted.items():
        row = existing.get(key)
        if row is None:
            day, kind, name = key
            row = ModelServingDay(tenant=tenant, day=day, kind=kind, version_key=name, **entry.identity)
        row.requests += entry.requests
        row.items += entry.items
        row.latency_counts = latency_add(dict(row.latency_counts), entry.latency_counts)
        row.input_bins = bins_add(dict(row.input_bins), entry.input_bins)
        row.observed += entry.observed
        row.save()
    return len(counted)


def _cursor_locked(tenant: Client) -> ModelServingCursor:
    ModelServingCursor.objects.get_or_create(tenant=tenant)
    return ModelServingCursor.objects.select_for_update().get(tenant=tenant)


def serving_days_advance(tenant: Client) -> int:
    """Counts the tenant's log rows not counted yet whose transactions have finished; returns the day rows written.
    Concurrent calls for one tenant wait for each other (the cursor's row lock)."""
    with transaction.atomic():
        cursor = _cursor_locked(tenant)
        high = _oldest_running()
        if high <= cursor.counted_below:
            return 0
        written = _merge(tenant, _read(tenant, cursor.counted_below, high))
        cursor.counted_below, cursor.advanced_at = high, timezone.now()
        cursor.save(update_fields=["counted_below", "advanced_at"])
    return written


def serving_days_rebuild(tenant: Client) -> int:
    """Recounts the tenant's serving days from all of its log (a command for staff; what the tests compare with)."""
    with transaction.atomic():
        cursor = _cursor_locked(tenant)
        ModelServingDay.objects.filter(tenant=tenant).delete()
        high = _oldest_running()
        written = _merge(tenant, _read(tenant, 0, high))
        cursor.counted_below, cursor.advanced_at = high, timezone.now()
        cursor.save(update_fields=["counted_below", "advanced_at"])
    return written
