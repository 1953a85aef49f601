"""Every person in an organisation has a Membership row: made when they accept an invitation, and made on first need
for people who joined before the portal existed (no data migration: the organisation's defaults of the day apply).

Other areas call :func:`membership_for` whenever they need a person's membership and must not assume the row exists.
"""

from __future__ import annotations

from django.db import transaction
from django.http import Http404

from accounts.models import User
from portal import access
from portal.models import Membership, OrganisationSettings
from tenants.context import require_tenant_schema


def _new_membership(user: User, defaults: OrganisationSettings) -> Membership:
    return Membership(
        user=user,
        status=Membership.Status.ACTIVE if user.is_active else Membership.Status.DEACTIVATED,
        share_applications=defaults.default_share_applications,
        share_cv=defaults.default_share_cv,
        share_notes=defaults.default_share_notes,
        joined_at=user.date_joined,
    )


def membership_for(user: User) -> Membership:
    """``user``'s membership, created with the organisation's default sharing choices if they have none yet (its
    status follows ``user.is_active``, its joined date their account's). Safe under concurrent calls."""
    require_tenant_schema()
    existing = Membership.objects.filter(user=user).first()
    if existing is not None:
        return existing
    template = _new_membership(user, OrganisationSettings.current())
    fields = {
        name: getattr(template, name)
        for name in ("status", "share_applications", "share_cv", "share_notes", "joined_at")
    }
    with transaction.atomic():
        membership, _created = Membership.objects.get_or_create(user=user, defaults=fields)
    return membership


def memberships_ensure() -> None:
    """Gives everyone of the organisation (CVPlus staff aside) who has no membership one, as :func:`membership_for`
    would, in one query when nobody lacks one and two otherwise."""
    require_tenant_schema()
    missing = list(User.objects.filter(is_staff=False, membership__isnull=True))
    if missing:
        defaults = OrganisationSettings.current()
        Membership.objects.bulk_create([_new_membership(user, defaults) for user in missing], ignore_conflicts=True)


def membership_sharing_set(*, user: User, applications: bool, cv: bool, notes: bool) -> Membership:
    """A member's own choice of what their coach (and the organisation's administrators) may see of them. Only the
    member themselves changes it; anyone else, and anywhere but an organisation's portal, gets a 404."""
    if not access.is_enterprise() or not user.is_authenticated or user.role != User.Role.MEMBER:
        raise Http404
    with transaction.atomic():
        membership = Membership.objects.select_for_update().filter(pk=membership_for(user).pk).get()
        membership.share_applications = applications
        membership.share_cv = cv
        membership.share_notes = notes
        membership.save(update_fields=["share_applications", "share_cv", "share_notes"])
    return membership
