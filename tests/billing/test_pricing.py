# ruff: noqa: F811 - fixtures imported by name are redefined as test arguments
"""The seeker's pricing page: in the navigation, prices in the workspace's currency (or the one plans are charged in,
said so), the yearly saving computed from the plans' own prices, and without Stripe a message to the customer with a
waiting list that is joined once however often one asks; staff see the list and the Stripe setup in admin.

Prices are the catalogue's (billing/catalogue.py) unless a test changes them; no Stripe request is made here.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client as HttpClient
from django_tenants.utils import schema_context

from billing.catalogue import plans_ensure
from billing.models import PaymentWaitlistEntry, Plan
from billing.offers import yearly_saving
from tenants.models import Client
from tests.accounts.factories import StaffUserFactory
from tests.billing.stripe_fakes import SECRET_KEY
from tests.conftest import ENTERPRISE_HOST, PASSWORD, PUBLIC_HOST, login
from tests.tracking.conftest import owner, owner_client  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db

PRICING = "/billing/pricing/"
STAFF_EMAIL = "ines.kessler@cvplus.example"


@pytest.fixture
def plans(cast) -> dict[str, Plan]:
    with schema_context("public"):
        return {plan.code: plan for plan in plans_ensure()}


@pytest.fixture
def no_stripe(settings) -> None:
    settings.STRIPE_SECRET_KEY = ""


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("\u00a0", " ")


def article(page: str, code: str) -> str:
    start = page.index(f'id="plan-{code}"')
    return page[start : page.index("</article>", start)]


def waitlist_rows(user_id: int) -> list[tuple[str, str]]:
    with schema_context("public"):
        return list(
            PaymentWaitlistEntry.objects.filter(user_id=user_id).values_list("tenant__schema_name", "plan__code")
        )


def test_it_links_the_pricing_page_from_the_seekers_navigation_signed_in_and_out(cast, owner_client, plans) -> None:
    signed_in = owner_client.get("/app/").content.decode()
    signed_out = HttpClient(HTTP_HOST="alpha.localhost").get("/").content.decode()

    for page in (signed_in, signed_out):
        nav = page[page.index('<nav aria-label="Main"') : page.index("</nav>")]
        assert 'href="/billing/pricing/"' in nav


def test_it_computes_the_yearly_saving_from_the_plans_prices(owner_client, plans, no_stripe) -> None:
    with schema_context("public"):
        Plan.objects.filter(code="premium-monthly").update(price_minor=2000)
        Plan.objects.filter(code="premium-yearly").update(price_minor=18000)

    page = owner_client.get(PRICING).content.decode()

    yearly = text_of(article(page, "premium-yearly"))
    # 12 × 20.00 = 240.00; 240.00 − 180.00 = 60.00, a quarter.
    assert "Save 25 %" in yearly
    assert "60.00 USD less than twelve monthly payments (240.00 USD)." in yearly
    assert "Save" not in text_of(article(page, "premium-monthly"))


def test_it_computes_the_catalogue_saving_exactly(plans) -> None:
    saving = yearly_saving(monthly_minor=1900, yearly_minor=14900, currency="USD")

    assert (saving.amount, saving.percent, saving.monthly_total) == ("79.00 USD", 34, "228.00 USD")
    assert yearly_saving(monthly_minor=1000, yearly_minor=12000, currency="USD") is None


def test_it_shows_prices_in_the_workspaces_currency_when_plans_are_priced_in_it(cast, client_b, plans) -> None:
    with schema_context("public"):
        for code, price in (("premium-monthly", 1700), ("premium-yearly", 13900)):
            source = Plan.objects.get(code=code)
            Plan.objects.create(
                code=f"{code}-eur",
                kind=source.kind,
                interval=source.interval,
                name_en=f"{source.name_en} (EUR)",
                price_minor=price,
                currency="EUR",
                features=source.features,
                sort_order=source.sort_order,
            )
    login(client_b, cast.stranger_email)

    page = text_of(client_b.get(PRICING, HTTP_ACCEPT_LANGUAGE="en").content.decode())

    assert "Prices are in EUR, your workspace's currency." in page
    assert "17.00 EUR" in page
    assert "139.00 EUR" in page
    assert "0.00 EUR" in page  # Free, in the workspace's currency
    assert "USD" not in page
    assert "Save 31 %" in page  # 12 × 17.00 = 204.00; 204.00 − 139.00 = 65.00 = 31.9 %


def test_it_says_which_currency_plans_are_charged_in_when_none_is_priced_in_the_workspaces(
    cast, client_b, plans
) -> None:
    login(client_b, cast.stranger_email)

    page = text_of(client_b.get(PRICING, HTTP_ACCEPT_LANGUAGE="en").content.decode())

    assert "Prices are in USD, the currency plans are charged in on this server (your workspace uses EUR)." in page
    assert "19.00 USD" in page


def test_it_tells_the_customer_payments_are_unavailable_without_staff_instructions(
    owner, owner_client, plans, no_stripe
) -> None:
    page = owner_client.get(PRICING).content.decode()
    text = text_of(page)

    assert "Payments are not available on this server yet, so plans cannot be bought here." in text
    assert "Join the waiting list for Premium, monthly" in text
    assert 'action="/billing/waitlist/premium-yearly/"' in page
    assert 'action="/billing/checkout/' not in page
    for staff_words in ("admin", "Staff", "configured", "Stripe", "STRIPE"):
        assert staff_words not in text


def test_it_joins_the_waiting_list_once_however_often_one_asks(owner, owner_client, plans, no_stripe) -> None:
    first = owner_client.post("/billing/waitlist/premium-yearly/", follow=True)
    second = owner_client.post("/billing/waitlist/premium-yearly/", follow=True)

    assert first.redirect_chain == [(PRICING, 302)]
    assert "You are on the waiting list. Nothing is charged." in first.content.decode()
    assert "You were already on the waiting list for this plan." in second.content.decode()
    assert waitlist_rows(owner.pk) == [("alpha", "premium-yearly")]
    assert "You are on the waiting list" in text_of(article(second.content.decode(), "premium-yearly"))
    assert 'action="/billing/waitlist/premium-yearly/"' not in second.content.decode()


def test_it_refuses_a_plan_not_on_sale_and_writes_nothing(owner, owner_client, plans, no_stripe) -> None:
    for code in ("free", "api-starter", "no-such-plan"):
        response = owner_client.post(f"/billing/waitlist/{code}/", follow=True)
        assert "This plan is not on sale." in response.content.decode()

    assert waitlist_rows(owner.pk) == []


def test_it_asks_a_visitor_to_log_in_before_joining(cast, client_a, plans, no_stripe) -> None:
    page = client_a.get(PRICING).content.decode()
    response = client_a.post("/billing/waitlist/premium-monthly/")

    assert "Log in to join the waiting list" in page
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    with schema_context("public"):
        assert not PaymentWaitlistEntry.objects.exists()


def test_it_refuses_the_waiting_list_on_an_organisations_host(cast, plans, no_stripe) -> None:
    client = HttpClient(HTTP_HOST=ENTERPRISE_HOST)
    login(client, cast.enterprise_email)

    response = client.post("/billing/waitlist/premium-monthly/")

    assert response.status_code == 403
    with schema_context("public"):
        assert not PaymentWaitlistEntry.objects.exists()


def test_it_offers_checkout_not_the_waiting_list_where_stripe_is_configured(owner_client, plans, settings) -> None:
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    with schema_context("public"):
        Plan.objects.filter(code="premium-monthly").update(stripe_price_id="price_SIMmonthly")

    page = owner_client.get(PRICING).content.decode()

    assert "Payments are not available" not in page
    assert 'action="/billing/checkout/premium-monthly/"' in article(page, "premium-monthly")
    # Configured, but the yearly plan has no Stripe price yet: it cannot be bought online, so it can be waited for.
    yearly = article(page, "premium-yearly")
    assert "This plan cannot be bought online yet." in text_of(yearly)
    assert 'action="/billing/waitlist/premium-yearly/"' in yearly


def test_it_shows_staff_the_waiting_list_and_how_to_configure_stripe(cast, owner, plans, no_stripe) -> None:
    with schema_context("public"):
        alpha = Client.objects.get(schema_name="alpha")
        PaymentWaitlistEntry.objects.create(tenant=alpha, user_id=owner.pk, plan=plans["premium-monthly"])
        StaffUserFactory(email=STAFF_EMAIL, full_name="Ines Kessler")
    admin = HttpClient(HTTP_HOST=PUBLIC_HOST)
    assert admin.post("/admin/login/?next=/admin/", {"username": STAFF_EMAIL, "password": PASSWORD}).status_code == 302

    waitlist = admin.get("/admin/billing/paymentwaitlistentry/").content.decode()
    plan_list = text_of(admin.get("/admin/billing/plan/").content.decode())

    assert "premium-monthly" in waitlist
    assert f"/admin/tenants/client/directory/{alpha.pk}/{owner.pk}/" in waitlist or f">{owner.pk}</a>" in waitlist
    assert "Stripe is not configured on this server" in plan_list
    assert "STRIPE_SECRET_KEY" in plan_list
    assert "premium-monthly, premium-yearly" in plan_list  # offered without a Stripe price id
