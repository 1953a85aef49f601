"""The staff dashboard on rollups worth 10 million events: `.venv/bin/python bench/analytics_dashboard_data.py`.

``dashboard_rollups_fill(tenants, events=…)`` (also for bench/analytics.py) writes, with a few INSERT … SELECT over
generate_series, what the rollups' consumer would have written after counting that many events of those tenants over
the last 90 days, and each tenant's prediction log to match. All of it SIMULATED, from these assumptions:

- people: one per 150 events (66,667 for 10 million), shared among the tenants by a Zipf-like weight (the largest
  tenant about five times the smallest); each signed up on a uniformly random day of the last 180;
- activity: active on their sign-up day, then on a later day with probability a / sqrt(days since sign-up + 1),
  `a` chosen so that there is one active day per EVENTS_PER_ACTIVE_DAY events (a retention curve that decays like
  those of consumer apps: about 60 % of a cohort back in week +1, 25 % by week +8);
- events: each tenant's daily active users × EVENTS_PER_ACTIVE_DAY, split by MIX (kind, category, share) and by hour
  of the day (busier in working hours), each count varied by ±50 %; sign-ups and joins are the cohort rows
  themselves, so every rollup agrees with every other;
- predictions: one log row per prediction.served event, with a log-normal latency around each kind's median;
- people rollups (daily active users, user activity, active weeks, cohorts' retained weeks): recounted from the
  simulated active days by analytics.rollups.people_rollups_recount, as the consumer would have kept them.

Run alone, it works on a database of its own (CVPLUS_BENCH_DATABASE_URL, default ``cvplus_bench``; dropped and
recreated), provisions TENANTS tenants, fills them and loads the staff dashboard through Django's full stack in
process, 30 times per variant, printing the page's and its SQL's p50/p99 with the cache for latency and error rates
emptied before every load (the cold case) and kept (warm).
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

EVENTS = 10_000_000
DAYS = 90
SIGNUP_DAYS = 180
EVENTS_PER_PERSON = 150
EVENTS_PER_ACTIVE_DAY = 15
TENANTS = 12  # 9 consumer sites, 3 organisations
LOADS = 30
TARGET_P99_MS = 300
ROLLUP_TABLES = (
    "analytics_signupcohort",
    "analytics_activeday",
    "analytics_eventrollup",
    "analytics_dailyrollup",
    "analytics_dailyactiveusers",
    "analytics_useractivity",
    "analytics_activeweek",
)

# (kind, category, share of events, mean value): the value is a prediction's latency in ms or a metered call count.
MIX: tuple[tuple[str, str, float, float], ...] = (
    ("page.viewed", "board", 0.18, 0),
    ("page.viewed", "application", 0.12, 0),
    ("page.viewed", "profile", 0.06, 0),
    ("page.viewed", "pricing", 0.03, 0),
    ("page.viewed", "outcomes", 0.03, 0),
    ("page.viewed", "dashboard", 0.03, 0),
    ("prediction.served", "salary", 0.08, 0),
    ("prediction.served", "match", 0.07, 0),
    ("prediction.served", "interview", 0.05, 0),
    ("prediction.served", "time_to_hire", 0.03, 0),
    ("application.created", "saved", 0.04, 0),
    ("application.created", "applied", 0.05, 0),
    ("application.stage_changed", "applied", 0.03, 0),
    ("application.stage_changed", "screening", 0.03, 0),
    ("application.stage_changed", "interviewing", 0.025, 0),
    ("application.stage_changed", "offer", 0.008, 0),
    ("application.stage_changed", "rejected", 0.025, 0),
    ("application.stage_changed", "accepted", 0.004, 0),
    ("cv.parsed", "", 0.03, 0),
    ("reminder.sent", "", 0.05, 0),
    ("api.metered", "licensee-1", 0.03, 20),
    ("api.metered", "licensee-2", 0.015, 20),
    ("api.metered", "licensee-3", 0.005, 20),
    ("subscription.changed", "premium", 0.002, 0),
    ("subscription.changed", "canceled", 0.001, 0),
    ("experiment.exposed", "salary-challenger", 0.02, 0),
)
# Median latency (ms) and the spread of its logarithm, per model kind.
LATENCY = {"salary": (24.0, 0.5), "match": (11.0, 0.6), "interview": (7.0, 0.5), "time_to_hire": (14.0, 0.5)}
# Share of a day's events in each UTC hour: quiet at night, busiest in working hours.
_HOUR_SHAPE = tuple(0.3 + math.sin(math.pi * hour / 23) ** 2 for hour in range(24))
HOUR_WEIGHTS = tuple(weight / sum(_HOUR_SHAPE) for weight in _HOUR_SHAPE)


@dataclass(frozen=True)
class FillReport:
    people: int
    active_days: int
    events: int  # the sum of the hourly rollups' counts: the events they stand for
    hourly_rows: int
    daily_rows: int
    prediction_log_rows: int
    seconds: float


def _people_per_tenant(people: int, count: int) -> list[int]:
    weights = [1 / (rank + 1) ** 0.7 for rank in range(count)]
    return [max(1, round(people * w / sum(weights))) for w in weights]


def _activity_scale(people: int, days: int, target_active_days: float) -> float:
    """`a` such that the expected active days of `people` (sign-up days uniform over SIGNUP_DAYS) is the target."""
    signup_days_in_window, decayed = 0.0, 0.0
    for signed_up_ago in range(SIGNUP_DAYS):
        signup_days_in_window += signed_up_ago < days
        first_age = max(1, signed_up_ago - days + 1)
        decayed += sum(1 / math.sqrt(age + 1) for age in range(first_age, signed_up_ago + 1))
    per_person = 1 / SIGNUP_DAYS
    return (target_active_days / people - signup_days_in_window * per_person) / (decayed * per_person)


_COHORTS = """
INSERT INTO analytics_signupcohort (tenant_id, user_id, day)
SELECT t.id, u, %(today)s::date - floor(random() * %(signup_days)s)::int
FROM unnest(%(tenant_ids)s::bigint[], %(people)s::int[]) AS t (id, people)
CROSS JOIN LATERAL generate_series(1, t.people) AS u
"""

_ACTIVE_DAYS = """
INSERT INTO analytics_activeday (tenant_id, user_id, day)
SELECT c.tenant_id, c.user_id, d::date
FROM analytics_signupcohort c
CROSS JOIN LATERAL generate_series(GREATEST(c.day, %(start)s::date), %(today)s::date, interval '1 day') AS d
WHERE c.tenant_id = ANY(%(tenant_ids)s) AND (d::date = c.day OR random() < %(scale)s / sqrt(d::date - c.day + 1))
"""

_HOURLY = """
WITH dau AS (
    SELECT tenant_id, day, COUNT(*) AS people FROM analytics_activeday
    WHERE tenant_id = ANY(%(tenant_ids)s) AND day >= %(start)s GROUP BY tenant_id, day
), mix AS (
    SELECT * FROM unnest(%(kinds)s::text[], %(keys)s::text[], %(shares)s::float8[], %(values)s::float8[])
        AS m (kind, key, share, value_mean)
), hours AS (
    SELECT (ordinality - 1)::int AS h, w FROM unnest(%(hour_weights)s::float8[]) WITH ORDINALITY AS hw (w)
), counted AS (
    SELECT dau.tenant_id, m.kind, m.key, (dau.day + make_interval(hours => hours.h)) AT TIME ZONE 'UTC' AS hour,
           round(dau.people * %(per_active_day)s * m.share * hours.w * (0.5 + random()))::int AS n, m.value_mean
    FROM dau CROSS JOIN mix m CROSS JOIN hours
)
INSERT INTO analytics_eventrollup (tenant_id, kind, key, hour, count, total)
SELECT tenant_id, kind, key, hour, n, n * value_mean FROM counted WHERE n > 0
"""

_SIGNUPS_HOURLY = """
INSERT INTO analytics_eventrollup (tenant_id, kind, key, hour, count, total)
SELECT c.tenant_id, CASE WHEN t.kind = 'enterprise' THEN 'member.joined' ELSE 'user.signed_up' END, '',
       (c.day + make_interval(hours => (c.user_id %% 24)::int)) AT TIME ZONE 'UTC', COUNT(*), 0
FROM analytics_signupcohort c JOIN tenants_client t ON t.id = c.tenant_id
WHERE c.tenant_id = ANY(%(tenant_ids)s) AND c.day >= %(start)s
GROUP BY 1, 2, 4
"""

_DAILY = """
INSERT INTO analytics_dailyrollup (tenant_id, kind, key, day, count, total)
SELECT tenant_id, kind, key, (hour AT TIME ZONE 'UTC')::date, SUM(count), SUM(total)
FROM analytics_eventrollup WHERE tenant_id = ANY(%(tenant_ids)s)
GROUP BY 1, 2, 3, 4
"""

# One row per prediction.served event of the tenant, at a random time within its hour, its latency log-normal
# (Box–Muller); the hourly rollup's sum of latencies is then set from the rows, as the consumer would have counted.
_PREDICTION_LOG = """
INSERT INTO {schema}.predictions_predictionlog
    (kind, model_label, scope, input_hash, latency_ms, batch_size, low_confidence, low_confidence_count,
     insufficient_data, source, created_at)
SELECT r.key, r.key || '-1', 'global', md5(r.id::text || ':' || i) || md5(i::text || ':' || r.id),
       l.median * exp(l.sigma * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())), 1, false, 0, false, 'api',
       r.hour + random() * interval '1 hour'
FROM analytics_eventrollup r
JOIN unnest(%(latency_kinds)s::text[], %(medians)s::float8[], %(sigmas)s::float8[]) AS l (kind, median, sigma)
  ON l.kind = r.key
CROSS JOIN LATERAL generate_series(1, r.count) AS i
WHERE r.tenant_id = %(tenant_id)s AND r.kind = 'prediction.served'
"""

_LATENCY_TOTALS = """
UPDATE analytics_eventrollup r SET total = s.total
FROM (
    SELECT kind, date_trunc('hour', created_at) AS hour, SUM(latency_ms) AS total
    FROM {schema}.predictions_predictionlog GROUP BY 1, 2
) s
WHERE r.tenant_id = %(tenant_id)s AND r.kind = 'prediction.served' AND r.key = s.kind AND r.hour = s.hour
"""


def dashboard_rollups_fill(
    tenants: Sequence, *, events: int = EVENTS, days: int = DAYS, today: date | None = None, seed: float = 0.42
) -> FillReport:
    """Replaces the rollups (and the prediction logs) of `tenants` (ready tenants.Client rows) with what `events`
    events over the last `days` days would have counted, as the module says. Runs in the public schema."""
    from django.db import connection, transaction

    from analytics.models import ActiveDay, DailyRollup, EventRollup, SignupCohort
    from analytics.rollups import people_rollups_recount

    started = time.perf_counter()
    today = today or datetime.now(UTC).date()
    start = today - timedelta(days=days - 1)
    tenant_ids = [tenant.pk for tenant in tenants]
    people = _people_per_tenant(events // EVENTS_PER_PERSON, len(tenants))
    scale = _activity_scale(sum(people), days, events / EVENTS_PER_ACTIVE_DAY)
    params = {
        "today": today,
        "start": start,
        "tenant_ids": tenant_ids,
        "people": people,
        "signup_days": SIGNUP_DAYS,
        "scale": scale,
        "per_active_day": EVENTS_PER_ACTIVE_DAY,
        "kinds": [kind for kind, _key, _share, _value in MIX],
        "keys": [key for _kind, key, _share, _value in MIX],
        "shares": [share for _kind, _key, share, _value in MIX],
        "values": [value for _kind, _key, _share, value in MIX],
        "hour_weights": list(HOUR_WEIGHTS),
        "latency_kinds": list(LATENCY),
        "medians": [median for median, _sigma in LATENCY.values()],
        "sigmas": [sigma for _median, sigma in LATENCY.values()],
    }
    with transaction.atomic(), connection.cursor() as cursor:
        for model in (EventRollup, DailyRollup, ActiveDay, SignupCohort):
            model.objects.filter(tenant_id__in=tenant_ids).delete()
        cursor.execute("SELECT setseed(%s)", [seed])
        for statement in (_COHORTS, _ACTIVE_DAYS, _HOURLY, _SIGNUPS_HOURLY):
            cursor.execute(statement, params)
        people_rollups_recount(tenant_ids=tenant_ids)  # as the consumer keeps them from the same active days
        log_rows = 0
        for tenant in tenants:
            schema = connection.ops.quote_name(tenant.schema_name)
            cursor.execute(f"TRUNCATE {schema}.predictions_predictionlog")  # noqa: S608 - a quoted schema name
            cursor.execute(_PREDICTION_LOG.format(schema=schema), params | {"tenant_id": tenant.pk})
            log_rows += cursor.rowcount
            cursor.execute(_LATENCY_TOTALS.format(schema=schema), {"tenant_id": tenant.pk})
        cursor.execute(_DAILY, params)
        cursor.execute(
            "SELECT (SELECT COUNT(*) FROM analytics_activeday WHERE tenant_id = ANY(%(ids)s)),"
            " (SELECT COALESCE(SUM(count), 0) FROM analytics_eventrollup WHERE tenant_id = ANY(%(ids)s)),"
            " (SELECT COUNT(*) FROM analytics_eventrollup WHERE tenant_id = ANY(%(ids)s)),"
            " (SELECT COUNT(*) FROM analytics_dailyrollup WHERE tenant_id = ANY(%(ids)s))",
            {"ids": tenant_ids},
        )
        active_days, counted, hourly_rows, daily_rows = cursor.fetchone()
    with connection.cursor() as cursor:  # fresh statistics and visibility maps, as autovacuum would soon give them
        for table in ROLLUP_TABLES:
            cursor.execute(f"VACUUM ANALYZE {table}")  # noqa: S608 - a fixed name
        for tenant in tenants:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(tenant.schema_name)}.predictions_predictionlog")  # noqa: S608
    return FillReport(
        people=sum(people),
        active_days=active_days,
        events=counted,
        hourly_rows=hourly_rows,
        daily_rows=daily_rows,
        prediction_log_rows=log_rows,
        seconds=time.perf_counter() - started,
    )


# ---------------------------------------------------------------------------------------------------------------------
# Measuring the page (run as a script)
# ---------------------------------------------------------------------------------------------------------------------
def _tenants_provision(count: int) -> list:
    from tenants.provisioning import tenant_provision
    from tenants.services import tenant_create

    tenants = []
    for index in range(count):
        kind = "enterprise" if index % 4 == 3 else "consumer"
        schema = f"bench_dash_{index:02d}"
        row = tenant_create(
            name=f"Bench {kind} {index:02d}",
            schema_name=schema,
            domain=f"bench-dash-{index:02d}.localhost",
            kind=kind,
            region="NA",
            language="en",
            currency="USD",
            provision=False,
        )
        tenants.append(tenant_provision(client_id=row.pk))
    return tenants


def _loads(client, url: str, scope, *, cold: bool) -> tuple[list[float], list[float], int]:
    """Page times and SQL times (ms) of LOADS loads, and the query count of the last."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from analytics.staff_health import cache_key

    pages, sql = [], []
    queries = 0
    client.get(url)  # warms Python's imports and the connection; not counted
    for _load in range(LOADS):
        if cold:
            cache.delete_many([cache_key(scope, "latency"), cache_key(scope, "errors")])
        with CaptureQueriesContext(connection) as captured:
            began = time.perf_counter()
            response = client.get(url)
            pages.append((time.perf_counter() - began) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        if any("tracking_domainevent" in query["sql"] for query in captured.captured_queries):
            raise SystemExit(f"{url} read the events table")
        sql.append(sum(float(query["time"]) for query in captured.captured_queries) * 1000)
        queries = len(captured.captured_queries)
    return pages, sql, queries


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=EVENTS)
    parser.add_argument("--tenants", type=int, default=TENANTS)
    parser.add_argument("--keep-db", action="store_true")
    options = parser.parse_args()
    from bench.tenants import bench_env, database_drop, database_recreate, percentile

    os.environ.update(bench_env())
    print(f"CVPlus staff dashboard on rollups of {options.events:,} SIMULATED events, {time.strftime('%Y-%m-%d')}")
    print(f"database recreated: {database_recreate():.1f} s")
    import django

    django.setup()
    from django.test import Client as HttpClient

    from accounts.services import user_create
    from analytics.staff import scope_make
    from tenants.services import public_tenant_ensure

    try:
        public_tenant_ensure(domain="localhost")
        began = time.perf_counter()
        tenants = _tenants_provision(options.tenants)
        print(f"{len(tenants)} tenants provisioned: {time.perf_counter() - began:.1f} s")
        report = dashboard_rollups_fill(tenants, events=options.events)
        print(
            f"filled in {report.seconds:.1f} s: {report.events:,} events counted in {report.hourly_rows:,} hourly and"
            f" {report.daily_rows:,} daily rollup rows; {report.people:,} people, {report.active_days:,} active days,"
            f" {report.prediction_log_rows:,} prediction log rows"
        )
        staff = user_create(email="bench.staff@cvplus.example", password="bench-passphrase-1", is_staff=True)
        client = HttpClient(HTTP_HOST="localhost")
        client.force_login(staff)
        one = tenants[0]
        print(f"\n== The dashboard, {LOADS} loads each, in process through Django's full stack ==")
        failed = False
        for label, tenant, days in (
            ("every tenant, 30 days", None, 30),
            ("every tenant, 90 days", None, 90),
            (f"{one.name}, 90 days", one, 90),
        ):
            scope = scope_make(tenant_id=tenant.pk if tenant else None, days=days)
            url = f"/admin/analytics/rollupcursor/dashboard/?days={days}" + (f"&tenant={tenant.pk}" if tenant else "")
            for cache_state, cold in (("cold cache", True), ("warm cache", False)):
                pages, sql, queries = _loads(client, url, scope, cold=cold)
                p99 = percentile(pages, 0.99)
                failed |= p99 >= TARGET_P99_MS
                print(
                    f"  {label:<30} {cache_state}: page p50 {statistics.median(pages):6.1f} ms p99 {p99:6.1f} ms;"
                    f" SQL p50 {statistics.median(sql):6.1f} ms p99 {percentile(sql, 0.99):6.1f} ms ({queries} queries)"
                )
        verdict = "FAIL" if failed else "PASS"
        print(f"  {verdict} (target: page p99 < {TARGET_P99_MS} ms); the machine's load: {os.getloadavg()[0]:.1f}")
    finally:
        if not options.keep_db:
            from django.db import connections

            connections.close_all()
            database_drop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
