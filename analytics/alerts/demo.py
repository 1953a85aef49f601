"""The demo's alert rules (tenants/management/commands/demo_setup.py): a few platform rules for the demo's staff
account and one organisation rule in Northbridge's portal. Idempotent: a rule is found by its name and scope and left
as it is (an admin may have changed it). Rules on metrics that are not registered (the model monitor's, before it
exists) are skipped."""

from __future__ import annotations

from dataclasses import dataclass

from analytics.alerts.registry import metric_get
from analytics.alerts.rules import alert_rule_save
from analytics.models import AlertRule
from tenants.models import Client


@dataclass(frozen=True)
class DemoRule:
    name: str
    metric: str
    comparison: str
    threshold: float
    clear_threshold: float | None = None
    window: int | None = None
    consecutive_breaches: int = 1
    tenant: str | None = None  # schema name; None: platform-wide

    @property
    def organisation(self) -> bool:
        return self.tenant is not None


ABOVE, BELOW = AlertRule.Comparison.ABOVE, AlertRule.Comparison.BELOW
DEMO_RULES = (
    DemoRule(
        "Predictions slow (p99)", "prediction_latency_p99_ms", ABOVE, 1500, 1000, window=15, consecutive_breaches=3
    ),
    DemoRule("Failed Stripe events", "stripe_events_failed", ABOVE, 0, window=60),
    DemoRule("Beat or default worker was silent", "evaluator_gap_s", ABOVE, 120),
    DemoRule("Training worker silent", "training_worker_silent_s", ABOVE, 1800, 120),
    DemoRule("Reminders behind (all tenants)", "reminder_backlog", ABOVE, 50, 10, window=30, consecutive_breaches=3),
    DemoRule("Salary range coverage low", "salary_coverage", BELOW, 70, 75, window=200),
    DemoRule("Input drift (PSI)", "psi_max", ABOVE, 0.25, 0.2),
    DemoRule(
        "Members' reminders behind",
        "reminder_backlog",
        ABOVE,
        5,
        2,
        window=30,
        consecutive_breaches=3,
        tenant="northbridge",
    ),
    DemoRule(
        "Predictions slow for our members",
        "prediction_latency_p99_ms",
        ABOVE,
        2000,
        1500,
        window=15,
        consecutive_breaches=3,
        tenant="northbridge",
    ),
)


def demo_alert_rules_ensure(*, staff_email: str) -> int:
    """Creates the demo rules that do not exist yet; returns how many it created."""
    created = 0
    for demo in DEMO_RULES:
        if metric_get(demo.metric) is None:
            continue
        tenant = Client.objects.filter(schema_name=demo.tenant).first() if demo.tenant else None
        if demo.tenant and tenant is None:
            continue
        if AlertRule.objects.filter(name=demo.name, tenant=tenant).exists():
            continue
        rule = AlertRule(
            name=demo.name,
            metric=demo.metric,
            comparison=demo.comparison,
            threshold=demo.threshold,
            clear_threshold=demo.clear_threshold,
            window=demo.window,
            consecutive_breaches=demo.consecutive_breaches,
            tenant=tenant,
            staff_emails="" if demo.organisation else staff_email,
        )
        alert_rule_save(rule=rule, organisation=demo.organisation)
        created += 1
    return created
