"""Sign-up (confirmed by e-mail, never revealing whether an address is registered, safe to double-click), login,
logout and password reset on tenant hosts; staff live in public."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client as HttpClient
from django_tenants.utils import schema_context

from accounts.models import PendingSignup, User
from accounts.services import user_create
from accounts.signup import signup_pending_from_token
from privacy.models import ConsentRecord
from privacy.notice import NOTICE_VERSION
from tests.accounts.factories import StaffUserFactory
from tests.conftest import HOST_A, PASSWORD, login

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-much-longer-passphrase-2026"


def _signup(client, email: str, password: str = NEW_PASSWORD, **extra):
    data = {"email": email, "password1": password, "password2": password, "consent": "on", "notice_version": "1"}
    return client.post("/accounts/signup/", data | extra)


def _confirm_link(message) -> str:
    link = re.search(r"http://alpha\.localhost(/accounts/signup/confirm/\S+/)", message.body)
    assert link, message.body
    return link.group(1)


def test_it_signs_up_a_job_seeker_once_they_confirm_their_address_and_records_their_consent(cast, client_a) -> None:
    response = _signup(client_a, "New.Person@Example.com", full_name="New Person")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/signup/sent/"
    with schema_context("alpha"):
        assert not User.objects.filter(email="new.person@example.com").exists()  # not before the address is confirmed
    (message,) = mail.outbox
    assert message.to == ["new.person@example.com"]
    assert message.subject == "Confirm your CVPlus account"
    assert message.body.startswith("Someone, hopefully you, signed up for CVPlus with this address.")  # not "at <site>"
    link = _confirm_link(message)

    assert b"Confirm and log in" in client_a.get(link).content
    with schema_context("alpha"):
        assert not User.objects.filter(email="new.person@example.com").exists()  # opening the link creates nothing
    confirmed = client_a.post(link)

    assert confirmed.status_code == 302
    assert confirmed["Location"] == "/"
    with schema_context("alpha"):
        user = User.objects.get(email="new.person@example.com")
        assert user.full_name == "New Person"
        assert user.check_password(NEW_PASSWORD)
        assert user.role == User.Role.MEMBER
        assert list(ConsentRecord.objects.filter(user=user).values_list("purpose", "notice_version")) == [
            ("signup", NOTICE_VERSION)
        ]
        assert not PendingSignup.objects.filter(email="new.person@example.com").exists()
    with schema_context("public"):
        assert not User.objects.filter(email="new.person@example.com").exists()
    with schema_context("beta"):
        assert not User.objects.filter(email="new.person@example.com").exists()
    assert client_a.get("/")["Location"] == "/app/"
    assert b"Your applications" in client_a.get("/app/").content


def _without_csrf(page: bytes) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", page)


def test_it_answers_a_registered_address_exactly_as_a_new_one_and_tells_only_the_holder(cast, client_a) -> None:
    new = _signup(client_a, "someone.new@example.com")
    registered = _signup(client_a, cast.owner_email.upper())

    assert (new.status_code, new["Location"]) == (registered.status_code, registered["Location"])
    assert _without_csrf(client_a.get(new["Location"]).content) == _without_csrf(
        client_a.get(registered["Location"]).content
    )
    confirm, attempt = mail.outbox
    assert confirm.to == ["someone.new@example.com"]
    assert attempt.to == [cast.owner_email]
    assert attempt.subject == "Someone tried to sign up with your address"
    assert attempt.body.startswith("Someone tried to create a CVPlus account with this address.")
    assert "http://alpha.localhost/accounts/login/" in attempt.body
    assert "http://alpha.localhost/accounts/password-reset/" in attempt.body
    with schema_context("alpha"):
        assert User.objects.get(email=cast.owner_email).check_password(PASSWORD)  # nothing changed
        assert not PendingSignup.objects.filter(email=cast.owner_email).exists()


def test_it_keeps_one_pending_sign_up_and_working_links_when_sign_up_is_submitted_twice(cast, client_a) -> None:
    first = _signup(client_a, "double@example.com")
    second = _signup(client_a, "double@example.com")

    assert first.status_code == second.status_code == 302
    with schema_context("alpha"):
        assert PendingSignup.objects.filter(email="double@example.com").count() == 1
    links = [_confirm_link(message) for message in mail.outbox]
    with schema_context("alpha"):  # the same password: both links name the one pending sign-up (their signatures
        # carry the second they were made, so the two strings differ when the submissions straddle a second)
        named = {signup_pending_from_token(link.rstrip("/").rsplit("/", 1)[-1]).pk for link in links}
    assert len(links) == 2
    assert len(named) == 1
    assert client_a.post(links[0]).status_code == 302
    assert client_a.post(links[1]).status_code == 404  # spent, and no IntegrityError
    with schema_context("alpha"):
        assert User.objects.filter(email="double@example.com").count() == 1


def test_it_replaces_a_pending_sign_up_made_with_another_password_and_kills_its_link(cast, client_a) -> None:
    _signup(client_a, "squatted@example.com", password="an-attackers-passphrase-1")
    _signup(client_a, "squatted@example.com")
    old_link, new_link = (_confirm_link(message) for message in mail.outbox)

    assert client_a.post(old_link).status_code == 404
    assert client_a.post(new_link).status_code == 302
    with schema_context("alpha"):
        assert User.objects.get(email="squatted@example.com").check_password(NEW_PASSWORD)


def test_it_refuses_a_confirmation_link_for_an_address_that_got_an_account_meanwhile(cast, client_a) -> None:
    _signup(client_a, "raced@example.com")
    with schema_context("alpha"):
        user_create(email="raced@example.com", password=PASSWORD)

    response = client_a.post(_confirm_link(mail.outbox[0]))

    assert response.status_code == 404
    with schema_context("alpha"):
        assert User.objects.filter(email="raced@example.com").count() == 1


def test_it_refuses_a_tampered_or_foreign_confirmation_link(cast, client_a, client_b) -> None:
    _signup(client_a, "tamper@example.com")
    link = _confirm_link(mail.outbox[0])

    assert client_a.post(link[:-3] + "xx/").status_code == 404
    assert client_b.post(link).status_code == 404  # tenant B's schema has no such pending sign-up
    with schema_context("alpha"):
        assert not User.objects.filter(email="tamper@example.com").exists()


def test_it_requires_consent_to_the_privacy_notice_naming_the_field(cast, client_a) -> None:
    response = _signup(client_a, "no.consent@example.com", consent="")

    assert response.status_code == 200
    assert response.context["form"].errors["consent"] == ["To create an account, accept the privacy notice."]
    assert b'href="/privacy/"' in response.content
    assert mail.outbox == []
    with schema_context("alpha"):
        assert not PendingSignup.objects.exists()


def test_it_refuses_a_sign_up_made_on_a_form_showing_an_older_privacy_notice(cast, client_a) -> None:
    response = _signup(client_a, "stale.form@example.com", notice_version="0")

    assert response.status_code == 200
    assert "The privacy notice has changed since this page was opened: read it again." in response.content.decode()
    assert "Notice version" not in response.content.decode()  # the hidden field shows no label
    assert mail.outbox == []


def test_it_rejects_a_weak_password_in_the_users_language(cast, client_b) -> None:
    response = client_b.post(
        "/accounts/signup/",
        {"email": "weak@example.com", "password1": "12345", "password2": "12345"},
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["password2"])
    assert "Passwort" in errors
    assert mail.outbox == []
    with schema_context("beta"):
        assert not User.objects.filter(email="weak@example.com").exists()
        assert not PendingSignup.objects.exists()


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


def test_it_keeps_the_language_a_seeker_signed_up_in_on_any_device(cast, client_a) -> None:
    client_a.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"  # the switcher, on the English consumer site
    _signup(client_a, "lucia.fernandez@example.es", full_name="Lucía Fernández")
    english = _signup(HttpClient(HTTP_HOST=HOST_A), "sam.english@example.com")  # the site's own language
    assert english.status_code == 302
    spanish_link, english_link = (_confirm_link(message) for message in mail.outbox)

    assert HttpClient(HTTP_HOST=HOST_A).post(spanish_link).status_code == 302
    assert HttpClient(HTTP_HOST=HOST_A).post(english_link).status_code == 302

    with schema_context("alpha"):
        assert User.objects.get(email="lucia.fernandez@example.es").language == "es"
        assert User.objects.get(email="sam.english@example.com").language == ""  # follows the site
    another_device = HttpClient(HTTP_HOST=HOST_A)
    login(another_device, "lucia.fernandez@example.es", NEW_PASSWORD)
    assert another_device.get("/app/")["Content-Language"] == "es"
