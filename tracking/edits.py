"""Corrections the seeker makes after the fact: a posting's details, how they applied, a closed application reopened,
and the contacts, notes and tasks attached to an application. Validation first, then one transaction; every refusal
is a ValidationError keyed by the field at fault, raised before anything is written.

The application's history stays the record of what happened: an edit never rewrites a stage. The one date an edit
may move is that of the step to "applied" (the seeker applied on another day than the one recorded), kept between
the steps before and after it, so the timeline, ``applied_at`` and the follow-up reminder agree. A reopening is a new
step, marked as one.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from tenants.context import require_tenant_schema
from tracking import reminders
from tracking.events import domain_event_record
from tracking.models import (
    Application,
    ApplicationEvent,
    Contact,
    CVDocument,
    DomainEvent,
    JobPosting,
    Note,
    Reminder,
    Stage,
    Task,
)
from tracking.requirements import READER_VERSION as REQUIREMENTS_READER_VERSION
from tracking.requirements import requirements_split
from tracking.services import (
    ALLOWED_MOVES,
    MAX_DESCRIPTION_CHARS,
    _check_at,
    posting_industry_detect,
    posting_values_check,
    text_clean,
)

# Stages an application can be reopened to: the open ones it had reached before it closed.
REOPEN_STAGES = (Stage.SAVED, Stage.APPLIED, Stage.SCREENING, Stage.INTERVIEWING, Stage.OFFER)
CLOSED_FOR_GOOD = frozenset(stage for stage, moves in ALLOWED_MOVES.items() if not moves)


# ---------------------------------------------------------------------------------------------------------------------
# Postings
# ---------------------------------------------------------------------------------------------------------------------
def posting_update(
    *,
    posting: JobPosting,
    title: str,
    company: str,
    location: str = "",
    country: str = "",
    salary_min: object = None,
    salary_max: object = None,
    salary_currency: str = "",
    salary_period: str = "",
    employment_type: str = JobPosting.EmploymentType.FULL_TIME,
    remote: str = JobPosting.Remote.ON_SITE,
    industry: str = "",
    url: str = "",
    description: str | None = None,
) -> JobPosting:
    """Writes the corrected posting. An industry left empty is detected again; a description given is split into
    requirements again (None keeps the one saved)."""
    require_tenant_schema()
    values = posting_values_check(
        title=title,
        company=company,
        location=location,
        country=country,
        salary_min=salary_min,
        salary_max=salary_max,
        salary_currency=salary_currency,
        salary_period=salary_period,
        employment_type=employment_type,
        remote=remote,
        industry=industry,
    )
    with transaction.atomic():
        posting = JobPosting.objects.select_for_update().get(pk=posting.pk)
        chosen_industry = values.pop("industry")
        for name, value in values.items():
            setattr(posting, name, value)
        posting.url = (url or "").strip()[:1000]
        if description is not None:
            posting.description = text_clean(description, max_chars=MAX_DESCRIPTION_CHARS)
            posting.requirements = requirements_split(posting.description)
            posting.requirements_version = REQUIREMENTS_READER_VERSION
        if chosen_industry:
            posting.industry, posting.industry_detected = chosen_industry, False
        else:
            posting.industry = posting_industry_detect(title=posting.title, description=posting.description)
            posting.industry_detected = bool(posting.industry)
        posting.updated_at = timezone.now()
        posting.full_clean(exclude=["owner"])
        posting.save()
    return posting


# ---------------------------------------------------------------------------------------------------------------------
# Applications
# ---------------------------------------------------------------------------------------------------------------------
def application_update(
    *,
    application: Application,
    channel: str,
    cv: CVDocument | None,
    applied_at: datetime | None = None,
) -> Application:
    """Corrects how the seeker applied: the channel, the CV version sent (pinned now if it was not) and, for an
    application marked applied, the day they applied. ``applied_at`` None keeps the recorded date."""
    require_tenant_schema()
    if channel not in Application.Channel.values:
        raise ValidationError({"channel": _("Choose how you applied from the list.")})
    if cv is not None and cv.owner_id != application.owner_id:
        raise ValidationError({"cv": _("Choose one of your own CV versions.")})
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        application.channel = channel
        application.cv = cv
        fields = ["channel", "cv"]
        if applied_at is not None and applied_at != application.applied_at:
            _applied_step_redate(application=application, at=applied_at)
            fields += ["applied_at", "stage_changed_at"]
        application.save(update_fields=fields)
    return application


def _applied_step_redate(*, application: Application, at: datetime) -> None:
    """Moves the step to "applied" to ``at``, between the steps around it, and the follow-up with it."""
    events = list(application.events.order_by("occurred_at", "id"))
    index = next((i for i, event in enumerate(events) if event.to_stage == Stage.APPLIED), None)
    if index is None:
        raise ValidationError(
            {"applied_at": _("This application is not marked applied yet: move it to Applied to give the date.")}
        )
    before = events[index - 1].occurred_at if index > 0 else None
    _check_at(at, not_before=before, field="applied_at")
    if index + 1 < len(events) and at > events[index + 1].occurred_at:
        raise ValidationError({"applied_at": _("The date cannot be after the application's next step.")})
    step = events[index]
    # The one sanctioned change of an event (see tracking.models): its date, to what the seeker says it was.
    ApplicationEvent.objects.filter(pk=step.pk).update(occurred_at=at)
    application.applied_at = at
    if index == len(events) - 1:
        application.stage_changed_at = at
    days = reminders._profile(application.owner_id).follow_up_after_applied_days
    Reminder.objects.filter(
        dedupe_key=f"application:{application.pk}:applied", status=Reminder.Status.SCHEDULED
    ).update(due_at=at + timedelta(days=days))


def application_reopen_stages(*, application: Application) -> list[str]:
    """The open stages ``application`` reached before it closed, in pipeline order; empty when it is not closed."""
    if application.stage not in CLOSED_FOR_GOOD:
        return []
    reached = set(application.events.values_list("to_stage", flat=True))
    return [stage for stage in REOPEN_STAGES if stage in reached]


def application_reopen(
    *, application: Application, by: User, to_stage: str, at: datetime | None = None, note: str = ""
) -> ApplicationEvent:
    """Reopens a closed (accepted, rejected or withdrawn) application to a stage it had reached: a new step in its
    history, marked as a reopening, with its domain event; follow-ups are scheduled again as for any move there."""
    require_tenant_schema()
    at = at or timezone.now()
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.stage not in CLOSED_FOR_GOOD:
            raise ValidationError({"to_stage": _("Only a closed application can be reopened.")})
        if to_stage not in application_reopen_stages(application=application):
            raise ValidationError({"to_stage": _("Choose a stage this application had reached before it closed.")})
        last_at = application.events.order_by("-occurred_at").values_list("occurred_at", flat=True).first()
        _check_at(at, not_before=last_at, field="at")
        from_stage = application.stage
        event = ApplicationEvent.objects.create(
            application=application,
            from_stage=from_stage,
            to_stage=to_stage,
            interview_round=application.interview_round if to_stage == Stage.INTERVIEWING else 0,
            occurred_at=at,
            actor=by,
            note=text_clean(note, max_chars=500),
            reopened=True,
        )
        application.stage = to_stage
        application.stage_changed_at = at
        application.likely_ghosted_since = None
        application.save(update_fields=["stage", "stage_changed_at", "likely_ghosted_since"])
        domain_event_record(
            kind=DomainEvent.Kind.STAGE_CHANGED,
            actor_id=by.pk,
            subject_id=application.pk,
            payload={"from": from_stage, "to": to_stage, "round": event.interview_round, "reopened": True},
            at=at,
        )
        reminders.reminders_after_move(application=application, event=event)
    return event


# ---------------------------------------------------------------------------------------------------------------------
# Contacts, notes and tasks
# ---------------------------------------------------------------------------------------------------------------------
def contact_update(*, contact: Contact, name: str, role: str = "", email: str = "", phone: str = "") -> Contact:
    require_tenant_schema()
    name = text_clean(name, max_chars=150)
    if not name:
        raise ValidationError({"name": _("Enter the contact's name.")})
    contact.name = name
    contact.role = text_clean(role, max_chars=100)
    contact.email = (email or "").strip()
    contact.phone = text_clean(phone, max_chars=40)
    contact.full_clean()
    contact.save(update_fields=["name", "role", "email", "phone"])
    return contact


def contact_delete(*, contact: Contact) -> None:
    require_tenant_schema()
    contact.delete()


def note_update(*, note: Note, body: str) -> Note:
    require_tenant_schema()
    body = text_clean(body, max_chars=5000)
    if not body:
        raise ValidationError({"body": _("Write something in the note.")})
    note.body = body
    note.save(update_fields=["body"])
    return note


def note_delete(*, note: Note) -> None:
    require_tenant_schema()
    note.delete()


def task_update(*, task: Task, title: str, due_at: datetime | None) -> Task:
    """Renames the task and moves its due date; the reminder before it follows the date (or goes, without one)."""
    require_tenant_schema()
    title = text_clean(title, max_chars=200)
    if not title:
        raise ValidationError({"title": _("Say what the task is.")})
    if due_at is not None and timezone.is_naive(due_at):
        raise ValidationError({"due_at": _("Give the date with its time zone.")})
    with transaction.atomic():
        moved = due_at != task.due_at
        task.title, task.due_at = title, due_at
        task.save(update_fields=["title", "due_at"])
        if moved and task.done_at is None:
            # A fresh reminder for the new date: the old one's dedupe key is freed by deleting it if never sent.
            task.reminders.filter(status=Reminder.Status.SCHEDULED).delete()
            if not task.reminders.exists():
                reminders.reminder_schedule_for_task(task=task)
    return task


def task_delete(*, task: Task) -> None:
    """Deletes the task with its reminders (sent ones' notifications go with them)."""
    require_tenant_schema()
    task.delete()
