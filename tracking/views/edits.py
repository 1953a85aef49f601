"""Correcting what was saved, reopening, and deleting with undo. Every lookup goes through ``owned`` (or the same
owner filter on ``all_objects`` for an undo), so another user's object is a 404; a refused form is a 400 with the
errors next to their fields and nothing written."""

from __future__ import annotations

import time
from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tracking import deletion, edits
from tracking.forms import ContactForm, NoteForm, TaskForm, form_errors_from
from tracking.forms_edit import ApplicationEditForm, PostingEditForm, ReopenForm
from tracking.models import Application, Contact, JobPosting, Note, Task
from tracking.selectors import owned
from tracking.views import applications as application_views


def _edit_page(
    request: HttpRequest,
    *,
    form: forms.Form,
    title: str,
    cancel_url: str,
    template: str = "tracking/edit_form.html",
    **context: object,
) -> HttpResponse:
    context = {"form": form, "title": title, "cancel_url": cancel_url, **context}
    return render(request, template, context, status=400 if form.errors else 200)


def _saved(form: forms.Form, write: Callable[[], object]) -> bool:
    """Runs the service when the form is valid; its refusal lands on the form. True when written."""
    if not form.is_valid():
        return False
    try:
        write()
    except ValidationError as error:
        form_errors_from(form, error)
        return False
    return True


def _undo_offer(request: HttpRequest) -> None:
    request.session[deletion.UNDO_SESSION_KEY] = time.time() + deletion.UNDO_WINDOW.total_seconds()


def _application_url(application_id: int) -> str:
    return reverse("tracking:application", args=[application_id])


# ---------------------------------------------------------------------------------------------------------------------
# Postings
# ---------------------------------------------------------------------------------------------------------------------
def _posting_home(posting: JobPosting) -> str:
    """Where a posting is seen: its newest application's page, else the board."""
    application_id = posting.applications.order_by("-pk").values_list("pk", flat=True).first()
    return _application_url(application_id) if application_id else reverse("tracking:board")


@login_required
@require_http_methods(["GET", "POST"])
def posting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    posting = owned(JobPosting, user=request.user, pk=pk)
    if request.method == "POST":
        form = PostingEditForm(request.POST, owner=request.user)
        if _saved(form, lambda: edits.posting_update(posting=posting, **form.posting_data())):
            messages.success(request, _("The posting is updated."))
            return redirect(_posting_home(posting))
    else:
        form = PostingEditForm(owner=request.user, initial=PostingEditForm.initial_from(posting))
    return _edit_page(
        request,
        form=form,
        title=_("Edit the posting"),
        cancel_url=_posting_home(posting),
        template="tracking/posting_edit.html",
        posting=posting,
    )


@login_required
@require_http_methods(["GET", "POST"])
def posting_delete(request: HttpRequest, pk: int) -> HttpResponse:
    posting = owned(JobPosting, user=request.user, pk=pk)
    if request.method == "POST":
        deletion.posting_delete(posting=posting, by=request.user)
        _undo_offer(request)
        messages.warning(
            request,
            _("Deleted “%(job)s”. You can undo this on your board for %(minutes)s minutes.")
            % {"job": posting.title, "minutes": int(deletion.UNDO_WINDOW.total_seconds() // 60)},
        )
        return redirect("tracking:board")
    context = {
        "what": _("the posting “%(job)s” at %(company)s") % {"job": posting.title, "company": posting.company},
        "applications": posting.applications.count(),
        "cancel_url": _posting_home(posting),
        "undoable": True,
        "minutes": int(deletion.UNDO_WINDOW.total_seconds() // 60),
    }
    return render(request, "tracking/confirm_delete.html", context)


@login_required
@require_POST
def posting_restore(request: HttpRequest, pk: int) -> HttpResponse:
    posting = get_object_or_404(JobPosting.all_objects.filter(owner=request.user, deleted_at__isnull=False), pk=pk)
    try:
        deletion.posting_restore(posting=posting, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("tracking:board")
    messages.success(request, _("Restored “%(job)s”.") % {"job": posting.title})
    return redirect(_posting_home(posting))


# ---------------------------------------------------------------------------------------------------------------------
# Applications
# ---------------------------------------------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    application = owned(Application, user=request.user, pk=pk, queryset=Application.objects.select_related("posting"))
    if request.method == "POST":
        form = ApplicationEditForm(request.POST, application=application)

        def write() -> None:
            edits.application_update(
                application=application,
                channel=form.cleaned_data["channel"],
                cv=form.cleaned_data["cv"],
                applied_at=form.applied_at(application),
            )

        if _saved(form, write):
            messages.success(request, _("The application is updated."))
            return redirect("tracking:application", application.pk)
    else:
        form = ApplicationEditForm(application=application, initial=ApplicationEditForm.initial_from(application))
    title = _("Edit how you applied to “%(job)s”") % {"job": application.posting.title}
    return _edit_page(request, form=form, title=title, cancel_url=_application_url(application.pk))


@login_required
@require_http_methods(["GET", "POST"])
def application_delete(request: HttpRequest, pk: int) -> HttpResponse:
    application = owned(Application, user=request.user, pk=pk, queryset=Application.objects.select_related("posting"))
    if request.method == "POST":
        deletion.application_delete(application=application, by=request.user)
        _undo_offer(request)
        messages.warning(
            request,
            _("Deleted your application for “%(job)s”. You can undo this on your board for %(minutes)s minutes.")
            % {"job": application.posting.title, "minutes": int(deletion.UNDO_WINDOW.total_seconds() // 60)},
        )
        return redirect("tracking:board")
    context = {
        "what": _("your application for “%(job)s” at %(company)s")
        % {"job": application.posting.title, "company": application.posting.company},
        "cancel_url": _application_url(application.pk),
        "undoable": True,
        "minutes": int(deletion.UNDO_WINDOW.total_seconds() // 60),
    }
    return render(request, "tracking/confirm_delete.html", context)


@login_required
@require_POST
def application_restore(request: HttpRequest, pk: int) -> HttpResponse:
    queryset = Application.all_objects.filter(owner=request.user, deleted_at__isnull=False).select_related("posting")
    application = get_object_or_404(queryset, pk=pk)
    try:
        deletion.application_restore(application=application, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("tracking:board")
    messages.success(request, _("Restored your application for “%(job)s”.") % {"job": application.posting.title})
    return redirect("tracking:application", application.pk)


@login_required
@require_POST
def application_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    application = owned(Application, user=request.user, pk=pk, queryset=Application.objects.select_related("posting"))
    form = ReopenForm(request.POST, stages=edits.application_reopen_stages(application=application))
    if _saved(
        form,
        lambda: edits.application_reopen(
            application=application,
            by=request.user,
            to_stage=form.cleaned_data["to_stage"],
            note=form.cleaned_data["note"],
        ),
    ):
        messages.success(request, _("Reopened “%(job)s”.") % {"job": application.posting.title})
        return redirect("tracking:application", application.pk)
    return application_views.render_application(request, application.pk, reopen_form=form)


# ---------------------------------------------------------------------------------------------------------------------
# Contacts, notes and tasks: an edit page and a confirmed delete each
# ---------------------------------------------------------------------------------------------------------------------
def _attached(request: HttpRequest, model: type[Model], pk: int) -> Model:
    return owned(model, user=request.user, pk=pk, queryset=model.objects.select_related("application__posting"))


def _attached_delete(request: HttpRequest, item: Model, *, what: str, delete: Callable[[], None]) -> HttpResponse:
    back_to = _application_url(item.application_id)
    if request.method == "POST":
        delete()
        messages.success(request, _("Deleted %(what)s.") % {"what": what})
        return redirect(back_to)
    return render(request, "tracking/confirm_delete.html", {"what": what, "cancel_url": back_to})


@login_required
@require_http_methods(["GET", "POST"])
def contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contact = _attached(request, Contact, pk)
    form = ContactForm(
        request.POST or None, initial={f: getattr(contact, f) for f in ("name", "role", "email", "phone")}
    )
    if request.method == "POST" and _saved(form, lambda: edits.contact_update(contact=contact, **form.cleaned_data)):
        messages.success(request, _("The contact is updated."))
        return redirect("tracking:application", contact.application_id)
    return _edit_page(
        request, form=form, title=_("Edit the contact"), cancel_url=_application_url(contact.application_id)
    )


@login_required
@require_http_methods(["GET", "POST"])
def contact_delete(request: HttpRequest, pk: int) -> HttpResponse:
    contact = _attached(request, Contact, pk)
    what = _("the contact %(name)s") % {"name": contact.name}
    return _attached_delete(request, contact, what=what, delete=lambda: edits.contact_delete(contact=contact))


@login_required
@require_http_methods(["GET", "POST"])
def note_edit(request: HttpRequest, pk: int) -> HttpResponse:
    note = _attached(request, Note, pk)
    form = NoteForm(request.POST or None, initial={"body": note.body})
    if request.method == "POST" and _saved(form, lambda: edits.note_update(note=note, body=form.cleaned_data["body"])):
        messages.success(request, _("The note is updated."))
        return redirect("tracking:application", note.application_id)
    return _edit_page(request, form=form, title=_("Edit the note"), cancel_url=_application_url(note.application_id))


@login_required
@require_http_methods(["GET", "POST"])
def note_delete(request: HttpRequest, pk: int) -> HttpResponse:
    note = _attached(request, Note, pk)
    return _attached_delete(request, note, what=_("the note"), delete=lambda: edits.note_delete(note=note))


@login_required
@require_http_methods(["GET", "POST"])
def task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    task = _attached(request, Task, pk)
    initial = {"title": task.title, "due_on": timezone.localdate(task.due_at) if task.due_at else None}
    form = TaskForm(request.POST or None, initial=initial)
    if request.method == "POST" and _saved(
        form, lambda: edits.task_update(task=task, title=form.cleaned_data["title"], due_at=form.due_at())
    ):
        messages.success(request, _("The task is updated."))
        return redirect("tracking:application", task.application_id)
    return _edit_page(request, form=form, title=_("Edit the task"), cancel_url=_application_url(task.application_id))


@login_required
@require_http_methods(["GET", "POST"])
def task_delete(request: HttpRequest, pk: int) -> HttpResponse:
    task = _attached(request, Task, pk)
    what = _("the task “%(task)s”") % {"task": task.title}
    return _attached_delete(request, task, what=what, delete=lambda: edits.task_delete(task=task))
