"""Premium through Stripe Checkout, for seekers on a tenant host: a Checkout Session for a plan (the plans offered
are billing/offers.py's), and a Customer Portal session to manage or cancel it.

Nothing here changes a subscription: Stripe reports the outcome by webhook (billing's webhook handlers), which is the
only writer of Subscription rows from Stripe. The session carries who pays, as metadata
``{"tenant": <schema>, "user_id": "<id>"}`` on the session and on the subscription it creates, and as
``client_reference_id`` ``"<schema>:<id>"``, so the handler resolves the tenant and user without entering any tenant.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

import stripe
from django.utils.translation import gettext as _

from billing.entitlements import plan_for
from billing.models import Customer, Invoice, Plan
from billing.money import price_format
from billing.stripe_client import billing_configured, stripe_client
from tenants.context import current_tenant, public_schema_context, require_tenant_schema
from tenants.models import Client

logger = logging.getLogger(__name__)


class CheckoutRefused(Exception):
    """A checkout or portal request that cannot go ahead; ``message`` is translated and safe to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _current_tenant() -> Client:
    return current_tenant()


def _refuse_enterprise(tenant: Client) -> None:
    """An organisation's programme is paid by its contract: nobody on an enterprise host buys or manages a plan."""
    if tenant.kind == Client.Kind.ENTERPRISE:
        raise CheckoutRefused(_("Your organisation's contract sets your plan: ask your administrator."))


def _payer(user) -> dict[str, str]:
    return {"tenant": require_tenant_schema(), "user_id": str(user.pk)}


def _refuse_stripe_error(error: stripe.StripeError, *, doing: str) -> CheckoutRefused:
    logger.warning("billing: Stripe refused %s: %s", doing, error.user_message or error)
    return CheckoutRefused(_("Stripe could not be reached or refused the request. Please try again in a minute."))


def checkout_session_create(*, user, plan_code: str, success_url: str, cancel_url: str) -> str:
    """Creates a Stripe Checkout Session (mode subscription) for a premium plan and returns its URL.

    Reuses the user's Stripe customer when one exists (so Stripe keeps one customer and its payment methods), and
    otherwise pre-fills the email. Raises CheckoutRefused (translated) when the host is an enterprise tenant's (its
    contract sets everyone's plan; checked first), billing is not configured, the plan is not on sale or has no
    Stripe price, they already pay through Stripe (the portal is the place to change plans), or Stripe fails.
    """
    tenant = _current_tenant()
    _refuse_enterprise(tenant)
    if not billing_configured():
        raise CheckoutRefused(_("Payments are not available on this server yet, so plans cannot be bought here."))
    plan = Plan.objects.filter(code=plan_code, is_active=True, kind=Plan.Kind.PREMIUM).first()
    if plan is None or not plan.stripe_price_id:
        raise CheckoutRefused(_("This plan cannot be bought online. Choose another plan."))
    current = plan_for(user)
    if current.source == "subscription":
        raise CheckoutRefused(_("You already have a subscription: change or cancel it from the billing portal."))
    customer = Customer.objects.filter(tenant=tenant, user_id=user.pk).first()
    payer = _payer(user)
    params: dict = {
        "mode": "subscription",
        "line_items": [{"price": plan.stripe_price_id, "quantity": 1}],
        "client_reference_id": f"{payer['tenant']}:{payer['user_id']}",
        "metadata": {**payer, "plan": plan.code},
        "subscription_data": {"metadata": {**payer, "plan": plan.code}},
        "success_url": success_url,
        "cancel_url": cancel_url,
        "locale": "auto",
    }
    if customer is not None:
        params["customer"] = customer.stripe_customer_id
    elif user.email:
        params["customer_email"] = user.email
    try:
        session = stripe_client().v1.checkout.sessions.create(params=params)
    except stripe.StripeError as error:
        raise _refuse_stripe_error(error, doing="a checkout session") from error
    if not session.url:
        raise CheckoutRefused(_("Stripe did not return a checkout page. Please try again in a minute."))
    return session.url


def portal_session_create(*, user, return_url: str) -> str:
    """A Stripe Customer Portal session for the user's Stripe customer; returns its URL. Raises CheckoutRefused on an
    enterprise host, when billing is not configured, the user has never paid through Stripe, or Stripe fails."""
    tenant = _current_tenant()
    _refuse_enterprise(tenant)
    if not billing_configured():
        raise CheckoutRefused(_("Payments are not available on this server yet, so there is nothing to manage here."))
    customer = Customer.objects.filter(tenant=tenant, user_id=user.pk).first()
    if customer is None:
        raise CheckoutRefused(_("You have no paid subscription to manage yet."))
    try:
        session = stripe_client().v1.billing_portal.sessions.create(
            params={"customer": customer.stripe_customer_id, "return_url": return_url}
        )
    except stripe.StripeError as error:
        raise _refuse_stripe_error(error, doing="a portal session") from error
    return session.url


@dataclass(frozen=True)
class InvoiceLine:
    """One of a seeker's invoices as the account page lists it."""

    created: datetime
    amount: str  # formatted with its currency
    status: str  # translated
    paid: bool
    payment_failed: bool
    url: str  # Stripe's hosted invoice page, or ""


def invoices_for(*, tenant: Client, user_id: int, limit: int = 12) -> list[InvoiceLine]:
    """The user's last invoices in this tenant, newest first, as Stripe last reported them (webhooks)."""
    with public_schema_context():
        invoices = list(
            Invoice.objects.filter(customer__tenant=tenant, customer__user_id=user_id).order_by("-created_at")[:limit]
        )
    return [
        InvoiceLine(
            created=invoice.created_at,
            amount=price_format(
                invoice.amount_paid_minor if invoice.status == Invoice.Status.PAID else invoice.amount_due_minor,
                invoice.currency,
            ),
            status=invoice.get_status_display(),
            paid=invoice.status == Invoice.Status.PAID,
            payment_failed=invoice.payment_failed,
            url=invoice.hosted_invoice_url,
        )
        for invoice in invoices
    ]
