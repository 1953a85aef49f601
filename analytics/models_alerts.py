"""Alerts (public schema): rules on named metrics (analytics/alerts/registry.py), the evaluator's state per rule, each
firing with the value that raised it, and the heartbeats that tell whether the worker and the beat are alive.

The rule (what staff or an organisation's administrators edit) and its state (what the evaluator writes) are two
rows, so that saving a rule in admin never overwrites a breach count the evaluator wrote meanwhile. At most one firing
of a rule is open at a time: a partial unique index says so, whatever two evaluators do at once.

Recipients are e-mail addresses, never keys to ``accounts.User``: the user table exists in every schema, and a key
from a public table to it would be followed into a tenant's table by a query run on a tenant's connection.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

MAX_CONSECUTIVE_BREACHES = 60


class AlertRule(models.Model):
    """Fire when ``metric`` (over ``window``) is above or below ``threshold`` on ``consecutive_breaches`` evaluations
    in a row; resolve when it is back past ``clear_threshold`` (the threshold itself when empty). ``tenant`` empty:
    platform-wide. Which metrics, windows and scopes are allowed is checked by analytics/alerts/checks.py."""

    class Comparison(models.TextChoices):
        ABOVE = "above", _("above")
        BELOW = "below", _("below")

    class ManagedBy(models.TextChoices):
        STAFF = "staff", _("CVPlus staff")
        ORGANISATION = "organisation", _("the organisation's administrators")

    name = models.CharField(_("name"), max_length=120)
    metric = models.CharField(_("metric"), max_length=40)
    comparison = models.CharField(
        _("fire when the value is"), max_length=5, choices=Comparison.choices, default=Comparison.ABOVE
    )
    threshold = models.FloatField(_("threshold"))
    clear_threshold = models.FloatField(
        _("clear threshold"),
        null=True,
        blank=True,
        help_text=_(
            "Resolve only once the value is past this level (hysteresis), e.g. fire below 70 and resolve above 75. "
            "Empty: resolve as soon as the threshold is no longer breached."
        ),
    )
    window = models.PositiveIntegerField(
        _("window"), null=True, blank=True, help_text=_("In the metric's own unit (minutes, or a number of items).")
    )
    consecutive_breaches = models.PositiveSmallIntegerField(
        _("consecutive breaches"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_CONSECUTIVE_BREACHES)],
        help_text=_("How many evaluations in a row (every 30 seconds) must breach the threshold before it fires."),
    )
    tenant = models.ForeignKey(
        "tenants.Client",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="alert_rules",
        verbose_name=_("tenant"),
        help_text=_("Empty: platform-wide. A tenant's rule also goes to that organisation's administrators."),
    )
    staff_emails = models.TextField(
        _("staff e-mail addresses"), blank=True, help_text=_("One address per line (or separated by commas).")
    )
    managed_by = models.CharField(
        _("managed by"), max_length=12, choices=ManagedBy.choices, default=ManagedBy.STAFF, editable=False
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("alert rule")
        verbose_name_plural = _("alert rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(consecutive_breaches__gte=1, consecutive_breaches__lte=MAX_CONSECUTIVE_BREACHES),
                name="analytics_alertrule_consecutive_breaches_range",
            ),
            models.CheckConstraint(
                condition=~Q(managed_by="organisation") | Q(tenant__isnull=False),
                name="analytics_alertrule_organisation_rule_has_tenant",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def staff_email_list(self) -> list[str]:
        """The staff addresses as entered, in order, without blanks or repeats (validated by the forms)."""
        seen: dict[str, None] = {}
        for part in self.staff_emails.replace(",", "\n").replace(";", "\n").splitlines():
            if part.strip():
                seen.setdefault(part.strip(), None)
        return list(seen)

    def breached(self, value: float) -> bool:
        if self.comparison == self.Comparison.ABOVE:
            return value > self.threshold
        return value < self.threshold

    def cleared(self, value: float) -> bool:
        """Past the clear threshold (strictly), or simply no longer breaching when there is none."""
        if self.clear_threshold is None:
            return not self.breached(value)
        if self.comparison == self.Comparison.ABOVE:
            return value < self.clear_threshold
        return value > self.clear_threshold


class AlertRuleState(models.Model):
    """The evaluator's row for one rule: breaches in a row so far, the last value seen and when. Locked by the
    evaluation of its rule (``SELECT … FOR UPDATE SKIP LOCKED``)."""

    rule = models.OneToOneField(
        AlertRule, on_delete=models.CASCADE, primary_key=True, related_name="state", verbose_name=_("rule")
    )
    breaches = models.PositiveSmallIntegerField(_("breaches in a row"), default=0)
    last_value = models.FloatField(_("last value"), null=True, blank=True)
    evaluated_at = models.DateTimeField(_("last evaluated"), null=True, blank=True)

    class Meta:
        verbose_name = _("alert rule state")
        verbose_name_plural = _("alert rule states")

    def __str__(self) -> str:
        return f"{self.rule_id}: {self.breaches} breaches, last {self.last_value}"


class AlertFiring(models.Model):
    """One time a rule fired: the value that made it fire and, once resolved, the value that resolved it. The rule's
    condition is copied, so the history still reads right after the rule is edited. Notifications are claimed by
    setting ``*_notified_at`` before sending (analytics/alerts/notify.py)."""

    class Resolution(models.TextChoices):
        VALUE = "value", _("the value came back")
        RULE_DISABLED = "rule_disabled", _("the rule was turned off")

    rule = models.ForeignKey(AlertRule, on_delete=models.CASCADE, related_name="firings", verbose_name=_("rule"))
    fired_at = models.DateTimeField(_("fired"))
    fired_value = models.FloatField(_("value that fired it"))
    comparison = models.CharField(_("comparison"), max_length=5, choices=AlertRule.Comparison.choices)
    threshold = models.FloatField(_("threshold"))
    clear_threshold = models.FloatField(_("clear threshold"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_value = models.FloatField(_("value that resolved it"), null=True, blank=True)
    resolution = models.CharField(_("resolution"), max_length=16, choices=Resolution.choices, blank=True)
    fire_notified_at = models.DateTimeField(_("firing notified"), null=True, blank=True)
    resolve_notified_at = models.DateTimeField(_("resolution notified"), null=True, blank=True)

    class Meta:
        ordering = ["-fired_at", "-pk"]
        verbose_name = _("alert firing")
        verbose_name_plural = _("alert firings")
        constraints = [
            models.UniqueConstraint(
                fields=["rule"], condition=Q(resolved_at__isnull=True), name="analytics_alertfiring_one_open_per_rule"
            ),
        ]
        indexes = [
            models.Index(fields=["resolved_at"], condition=Q(resolved_at__isnull=True), name="analytics_firing_open")
        ]

    def __str__(self) -> str:
        return f"{self.rule_id} @ {self.fired_at:%Y-%m-%d %H:%M:%S}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


class Heartbeat(models.Model):
    """When a periodic job last ran: ``worker:default`` and ``worker:training`` (a beat-sent task run by a worker of
    that queue), ``alerts`` (the evaluator itself). Written by analytics/alerts/heartbeat.py."""

    name = models.CharField(_("name"), max_length=40, primary_key=True)
    beat_at = models.DateTimeField(_("last beat"))

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self) -> str:
        return f"{self.name} {self.beat_at:%Y-%m-%d %H:%M:%S}"
