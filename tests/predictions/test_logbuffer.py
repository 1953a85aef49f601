# ruff: noqa: F811 - fixtures imported by name are redefined as test arguments
"""The prediction log off the request path (predictions/logbuffer.py): a request's rows wait in Redis and the flush
writes them into the request's own tenant schema exactly once: a crash before the commit loses nothing, a crash
after it (before the batch is deleted) doubles nothing; with Redis unreachable the rows are written at once; rows of a
schema that is not a ready tenant are never written anywhere.

The salary champion is trained on SIMULATED rows (tests/predictions/serving_support.py)."""

from __future__ import annotations

import json

import pytest
import redis
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import User
from billing import redis_client as billing_redis
from cvplus import batched_writes
from predictions import logbuffer
from predictions.logbuffer import prediction_log_flush
from predictions.models import PredictionLog, PredictionLogFlush
from predictions.tasks import prediction_log_flush_task
from tests.billing.test_metering import DeleteFails
from tests.conftest import login
from tests.predictions.api.test_api import SALARY
from tests.predictions.serving_support import (  # noqa: F401 - fixtures
    salary_champion,
    salary_reference,
    salary_run,
)
from tests.tracking.conftest import owner, owner_client  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _buffered(settings) -> None:
    settings.PREDICTION_LOG_BUFFERED = True
    _forget_buffered_rows()
    yield
    _forget_buffered_rows()
    billing_redis._down_until.clear()


def _forget_buffered_rows() -> None:
    client = billing_redis.redis_client()
    keys = list(client.scan_iter(match=f"{batched_writes.database_namespace(logbuffer.PREFIX)}*"))
    if keys:
        client.delete(*keys)


def rows_in(schema: str) -> list[PredictionLog]:
    with schema_context(schema):
        return list(PredictionLog.objects.order_by("pk"))


def pending_keys() -> list[str]:
    base = batched_writes.database_namespace(logbuffer.PREFIX)
    return sorted(key.decode() for key in billing_redis.redis_client().scan_iter(match=f"{base}*"))


def salary_post(client) -> None:
    response = client.post("/api/v1/predictions/salary", SALARY, content_type="application/json")
    assert response.status_code == 200, response.content


def test_it_writes_the_row_into_the_callers_schema_only_at_the_flush(owner, owner_client, salary_champion) -> None:
    before = timezone.now()
    salary_post(owner_client)
    after = timezone.now()

    assert rows_in("alpha") == []
    assert pending_keys() == [f"{batched_writes.database_namespace(logbuffer.PREFIX)}alpha:pending"]
    assert prediction_log_flush() == 1

    [row] = rows_in("alpha")
    assert (row.kind, row.user_id, row.model_version_id) == ("salary", owner.pk, salary_champion.pk)
    assert before <= row.created_at <= after  # the request's time, not the flush's
    assert rows_in("beta") == []
    assert rows_in("public") == []
    assert pending_keys() == []
    with schema_context("alpha"):
        assert PredictionLogFlush.objects.get().rows == 1


def test_each_tenants_rows_land_in_its_own_schema(cast, owner_client, client_b, salary_champion) -> None:
    login(client_b, cast.stranger_email)
    for _ in range(2):
        salary_post(owner_client)
    for _ in range(3):
        salary_post(client_b)

    assert prediction_log_flush() == 5

    with schema_context("beta"):
        stranger = User.objects.get(email=cast.stranger_email)
    assert len(rows_in("alpha")) == 2
    assert [row.user_id for row in rows_in("beta")] == [stranger.pk] * 3
    assert rows_in("public") == []


def test_a_crash_before_the_commit_loses_nothing(owner_client, salary_champion, monkeypatch) -> None:
    salary_post(owner_client)
    salary_post(owner_client)
    original = logbuffer._batch_write

    def crash(schema: str, batch: str, rows: list[dict]) -> int:
        original(schema, batch, rows)  # the rows are inserted, then the transaction never commits
        raise RuntimeError("simulated crash before the commit")

    with monkeypatch.context() as patched:
        patched.setattr(logbuffer, "_batch_write", crash)
        with pytest.raises(RuntimeError):
            prediction_log_flush()
    assert rows_in("alpha") == []

    assert prediction_log_flush() == 2
    assert len(rows_in("alpha")) == 2


def test_a_crash_after_the_commit_does_not_write_the_batch_twice(owner_client, salary_champion, monkeypatch) -> None:
    salary_post(owner_client)
    failing = DeleteFails(billing_redis.redis_client())
    monkeypatch.setattr(logbuffer, "redis_client", lambda: failing)

    with pytest.raises(ConnectionError):
        prediction_log_flush()
    assert len(rows_in("alpha")) == 1
    assert any(":batch:" in key for key in pending_keys())  # still in Redis, and recorded as written

    salary_post(owner_client)  # a new row, pending beside the recorded batch
    assert prediction_log_flush() == 1
    assert len(rows_in("alpha")) == 2
    assert pending_keys() == []


def test_with_redis_unreachable_the_row_is_written_at_once(owner_client, salary_champion, monkeypatch) -> None:
    unreachable = redis.Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.2)
    monkeypatch.setattr(logbuffer, "redis_client", lambda: unreachable)

    salary_post(owner_client)
    assert len(rows_in("alpha")) == 1
    salary_post(owner_client)  # remembered as down: no new attempt, written at once too
    assert len(rows_in("alpha")) == 2
    assert pending_keys() == []


def test_with_the_buffer_off_the_request_writes_the_row(owner_client, salary_champion, settings) -> None:
    settings.PREDICTION_LOG_BUFFERED = False
    salary_post(owner_client)
    assert len(rows_in("alpha")) == 1
    assert pending_keys() == []


def _push(schema: str, row: dict) -> None:
    key = f"{batched_writes.database_namespace(logbuffer.PREFIX)}{schema}:pending"
    billing_redis.redis_client().rpush(key, json.dumps(row))


def _row(user_id: int | None = None) -> dict:
    return {
        "kind": "salary",
        "model_version_id": None,
        "model_version": None,
        "model_label": "prior",
        "scope": "",
        "input_hash": "a" * 64,
        "latency_ms": 1.0,
        "batch_size": 1,
        "low_confidence": False,
        "low_confidence_count": 0,
        "insufficient_data": True,
        "source": "api",
        "user_id": user_id,
        "created_at": timezone.now().isoformat(),
    }


def test_rows_under_a_schema_that_is_no_tenant_are_never_written(cast) -> None:
    _push("public", _row())
    _push("no_such_tenant", _row())

    assert prediction_log_flush() == 0

    assert rows_in("public") == []
    for schema in ("alpha", "beta", "gamma"):
        assert rows_in(schema) == []
    assert pending_keys() == []  # dropped, never retried into another schema
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('no_such_tenant.predictions_predictionlog')")
        assert cursor.fetchone()[0] is None


def test_a_user_unknown_in_the_schema_is_logged_as_no_user(cast) -> None:
    with schema_context("beta"):
        stranger = User.objects.get(email=cast.stranger_email)
    with schema_context("alpha"):
        unknown = max(User.objects.values_list("pk", flat=True)) + stranger.pk + 1
    _push("alpha", _row(user_id=unknown))  # e.g. a user of another schema, or one deleted before the flush

    assert prediction_log_flush() == 1
    assert [row.user_id for row in rows_in("alpha")] == [None]


def test_the_beat_task_flushes(owner_client, salary_champion) -> None:
    salary_post(owner_client)
    assert prediction_log_flush_task() == 1
    assert len(rows_in("alpha")) == 1
