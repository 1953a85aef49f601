"""Requests answered through a 40 s Redis outage: `.venv/bin/python bench/security_redis.py`.

A private redis-server (never the shared one on 6379) is CVPlus's cache, broker and metering store; gunicorn serves
the site; threads keep a steady load on four endpoints (the licensee API, the tenant API, a tenant page, /healthz).
Redis is killed (SIGKILL) after the first phase and started again 40 s later. Prints, per endpoint and phase (before,
during, after), the requests answered and their status codes; /healthz's answer time while Redis is down (target
under 1 s); and the licensee calls answered beside those billed in PostgreSQL.

Works on a database of its own (cvplus_redis_bench), dropped and recreated; every request goes to 127.0.0.1 and every
loop is bounded in time.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("CVPLUS_BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cvplus_redis_bench")

from bench.http_load import free_loopback_port  # noqa: E402
from bench.tenants import (  # noqa: E402
    bench_env,
    consumer_tenant_provision,
    database_drop,
    database_recreate,
    percentile,
)
from tests.faults.processes import Visitor, request  # noqa: E402
from tests.faults.redis_server import RedisServer, running_redis  # noqa: E402

PUBLIC_HOST = "localhost"
SCHEMA = "bench_redis"
TENANT_HOST = "bench-redis.localhost"
PASSWORD = "bench-password-123"  # noqa: S105 - a throwaway bench user
MATCH_BODY = {
    "cv_text": "Data scientist\nExperience\n- Built Python models on PostgreSQL\nSkills\nPython, SQL",
    "posting_title": "Data Scientist",
    "posting_description": "Requirements:\n- Python\n- Terraform",
}
HEALTHZ_TARGET_MS = 1000.0
PHASES = ("before", "during", "after")
# Requests per second each endpoint is asked for (the server may answer fewer).
PACE_PER_S = {"licensee API": 8.0, "tenant API": 4.0, "tenant page": 4.0, "healthz": 2.0}


class Load:
    """Threads that call one endpoint each at a steady pace and record (start, seconds, status) until stopped."""

    def __init__(self) -> None:
        self.records: dict[str, list[tuple[float, float, str]]] = defaultdict(list)
        self.stopping = threading.Event()
        self.threads: list[threading.Thread] = []

    def add(self, name: str, call: Callable[[], int]) -> None:
        thread = threading.Thread(target=self._loop, args=(name, call), daemon=True)
        self.threads.append(thread)

    def _loop(self, name: str, call: Callable[[], int]) -> None:
        interval = 1.0 / PACE_PER_S[name]
        next_at = time.monotonic()
        while not self.stopping.is_set():
            started = time.monotonic()
            try:
                status = str(call())
            except OSError as error:  # a timeout or refused connection counts as an unanswered request
                status = type(error).__name__
            self.records[name].append((started, time.monotonic() - started, status))
            next_at = max(next_at + interval, time.monotonic())
            self.stopping.wait(max(0.0, next_at - time.monotonic()))

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def stop(self) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=30)


def setup_data() -> tuple[str, str]:
    """The public tenant, a consumer tenant with a seeker, and a licensee; returns (seeker e-mail, API key)."""
    from django_tenants.utils import schema_context

    from accounts.services import user_ensure
    from billing.api_keys import api_key_issue
    from billing.catalogue import plans_ensure
    from billing.models import Licensee, Plan
    from tenants.services import public_tenant_ensure

    public_tenant_ensure(domain=PUBLIC_HOST)
    plans_ensure()
    consumer_tenant_provision(name="Bench Redis", schema=SCHEMA, host=TENANT_HOST)
    email = "seeker@bench-redis.example"
    with schema_context(SCHEMA):
        user_ensure(email=email, password=PASSWORD, full_name="Bench Seeker")
    plan = Plan.objects.create(code="api-bench-redis", kind=Plan.Kind.API, interval=Plan.Interval.MONTH, name="API")
    licensee = Licensee.objects.create(name="Bench Redis Ltd", contact_email="api@bench.example", plan=plan)
    _key, secret = api_key_issue(licensee=licensee)
    return email, secret


def worker(env: dict[str, str], log: Path) -> subprocess.Popen:
    """A Celery worker, so /healthz can say 200 when Redis is up."""
    command = [sys.executable, "-m", "celery", "-A", "cvplus", "worker", "--pool", "solo", "--loglevel", "WARNING"]
    command += ["--without-gossip", "--without-mingle", "--hostname", f"bench-redis-{os.getpid()}@%h"]
    with log.open("w") as output:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)


def gunicorn(env: dict[str, str], port: int, log: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "gunicorn", "cvplus.wsgi:application", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", "2", "--threads", "4", "--worker-class", "gthread", "--timeout", "30"]
    with log.open("w") as output:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if request(port, "GET", "/healthz", host=PUBLIC_HOST, timeout_s=5).status in (200, 503):
                return server
        except OSError:
            time.sleep(0.2)
        if server.poll() is not None:
            break
    server.kill()
    raise RuntimeError(f"gunicorn did not start: {log.read_text()[-3000:]}")


def phase_of(started: float, down_at: float, up_at: float) -> str:
    return "before" if started < down_at else "during" if started < up_at else "after"


def report(load: Load, down_at: float, up_at: float) -> list[float]:
    """Prints the table; returns /healthz's answer times (ms) while Redis was down."""
    print(f"  {'endpoint':<13} {'phase':<7} {'answered':>8}  status codes (count)")
    healthz_down_ms: list[float] = []
    for name in PACE_PER_S:
        for phase in PHASES:
            rows = [r for r in load.records[name] if phase_of(r[0], down_at, up_at) == phase]
            statuses = Counter(status for _started, _seconds, status in rows)
            answered = sum(count for status, count in statuses.items() if status.isdigit())
            codes = ", ".join(f"{status}: {count}" for status, count in sorted(statuses.items()))
            print(f"  {name:<13} {phase:<7} {answered:>8}  {codes}")
            if name == "healthz" and phase == "during":
                healthz_down_ms = [seconds * 1000 for _started, seconds, _status in rows]
    return healthz_down_ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=float, default=10.0, help="seconds of load before the outage")
    parser.add_argument("--outage", type=float, default=40.0, help="seconds Redis is down")
    parser.add_argument("--after", type=float, default=10.0, help="seconds of load after Redis is back")
    parser.add_argument("--keep-db", action="store_true")
    options = parser.parse_args()
    if not (1 <= options.before <= 120 and 1 <= options.outage <= 300 and 1 <= options.after <= 120):
        parser.error("keep --before and --after in 1..120 s and --outage in 1..300 s")
    with running_redis() as redis:
        measure(options, redis)


def measure(options: argparse.Namespace, redis: RedisServer) -> None:
    os.environ.update(REDIS_URL=redis.url(0), CELERY_BROKER_URL=redis.url(0))
    env = bench_env(DEBUG="false")
    os.environ.update(env)
    print(f"CVPlus through a Redis outage, {time.strftime('%Y-%m-%d')}")
    print(f"database recreated: {database_recreate():.1f} s")
    import django

    django.setup()
    from django.db import connections

    from billing.metering import usage_flush
    from billing.models import ApiUsage

    logs = Path(tempfile.mkdtemp(prefix="cvplus-bench-redis-"))
    processes: list[subprocess.Popen] = []
    try:
        email, secret = setup_data()
        connections.close_all()
        port = free_loopback_port()
        processes.append(worker(env, logs / "worker.log"))
        processes.append(gunicorn(env, port, logs / "gunicorn.log"))
        api_visitor, page_visitor = Visitor(port, TENANT_HOST), Visitor(port, TENANT_HOST)
        for visitor in (api_visitor, page_visitor):
            assert visitor.submit("/accounts/login/", {"username": email, "password": PASSWORD}).status == 302
        api_headers = {"Authorization": f"Bearer {secret}", "Content-Type": "application/json"}
        body = json.dumps(MATCH_BODY).encode()
        load = Load()
        load.add("licensee API", lambda: _post(port, api_headers, body))
        load.add("tenant API", lambda: api_visitor.get("/api/v1/applications/").status)
        load.add("tenant page", lambda: page_visitor.get("/app/").status)
        load.add("healthz", lambda: request(port, "GET", "/healthz", host=PUBLIC_HOST, timeout_s=5).status)

        load.start()
        time.sleep(options.before)
        down_at = time.monotonic()
        redis.stop()
        time.sleep(options.outage)
        up_at = time.monotonic()
        redis.start()
        time.sleep(options.after)
        load.stop()

        print(
            f"gunicorn 2 workers x 4 threads on 127.0.0.1; private redis-server killed after {options.before:g} s of "
            f"load, started again {up_at - down_at:.1f} s later; {options.after:g} s of load after"
        )
        healthz_ms = report(load, down_at, up_at)
        if healthz_ms:
            p50, p99, worst = percentile(healthz_ms, 0.5), percentile(healthz_ms, 0.99), max(healthz_ms)
            verdict = "PASS" if worst < HEALTHZ_TARGET_MS else "FAIL"
            print(
                f"/healthz answer time while Redis was down: p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {worst:.1f} ms "
                f"(n={len(healthz_ms)}; target under {HEALTHZ_TARGET_MS:.0f} ms: {verdict})"
            )
        answered = sum(status == "200" for _s, _d, status in load.records["licensee API"])
        request(port, "GET", "/api/v1/licensee/usage", host=PUBLIC_HOST, headers=api_headers)  # flushes Redis
        usage_flush()
        billed = sum(ApiUsage.objects.filter(licensee__name="Bench Redis Ltd").values_list("calls", flat=True))
        print(f"licensee calls answered 200: {answered}; billed in PostgreSQL: {billed}")
        print(f"logs: {logs}")
    finally:
        for process in reversed(processes):
            process.terminate()
            process.wait(timeout=30)
        connections.close_all()
        if not options.keep_db:
            database_drop()


def _post(port: int, headers: dict[str, str], body: bytes) -> int:
    path = "/api/v1/licensee/predictions/match"
    return request(port, "POST", path, host=PUBLIC_HOST, headers=headers, body=body).status


if __name__ == "__main__":
    main()
