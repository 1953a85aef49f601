"""A seeker fills in their profile from the navigation on a phone-sized screen, is told which field is wrong, and
finds their values again."""

from __future__ import annotations

import re
import uuid

import pytest
from django.db import connections
from django_tenants.utils import schema_context

from accounts.models import User
from accounts.services import user_create
from market.models import Country, Currency
from privacy.erasure import sessions_delete_for
from tests.browser.conftest import fits_the_screen, log_in, phone_page
from tracking.models import CandidateProfile

pytestmark = pytest.mark.browser
PASSWORD = "a-long-browser-passphrase"
# Reference rows the page offers, with CLDR's longest English names so the select is as wide as it gets.
CURRENCIES = {"CAD": "Canadian Dollar", "XCD": "East Caribbean Dollar"}
COUNTRIES = {"CA": ("Canada", "CAD"), "VC": ("St. Vincent & Grenadines", "XCD")}


@pytest.fixture
def reference_rows(committed):
    """The countries and currencies the form lists, committed for the live server; only the rows made here are
    removed afterwards."""
    made_currencies = [
        code
        for code, name in CURRENCIES.items()
        if Currency.objects.get_or_create(code=code, defaults={"name": name, "minor_digits": 2})[1]
    ]
    made_countries = [
        iso2
        for iso2, (name, currency) in COUNTRIES.items()
        if Country.objects.get_or_create(iso2=iso2, defaults={"name": name, "currency_id": currency})[1]
    ]
    yield
    Country.objects.filter(iso2__in=made_countries).delete()
    Currency.objects.filter(code__in=made_currencies).delete()


@pytest.fixture
def seeker(committed, reference_rows):
    email = f"browser.profile.{uuid.uuid4().hex[:10]}@example.com"
    with schema_context("alpha"):
        user = user_create(email=email, password=PASSWORD, full_name="Paula Profile")
    yield user
    with schema_context("alpha"):
        sessions_delete_for(user)  # a session left behind would count in tests/privacy/test_retention.py
        User.objects.filter(pk=user.pk).delete()
    connections.close_all()  # Playwright's event loop ran ORM calls on a connection of its own


def test_it_fills_in_the_profile_from_the_navigation_at_390_px(live_site, browser, seeker) -> None:
    site = live_site.format(host="alpha.localhost")
    with phone_page(browser) as page:
        log_in(page, site, seeker.email, PASSWORD)

        page.get_by_role("navigation", name="Main").get_by_role("link", name="Profile").click()
        page.wait_for_url(re.compile(r"/app/profile/$"))
        assert page.locator("h1").inner_text() == "Your profile"
        assert fits_the_screen(page)

        page.get_by_label("Your country").select_option("CA")
        page.get_by_label("Years of experience").fill("-2")
        page.get_by_label("Experience level").select_option("SE")
        page.get_by_label("Show salaries in").select_option("XCD")
        page.get_by_role("button", name="Save").click()
        error = page.locator(".field.has-error")
        assert "Years of experience cannot be negative." in error.inner_text()
        assert "Years of experience" in error.locator("label").inner_text()
        assert fits_the_screen(page)
        with schema_context("alpha"):
            assert not CandidateProfile.objects.filter(user=seeker, years_experience__isnull=False).exists()

        page.get_by_label("Years of experience").fill("6")
        page.get_by_role("button", name="Save").click()
        page.wait_for_url(re.compile(r"/app/profile/$"))
        assert "Your profile was saved." in page.locator(".messages").inner_text()
        assert page.get_by_label("Your country").input_value() == "CA"
        assert page.get_by_label("Years of experience").input_value() == "6"
        assert page.get_by_label("Show salaries in").input_value() == "XCD"
        with schema_context("alpha"):
            saved = CandidateProfile.objects.get(user=seeker)
            assert (saved.country, saved.years_experience, saved.experience_level, saved.preferred_currency) == (
                "CA",
                6,
                "SE",
                "XCD",
            )
