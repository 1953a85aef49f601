"""Billing benchmarks: `.venv/bin/python bench/billing.py`.

Prints, measured side by side in one run:
1. Stripe webhook handling, p50/p99 per delivery through Django's full stack in-process (signature check on the raw
   body, the event stored once, the subscription updated under its locks): new events, then the same events
   delivered again (the duplicate path).
2. The overhead of API-key authentication plus the rate window, the quota and metering per licensee request, as a
   ratio to the same view and predictor mounted without them (target <= 1.1). Metering is one Redis script per
   request (billing/metering.py); the calls are then flushed to PostgreSQL and the count checked.

Events are built in Stripe's shapes and signed with Stripe's scheme (tests/billing/stripe_fakes.py); every id in
them is SIMULATED. Works on its own database (cvplus_bench), dropped and recreated; never the development one.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
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

SCHEMA = "bench_billing"
HOST = "bench-billing.localhost"
PUBLIC_HOST = "localhost"
PRICE_ID = "price_SIMULATED_bench_monthly"
RATIO_TARGET = 1.1


def line(label: str, values: list[float]) -> None:
    p50, p99 = statistics.median(values), percentile(values, 0.99)
    print(f"  {label:<52} p50 {p50:8.3f} ms  p99 {p99:8.3f} ms  (n={len(values):,})")


def webhook_bench(deliveries: int) -> None:
    from django.test import Client as HttpClient
    from django_tenants.utils import schema_context

    from accounts.services import user_create
    from billing.models import Customer, Plan, Subscription, WebhookEvent
    from tenants.models import Client
    from tests.billing.stripe_fakes import WEBHOOK_SECRET, event, signed, subscription_object

    with schema_context(SCHEMA):
        user = user_create(email="payer@bench.example", password="bench-password-123")
    Plan.objects.filter(code="premium-monthly").update(stripe_price_id=PRICE_ID)
    customer = Customer.objects.create(
        stripe_customer_id="cus_SIMULATED_bench", tenant=Client.objects.get(schema_name=SCHEMA), user_id=user.pk
    )
    http = HttpClient(HTTP_HOST=PUBLIC_HOST)
    start = int(time.time()) - deliveries - 10
    bodies = []
    for i in range(deliveries):
        subscription = subscription_object(
            subscription_id="sub_SIMULATED_bench",
            customer_id=customer.stripe_customer_id,
            price_id=PRICE_ID,
            status="active" if i % 2 == 0 else "past_due",
            metadata={"tenant": SCHEMA, "user_id": str(user.pk)},
        )
        bodies.append(
            signed(event("customer.subscription.updated", subscription, created=start + i), secret=WEBHOOK_SECRET)
        )

    def deliver(body: str, header: str) -> float:
        began = time.perf_counter()
        response = http.post(
            "/billing/stripe/webhook/", data=body, content_type="application/json", HTTP_STRIPE_SIGNATURE=header
        )
        elapsed = (time.perf_counter() - began) * 1000
        if response.status_code != 200:
            raise SystemExit(f"webhook answered {response.status_code}: {response.content[:200]!r}")
        return elapsed

    for body, header in bodies[:20]:  # warm-up: first connection, caches
        deliver(body, header)
    first = [deliver(body, header) for body, header in bodies[20:]]
    again = [deliver(body, header) for body, header in bodies[20:]]
    applied = WebhookEvent.objects.filter(outcome=WebhookEvent.Outcome.APPLIED).count()
    final = Subscription.objects.get(user_id=user.pk)
    print(f"\n== Stripe webhooks, {len(first):,} sequential deliveries each (in process, full stack) ==")
    line("new event (verify, store once, apply)", first)
    line("same event again (verify, found stored, no effect)", again)
    print(f"  events applied: {applied:,} of {deliveries:,}; final status {final.status} (the last event's)")


def api_key_bench(requests: int) -> None:
    """The licensee match endpoint (API key, rate window, quota, metering) beside the same view and predictor mounted
    without them, both through the full stack (middleware, public-host routing) in one process, interleaved."""
    import json

    from django.test import Client as HttpClient
    from django.urls import clear_url_caches, path
    from rest_framework.permissions import AllowAny
    from rest_framework.request import Request
    from rest_framework.response import Response

    from billing.api_keys import api_key_issue
    from billing.models import Licensee, Plan
    from cvplus import urls_public
    from predictions.api.licensee import LicenseeMatchView

    class UnmeteredMatchView(LicenseeMatchView):
        authentication_classes: list = []
        permission_classes = [AllowAny]

        def post(self, request: Request) -> Response:
            items, is_batch, explain = self.validated(request.data)
            results = type(self).predict(items, explain=explain)
            return Response({"items": results} if is_batch else results[0])

    urls_public.urlpatterns.append(path("bench/unmetered/match", UnmeteredMatchView.as_view()))
    clear_url_caches()
    plan = Plan.objects.create(
        code="bench-api",
        kind=Plan.Kind.API,
        interval=Plan.Interval.MONTH,
        name="Bench API",
        api_monthly_quota=10_000_000,
        api_rate_per_minute=10_000_000,
        features=["api"],
    )
    licensee = Licensee.objects.create(name="Bench licensee", contact_email="api@bench.example", plan=plan)
    _key, secret = api_key_issue(licensee=licensee, name="bench")
    body = json.dumps(
        {
            "cv_text": "Data engineer\nExperience\n- Built Python and SQL pipelines on Airflow",
            "posting_title": "Data Engineer",
            "posting_description": "Requirements:\n- Python\n- SQL\n- Kafka is a plus",
        }
    )
    http = HttpClient(HTTP_HOST=PUBLIC_HOST)

    def timed(url: str, **headers: str) -> float:
        began = time.perf_counter()
        response = http.post(url, data=body, content_type="application/json", **headers)
        elapsed = (time.perf_counter() - began) * 1000
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}: {response.content[:200]!r}")
        return elapsed

    keyed, bare = [], []
    for i in range(requests + 50):
        with_key = timed("/api/v1/licensee/predictions/match", HTTP_X_API_KEY=secret)
        without = timed("/bench/unmetered/match")
        if i >= 50:  # warm-up
            keyed.append(with_key)
            bare.append(without)
    from billing.metering import usage_flush
    from billing.models import ApiUsage

    usage_flush()
    recorded = sum(ApiUsage.objects.filter(licensee=licensee).values_list("calls", flat=True))
    ratio = statistics.median(keyed) / statistics.median(bare)
    print(f"\n== Licensee API, {requests:,} requests each, interleaved (in process, full stack, match on raw text) ==")
    line("same view without key, rate or quota", bare)
    line("with API key + rate window + quota + metering", keyed)
    print(f"  calls recorded in PostgreSQL after the flush: {recorded:,} of {requests + 50:,} keyed requests")
    verdict = "PASS" if ratio <= RATIO_TARGET else "FAIL"
    print(f"  overhead ratio p50: {ratio:.3f}x   {verdict} (target <= {RATIO_TARGET}x)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deliveries", type=int, default=1000, help="webhook deliveries (100..10000)")
    parser.add_argument("--requests", type=int, default=1000, help="licensee API requests per variant (100..10000)")
    parser.add_argument("--keep-db", action="store_true")
    options = parser.parse_args()
    if not 100 <= options.deliveries <= 10000:
        parser.error("keep --deliveries in 100..10000")
    from tests.billing.stripe_fakes import WEBHOOK_SECRET

    os.environ.update(bench_env(STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET))
    print(f"CVPlus billing benchmarks, {time.strftime('%Y-%m-%d')}")
    print(f"database recreated: {database_recreate():.1f} s")
    import django

    django.setup()
    from billing.catalogue import plans_ensure
    from tenants.services import public_tenant_ensure

    try:
        public_tenant_ensure(domain=PUBLIC_HOST)
        plans_ensure()
        consumer_tenant_provision(name="Bench billing", schema=SCHEMA, host=HOST)
        webhook_bench(options.deliveries)
        api_key_bench(options.requests)
    finally:
        from django.db import connections

        connections.close_all()
        if not options.keep_db:
            database_drop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
