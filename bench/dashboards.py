"""The seeker's and the organisation's dashboards at realistic scale: `.venv/bin/python bench/dashboards.py`.

Builds, on a database of its own (CVPLUS_BENCH_DATABASE_URL, default ``cvplus_dash_bench``; dropped and recreated):

- an organisation of 2,000 members with about 60,000 applications over a year (bench/portal.py's seed: bulk inserts
  with every stage event the services would have written);
- rollups worth 10 million SIMULATED events (bench/analytics_dashboard_data.py's ``dashboard_rollups_fill``): the
  organisation's 2,000 people's share (150 events a person, 300,000) and the rest spread over three consumer sites;
- on the first consumer site, three premium seekers with 50, 500 and 5,000 applications over a year, each pinned to
  a parsed CV version and a posting with a description, and an interview prediction logged for each sent one.
  All of it SIMULATED. The industry keyword databases are not built, so each CV-to-posting match costs less than in
  production: the comparison section's first load is a lower bound.

Then loads each page and fragment LOADS times through Django's full stack in process (django.test.Client), and prints
page and SQL p50/p99, the query count, PASS/FAIL against page p99 < 300 ms, and the machine's load average:
/portal/dashboard/ as the administrator and as a coach, its live fragment (/portal/dashboard/live/), and for each
seeker /app/insights/ and its deferred comparison with the predictions (/app/insights/predicted/), each both with
its cache emptied before each load (cold: what the first load after a change costs) and kept (warm). Last, the parts
the changes replaced are timed beside their replacements in turn, in process.
"""

from __future__ import annotations

import argparse
import hashlib
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
os.environ.setdefault("CVPLUS_BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cvplus_dash_bench")

from bench.analytics_dashboard_data import EVENTS, EVENTS_PER_PERSON, dashboard_rollups_fill  # noqa: E402
from bench.tenants import bench_env, database_drop, database_recreate, percentile  # noqa: E402

ORG_SCHEMA, ORG_HOST = "bench_dboard_org", "bench-dboard-org.localhost"
CONSUMERS = 3
SEEKER_APPLICATIONS = (50, 500, 5000)
LOADS = 30
TARGET_P99_MS = 300
CV_TEXT = """Alex Example (SIMULATED)
Data Analyst

Experience
Data Analyst, Example Co. — 2018 – 2024
- Built dashboards in Tableau and Power BI for the sales team
- Wrote SQL and Python (pandas) to clean and join customer data
- Ran A/B tests and reported the results to product managers

Skills
SQL, Python, pandas, Tableau, Power BI, Excel, statistics, A/B testing
"""
POSTING_TEXTS = (  # title, industry, country, location, description (SIMULATED)
    ("Data Analyst", "technology", "US", "Austin, TX", "We are hiring a Data Analyst.\nRequirements:\n- SQL\n- Python"),
    ("Business Analyst", "finance-insurance", "US", "Chicago, IL", "Requirements:\n- Excel\n- 3+ years of reporting"),
    ("Marketing Analyst", "marketing-media", "US", "Denver, CO", "Requirements:\n- Google Analytics\n- SQL"),
    ("Data Scientist", "technology", "US", "Seattle, WA", "Requirements:\n- Python\n- statistics\n- machine learning"),
)


# ---------------------------------------------------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------------------------------------------------
def tenants_provision() -> tuple:
    """The organisation and CONSUMERS consumer sites, provisioned in this process."""
    from bench.tenants import bench_tenant_create
    from tenants.provisioning import tenant_provision
    from tenants.services import tenant_create

    organisation = tenant_provision(client_id=bench_tenant_create(ORG_SCHEMA, ORG_HOST).pk)
    consumers = []
    for index in range(CONSUMERS):
        row = tenant_create(
            name=f"Bench consumer {index}",
            schema_name=f"bench_dboard_c{index}",
            domain=f"bench-dboard-c{index}.localhost",
            kind="consumer",
            region="NA",
            language="en",
            currency="USD",
            provision=False,
        )
        consumers.append(tenant_provision(client_id=row.pk))
    return organisation, consumers


def seeker_seed(rng: random.Random, applications: int, tenant_schema: str):
    """A premium seeker with `applications` applications over the last year (bulk inserts), one parsed CV version,
    and an interview prediction logged for each sent application. Returns the user."""
    from django.utils import timezone
    from django_tenants.utils import schema_context

    from accounts.models import User
    from bench.portal import _history
    from billing.catalogue import plans_ensure
    from billing.services import plan_grant
    from predictions.models import PredictionLog
    from tracking.cv.services import cv_parse
    from tracking.models import Application, ApplicationEvent, CVDocument, JobPosting
    from tracking.reach import applications_reach_refresh

    with schema_context("public"):
        plans_ensure()
    with schema_context(tenant_schema):
        now = timezone.now()
        seeker = User.objects.create_user(email=f"seeker{applications}@bench.example", password="bench-password-123")
        cv = CVDocument.objects.create(
            owner=seeker,
            version=1,
            source=CVDocument.Source.PASTE,
            sha256=hashlib.sha256(CV_TEXT.encode()).hexdigest(),
            status=CVDocument.Status.PARSED,
            text=CV_TEXT,
            parsed=cv_parse(CV_TEXT),
            parser_version="bench",
        )
        postings, histories = [], []
        for _ in range(applications):
            title, industry, country, location, description = rng.choice(POSTING_TEXTS)
            postings.append(
                JobPosting(
                    owner=seeker,
                    title=title,
                    company=f"Company {rng.randrange(400)}",
                    country=country,
                    region="NA",
                    location=location,
                    industry=industry,
                    description=description,
                    requirements={"must_have": description.splitlines()[-2:], "nice_to_have": []},
                )
            )
            histories.append(_history(rng, now - timedelta(days=rng.uniform(0, 365)), now))
        JobPosting.objects.bulk_create(postings, batch_size=5000)
        rows = []
        for posting, moves in zip(postings, histories, strict=True):
            stages = [stage for stage, _at in moves]
            rows.append(
                Application(
                    owner=seeker,
                    posting=posting,
                    cv=cv,
                    channel=rng.choice(Application.Channel.values),
                    stage=stages[-1],
                    applied_at=next((at for stage, at in moves if stage == "applied"), None),
                    stage_changed_at=moves[-1][1],
                    interview_round=stages.count("interviewing"),
                    offer_amount=Decimal(round(rng.uniform(60_000, 140_000), -3)) if "offer" in stages else None,
                    offer_currency="USD" if "offer" in stages else "",
                )
            )
        Application.objects.bulk_create(rows, batch_size=5000)
        events, logs = [], []
        for application, moves in zip(rows, histories, strict=True):
            previous = ""
            for stage, at in moves:
                events.append(
                    ApplicationEvent(
                        application=application,
                        from_stage=previous,
                        to_stage=stage,
                        occurred_at=at,
                        actor=seeker,
                        offer_amount=application.offer_amount if stage == "offer" else None,
                        offer_currency=application.offer_currency if stage == "offer" else "",
                    )
                )
                previous = stage
            if application.applied_at is not None:
                logs.append(
                    PredictionLog(
                        kind="interview",
                        model_label="prior",
                        input_hash=hashlib.sha256(f"{application.pk}".encode()).hexdigest(),
                        latency_ms=rng.lognormvariate(2, 0.5),
                        user=seeker,
                        source=PredictionLog.Source.PAGE,
                        created_at=application.applied_at,
                    )
                )
        ApplicationEvent.objects.bulk_create(events, batch_size=10000)
        PredictionLog.objects.bulk_create(logs, batch_size=10000)
        applications_reach_refresh([seeker.pk])
    plan_grant(schema=tenant_schema, user_id=seeker.pk, plan_code="premium-yearly")
    return seeker


def build(options) -> None:
    from django.db import connection
    from django_tenants.utils import schema_context

    from bench.portal import MEMBERS, salary_model_train, seed
    from tenants.services import public_tenant_ensure

    public_tenant_ensure(domain="localhost")
    if not options.no_salary_model:
        print(salary_model_train())
    began = time.perf_counter()
    organisation, consumers = tenants_provision()
    print(f"{1 + len(consumers)} tenants provisioned: {time.perf_counter() - began:.1f} s")
    with schema_context(ORG_SCHEMA):
        for part, seconds in seed(random.Random(13)).items():
            print(f"organisation: seeded {part} in {seconds:.1f} s (bulk inserts, SIMULATED)")
    organisation_events = MEMBERS * EVENTS_PER_PERSON  # one rollup "person" a member: ids 1…2,000
    for tenants, events in ((consumers, options.events - organisation_events), ([organisation], organisation_events)):
        report = dashboard_rollups_fill(tenants, events=events)
        print(
            f"rollups filled in {report.seconds:.1f} s: {report.events:,} SIMULATED events in {report.hourly_rows:,}"
            f" hourly and {report.daily_rows:,} daily rows, {report.people:,} people, {report.active_days:,} active"
            f" days, {report.prediction_log_rows:,} prediction log rows ({len(tenants)} tenant(s))"
        )
    rng = random.Random(29)
    for count in SEEKER_APPLICATIONS:
        began = time.perf_counter()
        seeker_seed(rng, count, consumers[0].schema_name)
        print(f"seeker with {count:,} applications seeded in {time.perf_counter() - began:.1f} s (SIMULATED)")
    for schema in (ORG_SCHEMA, consumers[0].schema_name):
        with schema_context(schema), connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # what autovacuum does after bulk loads


# ---------------------------------------------------------------------------------------------------------------------
# Measuring
# ---------------------------------------------------------------------------------------------------------------------
def _cache_forget(schema: str, pattern: str) -> None:
    """Deletes this schema's cache keys matching `pattern` (the bench's own schemas only)."""
    from django.core.cache import cache

    if not hasattr(getattr(cache, "_cache", None), "get_client"):
        cache.clear()
        return
    redis = cache._cache.get_client(write=True)
    keys = list(redis.scan_iter(match=f"{schema}:*{pattern}*", count=1000))
    if keys:
        redis.delete(*keys)


def loads(client, url: str, *, forget=None, loads_count: int = LOADS) -> tuple[list[float], list[float], int]:
    """Page and SQL times (ms) of `loads_count` loads, and the queries of the last (search-path switches left out)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm-up, not counted
    pages, sql, queries = [], [], 0
    for _ in range(loads_count):
        if forget:
            forget()
        with CaptureQueriesContext(connection) as captured:
            began = time.perf_counter()
            response = client.get(url)
            pages.append((time.perf_counter() - began) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        if any("tracking_domainevent" in q["sql"] and "INSERT" not in q["sql"] for q in captured.captured_queries):
            raise SystemExit(f"{url} read the domain events")
        real = [q for q in captured.captured_queries if not q["sql"].startswith("SET search_path")]
        sql.append(sum(float(q["time"]) for q in captured.captured_queries) * 1000)
        queries = len(real)
    return pages, sql, queries


def report(label: str, measured: tuple[list[float], list[float], int]) -> bool:
    pages, sql, queries = measured
    p99 = percentile(pages, 0.99)
    passed = p99 < TARGET_P99_MS
    print(
        f"  {label:<52} page p50 {statistics.median(pages):7.1f} p99 {p99:7.1f} ms; SQL p50"
        f" {statistics.median(sql):6.1f} p99 {percentile(sql, 0.99):6.1f} ms; {queries:3d} queries"
        f"  {'PASS' if passed else 'FAIL'}"
    )
    return passed


def load_average() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def _engagement_before(tenant, today) -> list:
    """The engagement query as it was before this bench's changes (an EXISTS per member over the active days), kept
    here only to time it beside the one grouped read that replaced it."""
    from django.db.models import Exists, OuterRef

    from accounts.models import User
    from analytics.models import ActiveDay
    from portal.models import Membership

    week_start = today - timedelta(days=6)
    members = Membership.objects.filter(
        status=Membership.Status.ACTIVE, user__role=User.Role.MEMBER, user__is_staff=False
    )
    days = ActiveDay.objects.filter(tenant=tenant, user_id=OuterRef("user_id"))
    return list(
        members.annotate(
            this_week=Exists(days.filter(day__gte=week_start, day__lte=today)),
            last_week=Exists(days.filter(day__gte=week_start - timedelta(days=7), day__lt=week_start)),
        )
        .order_by()
        .values_list("cohort_id", "coach_id", "this_week", "last_week")
    )


def side_by_side(loads_count: int) -> None:
    """The parts this bench's changes replaced, timed in turn in one process (ms, p50 and p99)."""
    from django.utils import timezone
    from django_tenants.utils import tenant_context

    from accounts.models import User
    from analytics.org_dashboard import _active_weeks
    from analytics.seeker_dashboard import _rows
    from analytics.seeker_figures import ApplicationRow
    from portal.outcomes_queries import COACH, COHORT, OutcomeFilters
    from portal.outcomes_report import funnel_report, funnel_reports
    from tenants.models import Client
    from tracking.models import Application, ApplicationEvent

    today = timezone.now().date()
    organisation = Client.objects.get(schema_name=ORG_SCHEMA)
    consumer = Client.objects.get(schema_name="bench_dboard_c0")
    with tenant_context(consumer):
        seeker = User.objects.get(email=f"seeker{SEEKER_APPLICATIONS[-1]}@bench.example")

    def parsed_rows() -> None:  # the seeker's rows with every timestamp parsed by the driver, as before
        list(Application.objects.filter(owner=seeker).order_by("pk").values_list(*ApplicationRow._fields))
        history = ApplicationEvent.objects.filter(application__owner=seeker).order_by("application_id", "occurred_at")
        list(history.values_list("application_id", "from_stage", "to_stage", "occurred_at"))

    pairs = (
        (
            organisation,
            "funnels: a report per grouping, coach and cohort (before)",
            lambda: [funnel_report(filters=OutcomeFilters(), group_by=g) for g in (COACH, COHORT)],
            "funnels: one scan for both groupings (now)",
            lambda: funnel_reports(filters=OutcomeFilters(), group_bys=(COACH, COHORT)),
        ),
        (
            organisation,
            "engagement query: an EXISTS per member (before)",
            lambda: _engagement_before(organisation, today),
            "engagement query: one grouped read of the active days (now)",
            lambda: _active_weeks(
                organisation, week_start=today - timedelta(days=6), last_start=today - timedelta(days=13), today=today
            ),
        ),
        (
            consumer,
            f"seeker rows, {SEEKER_APPLICATIONS[-1]:,} applications: timestamps parsed (before)",
            parsed_rows,
            f"seeker rows, {SEEKER_APPLICATIONS[-1]:,} applications: epoch seconds (now)",
            lambda: _rows(seeker),
        ),
    )
    print(f"\n== Side by side, {loads_count} runs each in turn, in process (load average {load_average()}) ==")
    for tenant, before_label, before, now_label, now in pairs:
        with tenant_context(tenant):
            before(), now()  # warm
            times: dict[str, list[float]] = {before_label: [], now_label: []}
            for _ in range(loads_count):
                for label, run in ((before_label, before), (now_label, now)):
                    began = time.perf_counter()
                    run()
                    times[label].append((time.perf_counter() - began) * 1000)
        for label, values in times.items():
            print(f"  {label:<72} p50 {statistics.median(values):7.1f} ms  p99 {percentile(values, 0.99):7.1f} ms")
        ratio = statistics.median(times[before_label]) / statistics.median(times[now_label])
        print(f"  {'':<72} before/now (p50): {ratio:.1f}x")


def measure(options) -> bool:
    from django.test import Client as HttpClient
    from django.urls import get_resolver
    from django_tenants.utils import schema_context

    from accounts.models import User
    from cvplus.runtime import startup_objects_freeze

    get_resolver().url_patterns  # noqa: B018 - a gunicorn worker after start-up has every URL module imported
    startup_objects_freeze()
    passed = True
    print(f"\n== Organisation dashboard, 2,000 members, {options.loads} loads each (load average {load_average()}) ==")
    with schema_context(ORG_SCHEMA):
        people = {
            "administrator": User.objects.get(role=User.Role.ADMINISTRATOR),
            "coach": User.objects.filter(role=User.Role.COACH).order_by("pk").first(),
        }
    for role, person in people.items():
        client = HttpClient(HTTP_HOST=ORG_HOST)
        with schema_context(ORG_SCHEMA):
            client.force_login(person)
        passed &= report(f"/portal/dashboard/ as the {role}", loads(client, "/portal/dashboard/"))
        if role == "administrator":
            passed &= report("/portal/dashboard/live/ (every second)", loads(client, "/portal/dashboard/live/"))
    print(f"\n== Seeker dashboard, {options.loads} loads each (load average {load_average()}) ==")
    schema = "bench_dboard_c0"
    for count in SEEKER_APPLICATIONS:
        client = HttpClient(HTTP_HOST="bench-dboard-c0.localhost")
        with schema_context(schema):
            client.force_login(User.objects.get(email=f"seeker{count}@bench.example"))
        forget_figures = lambda: _cache_forget(schema, "insights:figures")  # noqa: E731
        report(
            f"/app/insights/, {count:,} applications, cold cache",
            loads(client, "/app/insights/", forget=forget_figures),
        )
        passed &= report(f"/app/insights/, {count:,} applications, warm cache", loads(client, "/app/insights/"))
        predicted = "/app/insights/predicted/"
        if client.get(predicted).status_code != 200:  # before the section was deferred there was no such URL
            print(f"  {predicted} not available")
            continue
        cold = loads(
            client,
            predicted,
            forget=lambda: _cache_forget(schema, "insights:predicted"),
            loads_count=min(options.loads, options.cold_loads),
        )
        report(f"{predicted}, {count:,} applications, cold cache", cold)
        passed &= report(f"{predicted}, {count:,} applications, warm cache", loads(client, predicted))
    verdict = "PASS" if passed else "FAIL"
    print(f"  {verdict} (target: every page's p99 < {TARGET_P99_MS} ms, the cold comparison aside);")
    print(f"  the machine's load average: {load_average()}")
    return passed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=EVENTS)
    parser.add_argument("--loads", type=int, default=LOADS)
    parser.add_argument("--cold-loads", type=int, default=10, help="loads of the comparison with its cache emptied")
    parser.add_argument("--no-salary-model", action="store_true", help="skip loading reference data and training")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--reuse-db", action="store_true", help="measure a database kept by --keep-db")
    options = parser.parse_args()
    os.environ.update(bench_env(REDIS_URL=os.environ.get("CVPLUS_BENCH_REDIS_URL", "redis://127.0.0.1:6379/4")))
    print(f"CVPlus seeker and organisation dashboards on SIMULATED data, {time.strftime('%Y-%m-%d %H:%M')}")
    if not options.reuse_db:
        print(f"database recreated: {database_recreate():.1f} s")
    import django

    django.setup()
    try:
        if not options.reuse_db:
            build(options)
        measure(options)
        side_by_side(options.loads)
    finally:
        from django.db import connections

        connections.close_all()
        if not (options.keep_db or options.reuse_db):
            database_drop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
