"""What makes an alert rule valid, for admin, the portal and the services alike. Each refusal names its field."""

from __future__ import annotations

import math

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from analytics.alerts.display import number_text
from analytics.alerts.registry import Metric, metric_get
from analytics.models_alerts import MAX_CONSECUTIVE_BREACHES, AlertRule


def alert_rule_check(rule: AlertRule, *, organisation: bool = False) -> None:
    """Raises ``ValidationError`` keyed by field when ``rule`` cannot be saved; fills in the metric's default window
    when the rule leaves it empty. ``organisation``: the rule is set by an organisation's administrators, on their
    own tenant, on the metrics open to them."""
    errors: dict[str, str] = {}
    metric = metric_get(rule.metric)
    if metric is None:
        errors["metric"] = _("Unknown metric “%(metric)s”: choose one from the list.") % {"metric": rule.metric}
    else:
        errors |= _scope_errors(rule, metric, organisation=organisation)
        errors |= _window_errors(rule, metric)
    errors |= _threshold_errors(rule)
    if not MAX_CONSECUTIVE_BREACHES >= (rule.consecutive_breaches or 0) >= 1:
        errors["consecutive_breaches"] = _("Consecutive breaches must be between 1 and %(maximum)s.") % {
            "maximum": MAX_CONSECUTIVE_BREACHES
        }
    errors |= _email_errors(rule)
    if errors:
        raise ValidationError(errors)


def _scope_errors(rule: AlertRule, metric: Metric, *, organisation: bool) -> dict[str, str]:
    label = str(metric.label)
    if organisation and not metric.organisation_editable:
        return {"metric": _("Organisations cannot set rules on “%(metric)s”.") % {"metric": label}}
    if rule.tenant_id is not None and not metric.per_tenant:
        return {
            "tenant": _("“%(metric)s” is measured for the whole platform only: leave the tenant empty.")
            % {"metric": label}
        }
    if rule.tenant_id is None and not metric.platform:
        return {"tenant": _("“%(metric)s” is measured per tenant: choose a tenant.") % {"metric": label}}
    return {}


def _window_errors(rule: AlertRule, metric: Metric) -> dict[str, str]:
    window = metric.window
    if window is None:
        rule.window = None  # the metric has none: nothing to keep
        return {}
    if rule.window is None:
        rule.window = window.default
    if not window.minimum <= rule.window <= window.maximum:
        return {
            "window": _("The window of “%(metric)s” is between %(minimum)s and %(maximum)s %(unit)s.")
            % {"metric": str(metric.label), "minimum": window.minimum, "maximum": window.maximum, "unit": window.unit}
        }
    return {}


def _threshold_errors(rule: AlertRule) -> dict[str, str]:
    if rule.threshold is None or not math.isfinite(rule.threshold):
        return {"threshold": _("Enter a number for the threshold.")}
    clear = rule.clear_threshold
    if clear is None:
        return {}
    if not math.isfinite(clear):
        return {"clear_threshold": _("Enter a number for the clear threshold, or leave it empty.")}
    if rule.comparison == AlertRule.Comparison.ABOVE and clear > rule.threshold:
        return {
            "clear_threshold": _(
                "A rule that fires above %(threshold)s resolves below it: the clear threshold must be at most "
                "%(threshold)s."
            )
            % {"threshold": number_text(rule.threshold)}
        }
    if rule.comparison == AlertRule.Comparison.BELOW and clear < rule.threshold:
        return {
            "clear_threshold": _(
                "A rule that fires below %(threshold)s resolves above it: the clear threshold must be at least "
                "%(threshold)s."
            )
            % {"threshold": number_text(rule.threshold)}
        }
    return {}


def _email_errors(rule: AlertRule) -> dict[str, str]:
    for address in rule.staff_email_list():
        try:
            validate_email(address)
        except ValidationError:
            return {"staff_emails": _("“%(address)s” is not an e-mail address.") % {"address": address}}
    if rule.tenant_id is None and not rule.staff_email_list():
        return {"staff_emails": _("A platform-wide rule needs at least one staff e-mail address.")}
    return {}
