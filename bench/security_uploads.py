"""Upload costs now that the work moved to a worker (issue 11): `.venv/bin/python bench/security_uploads.py`.

Prints, measured side by side in one run:
1. A CV upload through the web page (POST /app/cv/upload/) of a ~1 MB PDF whose content stream inflates to ~70 MB
   (the probe's file) and of a one-page CV: the request's time (it stores the file and queues the reading) beside
   the worker's reading of the same file (the service the task calls) and the peak memory that reading allocated
   (tracemalloc), and beside the same reading with pypdf's default 75 MB limits, which is what the request did
   before.
2. The CSV import of 2,000 rows: the preview request, the confirm request (it queues the job) and the worker's
   processing of the job.

Requests go through Django's full stack in-process (django.test.Client). Works on a database of its own
(cvplus_security_uploads_bench unless CVPLUS_BENCH_DATABASE_URL says otherwise), dropped and recreated. Tasks go to
a queue of the benchmark's own on the local Redis, emptied at the end; no worker consumes it, the worker's part is
run here. Without Redis, tasks run inline and the request times include the work (the script says so).
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("CVPLUS_BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cvplus_security_uploads_bench")

from bench.tenants import bench_env, consumer_tenant_provision, database_drop, database_recreate  # noqa: E402
from tests.tracking.fixtures.cv_files import pdf_one_page, text_content  # noqa: E402 - the tests' PDF writer

HOST = "bench-uploads.localhost"
SCHEMA = "bench_uploads"
QUEUE = "bench-security-uploads"
UPLOADS = 5
IMPORT_ROWS = 2_000
INFLATED_BYTES = 70 * 1024 * 1024
CV_LINES = ["Sam Seeker", "Experience", "Senior Data Engineer, Northwind, 2019 - 2024", "Skills", "Python, SQL, Kafka"]


def pdf_inflating(total_bytes: int) -> bytes:
    """About 1 MB on disk: a CV's text, then ~1.2 MB of random words that barely compress, then spaces up to
    ``total_bytes``, in one deflated content stream."""
    rng = random.Random(11)  # noqa: S311 - filler text, not a secret
    noise = " ".join("".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=8)) for _ in range(135_000))
    content = text_content(CV_LINES) + b"% " + noise.encode() + b"\n"
    return pdf_one_page(content + b" " * (total_bytes - len(content)), deflate=True)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def _timed(call):
    start = time.perf_counter()
    value = call()
    return time.perf_counter() - start, value


def _peak_mb(call) -> float:
    tracemalloc.start()
    try:
        call()
        return tracemalloc.get_traced_memory()[1] / (1024 * 1024)
    finally:
        tracemalloc.stop()


def _uploads(http, owner, name: str, data: bytes) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django_tenants.utils import schema_context

    from tracking.cv.extract import cv_file_read
    from tracking.cv.read_budget import ReadBudget
    from tracking.cv.reading import cv_parse, cv_read
    from tracking.models import CVDocument

    requests, readings = [], []
    outcome = ""
    for _ in range(UPLOADS):
        elapsed, response = _timed(lambda: http.post("/app/cv/upload/", {"file": SimpleUploadedFile("cv.pdf", data)}))
        assert response.status_code == 302, response.status_code
        requests.append(elapsed)
        with schema_context(SCHEMA):
            cv = CVDocument.objects.filter(owner=owner).order_by("-version").first()
            assert cv.status in (CVDocument.Status.READING, CVDocument.Status.PARSED, CVDocument.Status.UNREADABLE)
            CVDocument.objects.filter(pk=cv.pk).update(status=CVDocument.Status.READING, reading_started_at=None)
            elapsed, _status = _timed(lambda cv_id=cv.pk: cv_read(cv_id=cv_id))
            readings.append(elapsed)
            cv.refresh_from_db()
            outcome = cv.status + (f" ({cv.unreadable_reason})" if cv.unreadable_reason else "")
    peak_mb = _peak_mb(lambda: cv_file_read(data=data, filename=name))
    unbounded = ReadBudget(max_pages=50, max_decompressed_bytes=75_000_000, max_text_chars=10**9, time_s=3600)

    def read_as_before():
        extraction = cv_file_read(data=data, filename=name, budget=unbounded)
        if extraction.ok:
            cv_parse(extraction.text)
        return extraction

    before_s, before = _timed(read_as_before)
    before_mb = _peak_mb(read_as_before)
    print(f"\n{name}: {len(data) / 1024:.0f} kB on disk, {UPLOADS} uploads")
    print(f"  request (store + queue), p50       {_ms(statistics.median(requests))}  (max {_ms(max(requests))})")
    print(f"  worker reading, p50                {_ms(statistics.median(readings))}, peak {peak_mb:.1f} MB allocated")
    print(f"    -> {outcome}")
    print(f"  before: read and parsed in the request, pypdf's default limits: {_ms(before_s)}, peak {before_mb:.1f} MB")
    print(f"    -> {'read' if before.ok else 'refused: ' + before.reason}")


def _import(http, owner) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django_tenants.utils import schema_context

    from tracking.io import import_job_work
    from tracking.models import ImportJob

    lines = ["Company,Job Title,Status,Date Applied,Salary,Notes"]
    statuses = ("Applied", "Phone Screen", "Interviewing", "Rejected", "Wishlist")
    lines += [
        f"Import Co {i},Analyst {i},{statuses[i % 5]},2025-0{1 + i % 9}-1{i % 9},$85k,Row {i}"
        for i in range(IMPORT_ROWS)
    ]
    data = ("\n".join(lines) + "\n").encode()
    upload = SimpleUploadedFile("jobs.csv", data, "text/csv")
    preview_s, preview = _timed(lambda: http.post("/app/import/", {"file": upload, "date_order": "auto"}))
    assert preview.status_code == 200, preview.status_code
    with schema_context(SCHEMA):
        token = ImportJob.objects.filter(owner=owner, state=ImportJob.State.PREVIEW).latest("created_at").token
    confirm_s, confirm = _timed(lambda: http.post("/app/import/confirm/", {"token": token}))
    assert confirm.status_code == 302, confirm.status_code
    with schema_context(SCHEMA):
        job = ImportJob.objects.get(token=token)
        worker_s, state = _timed(lambda: import_job_work(job_id=job.pk, time_slice_s=3600))
        job.refresh_from_db()
    print(f"\nCSV import of {IMPORT_ROWS:,} rows ({len(data) / 1024:.0f} kB)")
    print(f"  preview request                    {_ms(preview_s)}")
    print(f"  confirm request (queues the job)   {_ms(confirm_s)}")
    print(f"  worker processing of the job       {_ms(worker_s)}  -> {state}, {job.imported} imported")


def _queue_empty() -> None:
    from cvplus.celery import app

    with app.connection_for_write() as connection:
        connection.default_channel.queue_purge(QUEUE)


def main() -> None:
    os.environ.update(bench_env())
    print("CVPlus upload benchmarks (issue 11): requests beside the worker's processing")
    print(f"database recreated: {database_recreate():.1f} s")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connections
    from django.test import Client as HttpClient
    from django_tenants.utils import schema_context

    from accounts.services import user_create
    from billing.catalogue import plans_ensure
    from billing.services import plan_grant
    from cvplus.celery import app

    app.conf.task_default_queue = QUEUE
    settings.CV_UPLOADS_PER_HOUR = settings.CV_UPLOADS_PER_DAY = 1000  # the benchmark uploads more than a person
    inline = bool(app.conf.task_always_eager)
    print("tasks: inline (no Redis): request times include the work" if inline else f"tasks: queued on {QUEUE!r}")
    try:
        consumer_tenant_provision(name="Bench uploads", schema=SCHEMA, host=HOST)
        with schema_context(SCHEMA):
            owner = user_create(email="uploader@bench.example", password="bench-password-123")
        plans_ensure()  # Premium: the Free plan stops at 25 tracked applications
        plan_grant(schema=SCHEMA, user_id=owner.pk, plan_code="premium-yearly")
        http = HttpClient(HTTP_HOST=HOST)
        with schema_context(SCHEMA):
            http.force_login(owner)
        _uploads(http, owner, "PDF inflating to ~70 MB", pdf_inflating(INFLATED_BYTES))
        _uploads(http, owner, "one-page CV PDF", pdf_one_page(text_content(CV_LINES), deflate=True))
        _import(http, owner)
    finally:
        if not inline:
            _queue_empty()
        connections.close_all()
        database_drop()


if __name__ == "__main__":
    main()
