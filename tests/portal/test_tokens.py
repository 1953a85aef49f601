"""Organisation API tokens (portal/tokens.py, portal/api_auth.py, /portal/api-tokens/): created by an administrator
and shown once, kept as a hash, revocable, scoped, and valid on their own organisation's host only."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from django.test import Client as HttpClient
from django.utils import translation
from django.utils.translation import gettext
from django_tenants.utils import schema_context

from accounts.models import User
from cvplus.secret_tokens import secret_new, secret_prefix_new
from portal.models import ApiToken, Membership
from tests.conftest import ENTERPRISE_HOST, HOST_A, login
from tests.portal.integrations_cast import organisation_build, signed_in, token_client

pytestmark = pytest.mark.django_db

TOKEN_RE = re.compile(r"cvo_[a-z0-9]{8}_[A-Za-z0-9_-]{43}")


@pytest.fixture
def org(cast):
    with schema_context("gamma"):
        return organisation_build()


def _create_through_the_page(org, **data) -> tuple[HttpClient, object]:
    client = signed_in(org.admin.email)
    return client, client.post("/portal/api-tokens/", {"name": "HR dashboard", "scope": "read", **data})


def test_it_shows_a_new_token_once_and_keeps_only_its_hash(org) -> None:
    client, response = _create_through_the_page(org, scope="read_write")

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    (secret,) = set(TOKEN_RE.findall(response.content.decode()))
    with schema_context("gamma"):
        token = ApiToken.objects.get()
        assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
        assert secret.startswith(token.prefix + "_")
        assert token.scope == ApiToken.Scope.READ_WRITE
        assert token.created_by == org.admin
    listed = client.get("/portal/api-tokens/").content.decode()
    assert token.prefix in listed
    assert secret not in listed


def test_it_refuses_a_token_without_a_name_and_creates_nothing(org) -> None:
    _client, response = _create_through_the_page(org, name="   ")

    assert response.status_code == 400
    with translation.override("de"):  # the organisation's language
        reason = gettext("Give the token a name that says where it is used, such as “HR dashboard”.")
    assert response.context["form"].errors["name"] == [reason]
    with schema_context("gamma"):
        assert not ApiToken.objects.exists()


def test_a_token_authenticates_as_the_administrator_who_created_it(org) -> None:
    with schema_context("gamma"):
        client, _token = token_client(org.admin, scope=ApiToken.Scope.READ)

    response = client.get("/api/v1/org/members/")

    assert response.status_code == 200
    emails = {row["email"] for row in response.json()["results"]}
    assert {org.mine.email, org.theirs.email, org.private.email} <= emails


def test_a_revoked_token_is_refused_with_401(org) -> None:
    with schema_context("gamma"):
        client, token = token_client(org.admin)
    assert client.get("/api/v1/org/members/").status_code == 200

    revoked = signed_in(org.admin.email).post(f"/portal/api-tokens/{token.pk}/revoke/")

    assert revoked.status_code == 302
    response = client.get("/api/v1/org/members/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "mia.schulz" not in response.content.decode()


def test_a_read_token_cannot_write(org) -> None:
    with schema_context("gamma"):
        client, _token = token_client(org.admin, scope=ApiToken.Scope.READ)

    response = client.patch(
        f"/api/v1/org/members/{org.mine.pk}/", {"coach": org.other_coach.pk}, content_type="application/json"
    )

    assert response.status_code == 403
    with translation.override("de"):  # the organisation's language
        reason = gettext("This API token may only read. Create a token with read and write access to make changes.")
    assert response.json()["detail"] == reason
    with schema_context("gamma"):
        assert Membership.objects.get(user=org.mine).coach == org.coach


def test_a_read_and_write_token_can_write(org) -> None:
    with schema_context("gamma"):
        client, _token = token_client(org.admin, scope=ApiToken.Scope.READ_WRITE)

    response = client.patch(
        f"/api/v1/org/members/{org.mine.pk}/", {"coach": org.other_coach.pk}, content_type="application/json"
    )

    assert response.status_code == 200
    assert response.json()["coach"] == {"id": org.other_coach.pk, "name": "Olga Nowak"}


def test_another_organisations_token_is_refused_with_401_on_this_host(org) -> None:
    # The same kind of token, kept in another tenant's schema: this host's schema has no such row.
    prefix = secret_prefix_new("cvo_")
    secret = secret_new(prefix)
    with schema_context("beta"):
        stranger, _created = User.objects.get_or_create(email="hr.admin@beta.example", role=User.Role.ADMINISTRATOR)
        ApiToken.objects.create(
            name="Beta HR", prefix=prefix, token_hash=hashlib.sha256(secret.encode()).hexdigest(), created_by=stranger
        )

    response = HttpClient(HTTP_HOST=ENTERPRISE_HOST, HTTP_AUTHORIZATION=f"Bearer {secret}").get("/api/v1/org/members/")

    assert response.status_code == 401


def test_a_token_is_a_404_on_a_consumer_host(org) -> None:
    with schema_context("gamma"):
        client, _token = token_client(org.admin, host=HOST_A)

    assert client.get("/api/v1/org/members/").status_code == 404


def test_a_token_stops_working_when_its_administrator_is_no_longer_one(org) -> None:
    with schema_context("gamma"):
        client, _token = token_client(org.admin)
        User.objects.filter(pk=org.admin.pk).update(role=User.Role.COACH)

    assert client.get("/api/v1/org/members/").status_code == 401


def test_it_records_the_last_use_at_most_once_a_minute(org) -> None:
    with schema_context("gamma"):
        client, token = token_client(org.admin)
    assert token.last_used_at is None

    client.get("/api/v1/org/members/")
    with schema_context("gamma"):
        first_use = ApiToken.objects.get(pk=token.pk).last_used_at
        assert first_use is not None
        thirty_seconds_ago = first_use - timedelta(seconds=30)
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=thirty_seconds_ago)
    client.get("/api/v1/org/members/")
    with schema_context("gamma"):
        assert ApiToken.objects.get(pk=token.pk).last_used_at == thirty_seconds_ago
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=first_use - timedelta(minutes=2))
    client.get("/api/v1/org/members/")
    with schema_context("gamma"):
        assert ApiToken.objects.get(pk=token.pk).last_used_at > first_use - timedelta(seconds=1)


@pytest.mark.parametrize("role", ["coach", "analyst", "mine"])
def test_only_administrators_reach_the_token_pages(org, role) -> None:
    client = signed_in(getattr(org, role).email)
    assert client.get("/portal/api-tokens/").status_code == 404
    with schema_context("gamma"):
        _admin_client, token = token_client(org.admin)
    assert client.post(f"/portal/api-tokens/{token.pk}/revoke/").status_code == 404
    with schema_context("gamma"):
        assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_the_token_pages_are_a_404_on_a_consumer_host(cast, client_a) -> None:
    login(client_a, cast.owner_email)
    assert client_a.get("/portal/api-tokens/").status_code == 404
