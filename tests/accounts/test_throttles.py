"""Password resets and sign-ups are throttled per e-mail and per IP address (accounts/throttles.py) without telling
which addresses have accounts; with the cache unreachable they still work (fail open, logged)."""

from __future__ import annotations

import re

from django.core import mail
from django.test import Client as HttpClient
from django_tenants.utils import schema_context

from accounts.models import PendingSignup
from tests.conftest import HOST_A

RESET = "/accounts/password-reset/"
SIGNUP = "/accounts/signup/"
CONSENT = {"consent": "on", "notice_version": "1"}  # the privacy notice accepted (privacy/notice.py)
UNREACHABLE_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1: connection refused
        "KEY_FUNCTION": "django_tenants.cache.make_key",
    }
}


def client_from(address: str) -> HttpClient:
    return HttpClient(HTTP_HOST=HOST_A, REMOTE_ADDR=address)


def _visible(response) -> tuple[int, str, str]:
    """What the requester sees: status, where it leads, and the page, without the per-request CSRF token."""
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
    return response.status_code, response.get("Location", ""), page


def test_it_sends_at_most_three_reset_emails_an_hour_to_one_address(cast, db) -> None:
    client = client_from("10.1.0.1")

    answers = [client.post(RESET, {"email": cast.member_email}) for _ in range(11)]

    assert len(mail.outbox) == 3
    assert {(a.status_code, a["Location"]) for a in answers} == {(302, "/accounts/password-reset/sent/")}


def test_a_throttled_reset_looks_the_same_whether_or_not_the_address_has_an_account(cast, db) -> None:
    client = client_from("10.1.0.2")
    for _ in range(3):
        client.post(RESET, {"email": cast.owner_email})
        client.post(RESET, {"email": "nobody-here@alpha.example"})

    existing = client.post(RESET, {"email": cast.owner_email}, follow=True)
    missing = client.post(RESET, {"email": "nobody-here@alpha.example"}, follow=True)

    assert _visible(existing) == _visible(missing)
    assert existing.redirect_chain == missing.redirect_chain == [("/accounts/password-reset/sent/", 302)]


def test_it_refuses_resets_past_the_limit_for_one_address_with_a_retry_time(cast, db, settings) -> None:
    settings.PASSWORD_RESETS_PER_IP_PER_HOUR = 5
    client = client_from("10.1.0.3")
    for i in range(5):
        assert client.post(RESET, {"email": f"someone-{i}@alpha.example"}).status_code == 302

    refused = client.post(RESET, {"email": cast.member_email})

    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert "Try again in" in refused.content.decode()
    assert mail.outbox == []
    assert client_from("10.1.0.4").post(RESET, {"email": cast.member_email}).status_code == 302


def test_it_refuses_repeated_sign_ups_for_one_email(cast, db) -> None:
    client = client_from("10.1.0.5")
    form = {"email": "eager@alpha.example", "password1": "a-long-pass-phrase", "password2": "different"}
    answers = [client.post(SIGNUP, form).status_code for _ in range(4)]

    assert answers == [200, 200, 200, 429]  # three invalid forms, then the throttle
    again = client_from("10.1.0.6").post(SIGNUP, {**form, "password2": form["password1"]})
    assert again.status_code == 429
    with schema_context("alpha"):
        assert not PendingSignup.objects.filter(email="eager@alpha.example").exists()


def test_it_refuses_sign_ups_past_the_limit_for_one_address(cast, db, settings) -> None:
    settings.SIGNUPS_PER_IP_PER_HOUR = 2
    client = client_from("10.1.0.7")
    for i in range(2):
        form = {
            "email": f"new-{i}@alpha.example",
            "password1": "a-long-pass-phrase",
            "password2": "a-long-pass-phrase",
            **CONSENT,
        }
        assert client.post(SIGNUP, form).status_code == 302

    form = {
        "email": "new-2@alpha.example",
        "password1": "a-long-pass-phrase",
        "password2": "a-long-pass-phrase",
        **CONSENT,
    }
    assert client.post(SIGNUP, form).status_code == 429
    with schema_context("alpha"):
        assert list(PendingSignup.objects.filter(email__startswith="new-").values_list("email", flat=True)) == [
            "new-0@alpha.example",
            "new-1@alpha.example",
        ]


def test_it_still_sends_a_reset_and_signs_up_when_the_cache_is_unreachable(cast, db, settings, caplog) -> None:
    settings.CACHES = UNREACHABLE_CACHE
    client = client_from("10.1.0.8")

    reset = client.post(RESET, {"email": cast.member_email})
    form = {
        "email": "offline@alpha.example",
        "password1": "a-long-pass-phrase",
        "password2": "a-long-pass-phrase",
        **CONSENT,
    }
    signup = client.post(SIGNUP, form)

    assert (reset.status_code, signup.status_code) == (302, 302)
    assert [message.to for message in mail.outbox] == [[cast.member_email], ["offline@alpha.example"]]
    assert "not applied: the cache is unreachable" in caplog.text
