"""Issue 16's way to pay and pages that sell, in Chromium: the pricing page from the navigation (the yearly saving, the
workspace's currency, Checkout where a plan has a Stripe price and the waiting list where it has none), the landing
pages (what CVPlus does, the measured accuracy on the public model card, sign-in instead of "Staff"), no sideways
scrolling at 390 px on the main pages, and every board column on a 1280 px screen.

The live server's Stripe is the fake on loopback (tests/browser/fake_stripe.py); prices are the catalogue's.
"""

from __future__ import annotations

import re
import uuid

import pytest
from django.db import connections
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import User
from accounts.services import user_create
from billing.catalogue import plans_ensure
from billing.models import PaymentWaitlistEntry, Plan
from predictions.models import PredictionLog
from tests.browser.conftest import BROWSER_PASSWORD, log_in, phone_page, sized_page, too_wide
from tests.tracking.factories import ApplicationFactory
from tracking.models import Application, Stage

pytestmark = pytest.mark.browser


@pytest.fixture
def seeker(committed):
    """A free seeker on the consumer site with one application in each open stage."""
    email = f"browser.pricing.{uuid.uuid4().hex[:10]}@example.com"
    with schema_context("public"):
        plans_ensure()  # idempotent: the catalogue stays for the session, as demo_setup leaves it
        Plan.objects.filter(code="premium-monthly").update(stripe_price_id="price_SIMULATED_monthly")
    with schema_context("alpha"):
        logs_before = PredictionLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        user = user_create(email=email, password=BROWSER_PASSWORD, full_name="Paz Pricing")
        now = timezone.now()
        applications = [
            ApplicationFactory(owner=user, posting__title=f"{stage.label} role", stage=stage, stage_changed_at=now)
            for stage in (Stage.SAVED, Stage.APPLIED, Stage.SCREENING, Stage.INTERVIEWING)
        ]
    yield {"user": user, "applications": applications}
    with schema_context("public"):
        PaymentWaitlistEntry.objects.filter(user_id=user.pk).delete()
        Plan.objects.filter(code="premium-monthly").update(stripe_price_id="")
    with schema_context("alpha"):
        # The application page logs the predictions it served (committed by the live server), naming no user.
        PredictionLog.objects.filter(pk__gt=logs_before).delete()
        Application.objects.filter(owner=user).delete()
        user.delete()
    connections.close_all()  # Playwright's event loop ran ORM calls on a connection of its own


@pytest.fixture
def coach(committed):
    email = f"coach.layout.{uuid.uuid4().hex[:8]}@gamma.example"
    with schema_context("gamma"):
        user = user_create(email=email, password=BROWSER_PASSWORD, full_name="Carla Layout", role="coach")
    yield user
    with schema_context("gamma"):
        User.objects.filter(pk=user.pk).delete()
    connections.close_all()


def scroll_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_a_seeker_finds_the_pricing_page_in_the_navigation_and_joins_a_waiting_list(
    live_site, page, seeker, fake_stripe
) -> None:
    site = live_site.format(host="alpha.localhost")
    log_in(page, site, seeker["user"].email)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Plans").click()

    page.wait_for_url(re.compile(r"/billing/pricing/$"))
    main = page.locator("main")
    assert "Prices are in USD, your workspace's currency." in main.inner_text()
    yearly = page.locator("#plan-premium-yearly")
    assert "Save 34 %" in yearly.inner_text()  # 12 × 19.00 − 149.00 = 79.00 of 228.00
    assert "79.00 USD less than twelve monthly payments (228.00 USD)." in yearly.inner_text()
    # Monthly has a Stripe price: it can be bought. Yearly has none: the customer is told and may wait for it.
    assert page.locator("#plan-premium-monthly").get_by_role("button", name="Upgrade to Premium, monthly").is_visible()
    assert "This plan cannot be bought online yet." in yearly.inner_text()
    requests_before = len(fake_stripe.requests)
    yearly.get_by_role("button", name="Join the waiting list for Premium, yearly").click()

    page.wait_for_url(re.compile(r"/billing/pricing/$"))
    assert "You are on the waiting list. Nothing is charged." in main.inner_text()
    assert "You are on the waiting list" in page.locator("#plan-premium-yearly").inner_text()
    with schema_context("public"):
        assert list(
            PaymentWaitlistEntry.objects.filter(user_id=seeker["user"].pk).values_list("plan__code", flat=True)
        ) == ["premium-yearly"]
    assert len(fake_stripe.requests) == requests_before  # waiting for a plan asks Stripe nothing


def test_the_landing_pages_sell_and_sign_in(live_site, page) -> None:
    public = live_site.format(host="localhost")
    page.goto(public + "/")
    nav = page.get_by_role("navigation", name="Main")
    assert "Staff" not in nav.inner_text()
    assert nav.get_by_role("link", name="API licensee sign-in").is_visible()
    nav.get_by_role("link", name="Sign in").click()
    page.wait_for_url(re.compile(r"alpha\.localhost:\d+/accounts/login/$"))

    page.goto(live_site.format(host="alpha.localhost") + "/")
    for section in ("#feature-board", "#feature-match", "#feature-predictions", "#prices", "#languages"):
        assert page.locator(section).is_visible()
    assert "19.00 USD" in page.locator("#prices").inner_text()
    assert "日本語" in page.locator("#languages").inner_text()
    page.get_by_role("link", name="See every measured figure on the model card").click()
    page.wait_for_url(re.compile(r"/model-card/$"))
    assert page.locator("h1").inner_text() == "How accurate the predictions are"


def test_the_main_pages_do_not_scroll_sideways_at_390_px(live_site, browser, seeker, coach) -> None:
    alpha = live_site.format(host="alpha.localhost")
    public = live_site.format(host="localhost")
    application = seeker["applications"][1]
    wide = {}
    with phone_page(browser) as page:
        for url in (public + "/", public + "/model-card/", alpha + "/", alpha + "/billing/pricing/"):
            page.goto(url)
            if scroll_width(page) > 390:
                wide[url] = too_wide(page)
        log_in(page, alpha, seeker["user"].email)
        for path in (
            "/app/",
            f"/app/applications/{application.pk}/",
            "/app/cv/",
            "/app/reminders/",
            "/app/profile/",
            "/billing/pricing/",
            "/app/import/",
        ):
            page.goto(alpha + path)
            if scroll_width(page) > 390:
                wide[path] = too_wide(page)
    with phone_page(browser) as page:
        gamma = live_site.format(host="gamma.localhost")
        page.goto(gamma + "/accounts/login/")
        page.locator("#id_username").fill(coach.email)
        page.locator("#id_password").fill(BROWSER_PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(re.compile(r"/portal/$"))
        if scroll_width(page) > 390:
            wide["/portal/"] = too_wide(page)

    assert wide == {}


def test_the_board_shows_every_column_at_1280_px(live_site, browser, seeker) -> None:
    site = live_site.format(host="alpha.localhost")
    with sized_page(browser, 1280, 800) as page:
        log_in(page, site, seeker["user"].email)
        columns = page.locator(".board .column")

        assert columns.count() == 5
        assert page.evaluate(
            "(() => { const b = document.querySelector('.board'); return b.scrollWidth <= b.clientWidth; })()"
        )
        for index in range(columns.count()):
            box = columns.nth(index).bounding_box()
            assert box["x"] >= 0
            assert box["x"] + box["width"] <= 1280
        assert scroll_width(page) <= 1280
