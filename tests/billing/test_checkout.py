# ruff: noqa: F811 - fixtures imported by name are redefined as test arguments
"""Premium through Stripe Checkout on a tenant host, with the real `stripe` library talking to a recording HTTP
client: the Checkout Session request (mode, price, who pays, URLs back to this host), customer reuse, the portal,
the pricing and account pages, and billing without Stripe keys (messages, no request, no crash).

Every Stripe id and amount is SIMULATED (tests/billing/stripe_fakes.py).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.formats import date_format
from django_tenants.utils import schema_context

from accounts.services import user_create
from billing.catalogue import plans_ensure
from billing.models import Customer, Invoice, Plan, Subscription
from billing.stripe_client import use_recording_client
from tenants.models import Client
from tests.billing.grants import plan_grant
from tests.billing.stripe_fakes import (
    SECRET_KEY,
    CannedResponse,
    RecordingHTTPClient,
    checkout_session_object,
    stripe_id,
)
from tests.conftest import login
from tests.tracking.conftest import owner, owner_client  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db

PRICE_ID = "price_SIMpremiummonthly"
CHECKOUT_URL = "https://checkout.stripe.com/c/pay/cs_test_SIMULATED"
PORTAL_URL = "https://billing.stripe.com/p/session/test_SIMULATED"


@pytest.fixture
def plans(cast) -> dict[str, Plan]:
    with schema_context("public"):
        plans = {plan.code: plan for plan in plans_ensure()}
        Plan.objects.filter(code="premium-monthly").update(stripe_price_id=PRICE_ID)
    return plans


@pytest.fixture
def stripe_keys(settings) -> None:
    settings.STRIPE_SECRET_KEY = SECRET_KEY


@pytest.fixture
def stripe_http() -> RecordingHTTPClient:
    session = checkout_session_object(customer_id=None, subscription_id=None) | {
        "url": CHECKOUT_URL,
        "status": "open",
        "payment_status": "unpaid",
    }
    portal = {
        "id": "bps_SIMULATED",
        "object": "billing_portal.session",
        "created": 1700000000,
        "customer": "cus_SIMULATED",
        "livemode": False,
        "return_url": "http://alpha.localhost/accounts/",
        "url": PORTAL_URL,
    }
    client = RecordingHTTPClient(
        {("POST", "/v1/checkout/sessions"): session, ("POST", "/v1/billing_portal/sessions"): portal}
    )
    with use_recording_client(client):
        yield client


def customer_for(user, *, schema: str = "alpha") -> Customer:
    with schema_context("public"):
        return Customer.objects.create(
            stripe_customer_id=stripe_id("cus"),
            tenant=Client.objects.get(schema_name=schema),
            user_id=user.pk,
            email=user.email,
        )


def test_it_creates_a_subscription_checkout_session_for_the_plans_price_and_redirects_with_303(
    owner, owner_client, plans, stripe_keys, stripe_http
) -> None:
    response = owner_client.post("/billing/checkout/premium-monthly/")

    assert response.status_code == 303
    assert response["Location"] == CHECKOUT_URL
    [request] = stripe_http.requests
    assert (request.method, request.path) == ("POST", "/v1/checkout/sessions")
    assert request.headers["Authorization"] == f"Bearer {SECRET_KEY}"
    form = request.form
    assert form["mode"] == "subscription"
    assert (form["line_items[0][price]"], form["line_items[0][quantity]"]) == (PRICE_ID, "1")
    assert (form["metadata[tenant]"], form["metadata[user_id]"]) == ("alpha", str(owner.pk))
    assert form["subscription_data[metadata][tenant]"] == "alpha"
    assert form["subscription_data[metadata][user_id]"] == str(owner.pk)
    assert form["client_reference_id"] == f"alpha:{owner.pk}"
    assert form["success_url"] == "http://alpha.localhost/billing/success/?session_id={CHECKOUT_SESSION_ID}"
    assert form["cancel_url"] == "http://alpha.localhost/billing/cancel/"
    assert form["customer_email"] == owner.email
    assert "customer" not in form


def test_it_reuses_the_users_stripe_customer(owner, owner_client, plans, stripe_keys, stripe_http) -> None:
    customer = customer_for(owner)

    assert owner_client.post("/billing/checkout/premium-monthly/").status_code == 303

    [request] = stripe_http.requests
    assert request.form["customer"] == customer.stripe_customer_id
    assert "customer_email" not in request.form


@pytest.mark.parametrize(
    ("plan_code", "why"),
    [
        ("premium-yearly", "cannot be bought online"),  # no Stripe price attached yet
        ("free", "cannot be bought online"),
        ("no-such-plan", "cannot be bought online"),
    ],
)
def test_it_refuses_a_plan_that_is_not_for_sale_without_calling_stripe(
    owner, owner_client, plans, stripe_keys, stripe_http, plan_code, why
) -> None:
    response = owner_client.post(f"/billing/checkout/{plan_code}/", follow=True)

    assert response.redirect_chain == [("/billing/pricing/", 302)]
    assert why in response.content.decode()
    assert stripe_http.requests == []


def test_it_sends_a_paying_subscriber_to_the_portal_instead_of_a_second_checkout(
    owner, owner_client, plans, stripe_keys, stripe_http
) -> None:
    with schema_context("public"):
        Subscription.objects.create(
            tenant=Client.objects.get(schema_name="alpha"),
            user_id=owner.pk,
            plan=plans["premium-monthly"],
            status=Subscription.Status.ACTIVE,
        )

    response = owner_client.post("/billing/checkout/premium-monthly/", follow=True)

    assert "billing portal" in response.content.decode()
    assert stripe_http.requests == []


def test_it_shows_a_message_when_stripe_refuses_and_does_not_crash(owner, owner_client, plans, stripe_keys) -> None:
    error = {"error": {"type": "invalid_request_error", "code": "resource_missing", "message": "No such price"}}
    client = RecordingHTTPClient({("POST", "/v1/checkout/sessions"): CannedResponse(error, status=400)})
    with use_recording_client(client):
        response = owner_client.post("/billing/checkout/premium-monthly/", follow=True)

    assert response.redirect_chain == [("/billing/pricing/", 302)]
    assert "Stripe could not be reached or refused the request" in response.content.decode()
    assert len(client.requests) == 1


def test_it_opens_the_customer_portal_for_a_customer(owner, owner_client, plans, stripe_keys, stripe_http) -> None:
    customer = customer_for(owner)

    response = owner_client.post("/billing/portal/")

    assert (response.status_code, response["Location"]) == (303, PORTAL_URL)
    [request] = stripe_http.requests
    assert request.path == "/v1/billing_portal/sessions"
    assert request.form == {"customer": customer.stripe_customer_id, "return_url": "http://alpha.localhost/accounts/"}


def test_it_refuses_the_portal_to_a_user_who_never_paid(owner, owner_client, plans, stripe_keys, stripe_http) -> None:
    response = owner_client.post("/billing/portal/", follow=True)

    assert response.redirect_chain == [("/accounts/", 302)]
    assert "You have no paid subscription to manage yet." in response.content.decode()
    assert stripe_http.requests == []


def test_it_says_billing_is_not_configured_without_keys_and_calls_nothing(
    owner, owner_client, plans, settings, stripe_http
) -> None:
    settings.STRIPE_SECRET_KEY = ""
    customer_for(owner)

    pricing = owner_client.get("/billing/pricing/").content.decode()
    checkout = owner_client.post("/billing/checkout/premium-monthly/", follow=True)
    portal = owner_client.post("/billing/portal/", follow=True)

    assert "Payments are not available on this server yet" in pricing
    assert "Upgrade to" not in pricing
    assert checkout.redirect_chain == [("/billing/pricing/", 302)]
    assert "Payments are not available on this server yet" in checkout.content.decode()
    assert portal.redirect_chain == [("/accounts/", 302)]
    assert "Payments are not available on this server yet" in portal.content.decode()
    assert stripe_http.requests == []


def test_it_lists_the_plans_translated_with_prices_in_their_currency_and_marks_the_current_one(
    cast, client_b, plans, stripe_keys
) -> None:
    with schema_context("public"):
        Plan.objects.filter(code="premium-monthly").update(name_fr="Premium (mensuel)", price_minor=1950)
    login(client_b, cast.stranger_email)

    page = client_b.get("/billing/pricing/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert "Premium (mensuel)" in page
    assert "19,50 USD" in page.replace("\u00a0", " ")  # French decimals (a no-break space), the plan's own currency
    current = page[page.index('id="plan-free"') : page.index("</article>", page.index('id="plan-free"'))]
    assert 'aria-current="true"' in current
    assert 'aria-current="true"' not in page[page.index('id="plan-premium-monthly"') :]
    assert 'action="/billing/checkout/premium-monthly/"' in page
    assert "api-starter" not in page  # API tiers are sold to licensees, not on the seeker site


def test_it_shows_the_plan_its_renewal_and_a_pending_cancellation_on_the_account_page(
    owner, owner_client, plans, stripe_keys
) -> None:
    renews = timezone.now() + timedelta(days=12)
    customer = customer_for(owner)
    with schema_context("public"):
        Subscription.objects.create(
            tenant=Client.objects.get(schema_name="alpha"),
            user_id=owner.pk,
            plan=plans["premium-monthly"],
            status=Subscription.Status.ACTIVE,
            customer=customer,
            current_period_end=renews,
            cancel_at_period_end=True,
        )

    page = owner_client.get("/accounts/").content.decode()

    assert "Premium, monthly" in page
    assert f"Ends on {date_format(renews, 'DATE_FORMAT')}." in page  # e.g. "Dec. 12, 2026"
    assert "Cancelled: you keep the plan until the end of the paid period" in page
    assert 'action="/billing/portal/"' in page


def test_it_shows_a_staff_grant_on_the_account_page_without_keys(owner, owner_client, plans, settings) -> None:
    settings.STRIPE_SECRET_KEY = ""
    plan_grant(schema="alpha", email=owner.email)

    page = owner_client.get("/accounts/").content.decode()

    assert "Premium, yearly" in page
    assert "granted by staff" in page
    assert "Payments are not available on this server yet." in page
    assert 'action="/billing/portal/"' not in page


def test_it_lists_the_users_own_invoices_on_the_account_page(owner, owner_client, plans, stripe_keys) -> None:
    customer = customer_for(owner)
    with schema_context("alpha"):
        other = user_create(email="other.payer@example.com", password="another-long-passphrase")
    other_customer = customer_for(other)
    with schema_context("public"):
        Invoice.objects.create(
            stripe_invoice_id="in_SIMULATED_paid",
            customer=customer,
            status=Invoice.Status.PAID,
            amount_due_minor=1900,
            amount_paid_minor=1900,
            currency="usd",
            hosted_invoice_url="https://invoice.stripe.com/i/SIMULATED_paid",
        )
        Invoice.objects.create(
            stripe_invoice_id="in_SIMULATED_failed",
            customer=customer,
            status=Invoice.Status.OPEN,
            payment_failed=True,
            amount_due_minor=14900,
            currency="eur",
        )
        Invoice.objects.create(
            stripe_invoice_id="in_SIMULATED_other",
            customer=other_customer,
            status=Invoice.Status.PAID,
            amount_due_minor=77700,
            amount_paid_minor=77700,
            currency="usd",
        )

    page = owner_client.get("/accounts/").content.decode()

    assert 'id="invoices"' in page
    assert "19.00 USD" in page
    assert "149.00 EUR" in page
    assert "payment failed" in page
    assert 'href="https://invoice.stripe.com/i/SIMULATED_paid"' in page
    assert "777.00" not in page  # another user's invoice
