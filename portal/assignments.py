"""Assigning a member to a coach and a cohort (issue 13, items 1 and 3): administrators only."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import User
from portal import access
from portal.models import Cohort, Membership, OrganisationSettings

UNCHANGED = object()  # an argument left out: the field keeps its value


def _membership_for(member: User) -> Membership:
    """The member's membership, created with the organisation's sharing defaults when they have none yet."""
    defaults = OrganisationSettings.current()
    membership, _created = Membership.objects.select_for_update().get_or_create(
        user=member,
        defaults={
            "share_applications": defaults.default_share_applications,
            "share_cv": defaults.default_share_cv,
            "share_notes": defaults.default_share_notes,
            "joined_at": member.date_joined,
        },
    )
    return membership


def membership_assign(
    *, by: User, member: User, coach_id: int | None | object = UNCHANGED, cohort_id: int | None | object = UNCHANGED
) -> Membership:
    """Sets the member's coach and/or cohort (None clears one). The member must be within `by`'s reach (else 404);
    the coach must be an active coach of the organisation and the cohort one of its cohorts (else a ValidationError
    naming the field). Nothing changes unless every field is valid."""
    if not access.can_manage_members(by):
        raise Http404
    member = access.member_get(by, member.pk)
    errors: dict[str, str] = {}
    coach = cohort = None
    if coach_id is not UNCHANGED and coach_id is not None:
        coach = User.objects.filter(pk=coach_id, role=User.Role.COACH, is_active=True, is_staff=False).first()
        if coach is None:
            errors["coach"] = _("Choose one of the organisation's active coaches.")
    if cohort_id is not UNCHANGED and cohort_id is not None:
        cohort = Cohort.objects.filter(pk=cohort_id).first()
        if cohort is None:
            errors["cohort"] = _("Choose one of the organisation's cohorts.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        membership = _membership_for(member)
        fields = []
        if coach_id is not UNCHANGED:
            membership.coach = coach
            fields.append("coach")
        if cohort_id is not UNCHANGED:
            membership.cohort = cohort
            fields.append("cohort")
        if fields:
            membership.save(update_fields=fields)
    return membership
