"""Billing's Redis client (metering, key revocations): the cache's server, the timeouts of
``settings.REDIS_CLIENT_OPTIONS``, and a short memory of failure.

After a failed connection the server counts as down in this process for ``REDIS_RETRY_INTERVAL_S``: callers go
straight to their PostgreSQL path instead of each waiting for its own connect timeout (a Redis that drops packets
would otherwise cost every request the whole timeout). One request per interval tries again.
"""

from __future__ import annotations

import logging
import threading
import time
from functools import cache as memoize

import redis
from django.conf import settings

logger = logging.getLogger(__name__)

# What a Redis that is down, restarting or unreachable raises (OSError: a socket error redis-py did not wrap).
REDIS_ERRORS: tuple[type[BaseException], ...] = (
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    OSError,
)
REDIS_RETRY_INTERVAL_S = 1.0

_down_until: dict[str, float] = {}
_down_lock = threading.Lock()


class RedisUnreachable(Exception):
    """No connection to Redis could be made, so no command reached it: nothing was counted or changed there."""


def redis_url() -> str | None:
    """The cache's Redis URL, or None when the cache is not Redis (development without Redis)."""
    cache_settings = settings.CACHES["default"]
    if not cache_settings["BACKEND"].endswith(".RedisCache"):
        return None
    location = cache_settings["LOCATION"]
    return location if isinstance(location, str) else location[0]


def redis_client() -> redis.Redis | None:
    """One client (and connection pool) per URL and process: building a client per call cost more than the script
    it runs."""
    url = redis_url()
    if url is None:
        return None
    options = getattr(settings, "REDIS_CLIENT_OPTIONS", {})
    return _client(url, tuple(sorted(options.items())))


@memoize
def _client(url: str, options: tuple[tuple[str, object], ...]) -> redis.Redis:
    return redis.Redis.from_url(url, **dict(options))


def redis_client_of_its_own() -> redis.Redis | None:
    """A client with a pool of its own, for a connection held for good (a subscription)."""
    url = redis_url()
    return None if url is None else redis.Redis.from_url(url, **getattr(settings, "REDIS_CLIENT_OPTIONS", {}))


def _url_of(client: redis.Redis) -> str:
    kwargs = client.connection_pool.connection_kwargs
    return f"{kwargs.get('host')}:{kwargs.get('port')}/{kwargs.get('db')}"


def redis_down(client: redis.Redis) -> bool:
    """True while a recent connection to this server failed (see the module's docstring)."""
    return _down_until.get(_url_of(client), 0.0) > time.monotonic()


def redis_failed(client: redis.Redis, error: BaseException) -> None:
    url = _url_of(client)
    with _down_lock:
        first = _down_until.get(url, 0.0) <= time.monotonic()
        _down_until[url] = time.monotonic() + REDIS_RETRY_INTERVAL_S
    if first:
        logger.warning("Redis at %s is unreachable (%s): billing uses PostgreSQL meanwhile.", url, error)


def redis_connection(client: redis.Redis) -> redis.connection.Connection:
    """A connected connection from the client's pool; `RedisUnreachable` when none can be made (then no command was
    sent). The caller releases it with `redis_release`."""
    if redis_down(client):
        raise RedisUnreachable(_url_of(client))
    try:
        return client.connection_pool.get_connection()
    except REDIS_ERRORS as error:
        redis_failed(client, error)
        raise RedisUnreachable(_url_of(client)) from error


def redis_release(client: redis.Redis, connection: redis.connection.Connection, *, broken: bool = False) -> None:
    """Returns the connection to the pool; a broken one (an error, a reply not read) is disconnected first, so the
    next user does not read this one's reply."""
    if broken:
        connection.disconnect()
    client.connection_pool.release(connection)
