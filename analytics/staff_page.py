"""The staff dashboard as its template shows it: the figures of analytics/staff*.py, put into words and numbers in the
reader's language, and their charts (analytics/charts.py). Every chart has a table beside it saying the same."""

from __future__ import annotations

from datetime import datetime

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from analytics.charts import BarRow, Series, bar_chart, line_chart
from analytics.staff import (
    Scope,
    active_users_count,
    api_calls_count,
    freshness_read,
    predictions_count,
    signups_count,
)
from analytics.staff_cohorts import CONVERSION_TARGET, RETENTION_WEEKS, conversion_count, retention_count
from analytics.staff_health import error_rates, latency_percentiles
from billing.admin_revenue import mrr_text
from billing.revenue import revenue_report
from portal.outcomes_tables import FEWER_THAN
from predictions.models import PredictionLog

# The model monitor is another page of analytics' admin; linked when it is installed.
MODEL_MONITOR_URL_NAME = "admin:analytics_monitor"


def count_text(value: int | float) -> str:
    return number_format(value, force_grouping=True)


def percent_text(share: float | None) -> str:
    if share is None:
        return "–"
    return _("%(percent)s %%") % {"percent": number_format(round(share * 100, 1), decimal_pos=1)}


def ms_text(value: float | None) -> str:
    if value is None:
        return "–"
    return _("%(ms)s ms") % {"ms": number_format(round(value, 1), decimal_pos=1, force_grouping=True)}


def day_label(day) -> str:
    return date_format(day, "j b")


def kind_label(kind: str) -> str:
    return str(PredictionLog.Kind(kind).label) if kind in PredictionLog.Kind.values else kind


ERROR_LABELS = {
    "stripe_events": lambda: _("Stripe events that failed to apply"),
    "usage_reports": lambda: _("API usage reports to Stripe not sent (an error on the last try)"),
    "webhook_deliveries": lambda: _("Organisations' webhook deliveries that failed for good"),
    "csv_imports": lambda: _("CSV imports that stopped"),
}


def _freshness(scope: Scope, now: datetime) -> dict:
    fresh = freshness_read(scope)
    age_s = None if fresh.oldest is None else max(int((now - fresh.oldest).total_seconds()), 0)
    return {
        "oldest": fresh.oldest,
        "age_text": None
        if age_s is None
        else ngettext("%(seconds)s second ago", "%(seconds)s seconds ago", age_s) % {"seconds": count_text(age_s)},
        "never_counted": fresh.never_counted,
    }


def _signups(scope: Scope, names: dict[int, str]) -> dict:
    figures = signups_count(scope)
    labels = [day_label(day) for day in figures.by_day]
    return {
        "chart": line_chart(
            labels, [Series(_("Sign-ups and joins"), [c.total for c in figures.by_day.values()])], columns=True
        ),
        "weeks": [(date_format(week, "DATE_FORMAT"), c) for week, c in reversed(figures.by_week.items())],
        "tenants": [
            (names[tenant_id], figures.by_tenant[tenant_id]) for tenant_id in names if tenant_id in figures.by_tenant
        ],
        "total": figures.total,
    }


def _active(scope: Scope, names: dict[int, str]) -> dict:
    figures = active_users_count(scope)
    labels = [day_label(day) for day in figures.by_day]
    return {
        "chart": line_chart(labels, [Series(_("Daily active users"), list(figures.by_day.values()))]),
        "tenants": [(name, figures.by_tenant.get(tenant_id)) for tenant_id, name in names.items()],
        "total": figures.total,
    }


def _retention(scope: Scope) -> list[dict]:
    return [
        {
            "week": date_format(row.week, "DATE_FORMAT"),
            "size": row.size,
            "suppressed": row.suppressed,
            "cells": [percent_text(share) for share in row.shares],
        }
        for row in retention_count(scope)
    ]


def _conversion(scope: Scope) -> dict:
    rows, total = conversion_count(scope)

    def row_dict(row, label: str) -> dict:
        return {
            "label": label,
            "seekers": row.seekers,
            "converted": str(FEWER_THAN) if row.suppressed else count_text(row.converted),
            "share": str(FEWER_THAN) if row.suppressed else percent_text(row.share),
        }

    low, high = CONVERSION_TARGET
    return {
        "rows": [row_dict(row, date_format(row.month, "YEAR_MONTH_FORMAT")) for row in rows],
        "total": None if total is None else row_dict(total, _("All these months")),
        "target": _("%(low)s–%(high)s %%") % {"low": round(low * 100), "high": round(high * 100)},
    }


def _revenue() -> dict:
    streams, totals = mrr_text(revenue_report(period_days=30))
    return {"streams": streams, "totals": totals, "url": reverse("admin:billing_revenue")}


def _api(scope: Scope, names: dict[int, str]) -> dict:
    figures = api_calls_count(scope)
    return {
        "licensees": figures.by_licensee,
        "chart": bar_chart([BarRow(row.label, row.calls, count_text(row.calls)) for row in figures.by_licensee[:10]])
        if figures.by_licensee
        else None,
        "metered": [(names.get(tenant_id, "?"), row) for tenant_id, row in figures.by_key],
    }


def _predictions(scope: Scope) -> dict:
    figures = predictions_count(scope)
    latency = {row.kind: row for row in latency_percentiles(scope)}
    kinds = [volume.kind for volume in figures.by_kind] + sorted(set(latency) - {v.kind for v in figures.by_kind})
    volumes = {volume.kind: volume for volume in figures.by_kind}
    rows = []
    for kind in kinds:
        volume, recent = volumes.get(kind), latency.get(kind)
        rows.append(
            {
                "kind": kind_label(kind),
                "served": count_text(volume.served) if volume else "0",
                "mean": ms_text(volume.mean_latency_ms if volume else None),
                "recent": count_text(recent.requests) if recent else "0",
                "p50": ms_text(recent.p50_ms if recent else None),
                "p99": ms_text(recent.p99_ms if recent else None),
            }
        )
    labels = [day_label(day) for day in scope.day_list]
    series = [Series(kind_label(kind), list(by_day.values())) for kind, by_day in figures.by_day.items()]
    return {"rows": rows, "chart": line_chart(labels, series) if series else None}


def _errors(scope: Scope) -> list[dict]:
    return [
        {
            "what": ERROR_LABELS[rate.what]() if rate.what in ERROR_LABELS else rate.what,
            "failed": rate.failed,
            "total": rate.total,
            "rate": percent_text(rate.rate),
        }
        for rate in error_rates(scope)
    ]


def _monitor_url() -> str | None:
    try:
        return reverse(MODEL_MONITOR_URL_NAME)
    except NoReverseMatch:
        return None


def staff_dashboard_context(scope: Scope, *, can_see_revenue: bool, now: datetime | None = None) -> dict:
    """Everything the page shows for `scope`; revenue only to staff who may see the revenue page."""
    names = {tenant.pk: tenant.name for tenant in scope.tenants}
    return {
        "scope": scope,
        "freshness": _freshness(scope, now or timezone.now()),
        "signups": _signups(scope, names),
        "active": _active(scope, names),
        "retention": _retention(scope),
        "retention_offsets": range(1, RETENTION_WEEKS + 1),
        "conversion": _conversion(scope),
        "revenue": _revenue() if can_see_revenue else None,
        "api": _api(scope, names),
        "predictions": _predictions(scope),
        "errors": _errors(scope),
        "monitor_url": _monitor_url(),
    }
