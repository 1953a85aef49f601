"""An interview as an event with a date and time (imported by tracking/models.py, tenant schema).

Invariants kept by tracking/interviews/services.py, the only writer:
- ``starts_at`` is the moment (stored in UTC); ``time_zone`` is the IANA zone the seeker gave the wall time in, kept
  to show the interview and its calendar file in that zone.
- A cancelled interview stays (it is part of the application's history) and is never edited again.
- ``uid`` never changes, so a calendar that imported the .ics replaces the event when ``sequence`` goes up (RFC 5545
  §3.8.7.4): every change of the time, place or status raises it.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Interview(models.Model):
    class Kind(models.TextChoices):
        PHONE_SCREEN = "phone_screen", _("phone screen")
        VIDEO = "video", _("video interview")
        ON_SITE = "on_site", pgettext_lazy("interview kind", "on-site interview")
        TECHNICAL = "technical", _("technical interview")
        PANEL = "panel", _("panel interview")
        FINAL = "final", _("final interview")
        OTHER = "other", pgettext_lazy("interview kind", "other interview")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", pgettext_lazy("interview status", "scheduled")
        CANCELLED = "cancelled", pgettext_lazy("interview status", "cancelled")

    application = models.ForeignKey(
        "tracking.Application", on_delete=models.CASCADE, related_name="interviews", verbose_name=_("application")
    )
    kind = models.CharField(_("kind of interview"), max_length=14, choices=Kind.choices)
    starts_at = models.DateTimeField(_("starts"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=60)
    time_zone = models.CharField(_("time zone"), max_length=64)
    people = models.CharField(_("people"), max_length=500, blank=True, help_text=_("Names and roles, as you like."))
    contacts = models.ManyToManyField(
        "tracking.Contact", blank=True, related_name="interviews", verbose_name=_("contacts taking part")
    )
    location = models.CharField(_("place or link"), max_length=500, blank=True)
    notes = models.TextField(_("notes"), max_length=2000, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    uid = models.UUIDField(_("calendar id"), default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(_("calendar revision"), default=0)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    created_at = models.DateTimeField(_("scheduled on"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")
        indexes = [models.Index(fields=["application", "status", "starts_at"], name="tracking_interview_app_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.starts_at:%Y-%m-%d %H:%M}"

    # Lets one timeline list stage moves and interviews together (tracking/templates/tracking/_timeline.html).
    is_interview = True

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def location_link(self) -> str:
        """The place as a link when it is a web address (a video call), else ""; never a javascript: URL."""
        return self.location if self.location.startswith(("https://", "http://")) and " " not in self.location else ""
