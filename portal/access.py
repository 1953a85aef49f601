"""Who may see and do what in an organisation's portal: the one place that decides it (issue 13, item 1).

Every portal view and organisation API endpoint asks these functions; services ask them again before writing.
Anything out of reach is a 404 (``Http404``), never a 403 that would confirm it exists.

| role          | members it reaches                                 | what of a member                 | aggregates |
|---------------|----------------------------------------------------|----------------------------------|------------|
| administrator | every member                                       | what the member shares           | yes        |
| coach         | the members assigned to them (every member if the  | what the member shares           | yes        |
|               | organisation's settings say so)                    |                                  |            |
| analyst       | none                                               | nothing                          | yes        |
| member        | only themselves (their own seeker pages)           | everything of their own          | no         |

Only enterprise tenants have a portal: on the consumer site every portal page is a 404.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse

from accounts.models import User
from portal.models import Membership, OrganisationSettings

Role = User.Role


def is_enterprise() -> bool:
    tenant = getattr(connection, "tenant", None)
    kind = getattr(tenant, "kind", None)
    if kind is None:  # schema_context() sets a stand-in without fields: read the row
        from tenants.context import current_tenant

        kind = current_tenant().kind
    return kind == "enterprise"


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active and not user.is_staff


# What each role may do. Views name one of these; services check the same predicates.
def can_manage_members(user) -> bool:
    """Invite, deactivate, assign coaches, organisation settings."""
    return _signed_in(user) and user.role == Role.ADMINISTRATOR


def can_coach(user) -> bool:
    """Reach individual members (within their sharing): the member list, member pages, notes and tasks."""
    return _signed_in(user) and user.role in (Role.ADMINISTRATOR, Role.COACH)


def can_run_programme(user) -> bool:
    """Board templates, goals and announcements."""
    return _signed_in(user) and user.role in (Role.ADMINISTRATOR, Role.COACH)


def can_see_outcomes(user) -> bool:
    """Cohort outcomes: aggregates only, groups under five suppressed."""
    return _signed_in(user) and user.role in (Role.ADMINISTRATOR, Role.COACH, Role.ANALYST)


def can_manage_integrations(user) -> bool:
    """API tokens and webhooks."""
    return _signed_in(user) and user.role == Role.ADMINISTRATOR


def can_manage_alerts(user) -> bool:
    """The organisation's own alert rules (analytics/alerts/): reminder backlog and prediction latency."""
    return _signed_in(user) and user.role == Role.ADMINISTRATOR


def members_all() -> QuerySet[User]:
    """Every member (role member) of the organisation, active or not, with their membership."""
    return User.objects.filter(role=Role.MEMBER, is_staff=False).select_related("membership")


def members_visible(viewer) -> QuerySet[User]:
    """The members `viewer` may reach individually (deactivated ones included, marked by their membership)."""
    if not can_coach(viewer) or not is_enterprise():
        return User.objects.none()
    members = members_all()
    if viewer.role == Role.ADMINISTRATOR or OrganisationSettings.current().coaches_see_all_members:
        return members
    return members.filter(membership__coach=viewer)


def member_get(viewer, pk: int) -> User:
    """The member `pk` if `viewer` may reach them, else ``Http404``."""
    member = members_visible(viewer).filter(pk=pk).first()
    if member is None:
        raise Http404
    return member


@dataclass(frozen=True)
class Shared:
    """What of one member one viewer may see."""

    applications: bool
    cv: bool
    notes: bool

    @property
    def anything(self) -> bool:
        return self.applications or self.cv or self.notes


NOTHING = Shared(False, False, False)
EVERYTHING = Shared(True, True, True)


def shared_with(viewer, member: User) -> Shared:
    """The member's own choices for administrators and coaches who reach them; nothing for anyone else; everything
    for the member themselves."""
    if viewer is not None and viewer.pk == member.pk:
        return EVERYTHING
    if not members_visible(viewer).filter(pk=member.pk).exists():
        return NOTHING
    membership = Membership.objects.filter(user=member).first()
    if membership is None:
        return NOTHING
    return Shared(membership.share_applications, membership.share_cv, membership.share_notes)


def portal_view(permission: Callable[[object], bool]) -> Callable:
    """Decorates a portal page: signed in (else to the login page), an enterprise tenant and `permission` (else 404)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not is_enterprise() or not permission(request.user):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
