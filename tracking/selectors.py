"""Reads for the seeker's own data. Every selector takes the user (or an object already scoped to them) and returns a
queryset with what its callers display joined in, so a list costs the same number of queries for 1 row or 50.

Callers that look objects up by id from a request (tracking/api/) apply the owner filter once more in their base
class: a selector that forgot to scope would still not leak.
"""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import User
from tracking.models import (
    Application,
    ApplicationEvent,
    Contact,
    CVDocument,
    JobPosting,
    Note,
    Notification,
    Reminder,
    Task,
)

# Columns a CV list leaves out: the extracted text and parsed sections can be large and are read one CV at a time.
CV_LIST_DEFERRED = ("text", "parsed")


def cv_list(*, user: User) -> QuerySet[CVDocument]:
    return CVDocument.objects.filter(owner=user).defer(*CV_LIST_DEFERRED).order_by("-version")


def cv_get(*, user: User, pk: int) -> CVDocument | None:
    return CVDocument.objects.filter(owner=user, pk=pk).first()


def posting_list(*, user: User) -> QuerySet[JobPosting]:
    return JobPosting.objects.filter(owner=user).order_by("-created_at", "-pk")


def posting_get(*, user: User, pk: int) -> JobPosting | None:
    return JobPosting.objects.filter(owner=user, pk=pk).first()


def application_list(*, user: User, stage: str | None = None) -> QuerySet[Application]:
    applications = Application.objects.filter(owner=user).select_related("posting").order_by("-stage_changed_at", "-pk")
    if stage:
        applications = applications.filter(stage=stage)
    return applications


def application_get(*, user: User, pk: int) -> Application | None:
    return application_list(user=user).filter(pk=pk).first()


def application_event_list(*, user: User, application_id: int | None = None) -> QuerySet[ApplicationEvent]:
    events = ApplicationEvent.objects.filter(application__owner=user).order_by("occurred_at", "pk")
    return events if application_id is None else events.filter(application_id=application_id)


def contact_list(*, user: User, application_id: int | None = None) -> QuerySet[Contact]:
    contacts = Contact.objects.filter(application__owner=user).order_by("name", "pk")
    return contacts if application_id is None else contacts.filter(application_id=application_id)


def note_list(*, user: User, application_id: int | None = None) -> QuerySet[Note]:
    notes = Note.objects.filter(application__owner=user).order_by("-created_at", "-pk")
    return notes if application_id is None else notes.filter(application_id=application_id)


def task_list(*, user: User, application_id: int | None = None) -> QuerySet[Task]:
    tasks = Task.objects.filter(application__owner=user).order_by("done_at", "due_at", "pk")
    return tasks if application_id is None else tasks.filter(application_id=application_id)


def reminder_list(*, user: User) -> QuerySet[Reminder]:
    return Reminder.objects.filter(owner=user).select_related("application__posting", "task").order_by("due_at", "pk")


def notification_list(*, user: User, unread_only: bool = False) -> QuerySet[Notification]:
    notifications = Notification.objects.filter(user=user).order_by("-created_at", "-pk")
    return notifications.filter(read_at__isnull=True) if unread_only else notifications
