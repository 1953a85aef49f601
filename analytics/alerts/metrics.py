"""The built-in alert metrics, over data CVPlus records today (analytics/alerts/registry.py says how to add one).

Tenants' tables are read with SQL naming each ready tenant's schema (never through the search path, which ends in
public, where the shared apps' tables also exist); a platform-wide value reads every ready tenant in one statement.

Not here: an error rate. Neither the prediction log nor anything else records failed requests or 5xx answers today,
so there is nothing to compute it from; a metric ``error_rate`` can be registered once something records them.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from analytics.alerts.heartbeat import evaluator_silence_s, heartbeat_age_s, worker_heartbeat_name
from analytics.alerts.registry import Window, alert_metric
from billing.models import WebhookEvent
from predictions.models import PredictionLog
from tenants.context import ready_tenant_schemas
from tenants.models import Client
from tracking.models import Reminder

# Fewer predictions than this in the window: no p99 (one slow request among five is not a 99th percentile).
LATENCY_MIN_PREDICTIONS = 20
_UNSENT = (Reminder.Status.SCHEDULED, Reminder.Status.SENDING)


def _schemas(tenant: Client | None) -> list[str]:
    """The schemas a value is computed over: the tenant's when it is ready, else none; every ready tenant's."""
    if tenant is None:
        return ready_tenant_schemas()
    return [tenant.schema_name] if tenant.is_ready and tenant.erased_at is None else []


def _table(schema: str, model: type) -> str:
    quote = connection.ops.quote_name
    return f"{quote(schema)}.{quote(model._meta.db_table)}"


def _union_all(schemas: list[str], select: str, model: type) -> str:
    """``select`` (with ``{table}``) once per schema, joined by UNION ALL. Schema and table names come from the
    tenants table and the model, quoted: nothing from a request."""
    return " UNION ALL ".join(select.format(table=_table(schema, model)) for schema in schemas)


@alert_metric(
    "prediction_latency_p99_ms",
    label=_("p99 prediction latency"),
    unit="ms",
    window=Window(_("minutes"), default=15, maximum=24 * 60),
    per_tenant=True,
    organisation_editable=True,
    help_text=_("99th percentile of the served predictions' latency over the window; none below 20 predictions."),
)
def prediction_latency_p99_ms(tenant: Client | None, window: int | None) -> float | None:
    schemas = _schemas(tenant)
    if not schemas:
        return None
    served = _union_all(schemas, "SELECT latency_ms FROM {table} WHERE created_at >= %(since)s", PredictionLog)
    since = timezone.now() - timedelta(minutes=window or 15)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*), percentile_cont(0.99) WITHIN GROUP (ORDER BY latency_ms) FROM ({served}) AS served",  # noqa: S608 - quoted names
            {"since": since},
        )
        count, p99 = cursor.fetchone()
    return p99 if count >= LATENCY_MIN_PREDICTIONS else None


@alert_metric(
    "reminder_backlog",
    label=_("reminders overdue"),
    unit=_("reminders"),
    window=Window(_("minutes overdue"), default=30, maximum=7 * 24 * 60),
    per_tenant=True,
    organisation_editable=True,
    help_text=_("Follow-up reminders due more than the window ago and still not sent."),
)
def reminder_backlog(tenant: Client | None, window: int | None) -> float | None:
    schemas = _schemas(tenant)
    if not schemas:
        return None
    overdue = _union_all(
        schemas,
        "SELECT count(*) AS overdue FROM {table} WHERE status IN (%(scheduled)s, %(sending)s) AND due_at < %(before)s",
        Reminder,
    )
    before = timezone.now() - timedelta(minutes=window or 30)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT coalesce(sum(overdue), 0) FROM ({overdue}) AS counts",  # noqa: S608 - quoted names
            {"scheduled": _UNSENT[0], "sending": _UNSENT[1], "before": before},
        )
        return cursor.fetchone()[0]


@alert_metric(
    "stripe_events_failed",
    label=_("failed Stripe events"),
    unit=_("events"),
    window=Window(_("minutes"), default=60, maximum=7 * 24 * 60),
    help_text=_("Stripe events received in the window whose processing failed and has not succeeded since."),
)
def stripe_events_failed(tenant: Client | None, window: int | None) -> float | None:
    since = timezone.now() - timedelta(minutes=window or 60)
    return WebhookEvent.objects.filter(outcome=WebhookEvent.Outcome.FAILED, received_at__gte=since).count()


@alert_metric(
    "evaluator_gap_s",
    label=_("seconds beat or the default worker was silent"),
    unit="s",
    help_text=_(
        "Seconds between this evaluation and the previous one (30 in normal running). Alerts are evaluated from beat "
        "on the default queue, so a silence is told on the first evaluation after it, which then resolves on the next."
    ),
)
def evaluator_gap_s(tenant: Client | None, window: int | None) -> float | None:
    return evaluator_silence_s()


@alert_metric(
    "training_worker_silent_s",
    label=_("seconds since the training worker's heartbeat"),
    unit="s",
    help_text=_(
        "Beat sends a heartbeat to the training queue every 30 seconds; this is how long ago a training worker last "
        "ran one. A long training holds it up: give the threshold some minutes. None until the first heartbeat."
    ),
)
def training_worker_silent_s(tenant: Client | None, window: int | None) -> float | None:
    return heartbeat_age_s(worker_heartbeat_name("training"))
