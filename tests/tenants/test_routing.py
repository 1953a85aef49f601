"""Host → tenant routing: each host gets its own site, schema and language; unknown hosts get a 404 page."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient

from tenants.models import Client, Domain
from tests.tenants.factories import DomainFactory

pytestmark = pytest.mark.django_db


def test_it_serves_the_landing_page_on_the_public_host(public_client) -> None:
    response = public_client.get("/")
    assert response.status_code == 200
    assert b"Know your odds before you apply." in response.content
    assert b'href="http://alpha.localhost/"' in response.content or b"Start as a job seeker" in response.content


def test_it_serves_the_consumer_site_with_sign_up_on_a_consumer_host(client_a) -> None:
    response = client_a.get("/accounts/signup/")
    assert response.status_code == 200
    assert b"Create your account" in response.content
    assert b'name="password2"' in response.content


def test_it_sends_visitors_of_an_enterprise_portal_to_its_login_page_in_its_language(enterprise_client) -> None:
    response = enterprise_client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    page = enterprise_client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert page["Content-Language"] == "de"
    assert b'<html lang="de">' in page.content
    assert b"Anmelden" in page.content


def test_it_lets_the_language_cookie_override_the_tenant_language(enterprise_client) -> None:
    enterprise_client.cookies["django_language"] = "ja"
    page = enterprise_client.get("/accounts/login/")
    assert page["Content-Language"] == "ja"
    assert "ログイン".encode() in page.content


def test_it_follows_the_browser_language_on_the_consumer_site(client_b) -> None:
    page = client_b.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="es")
    assert page["Content-Language"] == "es"


def test_it_uses_the_consumer_tenants_default_language_without_a_browser_preference(client_b) -> None:
    page = client_b.get("/accounts/login/")
    assert page["Content-Language"] == "fr"


def test_it_returns_a_404_page_for_an_unknown_host_without_naming_any_tenant(cast, db) -> None:
    response = HttpClient(HTTP_HOST="no-such-tenant.localhost").get("/")
    assert response.status_code == 404
    assert b"There is no CVPlus site at this address." in response.content
    for tenant in (cast.tenant_a, cast.tenant_b, cast.enterprise):
        assert tenant.name.encode() not in response.content


def test_it_serves_staff_admin_only_on_the_public_host(public_client, client_a) -> None:
    assert public_client.get("/admin/").status_code == 302
    assert client_a.get("/admin/").status_code == 404


def test_it_answers_503_for_a_tenant_that_is_not_provisioned_yet(cast, db) -> None:
    pending = DomainFactory(
        tenant__name="Pending Org", tenant__default_language="en", domain="pending.localhost"
    ).tenant
    response = HttpClient(HTTP_HOST="pending.localhost").get("/accounts/login/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert b"Pending Org is being set up" in response.content
    Client.objects.filter(pk=pending.pk).update(default_language="de")
    german = HttpClient(HTTP_HOST="pending.localhost").get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en")
    assert b'<html lang="de">' in german.content


def test_it_answers_an_unknown_host_in_the_visitors_language_not_the_previous_requests(client_b) -> None:
    assert client_b.get("/accounts/login/")["Content-Language"] == "fr"
    response = HttpClient(HTTP_HOST="no-such-tenant.localhost").get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert b'<html lang="en">' in response.content
    german = HttpClient(HTTP_HOST="no-such-tenant.localhost").get("/", HTTP_ACCEPT_LANGUAGE="de")
    assert b'<html lang="de">' in german.content


def test_it_routes_a_known_host_again_without_querying_the_database(client_a, django_assert_num_queries) -> None:
    assert client_a.get("/accounts/login/").status_code == 200
    with django_assert_num_queries(0):
        assert client_a.get("/accounts/login/").status_code == 200


def test_it_forgets_a_cached_host_when_the_domain_changes(cast, client_a) -> None:
    assert client_a.get("/accounts/login/").status_code == 200
    Domain.objects.filter(domain="alpha.localhost").update(domain="alpha-renamed.localhost")  # no signal: bulk
    Domain.objects.get(domain="alpha-renamed.localhost").save()  # a save clears the cache
    assert client_a.get("/accounts/login/").status_code == 404
    assert HttpClient(HTTP_HOST="alpha-renamed.localhost").get("/accounts/login/").status_code == 200
