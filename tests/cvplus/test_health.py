"""/healthz reports database, migrations, cache, broker and worker, with 200 only when all are well."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient

from tests.conftest import HOST_A, PUBLIC_HOST


def test_it_reports_503_when_no_worker_answers(cast, db) -> None:
    response = HttpClient(HTTP_HOST=PUBLIC_HOST).get("/healthz")
    body = response.json()
    assert response.status_code == 503
    assert body["status"] == "unavailable"
    assert body["checks"]["worker"] == {"ok": False, "workers": 0, "ms": body["checks"]["worker"]["ms"]}
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
