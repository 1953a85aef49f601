"""The privacy notice: one per tenant, with that tenant's retention periods, versioned, linked from the footer, the
sign-up form and the account page, which also shows the version the person accepted."""

from __future__ import annotations

import re

import pytest
from django_tenants.utils import schema_context

from privacy.notice import NOTICE_VERSION
from privacy.services import consent_record
from tenants.models import Client
from tests.conftest import login

pytestmark = pytest.mark.django_db


def _retention(page: str) -> str:
    return re.search(r'<ul class="erase-list" id="retention">(.*?)</ul>', page, re.S).group(1)


def test_it_shows_each_tenants_own_retention_periods_and_the_notices_version(cast, client_a, client_b) -> None:
    Client.objects.filter(schema_name="alpha").update(retention_unreadable_upload_days=12)
    Client.objects.filter(schema_name="beta").update(retention_unreadable_upload_days=45)

    alpha = client_a.get("/privacy/").content.decode()
    beta = client_b.get("/privacy/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "12 days" in _retention(alpha)
    assert "45 days" in _retention(beta)
    assert f"Version {NOTICE_VERSION}, in effect since" in alpha
    assert "Stripe" in alpha
    assert "CVPlus runs this site and decides what happens to your data" in alpha


def test_it_names_the_organisation_as_responsible_on_an_enterprise_portal(cast, enterprise_client) -> None:
    page = enterprise_client.get("/privacy/", HTTP_ACCEPT_LANGUAGE="en", HTTP_COOKIE="django_language=en").content
    assert "Tenant gamma decides what happens to its members" in page.decode()


def test_it_links_the_notice_from_the_footer_the_sign_up_form_and_the_account_page(cast, client_a) -> None:
    for path in ("/accounts/login/", "/accounts/signup/"):
        assert 'href="/privacy/"' in client_a.get(path).content.decode(), path
    with schema_context("alpha"):
        from accounts.models import User

        consent_record(user=User.objects.get(email=cast.owner_email))
    login(client_a, cast.owner_email)

    account = client_a.get("/accounts/").content.decode()

    assert 'href="/privacy/"' in account
    assert 'href="/privacy/export/"' in account
    assert 'href="/privacy/erase/account/"' in account
    assert f"You accepted version {NOTICE_VERSION} of the privacy notice" in account
    assert 'href="/privacy/members/"' not in account  # not an administrator
