"""The waiting list for a plan that cannot be bought on this server (no Stripe keys, or no Stripe price for it): a
seeker says they want it, staff see who in admin. Joining twice is the same as joining once."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from billing.models import PaymentWaitlistEntry, Plan
from tenants.context import current_tenant
from tenants.models import Client


def waitlist_join(*, user, plan_code: str) -> tuple[PaymentWaitlistEntry, bool]:
    """Puts ``user`` (of the current tenant) on the waiting list for the premium plan ``plan_code``; returns the
    entry and whether it is new. Raises a translated ValidationError for a plan not on sale and on an organisation's
    host (its contract sets everyone's plan); nothing is written then."""
    tenant = current_tenant()
    if tenant.kind != Client.Kind.CONSUMER:
        raise ValidationError(_("Your organisation's contract sets your plan: ask your administrator."))
    plan = Plan.objects.filter(code=plan_code, is_active=True, kind=Plan.Kind.PREMIUM).first()
    if plan is None:
        raise ValidationError(_("This plan is not on sale. Choose one of the plans on the pricing page."))
    try:
        with transaction.atomic():
            return PaymentWaitlistEntry.objects.get_or_create(tenant=tenant, user_id=user.pk, plan=plan)
    except IntegrityError:  # the same person joining from two tabs at once: the other request wrote it
        return PaymentWaitlistEntry.objects.get(tenant=tenant, user_id=user.pk, plan=plan), False


def waitlist_forget(*, tenant: Client, user_id: int) -> int:
    """Removes the person's entries (their account is erased); returns how many there were."""
    deleted, _by_model = PaymentWaitlistEntry.objects.filter(tenant=tenant, user_id=user_id).delete()
    return deleted
