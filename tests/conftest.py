"""The cast every test module starts from: the public tenant, two provisioned tenants (A and B, created once per
session through the real provisioning service) and three users: owner and member in A, stranger in B."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.db import connection, connections
from django.db.backends.signals import connection_created
from django.test import Client as HttpClient
from django.utils import translation
from django_tenants.utils import schema_context

from tenants.middleware import tenant_host_cache_clear
from tests import search_path_guard

PASSWORD = "correct-horse-battery-staple"
PUBLIC_HOST = "localhost"
HOST_A = "alpha.localhost"
HOST_B = "beta.localhost"
ENTERPRISE_HOST = "gamma.localhost"


def _guard_new_connection(sender, connection, **kwargs) -> None:
    search_path_guard.install(connection)


connection_created.connect(_guard_new_connection, dispatch_uid="cvplus-search-path-guard")


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker, django_db_keepdb, django_db_createdb):
    """pytest-django's, except that the test database is always set up. pytest-django sets one up only when a collected
    test is marked django_db or asks for its db fixtures; a session of browser or server tests alone (which work on
    committed rows through ``cast`` and ``committed``) then ran on the development database CVPLUS_DATABASE_NAME."""
    from django.test.utils import setup_databases, teardown_databases

    with django_db_blocker.unblock():
        config = setup_databases(
            verbosity=request.config.option.verbose,
            interactive=False,
            keepdb=django_db_keepdb and not django_db_createdb,
            aliases={"default"},
            serialized_aliases=set(),  # no test uses serialized_rollback
        )
    yield
    if not django_db_keepdb:
        with django_db_blocker.unblock():
            teardown_databases(config, verbosity=request.config.option.verbose)


@dataclass(frozen=True)
class Cast:
    public: object
    tenant_a: object
    tenant_b: object
    enterprise: object
    owner_email: str = "owner@alpha.example"
    member_email: str = "member@alpha.example"
    stranger_email: str = "stranger@beta.example"
    enterprise_email: str = "member@gamma.example"


@pytest.fixture(scope="session")
def cast(django_db_setup, django_db_blocker) -> Cast:
    """Created once per session with committed rows, through the same services production uses."""
    from accounts.services import user_ensure
    from tenants.models import Client
    from tenants.provisioning import tenant_provision
    from tenants.services import public_tenant_ensure, tenant_create

    with django_db_blocker.unblock():
        search_path_guard.install(connection)
        public = public_tenant_ensure(domain=PUBLIC_HOST)
        tenants = {}
        for schema, host, kind, region, language, currency in (
            ("alpha", HOST_A, Client.Kind.CONSUMER, "NA", "en", "USD"),
            ("beta", HOST_B, Client.Kind.CONSUMER, "EU", "fr", "EUR"),
            ("gamma", ENTERPRISE_HOST, Client.Kind.ENTERPRISE, "EU", "de", "EUR"),
        ):
            client = Client.objects.filter(schema_name=schema).first() or tenant_create(
                name=f"Tenant {schema}",
                schema_name=schema,
                domain=host,
                kind=kind,
                region=region,
                language=language,
                currency=currency,
                provision=False,
            )
            tenants[schema] = tenant_provision(client_id=client.pk)
        cast = Cast(public=public, tenant_a=tenants["alpha"], tenant_b=tenants["beta"], enterprise=tenants["gamma"])
        with schema_context("alpha"):
            user_ensure(email=cast.owner_email, password=PASSWORD, full_name="Olive Owner")
            user_ensure(email=cast.member_email, password=PASSWORD, full_name="Mo Member")
        with schema_context("beta"):
            user_ensure(email=cast.stranger_email, password=PASSWORD, full_name="Stan Stranger")
        with schema_context("gamma"):
            user_ensure(email=cast.enterprise_email, password=PASSWORD, full_name="Greta Gamma")
        connection.set_schema_to_public()
    return cast


@pytest.fixture(autouse=True)
def _public_schema_between_tests() -> Iterator[None]:
    """Each test ends on the public schema and the default language, so no test inherits another's."""
    connection.set_schema_to_public()
    yield
    connection.set_schema_to_public()
    translation.activate(settings.LANGUAGE_CODE)
    tenant_host_cache_clear()  # rows a test's rolled-back transaction made fire no signal


@pytest.fixture(autouse=True)
def _throttle_counters_forgotten() -> None:
    """Throttle counters (accounts/throttles.py, cvplus/api_throttles.py) live in the test cache, which no test's
    transaction rolls back: each test starts without any, so one test's requests never throttle another's."""
    from django.core.cache import cache

    client = cache._cache.get_client(write=True)
    keys = list(client.scan_iter(match="*:throttle:*", count=1000))
    if keys:
        client.delete(*keys)


@pytest.fixture(autouse=True)
def _plan_cache_forgotten(django_db_blocker) -> None:
    """Cached plans (billing/plan_cache.py) live in the test cache, which no test's rollback undoes, and a rolled-back
    subscription sends no signal: each test starts with every cached plan out of date."""
    from billing.plan_cache import plan_cache_invalidate

    with django_db_blocker.unblock():
        plan_cache_invalidate()


@pytest.fixture
def public_client(cast, db) -> HttpClient:
    return HttpClient(HTTP_HOST=PUBLIC_HOST)


@pytest.fixture
def client_a(cast, db) -> HttpClient:
    return HttpClient(HTTP_HOST=HOST_A)


@pytest.fixture
def client_b(cast, db) -> HttpClient:
    return HttpClient(HTTP_HOST=HOST_B)


@pytest.fixture
def enterprise_client(cast, db) -> HttpClient:
    return HttpClient(HTTP_HOST=ENTERPRISE_HOST)


def login(client: HttpClient, email: str, password: str = PASSWORD):
    return client.post("/accounts/login/", {"username": email, "password": password})


@pytest.fixture
def committed(cast, django_db_blocker) -> Iterator[None]:
    """Database access without the per-test transaction, for work another thread (a Celery worker) must see.

    Tests using it clean up what they create.
    """
    with django_db_blocker.unblock():
        yield
        connection.set_schema_to_public()
        connections.close_all()  # committed work leaves no session behind to block dropping the test database


@pytest.fixture
def celery_worker(committed) -> Iterator[object]:
    """A real Celery worker in a thread, consuming the test queue on the real Redis broker."""
    from celery.contrib.testing.worker import start_worker
    from celery.signals import task_postrun

    from cvplus.celery import app

    def close_worker_connections(**kwargs) -> None:
        connections.close_all()  # runs in the worker thread: no connection outlives the test database

    task_postrun.connect(close_worker_connections, weak=False, dispatch_uid="tests-close-worker-connections")

    app.control.purge()
    # Celery's Django fixup closes the file descriptors of open connections when a worker starts (it expects a forked
    # child); close this thread's connections first so it has none to break, and the test reconnects cleanly.
    for conn in connections.all():
        conn.close()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30) as worker:
        yield worker
    task_postrun.disconnect(dispatch_uid="tests-close-worker-connections")
    connection.set_schema_to_public()


def wait_until(predicate, *, timeout_s: float = 60.0, interval_s: float = 0.2) -> bool:
    """Polls ``predicate`` until it is true or ``timeout_s`` passes. A bound on waiting, not a timing assertion."""
    import time

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval_s)
    return predicate()
