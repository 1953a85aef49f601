"""The tenant API is throttled per signed-in user and per IP address for anonymous callers (cvplus/api_throttles.py),
per tenant, failing open when the cache is unreachable; the licensee API keeps only its own per-key limits."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient
from django_tenants.utils import schema_context

from accounts.models import User
from billing.api_keys import api_key_issue
from tests.accounts.test_throttles import UNREACHABLE_CACHE
from tests.billing.licensees import licensee_create
from tests.conftest import HOST_A, HOST_B, PUBLIC_HOST, login

PROFILE = "/api/v1/profile/"
DOCS = "/api/v1/docs/"


@pytest.fixture
def low_rates(settings) -> None:
    settings.API_THROTTLE_RATES = {"tenant_user": "3/minute", "tenant_anon": "2/minute"}


def signed_in(host: str, email: str) -> HttpClient:
    client = HttpClient(HTTP_HOST=host)
    assert login(client, email).status_code == 302
    return client


def test_it_throttles_a_user_of_the_tenant_api_with_retry_after(cast, db, low_rates) -> None:
    owner = signed_in(HOST_A, cast.owner_email)

    answers = [owner.get(PROFILE) for _ in range(4)]

    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert 0 < int(answers[-1]["Retry-After"]) <= 60
    assert "throttled" in answers[-1].json()["detail"]
    assert signed_in(HOST_A, cast.member_email).get(PROFILE).status_code == 200  # another user has their own


def test_a_users_budget_is_their_tenants_not_the_same_id_in_another_tenant(cast, db, low_rates) -> None:
    with schema_context("alpha"):
        owner_id = User.objects.get(email=cast.owner_email).pk
    with schema_context("beta"):
        assert User.objects.get(email=cast.stranger_email).pk == owner_id  # the same id, two people
    owner = signed_in(HOST_A, cast.owner_email)
    for _ in range(3):
        owner.get(PROFILE)

    assert owner.get(PROFILE).status_code == 429
    assert signed_in(HOST_B, cast.stranger_email).get(PROFILE).status_code == 200


def test_it_throttles_anonymous_callers_per_address(cast, db, low_rates) -> None:
    anonymous = HttpClient(HTTP_HOST=HOST_A, REMOTE_ADDR="10.2.0.1")

    answers = [anonymous.get(DOCS).status_code for _ in range(3)]

    assert answers == [200, 200, 429]
    assert HttpClient(HTTP_HOST=HOST_A, REMOTE_ADDR="10.2.0.2").get(DOCS).status_code == 200


def test_it_serves_the_api_when_the_cache_is_unreachable(cast, db, low_rates, settings, caplog) -> None:
    owner = signed_in(HOST_A, cast.owner_email)
    settings.CACHES = UNREACHABLE_CACHE

    answers = [owner.get(PROFILE).status_code for _ in range(5)]

    assert answers == [200] * 5
    assert "Throttle api:tenant_user not applied: the cache is unreachable." in caplog.text


def test_it_leaves_the_licensee_api_to_its_own_limits(cast, db, low_rates) -> None:
    licensee = licensee_create(quota=1000, rate=None, name="Unthrottled HR")
    _key, secret = api_key_issue(licensee=licensee)
    caller = HttpClient(HTTP_HOST=PUBLIC_HOST, HTTP_AUTHORIZATION=f"Bearer {secret}")

    answers = [caller.get("/api/v1/licensee/usage").status_code for _ in range(5)]

    assert answers == [200] * 5
