"""The evaluator: every enabled rule's metric, read once per run, moved through ok → firing → ok.

State machine of one rule (``step_next``, pure):

- ok: a value past the threshold counts a breach; ``consecutive_breaches`` of them in a row fire (an AlertFiring
  with the value). A value within the threshold, or no value at all (None: not enough data), starts the count again.
- firing: a value past the clear threshold (the threshold when there is none) resolves it, with that value. Anything
  else, None included, keeps it open: a firing is resolved by evidence, never by silence.

A noisy series around the threshold fires once and resolves once as long as its noise is narrower than the band
between the threshold and the clear threshold.

Concurrency: each rule is evaluated in its own short transaction that locks its state row (``FOR UPDATE SKIP
LOCKED``) and skips a rule evaluated less than ``MIN_GAP`` ago, so two evaluators running at once neither fire twice
nor count one breach twice; the partial unique index on open firings stands behind both. Metrics are read before the
lock is taken, so no lock is held while a metric reads every tenant.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from analytics.alerts.heartbeat import evaluator_stamp
from analytics.alerts.notify import notifications_send
from analytics.alerts.registry import metric_get
from analytics.models import AlertFiring, AlertRule, AlertRuleState

logger = logging.getLogger(__name__)

# Beat evaluates every 30 s; a rule evaluated less than this long ago is left alone (another evaluator just did it).
MIN_GAP = timedelta(seconds=10)

FIRED, RESOLVED, UNCHANGED, SKIPPED = "fired", "resolved", "unchanged", "skipped"


@dataclass(frozen=True)
class Step:
    """What one value does to a rule: its breaches in a row afterwards, and whether it fires or resolves."""

    breaches: int
    fire: bool = False
    resolve: bool = False


def step_next(rule: AlertRule, *, firing: bool, breaches: int, value: float | None) -> Step:
    if value is None:
        return Step(breaches=0)
    if firing:
        return Step(breaches=0, resolve=rule.cleared(value))
    if not rule.breached(value):
        return Step(breaches=0)
    if breaches + 1 >= rule.consecutive_breaches:
        return Step(breaches=0, fire=True)
    return Step(breaches=breaches + 1)


@dataclass
class EvaluationSummary:
    outcomes: dict[int, str] = field(default_factory=dict)  # rule id → fired, resolved, unchanged or skipped
    notified: int = 0

    def count(self, outcome: str) -> int:
        return sum(1 for value in self.outcomes.values() if value == outcome)


def metric_value(rule: AlertRule) -> float | None:
    """The rule's metric now, or None when it is unknown or fails (logged: a broken metric must not stop the run)."""
    metric = metric_get(rule.metric)
    if metric is None:
        logger.warning("Alert rule %s watches the unknown metric %r", rule.pk, rule.metric)
        return None
    try:
        with transaction.atomic():  # a failing statement rolls back to here, not the caller's transaction
            return metric.value(rule.tenant, rule.window)
    except Exception:
        logger.exception("Alert metric %r failed (rule %s)", rule.metric, rule.pk)
        return None


def rule_evaluate(*, rule: AlertRule, value: float | None, now: datetime) -> str:
    """Applies ``value`` to ``rule`` under its state's row lock; returns what happened."""
    AlertRuleState.objects.get_or_create(rule=rule)
    with transaction.atomic():
        state = AlertRuleState.objects.select_for_update(skip_locked=True).filter(rule=rule).first()
        if state is None or (state.evaluated_at is not None and state.evaluated_at > now - MIN_GAP):
            return SKIPPED
        open_firing = AlertFiring.objects.filter(rule=rule, resolved_at__isnull=True).first()
        step = step_next(rule, firing=open_firing is not None, breaches=state.breaches, value=value)
        outcome = UNCHANGED
        if step.fire:
            try:
                with transaction.atomic():
                    AlertFiring.objects.create(
                        rule=rule,
                        fired_at=now,
                        fired_value=value,
                        comparison=rule.comparison,
                        threshold=rule.threshold,
                        clear_threshold=rule.clear_threshold,
                    )
            except IntegrityError:  # an open firing exists after all: the index refuses a second one
                return SKIPPED
            outcome = FIRED
        elif step.resolve:
            open_firing.resolved_at, open_firing.resolved_value = now, value
            open_firing.resolution = AlertFiring.Resolution.VALUE
            open_firing.save(update_fields=["resolved_at", "resolved_value", "resolution"])
            outcome = RESOLVED
        state.breaches, state.last_value, state.evaluated_at = step.breaches, value, now
        state.save(update_fields=["breaches", "last_value", "evaluated_at"])
    return outcome


def _disabled_rules_close(now: datetime) -> None:
    """A rule turned off resolves its open firing without a value and without an e-mail."""
    AlertFiring.objects.filter(resolved_at__isnull=True, rule__enabled=False).update(
        resolved_at=now, resolution=AlertFiring.Resolution.RULE_DISABLED, resolve_notified_at=now
    )


def alerts_evaluate(*, now: datetime | None = None, notify: bool = True) -> EvaluationSummary:
    """One run over every enabled rule (beat: every 30 s), then the e-mails of what fired or resolved. Each metric
    is read once per (metric, tenant, window) however many rules watch it."""
    now = now or timezone.now()
    evaluator_stamp()
    summary = EvaluationSummary()
    values: dict[tuple[str, int | None, int | None], float | None] = {}
    for rule in AlertRule.objects.filter(enabled=True).select_related("tenant").order_by("pk"):
        key = (rule.metric, rule.tenant_id, rule.window)
        if key not in values:
            values[key] = metric_value(rule)
        summary.outcomes[rule.pk] = rule_evaluate(rule=rule, value=values[key], now=now)
    _disabled_rules_close(now)
    if notify:
        summary.notified = notifications_send()
    return summary
