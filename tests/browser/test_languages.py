"""The language switcher in a real browser: a signed-in seeker switches the site to Japanese, then German, and sees
the navigation, the dates of an application and the plan prices change with it, and keeps the choice."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime

import pytest
from django.db import connections
from django_tenants.utils import schema_context

from accounts.models import User
from accounts.services import user_create
from billing.catalogue import plans_ensure
from tests.predictions.serving_support import owner_application
from tracking.models import Application, JobPosting

pytestmark = pytest.mark.browser
PASSWORD = "a-long-browser-passphrase"
SAVED_ON = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def english_seeker(committed):
    """A seeker of the consumer site who chose English (a saved language outranks the switcher's cookie: the switcher
    must change it) with one application whose posting was saved on 1 December 2026."""
    email = f"browser.languages.{uuid.uuid4().hex[:10]}@example.com"
    with schema_context("public"):
        plans_ensure()  # idempotent: the catalogue stays for the session, as demo_setup leaves it
    with schema_context("alpha"):
        user = user_create(email=email, password=PASSWORD, full_name="Lena Lingua", language="en")
    application = owner_application(user, title="Data Scientist", country="US", marker=uuid.uuid4().hex[:6])
    with schema_context("alpha"):
        JobPosting.objects.filter(pk=application.posting_id).update(created_at=SAVED_ON)
    yield user, application
    with schema_context("alpha"):
        Application.objects.filter(owner=user).delete()
        user.delete()
    connections.close_all()  # Playwright's event loop ran ORM calls on a connection of its own


def test_it_switches_text_dates_and_prices_to_japanese_then_german(live_site, page, english_seeker) -> None:
    user, application = english_seeker
    site = live_site.format(host="alpha.localhost")
    page.goto(site + "/accounts/login/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/app/$"))
    application_url = f"{site}/app/applications/{application.pk}/"

    def switch_to(language: str) -> None:
        page.locator("#language-select").select_option(language)
        page.wait_for_function(f"document.documentElement.lang === '{language}'")

    def monthly_price() -> str:
        page.goto(site + "/billing/pricing/")
        return page.locator("#plan-premium-monthly .prediction-value strong").inner_text()

    page.goto(application_url)
    nav = page.get_by_role("navigation", name="Main")
    assert nav.get_by_role("link", name="Reminders").is_visible()
    assert "Dec. 1, 2026" in page.locator("main").inner_text()
    assert monthly_price() == "19.00 USD"

    page.goto(application_url)
    switch_to("ja")
    assert page.url == application_url  # the switcher comes back to the page it was used on
    nav = page.get_by_role("navigation", name="メインナビゲーション")
    assert nav.get_by_role("link", name="リマインダー").is_visible()
    assert nav.get_by_role("link", name="ボード").is_visible()
    assert "2026年12月1日" in page.locator("main").inner_text()
    assert page.get_by_role("heading", name="給与レンジ").is_visible()
    assert monthly_price() == "19.00 USD"  # Japanese writes decimals with a point, like English
    assert page.get_by_role("heading", name="プランと料金").is_visible()

    switch_to("de")
    assert page.get_by_role("heading", name="Tarife und Preise").is_visible()
    assert page.locator("#plan-premium-monthly .prediction-value strong").inner_text() == "19,00 USD"
    page.goto(application_url)
    assert page.get_by_role("link", name="Erinnerungen").is_visible()
    assert "1. Dezember 2026" in page.locator("main").inner_text()
    assert "2026年12月1日" not in page.locator("main").inner_text()
    assert page.get_by_role("heading", name="Gehaltsspanne").is_visible()

    with schema_context("alpha"):
        assert User.objects.get(pk=user.pk).language == "de"  # kept for the next visit and for emails
