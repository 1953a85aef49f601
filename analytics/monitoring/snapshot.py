"""Each tenant's model monitor snapshot (analytics.ModelMonitorSnapshot), refreshed by beat every 5 minutes inside
the tenant (analytics.tasks.model_monitor_refresh_task): the serving days counted since the last run, the last
WINDOW_DAYS days summed per model, the live accuracy parts and the tenant's own models' references. The staff page
and the alert metrics read snapshots only, so neither ever scans a tenant's log or applications.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from django.utils import timezone

from analytics.models import ModelMonitorSnapshot, ModelServingDay
from analytics.monitoring.latency import counts_add as latency_add
from analytics.monitoring.outcomes import accuracy_parts
from analytics.monitoring.serving import serving_days_advance, version_key
from predictions.drift import counts_add as bins_add
from predictions.models import ModelVersion
from tenants.context import current_tenant, require_tenant_schema
from tenants.models import Client

WINDOW_DAYS = 30


def serving_window(tenant: Client, *, today) -> list[dict]:
    """The tenant's serving days of the last WINDOW_DAYS days (today included) summed per (kind, model)."""
    since = today - timedelta(days=WINDOW_DAYS - 1)
    found: dict[tuple[str, str], dict] = {}
    for row in ModelServingDay.objects.filter(tenant=tenant, day__gte=since).order_by("day"):
        key = (row.kind, row.version_key)
        entry = found.setdefault(
            key,
            {
                "kind": row.kind,
                "version_key": row.version_key,
                "scope": row.scope,
                "model_version_id": row.model_version_id,
                "model_version": row.model_version,
                "model_label": row.model_label,
                "requests": 0,
                "items": 0,
                "latency_counts": {},
                "input_bins": {},
                "observed": 0,
                "last_day": None,
            },
        )
        entry["requests"] += row.requests
        entry["items"] += row.items
        latency_add(entry["latency_counts"], row.latency_counts)
        bins_add(entry["input_bins"], row.input_bins)
        entry["observed"] += row.observed
        entry["last_day"] = row.day.isoformat()
    return list(found.values())


def held_out(version: ModelVersion) -> dict:
    """The model card's held-out figures the monitor sets beside the live ones (metrics["test"] of the training
    run; for time to hire, the case with the inputs the application page gives: title, state and month)."""
    metrics = version.metrics or {}
    test = metrics.get("test") or {}
    if version.kind == ModelVersion.Kind.TIME_TO_HIRE:
        case = metrics.get("test_title_state_only") or test
        return {"coverage": _share(case.get("coverage_p10_p90")), "n": case.get("n"), "case": "title_state_only"}
    if version.kind == ModelVersion.Kind.SALARY:
        return {"coverage": _share(test.get("coverage_p10_p90")), "n": test.get("rows")}
    return {"brier": test.get("brier"), "ece": test.get("ece"), "n": test.get("n")}


def _share(percent: object) -> float | None:
    return float(percent) / 100 if isinstance(percent, int | float) else None


def version_facts(version: ModelVersion) -> dict:
    """What the page shows of a version beside its live figures: number, status, held-out figures, reference."""
    return {
        "kind": version.kind,
        "version": version.version,
        "status": version.status,
        "scope": version.scope,
        "held_out": held_out(version),
        "reference": version.input_bins or {},
    }


def _tenant_models(keys: set[str]) -> dict[str, dict]:
    """The tenant's own versions among `keys` (they live in its schema, which the page does not visit)."""
    ids = [int(key.split(":", 1)[1]) for key in keys if key.startswith("tenant:")]
    versions = ModelVersion.objects.filter(scope=ModelVersion.Scope.TENANT, pk__in=ids).defer("artifact")
    return {version_key(scope="tenant", model_version_id=v.pk, model_label=""): version_facts(v) for v in versions}


def monitor_snapshot_refresh(*, now: datetime | None = None) -> ModelMonitorSnapshot:
    """Refreshes the current tenant's snapshot (in its schema; the tables written are public)."""
    require_tenant_schema()
    started = time.perf_counter()
    now = now or timezone.now()
    tenant = current_tenant()
    serving_days_advance(tenant)
    serving = serving_window(tenant, today=now.astimezone(UTC).date())
    accuracy = accuracy_parts(now=now)
    keys = {entry["version_key"] for entry in serving}
    for kind in ("interview", "salary", "time_to_hire"):
        keys |= set(accuracy[kind])
    accuracy["tenant_models"] = _tenant_models(keys)
    snapshot, _created = ModelMonitorSnapshot.objects.update_or_create(
        tenant=tenant,
        defaults={
            "computed_at": now,
            "compute_ms": (time.perf_counter() - started) * 1000,
            "serving": serving,
            "accuracy": accuracy,
        },
    )
    return snapshot
