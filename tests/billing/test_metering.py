"""Metering in Redis, recorded in PostgreSQL: every batch of pending calls lands exactly once (a crash before the
commit or after it, before the batch is deleted, neither loses nor doubles it), a month counter Redis lost is seeded
from PostgreSQL plus what is still pending, refunds, deleted licensees, a refused request still counting towards the
rate, and the flush on the beat through a real worker. The quota under 1,000 concurrent attempts and the rate window
on both paths: tests/billing/test_api_licensing.py."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.utils import timezone

from billing import metering, metering_store
from billing.api_keys import api_key_issue
from billing.metering import meter, meter_refund, period_start, usage_flush
from billing.models import ApiUsage, ApiUsageDay, ApiUsageFlush
from billing.tasks import api_usage_flush
from predictions.api.licensee import LicenseeMatchView
from tests.billing.licensees import licensee_create
from tests.billing.test_api_licensing import MATCH_RAW, post
from tests.conftest import wait_until


def recorded(licensee) -> int:
    return sum(ApiUsage.objects.filter(licensee=licensee).values_list("calls", flat=True))


def pending_batches() -> list[str]:
    namespace, _pending = metering_store.keys()
    return metering_store.batches(metering._redis(), namespace)


class DeleteFails:
    """The Redis client, except that deleting a batch fails once: a crash after the commit, before the deletion."""

    def __init__(self, client) -> None:
        self.client, self.failed = client, False

    def __getattr__(self, name: str):
        return getattr(self.client, name)

    def delete(self, *keys: str) -> int:
        if not self.failed:
            self.failed = True
            raise ConnectionError("simulated crash before the batch was deleted")
        return self.client.delete(*keys)


def test_calls_stay_in_redis_until_the_flush_records_them_once(cast, db) -> None:
    licensee = licensee_create(quota=100)
    for _ in range(3):
        assert meter(licensee, 2).allowed

    assert recorded(licensee) == 0
    assert usage_flush() >= 6
    assert recorded(licensee) == 6
    assert ApiUsageDay.objects.get(licensee=licensee, day=timezone.now().date()).calls == 6
    usage_flush()
    assert recorded(licensee) == 6


def test_a_crash_after_the_commit_does_not_count_the_batch_twice(cast, db, monkeypatch) -> None:
    licensee = licensee_create(quota=100)
    meter(licensee, 5)
    failing = DeleteFails(metering._redis())
    monkeypatch.setattr(metering, "_redis", lambda: failing)

    with pytest.raises(ConnectionError):
        usage_flush()
    assert recorded(licensee) == 5
    assert pending_batches()  # still in Redis, and recorded as applied

    usage_flush()
    assert recorded(licensee) == 5
    assert not pending_batches()


def test_a_crash_before_the_commit_loses_nothing(cast, db, monkeypatch) -> None:
    licensee = licensee_create(quota=100)
    meter(licensee, 4)

    def crash(**fields):
        raise RuntimeError("simulated crash before the commit")

    with monkeypatch.context() as patched:
        patched.setattr(ApiUsageFlush.objects, "create", crash)
        with pytest.raises(RuntimeError):
            usage_flush()
    assert recorded(licensee) == 0

    usage_flush()
    assert recorded(licensee) == 4


def test_a_month_counter_redis_lost_is_seeded_from_postgresql_and_pending_calls(cast, db) -> None:
    licensee = licensee_create(quota=10)
    assert meter(licensee, 6).allowed
    usage_flush()  # 6 recorded in PostgreSQL
    assert meter(licensee, 2).allowed  # 2 pending in Redis
    namespace, _pending = metering_store.keys()
    metering._redis().delete(metering_store.month_key(namespace, licensee.pk, period_start(timezone.now().date())))

    refused = meter(licensee, 3)
    allowed = meter(licensee, 2)

    assert not refused.allowed
    assert refused.reason == metering.QUOTA
    assert refused.remaining == 2
    assert allowed.allowed
    assert allowed.remaining == 0
    usage_flush()
    assert recorded(licensee) == 10


def test_a_refund_gives_the_calls_back(cast, db) -> None:
    licensee = licensee_create(quota=10)
    meter(licensee, 5)
    meter_refund(licensee, 2)

    assert meter(licensee, 7).allowed  # 3 + 7 = 10
    assert not meter(licensee, 1).allowed
    usage_flush()
    assert recorded(licensee) == 10


def test_the_calls_of_a_deleted_licensee_are_dropped_and_the_others_recorded(cast, db) -> None:
    gone, kept = licensee_create(quota=10, name="Gone Ltd"), licensee_create(quota=10, name="Kept Ltd")
    meter(gone, 3)
    meter(kept, 4)
    gone_id = gone.pk
    gone.delete()

    usage_flush()

    assert recorded(kept) == 4
    assert not ApiUsage.objects.filter(licensee_id=gone_id).exists()


def test_an_invalid_request_counts_towards_the_rate_but_uses_no_call(cast, db) -> None:
    licensee = licensee_create(quota=10, rate=1)
    _key, secret = api_key_issue(licensee=licensee)

    invalid = post(secret, {"cv_text": "", "posting_title": ""})
    refused = post(secret, MATCH_RAW)

    assert invalid.status_code == 400
    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_exceeded"
    usage_flush()
    assert recorded(licensee) == 0


def test_keys_are_namespaced_by_the_database_so_a_recreated_one_starts_clean(cast, db) -> None:
    namespace, pending = metering_store.keys()

    assert namespace.startswith("billing:meter:")
    assert namespace.split(":")[2].isdigit()  # the database's oid: a new database gets a new one
    assert pending == namespace + "pending"


def test_the_beat_flushes_usage_through_a_real_worker(cast, celery_worker) -> None:
    assert settings.CELERY_BEAT_SCHEDULE["flush-licensee-api-usage"]["task"] == api_usage_flush.name
    licensee = licensee_create(quota=100, name="Worker Flush Ltd")
    try:
        meter(licensee, 9)
        api_usage_flush.delay()
        assert wait_until(lambda: recorded(licensee) == 9, timeout_s=30)
    finally:
        plan = licensee.plan
        licensee.delete()
        plan.delete()


def in_use_connections() -> int:
    return len(metering._redis().connection_pool._in_use_connections)


def test_a_refused_request_gets_429_and_the_next_ones_are_decided_before_any_work(cast, db, monkeypatch) -> None:
    licensee = licensee_create(quota=1, rate=None)
    _key, secret = api_key_issue(licensee=licensee)
    predicted: list[int] = []
    original = LicenseeMatchView.predict

    def counting_predict(items, *, explain):
        predicted.append(len(items))
        return original(items, explain=explain)

    monkeypatch.setattr(LicenseeMatchView, "predict", staticmethod(counting_predict))

    answers = [post(secret, MATCH_RAW).status_code for _ in range(3)]

    assert answers == [200, 429, 429]
    assert predicted == [1, 1]  # the first refusal's work was done and thrown away; the next was decided up front
    assert not metering.Metering(licensee, 1).result().allowed
    assert metering.Metering(licensee, 1).decided
    assert in_use_connections() == 0
    usage_flush()
    assert recorded(licensee) == 1


def test_a_redis_that_lost_the_script_still_counts_each_call_once(cast, db) -> None:
    licensee = licensee_create(quota=10)
    _key, secret = api_key_issue(licensee=licensee)
    metering._redis().script_flush()

    assert post(secret, MATCH_RAW).status_code == 200
    assert post(secret, MATCH_RAW).status_code == 200

    usage_flush()
    assert recorded(licensee) == 2
    assert in_use_connections() == 0


def test_an_error_while_predicting_gives_the_calls_back_and_the_connection(cast, db, monkeypatch) -> None:
    licensee = licensee_create(quota=10)
    _key, secret = api_key_issue(licensee=licensee)

    def broken(items, *, explain):
        raise RuntimeError("simulated predictor failure")

    monkeypatch.setattr(LicenseeMatchView, "predict", staticmethod(broken))

    with pytest.raises(RuntimeError):
        post(secret, MATCH_RAW)

    assert in_use_connections() == 0
    usage_flush()
    assert recorded(licensee) == 0
