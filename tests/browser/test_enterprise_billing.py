"""Issue 13's billing and staff pages in Chromium on a 390 px phone: an organisation's administrator reads the
programme's contract on the German portal (no sideways scrolling, no consumer plans), and staff search the directory
in admin without the results table pushing the page sideways. Rows are committed for the live server and removed."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.db import connection, connections
from django_tenants.utils import schema_context

from accounts.models import User
from accounts.services import user_create, user_ensure
from billing.models import Contract
from tenants.models import StaffAction
from tests.billing.test_enterprise_billing import contract
from tests.browser.conftest import fits_the_screen, phone_page
from tests.browser.test_csp import Violations

pytestmark = pytest.mark.browser

ADMIN_EMAIL = "katrin.lindner@gamma.example"
STAFF_EMAIL = "directory.staff@cvplus.example"
PASSWORD = "a-long-browser-passphrase"


@pytest.fixture
def organisation(committed) -> Iterator[None]:
    """An administrator in gamma and a contract in force (SIMULATED), committed."""
    with schema_context("gamma"):
        user_create(email=ADMIN_EMAIL, password=PASSWORD, full_name="Katrin Lindner", role=User.Role.ADMINISTRATOR)
    signed = contract()  # 40 seats at 12.50 EUR, in force
    yield
    connection.set_schema_to_public()
    Contract.objects.filter(pk=signed.pk).delete()
    with schema_context("gamma"):
        User.objects.filter(email=ADMIN_EMAIL).delete()
    connections.close_all()


@pytest.fixture
def staff_user(committed) -> Iterator[str]:
    connection.set_schema_to_public()
    user, _created = user_ensure(email=STAFF_EMAIL, password=PASSWORD, full_name="Dana Okafor", is_staff=True)
    yield STAFF_EMAIL
    connection.set_schema_to_public()
    StaffAction.objects.filter(actor_email=STAFF_EMAIL).delete()  # the audit log is append-only, except in tests
    with connection.cursor() as cursor:  # the ORM's cascade would look for tenant tables in public
        cursor.execute("DELETE FROM accounts_user WHERE email = %s", [STAFF_EMAIL])
    connections.close_all()


def sign_in(page, url: str, email: str) -> None:
    page.goto(url)
    page.locator('input[name="username"]').fill(email)
    page.locator('input[name="password"]').fill(PASSWORD)
    page.locator('form [type="submit"]').first.click()
    page.wait_for_url(lambda address: "/login/" not in address)


def test_an_administrator_reads_the_contract_in_german_on_a_phone(live_site, browser, organisation) -> None:
    site = live_site.format(host="gamma.localhost")
    with phone_page(browser) as page:
        violations = Violations(page)
        sign_in(page, site + "/accounts/login/", ADMIN_EMAIL)
        violations.visit(site + "/billing/pricing/")

        assert page.locator("html").get_attribute("lang") == "de"
        assert "12,50 EUR" in page.locator("#contract-terms").inner_text()
        assert page.locator("#plan-premium-monthly").count() == 0
        assert page.locator('form[action*="/billing/checkout/"]').count() == 0
        assert fits_the_screen(page)
        assert not violations.seen(), "\n".join(violations.seen())


def test_staff_search_the_directory_on_a_phone(live_site, browser, staff_user) -> None:
    public = live_site.format(host="localhost")
    with phone_page(browser) as page:
        violations = Violations(page)
        sign_in(page, public + "/admin/login/?next=/admin/", staff_user)
        page.get_by_role("link", name="Staff directory").click()
        page.locator('input[name="q"]').fill("member@")
        page.get_by_role("button", name="Search").click()
        page.wait_for_url(re.compile(r"\?q=member"))

        rows = page.locator("#directory-results tbody tr")
        assert rows.count() == 2  # member@alpha and member@gamma
        assert fits_the_screen(page)
        violations.visit(page.url)  # the results page, checked on its own load
        violations.visit(public + "/admin/tenants/staffaction/")
        assert not violations.seen(), "\n".join(violations.seen())
