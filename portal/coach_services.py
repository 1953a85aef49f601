"""Writes of the coach's workspace (issue 13, item 3): private coach notes about a member and tasks set for a member.

Each service asks portal/access.py again before writing (a view's check is not enough): a member out of the actor's
reach, or a note that is not the actor's own, is ``Http404`` and nothing is written. Refusals of the input are a
ValidationError keyed by the field at fault, raised before anything is written.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from portal import access
from portal.models import CoachNote, CoachTask
from tenants.context import require_tenant_schema
from tracking.services import text_clean

NOTE_MAX_CHARS = 5000
TASK_TITLE_MAX_CHARS = 200


def _note_body(body: str) -> str:
    cleaned = text_clean(body, max_chars=NOTE_MAX_CHARS)
    if not cleaned:
        raise ValidationError({"body": _("Write something in the note.")})
    return cleaned


def coach_note_add(*, author: User, member: User, body: str) -> CoachNote:
    """A private note about `member`, visible to the organisation's coaches and administrators who reach them."""
    require_tenant_schema()
    access.member_get(author, member.pk)
    return CoachNote.objects.create(member=member, author=author, body=_note_body(body))


def _own_note(author: User, note: CoachNote) -> CoachNote:
    """The note, locked, when `author` wrote it and still reaches its member; Http404 otherwise."""
    access.member_get(author, note.member_id)
    locked = CoachNote.objects.select_for_update().filter(pk=note.pk, author=author).first()
    if locked is None:
        raise Http404
    return locked


def coach_note_update(*, author: User, note: CoachNote, body: str) -> CoachNote:
    """Rewrites the author's own note."""
    require_tenant_schema()
    body = _note_body(body)
    with transaction.atomic():
        note = _own_note(author, note)
        note.body = body
        note.save(update_fields=["body"])
    return note


def coach_note_delete(*, author: User, note: CoachNote) -> None:
    """Deletes the author's own note."""
    require_tenant_schema()
    with transaction.atomic():
        _own_note(author, note).delete()


def coach_task_add(*, author: User, member: User, title: str, due_on: date | None = None) -> CoachTask:
    """A task for `member`, shown on their programme page until they (or a coach) tick it done."""
    require_tenant_schema()
    access.member_get(author, member.pk)
    title = text_clean(title, max_chars=TASK_TITLE_MAX_CHARS)
    errors = {}
    if not title:
        errors["title"] = _("Say what the task is.")
    if due_on is not None and due_on < timezone.localdate():
        errors["due_on"] = _("The due date cannot be in the past.")
    if errors:
        raise ValidationError(errors)
    return CoachTask.objects.create(member=member, author=author, title=title, due_on=due_on)


def coach_task_done(*, actor: User, task: CoachTask) -> CoachTask:
    """Ticks the task done, by the member it was set for or by a coach or administrator who reaches them; Http404
    for anyone else. Idempotent: the first time it was done is kept."""
    require_tenant_schema()
    if actor.pk != task.member_id:
        access.member_get(actor, task.member_id)
    CoachTask.objects.filter(pk=task.pk, done_at__isnull=True).update(done_at=timezone.now())
    task.refresh_from_db(fields=["done_at"])
    return task
