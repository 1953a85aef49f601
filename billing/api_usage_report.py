"""Licensees' metered API usage, reported to Stripe as billing meter events, each call exactly once.

Two steps, so a crash or a network error never loses or doubles usage:
1. Claim: under a row lock on the month's ApiUsage, the calls not reported yet become one ApiUsageReport row (its
   quantity and an identifier naming the range of calls, ``cvplus-api-<usage>-<from>-<to>``) and `reported_calls`
   moves up to `calls`. Committed before anything is sent.
2. Send: every report not sent yet goes to Stripe with its identifier (Stripe drops a second event with the same
   identifier) and the same value as an idempotency key; on success it is marked sent, on failure it stays for the
   next run, which sends the same identifier and value again.

Stripe's meter must use the event name `METER_EVENT_NAME` with the default payload keys (`stripe_customer_id`,
`value`). A licensee without a Stripe customer id is metered here but not reported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import stripe
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_context

from billing.metering import usage_flush
from billing.models import ApiUsage, ApiUsageReport
from billing.stripe_client import stripe_client

METER_EVENT_NAME = "cvplus_api_calls"
STRIPE_MAX_EVENT_AGE = timedelta(days=35)  # Stripe refuses meter events older than this


@dataclass(frozen=True)
class UsageReportSummary:
    claimed: int  # reports prepared in this run
    sent: int
    failed: int


def _month_end(period_start: datetime) -> datetime:
    following = (period_start + timedelta(days=32)).replace(day=1)
    return following - timedelta(seconds=1)


def _event_timestamp(report: ApiUsageReport, now: datetime) -> int:
    """Inside the usage's own month (so Stripe bills it to that period) and never older than Stripe accepts."""
    start = datetime(report.usage.period_start.year, report.usage.period_start.month, 1, tzinfo=UTC)
    moment = min(report.created_at, _month_end(start), now)
    return int(max(moment, now - STRIPE_MAX_EVENT_AGE + timedelta(hours=1)).timestamp())


def usage_reports_claim() -> int:
    """Step 1: one report row per month row with unreported calls of a licensee that has a Stripe customer."""
    claimed = 0
    pending = ApiUsage.objects.filter(calls__gt=F("reported_calls")).exclude(licensee__stripe_customer_id="")
    for usage_id in pending.values_list("pk", flat=True):
        with transaction.atomic():
            usage = ApiUsage.objects.select_for_update().get(pk=usage_id)
            if usage.calls <= usage.reported_calls:
                continue  # another run claimed it first
            ApiUsageReport.objects.create(
                usage=usage,
                calls=usage.calls - usage.reported_calls,
                identifier=f"cvplus-api-{usage.pk}-{usage.reported_calls}-{usage.calls}",
            )
            ApiUsage.objects.filter(pk=usage.pk).update(reported_calls=usage.calls)
            claimed += 1
    return claimed


def usage_report(*, progress: Callable[[str], object] = lambda _line: None) -> UsageReportSummary:
    """Claims unreported usage and sends every unsent report to Stripe. Raises BillingNotConfigured without keys."""
    with schema_context(get_public_schema_name()):
        usage_flush()  # the last seconds' calls, still in Redis, are claimed too
        client = stripe_client()  # before claiming: without Stripe nothing is claimed
        claimed = usage_reports_claim()
        sent = failed = 0
        now = timezone.now()
        unsent = ApiUsageReport.objects.filter(sent_at__isnull=True).select_related("usage__licensee")
        for report in unsent.order_by("pk"):
            licensee = report.usage.licensee
            try:
                client.v1.billing.meter_events.create(
                    {
                        "event_name": METER_EVENT_NAME,
                        "identifier": report.identifier,
                        "payload": {"stripe_customer_id": licensee.stripe_customer_id, "value": str(report.calls)},
                        "timestamp": _event_timestamp(report, now),
                    },
                    {"idempotency_key": report.identifier},
                )
            except stripe.StripeError as error:
                ApiUsageReport.objects.filter(pk=report.pk).update(detail=str(error)[:2000])
                progress(f"{report.identifier}: not sent ({error.__class__.__name__}), will retry")
                failed += 1
                continue
            ApiUsageReport.objects.filter(pk=report.pk).update(sent_at=timezone.now(), detail="")
            progress(f"{report.identifier}: {report.calls} calls of {licensee.name} sent")
            sent += 1
    return UsageReportSummary(claimed=claimed, sent=sent, failed=failed)
