"""The model monitor's tables (public schema): what each tenant's models served per day, counted from its prediction
log, and each tenant's latest snapshot of volume, latency, input drift and live accuracy (analytics/monitoring).
The staff page and the alert metrics read these, never a tenant's log."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ModelServingDay(models.Model):
    """One tenant's requests answered by one model (kind, scope and version, or a label for a prior or the match
    scorer) on one UTC day: requests, items, a latency histogram of single-item requests and the bin counts of the
    inputs (analytics/monitoring/serving.py)."""

    tenant = models.ForeignKey("tenants.Client", on_delete=models.CASCADE, related_name="+", verbose_name=_("tenant"))
    day = models.DateField(_("day"))
    kind = models.CharField(_("kind"), max_length=16)
    version_key = models.CharField(_("model"), max_length=64, help_text=_("scope:version id, or scope:label"))
    scope = models.CharField(_("scope"), max_length=10, blank=True)
    model_version_id = models.BigIntegerField(_("model version id"), null=True, blank=True)
    model_version = models.PositiveIntegerField(_("model version"), null=True, blank=True)
    model_label = models.CharField(_("model label"), max_length=32, blank=True)
    requests = models.PositiveIntegerField(_("requests"), default=0)
    items = models.PositiveBigIntegerField(_("items"), default=0)
    latency_counts = models.JSONField(_("single-item requests per latency bucket"), default=dict)
    input_bins = models.JSONField(_("input bin counts"), default=dict)
    observed = models.PositiveBigIntegerField(_("inputs counted into bins"), default=0)

    class Meta:
        verbose_name = _("model serving day")
        verbose_name_plural = _("model serving days")
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "day", "kind", "version_key"], name="analytics_model_serving_day_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.version_key} {self.day}: {self.requests}"


class ModelServingCursor(models.Model):
    """How far a tenant's prediction log is counted into ModelServingDay: every row whose transaction id is below
    `counted_below` (all those transactions had finished), and none above (the scheme of analytics/rollups.py)."""

    tenant = models.OneToOneField(
        "tenants.Client", on_delete=models.CASCADE, related_name="+", verbose_name=_("tenant")
    )
    counted_below = models.BigIntegerField(_("transactions counted below"), default=0)
    advanced_at = models.DateTimeField(_("advanced"), null=True, blank=True)

    class Meta:
        verbose_name = _("model serving cursor")
        verbose_name_plural = _("model serving cursors")

    def __str__(self) -> str:
        return f"{self.tenant_id}: below {self.counted_below}"


class ModelMonitorSnapshot(models.Model):
    """A tenant's model monitor figures as of `computed_at` (beat, every 5 minutes): the window's serving sums and
    the live accuracy parts, additive so that the figures over every tenant are their sums."""

    tenant = models.OneToOneField(
        "tenants.Client", on_delete=models.CASCADE, related_name="+", verbose_name=_("tenant")
    )
    computed_at = models.DateTimeField(_("computed"))
    compute_ms = models.FloatField(_("computing time (ms)"), default=0)
    serving = models.JSONField(_("serving"), default=list)
    accuracy = models.JSONField(_("accuracy"), default=dict)

    class Meta:
        verbose_name = _("model monitor snapshot")
        verbose_name_plural = _("model monitor snapshots")

    def __str__(self) -> str:
        return f"{self.tenant_id} at {self.computed_at:%Y-%m-%d %H:%M}"
