"""Managing an organisation's people (issue 13, item 2): roles, coaches and cohorts, deactivation and reactivation,
cohorts themselves, and the organisation's settings. Only administrators (``access.can_manage_members``); anyone
else gets a 404 from every function here, as from the pages that call them.

Deactivating keeps everything: the account can no longer sign in (``is_active`` False, which also ends its
sessions), its seat is free, and its data stays for export (``/privacy/members/<id>/export/``) or a later
reactivation, which takes a seat again.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from billing.seats import seat_require
from portal import access
from portal.membership import membership_for
from portal.models import Announcement, Cohort, Goal, Membership, OrganisationSettings

Role = User.Role


def _manager(by: User) -> User:
    if not access.is_enterprise() or not access.can_manage_members(by):
        raise Http404
    return by


# ---------------------------------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------------------------------
def people_all() -> QuerySet[User]:
    """Everyone of the organisation an administrator manages: not CVPlus staff, not accounts being erased."""
    return User.objects.filter(is_staff=False, erasure_request__isnull=True).select_related(
        "membership", "membership__cohort", "membership__coach"
    )


def person_get(*, by: User, pk: int) -> User:
    _manager(by)
    person = people_all().filter(pk=pk).first()
    if person is None:
        raise Http404
    return person


def coaches_active() -> QuerySet[User]:
    return User.objects.filter(role=Role.COACH, is_active=True, is_staff=False).order_by("full_name", "email")


def cohorts_with_counts() -> QuerySet[Cohort]:
    return Cohort.objects.annotate(
        active_members=Count(
            "memberships",
            filter=Q(memberships__status=Membership.Status.ACTIVE, memberships__user__role=Role.MEMBER),
        )
    )


def _active_administrators() -> QuerySet[User]:
    return User.objects.filter(role=Role.ADMINISTRATOR, is_active=True, is_staff=False)


# ---------------------------------------------------------------------------------------------------------------------
# Roles
# ---------------------------------------------------------------------------------------------------------------------
def person_role_set(*, by: User, person: User, role: str) -> int:
    """Gives ``person`` another role. Becoming a member takes a seat (when active); leaving the member role frees
    one. A coach who stops being one leaves their members without a coach: returns how many. The organisation's last
    active administrator keeps the role."""
    _manager(by)
    if role not in Role.values:
        raise ValidationError(_("Choose a role from the list."))
    if role == person.role:
        return 0
    with transaction.atomic():
        person = User.objects.select_for_update().get(pk=person.pk)
        if person.role == Role.ADMINISTRATOR and not _active_administrators().exclude(pk=person.pk).exists():
            raise ValidationError(
                _("%(name)s is the organisation's only administrator. Make someone else an administrator first.")
                % {"name": person.get_full_name()}
            )
        if role == Role.MEMBER and person.is_active:
            seat_require()
        unassigned = 0
        if person.role == Role.COACH:
            unassigned = Membership.objects.filter(coach=person).update(coach=None)
        person.role = role
        person.save(update_fields=["role"])
        membership_for(person)
    return unassigned


# ---------------------------------------------------------------------------------------------------------------------
# Coaches and cohorts for members
# ---------------------------------------------------------------------------------------------------------------------
KEEP = object()  # "leave as it is" for memberships_assign


@dataclass(frozen=True)
class Assigned:
    changed: int
    skipped: int  # people who are not members: no coach or cohort for them


def memberships_assign(*, by: User, people: list[User], coach=KEEP, cohort=KEEP) -> Assigned:
    """Sets the coach and/or cohort (``None`` to clear, ``KEEP`` to leave) of each member among ``people``."""
    _manager(by)
    if coach is not KEEP and coach is not None and not coaches_active().filter(pk=coach.pk).exists():
        raise ValidationError(_("Choose an active coach from the list."))
    if cohort is not KEEP and cohort is not None and not Cohort.objects.filter(pk=cohort.pk).exists():
        raise ValidationError(_("Choose a cohort from the list."))
    members = [person for person in people if person.role == Role.MEMBER]
    fields = {}
    if coach is not KEEP:
        fields["coach"] = coach
    if cohort is not KEEP:
        fields["cohort"] = cohort
    changed = 0
    with transaction.atomic():
        for member in members:
            membership_for(member)
        if fields and members:
            changed = Membership.objects.filter(user__in=members).update(**fields)
    return Assigned(changed=changed, skipped=len(people) - len(members))


# ---------------------------------------------------------------------------------------------------------------------
# Deactivating and reactivating
# ---------------------------------------------------------------------------------------------------------------------
def person_deactivate(*, by: User, person: User) -> Membership:
    """The person can no longer sign in and a member's seat is free; all their data is kept."""
    _manager(by)
    if person.pk == by.pk:
        raise ValidationError(_("You cannot deactivate your own account. Ask another administrator."))
    with transaction.atomic():
        person = User.objects.select_for_update().get(pk=person.pk)
        membership = membership_for(person)
        if not person.is_active and not membership.is_active:
            return membership
        person.is_active = False
        person.save(update_fields=["is_active"])
        membership.status = Membership.Status.DEACTIVATED
        membership.deactivated_at = timezone.now()
        membership.save(update_fields=["status", "deactivated_at"])
    return membership


def person_reactivate(*, by: User, person: User) -> Membership:
    """Lets a deactivated person sign in again; a member needs a free seat (refused with the reason otherwise)."""
    _manager(by)
    with transaction.atomic():
        person = User.objects.select_for_update().get(pk=person.pk)
        membership = membership_for(person)
        if person.is_active and membership.is_active:
            return membership
        if person.role == Role.MEMBER:
            seat_require()
        person.is_active = True
        person.save(update_fields=["is_active"])
        membership.status = Membership.Status.ACTIVE
        membership.deactivated_at = None
        membership.save(update_fields=["status", "deactivated_at"])
    return membership


# ---------------------------------------------------------------------------------------------------------------------
# Cohorts
# ---------------------------------------------------------------------------------------------------------------------
def _cohort_name_check(name: str, *, excluding: Cohort | None = None) -> str:
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("Give the cohort a name.")})
    same = Cohort.objects.filter(name__iexact=name)
    if excluding is not None:
        same = same.exclude(pk=excluding.pk)
    if same.exists():
        raise ValidationError({"name": _("A cohort named “%(name)s” already exists.") % {"name": name}})
    return name


def cohort_create(*, by: User, name: str, kind: str = Cohort.Kind.INTAKE, starts_on=None) -> Cohort:
    _manager(by)
    cohort = Cohort(name=_cohort_name_check(name), kind=kind, starts_on=starts_on)
    cohort.full_clean()
    cohort.save()
    return cohort


def cohort_update(*, by: User, cohort: Cohort, name: str, kind: str, starts_on=None) -> Cohort:
    _manager(by)
    cohort.name = _cohort_name_check(name, excluding=cohort)
    cohort.kind = kind
    cohort.starts_on = starts_on
    cohort.full_clean()
    cohort.save()
    return cohort


def cohort_delete_blockers(cohort: Cohort) -> dict[str, int]:
    """Goals and announcements aimed at the cohort: deleting it would aim them at every member, so they block it."""
    return {
        "goals": Goal.objects.filter(cohort=cohort).count(),
        "announcements": Announcement.objects.filter(cohort=cohort).count(),
    }


def cohort_delete(*, by: User, cohort: Cohort) -> int:
    """Deletes the cohort; its members (and pending invitations) keep everything else, without a cohort. Returns how
    many memberships lost it. Refused while goals or announcements are aimed at it."""
    _manager(by)
    blockers = cohort_delete_blockers(cohort)
    if any(blockers.values()):
        raise ValidationError(
            _(
                "Goals (%(goals)s) or announcements (%(announcements)s) are aimed at this cohort. Move or delete them "
                "first, or they would reach every member."
            )
            % blockers
        )
    with transaction.atomic():
        members = Membership.objects.filter(cohort=cohort).update(cohort=None)
        cohort.delete()
    return members


# ---------------------------------------------------------------------------------------------------------------------
# The organisation's settings
# ---------------------------------------------------------------------------------------------------------------------
SETTINGS_FIELDS = (
    "coaches_see_all_members",
    "default_share_applications",
    "default_share_cv",
    "default_share_notes",
    "invitation_valid_days",
)
INVITATION_VALID_DAYS = (1, 90)


def organisation_settings_update(*, by: User, **values) -> OrganisationSettings:
    """Changes the fields named in SETTINGS_FIELDS. New defaults apply to people who join from now on; members'
    own sharing choices stay as they made them."""
    _manager(by)
    unknown = set(values) - set(SETTINGS_FIELDS)
    if unknown:
        raise ValueError(f"Not organisation settings: {sorted(unknown)}")
    days = values.get("invitation_valid_days")
    if days is not None and not INVITATION_VALID_DAYS[0] <= days <= INVITATION_VALID_DAYS[1]:
        raise ValidationError(
            {
                "invitation_valid_days": _("Between %(low)s and %(high)s days.")
                % {"low": INVITATION_VALID_DAYS[0], "high": INVITATION_VALID_DAYS[1]}
            }
        )
    with transaction.atomic():
        settings_row = OrganisationSettings.current()
        for name, value in values.items():
            setattr(settings_row, name, value)
        settings_row.save()
    return settings_row
