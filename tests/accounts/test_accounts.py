"""Sign-up, login, logout and password reset on tenant hosts; staff live in public."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django_tenants.utils import schema_context

from accounts.models import User
from tests.accounts.factories import StaffUserFactory
from tests.conftest import PASSWORD, login

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-much-longer-passphrase-2026"


def test_it_signs_up_a_job_seeker_into_the_tenant_schema_and_logs_them_in(cast, client_a) -> None:
    response = client_a.post(
        "/accounts/signup/",
        {
            "email": "New.Person@Example.com",
            "full_name": "New Person",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    with schema_context("alpha"):
        user = User.objects.get(email="new.person@example.com")
        assert user.full_name == "New Person"
        assert user.check_password(NEW_PASSWORD)
    with schema_context("public"):
        assert not User.objects.filter(email="new.person@example.com").exists()
    with schema_context("beta"):
        assert not User.objects.filter(email="new.person@example.com").exists()
    assert client_a.get("/")["Location"] == "/app/"
    assert b"Your applications" in client_a.get("/app/").content


def test_it_rejects_a_sign_up_with_a_taken_email_naming_the_field(cast, client_a) -> None:
    response = client_a.post(
        "/accounts/signup/",
        {"email": cast.owner_email.upper(), "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == ["An account with this email address already exists."]
    with schema_context("alpha"):
        assert User.objects.filter(email=cast.owner_email).count() == 1


def test_it_rejects_a_weak_password_in_the_users_language(cast, client_b) -> None:
    response = client_b.post(
        "/accounts/signup/",
        {"email": "weak@example.com", "password1": "12345", "password2": "12345"},
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["password2"])
    assert "Passwort" in errors
    with schema_context("beta"):
        assert not User.objects.filter(email="weak@example.com").exists()


def test_it_keeps_sign_up_closed_on_enterprise_portals(cast, enterprise_client) -> None:
    response = enterprise_client.post(
        "/accounts/signup/", {"email": "intruder@example.com", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 403
    with schema_context("gamma"):
        assert not User.objects.filter(email="intruder@example.com").exists()


def test_it_logs_in_with_any_case_of_the_email_and_logs_out(cast, client_a) -> None:
    response = login(client_a, cast.owner_email.upper())
    assert response.status_code == 302
    assert client_a.get("/accounts/").status_code == 200
    assert client_a.post("/accounts/logout/").status_code == 302
    assert client_a.get("/accounts/").status_code == 302


def test_it_refuses_a_wrong_password_with_a_clear_message(cast, client_a) -> None:
    response = login(client_a, cast.owner_email, "wrong-password")
    assert response.status_code == 200
    assert b"Please enter a correct email address and password." in response.content


def test_it_resets_a_password_through_an_emailed_link_on_the_tenant_host(cast, client_a) -> None:
    response = client_a.post("/accounts/password-reset/", {"email": cast.member_email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://alpha\.localhost(/accounts/reset/\S+/)", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    form_page = client_a.get(link.group(1), follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    done = client_a.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    with schema_context("alpha"):
        assert User.objects.get(email=cast.member_email).check_password(NEW_PASSWORD)


def test_it_writes_a_password_reset_email_in_the_account_holders_language(cast, client_a, client_b) -> None:
    with schema_context("alpha"):
        User.objects.filter(email=cast.member_email).update(language="ja")

    client_a.post("/accounts/password-reset/", {"email": cast.member_email}, HTTP_ACCEPT_LANGUAGE="de")
    client_b.post("/accounts/password-reset/", {"email": cast.stranger_email}, HTTP_ACCEPT_LANGUAGE="en")

    japanese, french = mail.outbox  # the member's own language; the stranger has none: beta's, French
    assert japanese.subject == "CVPlus のパスワードの再設定"
    assert "こちらから新しいパスワードを設定してください" in japanese.body
    assert french.subject == "Réinitialisez votre mot de passe CVPlus"
    assert "Choisissez un nouveau mot de passe ici" in french.body


def test_it_sends_no_email_for_an_address_of_another_tenant(cast, client_b) -> None:
    client_b.post("/accounts/password-reset/", {"email": cast.owner_email})
    assert mail.outbox == []


def test_it_saves_a_users_language_and_uses_it(cast, client_a) -> None:
    login(client_a, cast.owner_email, PASSWORD)
    response = client_a.post("/accounts/", {"full_name": "Olive Owner", "language": "ja"})
    assert response.status_code == 302
    assert client_a.get("/accounts/")["Content-Language"] == "ja"


def test_it_hashes_passwords_with_argon2_outside_tests() -> None:
    from cvplus.settings import base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_it_keeps_staff_users_in_the_public_schema(cast, public_client) -> None:
    with schema_context("public"):
        staff = StaffUserFactory(email="staff@cvplus.example")
    response = public_client.post(
        "/admin/login/?next=/admin/", {"username": "staff@cvplus.example", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert public_client.get("/admin/tenants/client/").status_code == 200
    with schema_context("alpha"):
        assert not User.objects.filter(pk=staff.pk, email=staff.email).exists()
