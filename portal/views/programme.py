"""Portal pages: programme tools (issue 13, item 4). Board templates, goals and announcements for administrators and
coaches (``access.can_run_programme``); a member's own task and check-in buttons on the portal's front page.
Everyone else gets a 404 from ``access.portal_view``."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User
from portal import access
from portal.announcements import announcement_delete, announcement_list, announcement_publish
from portal.forms_programme import (
    AnnouncementForm,
    AudienceForm,
    CheckInForm,
    GoalForm,
    TaskDoneForm,
    TemplateForm,
)
from portal.goals import (
    check_in_enrolment_get,
    goal_check_in,
    goal_delete,
    goal_enrol,
    goal_list,
    goal_report,
    goal_save,
)
from portal.models import Announcement, BoardTemplate, Goal
from portal.programme import member_task_done
from portal.templates_service import template_apply, template_delete, template_list, template_save
from tracking.forms import form_errors_from
from tracking.models import Stage

programme_staff = access.portal_view(access.can_run_programme)


def _is_member(user) -> bool:
    return user.is_authenticated and not user.is_staff and user.role == User.Role.MEMBER


member_only = access.portal_view(_is_member)


# ---------------------------------------------------------------------------------------------------------------------
# Board templates
# ---------------------------------------------------------------------------------------------------------------------
@require_GET
@programme_staff
def templates(request: HttpRequest) -> HttpResponse:
    board_templates = list(template_list())
    for template in board_templates:
        template.stage_pills = _stage_pills(template)
    return render(request, "portal/programme/templates.html", {"templates": board_templates})


def _stage_pills(template: BoardTemplate) -> list[tuple[str, str]]:
    return [(stage, Stage(stage).label) for stage in template.stages if stage in Stage.values]


def _form_page(
    request: HttpRequest,
    *,
    form_class: type[forms.Form],
    instance: object | None,
    save: Callable[[forms.Form], HttpResponse],
    template_name: str,
    context: dict | None = None,
) -> HttpResponse:
    """GET: the form, filled from ``instance`` when there is one. POST: ``save(form)`` answers (a service's refusal
    goes next to its field), or the form comes back with its errors (400)."""
    context = context or {}
    if request.method != "POST":
        form = form_class(initial=form_class.initial_from(instance) if instance is not None else None)
        return render(request, template_name, context | {"form": form})
    form = form_class(request.POST)
    if form.is_valid():
        try:
            return save(form)
        except ValidationError as error:
            form_errors_from(form, error)
    return render(request, template_name, context | {"form": form}, status=400)


def _template_form_page(request: HttpRequest, template: BoardTemplate | None) -> HttpResponse:
    def save(form: TemplateForm) -> HttpResponse:
        saved = template_save(actor=request.user, fields=form.fields_for_service(), template=template)
        messages.success(request, _("Saved the board template “%(name)s”.") % {"name": saved.name})
        return redirect("portal:templates")

    return _form_page(
        request,
        form_class=TemplateForm,
        instance=template,
        save=save,
        template_name="portal/programme/template_form.html",
        context={"template": template},
    )


@require_http_methods(["GET", "POST"])
@programme_staff
def template_new(request: HttpRequest) -> HttpResponse:
    return _template_form_page(request, None)


@require_http_methods(["GET", "POST"])
@programme_staff
def template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _template_form_page(request, get_object_or_404(BoardTemplate, pk=pk))


@require_POST
@programme_staff
def template_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    template = get_object_or_404(BoardTemplate, pk=pk)
    template_delete(actor=request.user, template=template)
    messages.success(request, _("Deleted the board template “%(name)s”.") % {"name": template.name})
    return redirect("portal:templates")


@require_http_methods(["GET", "POST"])
@programme_staff
def template_apply_view(request: HttpRequest, pk: int) -> HttpResponse:
    template = get_object_or_404(BoardTemplate, pk=pk)
    form = AudienceForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        summary = template_apply(actor=request.user, template=template, members=form.chosen_members())
        messages.success(request, summary.message(template))
        return redirect("portal:templates")
    return render(
        request,
        "portal/programme/template_apply.html",
        {"template": template, "form": form, "stage_pills": _stage_pills(template)},
        status=400 if form.is_bound else 200,
    )


# ---------------------------------------------------------------------------------------------------------------------
# Goals
# ---------------------------------------------------------------------------------------------------------------------
@require_GET
@programme_staff
def goals(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/programme/goals.html", {"goals": goal_list(viewer=request.user)})


def _goal_form_page(request: HttpRequest, goal: Goal | None) -> HttpResponse:
    def save(form: GoalForm) -> HttpResponse:
        saved, enrolled = goal_save(actor=request.user, fields=form.fields_for_service(), goal=goal)
        done = _("Saved the goal “%(title)s”.") % {"title": saved.title}
        messages.success(request, f"{done} {_enrolled_message(enrolled)}" if enrolled else done)
        return redirect("portal:goal", pk=saved.pk)

    return _form_page(
        request,
        form_class=GoalForm,
        instance=goal,
        save=save,
        template_name="portal/programme/goal_form.html",
        context={"goal": goal, "organisation_time_zone": settings.TIME_ZONE},
    )


def _enrolled_message(count: int) -> str:
    return ngettext("Enrolled %(count)d member.", "Enrolled %(count)d members.", count) % {"count": count}


@require_http_methods(["GET", "POST"])
@programme_staff
def goal_new(request: HttpRequest) -> HttpResponse:
    return _goal_form_page(request, None)


@require_http_methods(["GET", "POST"])
@programme_staff
def goal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _goal_form_page(request, get_object_or_404(Goal, pk=pk))


def _goal_page(request: HttpRequest, goal: Goal, enrol_form: AudienceForm, status: int = 200) -> HttpResponse:
    context = {
        "goal": goal,
        "report": goal_report(goal=goal, viewer=request.user),
        "enrol_form": enrol_form,
        "organisation_time_zone": settings.TIME_ZONE,
    }
    return render(request, "portal/programme/goal.html", context, status=status)


@require_GET
@programme_staff
def goal(request: HttpRequest, pk: int) -> HttpResponse:
    goal = get_object_or_404(Goal.objects.select_related("cohort"), pk=pk)
    return _goal_page(request, goal, AudienceForm(actor=request.user))


@require_POST
@programme_staff
def goal_enrol_view(request: HttpRequest, pk: int) -> HttpResponse:
    goal = get_object_or_404(Goal.objects.select_related("cohort"), pk=pk)
    form = AudienceForm(request.POST, actor=request.user)
    if not form.is_valid():
        return _goal_page(request, goal, form, status=400)
    enrolled = goal_enrol(actor=request.user, goal=goal, members=form.chosen_members())
    messages.success(request, _enrolled_message(enrolled))
    return redirect("portal:goal", pk=goal.pk)


@require_POST
@programme_staff
def goal_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    goal = get_object_or_404(Goal, pk=pk)
    goal_delete(actor=request.user, goal=goal)
    messages.success(request, _("Deleted the goal “%(title)s”.") % {"title": goal.title})
    return redirect("portal:goals")


# ---------------------------------------------------------------------------------------------------------------------
# Announcements
# ---------------------------------------------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
@programme_staff
def announcements(request: HttpRequest) -> HttpResponse:
    def save(form: AnnouncementForm) -> HttpResponse:
        published = announcement_publish(actor=request.user, **form.cleaned_data)
        messages.success(request, _("Published “%(title)s”.") % {"title": published.title})
        return redirect("portal:announcements")

    return _form_page(
        request,
        form_class=AnnouncementForm,
        instance=None,
        save=save,
        template_name="portal/programme/announcements.html",
        context={"announcements": announcement_list()},
    )


@require_POST
@programme_staff
def announcement_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    announcement = get_object_or_404(Announcement, pk=pk)
    announcement_delete(actor=request.user, announcement=announcement)
    messages.success(request, _("Deleted the announcement “%(title)s”.") % {"title": announcement.title})
    return redirect("portal:announcements")


# ---------------------------------------------------------------------------------------------------------------------
# A member's own programme (shown on the portal's front page)
# ---------------------------------------------------------------------------------------------------------------------
@require_POST
@member_only
def my_task_done(request: HttpRequest, pk: int) -> HttpResponse:
    form = TaskDoneForm(request.POST)
    done = form.cleaned_data["done"] if form.is_valid() else True
    task = member_task_done(member=request.user, task_id=pk, done=done)
    if done:
        messages.success(request, _("Well done: “%(task)s” is ticked off.") % {"task": task.title})
    else:
        messages.success(request, _("“%(task)s” is open again.") % {"task": task.title})
    return redirect("portal:home")


@require_POST
@member_only
def my_goal_check_in(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = check_in_enrolment_get(member=request.user, enrolment_id=pk)
    form = CheckInForm(request.POST)
    if form.is_valid():
        try:
            goal_check_in(member=request.user, enrolment=enrolment, **form.cleaned_data)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Recorded: it counts towards “%(goal)s”.") % {"goal": enrolment.goal.title})
            return redirect("portal:home")
    for field_messages in form.errors.values():
        for message in field_messages:
            messages.error(request, message)
    return redirect("portal:home")
