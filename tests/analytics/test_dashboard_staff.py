"""The staff analytics dashboard (issue 14, item 2): every figure equals a hand count on scripted rollups (SIMULATED
rows written straight into the rollup tables, not events), cohorts under 5 people are counted but their shares not
shown, only staff reach it (on the public host: a tenant host has no admin), and it reads the rollups, never the
events, in a bounded number of queries."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import User
from analytics.models import ActiveDay, DailyRollup, RollupCursor, SignupCohort, SimulatedHistory
from analytics.rollups import people_rollups_recount
from analytics.staff import (
    ActiveCount,
    SignupCount,
    active_users_count,
    api_calls_count,
    freshness_read,
    predictions_count,
    scope_make,
    signups_count,
    utc_today,
    week_start,
)
from analytics.staff_cohorts import conversion_count, retention_count
from analytics.staff_health import cache_key, error_rates_read, latency_percentiles_read
from billing.catalogue import plans_ensure
from billing.models import ApiUsageDay, Customer, Invoice, Licensee, Plan, Subscription, WebhookEvent
from portal.models import WebhookDelivery, WebhookEndpoint
from predictions.models import PredictionLog
from tenants.models import Client
from tests.accounts.factories import StaffUserFactory, UserFactory
from tests.conftest import HOST_A, PASSWORD, PUBLIC_HOST
from tracking.models import ImportJob

pytestmark = pytest.mark.django_db

DASHBOARD = "/admin/analytics/rollupcursor/dashboard/"
TODAY = date(2025, 3, 19)  # a Wednesday
STAFF_EMAIL = "amara.osei@cvplus.example"


def tenant(schema: str) -> Client:
    return Client.objects.get(schema_name=schema)


@pytest.fixture
def tenants(cast) -> dict[str, Client]:
    return {schema: tenant(schema) for schema in ("alpha", "beta", "gamma")}


def rollup(tenant: Client, kind: str, day: date, count: int, *, key: str = "", total: float = 0) -> None:
    DailyRollup.objects.create(tenant=tenant, kind=kind, key=key, day=day, count=count, total=total)


def active(tenant: Client, user_id: int, *days: date) -> None:
    ActiveDay.objects.bulk_create(ActiveDay(tenant=tenant, user_id=user_id, day=day) for day in days)


def people_counted(*tenants: Client) -> None:
    """The people rollups that the consumer keeps beside scripted ActiveDay and SignupCohort rows (daily active
    users, each user's last day, weeks, retained weeks), recounted from those rows (tests/analytics/test_rollups.py
    proves the consumer keeps them equal to this)."""
    people_rollups_recount(tenant_ids=[tenant.pk for tenant in tenants])


def scope(tenant: Client | None = None, days: int = 30, today: date = TODAY):
    return scope_make(tenant_id=tenant.pk if tenant else None, days=days, today=today)


# ---------------------------------------------------------------------------------------------------------------------
# Figures against hand counts
# ---------------------------------------------------------------------------------------------------------------------
def test_it_counts_signups_per_day_week_and_tenant_as_by_hand(tenants) -> None:
    alpha, beta, gamma = tenants["alpha"], tenants["beta"], tenants["gamma"]
    monday = week_start(TODAY)  # 17 March
    rollup(alpha, "user.signed_up", TODAY, 3)
    rollup(alpha, "user.signed_up", monday - timedelta(days=1), 2)  # Sunday: the week before
    rollup(beta, "user.signed_up", TODAY, 1)
    rollup(gamma, "member.joined", monday, 4)
    rollup(alpha, "page.viewed", TODAY, 50, key="board")  # another kind
    rollup(alpha, "user.signed_up", TODAY - timedelta(days=30), 9)  # a day before the 30-day period

    figures = signups_count(scope())

    assert figures.by_day[TODAY] == SignupCount(signed_up=4, joined=0)
    assert figures.by_day[monday] == SignupCount(signed_up=0, joined=4)
    assert figures.by_week[monday] == SignupCount(signed_up=4, joined=4)
    assert figures.by_week[monday - timedelta(days=7)] == SignupCount(signed_up=2, joined=0)
    assert figures.by_tenant == {
        alpha.pk: SignupCount(signed_up=5),
        beta.pk: SignupCount(signed_up=1),
        gamma.pk: SignupCount(joined=4),
    }
    assert figures.total == SignupCount(signed_up=6, joined=4)
    assert len(figures.by_day) == 30
    only_alpha = signups_count(scope(alpha, days=7))
    assert only_alpha.total == SignupCount(signed_up=5)
    assert set(only_alpha.by_tenant) == {alpha.pk}


def test_it_counts_daily_weekly_and_monthly_active_users_per_tenant(tenants) -> None:
    alpha, beta = tenants["alpha"], tenants["beta"]
    active(alpha, 1, TODAY, TODAY - timedelta(days=1), TODAY - timedelta(days=2))
    active(alpha, 2, TODAY - timedelta(days=6))  # the 7th day back: still in the week
    active(alpha, 3, TODAY - timedelta(days=7), TODAY - timedelta(days=29))  # outside the week, inside the month
    active(alpha, 4, TODAY - timedelta(days=30))  # outside the month
    active(beta, 1, TODAY)  # the same id in another tenant is another person
    active(beta, 2, TODAY - timedelta(days=3), TODAY + timedelta(days=2))  # active after "today": last day is later
    active(beta, 3, TODAY + timedelta(days=1))  # only after "today": not active as of today
    people_counted(alpha, beta)

    figures = active_users_count(scope())

    assert figures.by_tenant == {alpha.pk: ActiveCount(1, 2, 3), beta.pk: ActiveCount(1, 2, 2)}
    assert figures.total == ActiveCount(2, 4, 5)
    assert figures.by_day[TODAY] == 2
    assert figures.by_day[TODAY - timedelta(days=1)] == 1
    assert figures.by_day[TODAY - timedelta(days=3)] == 1
    assert figures.by_day[TODAY - timedelta(days=7)] == 1
    assert figures.by_day[TODAY - timedelta(days=29)] == 1
    assert sum(figures.by_day.values()) == 2 + 1 + 1 + 1 + 1 + 1 + 1
    assert active_users_count(scope(beta)).by_tenant == {beta.pk: ActiveCount(1, 2, 2)}


def test_it_shares_each_signup_weeks_people_active_in_the_weeks_after_and_hides_cohorts_under_five(tenants) -> None:
    alpha, beta = tenants["alpha"], tenants["beta"]
    week = week_start(TODAY) - timedelta(weeks=3)  # 24 February: weeks +1 and +2 have ended, +3 is this week
    for user_id in range(1, 6):
        SignupCohort.objects.create(tenant=alpha, user_id=user_id, day=week + timedelta(days=user_id % 3))
    active(
        alpha, 1, week + timedelta(days=2), week + timedelta(days=7), week + timedelta(days=8)
    )  # +0 (not counted), +1
    active(alpha, 2, week + timedelta(days=13), week + timedelta(days=14))  # +1, +2
    active(alpha, 3, week + timedelta(days=10), week + timedelta(days=21))  # +1, +3 (this week: not shown yet)
    active(beta, 4, week + timedelta(days=7))  # beta's user 4 is not alpha's
    small = week - timedelta(weeks=1)
    for user_id in range(10, 14):
        SignupCohort.objects.create(tenant=beta, user_id=user_id, day=small)
        active(beta, user_id, small + timedelta(days=7))
    people_counted(alpha, beta)

    rows = {row.week: row for row in retention_count(scope())}

    assert rows[week].size == 5
    assert rows[week].shares[:3] == (3 / 5, 1 / 5, None)
    assert rows[week].shares[3:] == (None,) * 5
    assert rows[small].size == 4
    assert rows[small].suppressed
    assert rows[small].shares == (None,) * 8
    assert set(rows) == {week, small}
    assert [row.week for row in retention_count(scope(beta))] == [small]


@pytest.fixture
def plans(cast) -> dict[str, Plan]:
    return {plan.code: plan for plan in plans_ensure()}


def test_it_converts_seekers_who_ever_paid_by_signup_month_and_not_trials_or_grants(tenants, plans) -> None:
    alpha, beta, gamma = tenants["alpha"], tenants["beta"], tenants["gamma"]
    monthly = plans["premium-monthly"]
    this_month, last_month = TODAY.replace(day=3), date(2025, 2, 10)
    for user_id in range(1, 7):
        SignupCohort.objects.create(tenant=alpha, user_id=user_id, day=this_month)
    SignupCohort.objects.create(tenant=beta, user_id=1, day=this_month)
    Subscription.objects.create(tenant=alpha, user_id=1, plan=monthly)  # active, Stripe: paid
    customer = Customer.objects.create(stripe_customer_id="cus_SIM_dash", tenant=alpha, user_id=2)
    Subscription.objects.create(tenant=alpha, user_id=2, plan=monthly, customer=customer, status="canceled")
    Invoice.objects.create(
        stripe_invoice_id="in_SIM_dash", customer=customer, status="paid", amount_paid_minor=1900, currency="USD"
    )  # cancelled since, but paid once
    Subscription.objects.create(tenant=alpha, user_id=3, plan=monthly, status="trialing")
    Subscription.objects.create(tenant=alpha, user_id=4, plan=monthly, source="staff")
    Subscription.objects.create(tenant=alpha, user_id=5, plan=monthly, status="canceled")  # never paid
    Subscription.objects.create(tenant=gamma, user_id=1, plan=monthly)  # beta's user 1 is not gamma's
    for user_id in range(20, 23):
        SignupCohort.objects.create(tenant=beta, user_id=user_id, day=last_month)
    Subscription.objects.create(tenant=beta, user_id=20, plan=monthly)
    for user_id in range(1, 9):
        SignupCohort.objects.create(tenant=gamma, user_id=user_id, day=this_month)  # members: their contract pays

    rows, total = conversion_count(scope())

    assert [(row.month, row.seekers, row.converted) for row in rows] == [
        (date(2025, 3, 1), 7, 2),
        (date(2025, 2, 1), 3, 1),
    ]
    assert rows[0].share == pytest.approx(2 / 7)
    assert rows[1].suppressed
    assert rows[1].share is None
    assert (total.seekers, total.converted, total.share) == (10, 3, pytest.approx(0.3))
    assert conversion_count(scope(gamma)) == ([], None)


def test_it_counts_predictions_served_per_model_kind_with_their_mean_latency(tenants) -> None:
    alpha, beta = tenants["alpha"], tenants["beta"]
    rollup(alpha, "prediction.served", TODAY, 10, key="salary", total=500)
    rollup(beta, "prediction.served", TODAY - timedelta(days=1), 30, key="salary", total=900)
    rollup(alpha, "prediction.served", TODAY, 4, key="match", total=40)
    rollup(alpha, "prediction.served", TODAY - timedelta(days=8), 100, key="match", total=100)  # outside 7 days

    figures = predictions_count(scope(days=7))

    assert [(v.kind, v.served, v.mean_latency_ms) for v in figures.by_kind] == [
        ("salary", 40, pytest.approx(35.0)),
        ("match", 4, pytest.approx(10.0)),
    ]
    assert figures.by_day["salary"][TODAY - timedelta(days=1)] == 30
    assert sum(figures.by_day["match"].values()) == 4


def test_it_counts_api_calls_per_licensee_from_billing_and_per_key_from_the_rollups(tenants, plans) -> None:
    alpha = tenants["alpha"]
    north = Licensee.objects.create(name="North HR (SIMULATED)", contact_email="a@x.example", plan=plans["api-starter"])
    south = Licensee.objects.create(name="South HR (SIMULATED)", contact_email="b@x.example", plan=plans["api-starter"])
    ApiUsageDay.objects.create(licensee=north, day=TODAY, calls=120)
    ApiUsageDay.objects.create(licensee=north, day=TODAY - timedelta(days=3), calls=30)
    ApiUsageDay.objects.create(licensee=south, day=TODAY, calls=200)
    ApiUsageDay.objects.create(licensee=south, day=TODAY - timedelta(days=40), calls=999)
    rollup(alpha, "api.metered", TODAY, 3, key="17", total=75)

    figures = api_calls_count(scope())

    assert [(row.label, row.calls) for row in figures.by_licensee] == [
        ("South HR (SIMULATED)", 200),
        ("North HR (SIMULATED)", 150),
    ]
    assert [(tenant_id, row.label, row.calls) for tenant_id, row in figures.by_key] == [(alpha.pk, "17", 75)]


def _logged(schema: str, kind: str, latencies: list[float], *, at: datetime) -> None:
    with schema_context(schema):
        rows = PredictionLog.objects.bulk_create(
            PredictionLog(kind=kind, input_hash="0" * 64, latency_ms=ms) for ms in latencies
        )
        PredictionLog.objects.filter(pk__in=[row.pk for row in rows]).update(created_at=at)


def test_it_reads_latency_percentiles_over_the_last_24_hours_across_tenants(tenants) -> None:
    now = timezone.now()
    _logged("alpha", "salary", [float(ms) for ms in range(1, 51)], at=now - timedelta(hours=1))
    _logged("beta", "salary", [float(ms) for ms in range(51, 101)], at=now - timedelta(hours=23))
    _logged("alpha", "salary", [10_000.0], at=now - timedelta(hours=25))  # before the window
    _logged("alpha", "match", [4.0, 8.0], at=now)

    everywhere = {row.kind: row for row in latency_percentiles_read(scope(), now=now)}
    only_alpha = {row.kind: row for row in latency_percentiles_read(scope(tenants["alpha"]), now=now)}

    # percentile_cont on 1 … 100: p50 = 50.5, p99 = 1 + 0.99 × 99 = 99.01; on 1 … 50: 25.5 and 1 + 0.99 × 49 = 49.51.
    assert (everywhere["salary"].requests, everywhere["salary"].p50_ms) == (100, pytest.approx(50.5))
    assert everywhere["salary"].p99_ms == pytest.approx(99.01)
    assert (only_alpha["salary"].requests, only_alpha["salary"].p50_ms) == (50, pytest.approx(25.5))
    assert only_alpha["salary"].p99_ms == pytest.approx(49.51)
    assert (everywhere["match"].p50_ms, everywhere["match"].p99_ms) == (pytest.approx(6.0), pytest.approx(7.96))


def test_it_reads_error_rates_from_stripe_events_webhook_deliveries_and_csv_imports(cast, tenants) -> None:
    now = timezone.now()
    for index, outcome in enumerate(["applied", "applied", "ignored", "failed"]):
        WebhookEvent.objects.create(event_id=f"evt_SIM_dash_{index}", type="x", created=0, payload={}, outcome=outcome)
    with schema_context("alpha"):
        owner = User.objects.get(email=cast.owner_email)
        for index, state in enumerate(["done", "done", "failed", "running"]):
            ImportJob.objects.create(owner=owner, token=f"tok-dash-{index}", state=state, finished_at=now)
        ImportJob.objects.create(
            owner=owner, token="tok-dash-old", state="failed", finished_at=now - timedelta(days=40)
        )
    with schema_context("gamma"):
        endpoint = WebhookEndpoint.objects.create(url="https://hooks.example/x", secret="s")
        for status in ("delivered", "failed"):
            WebhookDelivery.objects.create(
                endpoint=endpoint,
                event_id="00000000-0000-0000-0000-000000000001",
                event="x",
                payload={"a": 1},
                status=status,
            )

    rates = {rate.what: (rate.failed, rate.total) for rate in error_rates_read(scope(today=utc_today()))}

    assert rates == {
        "stripe_events": (1, 4),
        "usage_reports": (0, 0),
        "webhook_deliveries": (1, 2),
        "csv_imports": (1, 3),
    }
    only_alpha = {
        rate.what: (rate.failed, rate.total) for rate in error_rates_read(scope(tenants["alpha"], today=utc_today()))
    }
    assert only_alpha["webhook_deliveries"] == (0, 0)
    assert only_alpha["csv_imports"] == (1, 3)


def test_it_says_how_fresh_the_counts_are_from_the_stalest_tenant(tenants) -> None:
    now = timezone.now()
    RollupCursor.objects.create(tenant=tenants["alpha"], counted_below=10, advanced_at=now - timedelta(seconds=2))
    RollupCursor.objects.create(tenant=tenants["beta"], counted_below=10, advanced_at=now - timedelta(seconds=9))

    everyone = scope()
    fresh = freshness_read(everyone)

    assert (fresh.oldest, fresh.newest, fresh.never_counted) == (
        now - timedelta(seconds=9),
        now - timedelta(seconds=2),
        len(everyone.schemas) - 2,  # gamma, and any tenant another test module made
    )
    assert freshness_read(scope(tenants["alpha"])).oldest == now - timedelta(seconds=2)


# ---------------------------------------------------------------------------------------------------------------------
# The page
# ---------------------------------------------------------------------------------------------------------------------
@pytest.fixture
def staff(cast) -> User:
    return StaffUserFactory(email=STAFF_EMAIL, full_name="Amara Osei")


def signed_in(email: str, host: str = PUBLIC_HOST) -> HttpClient:
    client = HttpClient(HTTP_HOST=host)
    assert client.post("/admin/login/?next=/admin/", {"username": email, "password": PASSWORD}).status_code == 302
    return client


@pytest.fixture
def staff_client(staff) -> HttpClient:
    return signed_in(STAFF_EMAIL)


@pytest.fixture
def fresh_cache(tenants) -> None:
    """The page caches latency and error rates for a minute; no test sees another's."""
    keys = [
        cache_key(scope_make(tenant_id=t, days=days), name)
        for t in (None, *[c.pk for c in tenants.values()])
        for days in (7, 30, 90)
        for name in ("latency", "errors")
    ]
    cache.delete_many(keys)


@pytest.fixture
def history(tenants) -> None:
    """A little of everything, today (UTC)."""
    today = utc_today()
    alpha, gamma = tenants["alpha"], tenants["gamma"]
    rollup(alpha, "user.signed_up", today, 7)
    rollup(gamma, "member.joined", today, 2)
    rollup(alpha, "prediction.served", today, 12, key="salary", total=600)
    for user_id in range(1, 7):
        SignupCohort.objects.create(tenant=alpha, user_id=user_id, day=today)
        active(alpha, user_id, today)
    people_counted(alpha)
    RollupCursor.objects.create(tenant=alpha, counted_below=1, advanced_at=timezone.now())


def test_it_shows_the_figures_to_staff_with_a_link_from_the_admin_index(staff_client, history, fresh_cache) -> None:
    index = staff_client.get("/admin/").content.decode()
    assert f'href="{DASHBOARD}"' in index

    response = staff_client.get(DASHBOARD)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Staff analytics" in page
    assert '<table id="active-tenants">' in page
    assert '<th scope="row">Tenant alpha</th><td>6</td><td>6</td><td>6</td>' in page
    assert '<th scope="row">Total</th><td>7</td><td>2</td>' in page  # sign-ups and joins in the period
    assert "salary range" in page
    assert "50.0 ms" in page
    assert "20–25 %" in page  # the conversion target beside the measured share
    assert 'id="mrr"' in page
    assert "Counts as of" in page
    assert page.count("<svg") >= 3


def test_it_filters_by_tenant_and_period(staff_client, history, fresh_cache, tenants) -> None:
    page = staff_client.get(DASHBOARD, {"tenant": tenants["gamma"].pk, "days": 7}).content.decode()

    assert '<th scope="row">Total</th><td>0</td><td>2</td>' in page
    assert "Tenant alpha</th>" not in page
    assert f'<option value="{tenants["gamma"].pk}" selected>' in page
    assert '<option value="7" selected>' in page
    assert staff_client.get(DASHBOARD, {"tenant": "nonsense", "days": "13"}).status_code == 200  # falls back to all


def test_it_says_which_tenants_figures_include_the_demos_simulated_events(staff_client, history, tenants) -> None:
    assert "Simulated data" not in staff_client.get(DASHBOARD).content.decode()
    SimulatedHistory.objects.create(
        tenant=tenants["alpha"], events=5000, earliest=timezone.now() - timedelta(days=90), latest=timezone.now()
    )

    every = staff_client.get(DASHBOARD).content.decode()
    gammas = staff_client.get(DASHBOARD, {"tenant": tenants["gamma"].pk}).content.decode()

    assert "Simulated data: 5,000 events counted here were written by the demo set-up (Tenant alpha)" in every
    assert "Simulated data" not in gammas  # another tenant's simulated events are not in these figures


def test_it_reads_rollups_never_the_events_in_a_bounded_number_of_queries(
    staff_client, history, fresh_cache, django_assert_max_num_queries
) -> None:
    with CaptureQueriesContext(connection) as queries, django_assert_max_num_queries(30):
        assert staff_client.get(DASHBOARD).status_code == 200

    statements = [query["sql"] for query in queries.captured_queries]
    assert not [sql for sql in statements if "tracking_domainevent" in sql]
    assert any("analytics_dailyrollup" in sql for sql in statements)
    assert any("predictions_predictionlog" in sql for sql in statements)  # cold: read once, then cached
    with CaptureQueriesContext(connection) as warm:
        staff_client.get(DASHBOARD)
    assert not [q for q in warm.captured_queries if "predictions_predictionlog" in q["sql"]]


def test_it_sends_anonymous_visitors_and_non_staff_to_the_login_page(cast, db) -> None:
    anonymous = HttpClient(HTTP_HOST=PUBLIC_HOST).get(DASHBOARD)
    not_staff = HttpClient(HTTP_HOST=PUBLIC_HOST)
    not_staff.force_login(UserFactory(email="not.staff@cvplus.example"))

    response = not_staff.get(DASHBOARD)

    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/admin/login/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_it_refuses_staff_without_the_permission_and_hides_revenue_without_its_own(cast, db) -> None:
    from django.contrib.auth.models import Permission

    UserFactory(email="no.rights@cvplus.example", is_staff=True)
    refused = signed_in("no.rights@cvplus.example").get(DASHBOARD)
    analyst = UserFactory(email="analytics.only@cvplus.example", is_staff=True)
    analyst.user_permissions.add(Permission.objects.get(codename="view_rollupcursor"))

    page = signed_in("analytics.only@cvplus.example").get(DASHBOARD)

    assert refused.status_code == 403
    assert page.status_code == 200
    assert 'id="mrr"' not in page.content.decode()


def test_it_is_not_found_on_a_tenant_host(cast, db) -> None:
    response = HttpClient(HTTP_HOST=HOST_A).get(DASHBOARD)

    assert response.status_code == 404
