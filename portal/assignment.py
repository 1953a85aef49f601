"""Assigning one member to a coach and a cohort from the member page (issue 13, item 3). The rules and the write are
the people area's (``portal.people.memberships_assign``, which also does bulk assignment and the organisation API's
PATCH); this is its one-member form, scoped like every coach page."""

from __future__ import annotations

from accounts.models import User
from portal import access
from portal.models import Cohort, Membership
from portal.people import KEEP, memberships_assign


def membership_assign(
    *, actor: User, member: User, coach: User | None | object = KEEP, cohort: Cohort | None | object = KEEP
) -> Membership:
    """Sets `member`'s coach and/or cohort (None removes it, KEEP leaves it) and returns their membership.

    Http404 for a member out of `actor`'s reach and for anyone but an administrator; a ValidationError naming the
    problem for a coach who is not an active coach of this organisation or a cohort that is not one of its own,
    and nothing is written then."""
    access.member_get(actor, member.pk)
    memberships_assign(by=actor, people=[member], coach=coach, cohort=cohort)
    return Membership.objects.select_related("coach", "cohort").get(user=member)
