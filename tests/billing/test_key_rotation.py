"""Self-service keys on the licensee page: rotation with a grace period (the new secret shown once, the old key working
for 24 hours and then refused), test keys that are answered but never metered, "last used" meaning the last API call,
the contract beside the usage in admin, and isolation: another licensee's key is a 404 that changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client as HttpClient
from django.utils import timezone

from billing import metering
from billing.api_keys import (
    ROTATION_GRACE,
    TEST_KEY_MAX_BATCH_ITEMS,
    api_key_authenticate,
    api_key_issue,
    api_key_revoke,
    api_key_rotate,
)
from billing.licensee_portal import SESSION_KEY
from billing.metering import meter
from billing.models import ApiKey, ApiUsage, ApiUsageDay, Licensee
from predictions.api.licensee import TEST_KEY_HEADER
from tests.accounts.factories import StaffUserFactory
from tests.billing.licensees import licensee_create
from tests.billing.test_api_licensing import MATCH_RAW, post, used
from tests.conftest import PASSWORD, PUBLIC_HOST

SIGNIN = "/licensee/"
USAGE = "/licensee/usage/"
TEST_KEYS = "/licensee/keys/test/"


def rotate_url(key: ApiKey) -> str:
    return f"/licensee/keys/{key.pk}/rotate/"


@pytest.fixture
def acme(cast, db) -> tuple[Licensee, ApiKey, str]:
    licensee = licensee_create(quota=100, rate=60, name="Acme HR")
    key, secret = api_key_issue(licensee=licensee, name="production")
    return licensee, key, secret


def signed_in(secret: str) -> HttpClient:
    client = HttpClient(HTTP_HOST=PUBLIC_HOST)
    assert client.post(SIGNIN, {"api_key": secret})["Location"] == USAGE
    return client


def secret_on(html: str, prefix: str) -> str:
    start = html.index(prefix + "_")
    return html[start : html.index("<", start)]


def later(monkeypatch, delta: timedelta) -> None:
    """Moves the clock forward: what the grace period is measured against."""
    moved = timezone.now() + delta
    monkeypatch.setattr(timezone, "now", lambda: moved)


# ---------------------------------------------------------------------------------------------------------------------
# Rotation
# ---------------------------------------------------------------------------------------------------------------------


def test_it_rotates_a_key_showing_the_new_secret_once_and_the_grace_period(acme) -> None:
    licensee, key, secret = acme
    client = signed_in(secret)

    response = client.post(rotate_url(key))

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    new_key = ApiKey.objects.filter(licensee=licensee).exclude(pk=key.pk).get()
    new_secret = secret_on(html, new_key.prefix)
    assert new_key.name == "production"
    assert new_key.is_test is False
    assert api_key_authenticate(new_secret) == new_key
    assert f"It replaces {key.prefix}, which keeps working until" in html
    assert "24 hours from now, and then stops." in html
    key.refresh_from_db()
    assert key.expires_at is not None
    assert key.expires_at - timezone.now() == pytest.approx(ROTATION_GRACE, abs=timedelta(seconds=30))
    assert client.session[SESSION_KEY] == new_key.pk  # the page follows the new key
    page = client.get(USAGE).content.decode()
    assert new_secret not in page  # shown once: never again
    assert "rotated: works until" in page


def test_the_old_key_answers_during_the_grace_period_and_is_refused_after_it(acme, monkeypatch) -> None:
    licensee, key, secret = acme
    new_key, new_secret = api_key_rotate(key=key)

    assert post(secret, MATCH_RAW).status_code == 200
    assert post(new_secret, MATCH_RAW).status_code == 200

    later(monkeypatch, ROTATION_GRACE - timedelta(minutes=1))
    assert post(secret, MATCH_RAW).status_code == 200

    later(monkeypatch, ROTATION_GRACE + timedelta(seconds=1))
    refused = post(secret, MATCH_RAW)
    assert refused.status_code == 401
    assert refused.json() == {"detail": "The API key is invalid or has been revoked.", "code": "invalid_api_key"}
    assert post(new_secret, MATCH_RAW).status_code == 200
    assert api_key_authenticate(secret) is None
    assert used(licensee) == 4  # the refused call was not counted


def test_a_page_signed_in_with_an_expired_key_is_signed_out(acme, monkeypatch) -> None:
    _licensee, key, secret = acme
    client = signed_in(secret)
    api_key_rotate(key=key)
    session = client.session
    session[SESSION_KEY] = key.pk  # signed in with the old key, as before the rotation
    session.save()

    later(monkeypatch, ROTATION_GRACE + timedelta(seconds=1))

    assert client.get(USAGE)["Location"] == SIGNIN
    assert HttpClient(HTTP_HOST=PUBLIC_HOST).post(SIGNIN, {"api_key": secret}).status_code == 200  # refused


def test_rotating_twice_keeps_the_earlier_end_and_a_revoked_key_cannot_be_rotated(acme) -> None:
    licensee, key, _secret = acme
    api_key_rotate(key=key, grace=timedelta(hours=1))
    first_end = ApiKey.objects.get(pk=key.pk).expires_at
    api_key_rotate(key=key)
    assert ApiKey.objects.get(pk=key.pk).expires_at == first_end

    revoked, _ = api_key_issue(licensee=licensee)
    api_key_revoke(key=revoked)
    with pytest.raises(ValueError, match="only a live key"):
        api_key_rotate(key=revoked)


def test_the_page_refuses_to_rotate_a_revoked_key_and_changes_nothing(acme) -> None:
    licensee, _key, secret = acme
    revoked, _ = api_key_issue(licensee=licensee, name="old")
    api_key_revoke(key=revoked)
    before = ApiKey.objects.filter(licensee=licensee).count()

    response = signed_in(secret).post(rotate_url(revoked), follow=True)

    assert "This key no longer works and cannot be rotated." in response.content.decode()
    assert ApiKey.objects.filter(licensee=licensee).count() == before


def test_another_licensees_key_is_a_404_and_nothing_changes(acme) -> None:
    _licensee, _key, secret = acme
    other = licensee_create(name="Globex Staffing")
    other_key, other_secret = api_key_issue(licensee=other, name="globex-prod")
    client = signed_in(secret)

    response = client.post(rotate_url(other_key))
    missing = client.post("/licensee/keys/999999999/rotate/")

    assert response.status_code == missing.status_code == 404
    assert "globex" not in response.content.decode().lower()
    assert ApiKey.objects.filter(licensee=other).count() == 1
    assert ApiKey.objects.get(pk=other_key.pk).expires_at is None
    assert api_key_authenticate(other_secret) == other_key


def test_rotation_and_test_keys_need_a_signed_in_page_and_a_post(acme) -> None:
    _licensee, key, _secret = acme
    anonymous = HttpClient(HTTP_HOST=PUBLIC_HOST)
    assert anonymous.post(rotate_url(key))["Location"] == SIGNIN
    assert anonymous.post(TEST_KEYS)["Location"] == SIGNIN
    assert ApiKey.objects.filter(licensee=key.licensee).count() == 1
    assert anonymous.get(rotate_url(key)).status_code == 405


def test_keys_stop_piling_up_past_the_limit(acme) -> None:
    from billing.views_licensee import MAX_LIVE_KEYS

    licensee, _key, secret = acme
    for _ in range(MAX_LIVE_KEYS - 1):
        api_key_issue(licensee=licensee)

    response = signed_in(secret).post(TEST_KEYS, follow=True)

    assert "already has 20 working keys" in response.content.decode()
    assert ApiKey.objects.filter(licensee=licensee).count() == MAX_LIVE_KEYS


# ---------------------------------------------------------------------------------------------------------------------
# Test keys
# ---------------------------------------------------------------------------------------------------------------------


def test_a_test_key_made_on_the_page_is_answered_but_never_metered(acme) -> None:
    licensee, _key, secret = acme
    html = signed_in(secret).post(TEST_KEYS).content.decode()
    test_key = ApiKey.objects.get(licensee=licensee, is_test=True)
    test_secret = secret_on(html, test_key.prefix)
    assert test_key.prefix.startswith("cvp_test_")
    assert "use none of your quota and are never billed" in html

    single = post(test_secret, MATCH_RAW)
    batch = post(test_secret, {"items": [MATCH_RAW, {"cv_text": "x"}, MATCH_RAW]})

    assert single.status_code == 200, single.content
    assert 0 <= single.json()["score"] <= 100
    assert single[TEST_KEY_HEADER] == "true"
    assert "X-Quota-Remaining" not in single
    assert batch.status_code == 200
    assert batch.json()["failed"] == [1]
    assert used(licensee) == 0
    assert not ApiUsage.objects.filter(licensee=licensee).exists()
    assert not ApiUsageDay.objects.filter(licensee=licensee).exists()
    live = post(secret, MATCH_RAW)
    assert live["X-Quota-Remaining"] == "99"  # the test calls took nothing from the quota
    assert used(licensee) == 1


def test_a_test_keys_batch_is_small_and_it_still_counts_towards_the_rate(cast, db, monkeypatch) -> None:
    licensee = licensee_create(quota=100, rate=2)
    _key, test_secret = api_key_issue(licensee=licensee, is_test=True)
    monkeypatch.setattr(metering, "clock", lambda: 1_000_020.0)  # one rate window for the whole test

    too_many = post(test_secret, {"items": [MATCH_RAW] * (TEST_KEY_MAX_BATCH_ITEMS + 1)})
    assert too_many.status_code == 400
    assert too_many.json() == {"items": [f"A test key's batch has at most {TEST_KEY_MAX_BATCH_ITEMS} items."]}
    assert post(test_secret, MATCH_RAW).status_code == 200
    limited = post(test_secret, MATCH_RAW)

    assert limited.status_code == 429
    assert limited.json()["code"] == "rate_exceeded"
    assert used(licensee) == 0


def test_a_quota_used_up_does_not_stop_a_test_key(cast, db) -> None:
    licensee = licensee_create(quota=1)
    _live, live_secret = api_key_issue(licensee=licensee)
    _test, test_secret = api_key_issue(licensee=licensee, is_test=True)
    meter(licensee, 1)

    assert post(live_secret, MATCH_RAW).status_code == 429
    assert post(test_secret, MATCH_RAW).status_code == 200
    assert used(licensee) == 1


# ---------------------------------------------------------------------------------------------------------------------
# "Last used" is the last API call
# ---------------------------------------------------------------------------------------------------------------------


def test_signing_in_to_the_page_is_not_a_use_and_an_api_call_is(acme) -> None:
    _licensee, key, secret = acme
    client = signed_in(secret)
    client.get(USAGE)
    assert ApiKey.objects.get(pk=key.pk).last_used_at is None
    assert "never" in client.get(USAGE).content.decode()

    assert post(secret, MATCH_RAW).status_code == 200

    last_used = ApiKey.objects.get(pk=key.pk).last_used_at
    assert last_used is not None
    assert timezone.now() - last_used < timedelta(seconds=30)


# ---------------------------------------------------------------------------------------------------------------------
# Admin: the usage beside the contract
# ---------------------------------------------------------------------------------------------------------------------


def test_staff_see_the_usage_beside_the_contract(acme) -> None:
    licensee, key, secret = acme
    StaffUserFactory(email="contracts@cvplus.example")
    staff = HttpClient(HTTP_HOST=PUBLIC_HOST)
    staff.post("/admin/login/?next=/admin/", {"username": "contracts@cvplus.example", "password": PASSWORD})
    meter(licensee, 30)
    assert post(secret, MATCH_RAW).status_code == 200

    page = staff.get(f"/admin/billing/licensee/{licensee.pk}/change/").content.decode()

    assert "Contract and usage" in page
    assert "100 calls a month" in page
    assert "60 requests a minute" in page
    assert "31 of 100 calls used (31%); 69 left." in page
    assert "Last API call:" in page
    assert "1 working key" in page
    assert key.prefix in page
    assert secret not in page
