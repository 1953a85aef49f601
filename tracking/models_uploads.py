"""Rows behind the upload budget and the background CSV import (imported by tracking/models.py, tenant schema)."""

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


class ImportJob(models.Model):
    """A CSV import: its preview (the rows as read, kept here and not in the cache, so the preview works without
    Redis), then, once confirmed, the background job that imports the planned rows in batches.

    ``plan`` lists the rows to import, fixed at confirmation; ``processed`` counts how many of them are done and is
    advanced in the same transaction as each batch's rows, so a job resumed after a killed worker starts exactly
    where the last committed batch ended (tracking/io/jobs.py).
    """

    class State(models.TextChoices):
        PREVIEW = "preview", _("checked, not confirmed")
        QUEUED = "queued", _("waiting to start")
        RUNNING = "running", _("importing")
        DONE = "done", _("done")
        FAILED = "failed", _("stopped")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_jobs", verbose_name=_("owner")
    )
    token = models.CharField(_("preview token"), max_length=64, unique=True)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.PREVIEW)
    language = models.CharField(_("language of the report"), max_length=10, blank=True)
    rows = models.JSONField(_("rows as read"), default=list, blank=True)
    stages = models.JSONField(_("statuses in the file"), default=list, blank=True)
    stage_column = models.TextField(_("status column"), blank=True)
    plan = models.JSONField(_("import plan"), default=list, blank=True)
    total_rows = models.PositiveIntegerField(_("rows in the file"), default=0)
    planned = models.PositiveIntegerField(_("rows to import"), default=0)
    processed = models.PositiveIntegerField(_("rows processed"), default=0)
    imported = models.PositiveIntegerField(_("rows imported"), default=0)
    skipped = models.JSONField(_("rows skipped, with the reasons"), default=list, blank=True)
    failure_reason = models.CharField(_("why it stopped"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last progress"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("CSV import")
        verbose_name_plural = _("CSV imports")
        indexes = [models.Index(fields=["owner", "state"], name="tracking_import_owner_idx")]

    def __str__(self) -> str:
        return f"import {self.pk} ({self.state})"

    @property
    def is_active(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.RUNNING)

    @property
    def percent_done(self) -> int:
        return 100 if not self.planned else min(100, self.processed * 100 // self.planned)
