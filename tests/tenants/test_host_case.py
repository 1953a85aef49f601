"""Host names are case-insensitive (RFC 4343): ``APP.LOCALHOST`` is the same site as ``app.localhost``."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient

from tenants.middleware import tenant_host_cache_clear
from tenants.models import Domain
from tests.tenants.factories import DomainFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("host", ["ALPHA.LOCALHOST", "Alpha.LocalHost:8000", "alpha.LOCALHOST."])
def test_it_routes_a_host_in_any_case_to_its_tenant(cast, host) -> None:
    response = HttpClient(HTTP_HOST=host).get("/accounts/signup/")
    assert response.status_code == 200
    assert b"Create your account" in response.content


def test_it_routes_the_upper_case_host_after_the_lower_case_one_was_cached(cast) -> None:
    tenant_host_cache_clear()
    assert HttpClient(HTTP_HOST="alpha.localhost").get("/accounts/signup/").status_code == 200
    assert HttpClient(HTTP_HOST="ALPHA.localhost").get("/accounts/signup/").status_code == 200


def test_it_routes_the_public_host_in_upper_case(cast) -> None:
    response = HttpClient(HTTP_HOST="LOCALHOST").get("/")
    assert response.status_code == 200
    assert b"Know your odds before you apply." in response.content


def test_it_stores_a_domain_in_lower_case() -> None:
    domain = DomainFactory(domain="Delta.Example.COM")
    domain.refresh_from_db()
    assert domain.domain == "delta.example.com"
    assert Domain.objects.filter(domain="delta.example.com").count() == 1


def test_it_still_answers_404_for_an_unknown_host_in_any_case(cast) -> None:
    assert HttpClient(HTTP_HOST="NOBODY.LOCALHOST").get("/").status_code == 404
