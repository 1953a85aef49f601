"""Enterprise portal benchmarks, one organisation with 2,000 members and 60,000 applications: `.venv/bin/python
bench/portal.py` (issue 13, "Measured").

Prints, measured side by side in one run:
1. p50/p99 latency and queries per request of the cohort outcomes page (/portal/outcomes/) for each grouping, beside
   the portal's front page as a baseline (ratio), and one CSV export; the outcomes page once more with the predicted
   salary ranges not yet cached (the first load after a model is promoted).
2. The member list and a member page (/portal/members/, /portal/members/<pk>/).
3. Applying a board template to 2,000 members, the first time and again.
4. Webhooks: the latency a stage change gains when an endpoint listens (the outbox row written in its transaction,
   the kick after the commit: a Redis SET NX, and a dispatch sent only when the flag was not set), measured between
   runs without an endpoint, both as most changes see it (the flag set) and as a change that sends the dispatch does
   (the flag cleared before each move, as a worker's dispatch would); and delivery throughput of one process building
   each body and posting it signed to a local receiver.
No targets are asserted: the figures are printed for the issue's note (target there: page p99 under 300 ms).

The organisation is written with bulk inserts (not the services: 60,000 applications through them would take an hour)
with histories spread over twelve months: every application has the events the services would have written (saved or
applied first, then each move), so every read the pages make sees what production data looks like. Requests go
through Django's full stack in-process (django.test.Client). Works on its own database (``cvplus_bench``, or
CVPLUS_BENCH_DATABASE_URL), dropped and recreated; never the development one.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

from bench.tenants import (  # noqa: E402
    bench_env,
    bench_tenant_create,
    database_drop,
    database_recreate,
    manage,
    percentile,
)

HOST = "bench-portal.localhost"
SCHEMA = "bench_portal"
MEMBERS = 2000
APPLICATIONS_PER_MEMBER = 30
COACHES = 25
COHORTS = ("Spring 2025", "Summer 2025", "Autumn 2025", "Winter 2026", "Data bootcamp", "Sales academy")
SALARY_REFERENCE_DATA = ["cldr_countries", "onet_occupations", "bls_oews_2025", "salary_survey_aijobs"]
FIRST_NAMES = ("Aylin", "Jonas", "Sofia", "Tomasz", "Léa", "Kwame", "Hanna", "Rafael", "Mei", "Oskar", "Priya", "Noah")
LAST_NAMES = ("Demir", "Becker", "Marino", "Nowak", "Fontaine", "Mensah", "Lindqvist", "Ortega", "Tanaka", "Wagner")
POSTINGS = (  # title, industry, country, region, location, currency, yearly offer around
    ("Data Analyst", "technology", "DE", "EU", "Berlin", "EUR", 58_000),
    ("Software Engineer", "technology", "US", "NA", "Austin, TX", "USD", 125_000),
    ("Registered Nurse", "healthcare", "US", "NA", "Columbus, OH", "USD", 82_000),
    ("Financial Analyst", "finance-insurance", "GB", "EU", "London", "GBP", 52_000),
    ("Marketing Manager", "marketing-media", "FR", "EU", "Lyon", "EUR", 55_000),
    ("Mechanical Engineer", "manufacturing-engineering", "JP", "APAC", "Nagoya", "JPY", 6_200_000),
    ("Logistics Coordinator", "transportation-logistics", "CA", "NA", "Toronto", "CAD", 61_000),
    ("Teacher", "education", "DE", "EU", "Hamburg", "EUR", 52_000),
)
COMPANIES = ("Nordwind Logistik", "Acme Analytics", "Brightpath Health", "Kestrel Bank", "Helios Energie", "Mori Kogyo")


# ---------------------------------------------------------------------------------------------------------------------
# The organisation
# ---------------------------------------------------------------------------------------------------------------------
def organisation_provision() -> None:
    """An enterprise tenant (NA, English, USD), created and provisioned in this process."""
    from tenants.provisioning import tenant_provision

    tenant_provision(client_id=bench_tenant_create(SCHEMA, HOST).pk)


def _history(rng: random.Random, start, now) -> list[tuple[str, object]]:
    """(stage, when) moves of one application as the services would record them, oldest first, none in the future."""
    moves = [("saved", start)]
    if rng.random() < 0.1:
        return moves
    at = start + timedelta(days=rng.uniform(0, 3))
    moves.append(("applied", at))
    path = []
    if rng.random() < 0.35:
        path.append("screening")
        if rng.random() < 0.55:
            path += ["interviewing"] * rng.choice((1, 1, 2, 3))
            if rng.random() < 0.3:
                path.append("offer")
                if rng.random() < 0.6:
                    path.append("accepted")
    elif rng.random() < 0.08:
        path.append("interviewing")  # straight from applied to an interview
    ending = [] if path and path[-1] in ("offer", "accepted") else [rng.choice(("rejected", "ghosted", ""))]
    for stage in path + [s for s in ending if s]:
        at = at + timedelta(days=rng.uniform(2, 20))
        if at > now:
            break
        moves.append((stage, at))
    return moves


def seed(rng: random.Random) -> dict[str, float]:
    """Bulk inserts; returns seconds per part."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from accounts.models import User
    from portal.models import Cohort, Membership
    from tracking.models import Application, ApplicationEvent, JobPosting
    from tracking.reach import applications_reach_refresh

    seconds: dict[str, float] = {}
    started = time.perf_counter()
    now = timezone.now()
    password = make_password("bench-password-123")
    staff = [
        User(email="ines.albrecht@bench.example", full_name="Ines Albrecht", role=User.Role.ADMINISTRATOR),
        User(email="anna.schulz@bench.example", full_name="Anna Schulz", role=User.Role.ANALYST),
    ]
    staff += [
        User(email=f"coach{i}@bench.example", full_name=f"{rng.choice(FIRST_NAMES)} Coach-{i}", role=User.Role.COACH)
        for i in range(COACHES)
    ]
    members = [
        User(
            email=f"member{i}@bench.example",
            full_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            role=User.Role.MEMBER,
        )
        for i in range(MEMBERS)
    ]
    for user in staff + members:
        user.password = password
    User.objects.bulk_create(staff + members, batch_size=2000)
    coaches = [user for user in staff if user.role == User.Role.COACH]
    cohorts = Cohort.objects.bulk_create([Cohort(name=name) for name in COHORTS])
    joined = {member.pk: now - timedelta(days=rng.uniform(5, 365)) for member in members}
    Membership.objects.bulk_create(
        [
            Membership(
                user=member,
                cohort=rng.choice(cohorts),
                coach=rng.choice(coaches),
                joined_at=joined[member.pk],
                status=Membership.Status.DEACTIVATED if rng.random() < 0.05 else Membership.Status.ACTIVE,
            )
            for member in members
        ],
        batch_size=2000,
    )
    seconds["2,000 members with memberships"] = time.perf_counter() - started

    started = time.perf_counter()
    postings, histories = [], []
    for member in members:
        for _ in range(APPLICATIONS_PER_MEMBER):
            title, industry, country, region, location, currency, around = rng.choice(POSTINGS)
            start = joined[member.pk] + timedelta(days=rng.uniform(0, (now - joined[member.pk]).days or 1))
            postings.append(
                JobPosting(
                    owner=member,
                    title=title,
                    company=rng.choice(COMPANIES),
                    country=country,
                    region=region,
                    location=location,
                    industry=industry,
                )
            )
            offer = Decimal(round(around * rng.uniform(0.8, 1.25), -2))
            histories.append((member, _history(rng, start, now), currency, offer))
    JobPosting.objects.bulk_create(postings, batch_size=5000)
    applications = []
    for posting, (member, moves, currency, offer) in zip(postings, histories, strict=True):
        stages = [stage for stage, _at in moves]
        applied_at = next((at for stage, at in moves if stage == "applied"), None)
        with_offer = "offer" in stages
        applications.append(
            Application(
                owner=member,
                posting=posting,
                stage=stages[-1],
                applied_at=applied_at,
                stage_changed_at=moves[-1][1],
                interview_round=stages.count("interviewing"),
                offer_amount=offer if with_offer else None,
                offer_currency=currency if with_offer else "",
            )
        )
    Application.objects.bulk_create(applications, batch_size=5000)
    events = []
    for application, (member, moves, currency, offer) in zip(applications, histories, strict=True):
        previous = ""
        for stage, at in moves:
            events.append(
                ApplicationEvent(
                    application=application,
                    from_stage=previous,
                    to_stage=stage,
                    occurred_at=at,
                    actor=member,
                    offer_amount=offer if stage == "offer" else None,
                    offer_currency=currency if stage == "offer" else "",
                )
            )
            previous = stage
    ApplicationEvent.objects.bulk_create(events, batch_size=10000)
    applications_reach_refresh()  # what the services keep on each application as it moves (tracking/reach.py)
    seconds[f"{len(applications):,} applications with {len(events):,} events"] = time.perf_counter() - started
    return seconds


def salary_model_train() -> str:
    """Loads the reference data the salary model needs and trains it, as bench/predict.py does."""
    from django_tenants.utils import schema_context

    from predictions.training import model_train

    loaded_s = manage("load_reference_data", "--only", *SALARY_REFERENCE_DATA)
    started = time.perf_counter()
    with schema_context("public"):
        summary = model_train("salary", promote=True)
    trained_s = time.perf_counter() - started
    return f"reference data loaded in {loaded_s:.0f} s, salary model v{summary.version} trained in {trained_s:.0f} s"


# ---------------------------------------------------------------------------------------------------------------------
# Measuring
# ---------------------------------------------------------------------------------------------------------------------
def measure(client, path: str, requests: int) -> tuple[list[float], int, float]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)  # warm-up
    latencies = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(path)
        latencies.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)  # noqa: S101 - a benchmark, not a test
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    real = [q for q in captured.captured_queries if not q["sql"].startswith("SET search_path")]
    database_ms = sum(float(q["time"]) for q in captured.captured_queries) * 1000
    return latencies, len(real), database_ms


def line(
    label: str, latencies: list[float], queries: int | None, database_ms: float | None, baseline_ms: float
) -> None:
    p50, p99 = statistics.median(latencies), percentile(latencies, 0.99)
    extra = f"  queries/request {queries} ({database_ms:.0f} ms in the database, one request)" if queries else ""
    print(f"  {label:<44} p50 {p50:7.1f} ms  p99 {p99:7.1f} ms  x{p50 / baseline_ms:5.1f} baseline{extra}")


def bench_outcomes(client, requests: int, cohort_pk: int) -> float:
    """1. The cohort outcomes page per grouping, one CSV, and the page with the salary ranges not yet cached."""
    latencies, queries, database_ms = measure(client, "/portal/", requests)
    baseline = statistics.median(latencies)
    print(f"\n== 1. Cohort outcomes, {requests} sequential requests each (load average {_load()}) ==")
    line("portal front page (baseline)", latencies, queries, database_ms, baseline)
    for label, query in (
        ("whole organisation", ""),
        ("by cohort", "?group_by=cohort"),
        ("by coach", "?group_by=coach"),
        ("by industry", "?group_by=industry"),
        ("by country", "?group_by=country"),
        ("one cohort, joined in the last 6 months", f"?cohort={cohort_pk}&joined_from={_months_ago(6)}"),
    ):
        line(f"outcomes page, {label}", *measure(client, f"/portal/outcomes/{query}", requests), baseline)
    line(
        "CSV: time to a first interview, by coach",
        *measure(client, "/portal/outcomes/time-to-interview-steps.csv?group_by=coach", requests),
        baseline,
    )
    cold = []
    for _ in range(min(requests, 5)):
        _salary_cache_clear()
        started = time.perf_counter()
        client.get("/portal/outcomes/")
        cold.append((time.perf_counter() - started) * 1000)
    line("outcomes page, salary ranges not cached", cold, None, None, baseline)
    print(f"  (load average {_load()}: the machine's other work slows every figure alike; compare the ratios)")
    return baseline


def _load() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def _salary_cache_clear() -> None:
    """Forgets the cached predicted ranges (what a newly promoted salary model starts from)."""
    from django.core.cache import cache

    if not hasattr(getattr(cache, "_cache", None), "get_client"):
        cache.clear()  # a per-process memory cache: only this benchmark's
        return
    redis = cache._cache.get_client(write=True)
    keys = list(redis.scan_iter(match=f"{SCHEMA}:*portal:outcomes:salary:*", count=1000))
    if keys:
        redis.delete(*keys)


def _months_ago(months: int) -> str:
    from django.utils import timezone

    return (timezone.localdate() - timedelta(days=30 * months)).isoformat()


# -- 2. Member list and member page (the members/coach areas add theirs here) ----------------------------------------
def bench_member_pages(client, requests: int, baseline: float, member_pk: int) -> None:
    from django.urls import Resolver404, resolve

    print("\n== 2. Member list and member page ==")
    for label, path in (("member list", "/portal/members/"), ("member page", f"/portal/members/{member_pk}/")):
        try:
            resolve(path, urlconf="cvplus.urls_tenants")
        except Resolver404:
            print(f"  {label:<44} not available yet ({path} does not resolve)")
            continue
        line(label, *measure(client, path, requests), baseline)


# -- 3. Applying a board template to 2,000 members --------------------------------------------------------------------
def bench_template_apply(admin) -> None:
    from accounts.models import User
    from portal.models import BoardTemplate
    from portal.templates_service import default_tasks_parse, template_apply
    from tracking.models import Stage

    print("\n== 3. Applying a board template to every member (one transaction, set-based) ==")
    template = BoardTemplate.objects.create(
        name="Bench template",
        stages=[Stage.SAVED, Stage.APPLIED, Stage.SCREENING, Stage.INTERVIEWING, Stage.OFFER, Stage.ACCEPTED],
        default_tasks=default_tasks_parse("Update your CV | 3\nBook a mock interview | 10"),
        follow_up_after_applied_days=6,
        follow_up_after_interview_days=2,
        created_by=admin,
    )
    members = User.objects.filter(role=User.Role.MEMBER)
    for label in ("first time (creates tasks, assignments)", "again (nothing new to create)"):
        started = time.perf_counter()
        summary = template_apply(actor=admin, template=template, members=members)
        seconds = time.perf_counter() - started
        print(
            f"  {label:<44} {seconds:6.2f} s for {summary.members:,} members, "
            f"{summary.tasks_created:,} tasks created, {summary.tasks_already_there:,} already there"
        )


# -- 4. Webhooks ---------------------------------------------------------------------------------------------------
class _Receiver:
    """A local endpoint answering 204 to every POST, in a thread: what a customer's receiver does at its fastest."""

    def __enter__(self):
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the standard library's name
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self.server.server_address[1]}/cvplus-hook"

    def __exit__(self, *exc) -> None:
        self.server.shutdown()


def _move_timed(application) -> float:
    """Moves the application from applied to screening as the board's request does (the service, in a transaction,
    with its on-commit work); returns the milliseconds it took."""
    from django.db import transaction

    from tracking.models import Stage
    from tracking.services import application_move

    started = time.perf_counter()
    with transaction.atomic():
        application_move(application=application, to_stage=Stage.SCREENING, by=application.owner)
    return (time.perf_counter() - started) * 1000


def bench_webhooks(admin, moves: int = 150) -> None:
    """Times moves in three states, taken in turn (each round in another order) so that a busy machine's drift
    falls on all three alike: no endpoint listening; one listening with the kick's flag set (what most changes
    see: there is no worker here, so the flag a kick set holds for its 60 s); and one listening with the flag
    cleared first, so that the move sends a dispatch (what a change sees when the worker's dispatch cleared the flag
    since the last one; the kick sets the flag and publishes on its own thread after the commit, so the timed move
    only hands it over). Each state is set up untimed, its cache warmed, the previous kick finished. The moves run
    with the tenant's row at hand, as a request's do (schema_context alone would make the outbox read it)."""
    from django.db import connection
    from django.utils import timezone

    from portal.models import WebhookDelivery, WebhookEndpoint
    from portal.webhook_delivery import webhook_delivery_send, webhook_kick_clear
    from portal.webhook_outbox import webhook_kicks_wait
    from portal.webhooks import webhook_endpoint_activate, webhook_endpoint_create, webhook_endpoints_listening
    from tenants.models import Client
    from tracking.models import Application, Stage

    print("\n== 4. Webhooks: latency a triggering request gains, delivery throughput ==")
    connection.set_tenant(Client.objects.get(schema_name=SCHEMA))
    applied = list(
        Application.objects.filter(
            stage=Stage.APPLIED,
            owner__membership__share_applications=True,
            stage_changed_at__lt=timezone.now() - timedelta(minutes=1),  # a move now must come after the last one
            events__occurred_at__lt=timezone.now() - timedelta(minutes=1),
        )
        .exclude(events__occurred_at__gte=timezone.now() - timedelta(minutes=1))
        .distinct()
        .select_related("owner")
        .order_by("pk")[: moves * 3]
    )
    if len(applied) < moves * 3:
        print(f"  not enough applied applications ({len(applied)}) to time {moves * 3} moves")
        return
    with _Receiver() as url:
        endpoint, _secret = webhook_endpoint_create(
            by=admin, url=url, description="bench", events=[WebhookEndpoint.Event.STAGE_CHANGED]
        )

        def listening(active: bool) -> None:
            webhook_kicks_wait()  # the previous move's kick (its own thread) is done before this one is timed
            if endpoint.is_active != active:
                webhook_endpoint_activate(by=admin, endpoint=endpoint, active=active)
            webhook_endpoints_listening()  # warm: the timed move reads it from the cache

        states = {
            "no webhook endpoint": lambda: listening(False),
            "one endpoint listening (flag set)": lambda: listening(True),
            "one endpoint listening, sends a dispatch": lambda: (listening(True), webhook_kick_clear()),
        }
        timings: dict[str, list[float]] = {label: [] for label in states}
        labels = list(states)
        for round_number in range(moves):
            order = labels[round_number % 3 :] + labels[: round_number % 3]
            for offset, label in enumerate(order):
                states[label]()
                timings[label].append(_move_timed(applied[round_number * 3 + offset]))
        without = timings[labels[0]]
        for label, values in timings.items():
            print(
                f"  move, {label:<41} p50 {statistics.median(values):6.2f} ms  p99 {percentile(values, 0.99):6.2f} ms"
                f"  mean {statistics.mean(values):6.2f} ms  ({len(values)} moves)"
            )
        for label in labels[1:]:
            added_p50 = statistics.median(timings[label]) - statistics.median(without)
            added_mean = statistics.mean(timings[label]) - statistics.mean(without)
            print(f"  added, {label:<40} p50 {added_p50:6.2f} ms  mean {added_mean:6.2f} ms  (target: under 2 ms)")

        listening(True)
        pending = list(WebhookDelivery.objects.filter(endpoint=endpoint).values_list("pk", flat=True))
        unbuilt = WebhookDelivery.objects.filter(endpoint=endpoint, payload={}).count()
        started = time.perf_counter()
        outcomes = [webhook_delivery_send(pk) for pk in pending]
        seconds = time.perf_counter() - started
        delivered = sum(1 for outcome in outcomes if outcome == WebhookDelivery.Status.DELIVERED)
        print(
            f"  deliveries, one process, each body built then POSTed signed to a local receiver: {delivered}/"
            f"{len(pending)} delivered ({unbuilt} built) in {seconds:.2f} s = {len(pending) / seconds:,.0f} a second"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=50, help="timed requests per page (1..1000)")
    parser.add_argument("--no-salary-model", action="store_true", help="skip loading reference data and training")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument(
        "--sections", default="1,2,3,4", help="which numbered sections to run, e.g. 3,4 (the data is seeded either way)"
    )
    options = parser.parse_args()
    if not 1 <= options.requests <= 1000:
        parser.error("keep --requests in 1..1000")
    # Its own Redis database: tasks queued here (webhook deliveries) must never reach a development worker.
    os.environ.update(bench_env(REDIS_URL=os.environ.get("CVPLUS_BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")))
    print(f"CVPlus portal benchmarks, one organisation with {MEMBERS:,} members")
    print(f"database recreated: {database_recreate():.1f} s")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client as HttpClient
    from django.urls import get_resolver
    from django_tenants.utils import schema_context

    from accounts.models import User
    from cvplus.runtime import startup_objects_freeze
    from portal.models import Cohort

    try:
        if not options.no_salary_model:
            print(salary_model_train())
        organisation_provision()
        with schema_context(SCHEMA):
            for part, seconds in seed(random.Random(13)).items():
                print(f"seeded {part} in {seconds:.1f} s (bulk inserts)")
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # what autovacuum does after bulk loads; without it plans assume empty tables
            admin = User.objects.get(role=User.Role.ADMINISTRATOR)
            member_pk = User.objects.filter(role=User.Role.MEMBER).values_list("pk", flat=True).first()
            cohort_pk = Cohort.objects.values_list("pk", flat=True).first()
            client = HttpClient(HTTP_HOST=HOST)
            client.force_login(admin)
        # Stand in for a gunicorn worker after start-up (cvplus/wsgi.py): every URL module and view imported, then the
        # objects alive so far moved out of the garbage collector's reach.
        get_resolver().url_patterns  # noqa: B018
        startup_objects_freeze()
        sections = set(options.sections.split(","))
        if sections & {"1", "2"}:
            baseline = bench_outcomes(client, options.requests, cohort_pk) if "1" in sections else None
            if baseline is None:
                baseline = statistics.median(measure(client, "/portal/", options.requests)[0])
            if "2" in sections:
                bench_member_pages(client, options.requests, baseline, member_pk)
        with schema_context(SCHEMA):
            admin = User.objects.get(role=User.Role.ADMINISTRATOR)
            if "3" in sections:
                bench_template_apply(admin)
            if "4" in sections:
                bench_webhooks(admin)
    finally:
        from django.db import connections

        connections.close_all()
        if not options.keep_db:
            database_drop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
