"""The model monitor's figures as alert metrics (found by analytics.alerts.registry.metrics_load): salary range
coverage over the most recent offers, in percent, and the largest input drift of the salary model (PSI). Both read the
monitor's snapshots (analytics/monitoring/metrics.py) and are None below the figure's minimum, so they never fire on
too little data."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from analytics.alerts.registry import Window, alert_metric
from analytics.monitoring.metrics import psi_max as monitor_psi_max
from analytics.monitoring.metrics import salary_coverage as monitor_salary_coverage
from tenants.models import Client


@alert_metric(
    "salary_coverage",
    label=_("salary range coverage"),
    unit="%",
    window=Window(_("most recent offers"), default=200, maximum=5000, minimum=30),
    per_tenant=True,
    decimals=1,
    help_text=_("The share of the most recent offers inside the P10–P90 range predicted before them; none below 30."),
)
def salary_coverage(tenant: Client | None, window: int | None) -> float | None:
    value, _n = monitor_salary_coverage(tenant=tenant, last_n=window or 200)
    return None if value is None else value * 100


@alert_metric(
    "psi_max",
    label=_("salary model input drift (largest PSI)"),
    unit="",
    per_tenant=True,
    decimals=2,
    help_text=_("The largest population stability index of the salary model's inputs against its training data."),
)
def psi_max(tenant: Client | None, window: int | None) -> float | None:
    value, _n = monitor_psi_max(kind="salary", tenant=tenant)
    return value
