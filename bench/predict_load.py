"""Serving speed under load (issue 12, item 4), side by side in one run: `.venv/bin/python bench/predict_load.py`.

gunicorn with 2 workers as `make prod` runs it (gunicorn.conf.py: gthread, 4 threads a worker, production settings,
DEBUG off, the access log on, a pool of database connections, Redis), signed in as a premium seeker; wrk loads, in
turn, the salary endpoint (POST /api/v1/predictions/salary, one prediction with its reasons) and the plain signed-in
read (GET /api/v1/profile/) at 1, 4 and 16 connections. Printed for each: requests/s, p50 and p99 (wrk's latency
distribution), the ratio of the two throughputs, and the SQL queries one request makes (counted in process with
Django's CaptureQueriesContext, after a warm-up). Targets at 4 connections: salary >= 300 requests/s, p99 < 25 ms and
>= 0.65x the plain read's throughput.

`--checkout DIR` serves (and counts queries with) the code of another checkout of CVPlus on the same database, e.g.
main's before a change. The API's per-user throttle is raised for both endpoints alike (it would refuse a load test).
The database (``cvplus_load_bench`` unless CVPLUS_BENCH_DATABASE_URL names another ``*_bench``) is dropped and
recreated; servers bind to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("CVPLUS_BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cvplus_load_bench")

from bench.http_load import LOOPBACK, free_loopback_port, wrk_available  # noqa: E402
from bench.predict import EMAIL, HOST, PASSWORD, REFERENCE_DATA, SALARY_ITEM, SCHEMA, ApiClient, train  # noqa: E402
from bench.tenants import (  # noqa: E402
    DATABASE_URL,
    bench_env,
    consumer_tenant_provision,
    database_drop,
    database_recreate,
    manage,
    verdict,
)

CONNECTIONS = (1, 4, 16)
TARGET_CONNECTIONS = 4
SALARY_RPS_TARGET = 300.0
SALARY_P99_TARGET_MS = 25.0
RATIO_TARGET = 0.65
SALARY_PATH = "/api/v1/predictions/salary"
PLAIN_PATH = "/api/v1/profile/"
READY_TIMEOUT_S = 60.0

# Counted in the served code's own process: Django's test client, signed in, after a warm-up.
_QUERY_COUNT_SCRIPT = """
import json, sys
import django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context
from accounts.models import User
schema, host, email, item, salary, plain = sys.argv[1:7]
with schema_context(schema):
    client = Client(HTTP_HOST=host)
    client.force_login(User.objects.get(email=email))
def salary_call():
    return client.post(salary, item, content_type="application/json")
def plain_call():
    return client.get(plain)
counts = {}
for name, call in (("salary", salary_call), ("plain", plain_call)):
    for _ in range(20):
        assert call().status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert call().status_code == 200
    counts[name] = [q["sql"] for q in queries.captured_queries]
print(json.dumps(counts))
"""


def _server_env(static_root: str) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "GUNICORN_", "DJANGO_"))}
    return keep | {
        "DJANGO_SETTINGS_MODULE": "cvplus.settings.production",
        "DATABASE_URL": DATABASE_URL,
        "SECRET_KEY": os.environ.setdefault("BENCH_SECRET_KEY", secrets.token_urlsafe(50)),
        "ALLOWED_HOSTS": "localhost,.localhost",
        "STATIC_ROOT": static_root,
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "WEB_CONCURRENCY": "2",
        "GUNICORN_LOG_LEVEL": "warning",
        "API_THROTTLE_RATE_USER": "100000000/minute",
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/12"),
        "PYTHONUNBUFFERED": "1",
    }


def _wait_serving(process: subprocess.Popen, port: int, log: Path) -> None:
    import http.client

    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            conn = http.client.HTTPConnection(LOOPBACK, port, timeout=5)
            conn.request("GET", "/healthz", headers={"Host": HOST})
            conn.getresponse().read()
            conn.close()
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer in {READY_TIMEOUT_S:.0f} s; log {log}")


def _wrk_script(path: Path, *, method: str, body: str | None, headers: dict[str, str]) -> Path:
    lines = [f'wrk.method = "{method}"']
    if body is not None:
        lines.append(f"wrk.body = {json.dumps(body)}")
    lines += [f"wrk.headers[{json.dumps(name)}] = {json.dumps(value)}" for name, value in headers.items()]
    path.write_text("\n".join(lines) + "\n")
    return path


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk_run(port: int, path: str, script: Path, connections: int, seconds: int) -> tuple[float, float, float]:
    """(requests/s, p50 ms, p99 ms); raises when any answer was not 2xx or a socket failed."""
    command = [
        "wrk",
        f"-t{min(connections, 2)}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--latency",
        "--timeout",
        "10s",
        "-s",
        str(script),
        f"http://{LOOPBACK}:{port}{path}",
    ]
    out = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=True).stdout  # noqa: S603
    if "Non-2xx or 3xx responses" in out or re.search(r"Socket errors: connect [1-9]|read [1-9]|write [1-9]", out):
        raise RuntimeError(f"wrk saw failed requests on {path}:\n{out}")
    timeouts = re.search(r"timeout (\d+)", out)
    if timeouts and int(timeouts.group(1)):
        print(f"  ({timeouts.group(1)} requests on {path} took over wrk's 10 s timeout)")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    latency = {q: _ms(v, u) for q, v, u in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", out, re.MULTILINE)}
    return rps, latency["50"], latency["99"]


def query_counts(code_dir: Path) -> dict[str, list[str]]:
    env = bench_env(PYTHONPATH=str(code_dir), API_THROTTLE_RATE_USER="100000000/minute")
    result = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-c",
            _QUERY_COUNT_SCRIPT,
            SCHEMA,
            HOST,
            EMAIL,
            json.dumps(SALARY_ITEM),
            SALARY_PATH,
            PLAIN_PATH,
        ],
        cwd=code_dir,
        env=env | {"DJANGO_SETTINGS_MODULE": "cvplus.settings.base"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"query count failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def _flush_every_10_s(code_dir: Path, stop: threading.Event) -> None:
    """What the beat does in production: the buffered prediction log written every 10 s (when the code has one)."""
    if not (code_dir / "predictions/logbuffer.py").exists():
        return
    import django

    django.setup()
    from django.db import connections

    from predictions.logbuffer import prediction_log_flush

    written = 0
    while not stop.wait(10):
        written += prediction_log_flush()
    written += prediction_log_flush()
    connections.close_all()
    print(f"  (prediction log rows flushed during the run: {written:,})")


def measure(code_dir: Path, seconds: int) -> None:
    counts = query_counts(code_dir)
    print("\n== SQL queries per request (in process, signed in, after 20 warm-up requests) ==")
    for name, path in (("salary", SALARY_PATH), ("plain", PLAIN_PATH)):
        first_words = ", ".join(sql.split()[0] for sql in counts[name])
        print(f"  {path:<32} {len(counts[name])} queries: {first_words}")
    with tempfile.TemporaryDirectory(prefix="cvplus-load-") as tmp:
        tmp_path = Path(tmp)
        env = _server_env(str(tmp_path / "static"))
        subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=code_dir, env=env, check=True
        )
        port = free_loopback_port()
        log = tmp_path / "gunicorn.log"
        command = [str(ROOT / ".venv/bin/gunicorn"), "-c", "gunicorn.conf.py", "--bind", f"{LOOPBACK}:{port}"]
        with log.open("w") as log_file:
            server = subprocess.Popen(command, cwd=code_dir, env=env, stdout=log_file, stderr=subprocess.STDOUT)  # noqa: S603
        stop = threading.Event()
        flusher = threading.Thread(target=_flush_every_10_s, args=(code_dir, stop), daemon=True)
        try:
            _wait_serving(server, port, log)
            flusher.start()
            client = ApiClient(port)
            client.login()
            cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
            common = {"Host": HOST, "Cookie": cookie}
            scripts = {
                "salary": _wrk_script(
                    tmp_path / "salary.lua",
                    method="POST",
                    body=json.dumps(SALARY_ITEM),
                    headers=common
                    | {"Content-Type": "application/json", "X-CSRFToken": client.cookies.get("csrftoken", "")},
                ),
                "plain": _wrk_script(tmp_path / "plain.lua", method="GET", body=None, headers=common),
            }
            # Warm both workers (each loads the model on its first prediction) and every thread.
            for name, path in (("salary", SALARY_PATH), ("plain", PLAIN_PATH)):
                wrk_run(port, path, scripts[name], 16, 8)
            print(f"\n== gunicorn, 2 workers x 4 threads, production settings; wrk {seconds} s per line ==")
            results: dict[tuple[str, int], tuple[float, float, float]] = {}
            for connections in CONNECTIONS:
                for name, path in (("salary", SALARY_PATH), ("plain", PLAIN_PATH)):
                    rps, p50, p99 = wrk_run(port, path, scripts[name], connections, seconds)
                    results[name, connections] = (rps, p50, p99)
                    print(
                        f"  {connections:>2} conn  {name:<6} {path:<28} {rps:8.1f} req/s  "
                        f"p50 {p50:7.2f} ms  p99 {p99:7.2f} ms"
                    )
                ratio = results["salary", connections][0] / results["plain", connections][0]
                print(f"  {connections:>2} conn  salary/plain throughput: {ratio:.2f}x")
        finally:
            stop.set()
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
    rps, _p50, p99 = results["salary", TARGET_CONNECTIONS]
    ratio = rps / results["plain", TARGET_CONNECTIONS][0]
    print(f"\n== Targets at {TARGET_CONNECTIONS} connections ==")
    print(
        f"  salary throughput {rps:.1f} req/s   {verdict(rps >= SALARY_RPS_TARGET)} (target >= {SALARY_RPS_TARGET:.0f})"
    )
    print(f"  salary p99 {p99:.2f} ms   {verdict(p99 < SALARY_P99_TARGET_MS)} (target < {SALARY_P99_TARGET_MS:.0f} ms)")
    print(f"  salary/plain {ratio:.2f}x   {verdict(ratio >= RATIO_TARGET)} (target >= {RATIO_TARGET}x)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkout", type=Path, default=ROOT, help="serve this checkout's code (default: this one)")
    parser.add_argument("--seconds", type=int, default=10, help="wrk's duration per line (3..60)")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--reuse-db", action="store_true", help="skip the set-up: a database kept by --keep-db")
    options = parser.parse_args()
    if not 3 <= options.seconds <= 60:
        parser.error("keep --seconds in 3..60")
    if not wrk_available():
        print("wrk is not installed: bash scripts/ensure_package.sh wrk")
        return 1
    code_dir = options.checkout.resolve()
    if not (code_dir / "manage.py").exists():
        parser.error(f"{code_dir} is no CVPlus checkout")
    if not (code_dir / ".venv").exists():
        (code_dir / ".venv").symlink_to(ROOT / ".venv")
    os.environ.update(bench_env())
    head = subprocess.run(["git", "-C", str(code_dir), "log", "-1", "--format=%h %s"], capture_output=True, text=True)  # noqa: S607
    print(f"CVPlus serving speed under load, {time.strftime('%Y-%m-%d %H:%M')}; code: {code_dir} {head.stdout.strip()}")
    try:
        if not options.reuse_db:
            print(f"database recreated: {database_recreate():.1f} s")
            print(f"reference data loaded: {manage('load_reference_data', '--only', *REFERENCE_DATA):.1f} s")
            _prepare()
        measure(code_dir, options.seconds)
    finally:
        if not options.keep_db:
            from django.db import connections

            connections.close_all()
            database_drop()
    return 0


def _prepare() -> None:
    import django

    django.setup()
    from django.db import connections
    from django_tenants.utils import schema_context

    from accounts.services import user_create
    from billing.catalogue import plans_ensure
    from billing.services import plan_grant

    consumer_tenant_provision(name="Bench predictions", schema=SCHEMA, host=HOST)
    with schema_context(SCHEMA):
        user = user_create(email=EMAIL, password=PASSWORD)
    plans_ensure()
    plan_grant(schema=SCHEMA, user_id=user.pk, plan_code="premium-yearly")  # the salary range with its reasons
    train("salary")
    connections.close_all()


if __name__ == "__main__":
    sys.exit(main())
