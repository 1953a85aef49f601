"""Interviews on an application: schedule, change, cancel, and the .ics file for a calendar.

Every lookup goes through ``owned``: another user's interview (or application) is a 404, the calendar file too."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tracking.forms import form_errors_from
from tracking.interviews import services
from tracking.interviews.forms import InterviewForm
from tracking.interviews.ics import CalendarEvent, calendar_file
from tracking.interviews.selectors import interview_for_calendar
from tracking.models import Application, Interview
from tracking.selectors import owned
from tracking.views.applications import render_application


def _to_application(application_id: int) -> HttpResponse:
    return redirect(reverse("tracking:application", args=[application_id]) + "#interviews")


@login_required
@require_POST
def interview_add(request: HttpRequest, pk: int) -> HttpResponse:
    application = owned(Application, user=request.user, pk=pk)
    form = InterviewForm(request.POST, application=application)
    if form.is_valid():
        try:
            services.interview_schedule(application=application, by=request.user, details=form.details())
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Interview scheduled."))
            return _to_application(application.pk)
    return render_application(request, application.pk, interview_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def interview_edit(request: HttpRequest, pk: int) -> HttpResponse:
    interview = owned(Interview, user=request.user, pk=pk, queryset=Interview.objects.select_related("application"))
    if request.method == "POST":
        form = InterviewForm(request.POST, application=interview.application, prefix_id=f"interview-{interview.pk}")
        if form.is_valid():
            try:
                services.interview_update(interview=interview, by=request.user, details=form.details())
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                messages.success(request, _("Interview updated."))
                return _to_application(interview.application_id)
    else:
        form = InterviewForm.for_interview(interview)
    context = {"interview": interview, "application": interview.application, "form": form}
    return render(request, "tracking/interview_form.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def interview_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    interview = owned(Interview, user=request.user, pk=pk, queryset=Interview.objects.select_related("application"))
    services.interview_cancel(interview=interview, by=request.user)
    messages.success(request, _("Interview cancelled."))
    return _to_application(interview.application_id)


@login_required
@require_GET
def interview_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    """The interview as an .ics file, in the language of the page it was downloaded from."""
    interview = interview_for_calendar(user=request.user, pk=pk)
    posting = interview.application.posting
    application_url = request.build_absolute_uri(reverse("tracking:application", args=[interview.application_id]))
    people = [interview.people] if interview.people else []
    people += [
        f"{contact.name} ({contact.role})" if contact.role else contact.name for contact in interview.contacts.all()
    ]
    description = [_("Time zone: %(zone)s") % {"zone": interview.time_zone}]
    if people:
        description.append(_("People: %(people)s") % {"people": "; ".join(people)})
    if interview.notes:
        description.append(interview.notes)
    description.append(_("Your application in CVPlus: %(url)s") % {"url": application_url})
    event = CalendarEvent(
        uid=f"{interview.uid}@cvplus",
        sequence=interview.sequence,
        starts_at=interview.starts_at,
        ends_at=interview.ends_at,
        summary=_("%(kind)s: %(title)s at %(company)s")
        % {"kind": capfirst(interview.get_kind_display()), "title": posting.title, "company": posting.company},
        location=interview.location,
        description="\n\n".join(description),
        url=application_url,
        cancelled=interview.is_cancelled,
    )
    response = HttpResponse(calendar_file(event, now=timezone.now()), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="interview-{interview.pk}.ics"'
    return response
