"""The metrics alert rules can watch: each a named function ``(tenant or None, window) -> value or None``.

A metric is registered with one decorator, from any module::

    from analytics.alerts.registry import Window, alert_metric

    @alert_metric(
        "salary_coverage",
        label=_("salary range coverage"),
        unit="%",
        window=Window(_("most recent offers"), default=200, maximum=5000),
        per_tenant=True,
    )
    def salary_coverage(tenant: Client | None, window: int | None) -> float | None:
        ...  # None: fewer offers than the metric needs to say anything

Its module must be imported before rules are checked or evaluated: either name it ``alert_metrics.py`` in any
installed app (``metrics_load`` imports every app's ``alert_metrics`` module), or import it from one.

Contract of the function: ``tenant`` is a ``tenants.Client`` (a ready tenant) or None for the whole platform;
``window`` is the rule's window in the metric's unit (None for a metric without a window). It returns a float, or None
when there is not enough data to say anything: a rule never fires on None, and a firing never resolves on None. It
runs in the public schema; one that reads a tenant's tables names the tenant's schema in its SQL or uses
``schema_context`` and leaves the connection as it found it. An exception is logged and read as None.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import autodiscover_modules

MetricFunction = Callable[[Any, "int | None"], "float | None"]

BUILTIN_MODULES = ("analytics.alerts.metrics",)
_METRICS: dict[str, Metric] = {}
_loaded = False


@dataclass(frozen=True)
class Window:
    """What a rule's window means for a metric: its unit as people read it ("minutes", "most recent offers"), the
    window a new rule starts with, and the bounds a rule's window must keep."""

    unit: Any  # a lazily translated string
    default: int
    maximum: int
    minimum: int = 1


@dataclass(frozen=True)
class Metric:
    key: str
    label: Any  # lazily translated
    unit: str  # as shown after a value: "ms", "%", "s", or a translated word ("events")
    compute: MetricFunction = field(repr=False)
    window: Window | None = None  # None: the metric has no window (e.g. seconds since a heartbeat)
    per_tenant: bool = False  # a rule may watch one tenant
    platform: bool = True  # a rule may watch the whole platform
    organisation_editable: bool = False  # an organisation's administrators may set rules on it in their portal
    decimals: int = 0  # shown with this many decimal places
    help_text: Any = ""

    def value(self, tenant: Any, window: int | None) -> float | None:
        """The function's answer as a float; None for None, NaN or an infinity (nothing a rule can compare)."""
        result = self.compute(tenant, window)
        if result is None or not math.isfinite(result):
            return None
        return float(result)


def alert_metric(
    key: str,
    *,
    label: Any,
    unit: str,
    window: Window | None = None,
    per_tenant: bool = False,
    platform: bool = True,
    organisation_editable: bool = False,
    decimals: int = 0,
    help_text: Any = "",
) -> Callable[[MetricFunction], MetricFunction]:
    """Registers the decorated function as the metric ``key`` (module docstring). A key registered twice by two
    different functions is a configuration error; the same function again (a module imported twice) is not."""

    def register(function: MetricFunction) -> MetricFunction:
        metric = Metric(
            key=key,
            label=label,
            unit=unit,
            compute=function,
            window=window,
            per_tenant=per_tenant,
            platform=platform,
            organisation_editable=organisation_editable,
            decimals=decimals,
            help_text=help_text,
        )
        metric_register(metric)
        return function

    return register


def metric_register(metric: Metric) -> None:
    if not metric.key.isidentifier() or len(metric.key) > 40:
        raise ImproperlyConfigured(f"An alert metric's key is an identifier of at most 40 characters: {metric.key!r}")
    if metric.organisation_editable and not metric.per_tenant:
        raise ImproperlyConfigured(f"Alert metric {metric.key!r}: organisations may only edit per-tenant metrics.")
    known = _METRICS.get(metric.key)
    if known is not None and _qualname(known.compute) != _qualname(metric.compute):
        raise ImproperlyConfigured(
            f"Alert metric {metric.key!r} is registered twice ({_qualname(known.compute)}, {_qualname(metric.compute)})"
        )
    _METRICS[metric.key] = metric


def metric_unregister(key: str) -> None:
    """For tests that register a metric of their own."""
    _METRICS.pop(key, None)


def _qualname(function: Callable) -> str:
    return f"{function.__module__}.{function.__qualname__}"


def metrics_load() -> None:
    """Imports the built-in metrics and every installed app's ``alert_metrics`` module, once."""
    global _loaded
    if _loaded:
        return
    from importlib import import_module

    for module in BUILTIN_MODULES:
        import_module(module)
    autodiscover_modules("alert_metrics")
    _loaded = True


def metric_get(key: str) -> Metric | None:
    metrics_load()
    return _METRICS.get(key)


def metrics_all() -> list[Metric]:
    """Every registered metric, in the order of their labels as read in the active language."""
    metrics_load()
    return sorted(_METRICS.values(), key=lambda metric: str(metric.label).casefold())
