"""The demo's alert rules (analytics/alerts/demo.py), and the registry's hook for metrics defined elsewhere: the model
monitor's ``salary_coverage`` and ``psi_max``, registered with one decorator each, as docs/architecture.md shows."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tenants.utils import schema_context

from analytics.alerts import demo
from analytics.alerts.evaluation import FIRED, UNCHANGED, alerts_evaluate
from analytics.alerts.registry import _METRICS, Window, alert_metric, metric_unregister, metrics_load
from analytics.models import AlertFiring, AlertRule
from predictions.models import PredictionLog
from tenants.models import Client

pytestmark = pytest.mark.django_db

STAFF = "admin@cvplus.localhost"


@pytest.fixture
def in_gamma(monkeypatch) -> None:
    """The demo's organisation rules go to Northbridge; the test session has gamma instead."""
    rules = tuple(replace(rule, tenant="gamma") if rule.tenant else rule for rule in demo.DEMO_RULES)
    monkeypatch.setattr(demo, "DEMO_RULES", rules)


@pytest.fixture
def monitor_metrics() -> Iterator[dict[str, float | None]]:
    values: dict[str, float | None] = {"salary_coverage": None, "psi_max": None}
    metrics_load()
    real = {
        key: _METRICS.pop(key) for key in ("salary_coverage", "psi_max") if key in _METRICS
    }  # analytics/alert_metrics

    @alert_metric(
        "salary_coverage",
        label="salary range coverage",
        unit="%",
        window=Window("most recent offers", default=200, maximum=5000),
        per_tenant=True,
    )
    def salary_coverage(tenant: Client | None, window: int | None) -> float | None:
        return values["salary_coverage"]

    @alert_metric("psi_max", label="largest PSI of a feature", unit="", decimals=2)
    def psi_max(tenant: Client | None, window: int | None) -> float | None:
        return values["psi_max"]

    yield values
    metric_unregister("salary_coverage")
    metric_unregister("psi_max")
    _METRICS.update(real)


def test_the_demo_defines_its_rules_once(cast, in_gamma) -> None:
    created = demo.demo_alert_rules_ensure(staff_email=STAFF)

    names = set(AlertRule.objects.values_list("name", flat=True))
    assert created == len(names) == 9  # with the model monitor's two (analytics/alert_metrics.py)
    assert "Salary range coverage low" in names
    organisation = AlertRule.objects.filter(tenant__schema_name="gamma")
    assert sorted(organisation.values_list("managed_by", flat=True)) == ["organisation", "organisation"]
    assert set(AlertRule.objects.filter(tenant=None).values_list("staff_emails", flat=True)) == {STAFF}
    assert demo.demo_alert_rules_ensure(staff_email=STAFF) == 0


def test_the_model_monitors_metrics_plug_in_and_their_rules_fire(cast, in_gamma, monitor_metrics) -> None:
    assert demo.demo_alert_rules_ensure(staff_email=STAFF) == 9
    coverage = AlertRule.objects.get(name="Salary range coverage low")
    drift = AlertRule.objects.get(name="Input drift (PSI)")
    assert (coverage.comparison, coverage.threshold, coverage.clear_threshold, coverage.window) == (
        "below",
        70,
        75,
        200,
    )

    monitor_metrics.update(salary_coverage=65.5, psi_max=0.31)
    outcomes = alerts_evaluate().outcomes

    assert (outcomes[coverage.pk], outcomes[drift.pk]) == (FIRED, FIRED)
    assert {outcome for pk, outcome in outcomes.items() if pk not in (coverage.pk, drift.pk)} == {UNCHANGED}
    bodies = [message.body for message in mail.outbox]
    assert any("salary range coverage for the whole platform: 66\u00a0%." in body for body in bodies)
    assert any("largest PSI of a feature for the whole platform: 0.31." in body for body in bodies)


def test_the_scripted_breach_fires_the_latency_rules_once_and_resolving_it_resolves_them(cast, in_gamma) -> None:
    demo.demo_alert_rules_ensure(staff_email=STAFF)
    slow = AlertRule.objects.filter(metric="prediction_latency_p99_ms")
    assert slow.count() == 2  # the platform's and the organisation's

    out = io.StringIO()
    call_command("alerts_breach_demo", "--schema", "gamma", "--evaluate", stdout=out)

    assert "30 simulated predictions of 2500 ms written to gamma's log" in out.getvalue()
    assert "2 rule(s) fired" in out.getvalue()
    firings = AlertFiring.objects.filter(rule__in=slow)
    assert firings.count() == 2
    assert all(firing.fired_value >= 2000 and firing.resolved_at is None for firing in firings)

    call_command("alerts_breach_demo", "--schema", "gamma", "--resolve", stdout=io.StringIO())
    with schema_context("gamma"):  # predictions served fast again: the evidence that resolves a firing
        PredictionLog.objects.bulk_create(
            PredictionLog(kind="salary", input_hash="f" * 64, latency_ms=40, source="page") for _ in range(30)
        )
    later = timezone.now() + timedelta(minutes=2)
    for step in range(3):
        alerts_evaluate(now=later + timedelta(seconds=30 * step))
    assert firings.count() == 2  # the same two, now resolved: nothing fired again
    assert all(firing.resolved_at is not None for firing in firings.all())
    assert all(firing.resolved_value < 1500 for firing in firings.all())
    with schema_context("gamma"):
        assert not PredictionLog.objects.filter(source=PredictionLog.Source.DEMO).exists()


def test_the_scripted_breach_names_an_unknown_tenant(cast) -> None:
    with pytest.raises(CommandError, match="No tenant with the schema 'nowhere'"):
        call_command("alerts_breach_demo", "--schema", "nowhere")
