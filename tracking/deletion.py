"""Deleting a posting or an application, undoing it, and purging what was not undone.

A delete marks the row (``deleted_at``): the default manager leaves it out, so the board, pages, API, figures and
predictions stop seeing it at once, while its history, contacts, notes, tasks and reminders stay untouched for
``UNDO_WINDOW``. Undo clears the mark and everything is as it was. After the window, ``deleted_purge`` (a periodic
task per tenant) deletes the rows for good, with what cascades from them, and unlinks the domain events that named
them, as an erasure does (privacy.erasure.domain_events_forget).

Deleting a posting deletes the applications made to it, with the same mark, so undoing the posting brings them back
together. The domain events ``application.deleted`` and ``application.restored`` keep the analytics' counts honest:
what was created, and what was taken away again.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from tenants.context import require_tenant_schema
from tracking.events import domain_event_record
from tracking.models import Application, DomainEvent, JobPosting, Reminder

UNDO_WINDOW = timedelta(minutes=10)
# The session's note of when the undo list may last have something in it (a Unix time); the board only looks before.
UNDO_SESSION_KEY = "tracking_undo_until"


def _deleted_mark(application: Application, *, deleted: bool, by: User, at: datetime) -> None:
    """Sets or clears the application's delete mark and records it as a domain event (deleted, or restored)."""
    application.deleted_at = at if deleted else None
    application.save(update_fields=["deleted_at"])
    kind = DomainEvent.Kind.APPLICATION_DELETED if deleted else DomainEvent.Kind.APPLICATION_RESTORED
    domain_event_record(kind=kind, actor_id=by.pk, subject_id=application.pk, payload={"key": application.stage}, at=at)


def application_delete(*, application: Application, by: User) -> Application:
    """Hides the application until it is restored or purged; its scheduled reminders wait with it (never sent while
    it is deleted, tracking.reminders.reminders_due_ids)."""
    require_tenant_schema()
    now = timezone.now()
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        _deleted_mark(application, deleted=True, by=by, at=now)
    return application


def posting_delete(*, posting: JobPosting, by: User) -> JobPosting:
    """Hides the posting and every application made to it, with one mark so that undo restores them together."""
    require_tenant_schema()
    now = timezone.now()
    with transaction.atomic():
        posting = JobPosting.objects.select_for_update().get(pk=posting.pk)
        applications = list(Application.objects.select_for_update().filter(posting=posting))
        for application in applications:
            _deleted_mark(application, deleted=True, by=by, at=now)
        posting.deleted_at = now
        posting.save(update_fields=["deleted_at"])
    return posting


def _restorable(deleted_at: datetime | None, *, field: str) -> None:
    if deleted_at is None:
        raise ValidationError({field: _("This is not deleted.")})
    if deleted_at < timezone.now() - UNDO_WINDOW:
        raise ValidationError({field: _("It is too late to undo this delete.")})


def application_restore(*, application: Application, by: User) -> Application:
    """Undoes ``application_delete`` within the window (its posting too, had that been deleted)."""
    require_tenant_schema()
    now = timezone.now()
    with transaction.atomic():
        application = Application.all_objects.select_for_update().get(pk=application.pk)
        _restorable(application.deleted_at, field="application")
        posting = JobPosting.all_objects.select_for_update().get(pk=application.posting_id)
        if posting.deleted_at is not None:
            posting.deleted_at = None
            posting.save(update_fields=["deleted_at"])
        _deleted_mark(application, deleted=False, by=by, at=now)
    return application


def posting_restore(*, posting: JobPosting, by: User) -> JobPosting:
    """Undoes ``posting_delete`` within the window, with the applications deleted along with it."""
    require_tenant_schema()
    now = timezone.now()
    with transaction.atomic():
        posting = JobPosting.all_objects.select_for_update().get(pk=posting.pk)
        _restorable(posting.deleted_at, field="posting")
        together = Application.all_objects.select_for_update().filter(posting=posting, deleted_at=posting.deleted_at)
        for application in together:
            _deleted_mark(application, deleted=False, by=by, at=now)
        posting.deleted_at = None
        posting.save(update_fields=["deleted_at"])
    return posting


def recently_deleted(*, user: User) -> tuple[list[Application], list[JobPosting]]:
    """What ``user`` deleted that can still be undone, newest first: applications deleted on their own, and postings
    (whose applications come back with them)."""
    since = timezone.now() - UNDO_WINDOW
    postings = list(
        JobPosting.all_objects.filter(owner=user, deleted_at__gte=since).order_by("-deleted_at", "-pk")[:10]
    )
    applications = list(
        Application.all_objects.filter(owner=user, deleted_at__gte=since, posting__deleted_at__isnull=True)
        .select_related("posting")
        .order_by("-deleted_at", "-pk")[:10]
    )
    return applications, postings


def deleted_purge(*, now: datetime | None = None) -> dict[str, int]:
    """Deletes for good what was deleted more than ``UNDO_WINDOW`` ago: applications first (with their history,
    contacts, notes, tasks, reminders and notifications), then postings no application still pins."""
    from privacy.erasure import domain_events_forget

    require_tenant_schema()
    cutoff = (now or timezone.now()) - UNDO_WINDOW
    with transaction.atomic():
        application_ids = list(Application.all_objects.filter(deleted_at__lt=cutoff).values_list("pk", flat=True))
        reminder_ids = list(Reminder.objects.filter(application_id__in=application_ids).values_list("pk", flat=True))
        applications, _by_model = Application.all_objects.filter(pk__in=application_ids).delete()
        domain_events_forget(application_ids=application_ids, reminder_ids=reminder_ids)
        postings, _by_model = (
            JobPosting.all_objects.filter(deleted_at__lt=cutoff).exclude(applications__isnull=False).delete()
        )
    return {"applications": len(application_ids), "postings": postings, "rows": applications}
