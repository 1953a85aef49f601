"""How a rule, a value and a firing read for people, in the active language (admin, the portal, e-mails)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from analytics.alerts.registry import Metric, metric_get
from analytics.models_alerts import AlertRule


def number_text(value: float, decimals: int | None = None) -> str:
    """``value`` in the active locale: with ``decimals`` places (rounded half up), or as typed (15 significant
    digits at most, no trailing zeros)."""
    if decimals is not None:  # rounded half up here: number_format cuts the digits off
        rounded = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
        return formats.number_format(rounded, decimal_pos=decimals, use_l10n=True)
    return formats.number_format(Decimal(f"{value:.15g}").normalize(), use_l10n=True)


def value_text(metric: Metric | None, value: float | None, *, as_set: bool = False) -> str:
    """A measured value rounded to the metric's decimals, with its unit; ``as_set``: a threshold, as it was typed."""
    if value is None:
        return _("not enough data")
    if metric is None:
        return number_text(value)
    number = number_text(value, None if as_set else metric.decimals)
    return f"{number}\u00a0{metric.unit}" if metric.unit else number


def metric_label(key: str) -> str:
    metric = metric_get(key)
    return str(metric.label) if metric is not None else _("unknown metric “%(metric)s”") % {"metric": key}


def scope_text(rule: AlertRule) -> str:
    return rule.tenant.name if rule.tenant_id is not None else _("the whole platform")


def condition_text(rule: AlertRule) -> str:
    """E.g. "above 1,500 ms over 15 minutes, 3 times in a row; resolves below 1,200 ms"."""
    metric = metric_get(rule.metric)
    threshold = value_text(metric, rule.threshold, as_set=True)
    if rule.comparison == AlertRule.Comparison.ABOVE:
        text = _("above %(threshold)s") % {"threshold": threshold}
    else:
        text = _("below %(threshold)s") % {"threshold": threshold}
    if metric is not None and metric.window is not None and rule.window:
        text = _("%(condition)s over %(window)s %(unit)s") % {
            "condition": text,
            "window": number_text(rule.window),
            "unit": metric.window.unit,
        }
    if rule.consecutive_breaches > 1:
        text += ", " + ngettext("%(count)s time in a row", "%(count)s times in a row", rule.consecutive_breaches) % {
            "count": rule.consecutive_breaches
        }
    if rule.clear_threshold is not None:
        clear = value_text(metric, rule.clear_threshold, as_set=True)
        if rule.comparison == AlertRule.Comparison.ABOVE:
            text += "; " + _("resolves below %(clear)s") % {"clear": clear}
        else:
            text += "; " + _("resolves above %(clear)s") % {"clear": clear}
    return text
