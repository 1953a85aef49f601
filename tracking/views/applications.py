"""One application's page and what is added to it; new postings and applications."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from predictions.application_panel import application_predictions, match_for_page
from predictions.comparison.service import application_comparison
from tracking import edits, services
from tracking.forms import (
    ApplicationForm,
    ApplicationNewQueryForm,
    ContactForm,
    MoveForm,
    NoteForm,
    PostingForm,
    SnoozeForm,
    TaskForm,
    form_errors_from,
    moment_from_date,
)
from tracking.forms_edit import ReopenForm
from tracking.interviews.forms import InterviewForm
from tracking.interviews.selectors import interviews_for_application, last_time_zone, timeline_with_interviews
from tracking.models import Application, JobPosting, Reminder, Stage, Task
from tracking.selectors import (
    application_for_page,
    application_reminders,
    application_timeline,
    owned,
)
from tracking.views._common import back, bad_query


def render_application(request: HttpRequest, pk: int, **bound_forms: forms.Form) -> HttpResponse:
    """The application page; a form that was refused is passed in bound, so its errors show next to its fields."""
    application = application_for_page(user=request.user, pk=pk)
    interviews = interviews_for_application(application=application)
    context = {
        "application": application,
        "posting": application.posting,
        "events": timeline_with_interviews(application_timeline(application=application), interviews),
        "interviews": interviews,
        "interview_form": InterviewForm(application=application, default_time_zone=last_time_zone(user=request.user)),
        "contacts": application.contacts.all(),
        "notes": application.notes.all(),
        "tasks": application.tasks.all(),
        "reminders": application_reminders(application=application),
        "move_form": MoveForm(application=application),
        "contact_form": ContactForm(),
        "note_form": NoteForm(),
        "task_form": TaskForm(),
        "snooze_form": SnoozeForm(),
        "scheduled": Reminder.Status.SCHEDULED,
        "is_open": bool(services.ALLOWED_MOVES.get(application.stage)),
        "reopen_form": ReopenForm(stages=edits.application_reopen_stages(application=application), auto_id="reopen-%s"),
    }
    context["predictions"] = application_predictions(user=request.user, application=application)
    context["match"] = match_for_page(context["predictions"])
    context["comparison"] = application_comparison(
        user=request.user, application=application, predictions=context["predictions"]
    )
    context.update(bound_forms)
    status = 400 if bound_forms else 200
    return render(request, "tracking/application.html", context, status=status)


@login_required
@require_http_methods(["GET"])
def application_page(request: HttpRequest, pk: int) -> HttpResponse:
    return render_application(request, pk)


def _add(request: HttpRequest, pk: int, form_class: type[forms.Form], form_name: str, write) -> HttpResponse:
    """Shared shape of the small add forms: scoped lookup, form, service, then back to the page."""
    application = owned(Application, user=request.user, pk=pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            write(application, form)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            return back(request, application)
    return render_application(request, application.pk, **{form_name: form})


@login_required
@require_POST
def contact_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _add(
        request,
        pk,
        ContactForm,
        "contact_form",
        lambda application, form: services.contact_add(application=application, **form.cleaned_data),
    )


@login_required
@require_POST
def note_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _add(
        request,
        pk,
        NoteForm,
        "note_form",
        lambda application, form: services.note_add(application=application, body=form.cleaned_data["body"]),
    )


@login_required
@require_POST
def task_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _add(
        request,
        pk,
        TaskForm,
        "task_form",
        lambda application, form: services.task_add(
            application=application, title=form.cleaned_data["title"], due_at=form.due_at()
        ),
    )


@login_required
@require_POST
def task_complete(request: HttpRequest, pk: int) -> HttpResponse:
    task = owned(Task, user=request.user, pk=pk, queryset=Task.objects.select_related("application"))
    if task.done_at is None:
        services.task_complete(task=task)
    return back(request, task.application)


# ---------------------------------------------------------------------------------------------------------------------
# New postings and applications
# ---------------------------------------------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def posting_new(request: HttpRequest) -> HttpResponse:
    """Saves a posting and its application: "save" keeps it as saved, "apply" records it as applied today."""
    form = PostingForm(request.POST or None, owner=request.user)
    if request.method == "POST" and form.is_valid():
        stage = Stage.APPLIED if request.POST.get("action") == "apply" else Stage.SAVED
        try:
            with transaction.atomic():
                posting = services.posting_create(owner=request.user, **form.posting_data())
                application = services.application_create(
                    owner=request.user,
                    posting=posting,
                    cv=form.cleaned_data["cv"],
                    channel=form.cleaned_data["channel"] or Application.Channel.JOB_BOARD,
                    stage=stage,
                )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            if stage == Stage.APPLIED:
                messages.success(request, _("Saved and marked as applied. We will remind you to follow up."))
            else:
                messages.success(request, _("Saved to your board."))
            return redirect("tracking:application", application.pk)
    return render(request, "tracking/posting_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def application_new(request: HttpRequest) -> HttpResponse:
    initial = {}
    query = ApplicationNewQueryForm(request.GET)
    if not query.is_valid():
        return bad_query(request, query)
    if query.cleaned_data["posting"] is not None:
        initial["posting"] = owned(JobPosting, user=request.user, pk=query.cleaned_data["posting"])
    form = ApplicationForm(request.POST or None, owner=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_create(
                owner=request.user,
                posting=form.cleaned_data["posting"],
                cv=form.cleaned_data["cv"],
                channel=form.cleaned_data["channel"],
                stage=form.cleaned_data["stage"],
                at=moment_from_date(form.cleaned_data["on"]),
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Application added to your board."))
            return redirect("tracking:application", application.pk)
    return render(request, "tracking/application_form.html", {"form": form}, status=400 if form.errors else 200)
