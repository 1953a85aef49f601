"""A free user meets a premium feature in a real browser: the application page's locked interview section names
the feature and links to the pricing page, which shows the plans with the current one marked.

The live server runs in its own process with the test settings and no Stripe keys, so its Checkout call cannot be
recorded here: this test follows the user to the pricing page and its "billing is not configured" message, and
tests/billing/test_checkout.py covers the upgrade button's Checkout Session and 303 redirect with the real `stripe`
library and a recording HTTP client.
"""

from __future__ import annotations

import re
import uuid

import pytest
from django.db import connections
from django_tenants.utils import schema_context

from accounts.services import user_create
from billing.catalogue import plans_ensure
from tests.predictions.serving_support import owner_application
from tracking.models import Application

pytestmark = pytest.mark.browser
PASSWORD = "a-long-browser-passphrase"


@pytest.fixture
def free_seeker(committed):
    email = f"browser.billing.{uuid.uuid4().hex[:10]}@example.com"
    with schema_context("public"):
        plans_ensure()  # idempotent: the catalogue stays for the session, as demo_setup leaves it
    with schema_context("alpha"):
        user = user_create(email=email, password=PASSWORD, full_name="Fran Free")
    yield user
    with schema_context("alpha"):
        Application.objects.filter(owner=user).delete()
        user.delete()
    connections.close_all()  # Playwright's event loop ran ORM calls on a connection of its own


def test_it_leads_a_free_user_from_a_locked_prediction_to_the_pricing_page(live_site, page, free_seeker) -> None:
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
    assert "Billing is not configured on this site yet" in page.locator("#billing-not-configured").inner_text()
    assert "You are on the Free plan." in page.locator("main").inner_text()
    assert "Your plan" in page.locator("#plan-free").inner_text()
    assert "Premium, monthly" in page.locator("#plan-premium-monthly").inner_text()
    assert page.get_by_role("button", name=re.compile("Upgrade to")).count() == 0  # nothing to buy without keys
