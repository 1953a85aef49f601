"""Rollups of the domain events (public schema), kept current by analytics/rollups.py. Dashboards read these, never
the events.

Users are named only by their id inside their tenant's schema (pseudonymous: the id alone names nobody).
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
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
    """The day a user signed up or joined an organisation: the cohort that retention is counted by, and in which of
    the RETAINED_WEEKS weeks after their sign-up week they were active (`retained_weeks`: bit k-1 set when active in
    week +k, kept from ActiveWeek whenever the batch touches the person's sign-up day or weeks)."""

    RETAINED_WEEKS = 8

    tenant = _tenant("signup_cohorts")
    user_id = models.BigIntegerField(_("user id"))
    day = models.DateField(_("day"))
    retained_weeks = models.PositiveSmallIntegerField(
        _("active weeks after the sign-up week (bits)"), default=0, db_default=0
    )

    class Meta:
        verbose_name = _("sign-up cohort")
        verbose_name_plural = _("sign-up cohorts")
        constraints = [models.UniqueConstraint(fields=["tenant", "user_id"], name="analytics_signup_unique")]
        indexes = [models.Index(fields=["day"], name="analytics_signup_day_idx")]

    def __str__(self) -> str:
        return f"{self.tenant_id}/{self.user_id} {self.day}"


class DailyActiveUsers(models.Model):
    """How many distinct users of a tenant were active on a day: its ActiveDay rows counted, kept as they are written
    (each new ActiveDay row adds one), so that a day's or a period's active users read one row per day."""

    tenant = _tenant("daily_active_users")
    day = models.DateField(_("day"))
    users = models.PositiveIntegerField(_("users"), default=0)

    class Meta:
        verbose_name = _("daily active users")
        verbose_name_plural = _("daily active users")
        constraints = [models.UniqueConstraint(fields=["tenant", "day"], name="analytics_dau_unique")]
        indexes = [models.Index(fields=["day"], name="analytics_dau_day_idx")]

    def __str__(self) -> str:
        return f"{self.tenant_id} {self.day}: {self.users}"


class UserActivity(models.Model):
    """A user's first and last active day (the least and greatest of their ActiveDay rows): weekly and monthly active
    users as of a day are the users whose last active day falls in the window (ActiveDay decides for the rare user
    whose last active day lies after it)."""

    tenant = _tenant("user_activities")
    user_id = models.BigIntegerField(_("user id"))
    first_day = models.DateField(_("first active day"))
    last_day = models.DateField(_("last active day"))

    class Meta:
        verbose_name = _("user activity")
        verbose_name_plural = _("user activities")
        constraints = [models.UniqueConstraint(fields=["tenant", "user_id"], name="analytics_useractivity_unique")]
        indexes = [models.Index(fields=["last_day", "tenant"], name="analytics_user_last_day_idx")]

    def __str__(self) -> str:
        return f"{self.tenant_id}/{self.user_id} {self.first_day}–{self.last_day}"


class ActiveWeek(models.Model):
    """A user who was active in an ISO week (`week`: its Monday, UTC): retention by sign-up week reads these, at most
    one row per person and week rather than one per day."""

    tenant = _tenant("active_weeks")
    user_id = models.BigIntegerField(_("user id"))
    week = models.DateField(_("week"))

    class Meta:
        verbose_name = _("active week")
        verbose_name_plural = _("active weeks")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "user_id", "week"], name="analytics_activeweek_unique")
        ]

    def __str__(self) -> str:
        return f"{self.tenant_id}/{self.user_id} {self.week}"


class RollupCursor(models.Model):
    """How far a tenant's events are counted: the snapshot of the last advance (analytics/rollups.py). Every event
    whose transaction id is below `counted_below` and not in `running` is counted; none of the others is."""

    tenant = models.OneToOneField(
        "tenants.Client", on_delete=models.CASCADE, related_name="rollup_cursor", verbose_name=_("tenant")
    )
    counted_below = models.BigIntegerField(_("transactions counted below"), default=0)
    # Transactions below `counted_below` still running at the last advance: their events are counted once they commit.
    running = ArrayField(models.BigIntegerField(), default=list, blank=True, verbose_name=_("transactions running"))
    advanced_at = models.DateTimeField(_("advanced"), null=True, blank=True)

    class Meta:
        verbose_name = _("rollup cursor")
        verbose_name_plural = _("rollup cursors")

    def __str__(self) -> str:
        return f"{self.tenant_id}: below {self.counted_below}"

    def counts(self, txid: int) -> bool:
        """Whether the events of transaction `txid` are counted."""
        return txid < self.counted_below and txid not in self.running


class PageViewBatch(models.Model):
    """A batch of page views written from Redis into its tenant's events (analytics/pageviews.py), recorded in the
    transaction that wrote it so that it is never written twice; forgotten after two days."""

    tenant = _tenant("page_view_batches")
    batch = models.CharField(_("batch"), max_length=64)
    rows = models.PositiveIntegerField(_("rows"))
    applied_at = models.DateTimeField(_("applied"))

    class Meta:
        verbose_name = _("page view batch")
        verbose_name_plural = _("page view batches")
        constraints = [models.UniqueConstraint(fields=["tenant", "batch"], name="analytics_pageviewbatch_unique")]
        indexes = [models.Index(fields=["applied_at"], name="analytics_pageviewbatch_at_idx")]

    def __str__(self) -> str:
        return f"{self.tenant_id}: {self.batch}"


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


# The beta programme, experiments, feature flags, alerts (rules, their state, firings, heartbeats) and the model
# monitor live in their own modules to keep this one small; imported here so that Django registers them with this app.
from analytics.models_alerts import AlertFiring, AlertRule, AlertRuleState, Heartbeat  # noqa: E402, F401
from analytics.models_beta import BetaInvitation, BetaMember, Feedback, NpsResponse  # noqa: E402, F401
from analytics.models_experiments import Experiment, Exposure  # noqa: E402, F401
from analytics.models_flags import FeatureFlag  # noqa: E402, F401
from analytics.models_monitoring import ModelMonitorSnapshot, ModelServingCursor, ModelServingDay  # noqa: E402, F401
