"""The coach's workspace, write side (issue 13, item 3): coach notes, tasks for a member, ticking a task done and
assigning a member's coach and cohort. Each view is a few lines around a service that checks access again; a refused
form re-renders the member page with the errors next to the fields (400)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from portal import access
from portal.assignment import membership_assign
from portal.coach_services import (
    coach_note_add,
    coach_note_delete,
    coach_note_update,
    coach_task_add,
    coach_task_done,
)
from portal.forms_coach import CoachNoteForm, CoachTaskForm
from portal.forms_members import AssignForm
from portal.models import CoachNote, CoachTask
from portal.views.coach import render_member
from tracking.forms import form_errors_from


def _to_member(pk: int, anchor: str) -> HttpResponse:
    response = redirect("portal:member", pk)
    response["Location"] += f"#{anchor}"
    return response


def _member_form(
    request: HttpRequest,
    pk: int,
    form: forms.Form,
    form_name: str,
    write: Callable[[User, forms.Form], str],
    anchor: str,
) -> HttpResponse:
    """The shape of the member page's forms: the member looked up within reach, the form checked, the service
    called by `write` (which returns the success message), then back to the member page; a refusal re-renders the
    page with the bound form (400)."""
    member = access.member_get(request.user, pk)
    if form.is_valid():
        try:
            done = write(member, form)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, done)
            return _to_member(pk, anchor)
    return render_member(request, pk, status=400, **{form_name: form})


def _note_added(request: HttpRequest, member: User, form: forms.Form) -> str:
    coach_note_add(author=request.user, member=member, body=form.cleaned_data["body"])
    return _("Note saved. Only coaches and administrators see it.")


@access.portal_view(access.can_coach)
@require_POST
def coach_note_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    write = partial(_note_added, request)
    return _member_form(request, pk, CoachNoteForm(request.POST), "note_form", write, "coach-notes")


def _own_note(request: HttpRequest, pk: int, note_pk: int) -> CoachNote:
    """The viewer's own note about member `pk`, else Http404."""
    access.member_get(request.user, pk)
    note = CoachNote.objects.filter(pk=note_pk, member_id=pk, author=request.user).first()
    if note is None:
        raise Http404
    return note


@access.portal_view(access.can_coach)
@require_http_methods(["GET", "POST"])
def coach_note_edit_view(request: HttpRequest, pk: int, note_pk: int) -> HttpResponse:
    note = _own_note(request, pk, note_pk)
    form = CoachNoteForm(request.POST or None, initial={"body": note.body})
    if request.method == "POST" and form.is_valid():
        try:
            coach_note_update(author=request.user, note=note, body=form.cleaned_data["body"])
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Note updated."))
            return _to_member(pk, "coach-notes")
    context = {"member": note.member, "note": note, "form": form}
    return render(request, "portal/coach/note_edit.html", context, status=400 if form.errors else 200)


@access.portal_view(access.can_coach)
@require_POST
def coach_note_delete_view(request: HttpRequest, pk: int, note_pk: int) -> HttpResponse:
    coach_note_delete(author=request.user, note=_own_note(request, pk, note_pk))
    messages.success(request, _("Note deleted."))
    return _to_member(pk, "coach-notes")


def _task_set(request: HttpRequest, member: User, form: forms.Form) -> str:
    data = form.cleaned_data
    coach_task_add(author=request.user, member=member, title=data["title"], due_on=data["due_on"])
    return _("Task set. %(name)s sees it on their programme page.") % {"name": member.get_short_name()}


@access.portal_view(access.can_coach)
@require_POST
def coach_task_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _member_form(request, pk, CoachTaskForm(request.POST), "task_form", partial(_task_set, request), "tasks")


def _in_the_organisation(user) -> bool:
    return user.is_authenticated and user.is_active and not user.is_staff


@access.portal_view(_in_the_organisation)
@require_POST
def task_done(request: HttpRequest, task_pk: int) -> HttpResponse:
    """Ticks a task done: the member it was set for (back to their programme page), or a coach or administrator who
    reaches them (back to the member page). Anyone else: 404."""
    task = CoachTask.objects.filter(pk=task_pk).first()
    if task is None:
        raise Http404
    coach_task_done(actor=request.user, task=task)
    messages.success(request, _("“%(task)s” is done.") % {"task": task.title})
    if request.user.pk == task.member_id:
        return redirect("portal:home")
    return _to_member(task.member_id, "tasks")


def _assigned(request: HttpRequest, member: User, form: AssignForm) -> str:
    membership_assign(actor=request.user, member=member, **form.choices())
    return _("Coach and cohort saved.")


@access.portal_view(access.can_manage_members)
@require_POST
def member_assign(request: HttpRequest, pk: int) -> HttpResponse:
    form = AssignForm(request.POST)
    return _member_form(request, pk, form, "assignment_form", partial(_assigned, request), "assignment")
