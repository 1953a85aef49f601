"""The model registry. The app is in both SHARED_APPS and TENANT_APPS: global, industry and region models live in
the public schema; a model trained on one tenant's own outcomes lives in that tenant's schema, next to its data.

Invariant: at most one champion per (kind, scope, scope_key), enforced by a partial unique constraint; a candidate
becomes champion only through predictions.registry.model_promote, which compares both on the same held-out data.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ModelVersion(models.Model):
    class Kind(models.TextChoices):
        SALARY = "salary", _("salary range")
        TIME_TO_HIRE = "time_to_hire", _("time to hire")
        INTERVIEW = "interview", _("interview probability")

    class Scope(models.TextChoices):
        GLOBAL = "global", _("global")
        INDUSTRY = "industry", _("industry")
        REGION = "region", _("region")
        TENANT = "tenant", _("tenant")

    class Status(models.TextChoices):
        CANDIDATE = "candidate", _("candidate")
        CHAMPION = "champion", _("champion")
        ARCHIVED = "archived", _("archived")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices, default=Scope.GLOBAL)
    scope_key = models.CharField(_("scope key"), max_length=64, blank=True, help_text=_("e.g. EU, technology"))
    version = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.CANDIDATE)
    params = models.JSONField(_("parameters"), default=dict)
    data_fingerprint = models.CharField(_("training data fingerprint"), max_length=64)
    metrics = models.JSONField(_("metrics on held-out data"), default=dict)
    artifact = models.TextField(_("artifact"), help_text=_("LightGBM model text, or JSON holding several."))
    feature_names = models.JSONField(_("features"), default=list)
    trained_at = models.DateTimeField(_("trained"), auto_now_add=True)
    training_seconds = models.FloatField(_("training time (s)"), default=0)
    promoted_at = models.DateTimeField(_("promoted"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["kind", "scope", "scope_key", "-version"]
        verbose_name = _("model version")
        verbose_name_plural = _("model versions")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "scope", "scope_key", "version"], name="predictions_model_version_uniq"
            ),
            models.UniqueConstraint(
                fields=["kind", "scope", "scope_key"],
                condition=Q(status="champion"),
                name="predictions_one_champion_per_scope",
            ),
        ]

    def __str__(self) -> str:
        scope = f"{self.scope}:{self.scope_key}" if self.scope_key else self.scope
        return f"{self.kind} v{self.version} ({scope}, {self.status})"
