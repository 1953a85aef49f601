"""Password-reset e-mails link to the tenant's primary domain with the configured scheme and port
(tenants.links.tenant_absolute_url), whatever Host the request that asked for them carried."""

from __future__ import annotations

import re

from django.core import mail
from django.test import Client as HttpClient

from tenants.models import Domain
from tests.conftest import PASSWORD

RESET = "/accounts/password-reset/"


def reset_link(host: str, email: str) -> str:
    response = HttpClient(HTTP_HOST=host).post(RESET, {"email": email})
    assert response.status_code == 302
    (message,) = mail.outbox
    return re.search(r"https?://\S+/accounts/reset/\S+/", message.body).group(0)


def test_it_ignores_the_port_of_the_requests_host(cast, db) -> None:
    link = reset_link("alpha.localhost:6666", cast.member_email)

    assert link.startswith("http://alpha.localhost/accounts/reset/")
    assert ":6666" not in mail.outbox[0].body


def test_it_links_to_the_primary_domain_from_an_alias(cast, db, settings) -> None:
    settings.SITE_SCHEME, settings.SITE_PORT = "https", 8443
    Domain.objects.create(domain="careers-alias.localhost", tenant=cast.tenant_a, is_primary=False)

    link = reset_link("careers-alias.localhost:7777", cast.member_email)

    assert link.startswith("https://alpha.localhost:8443/accounts/reset/")
    assert "alias" not in mail.outbox[0].body
    assert "account at alpha.localhost." in mail.outbox[0].body


def test_the_link_still_sets_a_new_password(cast, db) -> None:
    link = reset_link("alpha.localhost:6666", cast.member_email)
    client = HttpClient(HTTP_HOST="alpha.localhost")
    form_page = client.get(link.removeprefix("http://alpha.localhost"), follow=True)

    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": PASSWORD[::-1], "new_password2": PASSWORD[::-1]}
    )

    assert done.status_code == 302
