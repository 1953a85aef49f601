"""A/B experiments and their exposures (public schema; imported by analytics/models.py).

An experiment's variants are stored as ``[[name, weight], ...]`` in a fixed order, the first being the control;
who sees which is never stored but computed (analytics/experiments/assignment.py), and each person's first exposure
is one Exposure row, unique per (experiment, tenant, user), written by analytics/experiments/exposure.py.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Experiment(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("experiment status", "draft")
        RUNNING = "running", pgettext_lazy("experiment status", "running")
        STOPPED = "stopped", pgettext_lazy("experiment status", "stopped")

    class Population(models.TextChoices):
        EVERYONE = "everyone", _("everyone signed in, in every tenant")
        SEEKERS = "seekers", _("job seekers on the consumer sites")
        PREMIUM = "premium", _("premium job seekers only")
        ENTERPRISE = "enterprise", _("people in organisations (enterprise tenants)")
        TENANTS = "tenants", _("the tenants listed below")

    key = models.SlugField(
        _("key"),
        max_length=60,
        unique=True,
        help_text=_("Part of the hash that assigns people to variants: it cannot change once saved."),
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    variants = models.JSONField(
        _("variants"), default=list, help_text=_("[name, weight in percent] pairs; the first is the control.")
    )
    metric = models.CharField(_("metric"), max_length=60)
    population = models.CharField(
        _("population"), max_length=12, choices=Population.choices, default=Population.SEEKERS
    )
    tenants = models.ManyToManyField(
        "tenants.Client", blank=True, related_name="+", verbose_name=_("tenants"), help_text=_("Population: listed.")
    )
    starts_at = models.DateTimeField(_("starts"), default=timezone.now)
    stops_at = models.DateTimeField(_("stops"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.DRAFT)
    # The always-valid test's state across looks (analytics/experiments/results.py): per variant, the smallest
    # p-value and the intersection of the confidence intervals seen so far. Written by the results page only.
    sequential_state = models.JSONField(_("sequential test state"), default=dict, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-starts_at", "key"]
        verbose_name = _("experiment")
        verbose_name_plural = _("experiments")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stops_at__isnull=True) | models.Q(stops_at__gt=models.F("starts_at")),
                name="analytics_experiment_stops_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.key

    def variant_pairs(self) -> list[tuple[str, int]]:
        return [(str(name), weight) for name, weight in self.variants]

    @property
    def control(self) -> str:
        return str(self.variants[0][0]) if self.variants else ""


class Exposure(models.Model):
    """A person's first exposure to an experiment. `user_id` is the id in the tenant's schema (a pseudonymous id:
    no name or address is kept here). `simulated` marks rows the demo wrote, never people's own use."""

    experiment = models.ForeignKey(
        Experiment, on_delete=models.CASCADE, related_name="exposures", verbose_name=_("experiment")
    )
    tenant = models.ForeignKey("tenants.Client", on_delete=models.CASCADE, related_name="+", verbose_name=_("tenant"))
    user_id = models.BigIntegerField(_("user id in the tenant"))
    variant = models.CharField(_("variant"), max_length=40)
    exposed_at = models.DateTimeField(_("first exposed"), default=timezone.now)
    simulated = models.BooleanField(_("simulated"), default=False)

    class Meta:
        verbose_name = _("exposure")
        verbose_name_plural = _("exposures")
        constraints = [
            models.UniqueConstraint(fields=["experiment", "tenant", "user_id"], name="analytics_exposure_once"),
        ]
        indexes = [models.Index(fields=["experiment", "tenant", "exposed_at"], name="analytics_exposure_time")]

    def __str__(self) -> str:
        return f"{self.experiment_id} {self.tenant_id}:{self.user_id} {self.variant}"
