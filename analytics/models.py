"""Rollups of the domain events (public schema): counts per tenant, event kind and hour, kept current by
analytics/rollups.py. Dashboards read these, never the events."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventRollup(models.Model):
    tenant = models.ForeignKey(
        "tenants.Client", on_delete=models.CASCADE, related_name="event_rollups", verbose_name=_("tenant")
    )
    kind = models.CharField(_("kind"), max_length=40)
    hour = models.DateTimeField(_("hour"))  # the hour's start, UTC
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("event rollup")
        verbose_name_plural = _("event rollups")
        constraints = [models.UniqueConstraint(fields=["tenant", "kind", "hour"], name="analytics_rollup_unique")]

    def __str__(self) -> str:
        return f"{self.kind} {self.hour:%Y-%m-%d %H}h: {self.count}"


class RollupCursor(models.Model):
    """How far a tenant's events are counted: every event whose transaction id is below `counted_below` (all those
    transactions had finished when it was taken), and none above."""

    tenant = models.OneToOneField(
        "tenants.Client", on_delete=models.CASCADE, related_name="rollup_cursor", verbose_name=_("tenant")
    )
    counted_below = models.BigIntegerField(_("transactions counted below"), default=0)
    advanced_at = models.DateTimeField(_("advanced"), null=True, blank=True)

    class Meta:
        verbose_name = _("rollup cursor")
        verbose_name_plural = _("rollup cursors")

    def __str__(self) -> str:
        return f"{self.tenant_id}: below {self.counted_below}"


# The model monitor's tables live in their own module (other parts of analytics add theirs the same way).
from analytics.models_monitoring import ModelMonitorSnapshot, ModelServingCursor, ModelServingDay  # noqa: E402, F401
