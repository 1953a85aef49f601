"""People own their data: consents, account erasure requests and the audit log of what was exported or erased.

ConsentRecord and ErasureRequest live in tenant schemas, next to the user they name. AuditEntry exists in every
schema: a tenant's own entries in its schema, staff erasing a whole tenant in public (the tenant's schema is gone).
An audit entry never holds the personal data of the person it is about: only a salted hash of their address.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ConsentRecord(models.Model):
    """A person accepted a version of the privacy notice (privacy/notice.py), at sign-up or on invitation."""

    class Purpose(models.TextChoices):
        SIGNUP = "signup", _("sign-up")
        INVITATION = "invitation", _("invitation accepted")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents", verbose_name=_("user")
    )
    purpose = models.CharField(_("occasion"), max_length=16, choices=Purpose.choices)
    notice_version = models.CharField(_("privacy notice version"), max_length=20)
    given_at = models.DateTimeField(_("given"))

    class Meta:
        ordering = ["given_at", "id"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"{self.purpose} v{self.notice_version}"


class ErasureRequest(models.Model):
    """An account to erase. The account is deactivated when this row is written; the job (privacy/erasure.py) claims
    it with a conditional UPDATE, erases, and marks it done. One per user: erasure is final.

    The row keeps no personal data: the user it names is an anonymised tombstone once the job has run."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        RUNNING = "running", _("in progress")
        DONE = "done", _("done")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="erasure_request", verbose_name=_("user")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        verbose_name = _("account erasure")
        verbose_name_plural = _("account erasures")
        indexes = [models.Index(fields=["status", "requested_at"], name="privacy_erasure_status_idx")]

    def __str__(self) -> str:
        return f"erasure {self.pk} ({self.status})"


class AuditEntry(models.Model):
    """Who did what, when, to whom, without the personal data of whom: ``subject_hash`` is a keyed hash
    (privacy/services.py) that can confirm "was this address's account erased?" but never give the address back."""

    class Action(models.TextChoices):
        DATA_EXPORTED = "data.exported", _("data exported")
        CV_ERASED = "cv.erased", _("CV version erased")
        APPLICATION_ERASED = "application.erased", _("application erased")
        ACCOUNT_ERASURE_REQUESTED = "account.erasure_requested", _("account erasure requested")
        ACCOUNT_ERASED = "account.erased", _("account erased")
        RETENTION_APPLIED = "retention.applied", _("retention rules applied")
        TENANT_ERASURE_REQUESTED = "tenant.erasure_requested", _("tenant erasure requested")
        TENANT_ERASED = "tenant.erased", _("tenant erased")

    class ActorRole(models.TextChoices):
        SELF = "self", _("the person themselves")
        ADMINISTRATOR = "administrator", _("an administrator of the organisation")
        STAFF = "staff", _("CVPlus staff")
        SYSTEM = "system", _("CVPlus (scheduled)")

    at = models.DateTimeField(_("when"))
    action = models.CharField(_("what"), max_length=32, choices=Action.choices)
    actor_role = models.CharField(_("who"), max_length=16, choices=ActorRole.choices)
    actor_id = models.BigIntegerField(
        _("actor id"),
        null=True,
        blank=True,
        help_text=_("The administrator's or staff member's user id; empty otherwise."),
    )
    subject_hash = models.CharField(
        _("person concerned (keyed hash of their e-mail address)"), max_length=64, blank=True
    )
    tenant_schema = models.CharField(_("tenant"), max_length=63, blank=True)
    detail = models.JSONField(_("counts"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["action", "at"], name="privacy_audit_action_at_idx")]

    def __str__(self) -> str:
        return f"{self.action} {self.at:%Y-%m-%d %H:%M}"
