"""Two-factor sign-in (accounts/two_factor.py, accounts/views_two_factor.py): required for staff when
STAFF_TWO_FACTOR_REQUIRED (production), optional for tenant users; TOTP with single-use recovery codes; the code is
asked after the password and wrong codes count towards the lockout."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time

import pytest
from django.conf import settings as django_settings
from django.test import Client as HttpClient
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import schema_context

from accounts import two_factor
from accounts.models import User
from accounts.services import user_ensure
from tests.conftest import HOST_A, PASSWORD, PUBLIC_HOST, login

STAFF_EMAIL = "second-factor@cvplus.example"
ADMIN_LOGIN = "/admin/login/?next=/admin/"


def code_for(device: TOTPDevice, *, steps_ahead: int = 1) -> str:
    """A code the device accepts: one step ahead (within its tolerance), since a step's code is accepted once."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


def enrolled(user: User) -> tuple[TOTPDevice, list[str]]:
    device = two_factor.totp_device_pending(user=user)
    codes = two_factor.two_factor_confirm(user=user, device=device, token=code_for(device, steps_ahead=0))
    assert codes is not None
    return device, codes


@pytest.fixture
def staff(cast, db) -> User:
    user, _created = user_ensure(email=STAFF_EMAIL, password=PASSWORD, is_staff=True)
    return user


@pytest.fixture
def required(settings) -> None:
    settings.STAFF_TWO_FACTOR_REQUIRED = True


def admin_password_step(address: str = "10.3.0.1") -> tuple[HttpClient, object]:
    client = HttpClient(HTTP_HOST=PUBLIC_HOST, REMOTE_ADDR=address)
    return client, client.post(ADMIN_LOGIN, {"username": STAFF_EMAIL, "password": PASSWORD})


def test_production_settings_require_it_and_development_does_not() -> None:
    env = {
        **os.environ,
        "SECRET_KEY": "x" * 60,
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/cvplus_unused",
        "ALLOWED_HOSTS": "example.com",
    }
    code = "import cvplus.settings.production as p; print(p.STAFF_TWO_FACTOR_REQUIRED)"
    production = subprocess.run(  # noqa: S603 - this interpreter, a fixed program
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True, timeout=60
    )
    assert production.stdout.strip() == "True"
    assert django_settings.STAFF_TWO_FACTOR_REQUIRED is False  # test and development settings: the default


def test_staff_without_a_device_enrol_before_reaching_admin_when_it_is_required(staff, required) -> None:
    client, password_step = admin_password_step()
    assert password_step.status_code == 302

    sent = client.get("/admin/")
    setup = client.get("/admin/two-factor/")

    assert (sent.status_code, sent["Location"]) == (302, "/admin/two-factor/")
    html = setup.content.decode()
    assert re.search(r'<figure class="qr-code"><svg [^>]*class="segno"', html)  # drawn inline, server-side
    assert "data:" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)  # no inline script: only the site's static files
    assert "<img" not in html
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    assert two_factor.totp_secret(device) in html

    codes_page = client.post("/admin/two-factor/", {"otp_token": code_for(device, steps_ahead=0)})

    assert codes_page.status_code == 200
    assert "no-store" in codes_page["Cache-Control"]
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", codes_page.content.decode())
    assert len(codes) == 10
    assert client.get("/admin/").status_code == 200  # this session showed its second factor


def test_the_admin_login_asks_for_the_code_after_the_password(staff, required) -> None:
    device, _codes = enrolled(staff)
    client, password_step = admin_password_step()

    assert password_step["Location"] == "/admin/login/code/"
    assert client.get("/admin/")["Location"].startswith("/admin/login/")  # not signed in by the password alone
    signed_in = client.post("/admin/login/code/", {"otp_token": code_for(device)})
    assert (signed_in.status_code, signed_in["Location"]) == (302, "/admin/")
    assert client.get("/admin/").status_code == 200


def test_a_recovery_code_signs_in_once(staff, required) -> None:
    _device, codes = enrolled(staff)
    client, _ = admin_password_step("10.3.0.2")
    assert client.post("/admin/login/code/", {"otp_token": codes[0].upper()})["Location"] == "/admin/"
    assert client.post("/admin/logout/")["Location"] == "/admin/login/"

    again, _ = admin_password_step("10.3.0.3")
    reused = again.post("/admin/login/code/", {"otp_token": codes[0]})

    assert reused.status_code == 200
    assert "This code is not right, or it has already been used." in reused.content.decode()
    assert again.get("/admin/").status_code == 302
    assert two_factor.recovery_codes_left(staff) == 9


def test_new_recovery_codes_replace_the_old_ones(staff) -> None:
    _device, old = enrolled(staff)
    new = two_factor.recovery_codes_regenerate(user=staff)
    assert len(set(new)) == 10
    assert two_factor.two_factor_verify(user=staff, code=new[1]) is not None
    assert two_factor.two_factor_verify(user=staff, code=old[1]) is None


def test_wrong_codes_count_towards_the_lockout(staff, required) -> None:
    device, _codes = enrolled(staff)
    client, _ = admin_password_step("10.3.0.4")

    answers = [client.post("/admin/login/code/", {"otp_token": f"{i:06d}"}).status_code for i in range(5)]
    right = client.post("/admin/login/code/", {"otp_token": code_for(device)})

    assert answers == [200, 200, 200, 200, 429]
    assert right.status_code == 429
    assert client.get("/admin/").status_code == 302


def test_a_staff_session_that_skipped_the_code_signs_in_again(staff, required) -> None:
    enrolled(staff)
    client = HttpClient(HTTP_HOST=PUBLIC_HOST)
    client.force_login(staff)  # e.g. a session from before the setting was turned on

    response = client.get("/admin/")

    assert response["Location"] == "/admin/login/?next=/admin/"
    assert client.get("/admin/")["Location"].startswith("/admin/login/")


def test_staff_reach_admin_with_the_password_alone_when_it_is_not_required(staff) -> None:
    client, password_step = admin_password_step("10.3.0.5")
    assert password_step["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_tenant_users_sign_in_with_the_password_alone_until_they_turn_it_on(cast, db) -> None:
    client = HttpClient(HTTP_HOST=HOST_A)
    assert login(client, cast.owner_email)["Location"] == "/"
    account = client.get("/accounts/").content.decode()
    assert "Two-factor sign-in" in account
    assert 'href="/accounts/two-factor/"' in account

    client.get("/accounts/two-factor/")
    with schema_context("alpha"):
        device = TOTPDevice.objects.get(user__email=cast.owner_email, confirmed=False)
        code = code_for(device, steps_ahead=0)
    turned_on = client.post("/accounts/two-factor/", {"otp_token": code})
    assert len(re.findall(r"<li><code>", turned_on.content.decode())) == 10
    assert "10 recovery codes left." in client.get("/accounts/").content.decode()
    client.post("/accounts/logout/")

    password_step = login(client, cast.owner_email)
    assert password_step["Location"] == "/accounts/login/code/"
    assert client.get("/accounts/").status_code == 302
    with schema_context("alpha"):
        code = code_for(device)
    assert client.post("/accounts/login/code/", {"otp_token": code})["Location"] == "/"
    assert client.get("/accounts/").status_code == 200


def test_tenant_users_turn_it_off_with_a_code(cast, db) -> None:
    with schema_context("alpha"):
        member = User.objects.get(email=cast.member_email)
        _device, codes = enrolled(member)
    client = HttpClient(HTTP_HOST=HOST_A)
    login(client, cast.member_email)
    client.post("/accounts/login/code/", {"otp_token": codes[0]})

    kept = client.post("/accounts/two-factor/off/", {"otp_token": "000000"}, follow=True)
    assert "Two-factor sign-in is still on" in kept.content.decode()
    removed = client.post("/accounts/two-factor/off/", {"otp_token": codes[1]}, follow=True)
    assert "Two-factor sign-in is off." in removed.content.decode()
    with schema_context("alpha"):
        assert not two_factor.two_factor_enabled(member)
    client.post("/accounts/logout/")
    assert login(client, cast.member_email)["Location"] == "/"


def test_the_code_step_expires(cast, db, settings) -> None:
    with schema_context("alpha"):
        enrolled(User.objects.get(email=cast.member_email))
    settings.TWO_FACTOR_PENDING_SECONDS = 0
    client = HttpClient(HTTP_HOST=HOST_A)
    login(client, cast.member_email)

    assert client.post("/accounts/login/code/", {"otp_token": "123456"})["Location"] == "/accounts/login/"
    assert client.get("/accounts/").status_code == 302
