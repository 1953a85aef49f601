"""API licensing: keys shown once and stored hashed, revoked keys refused, the quota held exactly under 1,000
concurrent attempts, the per-minute rate (429 + Retry-After), whole-batch refusal, calls given back on a 503, the
public host only, the admin page, and isolation: one licensee never sees another's usage and no session cookie
(tenant or staff) authenticates on the licensee API. Reporting to Stripe: tests/billing/test_api_usage_report.py.
"""

from __future__ import annotations

import hashlib
import threading

import pytest
from django.core.cache import cache
from django.db import connections
from django.test import Client as HttpClient
from django.utils import translation
from django_tenants.utils import schema_context
from rest_framework import serializers

from billing import metering
from billing.api_keys import api_key_authenticate, api_key_issue, api_key_revoke
from billing.metering import meter, usage_flush
from billing.models import ApiKey, ApiUsage, ApiUsageDay, Licensee
from predictions.api.inputs import UNKNOWN_FIELD
from tests.accounts.factories import StaffUserFactory
from tests.billing.licensees import licensee_create
from tests.conftest import HOST_A, PASSWORD, PUBLIC_HOST, login

MATCH = "/api/v1/licensee/predictions/match"
USAGE = "/api/v1/licensee/usage"
MATCH_RAW = {
    "cv_text": "Data scientist\nExperience\n- Built Python models on PostgreSQL\nSkills\nPython, SQL",
    "posting_title": "Data Scientist",
    "posting_description": "Requirements:\n- Python\n- Terraform",
}


def post(secret: str | None, body: object, *, path: str = MATCH, host: str = PUBLIC_HOST, client=None, headers=None):
    headers = dict(headers or {}, **({"HTTP_AUTHORIZATION": f"Bearer {secret}"} if secret else {}))
    return (client or HttpClient()).post(path, body, content_type="application/json", HTTP_HOST=host, **headers)


def used(licensee: Licensee) -> int:
    """The calls recorded in PostgreSQL, after moving the ones still in Redis there."""
    usage_flush()
    return sum(ApiUsage.objects.filter(licensee=licensee).values_list("calls", flat=True))


@pytest.fixture
def licensee(cast, db) -> Licensee:
    return licensee_create()


# ---------------------------------------------------------------------------------------------------------------------
# Keys
# ---------------------------------------------------------------------------------------------------------------------


def test_it_issues_a_key_shown_once_and_stores_only_its_hash(licensee) -> None:
    key, secret = api_key_issue(licensee=licensee, name="production")
    _other, other_secret = api_key_issue(licensee=licensee)

    stored = ApiKey.objects.get(pk=key.pk)
    assert secret.startswith(stored.prefix + "_")
    assert stored.prefix.startswith("cvp_live_")
    assert len(stored.prefix) == len("cvp_live_") + 8
    assert stored.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    row_values = [str(getattr(stored, field.attname)) for field in ApiKey._meta.concrete_fields]
    assert not any(secret in value or secret[len(stored.prefix) :] in value for value in row_values)
    assert other_secret != secret
    assert api_key_authenticate(secret) == stored
    assert api_key_authenticate(secret + "x") is None
    assert api_key_authenticate(stored.prefix + "_" + "A" * 43) is None


def test_it_answers_with_a_bearer_or_x_api_key_and_counts_the_call(licensee) -> None:
    _key, secret = api_key_issue(licensee=licensee)

    bearer = post(secret, MATCH_RAW)
    x_api_key = HttpClient().post(
        MATCH, MATCH_RAW, content_type="application/json", HTTP_HOST=PUBLIC_HOST, HTTP_X_API_KEY=secret
    )

    assert bearer.status_code == 200, bearer.content
    assert 0 <= bearer.json()["score"] <= 100 or bearer.json()["low_confidence"]
    assert x_api_key.status_code == 200
    assert x_api_key["X-Quota-Remaining"] == "98"
    assert used(licensee) == 2
    assert ApiUsageDay.objects.get(licensee=licensee).calls == 2
    assert ApiKey.objects.get(pk=_key.pk).last_used_at is not None


def test_it_refuses_a_revoked_key_with_401_and_counts_nothing(licensee) -> None:
    key, secret = api_key_issue(licensee=licensee)
    assert post(secret, MATCH_RAW).status_code == 200

    api_key_revoke(key=key)
    response = post(secret, MATCH_RAW)

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert used(licensee) == 1


@pytest.mark.parametrize("secret", [None, "cvp_live_nosuchke_" + "x" * 43, "not-a-key"])
def test_it_answers_401_without_a_valid_key(licensee, secret) -> None:
    response = post(secret, MATCH_RAW)
    assert response.status_code == 401
    assert used(licensee) == 0


def test_it_answers_403_for_an_inactive_licensee(licensee) -> None:
    _key, secret = api_key_issue(licensee=licensee)
    Licensee.objects.filter(pk=licensee.pk).update(is_active=False)

    response = post(secret, MATCH_RAW)

    assert response.status_code == 403
    assert "inactive" in response.json()["detail"]
    assert used(licensee) == 0


def test_it_answers_400_naming_the_field_and_counts_nothing(licensee) -> None:
    _key, secret = api_key_issue(licensee=licensee)

    response = post(secret, {**MATCH_RAW, "posting_title": ""})
    unknown = post(secret, {**MATCH_RAW, "cv_txt": "x"})
    envelope = post(secret, {"items": [MATCH_RAW], "explian": True})

    assert response.status_code == unknown.status_code == envelope.status_code == 400
    assert list(response.json()) == ["posting_title"]
    assert unknown.json() == {"cv_txt": [str(UNKNOWN_FIELD)]}
    assert list(envelope.json()) == ["explian"]
    assert used(licensee) == 0


@pytest.mark.parametrize("language", ["en", "de"])
def test_it_answers_a_batch_per_item_and_bills_only_the_answered_items(licensee, language) -> None:
    _key, secret = api_key_issue(licensee=licensee)
    items = [MATCH_RAW, {"cv_text": "x"}, MATCH_RAW, {**MATCH_RAW, "must_have": "Python"}]

    response = post(secret, {"items": items}, headers={"HTTP_ACCEPT_LANGUAGE": language})

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["failed"] == [1, 3]
    assert [entry.get("index") for entry in body["items"]] == [None, 1, None, 3]
    assert set(body["items"][1]["errors"]) == {"posting_title", "posting_description"}
    with translation.override(language):
        not_a_list = str(serializers.ListField().error_messages["not_a_list"]).format(input_type="str")
    assert body["items"][3]["errors"] == {"must_have": [not_a_list]}
    assert body["items"][0]["score"] == body["items"][2]["score"] == post(secret, MATCH_RAW).json()["score"]
    answered = 2
    assert response["X-Quota-Remaining"] == str(100 - answered)
    assert used(licensee) == answered + 1  # and the single call above


def test_it_answers_a_batch_whose_every_item_fails_and_bills_nothing(licensee) -> None:
    _key, secret = api_key_issue(licensee=licensee)

    response = post(secret, {"items": [{"cv_text": "x"}, {"salry": 1}]})

    assert response.status_code == 200, response.content
    assert response.json()["failed"] == [0, 1]
    assert response.json()["items"][1]["errors"]["salry"] == [str(UNKNOWN_FIELD)]
    assert used(licensee) == 0


def test_it_counts_an_all_failing_batch_towards_the_rate(cast, db) -> None:
    licensee = licensee_create(rate=1)
    _key, secret = api_key_issue(licensee=licensee)

    assert post(secret, {"items": [{"cv_text": "x"}]}).status_code == 200
    refused = post(secret, {"items": [{"cv_text": "x"}]})

    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_exceeded"
    assert used(licensee) == 0


# ---------------------------------------------------------------------------------------------------------------------
# Quota and rate
# ---------------------------------------------------------------------------------------------------------------------


def test_it_refuses_a_batch_that_does_not_fit_whole(cast, db) -> None:
    licensee = licensee_create(quota=5)
    _key, secret = api_key_issue(licensee=licensee)

    first = post(secret, {"items": [MATCH_RAW] * 3})
    refused = post(secret, {"items": [MATCH_RAW] * 3})
    fits = post(secret, {"items": [MATCH_RAW] * 2})

    assert first.status_code == 200
    assert len(first.json()["items"]) == 3
    assert refused.status_code == 429
    assert refused.json()["code"] == "quota_exceeded"
    assert refused.json()["remaining"] == 2
    assert int(refused["Retry-After"]) > 0
    assert fits.status_code == 200
    assert fits["X-Quota-Remaining"] == "0"
    assert used(licensee) == 5
    assert post(secret, MATCH_RAW).status_code == 429


@pytest.fixture(params=["redis", "without-redis"])
def metering_path(request, monkeypatch) -> str:
    """Runs a test on the production path (Redis decides) and on the fallback without Redis (cache and PostgreSQL)."""
    if request.param == "without-redis":
        monkeypatch.setattr(metering, "_redis", lambda: None)
    return request.param


def test_it_limits_the_rate_per_minute_with_retry_after(cast, db, monkeypatch, metering_path) -> None:
    licensee = licensee_create(quota=None, rate=2)
    _key, secret = api_key_issue(licensee=licensee)
    frozen = 60 * 66_666_667 + 17.0  # 17 s into a minute (in 2096): far from any real window
    monkeypatch.setattr(metering, "clock", lambda: frozen)
    cache.delete(f"billing:api-rate:{licensee.pk}:{int(frozen) // 60}")  # the fallback's key, left by an earlier run

    answers = [post(secret, MATCH_RAW) for _ in range(3)]

    assert [a.status_code for a in answers] == [200, 200, 429]
    assert answers[2]["Retry-After"] == "43"
    assert answers[2].json()["code"] == "rate_exceeded"
    assert "43" in answers[2].json()["detail"]
    assert used(licensee) == 2  # the refused request is not metered
    monkeypatch.setattr(metering, "clock", lambda: frozen + 60)
    assert post(secret, MATCH_RAW).status_code == 200


def _run_threads(count: int, work) -> None:
    """Runs `work(index)` in `count` threads started together, each on its own database connection."""
    barrier = threading.Barrier(count)
    errors: list[BaseException] = []

    def target(index: int) -> None:
        try:
            barrier.wait()
            work(index)
        except BaseException as error:  # noqa: BLE001 - reported by the test thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors


def test_it_lets_exactly_the_quota_through_1000_concurrent_attempts(committed, cast, metering_path) -> None:
    licensee = licensee_create(quota=100, name="Concurrent Ltd")
    threads, attempts_each = 40, 25
    results: list[metering.QuotaResult] = []
    lock = threading.Lock()

    def work(_index: int) -> None:
        for _ in range(attempts_each):
            result = meter(licensee, 1)
            with lock:
                results.append(result)

    try:
        _run_threads(threads, work)
        allowed = [r for r in results if r.allowed]
        assert len(results) == 1000
        assert len(allowed) == 100
        assert sorted(r.remaining for r in allowed) == list(range(100))
        assert all(r.reason == metering.QUOTA and r.retry_after > 0 for r in results if not r.allowed)
        assert used(licensee) == 100
        assert ApiUsageDay.objects.get(licensee=licensee).calls == 100
    finally:
        plan = licensee.plan
        licensee.delete()
        plan.delete()


def test_it_holds_the_quota_under_concurrent_http_requests(committed, cast, metering_path) -> None:
    licensee = licensee_create(quota=10, name="Concurrent HTTP Ltd")
    _key, secret = api_key_issue(licensee=licensee)
    statuses: list[int] = []
    lock = threading.Lock()

    def work(_index: int) -> None:
        response = post(secret, MATCH_RAW)
        with lock:
            statuses.append(response.status_code)

    try:
        _run_threads(24, work)
        assert sorted(statuses) == [200] * 10 + [429] * 14
        assert used(licensee) == 10
    finally:
        plan = licensee.plan
        licensee.delete()
        plan.delete()


# ---------------------------------------------------------------------------------------------------------------------
# Hosts and isolation
# ---------------------------------------------------------------------------------------------------------------------


def test_it_answers_only_on_the_public_host(licensee) -> None:
    _key, secret = api_key_issue(licensee=licensee)

    response = post(secret, MATCH_RAW, host=HOST_A)

    assert response.status_code == 404
    assert used(licensee) == 0


def test_it_shows_a_licensee_only_its_own_usage(licensee) -> None:
    other = licensee_create(name="Other Corp")
    _key, secret = api_key_issue(licensee=licensee)
    _other_key, other_secret = api_key_issue(licensee=other)
    for _ in range(3):
        assert post(secret, MATCH_RAW).status_code == 200
    assert post(other_secret, MATCH_RAW).status_code == 200

    mine = HttpClient().get(USAGE, HTTP_HOST=PUBLIC_HOST, HTTP_AUTHORIZATION=f"Bearer {secret}").json()
    theirs = HttpClient().get(USAGE, HTTP_HOST=PUBLIC_HOST, HTTP_X_API_KEY=other_secret).json()

    assert mine["licensee"] == "Acme HR"
    assert mine["remaining"] == 97
    assert [m["calls"] for m in mine["months"]] == [3]
    assert theirs["licensee"] == "Other Corp"
    assert theirs["remaining"] == 99
    assert [m["calls"] for m in theirs["months"]] == [1]
    assert [d["calls"] for d in theirs["days"]] == [1]


def test_it_does_not_authenticate_tenant_or_staff_session_cookies(licensee, cast) -> None:
    tenant_browser = HttpClient(HTTP_HOST=HOST_A)
    assert login(tenant_browser, cast.owner_email).status_code == 302
    with schema_context("public"):  # the tenant login left the connection on tenant A
        StaffUserFactory(email="api-staff@cvplus.example")
    staff_browser = HttpClient(HTTP_HOST=PUBLIC_HOST)
    staff_browser.post("/admin/login/?next=/admin/", {"username": "api-staff@cvplus.example", "password": PASSWORD})
    assert "sessionid" in staff_browser.cookies
    assert "sessionid" in tenant_browser.cookies

    for browser in (tenant_browser, staff_browser):
        assert post(None, MATCH_RAW, client=browser).status_code == 401
        assert browser.get(USAGE, HTTP_HOST=PUBLIC_HOST).status_code == 401
    assert used(licensee) == 0


# ---------------------------------------------------------------------------------------------------------------------
# Admin
# ---------------------------------------------------------------------------------------------------------------------


def test_it_issues_a_key_in_admin_showing_the_secret_once(licensee, cast) -> None:
    StaffUserFactory(email="licensing@cvplus.example")
    staff = HttpClient(HTTP_HOST=PUBLIC_HOST)
    staff.post("/admin/login/?next=/admin/", {"username": "licensing@cvplus.example", "password": PASSWORD})
    meter(licensee, 3)

    issued = staff.post(
        "/admin/billing/licensee/",
        {"action": "issue_key", "_selected_action": [licensee.pk]},
        follow=True,
    )
    key = ApiKey.objects.get(licensee=licensee)
    secret = next(word for word in issued.content.decode().split() if word.startswith(key.prefix + "_"))
    page = staff.get(f"/admin/billing/licensee/{licensee.pk}/change/").content.decode()
    revoked = staff.post("/admin/billing/apikey/", {"action": "revoke", "_selected_action": [key.pk]}, follow=True)

    assert api_key_authenticate(secret) is None  # revoked by the last action
    assert ApiKey.objects.get(pk=key.pk).key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in page
    assert key.prefix in page
    assert "<td>3</td>" in page  # this month's and today's calls
    assert "3 of 100 calls used (3%); 97 left." in page  # this month, beside the contract
    assert revoked.status_code == 200
    assert ApiKey.objects.get(pk=key.pk).revoked_at is not None


def test_it_gives_the_calls_back_when_no_model_can_answer(licensee) -> None:
    _key, secret = api_key_issue(licensee=licensee)
    body = {"title": "Data Scientist", "country": "US"}  # no time-to-hire model is trained in this test database

    response = post(secret, {"items": [body, body]}, path="/api/v1/licensee/predictions/time-to-hire")

    assert response.status_code == 503, response.content
    assert used(licensee) == 0
    assert sum(ApiUsageDay.objects.filter(licensee=licensee).values_list("calls", flat=True)) == 0
