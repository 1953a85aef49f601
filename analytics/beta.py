"""The beta cohort and its invitation codes (analytics.BetaInvitation, analytics.BetaMember).

A code is checked when it is typed (`invitation_check`: the sign-up form says at once when it is wrong) and spent when
a person joins (`invitation_redeem`): at the confirmation of their sign-up, or later on their account page. Spending is
one conditional UPDATE (`uses < max_uses`, not expired), so two people racing for the last use of a code cannot both
get it. Who is in the cohort is kept per process like the flags (`beta_cohort_has`), for the flags' beta-cohort rule.
"""

from __future__ import annotations

import re
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from analytics.models import BetaInvitation, BetaMember, Feedback, NpsResponse
from analytics.process_cache import ProcessCache

CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9-]{2,39}$")


def invitation_code_normalize(raw: str) -> str:
    """Upper-cased, without spaces: a code read aloud or pasted with a stray space still works."""
    return re.sub(r"\s+", "", raw or "").upper()


def _usable(now: datetime) -> Q:
    return Q(uses__lt=F("max_uses")) & (Q(expires_at__isnull=True) | Q(expires_at__gt=now))


def invitation_check(code: str, *, now: datetime | None = None) -> BetaInvitation:
    """The invitation a code names, if it can still be used; else ValidationError saying why (unknown, expired, used
    up), for the field "invitation_code"."""
    now = now or timezone.now()
    invitation = BetaInvitation.objects.filter(code=invitation_code_normalize(code)).first()
    if invitation is None:
        raise ValidationError({"invitation_code": _("No invitation has this code: check it and try again.")})
    if invitation.expires_at is not None and invitation.expires_at <= now:
        raise ValidationError({"invitation_code": _("This invitation code has expired.")})
    if invitation.uses >= invitation.max_uses:
        raise ValidationError({"invitation_code": _("This invitation code has been used up.")})
    return invitation


def beta_member_of(*, tenant, user_id: int) -> BetaMember | None:
    return BetaMember.objects.filter(tenant=tenant, user_id=user_id).first()


def invitation_redeem(*, code: str, tenant, user_id: int, now: datetime | None = None) -> BetaMember:
    """Enrols the person in the beta cohort with `code`, spending one use of it. Raises ValidationError (field
    "invitation_code") when the code cannot be used or the person is already in the cohort; nothing changes then."""
    now = now or timezone.now()
    invitation = invitation_check(code, now=now)
    if BetaMember.objects.filter(tenant=tenant, user_id=user_id).exists():
        raise ValidationError({"invitation_code": _("You are already in the beta programme.")})
    try:
        with transaction.atomic():
            spent = BetaInvitation.objects.filter(_usable(now), pk=invitation.pk).update(uses=F("uses") + 1)
            if spent != 1:  # the last use went to someone else, or it expired, since the check
                invitation_check(code, now=now)
                raise ValidationError({"invitation_code": _("This invitation code has been used up.")})
            member = BetaMember.objects.create(tenant=tenant, user_id=user_id, invitation=invitation, enrolled_at=now)
    except IntegrityError:  # joined in another tab at the same moment: the use is rolled back with it
        raise ValidationError({"invitation_code": _("You are already in the beta programme.")}) from None
    transaction.on_commit(beta_cohort_cache_clear)
    return member


def _cohort_load() -> frozenset[tuple[int, int]]:
    return frozenset(BetaMember.objects.values_list("tenant_id", "user_id"))


_cohort = ProcessCache(_cohort_load, ttl_setting="FEATURE_FLAGS_CACHE_TTL_S")


def beta_cohort_cache_clear(**_signal_kwargs: object) -> None:
    _cohort.clear()


def beta_cohort_has(*, tenant_id: int, user_id: int) -> bool:
    """Whether the person is in the beta cohort, from the process's copy (a page asking costs no query)."""
    return (tenant_id, user_id) in _cohort.get()


def beta_people_forget(*, tenant, user_id: int | None = None) -> int:
    """Forgets a person (`user_id`, when their account is erased) or every person of the tenant (`user_id` None, when
    the tenant is erased): their cohort membership, feedback and NPS answers. Returns how many rows went."""
    person = Q(tenant=tenant) if user_id is None else Q(tenant=tenant, user_id=user_id)
    deleted = sum(model.objects.filter(person).delete()[0] for model in (BetaMember, Feedback, NpsResponse))
    transaction.on_commit(beta_cohort_cache_clear)
    return deleted
