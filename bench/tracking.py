"""Tracking benchmarks for one job seeker with 1,000 applications: `.venv/bin/python bench/tracking.py`.

Prints, measured side by side in one run:
1. p50/p99 latency and queries per request of the pipeline board page (/app/) and of the applications list endpoint
   (/api/v1/applications/, page of 50), each beside the same user's account page as a baseline (ratio).
2. Import of a 1,000-row CSV through the import services (preview, then confirm and the job's work).

Requests go through Django's full stack in-process (django.test.Client: middleware, tenant routing, templates),
without a network hop. Works on its own database (cvplus_bench), dropped and recreated; never the development one.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

from bench.tenants import (  # noqa: E402
    bench_env,
    consumer_tenant_provision,
    database_drop,
    database_recreate,
    percentile,
)

HOST = "bench-track.localhost"
APPLICATIONS = 1000
STAGES_CYCLE = ("applied", "screening", "interviewing", "rejected", "saved", "offer", "ghosted")


def seed(owner, count: int) -> float:
    from django.utils import timezone

    from tracking.models import Stage
    from tracking.services import application_create, application_move, posting_create

    start = time.perf_counter()
    now = timezone.now()
    for i in range(count):
        posting = posting_create(
            owner=owner,
            title=f"Engineer {i}",
            company=f"Company {i % 97}",
            country="US",
            description="Requirements:\n- Python\n- SQL\nNice to have:\n- Kafka",
        )
        target = STAGES_CYCLE[i % len(STAGES_CYCLE)]
        applied_at = now - timedelta(days=60, minutes=i)
        if target == "saved":
            application_create(owner=owner, posting=posting, at=applied_at)
            continue
        application = application_create(owner=owner, posting=posting, stage=Stage.APPLIED, at=applied_at)
        path = {
            "screening": ["screening"],
            "interviewing": ["interviewing"],
            "rejected": ["rejected"],
            "offer": ["interviewing", "offer"],
            "ghosted": ["ghosted"],
        }.get(target, [])
        for step, stage in enumerate(path, start=1):
            extra = {"offer_amount": "90000", "offer_currency": "USD"} if stage == "offer" else {}
            application_move(
                application=application, to_stage=stage, by=owner, at=applied_at + timedelta(days=step), **extra
            )
    return time.perf_counter() - start


def measure(client, path: str, requests: int) -> tuple[list[float], int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)  # warm-up
    latencies: list[float] = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(path)
        latencies.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    statements = [q["sql"] for q in captured.captured_queries]
    real = [sql for sql in statements if not sql.startswith("SET search_path")]
    return latencies, len(real), len(statements)


def import_csv(owner, rows: int) -> tuple[float, float, int]:
    from tracking import io as tracking_io
    from tracking.io.queueing import import_confirm

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Company", "Job Title", "Status", "Date Applied", "Salary", "Link"])
    for i in range(rows):
        status = ("Applied", "Phone Screen", "Interviewing", "Rejected", "Wishlist")[i % 5]
        writer.writerow([f"Import Co {i}", f"Analyst {i}", status, f"2026-0{1 + i % 9}-1{i % 9}", "$85k", ""])
    data = buffer.getvalue().encode()
    start = time.perf_counter()
    preview = tracking_io.import_preview(user=owner, data=data, language="en", currency="USD")
    preview_s = time.perf_counter() - start
    # The confirm queues a job; its work (what the request did before issue 11) is timed here in-process.
    start = time.perf_counter()
    job = import_confirm(user=owner, token=preview.token, stage_choices={})
    tracking_io.import_job_work(job_id=job.pk, time_slice_s=3600)
    job.refresh_from_db()
    return preview_s, time.perf_counter() - start, job.imported


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100, help="timed requests per page (1..1000)")
    parser.add_argument("--keep-db", action="store_true")
    options = parser.parse_args()
    if not 1 <= options.requests <= 1000:
        parser.error("keep --requests in 1..1000")
    os.environ.update(bench_env())
    print(f"CVPlus tracking benchmarks, {APPLICATIONS} applications for one user")
    print(f"database recreated: {database_recreate():.1f} s")
    import django

    django.setup()
    from django.test import Client as HttpClient
    from django_tenants.utils import schema_context

    from accounts.services import user_create
    from billing.catalogue import plans_ensure
    from billing.services import plan_grant

    try:
        consumer_tenant_provision(name="Bench tracking", schema="bench_track", host=HOST)
        with schema_context("bench_track"):
            owner = user_create(email="seeker@bench.example", password="bench-password-123")
            importer = user_create(email="importer@bench.example", password="bench-password-123")
        plans_ensure()  # Premium for both: the Free plan stops at 25 tracked applications
        for user in (owner, importer):
            plan_grant(schema="bench_track", user_id=user.pk, plan_code="premium-yearly")
        with schema_context("bench_track"):
            print(f"seeded {APPLICATIONS} applications through the services in {seed(owner, APPLICATIONS):.1f} s")
        http = HttpClient(HTTP_HOST=HOST)
        with schema_context("bench_track"):
            http.force_login(owner)
        results = {}
        for label, path in (
            ("account page (baseline)", "/accounts/"),
            ("pipeline board", "/app/"),
            ("applications API, page of 50", "/api/v1/applications/"),
        ):
            results[label] = measure(http, path, options.requests)
        baseline = statistics.median(results["account page (baseline)"][0])
        print(f"\n== Pages, {options.requests} sequential requests each (ms) ==")
        for label, (latencies, queries, statements) in results.items():
            p50, p99 = statistics.median(latencies), percentile(latencies, 0.99)
            print(
                f"{label:<30} p50 {p50:7.1f}  p99 {p99:7.1f}  x{p50 / baseline:5.1f} baseline  "
                f"queries/request {queries} (+{statements - queries} SET search_path)"
            )
        with schema_context("bench_track"):
            preview_s, commit_s, imported = import_csv(importer, 1000)
        print("\n== Import of a 1,000-row CSV ==")
        print(
            f"preview {preview_s:.2f} s, commit {commit_s:.2f} s, total {preview_s + commit_s:.2f} s, "
            f"{imported} applications imported ({1000 * (preview_s + commit_s) / max(imported, 1):.1f} ms a row)"
        )
    finally:
        from django.db import connections

        connections.close_all()
        if not options.keep_db:
            database_drop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
