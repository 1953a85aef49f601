"""A person takes their data and closes their account from the account page, on a phone-sized screen."""

from __future__ import annotations

import re
import uuid
import zipfile

import pytest
from django.db import connections
from django_tenants.utils import schema_context

from accounts.models import User
from accounts.services import user_create
from privacy.models import AuditEntry, ErasureRequest
from tests.tracking.factories import ApplicationFactory
from tracking.models import Application

pytestmark = pytest.mark.browser
PASSWORD = "a-long-browser-passphrase"


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _too_wide(page) -> list[str]:
    """The elements whose content is wider than they are (what makes a page scroll sideways)."""
    return page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.scrollWidth > e.clientWidth + 1 && e.clientWidth)"
        ".map(e => `${e.tagName}.${e.className} ${e.scrollWidth} > ${e.clientWidth}`)"
    )


@pytest.fixture
def seeker(committed):
    email = f"browser.privacy.{uuid.uuid4().hex[:10]}@example.com"
    with schema_context("alpha"):
        user = user_create(email=email, password=PASSWORD, full_name="Pat Private")
        ApplicationFactory(owner=user)
    yield user
    with schema_context("alpha"):
        AuditEntry.objects.all().delete()
        ErasureRequest.objects.filter(user_id=user.pk).delete()
        Application.objects.filter(owner_id=user.pk).delete()  # postings are protected while pinned
        User.objects.filter(pk=user.pk).delete()
    connections.close_all()  # Playwright's event loop ran ORM calls on a connection of its own


def test_it_exports_then_erases_an_account_from_the_account_page_at_390_px(live_site, browser, seeker, tmp_path):
    context = browser.new_context(locale="en-US", viewport={"width": 390, "height": 844}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        site = live_site.format(host="alpha.localhost")
        page.goto(site + "/accounts/login/")
        page.get_by_label("Email address").fill(seeker.email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(re.compile(r"/app/$"))
        page.goto(site + "/accounts/")
        assert _fits(page), _too_wide(page)

        with page.expect_download() as download:
            page.get_by_role("link", name="Download all my data (ZIP)").click()
        saved = tmp_path / download.value.suggested_filename
        download.value.save_as(saved)
        assert saved.suffix == ".zip"
        assert "data.json" in zipfile.ZipFile(saved).namelist()

        page.locator("#privacy summary").click()
        page.get_by_role("link", name="Erase my account…").click()
        page.wait_for_url(re.compile(r"/privacy/erase/account/$"))
        assert "1 application, with its history" in page.locator("#erase-what").inner_text()
        assert _fits(page), _too_wide(page)
        page.get_by_label("Your password, to confirm").fill(PASSWORD)
        page.get_by_role("button", name="Erase the account").click()
        page.wait_for_url(re.compile(r"/privacy/erase/account/done/$"))
        assert page.locator("h1").inner_text() == "Your account is closed"
        with schema_context("alpha"):
            assert not User.objects.get(pk=seeker.pk).is_active
            assert ErasureRequest.objects.filter(user_id=seeker.pk).exists()
    finally:
        context.close()
