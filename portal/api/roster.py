"""The organisation API's reads about members: the rows a coach's member list shows, and a member's applications.

Every function takes the viewer and starts from ``access.members_visible(viewer)``, so nothing here can return a
member the viewer may not reach. Stage counts and applications are part of what a member shares
("share my applications"); for a member who does not share them they are absent (``None``) or a 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, QuerySet
from django.http import Http404

from accounts.models import User
from portal import access
from portal.models import Membership
from tracking.models import Application, Stage


@dataclass(frozen=True)
class Named:
    id: int
    name: str


@dataclass(frozen=True)
class MemberRow:
    id: int
    name: str
    email: str
    role: str
    status: str
    cohort: Named | None
    coach: Named | None
    joined_at: datetime
    last_active_at: datetime | None
    shares: access.Shared
    stage_counts: dict[str, int] | None  # None: the member does not share their applications


def members_reachable(viewer: User) -> QuerySet[User]:
    """The members `viewer` reaches, in name order, with what their rows show joined in."""
    return (
        access.members_visible(viewer)
        .select_related("membership__cohort", "membership__coach")
        .order_by("full_name", "email", "id")
    )


def _membership(member: User) -> Membership | None:
    return getattr(member, "membership", None)  # a reverse one-to-one that is missing raises an AttributeError


def _shares(membership: Membership | None) -> access.Shared:
    # The rows come from members_visible(viewer), so the member's own choices are what the viewer sees
    # (access.shared_with without asking again, member by member).
    if membership is None:
        return access.NOTHING
    return access.Shared(membership.share_applications, membership.share_cv, membership.share_notes)


def member_rows(members: list[User]) -> list[MemberRow]:
    """Rows for members already taken from :func:`members_reachable` (one query for every stage count)."""
    sharing = [member.pk for member in members if _shares(_membership(member)).applications]
    counts: dict[int, dict[str, int]] = {pk: dict.fromkeys(Stage.values, 0) for pk in sharing}
    if sharing:
        grouped = (
            Application.objects.filter(owner_id__in=sharing)
            .order_by()
            .values_list("owner_id", "stage")
            .annotate(applications=Count("id"))
        )
        for owner_id, stage, applications in grouped:
            counts[owner_id][stage] = applications
    return [_row(member, counts.get(member.pk)) for member in members]


def _row(member: User, stage_counts: dict[str, int] | None) -> MemberRow:
    membership = _membership(member)
    active_marks = [at for at in (membership and membership.last_active_at, member.last_login) if at]
    return MemberRow(
        id=member.pk,
        name=member.get_full_name(),
        email=member.email,
        role=member.role,
        status=_status(member, membership),
        cohort=Named(membership.cohort.pk, membership.cohort.name) if membership and membership.cohort else None,
        coach=_coach(membership),
        joined_at=membership.joined_at if membership else member.date_joined,
        last_active_at=max(active_marks, default=None),
        shares=_shares(membership),
        stage_counts=stage_counts,
    )


def _status(member: User, membership: Membership | None) -> str:
    if membership is not None:
        return membership.status
    return Membership.Status.ACTIVE if member.is_active else Membership.Status.DEACTIVATED


def _coach(membership: Membership | None) -> Named | None:
    if membership is None or membership.coach is None:
        return None
    return Named(membership.coach.pk, membership.coach.get_full_name())


def member_row(viewer: User, pk: int) -> MemberRow:
    """One member's row, if `viewer` reaches them; else ``Http404``."""
    member = members_reachable(viewer).filter(pk=pk).first()
    if member is None:
        raise Http404
    return member_rows([member])[0]


def member_applications(viewer: User, pk: int) -> QuerySet[Application]:
    """The member's applications, most recently moved first, if `viewer` reaches the member and the member shares
    their applications; else ``Http404``."""
    member = access.member_get(viewer, pk)
    if not access.shared_with(viewer, member).applications:
        raise Http404
    return Application.objects.filter(owner=member).select_related("posting").order_by("-stage_changed_at", "-id")
