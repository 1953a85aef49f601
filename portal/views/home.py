"""The portal's front page: what the signed-in person's role lets them do."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from billing.seats import seats_for_current_tenant
from portal import access
from portal.programme import member_programme


def _anyone_in_the_organisation(user) -> bool:
    return user.is_authenticated and not user.is_staff


@require_GET
@access.portal_view(_anyone_in_the_organisation)
def portal_home(request: HttpRequest) -> HttpResponse:
    """Programme staff see their areas; a member sees their programme (announcements, goals, tasks, sharing)."""
    user = request.user
    context = {
        "is_member": user.role == user.Role.MEMBER,
        "can_manage_members": access.can_manage_members(user),
        "can_coach": access.can_coach(user),
        "can_run_programme": access.can_run_programme(user),
        "can_see_outcomes": access.can_see_outcomes(user),
        "can_manage_integrations": access.can_manage_integrations(user),
        "can_manage_alerts": access.can_manage_alerts(user),
        "seats": seats_for_current_tenant(),
        "members_visible": access.members_visible(user).filter(membership__status="active").count(),
    }
    if context["is_member"]:
        context["programme"] = member_programme(user)
    return render(request, "portal/home.html", context)
