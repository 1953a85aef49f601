"""Alert rules: what the portal and admin read and write. An organisation reaches only its own tenant's rules; any
other rule is a 404, whatever its id."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404

from analytics.alerts.checks import alert_rule_check
from analytics.alerts.display import condition_text, metric_label, value_text
from analytics.alerts.registry import metric_get
from analytics.models import AlertFiring, AlertRule
from tenants.models import Client

RECENT_FIRINGS = 20


def organisation_rules(tenant: Client) -> QuerySet[AlertRule]:
    return AlertRule.objects.filter(tenant=tenant).select_related("state").order_by("name", "pk")


def organisation_rule_get(*, tenant: Client, pk: int) -> AlertRule:
    """The organisation's own rule ``pk`` that its administrators may change (one they set); else ``Http404``."""
    rule = (
        AlertRule.objects.filter(tenant=tenant, pk=pk, managed_by=AlertRule.ManagedBy.ORGANISATION)
        .select_related("tenant")
        .first()
    )
    if rule is None:
        raise Http404
    return rule


def alert_rule_save(*, rule: AlertRule, organisation: bool = False) -> AlertRule:
    """Checks (analytics/alerts/checks.py) and saves ``rule``; an organisation's rule is marked as theirs."""
    if organisation:
        rule.managed_by = AlertRule.ManagedBy.ORGANISATION
    alert_rule_check(rule, organisation=organisation)
    rule.save()
    return rule


def alert_rule_delete(*, rule: AlertRule) -> None:
    with transaction.atomic():
        rule.delete()


@dataclass(frozen=True)
class RuleRow:
    """One rule as the portal's list shows it."""

    rule: AlertRule
    metric: str
    condition: str
    last_value: str | None
    open_firing: AlertFiring | None
    open_value: str | None
    editable: bool


@dataclass(frozen=True)
class FiringRow:
    firing: AlertFiring
    rule_name: str
    fired_value: str
    resolved_value: str | None


def organisation_overview(tenant: Client) -> tuple[list[RuleRow], list[FiringRow]]:
    """The tenant's rules with their state and open firing, and its most recent firings (three queries)."""
    rules = list(organisation_rules(tenant))
    open_firings = {
        firing.rule_id: firing for firing in AlertFiring.objects.filter(rule__tenant=tenant, resolved_at__isnull=True)
    }
    rows = []
    for rule in rules:
        metric = metric_get(rule.metric)
        state = getattr(rule, "state", None)
        firing = open_firings.get(rule.pk)
        rows.append(
            RuleRow(
                rule=rule,
                metric=metric_label(rule.metric),
                condition=condition_text(rule),
                last_value=value_text(metric, state.last_value) if state and state.evaluated_at else None,
                open_firing=firing,
                open_value=value_text(metric, firing.fired_value) if firing else None,
                editable=rule.managed_by == AlertRule.ManagedBy.ORGANISATION,
            )
        )
    names = {rule.pk: rule for rule in rules}
    recent = []
    for firing in AlertFiring.objects.filter(rule__tenant=tenant).order_by("-fired_at", "-pk")[:RECENT_FIRINGS]:
        rule = names[firing.rule_id]
        metric = metric_get(rule.metric)
        recent.append(
            FiringRow(
                firing=firing,
                rule_name=rule.name,
                fired_value=value_text(metric, firing.fired_value),
                resolved_value=value_text(metric, firing.resolved_value) if firing.resolved_value is not None else None,
            )
        )
    return rows, recent
