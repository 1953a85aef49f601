"""Production-run figures for issue 11, measured side by side in one run: `.venv/bin/python bench/security_prod.py`.

1. PostgreSQL connections a server still holds 2 s after N concurrent requests (and the peak while they ran): the
   development server with the old persistent connections (CONN_MAX_AGE 60) and with the new setting (0), and
   gunicorn under production settings with its pool.
2. Requests per second on the landing page: gunicorn (production settings) against the development server (wrk).

It works on a database of its own (``cvplus_bench_prod``, public schema only), created and dropped here. Servers
bind to 127.0.0.1 only; every load is bounded in count and time.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402

from bench.http_load import free_loopback_port, wrk_available, wrk_requests_per_s  # noqa: E402

DATABASE = "cvplus_bench_prod"
CONCURRENT_REQUESTS = 40
WORKERS, THREADS = 2, 4
WRK_SECONDS = 10
ADMIN_DSN = "dbname=postgres user=postgres host=127.0.0.1 port=5432"


def _database_url(application_name: str) -> str:
    return f"postgres://postgres@127.0.0.1:5432/{DATABASE}?application_name={application_name}"


def _environment(settings_module: str, application_name: str, static_root: str) -> dict[str, str]:
    keep = {name: value for name, value in os.environ.items() if not name.startswith(("DATABASE_", "GUNICORN_"))}
    return keep | {
        "DJANGO_SETTINGS_MODULE": settings_module,
        "DATABASE_URL": _database_url(application_name),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "localhost,.localhost",
        "STATIC_ROOT": static_root,
        "SECURE_SSL_REDIRECT": "false",
        "WEB_CONCURRENCY": str(WORKERS),
        "GUNICORN_THREADS": str(THREADS),
        "GUNICORN_LOG_LEVEL": "warning",
    }


def _manage(environment: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=environment, check=True, timeout=600)


def _prepare(static_root: str) -> None:
    with psycopg.connect(ADMIN_DSN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DATABASE}"')
    environment = _environment("cvplus.settings.production", "cvplus-bench-setup", static_root)
    _manage(environment, "migrate_schemas", "--shared", "--noinput", "-v", "0")
    _manage(
        environment,
        "shell",
        "-v",
        "0",
        "-c",
        "from tenants.services import public_tenant_ensure as e; e(domain='localhost')",
    )
    _manage(environment, "collectstatic", "--noinput", "-v", "0")


def _drop() -> None:
    with psycopg.connect(ADMIN_DSN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')


def connections_held(application_name: str) -> int:
    with psycopg.connect(ADMIN_DSN, autocommit=True) as conn:
        row = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", [application_name])
        return int(row.fetchone()[0])


@contextmanager
def serving(command: list[str], environment: dict[str, str], port: int) -> Iterator[None]:
    log = Path(tempfile.gettempdir()) / f"cvplus-bench-prod-{port}.log"
    with log.open("w") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=output, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                _get(port, "/")
                break
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError(log.read_text()) from None
                time.sleep(0.3)
        yield
    finally:
        process.terminate()
        process.wait(timeout=40)


def _get(port: int, path: str) -> int:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Host": "localhost"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - loopback only
        response.read()
        return response.status


def connections_after_load(port: int, application_name: str) -> tuple[int, int, int]:
    """(responses 200, peak connections during the load, connections held 2 s after it)."""
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, connections_held(application_name))
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    with ThreadPoolExecutor(max_workers=CONCURRENT_REQUESTS) as pool:
        statuses = list(pool.map(lambda _i: _get(port, "/data-sources/"), range(CONCURRENT_REQUESTS)))
    done.set()
    sampler.join()
    time.sleep(2)
    return statuses.count(200), peak, connections_held(application_name)


def _runserver(port: int) -> list[str]:
    return [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"]


def _gunicorn(port: int) -> list[str]:
    return [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}"]


def main() -> None:
    static_root = tempfile.mkdtemp(prefix="cvplus-bench-static-")
    _prepare(static_root)
    try:
        print(
            f"PostgreSQL connections, {CONCURRENT_REQUESTS} concurrent GET /data-sources/"
            " (answered, peak, held 2 s after):"
        )
        cases = [
            (
                "runserver, CONN_MAX_AGE 60 (before)",
                "cvplus.settings.local",
                {"DATABASE_CONN_MAX_AGE": "60"},
                _runserver,
            ),
            ("runserver, CONN_MAX_AGE 0 (now)", "cvplus.settings.local", {}, _runserver),
            (f"gunicorn {WORKERS}x{THREADS}, pool (production)", "cvplus.settings.production", {}, _gunicorn),
        ]
        for label, settings_module, overrides, command in cases:
            name = f"cvplus-bench-{len(label)}-{secrets.token_hex(3)}"
            port = free_loopback_port()
            environment = _environment(settings_module, name, static_root) | overrides
            with serving(command(port), environment, port):
                answered, peak, held = connections_after_load(port, name)
            print(f"  {label:42s} answered {answered}/{CONCURRENT_REQUESTS}  peak {peak:3d}  held after {held:3d}")

        if not wrk_available():
            print("wrk is missing (bash scripts/ensure_package.sh wrk): requests/s not measured")
            return
        print(f"Landing page, requests/s (wrk, {WRK_SECONDS} s, 2 threads, 16 connections):")
        rates = {}
        for label, settings_module, command in (
            ("runserver (make run)", "cvplus.settings.local", _runserver),
            (f"gunicorn {WORKERS}x{THREADS} (make prod)", "cvplus.settings.production", _gunicorn),
        ):
            port = free_loopback_port()
            with serving(command(port), _environment(settings_module, "cvplus-bench-wrk", static_root), port):
                with ThreadPoolExecutor(max_workers=16) as pool:  # warm every worker and thread before timing
                    list(pool.map(_get, [port] * 64, ["/"] * 64))
                rates[label] = wrk_requests_per_s(
                    port=port, host="localhost", path="/", seconds=WRK_SECONDS, threads=2, connections=16
                )
            print(f"  {label:42s} {rates[label]:8.1f} requests/s")
        first, second = rates.values()
        print(f"  gunicorn / runserver: {second / first:.2f}x")
    finally:
        _drop()


if __name__ == "__main__":
    main()
