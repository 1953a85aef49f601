"""The model registry. The app is in both SHARED_APPS and TENANT_APPS: global, industry and region models live in
the public schema; a model trained on one tenant's own outcomes lives in that tenant's schema, next to its data.

Invariant: at most one champion per (kind, scope, scope_key), enforced by a partial unique constraint; a candidate
becomes champion only through predictions.registry.model_promote, which compares both on the same held-out data.
"""

from __future__ import annotations

from django.conf import settings
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
    # Per feature, the bins of the training data and their counts (predictions/drift.py): the reference the model
    # monitor measures served inputs against. Empty for a version trained before it existed until
    # `manage.py input_reference_backfill` recomputes it from the same training data.
    input_bins = models.JSONField(_("training input bins"), default=dict, blank=True)
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


class PredictionLog(models.Model):
    """One served prediction request: which model version answered, on what input (by hash), how fast, for whom.

    Lives in the tenant schema, next to the user it served (the table also exists in public because the app is shared;
    predictions.service refuses to write it there). `model_version_id` is the ModelVersion's primary key but not a
    foreign key: a global model lives in the public schema, and PostgreSQL cannot hold a key across schemas.

    A batch is logged as one row per model version that answered it (normally exactly one), with `batch_size` items
    and the hash of the whole validated batch: per-item rows would cost up to 10,000 inserts inside a request whose
    budget is two seconds, and re-hashing the same payload still proves what was served.
    """

    class Kind(models.TextChoices):
        SALARY = "salary", _("salary range")
        TIME_TO_HIRE = "time_to_hire", _("time to hire")
        INTERVIEW = "interview", _("interview probability")
        MATCH = "match", _("match")

    class Source(models.TextChoices):
        API = "api", _("API")
        PAGE = "page", _("application page")
        DEMO = "demo", _("demo (simulated)")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    model_version_id = models.BigIntegerField(_("model version id"), null=True, blank=True)
    model_version = models.PositiveIntegerField(_("model version"), null=True, blank=True)
    model_label = models.CharField(
        _("model label"), max_length=32, blank=True, help_text=_("e.g. match-1 for the scorer, prior without a model")
    )
    scope = models.CharField(_("scope"), max_length=10, blank=True)
    input_hash = models.CharField(_("input hash (SHA-256)"), max_length=64)
    latency_ms = models.FloatField(_("latency (ms)"))
    batch_size = models.PositiveIntegerField(_("batch size"), default=1)
    low_confidence = models.BooleanField(_("low confidence"), default=False)
    low_confidence_count = models.PositiveIntegerField(_("low-confidence items"), default=0)
    insufficient_data = models.BooleanField(_("insufficient data"), default=False)
    source = models.CharField(_("source"), max_length=4, choices=Source.choices, default=Source.API)
    # {feature: counts per bin of the version's input_bins} over the items this row's version answered with its own
    # features (predictions/drift.py); null when the version has no reference bins (a prior, the match scorer).
    input_bins = models.JSONField(_("input bins"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("prediction log entry")
        verbose_name_plural = _("prediction log")
        indexes = [models.Index(fields=["kind", "created_at"], name="predictions_log_kind_created")]

    def __str__(self) -> str:
        version = f"v{self.model_version}" if self.model_version is not None else self.model_label or "-"
        return f"{self.kind} {version} x{self.batch_size}"


class PredictionLogFlush(models.Model):
    """A batch of prediction log rows moved from Redis into this schema (predictions/logbuffer.py), recorded in the
    transaction that wrote them, so a batch is never written twice. Kept two days."""

    batch = models.CharField(_("batch"), max_length=64, unique=True)
    rows = models.PositiveIntegerField(_("rows"))
    applied_at = models.DateTimeField(_("applied"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("prediction log flush")
        verbose_name_plural = _("prediction log flushes")

    def __str__(self) -> str:
        return f"{self.batch} ({self.rows})"


class ApplicationPrediction(models.Model):
    """What CVPlus predicted for one application, per kind, to set against what happened (the model monitor's live
    accuracy, analytics/monitoring). Tenant schema, next to the application.

    The row holds the latest answer served before the outcome the kind predicts: each serving on the application
    page (or through the API naming the application) replaces it, until the application reaches screening
    (interview) or an offer or a final stage (salary, time to hire); after that it is never written again, so an
    answer that could have seen the outcome (the shrunk prior learns from the seeker's own outcomes) never counts.

    `application` has no database constraint: the app is also in the public schema, where applications do not exist.
    Deleting an application through the ORM deletes its rows (Django cascades it).
    """

    class Kind(models.TextChoices):
        SALARY = "salary", _("salary range")
        TIME_TO_HIRE = "time_to_hire", _("time to hire")
        INTERVIEW = "interview", _("interview probability")

    application = models.ForeignKey(
        "tracking.Application",
        on_delete=models.CASCADE,
        db_constraint=False,
        related_name="+",
        verbose_name=_("application"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    model_version_id = models.BigIntegerField(_("model version id"), null=True, blank=True)
    model_version = models.PositiveIntegerField(_("model version"), null=True, blank=True)
    model_label = models.CharField(_("model label"), max_length=32, blank=True, help_text=_("e.g. prior"))
    scope = models.CharField(_("scope"), max_length=10, blank=True)
    source = models.CharField(_("source"), max_length=4, choices=PredictionLog.Source.choices)
    served_at = models.DateTimeField(_("served"))
    # Salary: the range in USD, and the currency and rate (units per USD) the answer was shown in; a year's pay.
    salary_p10_usd = models.FloatField(_("salary P10 (USD)"), null=True, blank=True)
    salary_p50_usd = models.FloatField(_("salary P50 (USD)"), null=True, blank=True)
    salary_p90_usd = models.FloatField(_("salary P90 (USD)"), null=True, blank=True)
    salary_currency = models.CharField(_("salary currency"), max_length=3, blank=True)
    salary_per_usd = models.FloatField(_("units of the salary currency per USD"), null=True, blank=True)
    interview_probability = models.FloatField(_("interview probability"), null=True, blank=True)
    days_p10 = models.FloatField(_("days to offer, P10"), null=True, blank=True)
    days_p50 = models.FloatField(_("days to offer, P50"), null=True, blank=True)
    days_p90 = models.FloatField(_("days to offer, P90"), null=True, blank=True)
    days_measured_from = models.CharField(_("days measured from"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("application prediction")
        verbose_name_plural = _("application predictions")
        constraints = [
            models.UniqueConstraint(fields=["application", "kind"], name="predictions_application_prediction_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.kind} for application {self.application_id}"
