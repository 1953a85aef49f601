"""/healthz reports database, migrations, cache, broker and worker, with 200 only when all are well, and answers
while a dependency hangs or is down, naming it."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client as HttpClient

from tests.conftest import HOST_A, PUBLIC_HOST
from tests.faults.redis_server import dead_redis_url


def test_it_reports_503_when_no_worker_answers(cast, db) -> None:
    response = HttpClient(HTTP_HOST=PUBLIC_HOST).get("/healthz")
    body = response.json()
    assert response.status_code == 503
    assert body["status"] == "unavailable"
    assert body["checks"]["worker"]["ok"] is False
    assert body["checks"]["worker"].get("workers", 0) == 0  # none answered (or, on a busy machine, not in time)
    for name in ("database", "migrations", "cache", "broker"):
        assert body["checks"][name]["ok"] is True, name


def test_it_reports_200_with_a_worker_running(cast, celery_worker) -> None:
    for host, schema in ((PUBLIC_HOST, "public"), (HOST_A, "alpha")):
        response = HttpClient(HTTP_HOST=host).get("/healthz")
        body = response.json()
        assert response.status_code == 200, body
        assert body["checks"]["worker"]["workers"] >= 1
        assert body["checks"]["migrations"] == {
            "ok": True,
            "schema": schema,
            "pending": [],
            "ms": pytest.approx(body["checks"]["migrations"]["ms"]),
        }


def test_it_reports_a_broker_that_does_not_answer(cast, db, settings) -> None:
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = HttpClient(HTTP_HOST=PUBLIC_HOST).get("/healthz")
    body = response.json()
    assert response.status_code == 503
    assert body["checks"]["broker"]["ok"] is False
    assert "Error" in body["checks"]["broker"]["error"]


def test_it_answers_naming_a_check_that_hangs(cast, db) -> None:
    with connection.cursor() as cursor:  # held until the test's transaction ends: the migrations check blocks on it
        cursor.execute("LOCK TABLE django_migrations IN ACCESS EXCLUSIVE MODE")
    answers: list = []
    request = threading.Thread(
        target=lambda: answers.append(HttpClient(HTTP_HOST=PUBLIC_HOST).get("/healthz")), daemon=True
    )

    request.start()
    request.join(timeout=30)  # a bound on waiting, not a timing: before each check had its own deadline, it hung

    assert answers, "/healthz did not answer while its migrations check hung"
    body = answers[0].json()
    assert answers[0].status_code == 503
    assert body["checks"]["migrations"]["ok"] is False
    assert "timed out" in body["checks"]["migrations"]["error"]
    assert body["checks"]["database"]["ok"] is True


def test_it_names_the_cache_and_the_broker_while_redis_is_down(cast, db, settings) -> None:
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": dead_redis_url()}}
    settings.CELERY_BROKER_URL = dead_redis_url()

    response = HttpClient(HTTP_HOST=HOST_A).get("/healthz")

    body = response.json()
    assert response.status_code == 503
    assert body["status"] == "unavailable"
    assert body["checks"]["cache"]["ok"] is False
    assert body["checks"]["broker"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["migrations"]["ok"] is True
