"""Licensees' metered API usage reported to Stripe with the real `stripe` library and a recording HTTP client: each
call sent once, a failed send retried with the same identifier and value, a licensee without a Stripe customer never
reported (nor mixed into another's report), and a clear error without Stripe keys.

Every Stripe id and amount is SIMULATED (tests/billing/stripe_fakes.py).
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from billing.api_usage_report import METER_EVENT_NAME
from billing.metering import meter
from billing.models import ApiUsage, ApiUsageReport
from billing.stripe_client import use_recording_client
from tests.billing.stripe_fakes import SECRET_KEY, CannedResponse, RecordingHTTPClient, stripe_id
from tests.billing.test_api_licensing import licensee_create


def meter_event(value: str, customer: str) -> dict:
    return {
        "object": "billing.meter_event",
        "created": 1764547200,
        "event_name": METER_EVENT_NAME,
        "identifier": stripe_id("mev"),
        "livemode": False,
        "payload": {"stripe_customer_id": customer, "value": value},
        "timestamp": 1764547200,
    }


def test_it_reports_usage_to_stripe_once(cast, db, settings) -> None:
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    customer = stripe_id("cus")
    billed = licensee_create(stripe_customer_id=customer)
    unbilled = licensee_create(name="No Stripe Inc")
    for _ in range(7):
        meter(billed, 1)
    meter(unbilled, 1)
    http = RecordingHTTPClient({("POST", "/v1/billing/meter_events"): meter_event("7", customer)})

    with use_recording_client(http):
        call_command("billing_usage_report", stdout=StringIO())
        call_command("billing_usage_report", stdout=StringIO())
        assert len(http.requests) == 1
        for _ in range(2):
            meter(billed, 1)
        call_command("billing_usage_report", stdout=StringIO())

    first, second = http.requests
    assert first.path == "/v1/billing/meter_events"
    assert first.form["event_name"] == METER_EVENT_NAME
    assert first.form["payload[stripe_customer_id]"] == customer
    assert (first.form["payload[value]"], second.form["payload[value]"]) == ("7", "2")
    assert first.form["identifier"] != second.form["identifier"]
    assert first.headers["Idempotency-Key"] == first.form["identifier"]
    assert ApiUsage.objects.get(licensee=billed).reported_calls == 9
    assert ApiUsage.objects.get(licensee=unbilled).reported_calls == 0
    assert not ApiUsageReport.objects.filter(sent_at__isnull=True).exists()


def test_it_retries_a_failed_report_with_the_same_identifier(cast, db, settings) -> None:
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    customer = stripe_id("cus")
    billed = licensee_create(stripe_customer_id=customer)
    for _ in range(4):
        meter(billed, 1)
    refusal = CannedResponse({"error": {"type": "invalid_request_error", "message": "SIMULATED"}}, status=400)
    http = RecordingHTTPClient({("POST", "/v1/billing/meter_events"): [refusal, meter_event("4", customer)]})

    with use_recording_client(http):
        with pytest.raises(CommandError, match="not sent"):
            call_command("billing_usage_report", stdout=StringIO())
        meter(billed, 1)  # a call after the claim goes into the next report, not into the retried one
        call_command("billing_usage_report", stdout=StringIO())

    failed, retried, following = http.requests
    assert retried.form["identifier"] == failed.form["identifier"]
    assert (failed.form["payload[value]"], retried.form["payload[value]"]) == ("4", "4")
    assert following.form["payload[value]"] == "1"
    assert ApiUsageReport.objects.filter(usage__licensee=billed, sent_at__isnull=False).count() == 2


def test_it_says_billing_is_not_configured_and_claims_nothing(cast, db, settings) -> None:
    settings.STRIPE_SECRET_KEY = ""
    billed = licensee_create(stripe_customer_id=stripe_id("cus"))
    meter(billed, 1)

    with pytest.raises(CommandError, match="not configured"):
        call_command("billing_usage_report")

    assert not ApiUsageReport.objects.exists()
    assert ApiUsage.objects.get(licensee=billed).reported_calls == 0
