"""Who a programme action reaches (issue 13, item 4): applying a board template, enrolling in a goal.

Every audience is cut down to the active members the acting person reaches (``access.members_visible``): a coach
who chooses "all members" reaches the members assigned to them, and an id out of reach is simply not there.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet, TextChoices
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from portal import access
from portal.models import Cohort, Membership


class Audience(TextChoices):
    ALL = "all", _("All active members you reach")
    COHORT = "cohort", _("A cohort")
    SELECTED = "selected", _("Members you choose")


def require_programme_staff(actor: User) -> None:
    """Services check again what the view's decorator checked: anyone else gets a 404."""
    if not access.is_enterprise() or not access.can_run_programme(actor):
        raise Http404


def active_members_visible(actor: User) -> QuerySet[User]:
    return access.members_visible(actor).filter(membership__status=Membership.Status.ACTIVE)


def audience_members(
    *, actor: User, audience: str, cohort: Cohort | None = None, member_ids: Iterable[int] = ()
) -> QuerySet[User]:
    """The active members ``actor`` reaches within the chosen audience."""
    members = active_members_visible(actor)
    if audience == Audience.COHORT:
        return members.filter(membership__cohort=cohort) if cohort is not None else members.none()
    if audience == Audience.SELECTED:
        return members.filter(pk__in=list(member_ids))
    return members
