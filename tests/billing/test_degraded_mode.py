"""The licensee API with Redis down (degraded mode): calls are answered and metered in PostgreSQL, the quota and the
rate still hold, the usage call and the usage page read PostgreSQL, an answer Redis lost is a 503 with Retry-After
that counts nothing elsewhere, a Redis that accepts connections and never answers is given up, and once Redis is back
its month counter is raised to the calls PostgreSQL counted meanwhile. The whole server with a real outage:
tests/faults/test_redis_outage.py."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest
from django.test import Client as HttpClient

from billing import metering
from billing.api_keys import api_key_issue
from billing.metering import meter, usage_flush
from billing.models import ApiUsage, ApiUsageDay, Licensee
from predictions.api.licensee import LicenseeMatchView
from predictions.api.views import ModelUnavailableError
from tests.billing.licensees import licensee_create
from tests.billing.test_api_licensing import MATCH_RAW, USAGE, post
from tests.conftest import PUBLIC_HOST
from tests.faults.redis_server import RedisServer, dead_redis_url, point_redis_at, running_redis


def recorded(licensee: Licensee) -> int:
    """The calls PostgreSQL holds now, without flushing anything from Redis."""
    return sum(ApiUsage.objects.filter(licensee=licensee).values_list("calls", flat=True))


@pytest.fixture
def redis_down(settings) -> None:
    point_redis_at(settings, dead_redis_url())


@pytest.fixture
def licensee(cast, db) -> Licensee:
    return licensee_create(quota=100)


def test_it_answers_the_licensee_api_and_meters_in_postgresql_while_redis_is_down(licensee, redis_down) -> None:
    _key, secret = api_key_issue(licensee=licensee)

    response = post(secret, MATCH_RAW)

    assert response.status_code == 200, response.content
    assert response.json()["score"] is not None
    assert response["X-Quota-Remaining"] == "99"
    assert recorded(licensee) == 1  # in PostgreSQL at once: there is nothing to flush
    assert ApiUsageDay.objects.get(licensee=licensee).calls == 1


def test_it_holds_the_quota_and_the_rate_while_redis_is_down(cast, db, redis_down) -> None:
    by_quota = licensee_create(quota=2, name="Quota Ltd")
    by_rate = licensee_create(quota=None, rate=1, name="Rate Ltd")
    _key, quota_secret = api_key_issue(licensee=by_quota)
    _key, rate_secret = api_key_issue(licensee=by_rate)

    quota_answers = [post(quota_secret, MATCH_RAW) for _ in range(3)]
    rate_answers = [post(rate_secret, MATCH_RAW) for _ in range(2)]

    assert [a.status_code for a in quota_answers] == [200, 200, 429]
    assert quota_answers[2].json()["code"] == "quota_exceeded"
    assert int(quota_answers[2]["Retry-After"]) > 0
    assert [a.status_code for a in rate_answers] == [200, 429]
    assert rate_answers[1].json()["code"] == "rate_exceeded"
    assert recorded(by_quota) == 2
    assert recorded(by_rate) == 1


def test_it_gives_calls_back_to_postgresql_when_no_model_answers_while_redis_is_down(
    licensee, redis_down, monkeypatch
) -> None:
    _key, secret = api_key_issue(licensee=licensee)

    def no_model(items, *, explain):
        raise ModelUnavailableError()

    monkeypatch.setattr(LicenseeMatchView, "predict", staticmethod(no_model))

    assert post(secret, {"items": [MATCH_RAW, MATCH_RAW]}).status_code == 503
    assert recorded(licensee) == 0


def test_it_answers_the_usage_call_from_postgresql_while_redis_is_down(licensee, settings) -> None:
    _key, secret = api_key_issue(licensee=licensee)
    assert post(secret, MATCH_RAW).status_code == 200
    usage_flush()
    point_redis_at(settings, dead_redis_url())
    assert post(secret, MATCH_RAW).status_code == 200

    response = HttpClient().get(USAGE, HTTP_HOST=PUBLIC_HOST, HTTP_AUTHORIZATION=f"Bearer {secret}")

    assert response.status_code == 200, response.content
    assert response.json()["remaining"] == 98
    assert response.json()["months"][0]["calls"] == 2


def test_it_shows_the_licensee_usage_page_while_redis_is_down(licensee, redis_down) -> None:
    _key, secret = api_key_issue(licensee=licensee)
    assert post(secret, MATCH_RAW).status_code == 200
    client = HttpClient(HTTP_HOST=PUBLIC_HOST)

    signed_in = client.post("/licensee/", {"api_key": secret})
    page = client.get("/licensee/usage/")

    assert signed_in.status_code == 302
    assert page.status_code == 200
    assert "99" in page.content.decode()  # calls left this month, from PostgreSQL


@pytest.fixture
def private_redis(settings) -> Iterator[RedisServer]:
    with running_redis() as server:
        point_redis_at(settings, server.url())
        yield server


def test_it_answers_503_with_retry_after_when_redis_loses_the_answer_and_counts_nothing_else(
    licensee, private_redis
) -> None:
    _key, secret = api_key_issue(licensee=licensee)
    assert post(secret, MATCH_RAW).status_code == 200  # loads the script and seeds the month counter
    private_redis.client().execute_command("CLIENT", "PAUSE", 3000, "WRITE")  # takes scripts, answers none

    response = post(secret, MATCH_RAW)

    assert response.status_code == 503
    assert response.json()["code"] == "metering_unavailable"
    assert int(response["Retry-After"]) > 0
    assert recorded(licensee) == 0  # not counted again in PostgreSQL
    private_redis.client().execute_command("CLIENT", "UNPAUSE")
    usage_flush()
    assert recorded(licensee) == 1  # Redis dropped the question of the client that left


@pytest.fixture
def silent_redis(settings) -> Iterator[str]:
    """A TCP server that accepts connections and never answers: a Redis that hangs."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    point_redis_at(settings, f"redis://127.0.0.1:{listener.getsockname()[1]}/0")
    yield listener
    stop.set()
    thread.join()
    for conn in accepted:
        conn.close()
    listener.close()


def test_it_gives_up_on_a_redis_that_never_answers_and_meters_in_postgresql(licensee, silent_redis) -> None:
    _key, secret = api_key_issue(licensee=licensee)

    response = post(secret, MATCH_RAW)

    assert response.status_code == 200, response.content
    assert recorded(licensee) == 1


def test_it_raises_a_month_counter_that_missed_the_calls_postgresql_counted(cast, db, settings) -> None:
    licensee = licensee_create(quota=5)
    assert meter(licensee, 2).allowed  # counted in Redis
    working = settings.CACHES
    point_redis_at(settings, dead_redis_url())
    outage = meter(licensee, 2)
    settings.CACHES = working

    assert outage.allowed
    assert outage.counted_in == metering.IN_POSTGRESQL
    assert meter(licensee, 1).remaining == 2  # Redis's counter does not know the outage's calls yet
    usage_flush()  # records Redis's calls and raises its counter to what PostgreSQL holds
    assert recorded(licensee) == 5
    refused = meter(licensee, 1)
    assert not refused.allowed
    assert refused.reason == metering.QUOTA
