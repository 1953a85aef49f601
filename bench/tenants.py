"""Tenant benchmarks, measured side by side in one run: `.venv/bin/python bench/tenants.py` (or `make bench`).

1. Provisioning one tenant: cloning the template schema versus migrating an empty schema.
2. `migrate_schemas` over a fleet of tenants: with nothing to do, and applying one new migration.
3. Per-request cost of tenant routing: a trivial view under gunicorn, with and without the tenant middleware.

It works on a database of its own (``cvplus_bench``; never the development database), which it drops and recreates
at the start and drops again at the end (unless ``--keep-db``), so it can be re-run. Servers bind to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this file's directory comes first on sys.path and this module would shadow the `tenants` app.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

from bench import http_load  # noqa: E402

DATABASE_URL = os.environ.get("CVPLUS_BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cvplus_bench")
SETTINGS = "bench.settings_bench"
PENDING_MIGRATION = ROOT / "bench/benchapp/pending/0002_bench_note_add_score.py"
APPLIED_MIGRATION = ROOT / "bench/benchapp/migrations/0002_bench_note_add_score.py"
HTTP_HOST = "bench-http.localhost"
HTTP_PATH = "/ok"
CLONE_SPEEDUP_TARGET = 2.0
CLONE_SECONDS_TARGET = 1.0
ROUTING_RATIO_TARGET = 0.9
SUBPROCESS_TIMEOUT_S = 900
PARTS = ["provisioning", "migrate", "routing"]


class BenchError(RuntimeError):
    pass


def bench_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("EXECUTOR", None)  # django-tenants reads it to pick a migration executor; measure the default one
    env.update(DATABASE_URL=DATABASE_URL, DJANGO_SETTINGS_MODULE=SETTINGS, PYTHONUNBUFFERED="1")
    env.update(extra)
    return env


def manage(*args: str) -> float:
    """Runs ``manage.py`` in a fresh process, as a user would; returns its wall time in seconds."""
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=bench_env(),
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_TIMEOUT_S,
        check=False,
    )
    elapsed_s = time.perf_counter() - start
    if result.returncode != 0:
        raise BenchError(f"manage.py {' '.join(args)} failed:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}")
    return elapsed_s


def median(values: list[float]) -> float:
    return statistics.median(values)


def verdict(passed: bool) -> str:
    return "PASS" if passed else "FAIL"


def seconds_list(values: list[float]) -> str:
    return "[" + ", ".join(f"{v:.3f}" for v in values) + "]"


# ---------------------------------------------------------------------------------------------------------------------
# Database
# ---------------------------------------------------------------------------------------------------------------------
def database_drop() -> None:
    import psycopg
    from psycopg import sql

    url = urlsplit(DATABASE_URL)
    name = url.path.lstrip("/")
    if not (name.endswith("_bench") or "_bench_" in name):
        raise BenchError(f"refusing to drop {name!r}: the benchmark only drops databases named *_bench or *_bench_*")
    params = {"dbname": "postgres", "user": url.username or "postgres", "host": url.hostname, "port": url.port}
    if url.password:
        params["password"] = url.password
    with psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def database_recreate() -> float:
    start = time.perf_counter()
    database_drop()
    manage("db_prepare")
    manage("migrate_schemas", "--shared", "--noinput", "-v", "0")
    return time.perf_counter() - start


def pending_migration_remove() -> None:
    APPLIED_MIGRATION.unlink(missing_ok=True)
    shutil.rmtree(APPLIED_MIGRATION.parent / "__pycache__", ignore_errors=True)


# ---------------------------------------------------------------------------------------------------------------------
# Tenants (in-process, after django.setup())
# ---------------------------------------------------------------------------------------------------------------------
def bench_tenant_create(schema: str, domain: str | None = None):  # -> tenants.models.Client
    from tenants.services import tenant_create

    return tenant_create(
        name=f"Bench {schema}",
        schema_name=schema,
        domain=domain or f"{schema.replace('_', '-')}.bench.localhost",
        kind="enterprise",
        region="NA",
        language="en",
        currency="USD",
        provision=False,
    )


def provision_by_clone(schema: str) -> float:
    from tenants.provisioning import tenant_provision

    client = bench_tenant_create(schema)
    start = time.perf_counter()
    tenant_provision(client_id=client.pk)
    return time.perf_counter() - start


def provision_by_migrate(schema: str) -> float:
    """What django-tenants does for a tenant with auto_create_schema: CREATE SCHEMA, then every tenant migration."""
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from tenants.models import Client

    client = bench_tenant_create(schema)
    start = time.perf_counter()
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE SCHEMA "{schema}"')
    call_command("migrate_schemas", tenant=True, schema_name=schema, interactive=False, verbosity=0)
    connection.set_schema_to_public()
    Client.objects.filter(pk=client.pk).update(is_ready=True, provisioned_at=timezone.now())
    return time.perf_counter() - start


def clone_breakdown(schema: str) -> dict[str, float]:
    """Times the three steps of tenant_provision's clone inside a transaction that is rolled back."""
    from django.conf import settings
    from django.db import connection, transaction

    from tenants.clone import clone_function_ensure, schema_clone
    from tenants.provisioning import template_schema_is_current

    steps: dict[str, float] = {}
    connection.set_schema_to_public()
    with transaction.atomic():
        start = time.perf_counter()
        template_schema_is_current()
        steps["template_schema_is_current()"] = time.perf_counter() - start
        start = time.perf_counter()
        clone_function_ensure()
        steps["clone_function_ensure() (installed once)"] = time.perf_counter() - start
        start = time.perf_counter()
        schema_clone(source=settings.TENANT_TEMPLATE_SCHEMA, target=schema)
        steps["SELECT clone_schema(...)"] = time.perf_counter() - start
        transaction.set_rollback(True)
    return steps


def tenants_drop(schemas: list[str]) -> None:
    from tenants.models import Client
    from tenants.provisioning import tenant_schema_drop

    for client in Client.objects.filter(schema_name__in=schemas):
        tenant_schema_drop(client=client)


# ---------------------------------------------------------------------------------------------------------------------
# 1. Provisioning
# ---------------------------------------------------------------------------------------------------------------------
def bench_provisioning(reps: int) -> None:
    from tenants.provisioning import schema_migrations_applied, template_schema_sync

    print(f"\n== 1. Provisioning one tenant (in one warm process, {reps} repetitions each, alternating) ==")
    start = time.perf_counter()
    template_schema_sync()
    print(f"template schema built (migrate, once): {time.perf_counter() - start:.3f} s")
    # One of each first, untimed, so that imports and first-use costs land on neither side.
    provision_by_clone("bench_warm_clone")
    provision_by_migrate("bench_warm_migrate")
    if schema_migrations_applied("bench_warm_clone") != schema_migrations_applied("bench_warm_migrate"):
        raise BenchError("a cloned schema and a migrated schema record different migrations")
    provisioning_compare(reps, prefix="bench_p", context="with no other tenant")
    tenants_drop(["bench_warm_clone", "bench_warm_migrate"])


def provisioning_compare(reps: int, *, prefix: str, context: str) -> None:
    """Alternates cloning and migrating ``reps`` times, prints medians, the clone's steps and both verdicts."""
    clone_s: list[float] = []
    migrate_s: list[float] = []
    for i in range(reps):
        clone_s.append(provision_by_clone(f"{prefix}_clone_{i}"))
        migrate_s.append(provision_by_migrate(f"{prefix}_migrate_{i}"))
    steps = [clone_breakdown(f"{prefix}_breakdown_{i}") for i in range(reps)]
    tenants_drop([f"{prefix}_clone_{i}" for i in range(reps)] + [f"{prefix}_migrate_{i}" for i in range(reps)])

    clone_median, migrate_median = median(clone_s), median(migrate_s)
    ratio = migrate_median / clone_median
    print(f"clone   (tenant_provision):                 median {clone_median:.3f} s  {seconds_list(clone_s)}")
    print(f"migrate (CREATE SCHEMA + migrate_schemas):  median {migrate_median:.3f} s  {seconds_list(migrate_s)}")
    print(f"ratio migrate/clone: {ratio:.2f}x")
    print("clone breakdown (medians, in a transaction rolled back):")
    for step in steps[0]:
        print(f"  {step:<42} {median([s[step] for s in steps]):.3f} s")
    print(
        f"{verdict(ratio >= CLONE_SPEEDUP_TARGET)}: cloning at least {CLONE_SPEEDUP_TARGET:g}x faster, {context} "
        f"({ratio:.2f}x)"
    )
    print(
        f"{verdict(clone_median < CLONE_SECONDS_TARGET)}: cloning under {CLONE_SECONDS_TARGET:g} s per tenant, "
        f"{context} ({clone_median:.3f} s)"
    )


# ---------------------------------------------------------------------------------------------------------------------
# 2. migrate_schemas over a fleet
# ---------------------------------------------------------------------------------------------------------------------
def timed_runs(runs: int, fn: Callable[[], float]) -> list[float]:
    return [fn() for _ in range(runs)]


def score_columns() -> int:
    from django.db import connection

    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM information_schema.columns "
            "WHERE table_name = 'benchapp_benchnote' AND column_name = 'score' AND table_schema LIKE 'bench_m_%%'"
        )
        return cursor.fetchone()[0]


def bench_migrate_fleet(tenant_count: int, runs: int) -> None:
    from django.db import connection

    print(f"\n== 2. migrate_schemas --tenant over {tenant_count} tenants (fresh process per run, {runs} runs) ==")
    start = time.perf_counter()
    schemas = [f"bench_m_{i:03d}" for i in range(tenant_count)]
    clone_s = [provision_by_clone(schema) for schema in schemas]
    tenth = max(1, tenant_count // 10)
    print(
        f"fleet provisioned by cloning: {time.perf_counter() - start:.1f} s; tenant_provision median of the first "
        f"{tenth} {median(clone_s[:tenth]):.3f} s, of the last {tenth} {median(clone_s[-tenth:]):.3f} s"
    )
    print(f"provisioning again with the {tenant_count} tenants present ({runs} repetitions each, alternating):")
    provisioning_compare(runs, prefix="bench_q", context=f"with {tenant_count} tenants present")
    connection.close()

    all_v1 = timed_runs(runs, lambda: manage("migrate_schemas", "--tenant", "--noinput"))
    all_v0 = timed_runs(runs, lambda: manage("migrate_schemas", "--tenant", "--noinput", "-v", "0"))
    one_v1 = timed_runs(runs, lambda: manage("migrate_schemas", "--tenant", "--schema", schemas[0], "--noinput"))
    start_only = timed_runs(runs, lambda: manage("migrate_schemas", "--help"))
    fixed_s = median(one_v1)
    print("nothing to do:")
    for label, values in (("all tenants, default verbosity", all_v1), ("all tenants, -v 0", all_v0)):
        wall = median(values)
        print(
            f"  {label:<31} median {wall:.2f} s = {1000 * wall / tenant_count:.0f} ms/tenant "
            f"(marginal {1000 * (wall - fixed_s) / (tenant_count - 1):.0f} ms/tenant)  {seconds_list(values)}"
        )
    print(f"  {'one tenant (--schema)':<31} median {fixed_s:.2f} s: process start + fixed cost  {seconds_list(one_v1)}")
    print(f"  {'process start only (--help)':<31} median {median(start_only):.2f} s  {seconds_list(start_only)}")

    apply_s: list[float] = []
    apply_multiprocessing_s: list[float] = []
    unapply_s: list[float] = []
    shutil.copyfile(PENDING_MIGRATION, APPLIED_MIGRATION)
    try:
        for _ in range(runs):
            apply_s.append(manage("migrate_schemas", "--tenant", "--noinput"))
            columns = score_columns()
            connection.close()
            if columns != tenant_count:
                raise BenchError(f"0002 added its column to {columns} of {tenant_count} tenant schemas")
            unapply_s.append(manage("migrate_schemas", "--tenant", "benchapp", "0001_bench_note", "--noinput"))
            apply_multiprocessing_s.append(
                manage("migrate_schemas", "--tenant", "--noinput", "--executor", "multiprocessing")
            )
            manage("migrate_schemas", "--tenant", "benchapp", "0001_bench_note", "--noinput")
    finally:
        pending_migration_remove()
    wall = median(apply_s)
    print(f"one new migration (benchapp 0002 AddField, nullable), applied then unapplied {runs} times:")
    print(
        f"  apply   median {wall:.2f} s = {1000 * wall / tenant_count:.0f} ms/tenant "
        f"(marginal {1000 * (wall - fixed_s) / (tenant_count - 1):.0f} ms/tenant)  {seconds_list(apply_s)}"
    )
    wall = median(apply_multiprocessing_s)
    print(
        f"  apply with --executor multiprocessing (2 processes) median {wall:.2f} s = "
        f"{1000 * wall / tenant_count:.0f} ms/tenant  {seconds_list(apply_multiprocessing_s)}"
    )
    print(f"  unapply median {median(unapply_s):.2f} s  {seconds_list(unapply_s)}")
    tenants_drop(schemas)
    connection.close()


# ---------------------------------------------------------------------------------------------------------------------
# 3. Routing overhead
# ---------------------------------------------------------------------------------------------------------------------
HTTP_VARIANTS: list[tuple[str, str, dict[str, str]]] = [
    ("without tenant routing", "bench.settings_http_unrouted", {}),
    ("with tenant routing", "bench.settings_http_routed", {}),
    ("with, a new connection per request", "bench.settings_http_routed", {"DATABASE_CONN_MAX_AGE": "0"}),
]


def bench_routing(rounds: int, round_s: float, workers: int) -> None:
    from contextlib import ExitStack

    from django.db import connection

    from tenants.provisioning import tenant_provision

    print(
        f"\n== 3. Tenant routing overhead: GET {HTTP_PATH} with Host: {HTTP_HOST}, gunicorn {workers} sync workers, "
        f"wrk -t2 -c8, {rounds} rounds x {round_s:g} s per variant, order rotated each round =="
    )
    if not http_load.wrk_available():
        print("FAIL: wrk is not installed (apt-get install -y wrk); routing not measured")
        return
    schema = "bench_http"
    client = bench_tenant_create(schema, domain=HTTP_HOST)
    tenant_provision(client_id=client.pk)
    connection.close()

    rps: dict[str, list[float]] = {label: [] for label, _, _ in HTTP_VARIANTS}
    with ExitStack() as stack, tempfile.TemporaryDirectory(prefix="cvplus-bench-") as log_dir:
        servers = [
            stack.enter_context(
                http_load.gunicorn_serving(
                    label=label,
                    cwd=ROOT,
                    env=bench_env(DJANGO_SETTINGS_MODULE=settings_module, **extra),
                    workers=workers,
                    host=HTTP_HOST,
                    path=HTTP_PATH,
                    log_dir=Path(log_dir),
                )
            )
            for label, settings_module, extra in HTTP_VARIANTS
        ]

        def load(server: http_load.Server, seconds: float) -> float:
            return http_load.wrk_requests_per_s(
                port=server.port, host=HTTP_HOST, path=HTTP_PATH, seconds=seconds, threads=2, connections=8
            )

        for server in servers:
            load(server, 1)  # warm-up, not counted
        for r in range(rounds):
            for server in servers[r % len(servers) :] + servers[: r % len(servers)]:
                rps[server.label].append(load(server, round_s))
    tenants_drop([schema])

    baseline_label = HTTP_VARIANTS[0][0]
    baseline = rps[baseline_label]
    for label, values in rps.items():
        ratios = [v / b for v, b in zip(values, baseline, strict=True)]
        extra_ms = workers * 1000 * (1 / median(values) - 1 / median(baseline))
        print(
            f"{label:<36} median {median(values):7.0f} req/s  ratio {median(ratios):.2f} "
            f"(+{extra_ms:.2f} ms/request/worker)  rounds {[round(v) for v in values]}"
        )
    headline = median([v / b for v, b in zip(rps[HTTP_VARIANTS[1][0]], baseline, strict=True)])
    print(
        f"{verdict(headline >= ROUTING_RATIO_TARGET)}: with/without tenant routing >= {ROUTING_RATIO_TARGET:g} "
        f"({headline:.2f})"
    )


# ---------------------------------------------------------------------------------------------------------------------
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5, help="provisioning repetitions per method")
    parser.add_argument("--tenants", type=int, default=50, help="fleet size for migrate_schemas")
    parser.add_argument("--runs", type=int, default=3, help="migrate_schemas runs per case")
    parser.add_argument("--rounds", type=int, default=6, help="HTTP rounds per variant")
    parser.add_argument("--round-seconds", type=float, default=4.0)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--keep-db", action="store_true", help="leave the benchmark database behind")
    parser.add_argument("--parts", nargs="+", choices=PARTS, default=PARTS, help="which benchmarks to run")
    options = parser.parse_args()
    if not (1 <= options.reps <= 20 and 2 <= options.tenants <= 200 and 1 <= options.runs <= 5):
        parser.error("keep --reps in 1..20, --tenants in 2..200 and --runs in 1..5")
    if not (1 <= options.rounds <= 10 and 1 <= options.round_seconds <= 30):
        parser.error("keep --rounds in 1..10 and --round-seconds in 1..30")

    os.environ.update(bench_env())
    pending_migration_remove()  # a run that was killed may have left 0002 behind
    print(f"CVPlus tenant benchmarks on {os.cpu_count()} CPUs, database {DATABASE_URL.rsplit('/', 1)[-1]}")
    print(f"database dropped, created and public schema migrated: {database_recreate():.1f} s")

    import django

    django.setup()
    from django.db import connection

    logging.getLogger("tenants.provisioning").setLevel(logging.WARNING)
    try:
        if "provisioning" in options.parts:
            bench_provisioning(options.reps)
        if "migrate" in options.parts:
            bench_migrate_fleet(options.tenants, options.runs)
        if "routing" in options.parts:
            bench_routing(options.rounds, options.round_seconds, options.workers)
    finally:
        pending_migration_remove()
        connection.close()
        if not options.keep_db:
            database_drop()
    return 0


if __name__ == "__main__":
    sys.exit(main())


def consumer_tenant_provision(*, name: str, schema: str, host: str) -> None:
    """A consumer tenant (NA, English, USD) created and provisioned in this process, as the other benchmarks use."""
    from tenants.provisioning import tenant_provision
    from tenants.services import tenant_create

    client_row = tenant_create(
        name=name,
        schema_name=schema,
        domain=host,
        kind="consumer",
        region="NA",
        language="en",
        currency="USD",
        provision=False,
    )
    tenant_provision(client_id=client_row.pk)


def percentile(values: list[float], q: float) -> float:
    """The nearest-rank percentile every benchmark prints (q in 0..1)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]
