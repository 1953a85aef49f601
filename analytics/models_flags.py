"""Feature flags for gradual roll-out (public schema; imported by analytics/models.py). Evaluated by
analytics/flags.py::flag_active. Why not django-waffle: docs/architecture.md, issue 14."""

from __future__ import annotations

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class FeatureFlag(models.Model):
    """On for a person when the flag is enabled and any rule holds: everyone; the person's tenant is listed; the
    person ("<schema>:<user id>") is listed; the rule `beta_cohort` is set and the person is in the beta programme
    (analytics.BetaMember); or the person's bucket (SHA-256 of the flag's name and the person,
    analytics/experiments/assignment.py) falls in the first `percent` per cent. Raising the percentage only adds people:
    nobody who had the feature loses it."""

    name = models.SlugField(_("name"), max_length=60, unique=True)
    description = models.TextField(_("description"), blank=True, help_text=_("What the flag turns on, and where."))
    enabled = models.BooleanField(_("enabled"), default=True, help_text=_("Off: the flag is off for everyone."))
    everyone = models.BooleanField(_("everyone"), default=False)
    beta_cohort = models.BooleanField(
        _("beta cohort"), default=False, help_text=_("On for everyone in the beta programme (invitation codes).")
    )
    tenants = models.ManyToManyField(
        "tenants.Client", blank=True, related_name="+", verbose_name=_("tenants"), help_text=_("On for everyone here.")
    )
    people = models.TextField(
        _("people"),
        blank=True,
        help_text=_(
            'One person a line: the tenant schema and the user id with a colon between, e.g. "northbridge:42" '
            "(the staff directory shows both)."
        ),
    )
    percent = models.PositiveSmallIntegerField(
        _("percentage of people"),
        default=0,
        validators=[MaxValueValidator(100)],
        help_text=_("0 to 100: the share of signed-in people, chosen by hash (the same people every time)."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("feature flag")
        verbose_name_plural = _("feature flags")
        constraints = [
            models.CheckConstraint(condition=models.Q(percent__lte=100), name="analytics_flag_percent_at_most_100")
        ]

    def __str__(self) -> str:
        return self.name
