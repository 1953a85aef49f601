"""The model monitor's costs at a realistic volume: `.venv/bin/python bench/model_monitor.py [--schema northbridge]`.

Runs on the development database after `make setup` (the demo tenants and their recorded predictions), inside one
demo tenant, and removes every row it adds. Measures:
  (a) the request path: binning one salary input into its version's reference, and keeping the application page's
      three predictions (through the log buffer's Redis list, as the page does, and the upsert without Redis);
  (b) counting the prediction log into the serving days: a backlog of 100,000 rows (a day of a busy tenant, or a long
      outage of the worker) at once, then 5 minutes' worth (350 rows at 100,000 a day);
  (c) the live accuracy parts over 100,000 recorded predictions and their applications;
  (d) the page: the report and its sections from 1, 4 and 200 tenants' snapshots (the page reads nothing else).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cvplus.settings.local")

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_tenants.utils import schema_context  # noqa: E402

from analytics.models import ModelMonitorSnapshot  # noqa: E402
from analytics.monitoring import report as report_module  # noqa: E402
from analytics.monitoring.outcomes import accuracy_parts  # noqa: E402
from analytics.monitoring.page import sections  # noqa: E402
from analytics.monitoring.report import monitor_report  # noqa: E402
from analytics.monitoring.serving import serving_days_advance  # noqa: E402
from predictions.drift import inputs_observe, inputs_observed  # noqa: E402
from predictions.logbuffer import prediction_log_flush  # noqa: E402
from predictions.models import ApplicationPrediction, ModelVersion  # noqa: E402
from predictions.served import Served, served_predictions_keep, served_predictions_record  # noqa: E402
from tenants.models import Client  # noqa: E402
from tracking.models import Application  # noqa: E402

BACKLOG = 100_000
FIVE_MINUTES = 350
MARK = "bench-model-monitor"


def timed(fn, repeat: int = 1) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def request_path(version: ModelVersion, application: Application) -> None:
    reference = version.input_bins
    x = np.asarray(
        [[spec["edges"][0] if spec["type"] == "numeric" and spec["edges"] else 0.0 for spec in reference["features"]]]
    )

    def observe() -> None:
        with inputs_observed():
            inputs_observe(version, x)

    observe()  # compiles the reference once, as the first request of a process does
    samples = sorted(timed(observe)[0] for _ in range(2000))
    print(
        f"(a) binning one input into {len(reference['features'])} features: p50 {samples[1000] * 1000:.0f} µs, "
        f"p99 {samples[1980] * 1000:.0f} µs"
    )
    result = {"salary_p10_usd": 50000.0, "salary_p50_usd": 60000.0, "salary_p90_usd": 70000.0, "currency": "USD",
              "exchange_rate": 1.0, "model_version_id": version.pk, "model_version": version.version,
              "interview_probability": 0.3, "days_p10": 10, "days_p50": 30, "days_p90": 60,
              "measured_from": "application_close"}  # fmt: skip
    application.stage, application.offered_at, application.screened_at = "applied", None, None  # never frozen here
    served = [Served(application, kind, result) for kind in ("salary", "interview", "time_to_hire")]
    before = list(ApplicationPrediction.objects.filter(application=application).values())
    buffered = sorted(timed(lambda: served_predictions_keep(served=served, source="page"))[0] for _ in range(200))
    prediction_log_flush(schema=connection.schema_name)
    upsert = sorted(timed(lambda: served_predictions_record(served=served, source="page"))[0] for _ in range(200))
    print(
        f"    keeping the page's three predictions: through the buffer p50 {buffered[100]:.2f} ms, p99 "
        f"{buffered[198]:.2f} ms; one upsert and its commit (no Redis) p50 {upsert[100]:.2f} ms, "
        f"p99 {upsert[198]:.2f} ms"
    )
    ApplicationPrediction.objects.filter(application=application).delete()
    ApplicationPrediction.objects.bulk_create(ApplicationPrediction(**row) for row in before)


def log_rows(schema: str, version: ModelVersion, count: int, rng: random.Random) -> None:
    """`count` single-item salary log rows with bins drawn from the served distribution's shape."""
    features = version.input_bins["features"]
    rows = []
    now = timezone.now()
    for _ in range(count):
        bins = {}
        for spec in features:
            counts = [0] * len(spec["counts"])
            counts[min(int(rng.expovariate(0.6)), len(counts) - 1)] = 1
            bins[spec["name"]] = counts
        rows.append((now, json.dumps(bins), rng.lognormvariate(2.5, 0.6)))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {connection.ops.quote_name(schema)}.predictions_predictionlog (kind, model_version_id, "  # noqa: S608
            "model_version, model_label, scope, input_hash, latency_ms, batch_size, low_confidence, "
            "low_confidence_count, insufficient_data, source, input_bins, created_at) VALUES "
            "('salary', %s, %s, '', '', %s, %s, 1, false, 0, false, 'page', %s::jsonb, %s)",
            [(version.pk, version.version, MARK, latency, bins, at) for at, bins, latency in rows],
        )


def countable(schema: str) -> None:
    """Waits until every transaction older than the last log row has ended (other sessions on this PostgreSQL
    server may hold one open): only then does an advance count the rows, and only that advance is timed."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT max(txid)::text::bigint FROM {connection.ops.quote_name(schema)}.predictions_predictionlog"  # noqa: S608
        )
        newest = cursor.fetchone()[0]
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            cursor.execute("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")
            if cursor.fetchone()[0] > newest:
                return
            time.sleep(0.5)
    raise SystemExit("a transaction on this server stayed open for 10 minutes: nothing can be counted")


def counting(tenant: Client, version: ModelVersion) -> None:
    rng = random.Random(14)
    serving_days_advance(tenant)  # whatever was pending before
    log_rows(tenant.schema_name, version, BACKLOG, rng)
    countable(tenant.schema_name)
    backlog, _ = timed(lambda: serving_days_advance(tenant))
    log_rows(tenant.schema_name, version, FIVE_MINUTES, rng)
    countable(tenant.schema_name)
    increment, _ = timed(lambda: serving_days_advance(tenant))
    print(
        f"(b) counting a backlog of {BACKLOG:,} log rows: {backlog:,.0f} ms; "
        f"5 minutes' worth ({FIVE_MINUTES} rows): {increment:,.0f} ms"
    )


def accuracy_at_volume(schema: str) -> None:
    """Copies of the tenant's applications and their predictions up to about 100,000 predictions, then the parts."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM tracking_application")
        existing = cursor.fetchone()[0]
        copies = max(1, 100_000 // max(existing * 3, 1))
        columns = [f.column for f in Application._meta.concrete_fields if not f.primary_key]
        listed = ", ".join(columns)
        cursor.execute(
            f"CREATE TEMP TABLE bench_copies AS SELECT a.id AS original, nextval(pg_get_serial_sequence("  # noqa: S608
            f"'tracking_application', 'id')) AS copy FROM tracking_application a, generate_series(1, {copies})"
        )
        cursor.execute(
            f"INSERT INTO tracking_application (id, {listed}) SELECT c.copy, {listed} "  # noqa: S608
            "FROM bench_copies c JOIN tracking_application a ON a.id = c.original"
        )
        prediction_columns = [f.column for f in ApplicationPrediction._meta.concrete_fields if not f.primary_key]
        others = ", ".join(column for column in prediction_columns if column != "application_id")
        cursor.execute(
            f"INSERT INTO predictions_applicationprediction (application_id, {others}) "  # noqa: S608
            f"SELECT c.copy, {others} FROM bench_copies c JOIN predictions_applicationprediction p "
            "ON p.application_id = c.original"
        )
        cursor.execute("SELECT count(*) FROM predictions_applicationprediction")
        predictions = cursor.fetchone()[0]
    try:
        took, _ = timed(lambda: accuracy_parts(now=timezone.now()), repeat=3)
        print(f"(c) live accuracy parts over {predictions:,} recorded predictions: {took:,.0f} ms")
    finally:
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM predictions_applicationprediction WHERE application_id IN (SELECT copy FROM bench_copies)"
            )
            cursor.execute("DELETE FROM tracking_application WHERE id IN (SELECT copy FROM bench_copies)")
            cursor.execute("DROP TABLE bench_copies")


def page_at_scale() -> None:
    snapshots = list(report_module.snapshots_for(None))
    for tenants in (1, len(snapshots), 200):
        chosen = [snapshots[i % len(snapshots)] for i in range(tenants)]
        original = report_module.snapshots_for
        report_module.snapshots_for = lambda _tenant, chosen=chosen: chosen
        try:
            took, _ = timed(lambda: sections(monitor_report(tenant=None)), repeat=5)
        finally:
            report_module.snapshots_for = original
        print(f"(d) the page's figures from {tenants} tenants' snapshots: {took:,.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schema", default="northbridge")
    schema = parser.parse_args().schema
    tenant = Client.objects.get(schema_name=schema)
    version = ModelVersion.objects.filter(kind="salary", status="champion").exclude(input_bins={}).first()
    if version is None or not ModelMonitorSnapshot.objects.exists():
        raise SystemExit("Run `make setup` first (and wait for the demo's predictions): no salary champion with bins.")
    try:
        with schema_context(schema):
            application = Application.objects.order_by("pk").first()
            request_path(version, application)
        counting(tenant, version)
        with schema_context(schema):
            accuracy_at_volume(schema)
        page_at_scale()
    finally:
        with schema_context(schema), connection.cursor() as cursor:
            cursor.execute("DELETE FROM predictions_predictionlog WHERE input_hash = %s", [MARK])
        from analytics.monitoring.serving import serving_days_rebuild

        serving_days_rebuild(tenant)


if __name__ == "__main__":
    main()
