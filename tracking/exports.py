"""Exports of everything a seeker has: a CSV of applications and a JSON of all their rows. Only the requesting user's
data, in a fixed number of queries."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from tenants.context import require_tenant_schema
from tracking.io import EXPORT_COLUMNS
from tracking.models import (
    Application,
    CandidateProfile,
    CVDocument,
    JobPosting,
    Notification,
    Reminder,
    Stage,
)

# ---------------------------------------------------------------------------------------------------------------------
# Exports: only the requesting user's rows, in a fixed number of queries
# ---------------------------------------------------------------------------------------------------------------------
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell_safe(value: object) -> str:
    """A spreadsheet must not run a cell as a formula (CSV injection): such cells get a leading apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _money_text(low: Decimal | None, high: Decimal | None, currency: str, period: str = "") -> str:
    amounts = [format(amount.normalize(), "f") for amount in (low, high) if amount is not None]
    if not amounts:
        return ""
    text = "-".join(dict.fromkeys(amounts)) + (f" {currency}" if currency else "")
    return text + (f"/{period}" if period else "")


def applications_csv_write(*, user: User, out: io.TextIOBase) -> int:
    """Writes one row per application, oldest first; returns the number of rows. Two queries."""
    require_tenant_schema()
    writer = csv.writer(out)
    writer.writerow([str(label) for _name, label in EXPORT_COLUMNS])
    applications = (
        Application.objects.filter(owner=user)
        .select_related("posting", "cv")
        .prefetch_related("events")
        .order_by("created_at", "id")
    )
    count = 0
    for application in applications:
        posting, events = application.posting, list(application.events.all())
        last = events[-1] if events else None
        values = {
            "company": posting.company,
            "title": posting.title,
            "stage": Stage(application.stage).label,
            "applied_on": application.applied_at.date().isoformat() if application.applied_at else "",
            "saved_on": events[0].occurred_at.date().isoformat() if events else "",
            "stage_changed_on": application.stage_changed_at.date().isoformat(),
            "channel": application.get_channel_display(),
            "location": posting.location,
            "salary": _money_text(
                posting.salary_min, posting.salary_max, posting.salary_currency, posting.salary_period
            ),
            "offer": _money_text(None, application.offer_amount, application.offer_currency),
            "url": posting.url,
            "last_event": _("%(stage)s on %(date)s")
            % {"stage": Stage(last.to_stage).label, "date": last.occurred_at.date().isoformat()}
            if last
            else "",
            "cv": str(application.cv) if application.cv else "",
        }
        writer.writerow([cell_safe(values[name]) for name, _label in EXPORT_COLUMNS])
        count += 1
    return count


def row_fields(obj: object, *, exclude: Iterable[str] = ()) -> dict:
    """Every stored column of a row, so a field added later is exported without anyone remembering to."""
    excluded = set(exclude)
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if f.name not in excluded}


def export_everything(*, user: User) -> dict:
    """Everything CVPlus holds about ``user`` in this tenant, as plain data for JSON (DjangoJSONEncoder).

    Ten queries whatever the number of rows (pinned in tests/tracking/test_io.py). CV files themselves are
    not included; their extracted text and parse are.
    """
    require_tenant_schema()
    profile = CandidateProfile.objects.filter(user=user).first()
    applications = (
        Application.objects.filter(owner=user)
        .prefetch_related("events", "contacts", "notes", "tasks")
        .order_by("created_at", "id")
    )
    return {
        "format": "cvplus-export",
        "version": 1,
        "exported_at": timezone.now(),
        "account": {
            "email": user.email,
            "full_name": user.full_name,
            "language": user.language,
            "date_joined": user.date_joined,
        },
        "profile": row_fields(profile, exclude={"id", "user"}) if profile else None,
        "cv_versions": [
            row_fields(cv, exclude={"owner", "file"})
            for cv in CVDocument.objects.filter(owner=user).order_by("version")
        ],
        "job_postings": [
            row_fields(posting, exclude={"owner"})
            for posting in JobPosting.objects.filter(owner=user).order_by("created_at", "id")
        ],
        "applications": [
            {
                **row_fields(application, exclude={"owner"}),
                "events": [row_fields(event, exclude={"application"}) for event in application.events.all()],
                "contacts": [row_fields(contact, exclude={"application"}) for contact in application.contacts.all()],
                "notes": [row_fields(note, exclude={"application"}) for note in application.notes.all()],
                "tasks": [row_fields(task, exclude={"application"}) for task in application.tasks.all()],
            }
            for application in applications
        ],
        "reminders": [
            row_fields(reminder, exclude={"owner"})
            for reminder in Reminder.objects.filter(owner=user).order_by("due_at", "id")
        ],
        "notifications": [
            row_fields(notification, exclude={"user"})
            for notification in Notification.objects.filter(user=user).order_by("created_at", "id")
        ],
    }
