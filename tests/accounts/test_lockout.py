"""Sign-in lockout (django-axes, accounts/lockout.py): per account and per IP address on every host's sign-in (a
tenant's login, /admin/login/, the licensee key sign-in), per tenant (the same e-mail in two tenants is two accounts),
in the user's language with the time left, and staff can unlock."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client as HttpClient
from django.utils import timezone, translation
from django_tenants.utils import schema_context

from accounts.lockout import attempts_expired_delete, user_account
from accounts.services import user_ensure
from billing.api_keys import api_key_issue
from tests.billing.licensees import licensee_create
from tests.conftest import HOST_A, HOST_B, PASSWORD, PUBLIC_HOST, login

STAFF_EMAIL = "door-keeper@cvplus.example"
LOCKED = 429


def client_from(host: str, address: str) -> HttpClient:
    return HttpClient(HTTP_HOST=host, REMOTE_ADDR=address)


def signed_in_on_tenant(client: HttpClient) -> bool:
    return client.get("/accounts/").status_code == 200


@pytest.fixture
def staff(cast, db):
    user, _created = user_ensure(email=STAFF_EMAIL, password=PASSWORD, is_staff=True)
    return user


def test_it_refuses_the_right_password_after_forty_wrong_ones(cast, db) -> None:
    client = client_from(HOST_A, "10.0.0.1")

    answers = [login(client, cast.owner_email, f"wrong-{i}").status_code for i in range(40)]
    right = login(client, cast.owner_email, PASSWORD)

    assert answers[:4] == [200] * 4  # the form again, "Please enter a correct email address and password."
    assert set(answers[4:]) == {LOCKED}  # the fifth failure locks the account
    assert right.status_code == LOCKED
    assert not signed_in_on_tenant(client)


def test_it_locks_the_account_from_any_address_but_not_the_same_email_in_another_tenant(cast, db) -> None:
    with schema_context("beta"):
        user_ensure(email=cast.owner_email, password=PASSWORD)
    attacker = client_from(HOST_A, "10.0.0.2")
    for i in range(5):
        login(attacker, cast.owner_email, f"wrong-{i}")

    owner_elsewhere = client_from(HOST_A, "10.0.0.3")
    assert login(owner_elsewhere, cast.owner_email, PASSWORD).status_code == LOCKED
    same_email_on_beta = client_from(HOST_B, "10.0.0.4")
    assert login(same_email_on_beta, cast.owner_email, PASSWORD).status_code == 302
    assert signed_in_on_tenant(same_email_on_beta)
    assert AccessAttempt.objects.filter(username=f"alpha:{cast.owner_email}").exists()  # public table, tenant host


def test_it_locks_an_address_that_tries_many_accounts(cast, db, settings) -> None:
    settings.LOGIN_FAILURES_PER_IP = 8
    client = client_from(HOST_A, "10.0.0.5")
    for i in range(8):
        assert login(client, f"guess-{i}@alpha.example", "wrong").status_code in (200, LOCKED)

    assert login(client, cast.member_email, PASSWORD).status_code == LOCKED
    assert login(client_from(HOST_A, "10.0.0.6"), cast.member_email, PASSWORD).status_code == 302


def test_a_successful_sign_in_forgets_only_its_own_failures_from_that_address(cast, db) -> None:
    client = client_from(HOST_A, "10.0.0.7")
    for i in range(3):
        login(client, cast.member_email, f"wrong-{i}")
    for i in range(2):
        login(client, cast.owner_email, f"wrong-{i}")

    assert login(client, cast.owner_email, PASSWORD).status_code == 302

    assert not AccessAttempt.objects.filter(username=f"alpha:{cast.owner_email}").exists()
    assert AccessAttempt.objects.get(username=f"alpha:{cast.member_email}").failures_since_start == 3


def test_it_shows_the_lockout_in_the_tenants_language_with_the_time_left(cast, db) -> None:
    client = client_from(HOST_B, "10.0.0.8")  # beta's language is French
    for i in range(5):
        response = login(client, cast.stranger_email, f"mauvais-{i}")

    assert response.status_code == LOCKED
    assert response["Content-Language"] == "fr"
    assert 840 < int(response["Retry-After"]) <= 900
    html = response.content.decode()
    with translation.override("fr"):
        expected = translation.ngettext(
            "Too many failed sign-in attempts. Try again in %(minutes)s minute.",
            "Too many failed sign-in attempts. Try again in %(minutes)s minutes.",
            15,
        ) % {"minutes": 15}
        assert translation.gettext("Log in") != "Log in"  # the catalogue is French: the page is translated
        assert translation.gettext("Log in") in html
    assert expected in html


def test_it_locks_the_admin_login(staff) -> None:
    client = client_from(PUBLIC_HOST, "10.0.1.1")
    for i in range(40):
        client.post("/admin/login/?next=/admin/", {"username": STAFF_EMAIL, "password": f"wrong-{i}"})

    right = client.post("/admin/login/?next=/admin/", {"username": STAFF_EMAIL, "password": PASSWORD})

    assert right.status_code == LOCKED
    assert client.get("/admin/").status_code == 302  # still signed out
    assert AccessAttempt.objects.filter(username=f"public:{STAFF_EMAIL}").exists()


@pytest.fixture
def licensee_key(cast, db):
    return api_key_issue(licensee=licensee_create(quota=100, rate=60, name="Lockout HR"))


def test_it_locks_the_licensee_key_sign_in_per_key_prefix(licensee_key) -> None:
    key, secret = licensee_key
    attacker = client_from(PUBLIC_HOST, "10.0.2.1")
    for i in range(40):
        attacker.post("/licensee/", {"api_key": f"{key.prefix}_{'x' * 42}{i % 10}"})

    assert attacker.post("/licensee/", {"api_key": secret}).status_code == LOCKED
    from_elsewhere = client_from(PUBLIC_HOST, "10.0.2.2")
    assert from_elsewhere.post("/licensee/", {"api_key": secret}).status_code == LOCKED
    attempt = AccessAttempt.objects.get(username=f"licensee-key:{key.prefix}")
    assert "x" * 42 not in attempt.post_data  # the typed keys are not kept
    assert "api_key=********************" in attempt.post_data


def test_it_locks_the_licensee_key_sign_in_per_address(licensee_key, settings) -> None:
    settings.LOGIN_FAILURES_PER_IP = 10
    _key, secret = licensee_key
    attacker = client_from(PUBLIC_HOST, "10.0.2.3")
    for i in range(10):
        attacker.post("/licensee/", {"api_key": f"cvp_live_guess{i:03d}_{'y' * 43}"})

    assert attacker.post("/licensee/", {"api_key": secret}).status_code == LOCKED
    assert client_from(PUBLIC_HOST, "10.0.2.4").post("/licensee/", {"api_key": secret}).status_code == 302


def test_staff_unlock_an_account_in_admin(cast, staff) -> None:
    client = client_from(HOST_A, "10.0.3.1")
    for i in range(5):
        login(client, cast.member_email, f"wrong-{i}")
    assert login(client, cast.member_email, PASSWORD).status_code == LOCKED
    staff_browser = client_from(PUBLIC_HOST, "10.0.3.2")
    staff_browser.post("/admin/login/?next=/admin/", {"username": STAFF_EMAIL, "password": PASSWORD})
    attempts = AccessAttempt.objects.filter(username=user_account(cast.member_email, schema="alpha"))

    listing = staff_browser.get("/admin/axes/accessattempt/", {"q": cast.member_email})
    unlocked = staff_browser.post(
        "/admin/axes/accessattempt/",
        {"action": "unlock", "_selected_action": [str(pk) for pk in attempts.values_list("pk", flat=True)]},
        follow=True,
    )

    assert listing.status_code == 200
    assert f"alpha:{cast.member_email}" in listing.content.decode()
    assert "1 attempt forgotten: unlocked." in unlocked.content.decode()
    assert not attempts.exists()
    assert login(client, cast.member_email, PASSWORD).status_code == 302


def test_it_forgets_failed_attempts_once_their_lockout_window_has_passed(cast, db, settings) -> None:
    for address in ("10.9.0.1", "10.9.0.2"):
        client_from(HOST_A, address).post("/accounts/login/", {"username": cast.owner_email, "password": "wrong"})
    recent = client_from(HOST_B, "10.9.0.3")
    recent.post("/accounts/login/", {"username": cast.stranger_email, "password": "wrong"})
    with schema_context("public"):
        AccessAttempt.objects.filter(username=user_account(cast.owner_email, schema="alpha")).update(
            attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(minutes=1)
        )

        assert attempts_expired_delete() == 2

        assert list(AccessAttempt.objects.values_list("username", flat=True)) == [
            user_account(cast.stranger_email, schema="beta")
        ]
