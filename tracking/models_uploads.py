"""Rows behind the upload budget (imported by tracking/models.py, tenant schema)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UploadRecord(models.Model):
    """One CV version a user added (upload or paste), kept a day to count the upload rate (tracking/cv/
    upload_budget.py). It is not the version: erasing a version does not give its upload back."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="upload_records", verbose_name=_("owner")
    )
    created_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        verbose_name = _("CV upload record")
        verbose_name_plural = _("CV upload records")
        indexes = [models.Index(fields=["owner", "created_at"], name="tracking_upload_owner_idx")]

    def __str__(self) -> str:
        return f"upload by {self.owner_id} at {self.created_at:%Y-%m-%d %H:%M}"
