"""Portal pages for administrators: people, cohorts and the organisation's settings; and the member's own page on
what they share. Invitations are in portal/views/members_invitations.py. Every page asks portal/access.py; anything
out of reach is a 404."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User
from portal import access, people
from portal.forms_members import (
    AssignForm,
    CohortForm,
    OrganisationSettingsForm,
    PeopleFilterForm,
    RoleForm,
    SharingForm,
)
from portal.invitations import seats_summary
from portal.membership import membership_for, membership_sharing_set, memberships_ensure
from portal.models import Cohort, Membership, OrganisationSettings
from tracking.views._common import bad_query

PEOPLE_PER_PAGE = 50
FILTERS = ("q", "role", "status", "cohort", "coach", "page")
manager_view = access.portal_view(access.can_manage_members)


def _errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def attempt(request: HttpRequest, action: Callable[[], object], success: str) -> bool:
    """Runs a service call for a page that answers with a redirect: its refusal becomes error messages (the service
    wrote nothing), its success the ``success`` message."""
    try:
        action()
    except ValidationError as error:
        _errors(request, error)
        return False
    messages.success(request, success)
    return True


# ---------------------------------------------------------------------------------------------------------------------
# People
# ---------------------------------------------------------------------------------------------------------------------
def _people_filtered(chosen: dict[str, str]) -> QuerySet[User]:
    found = people.people_all().order_by("full_name", "email")
    if chosen["q"]:
        found = found.filter(Q(full_name__icontains=chosen["q"]) | Q(email__icontains=chosen["q"]))
    if chosen["role"]:
        found = found.filter(role=chosen["role"])
    if chosen["status"]:
        found = found.filter(membership__status=chosen["status"])
    for name in ("cohort", "coach"):
        if chosen[name] == "none":
            found = found.filter(role=User.Role.MEMBER, **{f"membership__{name}__isnull": True})
        elif chosen[name]:
            found = found.filter(**{f"membership__{name}_id": int(chosen[name])})
    return found


@require_GET
@manager_view
def people_list(request: HttpRequest) -> HttpResponse:
    filters = PeopleFilterForm(request.GET)
    if not filters.is_valid():
        return bad_query(request, filters)
    chosen = {name: value.strip() for name, value in filters.cleaned_data.items()}
    memberships_ensure()  # people who joined before the portal existed get their row (and a status) here
    page = Paginator(_people_filtered(chosen), PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    cohorts, coaches = list(Cohort.objects.all()), list(people.coaches_active())
    context = {
        "page": page,
        "chosen": chosen,
        "query": urlencode({name: value for name, value in chosen.items() if value}),
        "roles": User.Role.choices,
        "statuses": Membership.Status.choices,
        "cohorts": cohorts,
        "coaches": coaches,
        "assign_form": AssignForm(bulk=True, coaches=coaches, cohorts=cohorts),
        **seats_summary(),
    }
    return render(request, "portal/members/people.html", context)


def _back_to_people(request: HttpRequest) -> HttpResponse:
    """The list as it was filtered when the form was sent (only the list's own parameters are carried over)."""
    query = urlencode({name: request.POST[f"filter_{name}"] for name in FILTERS if request.POST.get(f"filter_{name}")})
    return redirect(reverse("portal:people") + (f"?{query}" if query else ""))


@require_POST
@manager_view
def people_bulk_assign(request: HttpRequest) -> HttpResponse:
    ids = [value for value in request.POST.getlist("people") if value.isdigit()]
    form = AssignForm(request.POST, bulk=True)
    chosen = people.people_all().filter(pk__in=ids)
    if not ids or not chosen:
        messages.error(request, _("Select at least one member in the list."))
        return _back_to_people(request)
    if not form.is_valid():
        messages.error(request, _("Choose a coach or a cohort from the lists."))
        return _back_to_people(request)
    try:
        assigned = people.memberships_assign(by=request.user, people=list(chosen), **form.choices())
    except ValidationError as error:
        _errors(request, error)
        return _back_to_people(request)
    messages.success(
        request,
        ngettext("%(count)s member updated.", "%(count)s members updated.", assigned.changed)
        % {"count": assigned.changed},
    )
    if assigned.skipped:
        messages.warning(
            request,
            ngettext(
                "%(count)s selected person is not a member and was left as they were.",
                "%(count)s selected people are not members and were left as they were.",
                assigned.skipped,
            )
            % {"count": assigned.skipped},
        )
    return _back_to_people(request)


def _person_context(request: HttpRequest, person: User) -> dict:
    membership = membership_for(person)
    assign_initial = {
        "coach": str(membership.coach_id) if membership.coach_id else "none",
        "cohort": str(membership.cohort_id) if membership.cohort_id else "none",
    }
    return {
        "person": person,
        "membership": membership,
        "is_self": person.pk == request.user.pk,
        "role_form": RoleForm(initial={"role": person.role}),
        "assign_form": AssignForm(initial=assign_initial),
        "export_url": _export_url(person),
        **seats_summary(),
    }


def _export_url(person: User) -> str | None:
    """The privacy area's download of a member's data (administrators export members; staff export their own)."""
    if person.role != User.Role.MEMBER:
        return None
    return reverse("privacy:member_export", args=[person.pk])


@require_GET
@manager_view
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = people.person_get(by=request.user, pk=pk)
    return render(request, "portal/members/person.html", _person_context(request, person))


@require_POST
@manager_view
def person_role(request: HttpRequest, pk: int) -> HttpResponse:
    person = people.person_get(by=request.user, pk=pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a role from the list."))
        return redirect("portal:person", pk=pk)
    try:
        unassigned = people.person_role_set(by=request.user, person=person, role=form.cleaned_data["role"])
    except ValidationError as error:
        _errors(request, error)
        return redirect("portal:person", pk=pk)
    person.refresh_from_db()
    messages.success(
        request,
        _("%(name)s is now %(role)s.") % {"name": person.get_full_name(), "role": person.get_role_display()},
    )
    if unassigned:
        messages.warning(
            request,
            ngettext(
                "%(count)s member no longer has a coach: assign another on the people page.",
                "%(count)s members no longer have a coach: assign another on the people page.",
                unassigned,
            )
            % {"count": unassigned},
        )
    if person.pk == request.user.pk and not access.can_manage_members(person):
        return redirect("portal:home")
    return redirect("portal:person", pk=pk)


@require_POST
@manager_view
def person_assign(request: HttpRequest, pk: int) -> HttpResponse:
    person = people.person_get(by=request.user, pk=pk)
    form = AssignForm(request.POST)
    if person.role != User.Role.MEMBER or not form.is_valid():
        messages.error(request, _("Only members are given a coach and a cohort."))
        return redirect("portal:person", pk=pk)
    attempt(
        request,
        lambda: people.memberships_assign(by=request.user, people=[person], **form.choices()),
        _("Coach and cohort saved."),
    )
    return redirect("portal:person", pk=pk)


@require_POST
@manager_view
def person_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    person = people.person_get(by=request.user, pk=pk)
    attempt(
        request,
        lambda: people.person_deactivate(by=request.user, person=person),
        _("%(name)s is deactivated: they can no longer sign in, and their data is kept.")
        % {"name": person.get_full_name()},
    )
    return redirect("portal:person", pk=pk)


@require_POST
@manager_view
def person_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    person = people.person_get(by=request.user, pk=pk)
    attempt(
        request,
        lambda: people.person_reactivate(by=request.user, person=person),
        _("%(name)s can sign in again.") % {"name": person.get_full_name()},
    )
    return redirect("portal:person", pk=pk)


@require_http_methods(["GET", "POST"])
@manager_view
def person_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Removing someone from the programme: their account is deactivated and their data stays theirs, offered for
    download here; erasing it is the privacy page's (on the member's request)."""
    person = people.person_get(by=request.user, pk=pk)
    if person.pk == request.user.pk:
        raise Http404
    removed = False
    if request.method == "POST":
        try:
            people.person_deactivate(by=request.user, person=person)
        except ValidationError as error:
            _errors(request, error)
            return redirect("portal:person", pk=pk)
        removed = True
    context = {**_person_context(request, person), "removed": removed}
    return render(request, "portal/members/person_remove.html", context)


# ---------------------------------------------------------------------------------------------------------------------
# Cohorts
# ---------------------------------------------------------------------------------------------------------------------
def _cohort_save(request: HttpRequest, form: CohortForm, cohort: Cohort | None) -> bool:
    if not form.is_valid():
        return False
    data = form.cleaned_data
    try:
        if cohort is None:
            people.cohort_create(by=request.user, name=data["name"], kind=data["kind"], starts_on=data["starts_on"])
        else:
            people.cohort_update(
                by=request.user, cohort=cohort, name=data["name"], kind=data["kind"], starts_on=data["starts_on"]
            )
    except ValidationError as error:
        form.add_error(None, error)
        return False
    return True


@require_http_methods(["GET", "POST"])
@manager_view
def cohort_list(request: HttpRequest) -> HttpResponse:
    form = CohortForm(request.POST or None)
    if request.method == "POST" and _cohort_save(request, form, None):
        messages.success(request, _("Cohort “%(name)s” created.") % {"name": form.cleaned_data["name"]})
        return redirect("portal:cohorts")
    context = {"cohorts": people.cohorts_with_counts(), "form": form}
    return render(request, "portal/members/cohorts.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@manager_view
def cohort_edit(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = get_object_or_404(Cohort, pk=pk)
    form = CohortForm(request.POST or None, instance=cohort)
    if request.method == "POST" and _cohort_save(request, form, cohort):
        messages.success(request, _("Cohort saved."))
        return redirect("portal:cohorts")
    context = {"cohort": cohort, "form": form, "blockers": people.cohort_delete_blockers(cohort)}
    return render(request, "portal/members/cohort_edit.html", context, status=400 if form.errors else 200)


@require_POST
@manager_view
def cohort_delete(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = get_object_or_404(Cohort, pk=pk)
    try:
        members = people.cohort_delete(by=request.user, cohort=cohort)
    except ValidationError as error:
        _errors(request, error)
        return redirect("portal:cohort_edit", pk=pk)
    messages.success(
        request,
        ngettext(
            "Cohort “%(name)s” deleted; %(count)s member no longer has a cohort.",
            "Cohort “%(name)s” deleted; %(count)s members no longer have a cohort.",
            members,
        )
        % {"name": cohort.name, "count": members},
    )
    return redirect("portal:cohorts")


# ---------------------------------------------------------------------------------------------------------------------
# The organisation's settings
# ---------------------------------------------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
@manager_view
def organisation_settings(request: HttpRequest) -> HttpResponse:
    form = OrganisationSettingsForm(request.POST or None, instance=OrganisationSettings.current())
    if request.method == "POST" and form.is_valid():
        try:
            people.organisation_settings_update(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Settings saved."))
            return redirect("portal:settings")
    return render(request, "portal/members/settings.html", {"form": form}, status=400 if form.errors else 200)


# ---------------------------------------------------------------------------------------------------------------------
# A member's own sharing choices
# ---------------------------------------------------------------------------------------------------------------------
def _is_member(user) -> bool:
    return user.is_authenticated and user.role == User.Role.MEMBER and not user.is_staff


@require_http_methods(["GET", "POST"])
@access.portal_view(_is_member)
def sharing(request: HttpRequest) -> HttpResponse:
    membership = membership_for(request.user)
    form = SharingForm(request.POST or None, instance=membership)
    if request.method == "POST" and form.is_valid():
        membership_sharing_set(
            user=request.user,
            applications=form.cleaned_data["share_applications"],
            cv=form.cleaned_data["share_cv"],
            notes=form.cleaned_data["share_notes"],
        )
        messages.success(request, _("Your choices are saved and apply at once."))
        return redirect("portal:sharing")
    context = {
        "form": form,
        "membership": membership,
        "coaches_see_all": OrganisationSettings.current().coaches_see_all_members,
    }
    return render(request, "portal/members/sharing.html", context)
