"""The beta programme (public schema; imported by analytics/models.py): invitation codes staff create, the beta
cohort they enrol people in, the seekers' feature feedback and their answers to the NPS question. Services:
analytics/beta.py (codes, cohort) and analytics/feedback.py (feedback, NPS); staff page: analytics/admin_beta.py.

Public, like the rollups and the billing customers, and for the same reason: staff triage and answer feedback from
every tenant in the admin of the public host, which reads public tables only. People are named by tenant and user id
(pseudonymous); every read for a seeker goes through a selector that takes the request's tenant and user, never an id
from the request alone, and the person's rows go with their account or tenant (privacy/erasure.py,
privacy/tenant_erasure.py through `beta_people_forget`)."""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

COMMENT_MAX_CHARS = 2000
NPS_PROMOTER_MIN = 9
NPS_DETRACTOR_MAX = 6


def _tenant(related_name: str) -> models.ForeignKey:
    return models.ForeignKey(
        "tenants.Client", on_delete=models.CASCADE, related_name=related_name, verbose_name=_("tenant")
    )


class BetaInvitation(models.Model):
    """A code that enrols whoever enters it in the beta cohort, `max_uses` times at most (1: single-use), until
    `expires_at` (none: no end). Codes are compared upper-cased, without spaces."""

    code = models.CharField(
        _("code"), max_length=40, unique=True, help_text=_("Letters, digits and dashes, e.g. BETA-ANNA-2026.")
    )
    max_uses = models.PositiveIntegerField(
        _("use limit"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("How many people may use the code; 1 makes it single-use."),
    )
    uses = models.PositiveIntegerField(_("used"), default=0, editable=False)
    expires_at = models.DateTimeField(
        _("expires"), null=True, blank=True, help_text=_("Empty: the code never expires.")
    )
    note = models.CharField(_("note"), max_length=200, blank=True, help_text=_("Who the code is for, for staff."))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("beta invitation code")
        verbose_name_plural = _("beta invitation codes")
        constraints = [
            models.CheckConstraint(condition=models.Q(max_uses__gte=1), name="analytics_betainv_limit_positive"),
            models.CheckConstraint(condition=models.Q(uses__lte=models.F("max_uses")), name="analytics_betainv_uses"),
        ]

    def __str__(self) -> str:
        return self.code


class BetaMember(models.Model):
    """A person in the beta cohort: feature flags with the beta-cohort rule are on for them (analytics/flags.py)."""

    tenant = _tenant("beta_members")
    user_id = models.BigIntegerField(_("user id"))
    invitation = models.ForeignKey(
        BetaInvitation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("invitation code"),
    )
    enrolled_at = models.DateTimeField(_("enrolled"))

    class Meta:
        ordering = ["-enrolled_at"]
        verbose_name = _("beta member")
        verbose_name_plural = _("beta members")
        constraints = [models.UniqueConstraint(fields=["tenant", "user_id"], name="analytics_betamember_unique")]

    def __str__(self) -> str:
        return f"{self.tenant_id}/{self.user_id}"


class Feedback(models.Model):
    """A rating (1–5) of a feature on a page, with an optional comment kept as plain text (analytics/feedback.py
    sanitises it), and what staff did with it."""

    class Page(models.TextChoices):
        BOARD = "board", _("Board")
        APPLICATION = "application", _("Application page")
        CV = "cv", _("CV page")
        INSIGHTS = "insights", _("Insights")

    class Feature(models.TextChoices):
        BOARD = "board", _("The board")
        TIMELINE = "timeline", _("Application timeline")
        PREDICTIONS = "predictions", _("Predictions")
        MATCH = "match", _("CV-to-job match")
        CV_READING = "cv_reading", _("CV reading")
        INSIGHTS = "insights", _("Insights dashboard")
        REMINDERS = "reminders", _("Reminders")
        OTHER = "other", _("Something else")

    class Status(models.TextChoices):
        NEW = "new", _("new")
        TRIAGED = "triaged", _("triaged")
        PLANNED = "planned", _("planned")
        DONE = "done", _("done")
        WONT = "wont", _("won't do")

    tenant = _tenant("feedback")
    user_id = models.BigIntegerField(_("user id"))
    page = models.CharField(_("page"), max_length=20, choices=Page.choices)
    feature = models.CharField(_("feature"), max_length=20, choices=Feature.choices)
    rating = models.PositiveSmallIntegerField(_("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(_("comment"), blank=True, max_length=COMMENT_MAX_CHARS)
    created_at = models.DateTimeField(_("sent"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.NEW)
    tags = ArrayField(
        models.CharField(max_length=30),
        blank=True,
        default=list,
        verbose_name=_("tags"),
        help_text=_("Comma-separated, e.g. ux,bug,slow."),
    )
    reply = models.TextField(_("reply sent"), blank=True)
    replied_at = models.DateTimeField(_("replied"), null=True, blank=True)
    replied_by = models.CharField(_("replied by"), max_length=254, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        constraints = [
            models.CheckConstraint(condition=models.Q(rating__gte=1, rating__lte=5), name="analytics_feedback_rating")
        ]
        indexes = [
            models.Index(fields=["tenant", "user_id", "created_at"], name="analytics_feedback_person_idx"),
            models.Index(fields=["created_at", "feature"], name="analytics_feedback_week_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_feature_display()} {self.rating}/5"


class NpsResponse(models.Model):
    """One time a person was asked how likely they are to recommend CVPlus (0–10): `score` None when they dismissed
    the question. Either counts as asked: nobody is asked again within NPS_INTERVAL_DAYS (analytics/feedback.py)."""

    tenant = _tenant("nps_responses")
    user_id = models.BigIntegerField(_("user id"))
    asked_at = models.DateTimeField(_("asked"))
    score = models.PositiveSmallIntegerField(
        _("score"), null=True, blank=True, validators=[MaxValueValidator(10)], help_text=_("Empty: dismissed.")
    )

    class Meta:
        ordering = ["-asked_at"]
        verbose_name = _("NPS answer")
        verbose_name_plural = _("NPS answers")
        constraints = [models.CheckConstraint(condition=models.Q(score__lte=10), name="analytics_nps_score_0_10")]
        indexes = [models.Index(fields=["tenant", "user_id", "asked_at"], name="analytics_nps_person_idx")]

    def __str__(self) -> str:
        return f"{self.tenant_id}/{self.user_id} {self.score}"
