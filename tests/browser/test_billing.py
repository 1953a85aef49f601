"""A free user meets a premium feature in a real browser: the application page's locked interview section names
the feature and links to the pricing page, which shows the plans with the current one marked; upgrading sends the
browser to Stripe Checkout.

The live server runs in its own process; its real `stripe` library talks to a fake Stripe API on loopback
(tests/browser/fake_stripe.py, STRIPE_API_BASE), which answers the Checkout Session with a SIMULATED checkout page.
"""

from __future__ import annotations

import re
import uuid

import pytest
from django.db import connections
from django_tenants.utils import schema_context

from accounts.services import user_create
from billing.catalogue import plans_ensure
from billing.models import Plan
from tests.predictions.serving_support import owner_application
from tracking.models import Application

pytestmark = pytest.mark.browser
PASSWORD = "a-long-browser-passphrase"


@pytest.fixture
def free_seeker(committed):
    email = f"browser.billing.{uuid.uuid4().hex[:10]}@example.com"
    with schema_context("public"):
        plans_ensure()  # idempotent: the catalogue stays for the session, as demo_setup leaves it
        Plan.objects.filter(code="premium-monthly").update(stripe_price_id="price_SIMULATED_monthly")
    with schema_context("alpha"):
        user = user_create(email=email, password=PASSWORD, full_name="Fran Free")
    yield user
    with schema_context("alpha"):
        Application.objects.filter(owner=user).delete()
        user.delete()
    with schema_context("public"):
        Plan.objects.filter(code="premium-monthly").update(stripe_price_id="")
    connections.close_all()  # Playwright's event loop ran ORM calls on a connection of its own


def test_it_leads_a_free_user_from_a_locked_prediction_through_the_pricing_page_to_checkout(
    live_site, page, free_seeker, fake_stripe
) -> None:
    application = owner_application(free_seeker, title="Data Scientist", country="US", marker=uuid.uuid4().hex[:6])
    site = live_site.format(host="alpha.localhost")
    page.goto(site + "/accounts/login/")
    page.get_by_label("Email address").fill(free_seeker.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/app/$"))

    page.goto(f"{site}/app/applications/{application.pk}/")
    interview = page.locator("#prediction-interview")
    assert "Unlock interview and offer probability." in interview.inner_text()
    assert "The Free plan does not include" in interview.inner_text()
    interview.get_by_role("link", name="See plans to unlock it").click()

    page.wait_for_url(re.compile(r"/billing/pricing/$"))
    assert page.get_by_role("heading", name="Plans and pricing").is_visible()
    assert "You are on the Free plan." in page.locator("main").inner_text()
    assert "Your plan" in page.locator("#plan-free").inner_text()
    page.get_by_role("button", name="Upgrade to Premium, monthly").click()

    page.wait_for_url(re.compile(r"/c/pay/cs_SIMULATED$"))
    assert "SIMULATED Stripe Checkout" in page.locator("h1").inner_text()
    created = [form for method, path, form in fake_stripe.requests if path == "/v1/checkout/sessions"]
    assert len(created) == 1
    assert created[0]["line_items[0][price]"] == "price_SIMULATED_monthly"
    assert created[0]["mode"] == "subscription"
    assert created[0]["metadata[tenant]"] == "alpha"
    assert created[0]["metadata[user_id]"] == str(free_seeker.pk)


@pytest.fixture
def licensee_with_calls(committed):
    from billing.api_keys import api_key_issue
    from billing.metering import meter
    from tests.billing.licensees import licensee_create

    with schema_context("public"):
        licensee = licensee_create(quota=1000, rate=60, name=f"Browser Licensee {uuid.uuid4().hex[:6]}")
        _key, secret = api_key_issue(licensee=licensee, name="browser")
        meter(licensee, 42)
    yield licensee, secret
    with schema_context("public"):
        licensee.delete()
        licensee.plan.delete()
    connections.close_all()


def test_a_licensee_signs_in_with_a_key_and_sees_usage_and_quota(live_site, page, licensee_with_calls) -> None:
    licensee, secret = licensee_with_calls
    site = live_site.format(host="localhost")
    page.goto(site + "/")
    page.get_by_role("link", name="API licensee sign-in").click()
    page.wait_for_url(re.compile(r"/licensee/$"))

    page.get_by_label("API key").fill(secret[:-1] + ("x" if secret[-1] != "x" else "y"))
    page.get_by_role("button", name="Sign in").click()
    assert "This API key is unknown or has been revoked." in page.locator("main").inner_text()

    page.get_by_label("API key").fill(secret)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/licensee/usage/$"))
    assert page.get_by_role("heading", name=f"API usage for {licensee.name}").is_visible()
    assert "42 of 1,000 calls used; 958 left." in page.locator("#quota").inner_text()
    chart = page.locator("svg.usage-chart")
    assert chart.is_visible()
    assert chart.bounding_box()["height"] > 50
    assert page.locator("svg.usage-chart rect").count() == 30
    assert secret not in page.content()

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/licensee/$"))
    page.goto(site + "/licensee/usage/")
    page.wait_for_url(re.compile(r"/licensee/$"))
