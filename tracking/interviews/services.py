"""Writes for interviews: schedule, change, cancel. Validation first, then one transaction.

Every refusal is a ValidationError keyed by the field at fault (``kind``, ``date``, ``time``, ``time_zone``,
``duration_minutes``, ``contacts``...) with a translated message, raised before anything is written. The "follow up
after the interview" reminder moves with the interview (tracking.reminders.reminder_schedule_after_interview).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from tenants.context import require_tenant_schema
from tracking import reminders
from tracking.interviews.zones import is_time_zone, wall_time_to_utc
from tracking.models import Application, Contact, Interview
from tracking.services import ALLOWED_MOVES, text_clean

MIN_DURATION_MINUTES = 5
MAX_DURATION_MINUTES = 12 * 60
# A past interview can be recorded for the history; an interview more than this far either side is a typo.
PAST_LIMIT = timedelta(days=366)
FUTURE_LIMIT = timedelta(days=2 * 366)


@dataclass(frozen=True)
class InterviewDetails:
    """What the seeker says about an interview, checked by ``interview_details_check``."""

    kind: str
    day: date | None
    at: time | None
    time_zone: str
    duration_minutes: int | None = 60
    people: str = ""
    location: str = ""
    notes: str = ""
    contacts: tuple[Contact, ...] = ()


@dataclass(frozen=True)
class _Checked:
    kind: str
    starts_at: datetime
    time_zone: str
    duration_minutes: int
    people: str
    location: str
    notes: str
    contacts: tuple[Contact, ...]


def interview_details_check(*, application: Application, details: InterviewDetails) -> _Checked:
    """The details as they will be stored, or a ValidationError naming every field at fault."""
    errors: dict[str, str] = {}
    if details.kind not in Interview.Kind.values:
        errors["kind"] = _("Choose the kind of interview from the list.")
    if details.day is None:
        errors["date"] = _("Enter the interview's date.")
    if details.at is None:
        errors["time"] = _("Enter the interview's start time.")
    zone = (details.time_zone or "").strip()
    if not is_time_zone(zone):
        errors["time_zone"] = _("Choose a time zone from the list, such as Europe/Berlin.")
    duration = details.duration_minutes
    if duration is None or not MIN_DURATION_MINUTES <= duration <= MAX_DURATION_MINUTES:
        errors["duration_minutes"] = _("Enter a duration from %(low)s to %(high)s minutes.") % {
            "low": MIN_DURATION_MINUTES,
            "high": MAX_DURATION_MINUTES,
        }
    if any(contact.application_id != application.pk for contact in details.contacts):
        errors["contacts"] = _("Choose contacts of this application.")
    starts_at = None
    if "date" not in errors and "time" not in errors and "time_zone" not in errors:
        starts_at = wall_time_to_utc(details.day, details.at, zone)
        now = timezone.now()
        if starts_at is None:
            errors["time"] = _("This time does not exist in %(zone)s on that day (the clocks change).") % {"zone": zone}
        elif not now - PAST_LIMIT <= starts_at <= now + FUTURE_LIMIT:
            errors["date"] = _("Choose a date within a year before and two years after today.")
    if errors:
        raise ValidationError(errors)
    return _Checked(
        kind=details.kind,
        starts_at=starts_at,
        time_zone=zone,
        duration_minutes=duration,
        people=text_clean(details.people, max_chars=500),
        location=text_clean(details.location, max_chars=500),
        notes=text_clean(details.notes, max_chars=2000),
        contacts=tuple(details.contacts),
    )


def interview_schedule(*, application: Application, by: User, details: InterviewDetails) -> Interview:
    """A new interview on one of ``by``'s open applications, with its follow-up reminder."""
    require_tenant_schema()
    if application.owner_id != by.pk:
        raise ValidationError({"application": _("Choose one of your own applications.")})
    checked = interview_details_check(application=application, details=details)
    with transaction.atomic():
        # The stage as stored, locked: a move in flight cannot close the application under the new interview.
        application = Application.objects.select_for_update().get(pk=application.pk)
        if not ALLOWED_MOVES.get(application.stage):
            raise ValidationError(_("This application is closed: reopen it before scheduling an interview."))
        interview = Interview.objects.create(
            application=application,
            kind=checked.kind,
            starts_at=checked.starts_at,
            time_zone=checked.time_zone,
            duration_minutes=checked.duration_minutes,
            people=checked.people,
            location=checked.location,
            notes=checked.notes,
        )
        interview.contacts.set(checked.contacts)
        reminders.reminder_schedule_after_interview(interview=interview)
    return interview


def interview_update(*, interview: Interview, by: User, details: InterviewDetails) -> Interview:
    """Changes an interview that is not cancelled; a new time moves its follow-up reminder. The calendar revision
    (``sequence``) goes up so that a calendar holding the old .ics takes the new one."""
    require_tenant_schema()
    application = interview.application
    if application.owner_id != by.pk:
        raise ValidationError({"application": _("Choose one of your own applications.")})
    if interview.is_cancelled:
        raise ValidationError(_("This interview was cancelled; schedule a new one instead."))
    checked = interview_details_check(application=application, details=details)
    with transaction.atomic():
        locked = Interview.objects.select_for_update().get(pk=interview.pk)
        if locked.is_cancelled:
            raise ValidationError(_("This interview was cancelled; schedule a new one instead."))
        moved = (locked.starts_at, locked.duration_minutes) != (checked.starts_at, checked.duration_minutes)
        for name in ("kind", "starts_at", "time_zone", "duration_minutes", "people", "location", "notes"):
            setattr(locked, name, getattr(checked, name))
        locked.sequence += 1
        locked.save()
        locked.contacts.set(checked.contacts)
        if moved:  # notes added after the interview leave a follow-up that is due (or being sent) alone
            reminders.reminder_schedule_after_interview(interview=locked)
    return locked


def interview_cancel(*, interview: Interview, by: User) -> Interview:
    """Marks the interview cancelled (it stays in the history) and removes its follow-up reminder. Idempotent."""
    require_tenant_schema()
    if interview.application.owner_id != by.pk:
        raise ValidationError({"application": _("Choose one of your own applications.")})
    with transaction.atomic():
        changed = Interview.objects.filter(pk=interview.pk, status=Interview.Status.SCHEDULED).update(
            status=Interview.Status.CANCELLED,
            cancelled_at=timezone.now(),
            sequence=F("sequence") + 1,
            updated_at=timezone.now(),
        )
        if changed:
            reminders.reminder_cancel_after_interview(interview=interview)
    interview.refresh_from_db()
    return interview
