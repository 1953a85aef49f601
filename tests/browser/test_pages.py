"""The first pages a newcomer opens, in a real browser: each host shows its own site in its own language."""

from __future__ import annotations

import re

import pytest
from django.db import connections
from django_tenants.utils import schema_context

from accounts.models import User
from tests.browser.conftest import confirm_path

pytestmark = pytest.mark.browser


def test_it_shows_the_landing_page_and_credits_the_data_sources(live_site, page) -> None:
    page.goto(live_site.format(host="localhost") + "/")
    assert page.locator("h1").inner_text() == "Know your odds before you apply."
    page.get_by_role("link", name="Data sources", exact=True).first.click()
    page.wait_for_url(re.compile(r"/data-sources/$"))
    body = page.locator("main").inner_text()
    assert "O*NET 29.2 Database by the U.S. Department of Labor" in body
    assert "ESCO" in body


def test_it_signs_a_job_seeker_up_on_the_consumer_site(live_site, page, committed) -> None:
    email = "browser.seeker@example.com"
    try:
        page.goto(live_site.format(host="alpha.localhost") + "/")
        page.get_by_role("link", name="Create a free account").click()
        page.get_by_label("Email address").fill(email)
        page.get_by_label("Full name").fill("Bea Browser")
        page.get_by_label("Password", exact=True).fill("a-long-browser-passphrase")
        page.get_by_label("Password confirmation").fill("a-long-browser-passphrase")
        page.get_by_label("I have read the privacy notice").check()
        page.get_by_role("button", name="Sign up").click()
        page.wait_for_url(re.compile(r"/accounts/signup/sent/$"))
        assert page.locator("h1").inner_text() == "Check your inbox"
        page.goto(live_site.format(host="alpha.localhost") + confirm_path(email))
        page.get_by_role("button", name="Confirm and log in").click()
        page.wait_for_url(re.compile(r"alpha\.localhost:\d+/app/$"))
        assert page.locator("h1").inner_text() == "Your applications"
        assert "Welcome to CVPlus. Your account is ready." in page.locator("main").inner_text()
        with schema_context("alpha"):
            assert User.objects.filter(email=email).exists()
        with schema_context("beta"):
            assert not User.objects.filter(email=email).exists()
    finally:
        with schema_context("alpha"):
            User.objects.filter(email=email).delete()
        # The ORM ran inside Playwright's event-loop context, which has its own connection: close it here.
        connections.close_all()


def test_it_shows_an_enterprise_portal_in_its_language_and_switches_language(live_site, page) -> None:
    page.goto(live_site.format(host="gamma.localhost") + "/")
    page.wait_for_url(re.compile(r"/accounts/login/$"))
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.locator("h1").inner_text() == "Anmelden"
    page.locator("#language-select").select_option("ja")
    page.wait_for_load_state("load")
    page.wait_for_function("document.documentElement.lang === 'ja'")
    assert page.locator("h1").inner_text() == "ログイン"


def test_it_shows_a_404_page_for_an_unknown_host(live_site, page) -> None:
    response = page.goto(live_site.format(host="nobody.localhost") + "/")
    assert response.status == 404
    assert "There is no CVPlus site at this address." in page.locator("main").inner_text()
