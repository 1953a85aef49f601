"""Privacy figures for issue 11: `.venv/bin/python bench/security_privacy.py`.

For one job seeker with 1,000 applications (each with its history, a contact, a note and a task with its reminder)
and 20 CV versions with their files, built through the tracking services (CV versions and the rows hanging off an
application by bulk insert), it prints:
1. the export: time to write the ZIP (JSON, CSV and the CV files) and its size, median of a few runs;
2. the account erasure: the request (deactivation, sessions deleted) and the job that erases everything, run
   in-process as the hourly sweep runs it (the bench sends nothing to a queue), then a check that no text column of
   the tenant's schema still holds the person's marker.

Works on a database of its own (``cvplus_privacy_bench``, dropped and recreated) and a temporary media folder.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("CVPLUS_BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cvplus_privacy_bench")

from bench.tenants import bench_env, consumer_tenant_provision, database_drop, database_recreate  # noqa: E402

HOST = "bench-privacy.localhost"
SCHEMA = "bench_privacy"
APPLICATIONS = 1000
CV_VERSIONS = 20
MARKER = "Zanzibarquokka"
CV_FILE_BYTES = 60_000  # about a two-page PDF
OWN_SESSIONS, OTHER_SESSIONS = 3, 2000  # signing out everywhere reads every session of the tenant


def cv_text(version: int) -> str:
    lines = [
        f"{MARKER} Person",
        "person@example.com",
        "",
        "Experience",
        *(
            f"Data engineer at Company {i}, 201{i % 10} - 202{i % 5}: Python, SQL, Airflow, {MARKER}."
            for i in range(30)
        ),
        "",
        "Skills",
        "Python, SQL, Kafka, Spark, dbt, Airflow",
        f"version {version}",
    ]
    return "\n".join(lines)


def build(owner) -> dict[str, float]:
    """The seeker's data; returns the seconds each part took."""
    import hashlib

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from predictions.models import PredictionLog
    from tracking.models import Contact, CVDocument, Note, Stage, Task
    from tracking.reminders import reminder_schedule_for_task
    from tracking.services import application_create, application_move, posting_create

    timings = {}
    start = time.perf_counter()
    cvs = []
    for version in range(1, CV_VERSIONS + 1):
        text = cv_text(version)
        data = os.urandom(CV_FILE_BYTES)  # a PDF's streams are compressed: the ZIP cannot shrink them either
        cv = CVDocument(
            owner=owner,
            version=version,
            source=CVDocument.Source.UPLOAD,
            original_name=f"{MARKER}-cv-{version}.txt",
            content_type="text/plain",
            size_bytes=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            status=CVDocument.Status.PARSED,
            text=text,
            parsed={"skills": [{"name": "Python", "line": text.splitlines()[4]}], "sections": [{"kind": "experience"}]},
            parser_version="bench",
        )
        cv.file.save("upload", ContentFile(data), save=False)
        cv.save()
        cvs.append(cv)
    timings["cv_versions"] = time.perf_counter() - start

    start = time.perf_counter()
    now = timezone.now()
    applications = []
    for i in range(APPLICATIONS):
        posting = posting_create(owner=owner, title=f"{MARKER} Engineer {i}", company=f"Company {i % 97}", country="US")
        at = now - timedelta(days=90, minutes=i)
        application = application_create(
            owner=owner, posting=posting, cv=cvs[i % CV_VERSIONS], stage=Stage.APPLIED, at=at
        )
        if i % 3 == 0:
            application_move(application=application, to_stage=Stage.INTERVIEWING, by=owner, at=at + timedelta(days=3))
        applications.append(application)
    timings["applications"] = time.perf_counter() - start

    start = time.perf_counter()
    Contact.objects.bulk_create(
        Contact(application=a, name=f"{MARKER} Recruiter {a.pk}", email=f"r{a.pk}@company.example")
        for a in applications
    )
    Note.objects.bulk_create(Note(application=a, body=f"{MARKER} call notes for {a.pk}") for a in applications)
    tasks = Task.objects.bulk_create(
        Task(application=a, title=f"{MARKER} follow up {a.pk}", due_at=now + timedelta(days=5)) for a in applications
    )
    for task in tasks:
        reminder_schedule_for_task(task=task)
    PredictionLog.objects.bulk_create(
        PredictionLog(kind="match", input_hash="c" * 64, latency_ms=2.0, user=owner, model_label="match-1")
        for _ in applications
    )
    timings["contacts, notes, tasks, reminders, prediction log"] = time.perf_counter() - start

    start = time.perf_counter()
    from django.contrib.auth import SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    for index in range(OWN_SESSIONS + OTHER_SESSIONS):
        store = SessionStore()
        store[SESSION_KEY] = str(owner.pk if index < OWN_SESSIONS else owner.pk + 1 + index)
        store.create()
    timings["sessions"] = time.perf_counter() - start
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exports", type=int, default=3, help="timed export runs (1..20)")
    parser.add_argument("--keep-db", action="store_true")
    options = parser.parse_args()
    if not 1 <= options.exports <= 20:
        parser.error("keep --exports in 1..20")
    media = tempfile.mkdtemp(prefix="cvplus-privacy-bench-media-")
    os.environ.update(
        bench_env(MEDIA_ROOT=media, EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend", LOG_LEVEL="WARNING")
    )
    print(f"CVPlus privacy benchmarks: one seeker with {APPLICATIONS} applications and {CV_VERSIONS} CV versions")
    print(f"database recreated: {database_recreate():.1f} s")
    import django

    django.setup()
    from django.db import transaction
    from django.urls import reverse
    from django_tenants.utils import schema_context

    from accounts.services import user_create
    from billing.catalogue import plans_ensure
    from billing.services import plan_grant
    from privacy import erasure, erasure_requests, tasks
    from privacy.export import export_zip_write
    from privacy.models import AuditEntry, ErasureRequest
    from privacy.selectors import text_columns_containing

    try:
        consumer_tenant_provision(name="Bench privacy", schema=SCHEMA, host=HOST)
        with schema_context(SCHEMA):
            owner = user_create(email="person@bench.example", password="bench-password-123", full_name=MARKER)
        plans_ensure()
        plan_grant(schema=SCHEMA, user_id=owner.pk, plan_code="premium-yearly")  # Free tracks 25 applications
        with schema_context(SCHEMA):
            for part, seconds in build(owner).items():
                print(f"built {part}: {seconds:.1f} s")

            durations, sizes = [], []
            for _ in range(options.exports):
                out = io.BytesIO()
                start = time.perf_counter()
                summary = export_zip_write(user=owner, out=out)
                durations.append(time.perf_counter() - start)
                sizes.append(len(out.getvalue()))
            print(
                f"\n== Export (ZIP: data.json, {len(summary.tables)} CSV tables, CV files), {options.exports} runs =="
            )
            print(
                f"median {statistics.median(durations):.2f} s (min {min(durations):.2f}, max {max(durations):.2f}); "
                f"size {sizes[-1] / 1e6:.2f} MB; {summary.files} CV files; "
                f"rows: {sum(summary.tables.values())} ({summary.tables['applications']} applications)"
            )

            queued: list[int] = []
            tasks.account_erase_task.delay = queued.append  # the bench runs the job itself, as the sweep does
            reverse("privacy:notice")  # a web process has its URLconf loaded; this one-off import is not the request's
            start = time.perf_counter()
            with transaction.atomic():
                request = erasure_requests.account_erasure_request(user=owner, by=owner)
            request_s = time.perf_counter() - start
            start = time.perf_counter()
            erased = erasure.account_erase(request_id=request.pk)
            job_s = time.perf_counter() - start
            detail = AuditEntry.objects.get(action=AuditEntry.Action.ACCOUNT_ERASED).detail
            print("\n== Account erasure ==")
            print(
                f"request (deactivate, sign out of {OWN_SESSIONS} of {OWN_SESSIONS + OTHER_SESSIONS} sessions, "
                f"e-mail, queue the job): {request_s * 1000:.0f} ms"
            )
            print(f"erasure job: {job_s:.2f} s (erased: {erased}, status {ErasureRequest.objects.get().status})")
            print("what it did: " + ", ".join(f"{name} {count}" for name, count in sorted(detail.items())))
            left = text_columns_containing(MARKER)
            print(f"text columns still holding the marker afterwards: {len(left)} {left or ''}".rstrip())
            print(f"files left in the tenant's CV folder: {len(list((Path(media) / SCHEMA / 'cv').glob('*')))}")
    finally:
        from django.db import connections

        connections.close_all()
        if not options.keep_db:
            database_drop()


if __name__ == "__main__":
    main()
