"""``/healthz``: database, migrations, cache, broker and worker, as JSON with 200 (all well) or 503."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from kombu import Connection

from cvplus.celery import app as celery_app

Check = Callable[[], dict]


def check_database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True, "source": getattr(settings, "DATABASE_SOURCE", "configured")}


def check_migrations() -> dict:
    """Migrations missing from the schema this host uses (public on the public host, the tenant's on a tenant)."""
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    pending = sorted(f"{migration.app_label}.{migration.name}" for migration, _backwards in plan)
    return {"ok": not pending, "schema": connection.schema_name, "pending": pending}


def check_cache() -> dict:
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=5)
    ok = cache.get(key) == "1"
    cache.delete(key)
    return {"ok": ok, "backend": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]}


def check_broker() -> dict:
    if settings.TASKS_RUN_INLINE:
        return {"ok": True, "mode": "inline", "detail": "No broker: tasks run inside the web process."}
    with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return {"ok": True, "mode": "queued"}


def check_worker() -> dict:
    if settings.TASKS_RUN_INLINE:
        return {"ok": True, "mode": "inline", "workers": 0}
    replies = celery_app.control.broadcast("ping", reply=True, timeout=1.0, limit=1)
    return {"ok": bool(replies), "workers": len(replies)}


CHECKS: dict[str, Check] = {
    "database": check_database,
    "migrations": check_migrations,
    "cache": check_cache,
    "broker": check_broker,
    "worker": check_worker,
}


def run_checks() -> dict[str, dict]:
    results: dict[str, dict] = {}
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            result = check()
        except Exception as exc:  # noqa: BLE001 - a failing dependency is reported, not raised
            result = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]}
        result["ms"] = round((time.perf_counter() - started) * 1000, 1)
        results[name] = result
        if name == "database" and not result["ok"]:
            results["migrations"] = {"ok": False, "error": "database unavailable", "ms": 0.0}
            break
    return results


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    checks = run_checks()
    healthy = all(check["ok"] for check in checks.values()) and len(checks) == len(CHECKS)
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks}, status=200 if healthy else 503
    )
