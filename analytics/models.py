"""Rollups of the domain events (public schema), kept current by analytics/rollups.py. Dashboards read these, never
the events.

Users are named only by their id inside their tenant's schema (pseudonymous: the id alone names nobody).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


def _tenant(related_name: str) -> models.ForeignKey:
    return models.ForeignKey(
        "tenants.Client", on_delete=models.CASCADE, related_name=related_name, verbose_name=_("tenant")
    )


class EventRollup(models.Model):
    """Events per tenant, kind, category (`key`: the stage, the channel, the page, the model …) and hour."""

    tenant = _tenant("event_rollups")
    kind = models.CharField(_("kind"), max_length=40)
    key = models.CharField(_("category"), max_length=40, default="", blank=True)
    hour = models.DateTimeField(_("hour"))  # the hour's start, UTC
    count = models.PositiveIntegerField(_("count"), default=0)
    total = models.FloatField(_("sum of values"), default=0)

    class Meta:
        verbose_name = _("event rollup")
        verbose_name_plural = _("event rollups")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "kind", "key", "hour"], name="analytics_rollup_unique"),
        ]
        indexes = [models.Index(fields=["hour", "kind"], name="analytics_rollup_hour_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} {self.hour:%Y-%m-%d %H}h: {self.count}"


class DailyRollup(models.Model):
    """The same counts per UTC day: what the dashboards' weeks and months read."""

    tenant = _tenant("daily_rollups")
    kind = models.CharField(_("kind"), max_length=40)
    key = models.CharField(_("category"), max_length=40, default="", blank=True)
    day = models.DateField(_("day"))
    count = models.PositiveIntegerField(_("count"), default=0)
    total = models.FloatField(_("sum of values"), default=0)

    class Meta:
        verbose_name = _("daily rollup")
        verbose_name_plural = _("daily rollups")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "kind", "key", "day"], name="analytics_daily_unique"),
        ]
        indexes = [models.Index(fields=["day", "kind"], name="analytics_daily_day_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} {self.day}: {self.count}"


class ActiveDay(models.Model):
    """A user who did something on a day (any event they are the actor of): daily, weekly and monthly active users
    and retention are counts over these rows."""

    tenant = _tenant("active_days")
    user_id = models.BigIntegerField(_("user id"))
    day = models.DateField(_("day"))

    class Meta:
        verbose_name = _("active day")
        verbose_name_plural = _("active days")
        constraints = [models.UniqueConstraint(fields=["tenant", "day", "user_id"], name="analytics_active_unique")]

    def __str__(self) -> str:
        return f"{self.tenant_id}/{self.user_id} {self.day}"


class SignupCohort(models.Model):
    """The day a user signed up or joined an organisation: the cohort that retention is counted by."""

    tenant = _tenant("signup_cohorts")
    user_id = models.BigIntegerField(_("user id"))
    day = models.DateField(_("day"))

    class Meta:
        verbose_name = _("sign-up cohort")
        verbose_name_plural = _("sign-up cohorts")
        constraints = [models.UniqueConstraint(fields=["tenant", "user_id"], name="analytics_signup_unique")]
        indexes = [models.Index(fields=["day"], name="analytics_signup_day_idx")]

    def __str__(self) -> str:
        return f"{self.tenant_id}/{self.user_id} {self.day}"


class RollupCursor(models.Model):
    """How far a tenant's events are counted: every event whose transaction id is below `counted_below` (all those
    transactions had finished when it was taken), and above it only those listed in CountedAhead."""

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


class CountedAhead(models.Model):
    """An event counted before its transaction id fell below its tenant's cursor: it committed while an older
    transaction was still running. Kept so that it is not counted again, and forgotten once the cursor passes its
    transaction. Belongs to the cursor: a cursor deleted (to count again from the start) takes its list with it."""

    cursor = models.ForeignKey(
        "analytics.RollupCursor", on_delete=models.CASCADE, related_name="ahead", verbose_name=_("cursor")
    )
    event_id = models.BigIntegerField(_("event id"))
    txid = models.BigIntegerField(_("transaction id"))

    class Meta:
        verbose_name = _("event counted ahead")
        verbose_name_plural = _("events counted ahead")
        constraints = [models.UniqueConstraint(fields=["cursor", "event_id"], name="analytics_ahead_unique")]

    def __str__(self) -> str:
        return f"{self.cursor_id}/{self.event_id}"


class SimulatedHistory(models.Model):
    """How many of a tenant's events are SIMULATED (written by the demo set-up, marked ``"simulated": true``), so that
    every dashboard counting them can say so without reading the events. Written by `manage.py demo_setup`."""

    tenant = models.OneToOneField(
        "tenants.Client", on_delete=models.CASCADE, related_name="simulated_history", verbose_name=_("tenant")
    )
    events = models.PositiveIntegerField(_("simulated events"))
    earliest = models.DateTimeField(_("earliest"), null=True)
    latest = models.DateTimeField(_("latest"), null=True)

    class Meta:
        verbose_name = _("simulated history")
        verbose_name_plural = _("simulated histories")

    def __str__(self) -> str:
        return f"{self.tenant_id}: {self.events}"


# Experiments, feature flags, alerts (rules, their state, firings, heartbeats) and the model monitor live in their own
# modules to keep this one small; imported here so that Django registers them with this app.
from analytics.models_alerts import AlertFiring, AlertRule, AlertRuleState, Heartbeat  # noqa: E402, F401
from analytics.models_experiments import Experiment, Exposure  # noqa: E402, F401
from analytics.models_flags import FeatureFlag  # noqa: E402, F401
from analytics.models_monitoring import ModelMonitorSnapshot, ModelServingCursor, ModelServingDay  # noqa: E402, F401
