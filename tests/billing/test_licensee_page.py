"""The licensee's own page on the public host: signing in with an API key, the month's quota and the calls per day
and per month, the keys without their secrets, and isolation: a session sees only its own licensee, a revoked key
signs the page out, a tenant host has no such page, and a wrong key is a translated error that stores nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client as HttpClient
from django.utils import timezone
from django.utils.translation import override

from billing.api_keys import api_key_authenticate, api_key_issue, api_key_revoke
from billing.licensee_portal import SESSION_KEY, day_bars
from billing.metering import meter, next_period_start, seconds_to_next_month
from billing.models import ApiKey, ApiUsage, ApiUsageDay
from tests.billing.licensees import licensee_create
from tests.conftest import PUBLIC_HOST

SIGNIN = "/licensee/"
USAGE = "/licensee/usage/"


@pytest.fixture
def acme(cast, db):
    licensee = licensee_create(quota=100, rate=60, name="Acme HR")
    key, secret = api_key_issue(licensee=licensee, name="production")
    return licensee, key, secret


def signed_in(secret: str) -> HttpClient:
    client = HttpClient(HTTP_HOST=PUBLIC_HOST)
    response = client.post(SIGNIN, {"api_key": secret})
    assert response.status_code == 302
    assert response["Location"] == USAGE
    return client


def test_a_licensee_signs_in_with_a_key_and_sees_quota_days_months_and_keys(acme) -> None:
    licensee, key, secret = acme
    _other_key, other_secret = api_key_issue(licensee=licensee, name="staging")
    meter(licensee, 7)
    meter(licensee, 3)
    yesterday = timezone.now().date() - timedelta(days=1)
    ApiUsageDay.objects.create(licensee=licensee, day=yesterday, calls=4)
    ApiUsage.objects.create(
        licensee=licensee,
        period_start=(yesterday.replace(day=1) - timedelta(days=1)).replace(day=1),
        calls=55,
        reported_calls=55,
    )

    page = signed_in(secret).get(USAGE)

    assert page.status_code == 200
    html = page.content.decode()
    assert "API usage for Acme HR" in html
    assert "10 of 100 calls used; 90 left." in html
    assert "Rate limit: 60 requests a minute" in html
    assert "14 calls in these 30 days." in html  # 10 today, 4 yesterday
    assert ">55<" in html  # last month's row, reported for billing
    assert key.prefix in html
    assert _other_key.prefix in html
    assert secret not in html
    assert other_secret not in html
    assert html.count("<rect ") == 30


def test_the_day_bars_cover_thirty_days_scaled_to_the_busiest(acme) -> None:
    licensee, _key, _secret = acme
    today = timezone.now().date()
    ApiUsageDay.objects.create(licensee=licensee, day=today, calls=20)
    ApiUsageDay.objects.create(licensee=licensee, day=today - timedelta(days=29), calls=10)
    ApiUsageDay.objects.create(licensee=licensee, day=today - timedelta(days=30), calls=99)  # outside the window

    bars = day_bars(licensee, today=today)

    assert [bar.day for bar in bars][0] == today - timedelta(days=29)
    assert bars[-1].day == today
    assert [bar.calls for bar in bars] == [10] + [0] * 28 + [20]
    assert bars[-1].height == 120
    assert bars[0].height == 60
    assert bars[1].height == 0


def test_a_wrong_or_revoked_key_is_a_translated_error_and_no_session(acme) -> None:
    licensee, key, secret = acme
    client = HttpClient(HTTP_HOST=PUBLIC_HOST)
    with override("fr"):
        wrong = client.post(SIGNIN, {"api_key": secret[:-2] + "xx"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert wrong.status_code == 200
    assert "Cette clé d’API est inconnue ou a été révoquée." in wrong.content.decode()
    assert SESSION_KEY not in client.session

    empty = client.post(SIGNIN, {"api_key": ""})
    assert empty.status_code == 200
    assert SESSION_KEY not in client.session

    api_key_revoke(key=key)
    revoked = client.post(SIGNIN, {"api_key": secret})
    assert revoked.status_code == 200
    assert SESSION_KEY not in client.session
    assert client.get(USAGE)["Location"] == SIGNIN


def test_revoking_the_key_signs_the_page_out(acme) -> None:
    _licensee, key, secret = acme
    client = signed_in(secret)
    api_key_revoke(key=key)

    response = client.get(USAGE, follow=True)

    assert response.redirect_chain[-1][0] == SIGNIN
    assert "has been revoked" in response.content.decode()
    assert "Acme HR" not in response.content.decode()


def test_a_session_sees_only_its_own_licensee(acme) -> None:
    _licensee, _key, secret = acme
    other = licensee_create(quota=5000, name="Globex Staffing")
    other_key, other_secret = api_key_issue(licensee=other, name="globex-prod")
    meter(other, 123)

    html = signed_in(secret).get(USAGE).content.decode()

    assert "Globex" not in html
    assert other_key.prefix not in html
    assert "123" not in html
    other_html = signed_in(other_secret).get(USAGE).content.decode()
    assert "Globex Staffing" in other_html
    assert "Acme" not in other_html


def test_signing_out_forgets_the_key(acme) -> None:
    _licensee, _key, secret = acme
    client = signed_in(secret)

    response = client.post("/licensee/sign-out/")

    assert response["Location"] == SIGNIN
    assert client.get(USAGE)["Location"] == SIGNIN


def test_the_page_lives_on_the_public_host_only(acme, client_a) -> None:
    _licensee, _key, secret = acme
    assert client_a.get(SIGNIN).status_code == 404
    assert client_a.post(SIGNIN, {"api_key": secret}).status_code == 404


def test_an_unlimited_plan_says_it_has_no_quota(cast, db) -> None:
    licensee = licensee_create(quota=None, name="Unlimited Ltd")
    _key, secret = api_key_issue(licensee=licensee)
    meter(licensee, 2)

    html = signed_in(secret).get(USAGE).content.decode()

    assert "2 calls this month; your plan has no monthly quota." in html


def test_the_quota_resets_at_midnight_utc_on_the_first_of_the_next_month() -> None:
    assert next_period_start(datetime(2026, 12, 15, 9, 30, tzinfo=UTC)) == datetime(2027, 1, 1, tzinfo=UTC)
    assert next_period_start(datetime(2026, 1, 31, 23, 59, tzinfo=UTC)) == datetime(2026, 2, 1, tzinfo=UTC)
    assert seconds_to_next_month(datetime(2026, 2, 28, 23, 59, 30, tzinfo=UTC)) == 30


def test_the_demo_licensee_keeps_its_key_in_a_file_and_replaces_a_stale_one(cast, db, tmp_path, monkeypatch) -> None:
    from billing import demo
    from billing.catalogue import plans_ensure

    plans_ensure()
    key_file = tmp_path / ".run" / "demo-licensee-key"
    monkeypatch.setattr(demo, "DEMO_KEY_FILE", key_file)

    demo.demo_licensee_ensure()
    secret = key_file.read_text().strip()
    demo.demo_licensee_ensure()
    assert key_file.read_text().strip() == secret  # re-running keeps the key

    assert signed_in(secret).get(USAGE).status_code == 200
    key_file.write_text("cvp_live_stale000_not-a-key\n")
    demo.demo_licensee_ensure()
    assert key_file.read_text().strip() != "cvp_live_stale000_not-a-key"
    assert api_key_authenticate(key_file.read_text().strip()).licensee.name == demo.DEMO_LICENSEE
    live = ApiKey.objects.filter(licensee__name=demo.DEMO_LICENSEE, revoked_at__isnull=True)
    assert live.count() == 1  # the key whose secret nobody here has any more was revoked


def test_the_demo_licensee_of_an_earlier_demo_is_renamed_and_keeps_its_key(cast, db, tmp_path, monkeypatch) -> None:
    from billing import demo
    from billing.catalogue import plans_ensure
    from billing.models import Licensee, Plan

    plans_ensure()
    key_file = tmp_path / ".run" / "demo-licensee-key"
    monkeypatch.setattr(demo, "DEMO_KEY_FILE", key_file)
    former = Licensee.objects.create(
        name=demo.FORMER_DEMO_LICENSEE, contact_email="api@demo-hr.example", plan=Plan.objects.get(code="api-starter")
    )
    _key, secret = api_key_issue(licensee=former, name="demo")
    key_file.parent.mkdir()
    key_file.write_text(secret + "\n")

    demo.demo_licensee_ensure()

    former.refresh_from_db()
    assert (former.name, former.contact_email) == (demo.DEMO_LICENSEE, demo.DEMO_LICENSEE_CONTACT)
    assert not Licensee.objects.filter(name=demo.FORMER_DEMO_LICENSEE).exists()
    assert key_file.read_text().strip() == secret
    assert api_key_authenticate(secret).licensee_id == former.pk
