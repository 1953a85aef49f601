"""The upload budget: how many CV versions a user may add per rolling hour and day, and how many they may keep.

Counted in PostgreSQL (``UploadRecord`` rows and the versions themselves), so the budget holds when Redis is down.
:func:`upload_budget_check` and :func:`upload_record` run under the lock on the owner's row that already serialises
version numbers (tracking/cv/services.py), so two concurrent uploads cannot both take the last place. Limits are
settings: ``CV_UPLOADS_PER_HOUR``, ``CV_UPLOADS_PER_DAY`` and ``CV_MAX_VERSIONS``.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.timesince import timeuntil
from django.utils.translation import gettext as _

from accounts.models import User
from tenants.context import current_tenant
from tenants.links import TenantHasNoPrimaryDomain, tenant_absolute_url
from tracking.models import CVDocument, UploadRecord

RATE_WINDOWS = (("hour", timedelta(hours=1)), ("day", timedelta(days=1)))


class UploadBudgetExceeded(ValidationError):
    """The upload is refused by the budget; ``retry_after_s`` is when waiting helps (None for the version cap)."""

    def __init__(self, message: str, *, retry_after_s: int | None) -> None:
        super().__init__(message, code="upload_budget")
        self.retry_after_s = retry_after_s


def _limit(window: str) -> int:
    return settings.CV_UPLOADS_PER_HOUR if window == "hour" else settings.CV_UPLOADS_PER_DAY


def _cv_page_url() -> str:
    path = reverse("tracking:cv")
    try:
        return tenant_absolute_url(current_tenant(), path)
    except TenantHasNoPrimaryDomain:
        return path


def _rate_message(window: str, limit: int, wait: timedelta, now: datetime) -> str:
    # Rounded up to the minute: "try again in 0 minutes" would be refused again.
    wait_text = timeuntil(now + wait + timedelta(seconds=59), now, depth=1)
    if window == "hour":
        message = _(
            "You have added %(limit)s CV versions in the last hour, the most we accept in an hour. Try again in "
            "%(wait)s."
        )
    else:
        message = _(
            "You have added %(limit)s CV versions in the last 24 hours, the most we accept in a day. Try again in "
            "%(wait)s."
        )
    return message % {"limit": limit, "wait": wait_text}


def upload_budget_check(*, owner: User, now: datetime) -> None:
    """Raises UploadBudgetExceeded (a ValidationError with a translated message naming the limit and what to do)
    when the owner keeps the most versions allowed or has added the most allowed in the last hour or day."""
    kept = CVDocument.objects.filter(owner=owner).count()
    if kept >= settings.CV_MAX_VERSIONS:
        raise UploadBudgetExceeded(
            _(
                "You keep %(count)s CV versions, the most we store. Delete versions you no longer need on your CV "
                "page (%(url)s), then add this one again."
            )
            % {"count": kept, "url": _cv_page_url()},
            retry_after_s=None,
        )
    for window, length in RATE_WINDOWS:
        limit = _limit(window)
        recent = list(
            UploadRecord.objects.filter(owner=owner, created_at__gt=now - length)
            .order_by("-created_at")
            .values_list("created_at", flat=True)[:limit]
        )
        if len(recent) >= limit:
            # The place frees up when the oldest of the last ``limit`` uploads leaves the window.
            wait = recent[-1] + length - now
            raise UploadBudgetExceeded(
                _rate_message(window, limit, wait, now), retry_after_s=max(1, math.ceil(wait.total_seconds()))
            )


def upload_record(*, owner: User, now: datetime) -> None:
    """Counts one added version, and forgets the owner's records older than the longest window."""
    UploadRecord.objects.filter(owner=owner, created_at__lte=now - RATE_WINDOWS[-1][1]).delete()
    UploadRecord.objects.create(owner=owner, created_at=now)
