"""``/healthz``: database, migrations, cache, broker and worker, as JSON with 200 (all well) or 503.

The checks run at once, each in its own thread with its own deadline (`CHECK_TIMEOUTS_S`), so the answer comes within
about a second whatever hangs: a check past its deadline is reported as timed out, and its thread is left to finish
on its own (every client it uses has timeouts of its own, so it does). Each thread opens its own database connection,
on the schema of the request's host, and closes it.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connection, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from kombu import Connection

from cvplus.celery import app as celery_app

Check = Callable[[], dict]

# Seconds each check may take. The broker and worker checks bound their own waits below these.
CHECK_TIMEOUTS_S = {"database": 0.9, "migrations": 0.9, "cache": 0.9, "broker": 0.9, "worker": 0.9}
BROKER_CONNECT_TIMEOUT_S = 0.5
WORKER_PING_TIMEOUT_S = 0.4


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


def _connected(conn: Connection) -> Connection:
    """The broker connection, connected with one quick try (kombu's defaults retry for seconds)."""
    conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=BROKER_CONNECT_TIMEOUT_S)
    return conn


def check_broker() -> dict:
    if settings.TASKS_RUN_INLINE:
        return {"ok": True, "mode": "inline", "detail": "No broker: tasks run inside the web process."}
    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {})
    with Connection(
        settings.CELERY_BROKER_URL, connect_timeout=BROKER_CONNECT_TIMEOUT_S, transport_options=options
    ) as conn:
        _connected(conn)
    return {"ok": True, "mode": "queued"}


def check_worker() -> dict:
    if settings.TASKS_RUN_INLINE:
        return {"ok": True, "mode": "inline", "workers": 0}
    with celery_app.connection_for_write() as conn:
        replies = celery_app.control.broadcast(
            "ping", connection=_connected(conn), reply=True, timeout=WORKER_PING_TIMEOUT_S, limit=1
        )
    return {"ok": bool(replies), "workers": len(replies)}


CHECKS: dict[str, Check] = {
    "database": check_database,
    "migrations": check_migrations,
    "cache": check_cache,
    "broker": check_broker,
    "worker": check_worker,
}


class _Run:
    """One check in its own thread, on the given schema, with its own database connection."""

    def __init__(self, check: Check, tenant: object | None) -> None:
        self.check, self.tenant = check, tenant
        self.result: dict | None = None
        self.started = time.perf_counter()
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, name="cvplus-healthz", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            if self.tenant is not None:
                connection.set_tenant(self.tenant)
            result = self.check()
        except Exception as exc:  # noqa: BLE001 - a failing dependency is reported, not raised
            result = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]}
        finally:
            connections.close_all()  # this thread's own connections: none outlives it
        result["ms"] = round((time.perf_counter() - self.started) * 1000, 1)
        self.result = result
        self.done.set()

    def outcome(self, timeout_s: float) -> dict:
        remaining = timeout_s - (time.perf_counter() - self.started)
        if self.done.wait(max(0.0, remaining)) and self.result is not None:
            return self.result
        return {"ok": False, "error": f"timed out after {timeout_s:g} s", "ms": round(timeout_s * 1000, 1)}


def run_checks(tenant: object | None = None) -> dict[str, dict]:
    """Every check's result, each within its own deadline, on `tenant`'s schema (the request's host)."""
    runs = {name: _Run(check, tenant) for name, check in CHECKS.items()}
    results = {name: run.outcome(CHECK_TIMEOUTS_S.get(name, 0.9)) for name, run in runs.items()}
    if not results["database"]["ok"] and "migrations" in results:
        results["migrations"] = {"ok": False, "error": "database unavailable", "ms": results["migrations"]["ms"]}
    return results


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    checks = run_checks(getattr(request, "tenant", None))
    healthy = all(check["ok"] for check in checks.values()) and len(checks) == len(CHECKS)
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks}, status=200 if healthy else 503
    )
