"""An administrator of an enterprise tenant exports and erases a member's data; a member cannot reach anyone else's,
an administrator cannot erase another administrator, and a consumer site has no members page (all 404)."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core import mail
from django.test import Client as HttpClient
from django.utils import translation
from django.utils.translation import gettext
from django_tenants.utils import schema_context

from accounts.models import User
from accounts.services import user_create
from privacy.models import AuditEntry, ErasureRequest
from tests.conftest import ENTERPRISE_HOST, PASSWORD, login
from tests.privacy.people import person_with_everything

pytestmark = pytest.mark.django_db


@pytest.fixture
def gamma(cast):
    """Gamma's administrator, its cast member (Greta) and a second member with one of everything."""
    with schema_context("gamma"):
        administrator = user_create(
            email="ada.admin@gamma.example", password=PASSWORD, full_name="Ada Admin", role=User.Role.ADMINISTRATOR
        )
        member = User.objects.get(email=cast.enterprise_email)
        other = person_with_everything(email="milo.member@gamma.example", full_name="Milo Member", marker="Milomark")
        yield {"administrator": administrator, "member": member, "other": other.user}


def _client(email: str) -> HttpClient:
    client = HttpClient(HTTP_HOST=ENTERPRISE_HOST)
    login(client, email)
    return client


def test_it_lists_the_members_for_an_administrator_and_not_the_administrator(gamma) -> None:
    page = _client("ada.admin@gamma.example").get("/privacy/members/").content.decode()

    assert "Milo Member" in page
    assert "Greta Gamma" in page
    assert "Ada Admin" not in page
    account = _client("ada.admin@gamma.example").get("/accounts/").content.decode()
    assert 'href="/privacy/members/"' in account


def test_it_lets_an_administrator_export_a_members_data(gamma) -> None:
    other = gamma["other"]
    response = _client("ada.admin@gamma.example").get(f"/privacy/members/{other.pk}/export/")

    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    data = json.loads(archive.read("data.json"))
    assert data["tables"]["account"][0]["email"] == "milo.member@gamma.example"
    assert {row["title"] for row in data["tables"]["job_postings"]} == {"Milomark Engineer", "Milomark Analyst"}
    with schema_context("gamma"):
        (entry,) = AuditEntry.objects.filter(action=AuditEntry.Action.DATA_EXPORTED)
        assert entry.actor_role == AuditEntry.ActorRole.ADMINISTRATOR
        assert entry.actor_id == gamma["administrator"].pk


def test_it_lets_an_administrator_erase_a_member_with_their_password(gamma, django_capture_on_commit_callbacks) -> None:
    other = gamma["other"]
    client = _client("ada.admin@gamma.example")
    with translation.override("de"):  # the organisation's language
        heading = gettext("Erase %(name)s's account") % {"name": "Milo Member"}
    assert heading in client.get(f"/privacy/members/{other.pk}/erase/").content.decode()

    refused = client.post(f"/privacy/members/{other.pk}/erase/", {"password": "wrong-password"})
    assert refused.status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/privacy/members/{other.pk}/erase/", {"password": PASSWORD})

    assert response.status_code == 302
    with schema_context("gamma"):
        request = ErasureRequest.objects.get(user=other)
        assert request.requested_by == gamma["administrator"]
        assert not User.objects.get(pk=other.pk).is_active
        entry = AuditEntry.objects.get(action=AuditEntry.Action.ACCOUNT_ERASURE_REQUESTED)
        assert entry.actor_role == AuditEntry.ActorRole.ADMINISTRATOR
    (message,) = mail.outbox
    assert message.to == ["milo.member@gamma.example"]
    with translation.override("de"):  # gamma's language: the member chose none
        assert message.subject == gettext("Your CVPlus account is closed and being erased")
    assert f'id="member-{other.pk}"' not in client.get("/privacy/members/").content.decode()


def test_it_answers_404_to_a_member_trying_to_reach_another_member(gamma) -> None:
    member = _client(gamma["member"].email)
    other = gamma["other"]

    assert member.get("/privacy/members/").status_code == 404
    assert member.get(f"/privacy/members/{other.pk}/export/").status_code == 404
    assert member.post(f"/privacy/members/{other.pk}/erase/", {"password": PASSWORD}).status_code == 404
    with schema_context("gamma"):
        assert not ErasureRequest.objects.exists()
        assert User.objects.get(pk=other.pk).is_active


def test_it_answers_404_to_an_administrator_erasing_another_administrator_or_a_user_of_another_tenant(
    cast, gamma
) -> None:
    with schema_context("gamma"):
        second = user_create(
            email="bo.admin@gamma.example", password=PASSWORD, full_name="Bo Admin", role=User.Role.ADMINISTRATOR
        )
    with schema_context("alpha"):
        alpha_member = User.objects.get(email=cast.member_email)
    client = _client("ada.admin@gamma.example")

    for pk in (second.pk, gamma["administrator"].pk, alpha_member.pk + 10_000):
        assert client.post(f"/privacy/members/{pk}/erase/", {"password": PASSWORD}).status_code == 404
    with schema_context("gamma"):
        assert not ErasureRequest.objects.exists()


def test_it_has_no_members_page_on_a_consumer_site_even_for_an_administrator_role(cast, client_a) -> None:
    with schema_context("alpha"):
        User.objects.filter(email=cast.owner_email).update(role=User.Role.ADMINISTRATOR)
    login(client_a, cast.owner_email)

    assert client_a.get("/privacy/members/").status_code == 404
