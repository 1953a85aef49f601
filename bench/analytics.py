"""Analytics benchmarks (issue 14, "Measured"): `.venv/bin/python bench/analytics.py`.

Prints, measured side by side in one run:
1. Event write overhead: the seeker's board (GET /app/) with and without its page.viewed event (one RPUSH to Redis,
   analytics/pageviews.py; beside it, a bare Redis PING in its place, to tell the work from the round trip), and a
   stage change (POST /api/v1/applications/<pk>/move/) with and without its domain event and the kick after the
   commit; the variants alternate in blocks, in one process, and the ratio of medians is printed (target: ≤ 1.05×).
2. Consumer throughput: events written in bulk, then counted by one advance (events per second).
3. Freshness under load: a writer commits one event every 5 ms (200 events/s) for `--load-seconds`, each kicking an
   advance that a real Celery worker (its own process) runs; a watcher records when the tenant's cursor counts each
   event's transaction. Freshness = that moment minus the event's commit (p50/p99; target p99 < 1 s). What a
   dashboard shows is the rollups, so counted is shown (the dashboard's own read is section 4). Run twice: as is, and
   with another session holding a transaction open for `--hold-seconds` at a time, over and over (as a test suite, a
   report or a migration on the same server does). Then page views at the same rate through their Redis buffer
   (analytics/pageviews.py): the moment the rollups' count of board views reaches each view's rank, minus its push.
The dashboards' query time on rollups worth 10 million events is bench/analytics_dashboard_data.py (its own run).
Works on its own database (``cvplus_bench``, or CVPLUS_BENCH_DATABASE_URL), dropped and recreated, and its own Redis
database (CVPLUS_BENCH_REDIS_URL, default db 13). No target is asserted: the figures are printed for the issue's note.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

from bench.tenants import bench_env, bench_tenant_create, database_drop, database_recreate, percentile  # noqa: E402

SCHEMA, HOST = "bench_analytics", "bench-analytics.localhost"
REDIS_URL = os.environ.get("CVPLUS_BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


# ---------------------------------------------------------------------------------------------------------------------
# 1. Write overhead
# ---------------------------------------------------------------------------------------------------------------------
def _timed(fn, n: int) -> list[float]:
    times = []
    for _ in range(n):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return times


def _side_by_side(with_event, without_event, *, blocks: int, per_block: int) -> tuple[list[float], list[float]]:
    """Alternating blocks, so that drift of the machine falls on both."""
    with_times, without_times = [], []
    for _ in range(blocks):
        with_times += with_event(per_block)
        without_times += without_event(per_block)
    return with_times, without_times


def bench_write_overhead(client, application_pk: int, *, blocks: int, per_block: int) -> None:
    from analytics import middleware
    from cvplus.kicks import kicks_wait
    from tracking import services
    from tracking.models import Stage

    pages = dict(middleware.MAIN_PAGES)

    def board(n: int) -> list[float]:
        return _timed(lambda: client.get("/app/"), n)

    def board_with(n: int) -> list[float]:
        middleware.MAIN_PAGES.clear()
        middleware.MAIN_PAGES.update(pages)
        times = board(n)
        kicks_wait()
        return times

    def board_without(n: int) -> list[float]:
        middleware.MAIN_PAGES.clear()
        return board(n)

    for _ in range(20):
        client.get("/app/")  # warm
    with_times, without_times = _side_by_side(board_with, board_without, blocks=blocks, per_block=per_block)
    middleware.MAIN_PAGES.update(pages)
    _report("board page view (GET /app/)", with_times, without_times)
    if hasattr(middleware, "page_view_record"):
        _board_with_a_bare_round_trip(middleware, board, board_without, blocks=blocks, per_block=per_block)

    url = f"/api/v1/applications/{application_pk}/move/"
    real_record = services.domain_event_record

    def move(n: int) -> list[float]:
        def one() -> None:
            # the next interview round each time: the same move, the same work
            response = client.post(url, {"to_stage": Stage.INTERVIEWING}, content_type="application/json")
            assert response.status_code == 200, response.content

        return _timed(one, n)

    def move_with(n: int) -> list[float]:
        services.domain_event_record = real_record
        times = move(n)
        kicks_wait()
        return times

    def move_without(n: int) -> list[float]:
        services.domain_event_record = lambda **kwargs: None
        return move(n)

    move(20)  # warm
    try:
        with_times, without_times = _side_by_side(move_with, move_without, blocks=blocks, per_block=per_block)
    finally:
        services.domain_event_record = real_record
    _report("stage change (POST …/move/), event + kick after commit", with_times, without_times)


def _board_with_a_bare_round_trip(middleware, board, board_without, *, blocks: int, per_block: int) -> None:
    """What one Redis round trip costs at the page view's place (after the page is built), recording nothing: on a
    loaded machine the first round trip after the page's CPU work waits for the CPU, whatever it carries."""
    from billing.redis_client import redis_client

    real_record = middleware.page_view_record
    pages = dict(middleware.MAIN_PAGES)

    def board_ping(n: int) -> list[float]:
        middleware.MAIN_PAGES.update(pages)
        middleware.page_view_record = lambda **kwargs: redis_client().ping()
        try:
            return board(n)
        finally:
            middleware.page_view_record = real_record

    ping_times, without_times = _side_by_side(board_ping, board_without, blocks=blocks, per_block=per_block)
    middleware.MAIN_PAGES.update(pages)
    _report("the same, a bare Redis PING in the page view's place (for comparison)", ping_times, without_times)


def _report(label: str, with_times: list[float], without_times: list[float]) -> None:
    with_p50, without_p50 = statistics.median(with_times), statistics.median(without_times)
    print(
        f"  {label}: with the event p50 {ms(with_p50)} / p99 {ms(percentile(with_times, 0.99))}, without "
        f"p50 {ms(without_p50)} / p99 {ms(percentile(without_times, 0.99))}; ratio of medians "
        f"{with_p50 / without_p50:.3f}× (target ≤ 1.05×, n = {len(with_times)} each)"
    )


# ---------------------------------------------------------------------------------------------------------------------
# 2. Throughput, and the bulk history for section 4
# ---------------------------------------------------------------------------------------------------------------------
_BULK_EVENTS = """
INSERT INTO {schema}.tracking_domainevent (kind, occurred_at, actor_id, subject_id, payload)
SELECT (ARRAY['page.viewed', 'page.viewed', 'page.viewed', 'application.stage_changed', 'application.created',
              'prediction.served', 'prediction.served', 'reminder.sent', 'cv.parsed', 'user.signed_up'])[1 + i %% 10],
       now() - make_interval(secs => (i * 7919) %% %(span_s)s),
       1 + (i * 104729) %% %(users)s,
       i,
       CASE i %% 10
           WHEN 3 THEN jsonb_build_object('from', 'applied', 'to',
                (ARRAY['screening', 'interviewing', 'offer', 'rejected'])[1 + i %% 4])
           WHEN 4 THEN jsonb_build_object('stage', 'applied', 'channel', 'referral')
           WHEN 5 THEN jsonb_build_object('key', 'salary', 'value', 20 + i %% 50)
           WHEN 6 THEN jsonb_build_object('key', 'interview', 'value', 10 + i %% 30)
           ELSE jsonb_build_object('key', (ARRAY['board', 'application', 'cv', 'insights'])[1 + i %% 4])
       END
FROM generate_series(%(start)s::bigint, %(stop)s::bigint - 1) AS i
"""


def events_bulk(schema: str, count: int, *, users: int, span_days: int, start: int = 0) -> float:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            _BULK_EVENTS.format(schema=connection.ops.quote_name(schema)),
            {"span_s": span_days * 86400, "users": users, "start": start, "stop": start + count},
        )
    return time.perf_counter() - started


def bench_throughput(tenant, count: int) -> None:
    from analytics.rollups import rollups_advance

    rollups_advance(tenant)
    events_bulk(tenant.schema_name, count, users=5000, span_days=90, start=10**8)
    started = time.perf_counter()
    rows = rollups_advance(tenant)
    seconds = time.perf_counter() - started
    print(
        f"  one advance counted {count:,} new events into {rows:,} rollup rows in {seconds:.2f} s: "
        f"{count / seconds:,.0f} events/s"
    )


# ---------------------------------------------------------------------------------------------------------------------
# 3. Freshness under load, with a real worker
# ---------------------------------------------------------------------------------------------------------------------
def worker_start(log: Path) -> subprocess.Popen:
    environment = bench_env(REDIS_URL=REDIS_URL, CELERY_BROKER_URL=REDIS_URL)
    return subprocess.Popen(  # noqa: S603 - our own worker
        [sys.executable, "-m", "celery", "-A", "cvplus", "worker", "-Q", "default", "--pool", "solo", "-n", "bench@%h"],
        cwd=ROOT,
        env=environment,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )


def _counts(cursor, txid: int) -> bool:
    """Whether the cursor counts `txid` (before issue 14's snapshot cursor, it had no list of running ones)."""
    return txid < cursor.counted_below and txid not in getattr(cursor, "running", ())


class _TransactionHeldOpen:
    """Another session that holds a transaction (with a transaction id) open for `hold_s`, commits, and again."""

    def __init__(self, hold_s: float) -> None:
        self.hold_s, self.stop = hold_s, threading.Event()
        self.thread = threading.Thread(target=self._run)

    def _run(self) -> None:
        from django.db import connection, transaction

        try:
            while not self.stop.is_set():
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute("SELECT pg_current_xact_id()")
                    self.stop.wait(self.hold_s)
        finally:
            connection.close()

    def __enter__(self) -> _TransactionHeldOpen:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(timeout=60)


def bench_freshness(tenant, *, seconds: float, rate: int) -> None:
    from django.db import connection, connections, transaction
    from django.utils import timezone
    from django_tenants.utils import schema_context

    from analytics.models import RollupCursor
    from analytics.rollups import rollups_advance
    from tracking.models import DomainEvent

    rollups_advance(tenant)
    committed: list[tuple[int, float]] = []  # (txid, commit time)
    counted: dict[int, float] = {}
    stop = threading.Event()

    def watcher() -> None:
        try:
            seen = 0
            while not stop.is_set() or seen < len(committed):
                cursor = RollupCursor.objects.filter(tenant=tenant).first()
                now = time.perf_counter()
                while seen < len(committed) and cursor is not None and _counts(cursor, committed[seen][0]):
                    counted[seen] = now
                    seen += 1
                time.sleep(0.002)
                if stop.is_set() and time.perf_counter() > deadline + 30:
                    return
        finally:
            connections.close_all()

    interval = 1 / rate
    total = int(seconds * rate)
    deadline = time.perf_counter() + seconds + 5
    watch = threading.Thread(target=watcher)
    watch.start()
    next_at = time.perf_counter()
    with schema_context(tenant.schema_name):
        for i in range(total):
            with transaction.atomic():
                event = DomainEvent.objects.create(
                    kind=DomainEvent.Kind.PAGE_VIEWED,
                    occurred_at=timezone.now(),
                    actor_id=1 + i % 300,
                    payload={"key": "board"},
                )
                with connection.cursor() as cursor:
                    cursor.execute("SELECT txid::text::bigint FROM tracking_domainevent WHERE id = %s", [event.pk])
                    txid = cursor.fetchone()[0]
            committed.append((txid, time.perf_counter()))
            next_at += interval
            time.sleep(max(0.0, next_at - time.perf_counter()))
    stop.set()
    watch.join(timeout=60)
    # The watcher notices within its 2 ms poll; committed txids are increasing in commit order here (one writer).
    _freshness_report("events", [at for _txid, at in committed], counted, rate=rate, seconds=seconds)


def _freshness_report(what: str, written: list[float], counted: dict[int, float], *, rate: int, seconds: float) -> None:
    lags = [counted[i] - at for i, at in enumerate(written) if i in counted]
    missing = len(written) - len(lags)
    print(
        f"  {len(written):,} {what} at {rate}/s for {seconds:.0f} s: action to counted p50 "
        f"{ms(statistics.median(lags))}, p99 {ms(percentile(lags, 0.99))}, max {ms(max(lags))}"
        f" (target p99 < 1 s){f'; {missing} not counted within the wait' if missing else ''}"
    )


def bench_page_view_freshness(tenant, *, seconds: float, rate: int) -> None:
    """Page views pushed to Redis at `rate` (each kicking the advance that writes and counts them); the i-th view is
    counted once the rollups' count of board views passes i (a batch is written and counted whole, oldest first)."""
    from django.db import connections
    from django_tenants.utils import schema_context

    from analytics.pageviews import page_view_record
    from tracking.models import DomainEvent

    def board_views() -> int:
        return sum(
            tenant.daily_rollups.filter(kind=DomainEvent.Kind.PAGE_VIEWED, key="bench-board").values_list(
                "count", flat=True
            )
        )

    pushed: list[float] = []
    counted: dict[int, float] = {}
    stop = threading.Event()
    total = int(seconds * rate)

    def watcher() -> None:
        try:
            deadline = None
            while len(counted) < total:
                views = board_views()
                now = time.perf_counter()
                for i in range(len(counted), min(views, len(pushed))):
                    counted[i] = now
                time.sleep(0.002)
                if stop.is_set():
                    deadline = deadline or now + 30
                    if now > deadline:
                        return
        finally:
            connections.close_all()

    watch = threading.Thread(target=watcher)
    watch.start()
    next_at = time.perf_counter()
    with schema_context(tenant.schema_name):
        for i in range(total):
            pushed.append(time.perf_counter())
            page_view_record(page="bench-board", actor_id=1 + i % 300)
            next_at += 1 / rate
            time.sleep(max(0.0, next_at - time.perf_counter()))
    stop.set()
    watch.join(timeout=60)
    _freshness_report("page views (Redis buffer)", pushed, counted, rate=rate, seconds=seconds)


# ---------------------------------------------------------------------------------------------------------------------
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--blocks", type=int, default=10, help="alternating blocks for section 1")
    parser.add_argument("--per-block", type=int, default=20, help="requests per block for section 1")
    parser.add_argument("--throughput-events", type=int, default=200_000)
    parser.add_argument("--load-seconds", type=float, default=30)
    parser.add_argument("--rate", type=int, default=200)
    parser.add_argument("--hold-seconds", type=float, default=2.0, help="section 3's transaction held open elsewhere")
    parser.add_argument("--sections", default="1,2,3")
    parser.add_argument("--keep-db", action="store_true")
    options = parser.parse_args()
    sections = set(options.sections.split(","))
    os.environ.update(bench_env(REDIS_URL=REDIS_URL, CELERY_BROKER_URL=REDIS_URL))
    print("CVPlus analytics benchmarks")
    print(f"database recreated: {database_recreate():.1f} s")
    import django

    django.setup()
    from django.db import connections
    from django.test import Client as HttpClient
    from django_tenants.utils import schema_context

    from accounts.services import user_create
    from cvplus.celery import app
    from tenants.provisioning import tenant_provision
    from tracking import services
    from tracking.models import Stage

    worker = None
    try:
        tenant = tenant_provision(client_id=bench_tenant_create(SCHEMA, HOST).pk)
        with schema_context(SCHEMA):
            seeker = user_create(email="malia.okafor@bench.example", password="bench-password-123")
            posting = services.posting_create(owner=seeker, title="Data Analyst", company="Kestrel Bank")
            application = services.application_create(owner=seeker, posting=posting, stage=Stage.APPLIED)
            client = HttpClient(HTTP_HOST=HOST)
            client.force_login(seeker)
        app.control.purge()
        if "1" in sections:
            print("1. Event write overhead on the request that records it")
            bench_write_overhead(client, application.pk, blocks=options.blocks, per_block=options.per_block)
        if "2" in sections:
            print("2. Consumer throughput")
            bench_throughput(tenant, options.throughput_events)
        if "3" in sections:
            print("3. Freshness under load (a real worker, no beat)")
            worker = worker_start(ROOT / ".run" / "bench-analytics-worker.log")
            deadline = time.monotonic() + 300
            while not app.control.ping(timeout=1) and time.monotonic() < deadline:
                time.sleep(1)  # the worker's start-up
            bench_freshness(tenant, seconds=options.load_seconds, rate=options.rate)
            print(f"   … while another session holds a transaction open {options.hold_seconds:.1f} s at a time")
            with _TransactionHeldOpen(options.hold_seconds):
                bench_freshness(tenant, seconds=options.load_seconds, rate=options.rate)
            try:
                bench_page_view_freshness(tenant, seconds=options.load_seconds, rate=options.rate)
            except ImportError:
                print("  (no page view buffer in this checkout)")
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=60)
        connections.close_all()
        if not options.keep_db:
            database_drop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
