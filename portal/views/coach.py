"""The coach's workspace, read side (issue 13, item 3): the member list, a member's page, and what the member shares
(their board, one application with its history and predictions, their CV, their notes).

Every view is an ``access.portal_view(access.can_coach)``: administrators and coaches on an enterprise host, a 404
for anyone else. A member out of the viewer's reach is a 404 (``member_summary`` / ``access.member_get``), and so is
the URL of anything the member does not share; the member page says "not shared" in its place.
"""

from __future__ import annotations

from django import forms
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.models import User
from portal import access, coaching, member_figures
from portal.forms_coach import CoachNoteForm, CoachTaskForm, MemberListQueryForm
from portal.forms_members import NONE, AssignForm
from portal.models import OrganisationSettings
from predictions.application_panel import application_predictions, match_for_page
from predictions.comparison.service import application_comparison
from tracking.forms import BoardQueryForm
from tracking.selectors import application_for_page, application_timeline, board_for
from tracking.views.cv import cv_file_response

NOTES_ON_MEMBER_PAGE = 10


def _bad_query(request: HttpRequest, form: forms.Form) -> HttpResponse:
    """A 400 page naming each query parameter that was refused."""
    return render(request, "400.html", {"errors": form.errors}, status=400)


def _shared_or_404(viewer: User, pk: int, part: str) -> tuple[User, access.Shared]:
    member = access.member_get(viewer, pk)
    shared = access.shared_with(viewer, member)
    if not getattr(shared, part):
        raise Http404
    return member, shared


def _sees_every_coach(viewer: User) -> bool:
    return access.can_manage_members(viewer) or OrganisationSettings.current().coaches_see_all_members


@access.portal_view(access.can_coach)
@require_GET
def member_list(request: HttpRequest) -> HttpResponse:
    query = MemberListQueryForm(request.GET, with_coach=_sees_every_coach(request.user))
    if not query.is_valid():
        return _bad_query(request, query)
    page = member_figures.member_page(request.user, query.filters(), page=query.page_number())
    context = {
        "query": query,
        "page": page,
        "columns": member_figures.column_labels(),
        "filtered": any(query.cleaned_data.get(name) for name in ("q", "cohort", "coach", "flag")),
        "filters_open": any(name != "page" for name in request.GET),
    }
    return render(request, "portal/coach/members.html", context)


def render_member(
    request: HttpRequest, pk: int, *, show: str = "", status: int = 200, **bound: forms.Form
) -> HttpResponse:
    """The member page, its board showing every card of the `show` stage; a refused form is passed in bound, so its
    errors show next to its fields."""
    viewer = request.user
    row = member_figures.member_summary(viewer, pk)
    member = row.member
    shared = access.shared_with(viewer, member)
    membership = getattr(member, "membership", None)
    context = {
        "row": row,
        "member": member,
        "membership": membership,
        "shared": shared,
        "sharing": coaching.sharing_sentence(member, shared),
        "board": board_for(user=member, show_all=show) if shared.applications else None,
        "cv": coaching.latest_cv(member) if shared.cv else None,
        "own": coaching.member_own_notes(member, limit=NOTES_ON_MEMBER_PAGE) if shared.notes else None,
        "coach_notes": coaching.coach_notes_for(member),
        "tasks": coaching.member_tasks(member),
        "note_form": CoachNoteForm(),
        "task_form": CoachTaskForm(),
        "can_assign": access.can_manage_members(viewer),
    }
    if context["can_assign"]:
        context["assignment_form"] = AssignForm(
            initial={
                "coach": str(getattr(membership, "coach_id", None) or NONE),
                "cohort": str(getattr(membership, "cohort_id", None) or NONE),
            }
        )
    context.update(bound)
    return render(request, "portal/coach/member.html", context, status=status)


@access.portal_view(access.can_coach)
@require_GET
def member_page(request: HttpRequest, pk: int) -> HttpResponse:
    query = BoardQueryForm(request.GET)
    if not query.is_valid():
        return _bad_query(request, query)
    return render_member(request, pk, show=query.cleaned_data["show"])


@access.portal_view(access.can_coach)
@require_GET
def member_board(request: HttpRequest, pk: int) -> HttpResponse:
    """The member's board, read-only, every card of one column with ``?show=<stage>``."""
    member, _shared = _shared_or_404(request.user, pk, "applications")
    query = BoardQueryForm(request.GET)
    if not query.is_valid():
        return _bad_query(request, query)
    board = board_for(user=member, show_all=query.cleaned_data["show"])
    return render(request, "portal/coach/board.html", {"member": member, "board": board})


def _for_a_coach(sections: dict[str, dict]) -> dict[str, dict]:
    """The seeker's prediction sections without the links meant for the seeker (their profile, the plans page):
    the numbers are untouched."""
    for section in sections.values():
        if isinstance(section, dict):
            section.pop("profile_url", None)
            section.pop("pricing_url", None)
            if isinstance(section.get("upgrade"), dict):
                section["upgrade"].pop("pricing_url", None)
    return sections


def _not_shared(member: User) -> dict:
    """A prediction section in place of one the member does not share (the page shows its message)."""
    return {
        "available": False,
        "message": _("Not shared: %(name)s keeps this private.") % {"name": member.get_short_name()},
    }


@access.portal_view(access.can_coach)
@require_GET
def member_application(request: HttpRequest, pk: int, app_pk: int) -> HttpResponse:
    """One of the member's applications as the member's own page shows it, read-only: the posting, its history and
    the same predictions (predictions.application_panel on the member's behalf, so within the organisation's
    contract and with identical numbers); their notes, contacts and tasks on it when the member shares notes, and
    the CV match (its score, percentile and evidence, all read from their CV) only when they share the CV."""
    member, shared = _shared_or_404(request.user, pk, "applications")
    application = application_for_page(user=member, pk=app_pk)
    predictions = application_predictions(user=member, application=application)
    comparison = application_comparison(user=member, application=application, predictions=predictions)
    if not shared.cv:
        # The CV match and its percentile are read from the CV: a member who keeps their CV private keeps them too.
        predictions["match"] = comparison["match"] = _not_shared(member)
    context = {
        "member": member,
        "shared": shared,
        "application": application,
        "posting": application.posting,
        "events": application_timeline(application=application),
        "predictions": _for_a_coach(predictions),
        "match": match_for_page(predictions),
        "comparison": _for_a_coach(comparison),
    }
    if shared.notes:
        context.update(
            notes=application.notes.all(), contacts=application.contacts.all(), tasks=application.tasks.all()
        )
    return render(request, "portal/coach/application.html", context)


@access.portal_view(access.can_coach)
@require_GET
def member_cv_file(request: HttpRequest, pk: int) -> FileResponse:
    """The member's latest CV file, always as a download, when they share their CV."""
    member, _shared = _shared_or_404(request.user, pk, "cv")
    cv = coaching.latest_cv(member)
    if cv is None:
        raise Http404
    return cv_file_response(cv)


@access.portal_view(access.can_coach)
@require_GET
def member_notes(request: HttpRequest, pk: int) -> HttpResponse:
    """All of the member's application notes, contacts and tasks, when they share their notes. Which application
    each belongs to is named only when they share their applications too."""
    member, shared = _shared_or_404(request.user, pk, "notes")
    context = {"member": member, "shared": shared, "own": coaching.member_own_notes(member)}
    return render(request, "portal/coach/notes.html", context)
