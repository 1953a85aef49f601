"""The model monitor's figures as alert metrics: registered, in percent for coverage, and None (never firing) below
the monitor's minimum."""

from __future__ import annotations

import pytest

from analytics import alert_metrics
from analytics.alerts.registry import metric_get, metrics_load

pytestmark = pytest.mark.django_db


def test_coverage_and_drift_are_alert_metrics_in_the_units_rules_use(monkeypatch) -> None:
    metrics_load()
    monkeypatch.setattr(alert_metrics, "monitor_salary_coverage", lambda tenant, last_n: (0.684, last_n))
    monkeypatch.setattr(alert_metrics, "monitor_psi_max", lambda kind, tenant: (0.31, 900))

    assert metric_get("salary_coverage").value(None, 200) == pytest.approx(68.4)
    assert metric_get("psi_max").value(None, None) == pytest.approx(0.31)


def test_too_little_data_is_no_value(cast) -> None:
    metrics_load()
    assert metric_get("salary_coverage").value(None, 200) is None  # no recorded offers in the test database
    assert metric_get("psi_max").value(None, None) is None
