"""The staff dashboard's figures that no rollup holds: prediction latency percentiles over the last 24 hours (from each
tenant's PredictionLog) and error rates (failed Stripe events and usage reports in public; failed webhook deliveries
and CSV imports in each tenant's schema).

Percentiles cannot be added up from rollups, so they are read from the log rows themselves, every tenant in one
statement (tenants.context.dangerously_union_over_tenants), through the log's (kind, created_at) index, and kept in the
cache for CACHE_TTL_S: a staff page, where a minute-old percentile is fresh enough and a cold read must not be paid on
every load. Prediction errors are not recorded anywhere (an unavailable model answers 503 and writes no row), so they
are not shown.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone

from analytics.shared_cache import cached_or_computed
from analytics.staff import Scope
from billing.models import ApiUsageReport, WebhookEvent
from predictions.models import PredictionLog
from tenants.context import dangerously_union_over_tenants

CACHE_TTL_S = 60
LATENCY_WINDOW = timedelta(hours=24)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Latency:
    kind: str
    requests: int
    p50_ms: float
    p99_ms: float


_LATENCY_ROWS = """
SELECT kind, latency_ms FROM {schema}.predictions_predictionlog
WHERE kind = ANY(%(kinds)s) AND created_at >= %(since)s
"""

_LATENCY = """
SELECT kind, COUNT(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms),
       percentile_cont(0.99) WITHIN GROUP (ORDER BY latency_ms)
FROM ({rows}) AS served
GROUP BY kind ORDER BY kind
"""


def cache_key(scope: Scope, name: str) -> str:
    """Where `name` ("latency", "errors") is cached for the scope."""
    tenant = scope.tenant.pk if scope.tenant is not None else "all"
    return f"analytics:staff:{name}:{tenant}:{scope.days}"


def latency_percentiles_read(scope: Scope, *, now: datetime) -> list[Latency]:
    """p50 and p99 of served requests' latency per model kind over the 24 hours before `now`, across the scope's
    tenants (a batch counts once, as it was served: one log row)."""
    if not scope.schemas:
        return []
    rows, params = dangerously_union_over_tenants(_LATENCY_ROWS, scope.schemas)
    params |= {"kinds": list(PredictionLog.Kind.values), "since": now - LATENCY_WINDOW}
    with connection.cursor() as cursor:
        cursor.execute(_LATENCY.format(rows=rows), params)
        return [Latency(kind, requests, p50, p99) for kind, requests, p50, p99 in cursor.fetchall()]


def latency_percentiles(scope: Scope) -> list[Latency]:
    """:func:`latency_percentiles_read` up to now, cached for CACHE_TTL_S."""
    return cached_or_computed(
        cache_key(scope, "latency"), lambda: latency_percentiles_read(scope, now=timezone.now()), timeout=CACHE_TTL_S
    )


@dataclass(frozen=True)
class ErrorRate:
    what: str  # a key the page turns into words: stripe_events, usage_reports, webhook_deliveries, csv_imports
    failed: int
    total: int

    @property
    def rate(self) -> float | None:
        return self.failed / self.total if self.total else None


# Per tenant, over the period: deliveries that gave up after their last retry, of all deliveries created; imports that
# stopped, of all imports that finished.
_TENANT_ERRORS = """
SELECT 'webhook_deliveries', COUNT(*) FILTER (WHERE status = 'failed'), COUNT(*)
FROM {schema}.portal_webhookdelivery WHERE created_at >= %(since)s
UNION ALL
SELECT 'csv_imports', COUNT(*) FILTER (WHERE state = 'failed'), COUNT(*)
FROM {schema}.tracking_importjob WHERE finished_at >= %(since)s AND state IN ('done', 'failed')
"""

_TENANT_ERRORS_SUMMED = """
SELECT what, SUM(failed)::int, SUM(total)::int FROM ({rows}) AS per_tenant (what, failed, total)
GROUP BY what ORDER BY what DESC
"""


def error_rates_read(scope: Scope) -> list[ErrorRate]:
    """Failures over the period: Stripe events that failed to apply, usage reports to Stripe that failed to send (all
    tenants: billing's own), webhook deliveries that failed for good and CSV imports that stopped (the scope's
    tenants)."""
    since = datetime.combine(scope.start, datetime.min.time(), tzinfo=UTC)
    stripe = WebhookEvent.objects.filter(received_at__gte=since).aggregate(
        failed=Count("pk", filter=Q(outcome=WebhookEvent.Outcome.FAILED)), total=Count("pk")
    )
    reports = ApiUsageReport.objects.filter(created_at__gte=since).aggregate(
        failed=Count("pk", filter=Q(sent_at__isnull=True) & ~Q(detail="")), total=Count("pk")
    )
    rates = [
        ErrorRate("stripe_events", stripe["failed"], stripe["total"]),
        ErrorRate("usage_reports", reports["failed"], reports["total"]),
    ]
    if scope.schemas:
        inner, params = dangerously_union_over_tenants(_TENANT_ERRORS, scope.schemas)
        with connection.cursor() as cursor:
            cursor.execute(_TENANT_ERRORS_SUMMED.format(rows=inner), params | {"since": since})
            rates += [ErrorRate(what, failed, total) for what, failed, total in cursor.fetchall()]
    return rates


def error_rates(scope: Scope) -> list[ErrorRate]:
    """:func:`error_rates_read`, cached for CACHE_TTL_S."""
    return cached_or_computed(cache_key(scope, "errors"), lambda: error_rates_read(scope), timeout=CACHE_TTL_S)
