"""What an account erasure asks of billing: stop charging the person. Their invoices and billing rows stay."""

from __future__ import annotations

import logging

import stripe

from accounts.models import User
from billing.models import Subscription
from billing.stripe_client import billing_configured, stripe_client
from tenants.context import current_tenant

logger = logging.getLogger(__name__)


def stripe_subscription_cancel(*, user: User) -> bool:
    """Cancels at Stripe, at once, the user's subscription that still charges them. Returns True when one was
    cancelled; a subscription Stripe no longer knows counts as done. Other Stripe errors propagate, so the erasure
    job is retried rather than leaving a person erased but still paying. Stripe's webhook then records the
    cancellation in the Subscription row as for any other."""
    subscription = (
        Subscription.objects.filter(
            tenant=current_tenant(),
            user_id=user.pk,
            source=Subscription.Source.STRIPE,
            status__in=Subscription.GRANTING,
        )
        .exclude(stripe_subscription_id__isnull=True)
        .exclude(stripe_subscription_id="")
        .first()
    )
    if subscription is None:
        return False
    if not billing_configured():
        logger.warning("privacy: subscription %s not cancelled at Stripe: billing is not configured", subscription.pk)
        return False
    try:
        stripe_client().v1.subscriptions.cancel(subscription.stripe_subscription_id)
    except stripe.InvalidRequestError as error:
        if error.code == "resource_missing":
            return False
        raise
    return True
