"""Sessions are read through the cache with the tenant's database as the record (accounts/session_store.py): a hit
costs no query, sign-out ends the session everywhere (also when the cache was down at the time), a session key does
not cross tenants, and a cache outage never turns a page into an error."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from redis.exceptions import ConnectionError as RedisConnectionError

from accounts import session_store
from tests.accounts.test_throttles import UNREACHABLE_CACHE
from tests.conftest import HOST_A, HOST_B, login

ACCOUNT = "/accounts/"


def _signed_in(cast) -> HttpClient:
    client = HttpClient(HTTP_HOST=HOST_A)
    assert login(client, cast.owner_email).status_code == 302
    return client


def _with_cookie(host: str, session_key: str) -> HttpClient:
    client = HttpClient(HTTP_HOST=host)
    client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    return client


def test_it_reads_a_signed_in_session_without_a_session_query(cast, db) -> None:
    client = _signed_in(cast)

    with CaptureQueriesContext(connection) as queries:
        assert client.get(ACCOUNT).status_code == 200

    assert not [q["sql"] for q in queries.captured_queries if "django_session" in q["sql"]]


def test_signing_out_ends_the_session_for_a_copy_of_its_cookie(cast, db) -> None:
    client = _signed_in(cast)
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert _with_cookie(HOST_A, session_key).get(ACCOUNT).status_code == 200  # the cached copy is in use

    assert client.post("/accounts/logout/").status_code == 302

    assert _with_cookie(HOST_A, session_key).get(ACCOUNT).status_code == 302  # to the sign-in page


def test_a_session_key_from_one_tenant_signs_in_nobody_on_another(cast, db) -> None:
    client = _signed_in(cast)
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.get(ACCOUNT).status_code == 200  # cached on alpha

    assert _with_cookie(HOST_B, session_key).get(ACCOUNT).status_code == 302


def test_it_signs_in_serves_and_signs_out_with_the_cache_unreachable(cast, db, settings, caplog) -> None:
    settings.CACHES = UNREACHABLE_CACHE
    client = _signed_in(cast)
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value

    assert client.get(ACCOUNT).status_code == 200
    assert client.post("/accounts/logout/").status_code == 302
    assert _with_cookie(HOST_A, session_key).get(ACCOUNT).status_code == 302
    assert "Session cache unreachable" in caplog.text


def test_a_copy_the_outage_kept_from_deletion_is_not_served_once_the_cache_is_back(
    cast, db, monkeypatch, caplog
) -> None:
    client = _signed_in(cast)
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.get(ACCOUNT).status_code == 200  # a cached copy exists
    backend = type(caches["default"])
    working_delete = backend.delete

    def unreachable(*args, **kwargs):
        raise RedisConnectionError("connection refused")

    monkeypatch.setattr(backend, "delete", unreachable)
    assert client.post("/accounts/logout/").status_code == 302  # the cache delete fails; the row goes
    monkeypatch.setattr(backend, "delete", working_delete)
    assert [key for _schema, key in session_store._stale_keys] == [
        session_store.SessionStore.cache_key_prefix + session_key
    ]

    assert _with_cookie(HOST_B, session_key).get(ACCOUNT).status_code == 302  # a read on another tenant's host
    assert not session_store._stale_keys  # deleted the copy under alpha's schema
    assert _with_cookie(HOST_A, session_key).get(ACCOUNT).status_code == 302
    assert "deleted when it is back" in caplog.text
