"""PostgreSQL connections stay bounded under concurrent requests, against real server processes on the test
database: the development server keeps none once its requests are answered, and gunicorn under production settings
never holds more than its pool (workers × threads), with every request on its own tenant's schema."""

from __future__ import annotations

import os
import re
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client as HttpClient
from django.test import override_settings
from django_tenants.utils import schema_context

from accounts.models import User
from tests.conftest import HOST_A, HOST_B, wait_until
from tests.servers import (
    ROOT,
    connections_held,
    database_url,
    free_port,
    get,
    get_concurrently,
    production_environment,
    server_process,
)

CONCURRENT_REQUESTS = 40
HTTPS = {"X-Forwarded-Proto": "https"}  # what the TLS-terminating proxy in front of gunicorn adds


@pytest.fixture(scope="session")
def test_database(cast, django_db_blocker) -> str:
    with django_db_blocker.unblock():
        return connection.settings_dict["NAME"]


@pytest.fixture(scope="session")
def production_static(test_database, tmp_path_factory) -> str:
    """collectstatic under production settings (hashed, compressed files for WhiteNoise), once per session."""
    import subprocess

    static_root = str(tmp_path_factory.mktemp("staticfiles"))
    environment = production_environment(
        database=test_database, application_name="cvplus-test-collectstatic", static_root=static_root, redis_url=""
    )
    environment.pop("REDIS_URL")
    environment.pop("CELERY_BROKER_URL")
    subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=environment,
        check=True,
        timeout=300,
    )
    return static_root


@contextmanager
def _gunicorn(
    database: str, static_root: str, application_name: str, overrides: dict[str, str], tmp_path: Path
) -> Iterator[str]:
    """gunicorn with gunicorn.conf.py under production settings, as the README runs it, on the test database."""
    port = free_port()
    environment = production_environment(
        database=database,
        application_name=application_name,
        static_root=static_root,
        redis_url=settings.TEST_REDIS_URL,
    )
    command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}"]
    with server_process(command, environment | overrides, port, tmp_path / "gunicorn.log") as site:
        yield site


def test_it_keeps_no_connection_open_after_concurrent_requests_to_the_development_server(
    test_database, tmp_path
) -> None:
    application_name = "cvplus-test-runserver"
    port = free_port()
    environment = {name: value for name, value in os.environ.items() if name != "DATABASE_CONN_MAX_AGE"}
    environment |= {
        "DJANGO_SETTINGS_MODULE": "cvplus.settings.local",  # what `make run` serves
        "DATABASE_URL": database_url(test_database, application_name),
        "REDIS_URL": settings.TEST_REDIS_URL,
        "PYTHONUNBUFFERED": "1",
    }
    command = [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"]
    with server_process(command, environment, port, tmp_path / "runserver.log") as site:
        requests = [(f"{site}/data-sources/", {"Host": "localhost"})] * CONCURRENT_REQUESTS
        answers = get_concurrently(requests, at_once=20)
        assert [answer.status for answer in answers] == [200] * CONCURRENT_REQUESTS
        # Each request ran in its own thread; with persistent connections every one of them stayed open, idle.
        assert wait_until(lambda: connections_held(application_name) == 0, timeout_s=10), connections_held(
            application_name
        )


class PeakConnections:
    """Samples the connections a server holds, in a thread, while a block runs."""

    def __init__(self, application_name: str) -> None:
        self.application_name = application_name
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, connections_held(self.application_name))
            self._stop.wait(0.02)

    def __enter__(self) -> PeakConnections:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join()


def test_it_bounds_the_connections_of_gunicorn_under_production_settings(
    test_database, production_static, tmp_path
) -> None:
    application_name = "cvplus-test-gunicorn"
    workers, threads = 2, 4
    environment = {"WEB_CONCURRENCY": str(workers), "GUNICORN_THREADS": str(threads)}
    with _gunicorn(test_database, production_static, application_name, environment, tmp_path) as site:
        requests = [(f"{site}/data-sources/", {"Host": "localhost"} | HTTPS)] * CONCURRENT_REQUESTS
        with PeakConnections(application_name) as sampled:
            answers = get_concurrently(requests, at_once=CONCURRENT_REQUESTS)
        assert [answer.status for answer in answers] == [200] * CONCURRENT_REQUESTS
        assert 1 <= sampled.peak <= workers * threads
        assert connections_held(application_name) <= workers * threads

        page = answers[0]
        assert page.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
        stylesheet = re.search(r'href="(/static/css/cvplus\.[0-9a-f]{12}\.css)"', page.body)
        assert stylesheet is not None, "the page links the hashed stylesheet collectstatic wrote"
        css = get(site + stylesheet.group(1), {"Host": "localhost", "Accept-Encoding": "gzip"} | HTTPS)
        assert css.status == 200
        assert css.headers["Content-Encoding"] == "gzip"
        assert "immutable" in css.headers["Cache-Control"]


@pytest.fixture
def signed_in_cookies(committed) -> Iterator[tuple[str, dict[str, str]]]:
    """Sessions for the owner of tenant A and the stranger of tenant B, signed with a production SECRET_KEY."""
    import secrets

    secret_key = secrets.token_urlsafe(50)
    cookies = {}
    with override_settings(SECRET_KEY=secret_key):
        for schema, email in (("alpha", "owner@alpha.example"), ("beta", "stranger@beta.example")):
            with schema_context(schema):
                client = HttpClient()
                client.force_login(User.objects.get(email=email))
                cookies[schema] = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    yield secret_key, cookies
    for schema in cookies:
        with schema_context(schema), connection.cursor() as cursor:
            cursor.execute("DELETE FROM django_session")


def test_it_runs_every_request_on_its_own_tenants_schema_through_a_small_pool(
    test_database, production_static, signed_in_cookies, tmp_path
) -> None:
    """Two pooled connections serve four threads, alternating tenants A and B: a connection handed back by a request
    for A and taken by one for B must not keep A's search path (TENANT_LIMIT_SET_CALLS skips SET search_path when
    the wrapper believes it is already set). A request on the wrong schema would not find its session."""
    application_name = "cvplus-test-pool"
    secret_key, cookies = signed_in_cookies
    environment = {
        "WEB_CONCURRENCY": "1",
        "GUNICORN_THREADS": "4",
        "DATABASE_POOL_MAX_SIZE": "2",
        "SECRET_KEY": secret_key,
    }
    tenants = [("alpha", HOST_A, "Olive"), ("beta", HOST_B, "Stan")] * (CONCURRENT_REQUESTS // 2)
    with _gunicorn(test_database, production_static, application_name, environment, tmp_path) as site:
        requests = [(f"{site}/app/", {"Host": host, "Cookie": cookies[schema]} | HTTPS) for schema, host, _ in tenants]
        with PeakConnections(application_name) as sampled:
            answers = get_concurrently(requests, at_once=8)
    for (schema, _host, first_name), answer in zip(tenants, answers, strict=True):
        assert answer.status == 200, f"a request for {schema} was not signed in: {answer.status}"
        assert f">{first_name}</a>" in answer.body
    assert sampled.peak <= 2


@pytest.fixture
def pooled_wrappers(cast, django_db_blocker) -> Iterator[tuple[object, object]]:
    """Two database wrappers (two threads' connections, as in a gunicorn worker) sharing a pool of ONE connection."""
    from django_tenants.postgresql_backend.base import DatabaseWrapper

    with django_db_blocker.unblock():
        settings_dict = connection.settings_dict | {
            "CONN_MAX_AGE": 0,
            "OPTIONS": connection.settings_dict.get("OPTIONS", {}) | {"pool": {"min_size": 1, "max_size": 1}},
        }
        first = DatabaseWrapper(settings_dict, alias="pool-test")
        second = DatabaseWrapper(settings_dict, alias="pool-test")
        yield first, second
        first.close()
        second.close()
        first.close_pool()


def _current_schema(wrapper) -> str:
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        return cursor.fetchone()[0]


def test_it_sets_the_search_path_again_when_a_pooled_connection_changes_hands(pooled_wrappers) -> None:
    """The one pooled connection goes A → B → A… between two wrappers that each stay on their tenant, without a new
    set_tenant: each must notice it holds a connection another tenant's path was set on."""
    first, second = pooled_wrappers
    first.set_schema("alpha")
    second.set_schema("beta")
    for _round in range(3):
        assert _current_schema(first) == "alpha"
        first.close()  # end of a request: the connection goes back to the pool
        assert _current_schema(second) == "beta"
        second.close()
