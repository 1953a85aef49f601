"""The privacy notice: one text (templates/privacy/notice.html) filled in with each tenant's own facts.

Versioned: whoever changes what the notice says bumps ``NOTICE_VERSION`` and ``NOTICE_EFFECTIVE`` in the same commit,
so every ConsentRecord names the text its person accepted (earlier texts are in the repository's history). A
tenant's retention periods are shown as they are set today and are not part of the version: they move within the
limits the notice states.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings

from tenants.models import RETENTION_LIMITS, Client

NOTICE_VERSION = "1"
NOTICE_EFFECTIVE = date(2026, 12, 6)
ERASURE_DEADLINE_HOURS = 24  # what the notice promises; privacy/tasks.py sweeps often enough to keep it
PENDING_SIGNUP_DAYS = 7  # an unconfirmed sign-up is deleted after this (accounts/signup.py, privacy/retention.py)


@dataclass(frozen=True)
class RetentionPeriod:
    days: int
    minimum: int
    maximum: int


def notice_context(tenant: Client) -> dict:
    """What the notice template needs about ``tenant``: who is responsible, its retention periods, the processors."""
    periods = {
        field: RetentionPeriod(getattr(tenant, field), minimum, maximum)
        for field, (minimum, _default, maximum) in RETENTION_LIMITS.items()
    }
    return {
        "notice_version": NOTICE_VERSION,
        "notice_effective": NOTICE_EFFECTIVE,
        "enterprise": tenant.kind == Client.Kind.ENTERPRISE,
        "organisation": tenant.name,
        "unreadable_uploads": periods["retention_unreadable_upload_days"],
        "prediction_log": periods["retention_prediction_log_days"],
        "erasure_hours": ERASURE_DEADLINE_HOURS,
        "pending_signup_days": PENDING_SIGNUP_DAYS,
        "email_provider": settings.PRIVACY_EMAIL_PROVIDER,
        "session_days": settings.SESSION_COOKIE_AGE // 86400,
        "lockout_minutes": settings.LOGIN_LOCKOUT_MINUTES,
    }
