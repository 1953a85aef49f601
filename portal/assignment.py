"""Assigning a member to a coach and a cohort (issue 13, item 3). The people area's bulk assignment and the member
page's single one both go through ``membership_assign``."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from portal import access
from portal.models import Cohort, Membership
from tenants.context import require_tenant_schema


class _Unchanged:
    def __repr__(self) -> str:
        return "UNCHANGED"


UNCHANGED = _Unchanged()  # leaves the coach or the cohort as it is; None clears it


def membership_assign(
    *,
    actor: User,
    member: User,
    coach: User | None | _Unchanged = UNCHANGED,
    cohort: Cohort | None | _Unchanged = UNCHANGED,
) -> Membership:
    """Sets `member`'s coach and/or cohort (None removes it), creating their membership if they have none.

    Administrators only (PermissionDenied for anyone else who reaches the member; Http404 for a member out of
    reach). The coach must be an active person with the coach role in this organisation and the cohort one of its
    cohorts, else a ValidationError naming the field; nothing is written then."""
    require_tenant_schema()
    access.member_get(actor, member.pk)
    if not access.can_manage_members(actor):
        raise PermissionDenied
    errors = {}
    if (
        isinstance(coach, User)
        and not User.objects.filter(pk=coach.pk, role=User.Role.COACH, is_active=True, is_staff=False).exists()
    ):
        errors["coach"] = _("Choose a coach of this organisation.")
    if isinstance(cohort, Cohort) and not Cohort.objects.filter(pk=cohort.pk).exists():
        errors["cohort"] = _("Choose one of this organisation's cohorts.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        membership, _created = Membership.objects.select_for_update().get_or_create(user=member)
        changed = []
        if not isinstance(coach, _Unchanged):
            membership.coach = coach
            changed.append("coach")
        if not isinstance(cohort, _Unchanged):
            membership.cohort = cohort
            changed.append("cohort")
        if changed:
            membership.save(update_fields=changed)
    return membership
